"""Forms of the area pages."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kampungkb.regions.models import Area, Kind, Level

# Which local areas may be added under an area of each level (``services.area_add_local`` checks
# the same rule; this one only decides what the form offers).
LOCAL_KINDS: dict[int, tuple[Kind, ...]] = {
    Level.VILLAGE: (Kind.DUSUN, Kind.RW, Kind.RT),
    Level.HAMLET: (Kind.RT,),
}


def local_kinds(area: Area) -> tuple[Kind, ...]:
    """The kinds of local area that may be added directly under ``area`` (none above a village)."""
    return LOCAL_KINDS.get(area.level, ())


class LocalAreaForm(forms.Form):
    """Add a dusun, RW or RT. The numbering and naming rules live in the service."""

    kind = forms.ChoiceField(label=_("Kind"))
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 999, "inputmode": "numeric"}),
        help_text=_("For example 3 for RT 003. Leave empty to take the next free number."),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=120,
        help_text=_("Required for a hamlet (dusun); optional for an RW or RT."),
    )

    def __init__(self, *args: Any, parent: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [(k.value, k.label) for k in local_kinds(parent)]

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the matching fields; others above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)
