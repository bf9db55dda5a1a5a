"""Forms of the TPK pages: assign a target, end an assignment, record a visit. Each feeds one
service of ``tpk_services``; the service's ``ValidationError``s are put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kampungkb.cadres.models import Cadre, TargetKind, TpkAssignment, TpkVisit
from kampungkb.families.forms import DateInput, _label


class AssignForm(forms.Form):
    target = forms.ChoiceField(label=_("Target"))
    started_on = forms.DateField(label=_label(TpkAssignment, "started_on"), widget=DateInput())

    def __init__(
        self, *args: Any, choices: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", "---------"), *((g, c) for g, c in choices if c)]

    def target_value(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["target"].partition(":")
        return kind, int(pk)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_label(TpkAssignment, "ended_on"), widget=DateInput())


class MemberField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.get_team_role_display()})"


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_label(TpkVisit, "visited_on"), widget=DateInput())
    members = MemberField(
        label=_label(TpkVisit, "members"),
        queryset=Cadre.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    spacing_counselling = forms.BooleanField(
        label=_label(TpkVisit, "spacing_counselling"), required=False
    )
    nutrition_counselling = forms.BooleanField(
        label=_label(TpkVisit, "nutrition_counselling"), required=False
    )
    postpartum_contraception = forms.BooleanField(
        label=_label(TpkVisit, "postpartum_contraception"), required=False
    )
    referred_to_puskesmas = forms.BooleanField(
        label=_label(TpkVisit, "referred_to_puskesmas"), required=False
    )
    social_assistance = forms.BooleanField(
        label=_label(TpkVisit, "social_assistance"), required=False
    )
    notes = forms.CharField(
        label=_label(TpkVisit, "notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_visit_on = forms.DateField(
        label=_label(TpkVisit, "next_visit_on"),
        widget=DateInput(),
        required=False,
        help_text=_("Left empty: 30 days later, 7 days for a mother in her 42 days after a birth."),
    )

    def __init__(
        self, *args: Any, members: Any, kind: str = "", delay_pregnancy: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.queryset = members
        if kind == TargetKind.BRIDE:
            # Before her first pregnancy, spacing means delaying it (decision 0040).
            del self.fields["postpartum_contraception"]
            spacing = self.fields["spacing_counselling"]
            spacing.label = _("Counselling on delaying the first pregnancy")
            if delay_pregnancy:
                spacing.help_text = _("The screening advises delaying the first pregnancy.")

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(key)) for key in TpkVisit.CHECKLIST}
