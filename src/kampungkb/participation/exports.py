"""The barrier ranking of an area as CSV or Excel: one row per barrier with its count, share,
rank and suggested action, then one row per sub-area with its count of each barrier. Counts only,
no names, so the file is not audited."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from kampungkb.core import tables
from kampungkb.participation.selectors import Ranking

FORMATS = ("csv", "xlsx")


def _share(value: float | None) -> Any:
    return "" if value is None else round(100 * value, 1)


def table(ranking: Ranking) -> tuple[list[str], list[list[Any]]]:
    """The header and rows in Bahasa Indonesia whatever the user's language: exports go to the
    district's spreadsheets and reports."""
    with translation.override("id"):
        header = [
            _("Area"),
            _("Barrier"),
            _("Group"),
            _("Follow-ups"),
            _("Share (%)"),
            _("Rank"),
            _("Suggested action"),
        ]
        area = f"{ranking.area.code} {ranking.area}"
        rows: list[list[Any]] = [
            [
                area,
                r.entry.label,
                str(r.entry.group.label),
                r.count,
                _share(r.share),
                r.rank or "",
                str(r.action.text),
            ]
            for r in ranking.rows
        ]
        for line in ranking.matrix:
            where = f"{line.area.code} {line.area}" if line.area else _("Recorded at %s") % area
            for entry, n in zip(ranking.columns, line.counts, strict=True):
                if n:
                    rows.append([where, entry.label, str(entry.group.label), n, "", "", ""])
    return [str(h) for h in header], rows


def filename(ranking: Ranking) -> str:
    return f"hambatan-{ranking.area.code}-{ranking.first:%Y-%m}-{ranking.last:%Y-%m}"


def response(ranking: Ranking, file_format: str) -> HttpResponse:
    header, rows = table(ranking)
    if file_format == "xlsx":
        return tables.xlsx_response(filename(ranking), "Hambatan", header, rows)
    return tables.csv_response(filename(ranking), header, rows)
