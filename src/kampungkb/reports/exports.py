"""The monthly recap as files: CSV, JSON, Excel and PDF, the same rows as the page. The data files
go to the district's spreadsheets and scripts, so their labels are in Bahasa Indonesia whatever
the user's language; the PDF (``pdf.py``) is a document to read and sign, in the reader's language
(decision 0017). Aggregates only: no names, so no audit event is needed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from kampungkb.core.tables import XLSX_TYPE
from kampungkb.indicators.registry import Unit, indicator
from kampungkb.regions.models import Level
from kampungkb.reports.pdf import recap_pdf
from kampungkb.reports.selectors import CODES, COLUMNS, Recap, RecapRow

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": XLSX_TYPE,
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)

_PLACES = {
    Unit.COUNT: Decimal(1),
    Unit.PERCENT: Decimal("0.1"),
    Unit.PER_100: Decimal("0.1"),
    Unit.SCORE: Decimal("0.1"),
    Unit.CYP: Decimal("0.01"),
}
_NUMBER_FORMATS = {
    Unit.COUNT: "#,##0",
    Unit.PERCENT: "0.0",
    Unit.PER_100: "0.0",
    Unit.SCORE: "0.0",
    Unit.CYP: "#,##0.00",
}


def rounded(code: str, value: Decimal | None) -> Decimal | None:
    """The figure as shown: counts whole, percentages with one decimal, CYP with two."""
    if value is None:
        return None
    return value.quantize(_PLACES[indicator(code).unit], rounding=ROUND_HALF_UP)


def _number(code: str, value: Decimal | None) -> int | float | None:
    shown = rounded(code, value)
    if shown is None:
        return None
    return int(shown) if indicator(code).unit == Unit.COUNT else float(shown)


def filename(recap: Recap, extension: str) -> str:
    return f"rekap-{recap.area.code}-{recap.period:%Y-%m}.{extension}"


def _header() -> list[str]:
    return [_("Area code"), _("Area"), *(str(c.label) for c in COLUMNS)]


def _period(recap: Recap) -> str:
    return date_format(recap.period, "F Y")


def recap_csv(recap: Recap) -> bytes:
    with translation.override("id"):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(_header())
        for row in [*recap.rows, recap.total]:
            name = _("Total") if row is recap.total else str(row.area)
            values = [rounded(code, v) for code, v in zip(CODES, row.cells(), strict=True)]
            writer.writerow([row.area.code, name, *("" if v is None else v for v in values)])
    # A byte-order mark, so Excel opens the names with their accents correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _json_row(row: RecapRow) -> dict[str, Any]:
    return {
        "code": row.area.code,
        "name": str(row.area),
        "values": {code: _number(code, v) for code, v in zip(CODES, row.cells(), strict=True)},
    }


def recap_data(recap: Recap) -> dict[str, Any]:
    """The recap as JSON data (the JSON file and ``GET /api/reports/recap``), labels in Bahasa
    Indonesia."""
    with translation.override("id"):
        return {
            "area": {"code": recap.area.code, "name": str(recap.area), "level": recap.area.level},
            "month": f"{recap.period:%Y-%m}",
            "columns": [{"code": c.code.value, "label": str(c.label)} for c in COLUMNS],
            "rows": [_json_row(r) for r in recap.rows],
            "total": _json_row(recap.total),
        }


def recap_json(recap: Recap) -> bytes:
    return json.dumps(recap_data(recap), ensure_ascii=False, indent=2).encode("utf-8")


HEADER_ROW = 5


def _sheet(sheet: Worksheet, recap: Recap, title: str, rows: Iterable[RecapRow]) -> None:
    sheet.title = title[:31]
    sheet.append([_("Monthly family planning recap")])
    sheet.append([_("Area"), f"{recap.area} ({recap.area.code})"])
    sheet.append([_("Period"), _period(recap)])
    sheet.append([])
    sheet.append(_header())
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="017FC0")
    lines = [(row, str(row.area)) for row in rows]
    lines.append((recap.total, _("Total")))
    for row, name in lines:
        figures = (_number(c, v) for c, v in zip(CODES, row.cells(), strict=True))
        sheet.append([row.area.code, name, *figures])
        for code, cell in zip(CODES, sheet[sheet.max_row][2:], strict=True):
            cell.number_format = _NUMBER_FORMATS[indicator(code).unit]
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    widths = [14, max([12, *(len(name) for _row, name in lines)]), *(len(h) for h in _header()[2:])]
    header = sheet.iter_cols(min_row=HEADER_ROW, max_row=HEADER_ROW)
    for column, width in zip(header, widths, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 40)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)


def _level_title(level: int) -> str:
    # A sheet's name may not hold a slash ("Desa/Kelurahan").
    return str(Level(level).label).replace("/", "-")


def recap_xlsx(recap: Recap, villages: list[RecapRow] | None = None) -> bytes:
    """One sheet per level: the requested area's sub-areas, and for a kabupaten a second sheet
    with all its villages (``villages``)."""
    with translation.override("id"):
        book = Workbook()
        first = book.worksheets[0]
        child_level = recap.rows[0].area.level if recap.rows else recap.area.level
        _sheet(first, recap, _level_title(child_level), recap.rows)
        if villages is not None:
            _sheet(book.create_sheet(), recap, _level_title(Level.VILLAGE), villages)
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def recap_file(
    recap: Recap,
    file_format: str,
    villages: list[RecapRow] | None = None,
    *,
    language: str | None = None,
) -> bytes:
    """The recap in ``file_format``; ``language`` is the PDF's (the active language when None),
    the other formats are always in Bahasa Indonesia."""
    if file_format == "csv":
        return recap_csv(recap)
    if file_format == "json":
        return recap_json(recap)
    if file_format == "pdf":
        return recap_pdf(recap, language=language)
    return recap_xlsx(recap, villages)
