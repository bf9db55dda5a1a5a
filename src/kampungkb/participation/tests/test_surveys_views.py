import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from kampungkb.participation import surveys_services as services
from kampungkb.participation.models import Answer, Instrument, Item, Survey
from kampungkb.participation.tests.test_surveys_scores import (  # noqa: F401 (fixture)
    ANSWERS,
    answered_fixture,
)
from kampungkb.participation.tests.test_surveys_world import (  # noqa: F401 (fixture)
    draw,
    survey_world_fixture,
)
from kampungkb.testing.world import AGGREGATE_AREAS, USERS, VILLAGE

ALL_USERS = tuple(USERS)
# Who reads a survey of Kota Bangun Ulu: everyone but the RT cadre and Lombok Timur.
READS_VILLAGE = {"admin", "district", "pkb", "cadre", "partner", "viewer"}
ANSWERS_VILLAGE = {"admin", "district", "pkb", "cadre"}
BUILDERS = {"admin", "district", "other_district"}


def html(response) -> str:
    return response.content.decode()


# -- Instruments --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_every_role_reads_instruments_and_only_the_district_builds(
    client_for, survey_world, username
) -> None:
    client = client_for(username)
    instrument = survey_world.instrument
    assert client.get(reverse("participation:instruments")).status_code == 200
    page = client.get(reverse("participation:instrument", args=[instrument.pk]))
    assert page.status_code == 200
    assert 'id="item-i3"' in html(page)
    create = client.post(reverse("participation:instrument_create"), {"name": "Baru"})
    item = client.post(
        reverse("participation:item_add", args=[instrument.pk]),
        {"code": "k9", "text": "Saya ikut.", "measures": "dimension:contribution"},
    )
    if username in BUILDERS:
        assert create.status_code == 302
        assert item.status_code == 302
        assert Instrument.objects.filter(name="Baru").exists()
        assert instrument.items.filter(code="k9", dimension="contribution").exists()
    else:
        assert create.status_code == 404
        assert item.status_code == 404
        assert not Instrument.objects.filter(name="Baru").exists()
        assert not instrument.items.filter(code="k9").exists()


def test_anonymous_is_sent_to_sign_in(client, survey_world) -> None:
    for url in (
        reverse("participation:instruments"),
        reverse("participation:surveys"),
        reverse("participation:notes"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_builder_edits_moves_deletes_and_copies(client_for, survey_world) -> None:
    client = client_for("district")
    instrument = survey_world.instrument
    i1 = instrument.items.get(code="i1")
    response = client.post(
        reverse("participation:item_edit", args=[i1.pk]),
        {
            "code": "i1",
            "text": "Saya tertarik.",
            "text_en": "I am interested.",
            "measures": "dimension:interest",
            "reverse": "",
        },
    )
    assert response.status_code == 302
    i1.refresh_from_db()
    assert (i1.text, i1.text_en) == ("Saya tertarik.", "I am interested.")
    client.post(reverse("participation:item_move", args=[i1.pk]), {"step": "down"})
    assert list(instrument.items.order_by("order").values_list("code", flat=True))[:2] == [
        "i2",
        "i1",
    ]
    b1 = instrument.items.get(code="b1")
    client.post(reverse("participation:item_delete", args=[b1.pk]))
    assert not instrument.items.filter(code="b1").exists()
    response = client.post(reverse("participation:instrument_copy", args=[instrument.pk]))
    copy = Instrument.objects.get(name="Uji", version=2)
    assert response["Location"] == reverse("participation:instrument", args=[copy.pk])
    bad = client.post(
        reverse("participation:item_add", args=[instrument.pk]),
        {"code": "i2", "text": "Dua kali", "measures": "dimension:interest"},
    )
    assert bad.status_code == 200
    assert "i2" in html(bad)
    assert instrument.items.filter(code="i2").count() == 1


def test_a_frozen_instrument_offers_only_a_copy(client_for, answered, survey_world) -> None:
    client = client_for("district")
    instrument = survey_world.instrument
    page = html(client.get(reverse("participation:instrument", args=[instrument.pk])))
    assert 'id="frozen"' in page
    assert reverse("participation:item_add", args=[instrument.pk]) not in page
    i1 = instrument.items.get(code="i1")
    client.post(reverse("participation:item_delete", args=[i1.pk]))
    assert instrument.items.filter(code="i1").exists()


# -- Surveys ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_every_role_sees_the_survey_list_of_its_areas(client_for, survey_world, username) -> None:
    draw(survey_world, size=2)
    seen, unseen = AGGREGATE_AREAS[username]
    client = client_for(username)
    url = reverse("participation:surveys")
    assert client.get(f"{url}?area={seen}").status_code == 200
    if unseen is not None:
        assert client.get(f"{url}?area={unseen}").status_code == 404


@pytest.mark.parametrize("username", ALL_USERS)
def test_every_role_on_the_survey_page(client_for, answered, username) -> None:
    client = client_for(username)
    url = reverse("participation:survey", args=[answered.pk])
    response = client.get(url)
    if username not in READS_VILLAGE:
        assert response.status_code == 404
        assert client.get(f"{url}?format=xlsx").status_code == 404
        return
    assert response.status_code == 200
    page = html(response)
    assert 'id="score-interest"' in page
    assert "60.4" in page or "60,4" in page
    if username in ("partner", "viewer"):
        assert "Dewi" not in page
        assert 'id="respondents"' not in page
    else:
        assert 'id="respondents"' in page
        assert "Dewi" in page or "Siti Aminah" in page
    xlsform = client.get(reverse("participation:survey_xlsform", args=[answered.pk]))
    assert xlsform.status_code == (200 if username in ANSWERS_VILLAGE else 404)


def test_the_survey_page_shows_the_index_side_by_side(client_for, answered) -> None:
    from decimal import Decimal

    from kampungkb.indicators.models import Fact

    Fact.objects.create(
        indicator="PI_INTEREST",
        area_code=VILLAGE,
        level=4,
        period=answered.month,
        numerator=Decimal("64.3"),
    )
    page = html(client_for("partner").get(reverse("participation:survey", args=[answered.pk])))
    row = page.split('id="score-interest"')[1].split("</tr>")[0]
    assert "64.3" in row or "64,3" in row
    assert "0.95" in row or "0,95" in row
    missing = page.split('id="score-activeness"')[1].split("</tr>")[0]
    assert "belum dihitung" in missing or "not computed yet" in missing


def test_the_survey_page_and_list_have_fixed_queries(
    client_for, answered, django_assert_num_queries
) -> None:
    client = client_for("cadre")
    url = reverse("participation:survey", args=[answered.pk])
    client.get(url)
    with django_assert_num_queries(9):
        client.get(url)
    list_url = f"{reverse('participation:surveys')}?area={VILLAGE}"
    with django_assert_num_queries(7):
        client.get(list_url)


def test_the_results_file_names_no_one(client_for, answered) -> None:
    response = client_for("partner").get(
        reverse("participation:survey", args=[answered.pk]) + "?format=xlsx"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Responden", "Skor", "Hambatan", "Butir"]
    rows = list(book["Responden"].iter_rows(values_only=True))
    assert rows[1][:2] == ("R001", answered.respondents.get(code="R001").area_id)
    assert rows[1][3:10] == (5, 4, 1, 4, 4, 5, 1)
    assert round(rows[1][10], 1) == 91.7
    assert all("Dewi" not in str(cell) for row in rows for cell in row)
    scores = list(book["Skor"].iter_rows(values_only=True))
    assert scores[1][1:6] == (3, 4, 60.4, 0.946, 4)


def test_drawing_a_sample_from_the_page(client_for, survey_world) -> None:
    url = f"{reverse('participation:survey_create')}?area={VILLAGE}"
    assert client_for("partner").get(url).status_code == 404
    assert client_for("other_cadre").get(url).status_code == 404
    client = client_for("cadre")
    assert client.get(url).status_code == 200
    form = {
        "instrument": survey_world.instrument.pk,
        "month": "2025-06",
        "sample_size": "9",
        "draw": "wife",
        "seed": "5",
        "drawn_on": "2025-06-01",
    }
    too_many = client.post(url, form)
    assert too_many.status_code == 200
    assert "(6)" in html(too_many)
    assert not Survey.objects.exists()
    response = client.post(url, {**form, "sample_size": "3"})
    survey = Survey.objects.get()
    assert response["Location"] == reverse("participation:survey", args=[survey.pk])
    assert (survey.sample_size, survey.seed, survey.respondents.count()) == (3, 5, 3)


def test_answering_on_the_phone_form(client_for, survey_world) -> None:
    survey = draw(survey_world, size=2)
    first, second = survey.respondents.order_by("position")
    url = reverse("participation:survey_answer", args=[survey.pk, first.pk])
    for username in ("partner", "viewer", "other_cadre", "other_district"):
        assert (
            client_for(username).post(url, {"status": "answered", **ANSWERS[0]}).status_code == 404
        )
    assert not Answer.objects.exists()
    client = client_for("cadre")
    page = html(client.get(url))
    assert page.count('type="radio"') == 7 * 5 + 3
    missing = client.post(url, {"status": "answered", **{**ANSWERS[0], "c1": ""}})
    assert missing.status_code == 200
    assert not Answer.objects.exists()
    response = client.post(url, {"status": "answered", **ANSWERS[0]})
    assert response["Location"] == reverse(
        "participation:survey_answer", args=[survey.pk, second.pk]
    )
    assert dict(first.answers.values_list("item__code", "value")) == ANSWERS[0]
    response = client.post(
        reverse("participation:survey_answer", args=[survey.pk, second.pk]), {"status": "refused"}
    )
    assert response["Location"] == reverse("participation:survey", args=[survey.pk])
    second.refresh_from_db()
    assert second.status == "refused"


def test_importing_a_csv_from_the_page(client_for, survey_world) -> None:
    survey = draw(survey_world, size=2)
    url = reverse("participation:survey_import", args=[survey.pk])
    content = (
        b"responden;status;grp/i1;grp/i2;grp/i3;grp/a1;grp/a2;grp/c1;grp/b1\n"
        b"R001;answered;5;4;1;4;4;5;1\nR002;answered;5;4;9;4;4;5;1\n"
    )
    assert (
        client_for("partner").post(url, {"file": SimpleUploadedFile("a.csv", content)}).status_code
        == 404
    )
    client = client_for("cadre")
    bad = client.post(url, {"file": SimpleUploadedFile("a.csv", content)})
    assert bad.status_code == 200
    assert "Baris 3" in html(bad) or "Row 3" in html(bad)
    assert not Answer.objects.exists()
    good = content.replace(b";9;", b";2;")
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", good)})
    assert response.status_code == 302
    assert Answer.objects.count() == 14
    assert services.is_frozen(survey_world.instrument)
    assert Item.objects.filter(instrument=survey_world.instrument).count() == 7


def test_instrument_pages_have_fixed_queries(
    client_for, survey_world, django_assert_num_queries
) -> None:
    from kampungkb.participation.tests.test_surveys_world import load_default_instrument

    load_default_instrument()
    client = client_for("district")
    detail = reverse("participation:instrument", args=[survey_world.instrument.pk])
    listing = reverse("participation:instruments")
    client.get(detail)
    with django_assert_num_queries(6):
        client.get(detail)
    with django_assert_num_queries(4):
        client.get(listing)


def test_the_answer_page_has_fixed_queries(
    client_for, survey_world, django_assert_num_queries
) -> None:
    survey = draw(survey_world, size=2)
    first = survey.respondents.get(position=1)
    url = reverse("participation:survey_answer", args=[survey.pk, first.pk])
    client = client_for("cadre")
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
