"""Lists as files: one header and rows of values, written as CSV or as a formatted Excel sheet.

Every list of the system exports through these two functions, so that the files look the same
everywhere: a bold coloured header, frozen, dates as DD-MM-YYYY, columns wide enough to read.
Callers build the header in Bahasa Indonesia (``translation.override("id")``): exports go to the
district's spreadsheets and reports whatever the user's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return value


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for line in rows:
        writer.writerow([_cell_text(v) for v in line])
    # A byte-order mark, so Excel opens the names with their accents correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]  # title, header, rows


def xlsx_bytes(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return xlsx_book_bytes([(title, header, rows)])


def xlsx_book_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One workbook of several lists, a sheet each, formatted alike."""
    book = Workbook()
    first = book.active
    assert first is not None  # noqa: S101 - a new workbook always has its first sheet
    book.remove(first)
    for title, header, rows in sheets:
        # Excel refuses some characters in a sheet's title, and more than 31 of them.
        sheet = book.create_sheet(re.sub(r"[\\/?*\[\]:]", " ", title).strip()[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="017FC0")
        for line in rows:
            sheet.append(list(line))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
        for column, name in zip(sheet.columns, header, strict=False):
            width = max([len(name), *(len(str(c.value or "")) for c in column)])
            sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 40)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> HttpResponse:
    return xlsx_book_response(filename, [(title, header, rows)])


def xlsx_book_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_book_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
