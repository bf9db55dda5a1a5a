"""Forms of the Kampung KB pages. Each feeds one service; the service checks the rules (scope,
one active per village, choices) and its errors go back onto the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.models import User
from kampungkb.activities.models import FundingSource
from kampungkb.kampung.models import (
    AREA_CRITERIA,
    MAIN_CRITERIA,
    SPECIAL_CRITERIA,
    Criterion,
    DataSource,
    KampungKb,
    ModelFlag,
    ProfileVersion,
)
from kampungkb.kampung.services import KampungData, ProfileData
from kampungkb.regions.models import Area


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == "criteria":
                target = "criteria_main"
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


def _checkboxes(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def _criteria(values: tuple[Criterion, ...]) -> list[tuple[str, Any]]:
    return [(c.value, c.label) for c in values]


class VillageForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Area.objects.none())

    def __init__(self, *args: Any, villages: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["village"]
        field.queryset = villages  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: f"{a.name} ({a.parent.name})"  # type: ignore[attr-defined]


class KampungForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    declared_on = forms.DateField(label=_("Declaration date"), widget=DateInput())
    rws = forms.ModelMultipleChoiceField(
        label=_("RW covered (only when the Kampung KB covers part of the village)"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=150)
    person_in_charge_phone = forms.CharField(
        label=_("Phone of the person in charge"), max_length=20, required=False
    )
    criteria_main = _checkboxes(_("Main criteria"), _criteria(MAIN_CRITERIA))
    criteria_area = _checkboxes(_("Area criteria"), _criteria(AREA_CRITERIA))
    criteria_special = _checkboxes(_("Special criteria"), _criteria(SPECIAL_CRITERIA))
    model_flags = _checkboxes(_("Model flags"), ModelFlag.choices)

    def __init__(self, *args: Any, rws: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rws"].queryset = rws  # type: ignore[attr-defined]
        self.fields["latitude"].help_text = _("Leave both empty to use the village's coordinates.")

    @staticmethod
    def initial_of(kampung: KampungKb) -> dict[str, Any]:
        criteria = set(kampung.criteria)
        return {
            "name": kampung.name,
            "declared_on": kampung.declared_on,
            "rws": list(kampung.rws.all()),
            "latitude": kampung.latitude,
            "longitude": kampung.longitude,
            "person_in_charge": kampung.person_in_charge,
            "person_in_charge_phone": kampung.person_in_charge_phone,
            "criteria_main": [c for c in MAIN_CRITERIA if c in criteria],
            "criteria_area": [c for c in AREA_CRITERIA if c in criteria],
            "criteria_special": [c for c in SPECIAL_CRITERIA if c in criteria],
            "model_flags": kampung.model_flags,
            "is_active": kampung.is_active,
        }

    def data_out(self) -> KampungData:
        d = self.cleaned_data
        return KampungData(
            name=d["name"],
            declared_on=d["declared_on"],
            person_in_charge=d["person_in_charge"],
            person_in_charge_phone=d["person_in_charge_phone"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            criteria=[*d["criteria_main"], *d["criteria_area"], *d["criteria_special"]],
            model_flags=d["model_flags"],
            rws=list(d["rws"]),
        )


class KampungEditForm(KampungForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A Kampung KB is deactivated, never deleted."),
    )


class ProfileForm(forms.Form):
    pokja_exists = forms.BooleanField(label=_("A Pokja (working group) exists"), required=False)
    pokja_decree_number = forms.CharField(
        label=_("Pokja decree (SK) number"), max_length=100, required=False
    )
    pokja_decree_date = forms.DateField(
        label=_("Pokja decree (SK) date"), required=False, widget=DateInput()
    )
    pokja_trained = forms.BooleanField(label=_("The Pokja has been trained"), required=False)
    pokja_members = forms.IntegerField(
        label=_("Pokja members"), min_value=0, max_value=999, initial=0
    )
    pkb = forms.ModelChoiceField(
        label=_("PKB officer assigned"), queryset=User.objects.none(), required=False
    )
    supervisor_name = forms.CharField(
        label=_("Or a named supervisor"), max_length=150, required=False
    )
    regulation_issued = forms.BooleanField(
        label=_("A village regulation on the Kampung KB has been issued"), required=False
    )
    funding_sources = _checkboxes(_("Funding sources"), FundingSource.choices)
    has_secretariat = forms.BooleanField(label=_("Secretariat"), required=False)
    has_rumah_dataku = forms.BooleanField(label=_("Rumah DataKu"), required=False)
    data_sources = _checkboxes(_("Data sources used"), DataSource.choices)
    has_workplan = forms.BooleanField(label=_("Community workplan (RKM)"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pkb"].queryset = officers  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(profile: ProfileVersion | None) -> dict[str, Any]:
        if profile is None:
            return {}
        fields = [f for f in ProfileForm.base_fields if f != "pkb"]
        initial = {f: getattr(profile, f) for f in fields}
        initial["pkb"] = profile.pkb_id
        return initial

    def data_out(self) -> ProfileData:
        d = dict(self.cleaned_data)
        pkb = d.pop("pkb")
        return ProfileData(pkb_id=pkb.pk if pkb else None, **d)
