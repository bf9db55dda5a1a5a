"""Forms of the family register pages. Each form feeds one service in ``services.py``; the
service validates (NIK, KK, dates, scope) and its ``ValidationError``s are put back on the form's
fields with ``add_service_errors``. Forms only parse input; they hold no register rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field, Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kampungkb.families.models import (
    Couple,
    Family,
    FertilityIntention,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relation,
)
from kampungkb.families.services import HousingData, PersonData
from kampungkb.families.templatetags.family_register import area_label
from kampungkb.regions.models import Area

# The house fields of a family, as ``HousingData`` and the API name them (but for the date).
HOUSE_FIELDS = (
    "water_source",
    "latrine",
    "has_septic_tank",
    "floor_area",
    "floor_material",
    "wall_material",
    "roof_material",
)

# Numbers may be typed with spaces or dots ("6402 0812 0388 0001"); the service strips them.
NUMBER_MAX_LENGTH = 24


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _model_field(model: type[Model], name: str) -> Field[Any, Any]:
    # Forms here name concrete fields only, never reverse relations.
    return cast("Field[Any, Any]", model._meta.get_field(name))


def _label(model: type[Model], name: str) -> Any:
    """The model field's verbose name, capitalised as a label (still translated lazily)."""
    return capfirst(_model_field(model, name).verbose_name)


def _number_field(model: type[Model], name: str) -> forms.CharField:
    return forms.CharField(
        label=_label(model, name),
        required=False,
        max_length=NUMBER_MAX_LENGTH,
        empty_value=None,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _date_field(model: type[Model], name: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=_label(model, name), required=required, widget=DateInput())


def _choice_field(
    model: type[Model], name: str, *, required: bool = True, radio: bool = False
) -> forms.ChoiceField:
    field = _model_field(model, name)
    choices: list[tuple[str, Any]] = list(field.choices or [])
    default = field.get_default() or None
    if not radio and default is None:
        # Nothing preselected: a member must not become "head of family" by default.
        choices = [("", "---------"), *choices]
    return forms.ChoiceField(
        label=capfirst(field.verbose_name),
        choices=choices,
        required=required,
        initial=default,
        widget=forms.RadioSelect if radio else forms.Select,
    )


def _text_field(
    model: type[Model], name: str, *, required: bool = True, **attrs: str
) -> forms.CharField:
    field = _model_field(model, name)
    return forms.CharField(
        label=capfirst(field.verbose_name),
        required=required,
        max_length=field.max_length,
        widget=forms.TextInput(attrs=attrs),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PersonChoiceField(forms.ModelChoiceField):
    """A member of the family, shown with age and relation so that namesakes can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.birth_date:%d-%m-%Y}, {obj.get_relation_to_head_display()})"


class AreaChoiceField(forms.ChoiceField):
    """An area from a list the view has already read (the user's villages, RW and RT)."""

    def __init__(self, areas: Iterable[Area], **kwargs: Any) -> None:
        self.areas = {area.code: area for area in areas}
        choices = [("", "---------")] + [(code, area_label(a)) for code, a in self.areas.items()]
        super().__init__(choices=choices, **kwargs)

    def clean(self, value: Any) -> Area | None:
        code = super().clean(value)
        return self.areas.get(code) if code else None


# -- Families -------------------------------------------------------------------------------------


class FamilyRegisterForm(forms.Form):
    """A new family with its head. Head fields are named ``head_<field>``, as the service names
    its errors."""

    kk_number = _number_field(Family, "kk_number")
    address = _text_field(Family, "address", required=False)
    head_full_name = _text_field(Person, "full_name", autocomplete="off")
    head_nik = _number_field(Person, "nik")
    head_sex = _choice_field(Person, "sex", radio=True)
    head_birth_date = _date_field(Person, "birth_date")
    head_birth_place = _text_field(Person, "birth_place", required=False)
    head_marital_status = _choice_field(Person, "marital_status")
    head_education = _choice_field(Person, "education", required=False)
    head_occupation = _text_field(Person, "occupation", required=False)
    head_phone = _text_field(Person, "phone", required=False, inputmode="tel")

    def __init__(self, *args: Any, areas: Iterable[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaChoiceField(areas, label=_label(Family, "area"))
        self.fields["head_full_name"].label = _("Name of the head of family")
        self.order_fields(["area", "kk_number", "address"])

    def head_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            full_name=data["head_full_name"],
            nik=data["head_nik"],
            sex=data["head_sex"],
            birth_date=data["head_birth_date"],
            birth_place=data["head_birth_place"],
            relation_to_head=Relation.HEAD,
            marital_status=data["head_marital_status"],
            education=data["head_education"],
            occupation=data["head_occupation"],
            phone=data["head_phone"],
        )


class FamilyEditForm(forms.Form):
    kk_number = _number_field(Family, "kk_number")
    address = _text_field(Family, "address", required=False)


class FamilyMoveForm(forms.Form):
    address = _text_field(Family, "address", required=False)

    def __init__(self, *args: Any, areas: Iterable[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = AreaChoiceField(areas, label=_("New area"))
        self.order_fields(["area", "address"])
        self.fields["address"].label = _("New address")


class FamilyDeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_label(Family, "deactivated_reason"),
        max_length=200,
        help_text=_("For example: moved out of the village, family card replaced, duplicate."),
    )


class HousingForm(forms.Form):
    """The house as the stunting-risk screening records it. Every answer may be left blank (not
    known); the date is the day of the visit, today unless changed."""

    water_source = _choice_field(Family, "water_source", required=False)
    latrine = _choice_field(Family, "latrine", required=False)
    has_septic_tank = forms.NullBooleanField(
        label=_label(Family, "has_septic_tank"), widget=forms.NullBooleanSelect
    )
    floor_area = forms.DecimalField(
        label=_label(Family, "floor_area"),
        required=False,
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0.1"}),
    )
    floor_material = _choice_field(Family, "floor_material", required=False)
    wall_material = _choice_field(Family, "wall_material", required=False)
    roof_material = _choice_field(Family, "roof_material", required=False)
    recorded_on = _date_field(Family, "housing_recorded_on")

    def __init__(self, *args: Any, family: Family, today: dt.date, **kwargs: Any) -> None:
        initial = {name: getattr(family, name) for name in HOUSE_FIELDS}
        kwargs.setdefault("initial", {**initial, "recorded_on": today})
        super().__init__(*args, **kwargs)

    def housing_data(self) -> HousingData:
        data = self.cleaned_data
        return HousingData(
            **{name: data[name] for name in HOUSE_FIELDS}, recorded_on=data["recorded_on"]
        )


# -- Members --------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    """A member's data as on the family card."""

    full_name = _text_field(Person, "full_name", autocomplete="off")
    nik = _number_field(Person, "nik")
    sex = _choice_field(Person, "sex", radio=True)
    birth_date = _date_field(Person, "birth_date")
    birth_place = _text_field(Person, "birth_place", required=False)
    relation_to_head = _choice_field(Person, "relation_to_head")
    marital_status = _choice_field(Person, "marital_status")
    education = _choice_field(Person, "education", required=False)
    occupation = _text_field(Person, "occupation", required=False)
    phone = _text_field(Person, "phone", required=False, inputmode="tel")

    def person_data(self) -> PersonData:
        return PersonData(**self.cleaned_data)


class PersonEditForm(PersonForm):
    """Marital status is not edited here: it follows the marriages recorded (marriage, divorce,
    death of the spouse)."""

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        self.person = person
        kwargs.setdefault("initial", {name: getattr(person, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        del self.fields["marital_status"]

    def person_data(self) -> PersonData:
        return PersonData(**self.cleaned_data, marital_status=self.person.marital_status)


class DeathForm(forms.Form):
    died_on = _date_field(Person, "died_on")


class BirthForm(forms.Form):
    """A newborn; the service puts the child in the mother's family and ends her pregnancy."""

    mother = PersonChoiceField(queryset=Person.objects.none(), label=_label(Person, "mother"))
    full_name = _text_field(Person, "full_name", autocomplete="off")
    sex = _choice_field(Person, "sex", radio=True)
    birth_date = _date_field(Person, "birth_date")
    nik = _number_field(Person, "nik")
    birth_place = _text_field(Person, "birth_place", required=False)

    def __init__(self, *args: Any, mothers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mother"].queryset = mothers  # type: ignore[attr-defined]
        self.fields["full_name"].label = _("Child's name")


# -- Couples and pregnancies ----------------------------------------------------------------------


class CoupleForm(forms.Form):
    wife = PersonChoiceField(queryset=Person.objects.none(), label=_label(Couple, "wife"))
    husband = PersonChoiceField(
        queryset=Person.objects.none(),
        label=_label(Couple, "husband"),
        required=False,
        empty_label=_("Husband not in the register (e.g. works away)"),
    )
    married_on = _date_field(Couple, "married_on", required=False)
    fertility_intention = _choice_field(Couple, "fertility_intention", required=False)

    def __init__(self, *args: Any, wives: Any, husbands: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wife"].queryset = wives  # type: ignore[attr-defined]
        self.fields["husband"].queryset = husbands  # type: ignore[attr-defined]


class DivorceForm(forms.Form):
    ended_on = forms.DateField(label=_("Date of divorce"), widget=DateInput())


class IntentionForm(forms.Form):
    intention = forms.ChoiceField(
        label=_label(Couple, "fertility_intention"),
        choices=FertilityIntention.choices,
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_label(Couple, "intention_recorded_on"), widget=DateInput())

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today


class PregnancyForm(forms.Form):
    recorded_on = _date_field(Pregnancy, "recorded_on")
    expected_on = _date_field(Pregnancy, "expected_on", required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = today


class PregnancyEndForm(forms.Form):
    """A pregnancy that ended without a live birth; a live birth is recorded as a birth."""

    outcome = forms.ChoiceField(
        label=_label(Pregnancy, "outcome"),
        choices=[
            (PregnancyOutcome.MISCARRIAGE.value, PregnancyOutcome.MISCARRIAGE.label),
            (PregnancyOutcome.STILLBIRTH.value, PregnancyOutcome.STILLBIRTH.label),
        ],
        widget=forms.RadioSelect,
    )
    ended_on = _date_field(Pregnancy, "ended_on")
