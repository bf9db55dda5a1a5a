"""The child-growth pages, tried by every role of the shared world on the children of
``growth_world`` (on the fixed day ``ON``). Sentences are checked in English (the language
cookie), figures and names in any language."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from kampungkb.core.models import AuditEvent
from kampungkb.core.tables import XLSX_TYPE
from kampungkb.families.models import Person, Relation, Sex
from kampungkb.families.services import PersonData, person_add
from kampungkb.stunting.exports import CHILD_COLUMNS
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.stunting.tests.growth_world import ON, Kids, kids_fixture, measure  # noqa: F401 - the "kids" fixture
from kampungkb.testing.world import KEC, RT, USERS, World

pytestmark = pytest.mark.django_db

LIST = reverse("stunting:children")
DAY = {"on": ON.isoformat()}
ALL_USERS = tuple(USERS)
VILLAGE_WRITERS = ("admin", "district", "pkb", "cadre")
NOT_FOUND = ("partner", "viewer", "other_district", "other_cadre")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response: Any) -> str:
    return response.content.decode()


def child_url(child: Person) -> str:
    return reverse("stunting:child", args=[child.pk])


def names(response: Any) -> list[str]:
    page = response.context.get("page")
    return [] if page is None else [row.child.full_name for row in page.object_list]


def count() -> tuple[int, int]:
    return ChildMeasurement.objects.count(), AuditEvent.objects.count()


POST = {
    "measured_on": "2026-07-02",
    "weight_kg": "8.8",
    "length_or_height_cm": "73.0",
    "position": "lying",
    "place": "Posyandu Melati",
}


# -- The child's page -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_child_page_by_role(kids: Kids, client_for: Any, username: str) -> None:
    response = client_for(username).get(child_url(kids.bayu))
    if username in NOT_FOUND:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.measurement.measured_on.isoformat() for r in rows] == [
        "2026-03-10",
        "2026-06-05",
        "2026-06-20",
    ]
    # Under 5 today and in the writer's area: the form is there.
    assert response.context["can_record"] is True


def test_the_rt_cadre_does_not_find_a_child_of_another_rt(kids: Kids, client_for: Any) -> None:
    assert client_for("cadre_rt").get(child_url(kids.dimas)).status_code == 404
    assert client_for("cadre").get(child_url(kids.dimas)).status_code == 200


def test_child_page_shows_z_scores_statuses_and_chart_data(kids: Kids, client_for: Any) -> None:
    response = english(client_for("cadre")).get(child_url(kids.bayu))
    body = text(response)
    assert '<tr id="measurement-' in body
    assert "-3.35" in body and "severely stunted" in body
    charts = response.context["chart_data"]["charts"]
    assert [c["chart"] for c in charts] == ["lhfa", "wfa"]
    assert charts[0]["points"] == [
        {"x": 13.77, "y": 70.0},
        {"x": 16.62, "y": 72.0},
        {"x": 17.12, "y": 72.5},
    ]
    assert charts[1]["points"][-1] == {"x": 17.12, "y": 8.7}
    assert charts[0]["months"] == list(range(61))
    # "Length-for-age BOYS" 12 months: -3 SD 68.6, -2 SD 71.0, median 75.7.
    assert [charts[0]["curves"][c][12] for c in ("SD3neg", "SD2neg", "SD0")] == [68.6, 71.0, 75.7]
    # The chart's data as a table, for a page without JavaScript.
    row = response.context["rows"][-1]
    assert (row.length_cm, row.length_reference["SD2neg"], row.weight_reference["SD0"]) == (
        D("72.5"),
        D("76.1"),
        D("10.8"),
    )
    assert 'id="length-data"' in body and "growth.js" in body


def test_dimas_measured_lying_at_24_months_is_charted_07_cm_shorter(
    kids: Kids, client_for: Any
) -> None:
    response = client_for("cadre").get(child_url(kids.dimas))
    assert response.context["chart_data"]["charts"][0]["points"][-1] == {"x": 24.05, "y": 79.3}
    body = text(english(client_for("cadre")).get(child_url(kids.dimas)))
    assert "oedema: refer to the puskesmas" in body and "underweight" in body


def test_a_child_without_measurements_has_no_chart(
    kids: Kids, world: World, client_for: Any
) -> None:
    baby = person_add(
        family=world.family,
        data=PersonData(
            full_name="Bulan",
            sex=Sex.FEMALE,
            birth_date=dt.date(2026, 5, 1),
            relation_to_head=Relation.CHILD,
        ),
        actor=None,
    )
    body = text(english(client_for("cadre")).get(child_url(baby)))
    assert "No measurement recorded yet." in body and "growth-charts" not in body


def test_a_child_of_5_or_more_has_no_form(kids: Kids, client_for: Any) -> None:
    rizky = Person.objects.get(full_name="Rizky Pratama")
    response = english(client_for("cadre")).get(child_url(rizky))
    assert response.context["can_record"] is False
    assert 'id="not-under-five"' in text(response)


# Session, user, scope; the child with family and areas; the area path; the measurements.
CHILD_QUERIES = 6


@pytest.mark.parametrize("extra", [0, 5])
def test_child_page_query_count_is_pinned(
    kids: Kids, client_for: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for day in range(extra):
        measure(kids.bayu, f"2026-07-{day + 1:02d}", "8.80", "73.0", "lying")
    client = client_for("cadre")
    with django_assert_num_queries(CHILD_QUERIES):
        response = client.get(child_url(kids.bayu))
    assert len(response.context["rows"]) == 3 + extra


# -- Recording from the child's page ---------------------------------------------------------------


@pytest.mark.parametrize("username", [*VILLAGE_WRITERS, "cadre_rt"])
def test_writers_record_a_measurement(
    kids: Kids, world: World, client_for: Any, username: str
) -> None:
    response = client_for(username).post(child_url(kids.bayu), POST)
    assert response.status_code == 302
    assert response["Location"] == child_url(kids.bayu)
    m = ChildMeasurement.objects.get(child=kids.bayu, measured_on=dt.date(2026, 7, 2))
    assert (m.haz, m.recorded_by, m.place) == (D("-3.29"), world.user(username), "Posyandu Melati")


@pytest.mark.parametrize("username", NOT_FOUND)
def test_others_cannot_record(kids: Kids, client_for: Any, username: str) -> None:
    before = count()
    assert client_for(username).post(child_url(kids.bayu), POST).status_code == 404
    assert count() == before


def test_the_rt_cadre_cannot_record_for_another_rt(kids: Kids, client_for: Any) -> None:
    before = count()
    assert client_for("cadre_rt").post(child_url(kids.dimas), POST).status_code == 404
    assert count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"measured_on": "2026-06-20"}, "This child was already measured on 2026-06-20"),
        ({"measured_on": "2024-12-31"}, "before the child was born"),
        ({"weight_kg": "80"}, "Ensure this value is less than or equal to 50"),
        ({"position": "sitting"}, "Select a valid choice"),
    ],
)
def test_a_refused_measurement_is_shown_on_the_form(
    kids: Kids, client_for: Any, changes: dict[str, str], message: str
) -> None:
    before = count()
    response = english(client_for("cadre")).post(child_url(kids.bayu), {**POST, **changes})
    assert response.status_code == 200
    assert message in text(response)
    assert count() == before


# -- Correcting and deleting ----------------------------------------------------------------------


def edit_url(m: ChildMeasurement) -> str:
    return reverse("stunting:measure_edit", args=[m.pk])


def delete_url(m: ChildMeasurement) -> str:
    return reverse("stunting:measure_delete", args=[m.pk])


@pytest.mark.parametrize("username", ALL_USERS)
def test_edit_page_by_role(kids: Kids, client_for: Any, username: str) -> None:
    m = kids.measurement(kids.bayu, "2026-06-20")
    response = client_for(username).get(edit_url(m))
    assert response.status_code == (404 if username in NOT_FOUND else 200)
    if response.status_code == 200:
        assert response.context["form"].initial["length_or_height_cm"] == D("72.5")


def test_a_correction_computes_the_z_scores_again(kids: Kids, client_for: Any) -> None:
    m = kids.measurement(kids.bayu, "2026-06-20")
    changes = {
        **POST,
        "measured_on": "2026-06-20",
        "weight_kg": "8.70",
        "length_or_height_cm": "76.0",
    }
    response = client_for("cadre").post(edit_url(m), changes)
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.length_or_height_cm, m.haz) == (D("76.0"), D("-2.03"))


def test_a_correction_outside_the_area_changes_nothing(kids: Kids, client_for: Any) -> None:
    m = kids.measurement(kids.dimas, "2026-06-03")
    before = count()
    for username in ("cadre_rt", *NOT_FOUND):
        response = client_for(username).post(edit_url(m), {**POST, "measured_on": "2026-06-03"})
        assert response.status_code == 404
    assert count() == before
    m.refresh_from_db()
    assert m.length_or_height_cm == D("80.0")


def test_delete(kids: Kids, client_for: Any) -> None:
    m = kids.measurement(kids.dimas, "2026-06-03")
    before = count()
    for username in ("cadre_rt", *NOT_FOUND):
        assert client_for(username).post(delete_url(m)).status_code == 404
    assert client_for("cadre").get(delete_url(m)).status_code == 405
    assert count() == before
    response = client_for("cadre").post(delete_url(m))
    assert response.status_code == 302 and response["Location"] == child_url(kids.dimas)
    assert not ChildMeasurement.objects.filter(pk=m.pk).exists()


# -- The family's page links the children ---------------------------------------------------------


def test_the_stunting_family_page_links_the_children_under_5(
    kids: Kids, world: World, client_for: Any
) -> None:
    response = client_for("cadre").get(reverse("stunting:family", args=[world.family.pk]), DAY)
    assert [c.full_name for c in response.context["under_five"]] == ["Ayu", "Bayu"]
    assert child_url(kids.bayu) in text(response)


# -- The list of children -----------------------------------------------------------------------


OPENS_ON: dict[str, tuple[int, list[str]]] = {
    "admin": (200, []),
    "district": (200, []),
    "pkb": (200, ["Ayu", "Bayu", "Dimas"]),
    "cadre": (200, ["Ayu", "Bayu", "Dimas"]),
    "cadre_rt": (200, ["Ayu", "Bayu"]),
    "partner": (404, []),
    "viewer": (404, []),
    "other_district": (200, []),
    "other_cadre": (200, ["Zaki"]),
}


@pytest.mark.parametrize("username", ALL_USERS)
def test_list_opens_on_the_users_village(kids: Kids, client_for: Any, username: str) -> None:
    status, expected = OPENS_ON[username]
    response = client_for(username).get(LIST, DAY)
    assert response.status_code == status
    if status == 200:
        assert names(response) == expected


@pytest.mark.parametrize("username", ["cadre", "cadre_rt", "other_district", "other_cadre"])
def test_a_village_outside_the_users_areas_is_not_found(
    kids: Kids, client_for: Any, username: str
) -> None:
    area = "64.02.08.2005" if username.startswith("other") else "64.02.08.2006"
    if username == "cadre_rt":
        area = "64.02.08.2005.001.002"
    assert client_for(username).get(LIST, {**DAY, "area": area}).status_code == 404


def test_list_rows_carry_the_latest_measurement_and_status(kids: Kids, client_for: Any) -> None:
    response = english(client_for("cadre")).get(LIST, DAY)
    rows = {r.child.full_name: r for r in response.context["page"].object_list}
    assert rows["Bayu"].latest.measured_on == dt.date(2026, 6, 20)
    assert [str(label) for label, _ in rows["Dimas"].labels] == ["stunted", "underweight"]
    assert [str(label) for label, _ in rows["Ayu"].labels] == ["normal"]
    # On 31 May, Bayu's latest is March's.
    earlier = client_for("cadre").get(LIST, {"on": "2026-05-31"})
    assert [r.latest.measured_on for r in earlier.context["page"].object_list] == [
        dt.date(2026, 5, 15),
        dt.date(2026, 3, 10),
        dt.date(2026, 5, 20),
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("stunted", ["Bayu", "Dimas"]),
        ("severely_stunted", ["Bayu"]),
        ("underweight", ["Dimas"]),
        ("wasted", []),
        ("not_measured", []),
    ],
)
def test_list_filters(kids: Kids, client_for: Any, status: str, expected: list[str]) -> None:
    response = client_for("cadre").get(LIST, {**DAY, "status": status})
    assert names(response) == expected


def test_a_child_never_measured_is_listed_as_such(
    kids: Kids, world: World, client_for: Any
) -> None:
    person_add(
        family=world.family,
        data=PersonData(
            full_name="Bulan",
            sex=Sex.FEMALE,
            birth_date=dt.date(2026, 5, 1),
            relation_to_head=Relation.CHILD,
        ),
        actor=None,
    )
    response = client_for("cadre").get(LIST, {**DAY, "status": "not_measured"})
    assert names(response) == ["Bulan"]


def test_an_unknown_status_is_a_bad_request(kids: Kids, client_for: Any) -> None:
    response = english(client_for("cadre")).get(LIST, {**DAY, "status": "tall"})
    assert response.status_code == 400
    assert "The status tall is not known" in text(response)


def test_an_area_above_a_village_asks_for_one(kids: Kids, client_for: Any) -> None:
    response = english(client_for("district")).get(LIST, {**DAY, "area": KEC})
    assert response.status_code == 200
    assert "Choose a village" in response.context["problem"]
    assert names(response) == []


def test_htmx_answers_the_results_fragment(kids: Kids, client_for: Any) -> None:
    response = client_for("cadre").get(LIST, {**DAY, "area": RT}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "stunting/children_results.html"
    assert names(response) == ["Ayu", "Bayu"]


# Session, user, scope; the user's first village; the area picker (area, ancestors, children);
# the area again (selector); the children with their latest measurement ids; the measurements.
LIST_QUERIES = 10


@pytest.mark.parametrize("extra", [0, 4])
def test_list_query_count_is_pinned(
    kids: Kids, world: World, client_for: Any, django_assert_num_queries: Any, extra: int
) -> None:
    for serial in range(extra):
        child = person_add(
            family=world.family,
            data=PersonData(
                full_name=f"Anak {serial}",
                sex=Sex.MALE,
                birth_date=dt.date(2025, 1, 1),
                relation_to_head=Relation.CHILD,
            ),
            actor=None,
        )
        measure(child, "2026-06-01", "9.0", "74.0", "lying")
    client = client_for("cadre")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST, DAY)
    assert len(names(response)) == 3 + extra


# -- Excel export ------------------------------------------------------------------------------------


def test_excel_export_of_the_stunted(kids: Kids, world: World, client_for: Any) -> None:
    response = client_for("cadre").get(LIST, {**DAY, "status": "stunted", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert "kampungkb-balita-64.02.08.2005-2026-06-30.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    with translation.override("id"):
        assert rows[0] == [str(c) for c in CHILD_COLUMNS]
    assert [r[0] for r in rows[1:]] == ["Bayu", "Dimas"]
    bayu = rows[1]
    assert bayu[4] == "Siti Aminah"
    assert bayu[6:8] == [8.7, 72.5]
    assert bayu[10:13] == [-3.35, -1.91, -0.38]
    assert bayu[13] == "sangat pendek"
    event = AuditEvent.objects.get(action="export.stunting_children")
    assert (event.actor, event.after["rows"], event.after["status"]) == (
        world.user("cadre"),
        2,
        "stunted",
    )


def test_excel_export_needs_a_village(kids: Kids, client_for: Any) -> None:
    before = AuditEvent.objects.count()
    response = client_for("district").get(LIST, {**DAY, "format": "xlsx"})
    assert response.status_code == 400
    assert AuditEvent.objects.count() == before


def test_a_measurement_refused_for_a_child_of_5_shows_why(kids: Kids, client_for: Any) -> None:
    rizky = Person.objects.get(full_name="Rizky Pratama")
    before = count()
    response = english(client_for("cadre")).post(child_url(rizky), POST)
    assert response.status_code == 200
    assert "these measurements are for children under 5 only" in text(response)
    assert count() == before
