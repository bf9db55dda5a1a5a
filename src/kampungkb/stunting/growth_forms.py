"""The form a cadre fills in at the Posyandu: big inputs, numeric keyboards on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kampungkb.stunting.models import LENGTH_RANGE, WEIGHT_RANGE, ChildMeasurement, Position


class DecimalCommaField(forms.DecimalField):
    """A decimal typed with a point or, as in Indonesia, a comma ("9,4")."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Date measured"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weight_kg = DecimalCommaField(
        label=_("Weight (kg)"),
        max_digits=5,
        decimal_places=2,
        min_value=WEIGHT_RANGE[0],
        max_value=WEIGHT_RANGE[1],
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("For example 9.4"),
    )
    length_or_height_cm = DecimalCommaField(
        label=_("Length or height (cm)"),
        max_digits=4,
        decimal_places=1,
        min_value=LENGTH_RANGE[0],
        max_value=LENGTH_RANGE[1],
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Under 2 years: lying down (length); from 2 years: standing (height)."),
    )
    position = forms.ChoiceField(
        label=_("Measured"), choices=Position.choices, widget=forms.RadioSelect
    )
    oedema = forms.BooleanField(
        label=_("Oedema of both feet (pitting)"),
        required=False,
        help_text=_("The weight then gives no z-score; refer the child to the puskesmas."),
    )
    place = forms.CharField(label=_("Posyandu"), required=False, max_length=100)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].widget.attrs["max"] = today.isoformat()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "measured_on": data["measured_on"],
            "weight_kg": data["weight_kg"],
            "length_or_height_cm": data["length_or_height_cm"],
            "position": data["position"],
            "oedema": data["oedema"],
            "place": data["place"],
        }

    @staticmethod
    def initial_from(m: ChildMeasurement) -> dict[str, Any]:
        return {
            "measured_on": m.measured_on,
            "weight_kg": m.weight_kg,
            "length_or_height_cm": m.length_or_height_cm,
            "position": m.position,
            "oedema": m.oedema,
            "place": m.place,
        }
