"""The Excel file of yearly targets: the template offered for download (pre-filled with an area's
sub-areas and their targets) and the reading of a filled file. The headings are the programme's
own words, in Bahasa Indonesia whatever the UI language, so one file serves every office."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from kampungkb.indicators.errors import TargetProblem

CODE, NAME, YEAR, PA, PB = "kode wilayah", "nama wilayah", "tahun", "PPM-PA", "PPM-PB"
COLUMNS = (CODE, NAME, YEAR, PA, PB)
REQUIRED = (CODE, YEAR, PA, PB)
MAX_ROWS = 100_000  # the nation's villages, kecamatan and kabupaten fit
MAX_MEGABYTES = 10
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SheetRow:
    """One data row as found in the sheet: ``row`` is its row number in Excel (headings are
    row 1); the other cells are as typed, checked by the import service."""

    row: int
    area_code: str
    year: Any
    pa: Any
    pb: Any


@dataclass(frozen=True)
class TemplateRow:
    area_code: str
    area_name: str
    year: int
    pa: int | None
    pb: int | None


class FileRefused(Exception):
    def __init__(self, problem: TargetProblem, **params: Any) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params = params


def _heading(value: Any) -> str:
    return " ".join(str(value or "").split()).lower()


def _code(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _blank(values: Iterable[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def read(file: IO[bytes], *, size: int | None = None) -> list[SheetRow]:
    """The data rows of the first sheet; ``FileRefused`` when the file is not a readable sheet
    with the headings, or holds no rows or too many."""
    if size is not None and size > MAX_MEGABYTES * 1024 * 1024:
        raise FileRefused(TargetProblem.FILE_TOO_LARGE, max=MAX_MEGABYTES)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRefused(TargetProblem.FILE_UNREADABLE) from exc
    try:
        return _rows(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def _rows(cells: Iterable[tuple[Any, ...]]) -> list[SheetRow]:
    rows = iter(cells)
    headings = [_heading(v) for v in next(rows, ())]
    wanted = {_heading(c): c for c in REQUIRED}
    if not set(wanted) <= set(headings):
        raise FileRefused(TargetProblem.FILE_HEADER, columns=", ".join(COLUMNS))
    at = {wanted[h]: i for i, h in enumerate(headings) if h in wanted}
    found: list[SheetRow] = []
    for number, values in enumerate(rows, start=2):
        padded = (*values, *([None] * len(headings)))
        if _blank(padded[: len(headings)]):
            continue
        if len(found) == MAX_ROWS:
            raise FileRefused(TargetProblem.FILE_TOO_LONG, max=MAX_ROWS)
        found.append(
            SheetRow(
                row=number,
                area_code=_code(padded[at[CODE]]),
                year=padded[at[YEAR]],
                pa=padded[at[PA]],
                pb=padded[at[PB]],
            )
        )
    if not found:
        raise FileRefused(TargetProblem.FILE_EMPTY)
    return found


def template(rows: Iterable[TemplateRow], *, title: str) -> bytes:
    """The template: the headings and one row per area, its code stored as text."""
    book = Workbook()
    sheet = book.create_sheet(title[:31], 0)
    book.remove(book.worksheets[1])  # the empty sheet a new workbook starts with
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.area_code, row.area_name, row.year, row.pa, row.pb])
    for cell in sheet["A"][1:]:
        cell.number_format = "@"
    for column, width in zip("ABCDE", (18, 36, 8, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
