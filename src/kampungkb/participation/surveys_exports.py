"""Excel files of the participation survey and the field-note matrix, headers in Bahasa
Indonesia whatever the user's language.

The survey file names no one: one row per respondent by code with the area, status, answers
and dimension scores, a sheet of scores with Cronbach's alpha and the record-based index, and
a sheet of barriers. The matrix file holds counts; the quotes (and informants' names) go into a
second sheet only for users who may read them, and that export is audited by the view.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from kampungkb.core.tables import XLSX_TYPE
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.surveys_selectors import Results


def _round(value: Any, digits: int = 1) -> Any:
    return "" if value is None else round(float(value), digits)


def workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """Several sheets in the look of ``core.tables.xlsx_bytes``."""
    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append([str(h) for h in header])
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
            width = max([len(str(name)), *(len(str(c.value or "")) for c in column)])
            sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 50)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def results_sheets(results: Results) -> list[tuple[str, list[str], list[list[Any]]]]:
    with translation.override("id"):
        codes = [item.code for item in results.items]
        dims = [str(d.label) for d in Dimension]
        head = [_("Code"), _("Area"), _("Status"), *codes, *dims]
        rows = [
            [
                r.respondent.code,
                r.respondent.area_id,
                r.respondent.get_status_display(),
                *[r.answers.get(code, "") for code in codes],
                *[_round(r.scores[d.value]) for d in Dimension],
            ]
            for r in results.rows
        ]
        score_head = [
            _("Dimension"),
            _("Items"),
            _("Respondents"),
            _("Survey score (0-100)"),
            _("Cronbach's alpha"),
            _("Respondents in alpha"),
            _("Record-based index (0-100)"),
        ]
        scores = [
            [
                d.label,
                d.items,
                d.respondents,
                _round(d.score),
                _round(d.alpha, 3),
                d.alpha_n,
                _round(d.index),
            ]
            for d in results.dimensions
        ]
        barrier_head = [_("Barrier"), _("Item"), _("Respondents"), _("Agree"), _("Share (%)")]
        barriers = [
            [b.label, b.item.code, b.respondents, b.agree, _round(b.share)]
            for b in results.barriers
        ]
        items_head = [_("Code"), _("Statement"), _("Measures"), _("Reverse-scored")]
        items = [
            [i.code, i.text, i.measures_label(), _("yes") if i.reverse else ""]
            for i in results.items
        ]
        return [
            ("Responden", head, rows),
            ("Skor", score_head, scores),
            ("Hambatan", barrier_head, barriers),
            ("Butir", items_head, items),
        ]


def results_response(results: Results) -> HttpResponse:
    survey = results.survey
    return xlsx(
        f"survei-{survey.area_id}-{survey.month:%Y-%m}-{survey.pk}",
        workbook(results_sheets(results)),
    )
