"""A survey's instrument as an XLSForm for KoboToolbox or ODK Collect (decision 0031).

The form asks for the respondent's code (a ``select_one`` list of the survey's codes: codes
only, no names, since the file goes onto phones), whether she was met (``status``), then every
item in the group ``grp`` as a ``select_one likert`` with the fixed five labels in Bahasa
Indonesia and English. Kobo exports the answers as ``grp/m1``, ODK Central as ``grp-m1``: the
importer (``surveys_services.answers_import``) reads both. Before it is returned the file is
converted to an XForm with pyxform, so a broken form never leaves the server.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from pyxform.xls2xform import convert

from kampungkb.participation.models import Respondent, RespondentStatus, Survey
from kampungkb.participation.surveys_services import RESPONDENT_FIELD, STATUS_FIELD

GROUP = "grp"
LIKERT_LABELS: tuple[tuple[int, str, str], ...] = (
    (1, "Sangat tidak setuju", "Strongly disagree"),
    (2, "Tidak setuju", "Disagree"),
    (3, "Ragu-ragu", "Neither agree nor disagree"),
    (4, "Setuju", "Agree"),
    (5, "Sangat setuju", "Strongly agree"),
)
STATUS_LABELS: tuple[tuple[str, str, str], ...] = (
    (RespondentStatus.ANSWERED, "Bersedia diwawancarai", "Agreed to the interview"),
    (RespondentStatus.REFUSED, "Menolak", "Refused"),
    (RespondentStatus.NOT_FOUND, "Tidak ditemukan", "Not found"),
)
ID = "label::Bahasa Indonesia (id)"
EN = "label::English (en)"


@dataclass(frozen=True)
class XlsForm:
    content: bytes  # the .xlsx
    xform: str  # the XForm XML pyxform made of it
    form_id: str

    @property
    def filename(self) -> str:
        return f"{self.form_id}.xlsx"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)


def survey_xlsform(survey: Survey) -> XlsForm:
    items = list(survey.instrument.items.order_by("order", "pk"))
    codes = list(
        Respondent.objects.filter(survey=survey).order_by("position").values_list("code", flat=True)
    )
    form_id = f"kampungkb_survei_{survey.pk}"
    survey_rows: list[list[Any]] = [
        [
            "select_one responden",
            RESPONDENT_FIELD,
            "Kode responden",
            "Respondent code",
            "yes",
            "",
            "minimal",
        ],
        [
            "select_one status",
            STATUS_FIELD,
            "Apakah responden ditemui dan bersedia diwawancarai?",
            "Was the respondent met and willing to be interviewed?",
            "yes",
            "",
            "",
        ],
        [
            "begin_group",
            GROUP,
            "Pernyataan",
            "Statements",
            "",
            f"${{{STATUS_FIELD}}} = '{RespondentStatus.ANSWERED.value}'",
            "field-list",
        ],
    ]
    for item in items:
        survey_rows.append(
            [
                "select_one likert",
                item.code,
                item.text,
                item.text_en or item.text,
                "yes",
                "",
                "likert",
            ]
        )
    survey_rows.append(["end_group", "", "", "", "", "", ""])
    choices: list[list[Any]] = [["likert", str(v), id_, en] for v, id_, en in LIKERT_LABELS]
    choices += [["status", str(v), id_, en] for v, id_, en in STATUS_LABELS]
    choices += [["responden", code, code, code] for code in codes]
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    _sheet(
        book,
        "survey",
        ["type", "name", ID, EN, "required", "relevant", "appearance"],
        survey_rows,
    )
    _sheet(book, "choices", ["list_name", "name", ID, EN], choices)
    title = f"{survey.instrument.name} - {survey.area.name} {survey.month:%m-%Y}"
    _sheet(
        book,
        "settings",
        ["form_title", "form_id", "version", "default_language"],
        [[title, form_id, f"{survey.instrument.version}.{survey.pk}", "Bahasa Indonesia (id)"]],
    )
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()
    # Raises PyXFormError on a form Kobo or ODK would refuse.
    result = convert(xlsform=content, file_type=".xlsx", form_name="data")
    return XlsForm(content=content, xform=result.xform, form_id=form_id)
