"""Forms of the monthly meeting pages. Each feeds one service of ``meetings_services``; the
service's ``ValidationError``s are put back on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import Activity
from kampungkb.cadres.models import ActionItem, ActionStatus, Cadre, Meeting
from kampungkb.families.forms import DateInput, _label


class MeetingOpenForm(forms.Form):
    held_on = forms.DateField(label=_label(Activity, "held_on"), widget=DateInput())
    place = forms.CharField(label=_label(Activity, "place"), max_length=200, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_label(Meeting, "minutes"), widget=forms.Textarea(attrs={"rows": 5})
    )
    problems = forms.CharField(
        label=_label(Meeting, "problems"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("They come back on next month's agenda."),
    )
    decisions = forms.CharField(
        label=_label(Meeting, "decisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.get_role_display()})"


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_label(ActionItem, "description"), max_length=300)
    owner = OwnerChoiceField(
        label=_label(ActionItem, "owner"), queryset=Cadre.objects.none(), required=False
    )
    owner_name = forms.CharField(
        label=_label(ActionItem, "owner_name"),
        max_length=150,
        required=False,
        help_text=_("When the person responsible is not a cadre of the village."),
    )
    due_on = forms.DateField(label=_label(ActionItem, "due_on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, owners: QuerySet[Cadre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)  # noqa: S101
        owner_field.queryset = owners


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_label(ActionItem, "status"),
        choices=[(s.value, s.label) for s in (ActionStatus.DONE, ActionStatus.DROPPED)],
    )
    closed_on = forms.DateField(label=_label(ActionItem, "closed_on"), widget=DateInput())
