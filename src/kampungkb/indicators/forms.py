"""Forms of the targets pages. They only parse input; the services check scope, year and values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kampungkb.indicators.models import TARGET_MAX_VALUE
from kampungkb.indicators.selectors import TARGET_CODES, TargetRow
from kampungkb.indicators.services import TargetEntry
from kampungkb.indicators.targets_excel import MAX_MEGABYTES

LABELS = {"PA": _("PPM-PA"), "PB": _("PPM-PB")}


def _field_name(area_code: str, code: str) -> str:
    return f"{code}-{area_code}"


class TargetsForm(forms.Form):
    """One number per editable area and target; a blank field removes the target."""

    def __init__(self, *args: Any, rows: list[TargetRow], year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = [r for r in rows if r.editable]
        self.year = year
        for row in self.rows:
            for code in TARGET_CODES:
                name = _field_name(row.area.code, code)
                label = f"{LABELS[code]} {row.area.name}"
                self.fields[name] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=TARGET_MAX_VALUE,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "numeric", "step": 1, "aria-label": label}
                    ),
                )
                self.initial[name] = row.own[code]

    def row_fields(self) -> Iterator[tuple[TargetRow, list[forms.BoundField]]]:
        for row in self.rows:
            yield row, [self[_field_name(row.area.code, code)] for code in TARGET_CODES]

    def entries(self) -> list[TargetEntry]:
        return [
            TargetEntry(
                area=row.area,
                year=self.year,
                kind=code,
                value=self.cleaned_data[_field_name(row.area.code, code)],
            )
            for row in self.rows
            for code in TARGET_CODES
        ]


class TargetsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s MB.") % {"size": MAX_MEGABYTES}
