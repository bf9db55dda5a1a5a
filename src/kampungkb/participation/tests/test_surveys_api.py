import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyxform.xls2xform import convert

from kampungkb.participation.models import Answer, FieldNote, Instrument, Survey
from kampungkb.participation.tests.test_notes import notes_fixture  # noqa: F401 (fixture)
from kampungkb.participation.tests.test_surveys_scores import (  # noqa: F401 (fixture)
    ANSWERS,
    answered_fixture,
)
from kampungkb.participation.tests.test_surveys_world import (  # noqa: F401 (fixture)
    draw,
    survey_world_fixture,
)
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, RT, VILLAGE, VILLAGE_2

API = "/api/participation"


def body(response) -> dict:
    return json.loads(response.content)


def post(client, url: str, payload: dict):
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_instruments_are_read_by_all_and_written_by_the_district(api_as, survey_world) -> None:
    listed = body(api_as("partner").get(f"{API}/instruments"))
    uji = next(i for i in listed if i["name"] == "Uji")
    assert [i["code"] for i in uji["items"]] == ["i1", "i2", "i3", "a1", "a2", "c1", "b1"]
    assert uji["items"][2]["reverse"] is True
    assert post(api_as("cadre"), f"{API}/instruments", {"name": "Baru"}).status_code == 404
    assert post(api_as("partner"), f"{API}/instruments", {"name": "Baru"}).status_code == 404
    assert not Instrument.objects.filter(name="Baru").exists()
    district = api_as("district")
    created = post(district, f"{API}/instruments", {"name": "Baru", "description": "Uji API"})
    assert created.status_code == 201
    pk = body(created)["id"]
    item = post(
        district,
        f"{API}/instruments/{pk}/items",
        {"code": "m1", "text": "Saya ingin tahu KB.", "dimension": "interest"},
    )
    assert item.status_code == 201
    both = post(
        district,
        f"{API}/instruments/{pk}/items",
        {"code": "m2", "text": "Dua", "dimension": "interest", "barrier": "cost"},
    )
    assert both.status_code == 422
    assert (
        body(both)["errors"][0]["message_en"] == "Choose one dimension or one barrier (not both)."
    )
    item_id = body(item)["id"]
    changed = district.put(
        f"{API}/instrument-items/{item_id}",
        json.dumps({"code": "m1", "text": "Saya ingin tahu.", "barrier": "no_information"}),
        content_type="application/json",
    )
    assert body(changed)["barrier"] == "no_information"
    assert district.delete(f"{API}/instrument-items/{item_id}").status_code == 204
    copy = district.post(f"{API}/instruments/{pk}/copy")
    assert (copy.status_code, body(copy)["version"]) == (201, 2)


def test_a_survey_is_drawn_and_read_by_the_api(api_as, survey_world) -> None:
    payload = {
        "instrument_id": survey_world.instrument.pk,
        "area": VILLAGE,
        "month": "2025-06",
        "sample_size": 3,
        "seed": 11,
        "drawn_on": "2025-06-01",
    }
    assert post(api_as("partner"), f"{API}/surveys", payload).status_code == 404
    assert post(api_as("other_district"), f"{API}/surveys", payload).status_code == 404
    too_many = post(api_as("cadre"), f"{API}/surveys", {**payload, "sample_size": 50})
    assert too_many.status_code == 422
    assert body(too_many)["errors"][0]["message_id"] == (
        "Sampel 50 lebih besar dari jumlah PUS di wilayah ini pada tanggal itu (6)."
    )
    assert not Survey.objects.exists()
    created = post(api_as("cadre"), f"{API}/surveys", payload)
    assert created.status_code == 201
    out = body(created)
    assert (out["sample_size"], out["population"], out["seed"], out["month"]) == (
        3,
        6,
        11,
        "2025-06",
    )
    listed = body(api_as("partner").get(f"{API}/surveys?area={KAB}"))
    assert [s["id"] for s in listed] == [out["id"]]
    assert api_as("other_district").get(f"{API}/surveys?area={KAB}").status_code == 404
    assert api_as("other_district").get(f"{API}/surveys/{out['id']}").status_code == 404


def test_scores_for_everyone_and_names_only_for_named_roles(api_as, answered) -> None:
    out = body(api_as("viewer").get(f"{API}/surveys/{answered.pk}"))
    interest = out["dimensions"][0]
    assert interest["dimension"] == "interest"
    assert interest["score"] == pytest.approx(60.4167, abs=1e-4)
    assert interest["alpha"] == pytest.approx(0.9458, abs=1e-4)
    assert interest["index"] is None
    assert (out["answered"], out["refused"]) == (4, 1)
    assert out["barriers"] == [
        {"barrier": "religious_belief", "item": "b1", "respondents": 4, "agree": 2, "share": 50.0}
    ]
    assert api_as("partner").get(f"{API}/surveys/{answered.pk}/respondents").status_code == 404
    names = body(api_as("cadre").get(f"{API}/surveys/{answered.pk}/respondents"))
    assert [r["code"] for r in names] == ["R001", "R002", "R003", "R004", "R005", "R006"]
    # The RT cadre does not see a survey of the whole village.
    assert api_as("cadre_rt").get(f"{API}/surveys/{answered.pk}").status_code == 404


def test_answers_import_and_xlsform_by_the_api(api_as, survey_world) -> None:
    survey = draw(survey_world, size=3)
    url = f"{API}/surveys/{survey.pk}/respondents/R001/answers"
    answers = {"status": "answered", "answers": ANSWERS[0]}
    assert post(api_as("partner"), url, answers).status_code == 404
    missing = post(api_as("cadre"), url, {"status": "answered", "answers": {"i1": 5}})
    assert missing.status_code == 422
    assert not Answer.objects.exists()
    answered_now = post(api_as("cadre"), url, answers)
    assert body(answered_now)["status"] == "answered"
    assert Answer.objects.count() == 7
    csv = b"responden,status\nR002,refused\nR003,not_found\n"
    imported = api_as("cadre").post(
        f"{API}/surveys/{survey.pk}/import", {"file": SimpleUploadedFile("x.csv", csv)}
    )
    assert imported.status_code == 422  # the item columns are missing
    full = (
        b"responden,status,g-i1,g-i2,g-i3,g-a1,g-a2,g-c1,g-b1\nR002,refused,,,,,,,\n"
        b"R003,answered,1,2,3,4,5,1,2\n"
    )
    imported = api_as("cadre").post(
        f"{API}/surveys/{survey.pk}/import", {"file": SimpleUploadedFile("x.csv", full)}
    )
    assert body(imported) == {"rows": 2, "answered": 1, "refused": 1, "not_found": 0}
    xlsform = api_as("cadre").get(f"{API}/surveys/{survey.pk}/xlsform")
    assert xlsform.status_code == 200
    assert "/data/grp/b1" in convert(xlsform=xlsform.content, file_type=".xlsx").xform
    assert api_as("partner").get(f"{API}/surveys/{survey.pk}/xlsform").status_code == 404


def test_field_notes_by_the_api(api_as, notes) -> None:
    assert api_as("partner").get(f"{API}/notes?area={VILLAGE}").status_code == 404
    listed = body(api_as("cadre").get(f"{API}/notes?area={VILLAGE}&code=interest"))
    assert [(n["text"], n["informant_name"]) for n in listed] == [("Kutipan 2", "Ustadz Hasan")]
    matrix = body(api_as("partner").get(f"{API}/notes/matrix?area={KEC}"))
    assert matrix["notes"] == 3
    assert matrix["totals"]["interest"] == 2
    rows = {r["area"]: r for r in matrix["rows"]}
    assert rows[VILLAGE_2]["counts"]["myth_many_children"] == 1
    assert "Kutipan" not in json.dumps(matrix)
    assert api_as("partner").get(f"{API}/notes/matrix?area={OTHER_KAB}").status_code == 404
    payload = {
        "area": RT,
        "noted_on": "2025-05-09",
        "kind": "interview",
        "informant_role": "husband",
        "text": "Saya malu kalau ikut KB pria.",
        "codes": ["husband_objects"],
    }
    assert post(api_as("partner"), f"{API}/notes", payload).status_code == 404
    bad = post(api_as("cadre"), f"{API}/notes", {**payload, "codes": ["nonsense"]})
    assert bad.status_code == 422
    created = post(api_as("cadre_rt"), f"{API}/notes", payload)
    assert created.status_code == 201
    pk = body(created)["id"]
    assert api_as("partner").get(f"{API}/notes/{pk}").status_code == 404
    assert api_as("other_cadre").get(f"{API}/notes/{pk}").status_code == 404
    changed = api_as("cadre").put(
        f"{API}/notes/{pk}",
        json.dumps({**payload, "codes": ["husband_objects", "interest"]}),
        content_type="application/json",
    )
    assert body(changed)["codes"] == ["husband_objects", "interest"]
    assert api_as("other_district").delete(f"{API}/notes/{pk}").status_code == 404
    assert api_as("cadre").delete(f"{API}/notes/{pk}").status_code == 204
    assert not FieldNote.objects.filter(pk=pk).exists()


def test_session_auth_works_too(api_as, survey_world) -> None:
    assert api_as("district", "session").get(f"{API}/instruments").status_code == 200
