"""Forms of the contraceptive services pages. Each feeds one service; the service validates
(dates, consent, the method in use, scope) and its ``ValidationError``s go back on the fields
(``families.forms.add_service_errors``). Forms only parse input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.contraception.models import (
    Barrier,
    EndReason,
    Facility,
    FacilityKind,
    FollowUp,
    FollowUpOutcome,
    Method,
    Ownership,
    ServiceVisit,
    VisitKind,
)
from kampungkb.families.forms import AreaChoiceField, DateInput, _label
from kampungkb.regions.models import Area

# The reasons a cadre may give with a removal or a side effect; the others are set by the
# engine (switch, pregnancy, end of marriage, age, drop-out).
VISIT_STOP_REASONS = (EndReason.WANTS_CHILD, EndReason.SIDE_EFFECTS, EndReason.REMOVAL)


class MethodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_label(ServiceVisit, "visited_on"), widget=DateInput())
    method = MethodChoiceField(queryset=Method.objects.none(), label=_label(ServiceVisit, "method"))
    kind = forms.ChoiceField(
        label=_label(ServiceVisit, "kind"),
        choices=VisitKind.choices,
        initial=VisitKind.REPEAT,
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label=_label(ServiceVisit, "quantity"),
        min_value=1,
        max_value=999,
        initial=1,
        help_text=_("Doses, pill cycles or condom pieces given; 1 for an insertion or procedure."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    consent_recorded = forms.BooleanField(
        label=_label(ServiceVisit, "consent_recorded"), required=False
    )
    facility = forms.ModelChoiceField(
        queryset=Facility.objects.none(),
        label=_label(ServiceVisit, "facility"),
        required=False,
    )
    provider = forms.CharField(
        label=_label(ServiceVisit, "provider"),
        required=False,
        max_length=100,
        help_text=_("For example: Bidan Sari."),
    )
    stop_reason = forms.ChoiceField(
        label=_label(ServiceVisit, "stop_reason"),
        choices=[("", "---------"), *[(r.value, r.label) for r in VISIT_STOP_REASONS]],
        required=False,
        help_text=_("Only with a removal or stop, or a side effect."),
    )
    notes = forms.CharField(label=_label(ServiceVisit, "notes"), required=False, max_length=255)

    def __init__(
        self, *args: Any, methods: Any, facilities: Any, today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = today
        self.fields["method"].queryset = methods  # type: ignore[attr-defined]
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        consent = [m.name for m in methods if m.requires_consent]
        self.fields["consent_recorded"].help_text = _(
            "Required to start or switch to: %(methods)s."
        ) % {"methods": ", ".join(consent)}

    def chosen_method(self) -> Method | None:
        """The method picked so far (bound or initial), to show the consent box only when needed."""
        value = self.data.get("method") if self.is_bound else self.initial.get("method")
        field = self.fields["method"]
        for method in field.queryset:  # type: ignore[attr-defined]
            if value and method.code == str(value):
                return method
        return None

    @property
    def needs_consent(self) -> bool:
        method = self.chosen_method()
        return method is None or method.requires_consent


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_label(FollowUp, "done_on"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_label(FollowUp, "outcome"),
        choices=FollowUpOutcome.choices,
        widget=forms.RadioSelect,
    )
    barrier = forms.ChoiceField(
        label=_label(FollowUp, "barrier"),
        choices=[("", "---------"), *Barrier.choices],
        required=False,
        help_text=_("Required when the couple refuses."),
    )
    note = forms.CharField(label=_label(FollowUp, "note"), required=False, max_length=255)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = today


class FacilityForm(forms.Form):
    code = forms.CharField(label=_label(Facility, "code"), max_length=20)
    name = forms.CharField(label=_label(Facility, "name"), max_length=150)
    kind = forms.ChoiceField(
        label=_label(Facility, "kind"), choices=[("", "---------"), *FacilityKind.choices]
    )
    ownership = forms.ChoiceField(
        label=_label(Facility, "ownership"), choices=[("", "---------"), *Ownership.choices]
    )
    has_jkn_contract = forms.BooleanField(
        label=_label(Facility, "has_jkn_contract"), required=False
    )

    def __init__(
        self,
        *args: Any,
        areas: Iterable[Area] | None,
        area_queryset: QuerySet[Area],
        editing: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.area_queryset = area_queryset
        if areas is not None:
            self.fields["area"] = AreaChoiceField(areas, label=_label(Facility, "area"))
        else:
            # Too many areas for one select (a national user): the area code is typed.
            self.fields["area"] = forms.CharField(
                label=_("Area code"),
                max_length=20,
                help_text=_("The village or sub-district code, e.g. 64.02.08.2005."),
            )
        if editing:
            del self.fields["code"]

    def clean_area(self) -> Area:
        value = self.cleaned_data["area"]
        if isinstance(value, Area):
            return value
        area = self.area_queryset.filter(code=str(value).strip()).first()
        if area is None:
            raise forms.ValidationError(_("No area with this code in your scope."))
        return area
