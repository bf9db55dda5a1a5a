"""The forms of brides-to-be: registration, a screening (phone-friendly: numeric keyboards, a
comma accepted), the wedding recorded, and the registration cancelled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kampungkb.regions.models import Area
from kampungkb.stunting.growth_forms import DecimalCommaField
from kampungkb.stunting.models import CancelReason


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _number(label: Any, required: bool = True) -> DecimalCommaField:
    return DecimalCommaField(
        label=label,
        required=required,
        max_digits=5,
        decimal_places=1,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class BrideForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none())
    full_name = forms.CharField(label=_("Bride's name"), max_length=150)
    nik = forms.CharField(label=_("Bride's NIK"), max_length=16, required=False)
    birth_date = _date(_("Bride's birth date"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    groom_name = forms.CharField(label=_("Groom's name"), max_length=150)
    groom_birth_date = _date(_("Groom's birth date"), required=False)
    wedding_on = _date(_("Planned wedding date"))
    registered_on = _date(_("Registered on"))

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Area.objects.filter(code__in=[a.code for a in areas]).order_by("code")


class ScreeningForm(forms.Form):
    screened_on = _date(_("Screened on"))
    weight_kg = _number(_("Weight (kg)"))
    height_cm = _number(_("Height (cm)"))
    lila_cm = _number(_("Upper-arm circumference, LiLA (cm)"))
    hb_g_dl = _number(_("Haemoglobin (g/dL)"), required=False)
    smokes = forms.BooleanField(label=_("Smokes"), required=False)


class MarriedForm(forms.Form):
    married_on = _date(_("Married on"))


class CancelForm(forms.Form):
    cancelled_on = _date(_("Cancelled on"))
    cancel_reason = forms.ChoiceField(label=_("Reason"), choices=CancelReason.choices)
