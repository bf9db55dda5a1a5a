import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from kampungkb.participation import surveys_services as services
from kampungkb.participation.models import Answer, Respondent
from kampungkb.participation.surveys_xlsform import survey_xlsform
from kampungkb.participation.tests.test_surveys_world import (  # noqa: F401 (fixture)
    draw,
    load_default_instrument,
    survey_world_fixture,
)


def both(error: ValidationError) -> list[tuple[str, str]]:
    out = []
    for message in error.messages:
        out.append(message)
    texts = []
    for item in error.error_dict["file"]:
        with translation.override("id"):
            text_id = str(item.message)
        with translation.override("en"):
            text_en = str(item.message)
        texts.append((text_id, text_en))
    return texts


def test_the_xlsform_converts_to_an_xform_with_the_codes_and_items(survey_world) -> None:
    survey = draw(survey_world, size=3)
    form = survey_xlsform(survey)
    book = load_workbook(io.BytesIO(form.content))
    assert book.sheetnames == ["survey", "choices", "settings"]
    names = [row[1] for row in book["survey"].iter_rows(min_row=2, values_only=True)]
    assert names == ["responden", "status", "grp", "i1", "i2", "i3", "a1", "a2", "c1", "b1", None]
    choices = [(r[0], r[1]) for r in book["choices"].iter_rows(min_row=2, values_only=True)]
    assert ("responden", "R001") in choices
    assert ("responden", "R003") in choices
    assert [c for c in choices if c[0] == "likert"] == [("likert", str(v)) for v in range(1, 6)]
    # The file converts by itself (what Kobo and ODK Central do on upload).
    xml = convert(xlsform=form.content, file_type=".xlsx").xform
    assert xml == form.xform
    assert "<h:title>Uji - Kota Bangun Ulu 06-2025</h:title>" in xml
    assert 'nodeset="/data/grp/i3"' in xml
    assert "Sangat tidak setuju" in xml
    assert "Dewi" not in xml  # codes only, never names


def test_the_default_instrument_converts_too(survey_world) -> None:
    survey_world.instrument = load_default_instrument()
    form = survey_xlsform(draw(survey_world, size=2))
    assert 'nodeset="/data/grp/h_kader_insentif"' in form.xform
    assert "Menurut agama saya, KB itu dilarang." in form.xform


KOBO = (
    "start;end;responden;status;grp/i1;grp/i2;grp/i3;grp/a1;grp/a2;grp/c1;grp/b1;_id;_uuid\n"
    "2025-06-02;2025-06-02;R001;answered;5;4;1;4;4;5;1;11;aa\n"
    "2025-06-02;2025-06-02;R002;answered;3;3;3;2;3;3;4;12;bb\n"
    "2025-06-02;2025-06-02;R003;refused;;;;;;;;13;cc\n"
)
ODK = (
    "SubmissionDate,responden,status,grp-i1,grp-i2,grp-i3,grp-a1,grp-a2,grp-c1,grp-b1,meta-instanceID\n"
    "2025-06-02,r004,answered,2,1,4,1,2,1,2,uuid:1\n"
    "2025-06-02,R005,not_found,,,,,,,,uuid:2\n"
)


def test_a_kobo_export_with_semicolons_is_imported(survey_world, world) -> None:
    survey = draw(survey_world, size=6)
    result = services.answers_import(
        survey=survey, content=("\ufeff" + KOBO).encode(), actor=world.user("cadre")
    )
    assert (result.rows, result.answered, result.refused, result.not_found) == (3, 2, 1, 0)
    first = survey.respondents.get(code="R001")
    assert dict(first.answers.values_list("item__code", "value")) == {
        "i1": 5,
        "i2": 4,
        "i3": 1,
        "a1": 4,
        "a2": 4,
        "c1": 5,
        "b1": 1,
    }
    assert survey.respondents.get(code="R003").status == "refused"


def test_an_odk_central_export_with_commas_and_dashes_is_imported(survey_world) -> None:
    survey = draw(survey_world, size=6)
    result = services.answers_import(survey=survey, content=ODK.encode(), actor=None)
    assert (result.answered, result.not_found) == (1, 1)
    assert survey.respondents.get(code="R004").answers.get(item__code="i3").value == 4
    assert survey.respondents.get(code="R005").status == "not_found"


def test_every_bad_row_is_reported_and_nothing_is_written(survey_world) -> None:
    survey = draw(survey_world, size=6)
    bad = (
        "responden,status,grp-i1,grp-i2,grp-i3,grp-a1,grp-a2,grp-c1,grp-b1\n"
        "R001,answered,5,4,1,4,4,5,1\n"
        "R999,answered,5,4,1,4,4,5,1\n"
        "R001,refused,,,,,,,\n"
        "R002,answered,5,4,6,4,4,,1\n"
        "R003,maybe,,,,,,,\n"
    )
    with pytest.raises(ValidationError) as caught:
        services.answers_import(survey=survey, content=bad.encode(), actor=None)
    assert [en for _id, en in both(caught.value)] == [
        "Row 3: the respondent code R999 is not in this survey.",
        "Row 4: the respondent R001 is already on row 2.",
        "Row 5: the answer to item i3 must be 1 to 5 (given: 6).",
        "Row 5: the answer to item c1 must be 1 to 5 (given: ).",
        "Row 6: the status maybe is unknown (answered, refused, not_found).",
    ]
    assert both(caught.value)[0][0] == "Baris 3: kode responden R999 tidak ada di survei ini."
    assert not Answer.objects.exists()
    assert set(Respondent.objects.values_list("status", flat=True)) == {"pending"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The CSV file is empty or has no header row."),
        (b"kode,grp/i1\nR001,4\n", "The file has no responden column (the respondent code)."),
        (b"responden,grp/i1\nR001,4\n", "The file lacks the item columns: i2, i3, a1, a2, c1, b1."),
        ("responden\n\xe9".encode("latin-1"), "The CSV file must be UTF-8 text."),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(survey_world, content, message) -> None:
    survey = draw(survey_world, size=2)
    with pytest.raises(ValidationError) as caught:
        services.answers_import(survey=survey, content=content, actor=None)
    assert [en for _id, en in both(caught.value)] == [message]
    assert not Answer.objects.exists()


def test_a_kobo_export_with_labels_is_read_too(survey_world) -> None:
    survey = draw(survey_world, size=2)
    labels = (
        "responden;status;grp/i1;grp/i2;grp/i3;grp/a1;grp/a2;grp/c1;grp/b1\n"
        "R001;answered;Sangat setuju;Setuju;Sangat tidak setuju;Ragu-ragu;Tidak setuju;"
        "Strongly agree;disagree\n"
    )
    services.answers_import(survey=survey, content=labels.encode(), actor=None)
    answers = dict(survey.respondents.get(code="R001").answers.values_list("item__code", "value"))
    assert answers == {"i1": 5, "i2": 4, "i3": 1, "a1": 3, "a2": 2, "c1": 5, "b1": 2}


@pytest.mark.parametrize("code", ["responden", "status", "grp", "start"])
def test_an_item_cannot_take_a_name_of_the_form_itself(survey_world, code) -> None:
    with pytest.raises(ValidationError) as caught:
        services.item_add(
            instrument=survey_world.instrument,
            data=services.ItemData(code=code, text="x", dimension="interest"),
            actor=None,
        )
    assert [en for _id, en in both_field(caught.value, "code")] == [
        f"The code {code} is used by the XLSForm itself; choose another code."
    ]
    assert survey_world.instrument.items.count() == 7


def both_field(error: ValidationError, field: str) -> list[tuple[str, str]]:
    texts = []
    for item in error.error_dict[field]:
        with translation.override("id"):
            text_id = str(item.message)
        with translation.override("en"):
            text_en = str(item.message)
        texts.append((text_id, text_en))
    return texts
