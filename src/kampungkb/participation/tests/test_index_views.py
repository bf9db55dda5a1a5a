"""The participation page, its records and its Excel file, on the hand-counted village of
``test_index`` (Kota Bangun Ulu, June 2025: index 68.13, activeness weakest, one refused
follow-up for side effects)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kampungkb.activities.models import Activity, ActivityStatus
from kampungkb.participation.tests.test_index import JUNE, kota_bangun_ulu  # noqa: F401
from kampungkb.participation.tests.test_index import _fill as fill_june
from kampungkb.testing.world import AGGREGATE_AREAS, KEC, VILLAGE

URL = reverse("participation:index")
RECORDS = reverse("participation:records")
PAGE = f"{URL}?area={VILLAGE}&month=2025-06"

pytestmark = pytest.mark.usefixtures("kota_bangun_ulu")


@pytest.fixture(autouse=True)
def _filled(kota_bangun_ulu: None) -> None:  # noqa: F811
    fill_june()


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("username", AGGREGATE_AREAS)
def test_every_role_sees_its_areas_and_not_others(client_for, username) -> None:
    seen, unseen = AGGREGATE_AREAS[username]
    client = client_for(username)
    response = client.get(f"{URL}?area={seen}&month=2025-06")
    assert response.status_code == 200
    assert response.context["found"].area.code == seen
    if unseen is not None:
        assert client.get(f"{URL}?area={unseen}&month=2025-06").status_code == 404
        assert client.get(f"{URL}?area={unseen}&format=xlsx").status_code == 404


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_bad_month_is_a_400_in_both_languages(client_for) -> None:
    response = client_for("cadre").get(f"{URL}?area={VILLAGE}&month=2025-13")
    assert response.status_code == 400
    assert "bulan" in html(response).lower() and "month" in html(response).lower()


def test_the_village_shows_its_index_weakest_dimension_and_top_barrier(client_for) -> None:
    response = client_for("cadre").get(PAGE)
    result = response.context["result"]
    assert result.score == Decimal("68.13")
    page = html(response)
    assert 'id="pi-score"' in page and "68,1" in page
    assert 'id="dimension-activeness" class="pi-weakest"' in page
    keys = [s.key for s in response.context["suggestions"]]
    assert keys == ["dimension:activeness", "barrier:side_effects"]
    # Each sub-indicator with its figures and the link to its records.
    assert 'id="component-PI_CADRE_ACTIVE"' in page
    assert "2 / 3" in page
    assert f"{RECORDS}?area={VILLAGE}&amp;month=2025-06&amp;code=PI_CADRE_ACTIVE" in page
    # A cadre may plan in the village: the one-click form.
    assert page.count(f'action="{reverse("activities:plan")}"') == 2


def test_aggregate_roles_see_figures_but_no_records_and_no_plan(client_for) -> None:
    page = html(client_for("partner").get(PAGE))
    assert 'id="pi-score"' in page
    assert RECORDS not in page
    assert reverse("activities:plan") not in page


def test_the_officer_plans_the_suggested_activity_in_one_step(client_for) -> None:
    client = client_for("cadre")
    suggestion = client.get(PAGE).context["suggestions"][0]
    response = client.post(
        reverse("activities:plan"),
        {
            "kind": suggestion.action.kind,
            "title": "Rapat kader",
            "area": VILLAGE,
            "target_groups": suggestion.action.target_group,
            "plan_reason": suggestion.key,
            "notes": suggestion.why,
            "next": PAGE,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == PAGE
    plan = Activity.objects.get(plan_reason="dimension:activeness")
    assert plan.status == ActivityStatus.PLANNED
    assert plan.kind == "cadre_meeting"
    assert plan.area_id == VILLAGE
    assert plan.held_on > timezone.localdate()
    again = client.get(PAGE)
    assert again.context["suggestions"][0].planned == plan
    assert 'class="planned"' in html(again)
    assert html(again).count(f'action="{reverse("activities:plan")}"') == 1


def test_the_kecamatan_ranks_its_villages(client_for) -> None:
    response = client_for("district").get(f"{URL}?area={KEC}&month=2025-06")
    ranked = response.context["found"].sub_areas
    assert ranked[0].area.code == VILLAGE
    assert ranked[0].rank == 1 and ranked[0].index == Decimal("68.13")
    assert all(s.index is None for s in ranked[1:])


def test_the_page_reads_a_fixed_number_of_queries(client_for, django_assert_num_queries) -> None:
    client = client_for("cadre")
    client.get(PAGE)
    # session, user, scope, area, own facts, sub-areas, their facts, barrier ranking (area,
    # counts, children, matrix, the district's actions), plans, ancestors' scope
    with django_assert_num_queries(14):
        assert client.get(PAGE).status_code == 200


def test_the_records_behind_a_figure_name_the_cadres(client_for) -> None:
    response = client_for("cadre").get(
        f"{RECORDS}?area={VILLAGE}&month=2025-06&code=PI_CADRE_ACTIVE"
    )
    found = response.context["found"]
    assert [(r.cells[0], r.counted) for r in found.rows] == [
        ("Istri 1", True),
        ("Rahmawati", False),
        ("Suami 2", True),
    ]
    assert "Suami 3" not in html(response)  # no longer serving on 30 June


@pytest.mark.parametrize(
    ("code", "counted", "total"),
    [
        ("PI_ACCEPT", 1, 2),
        ("PI_ATTEND", 1, 1),
        ("PI_CONTINUATION", 1, 2),
        ("PI_ON_TIME", 2, 3),
        ("PI_POKTAN", 1, 2),
        ("PI_CADRE_DENSITY", 3, 3),
        ("PI_FAMILY_CONTRIB", 1, 5),
        ("PI_COST_SHARE", 1, 3),
    ],
)
def test_every_list_of_records_agrees_with_its_figure(client_for, code, counted, total) -> None:
    found = (
        client_for("pkb")
        .get(f"{RECORDS}?area={VILLAGE}&month=2025-06&code={code}")
        .context["found"]
    )
    assert (found.counted, len(found.rows)) == (counted, total)


def test_records_are_refused_without_names_above_the_village_or_for_an_unknown_code(
    client_for,
) -> None:
    query = f"area={VILLAGE}&month=2025-06&code=PI_CADRE_ACTIVE"
    assert client_for("partner").get(f"{RECORDS}?{query}").status_code == 404
    assert client_for("other_cadre").get(f"{RECORDS}?{query}").status_code == 404
    assert (
        client_for("district").get(f"{RECORDS}?area={KEC}&code=PI_CADRE_ACTIVE").status_code == 404
    )
    assert client_for("cadre").get(f"{RECORDS}?area={VILLAGE}&code=MCPR").status_code == 404


def test_the_excel_file_has_the_breakdown_the_ranking_and_the_trend(client_for) -> None:
    response = client_for("partner").get(f"{URL}?area={KEC}&month=2025-06&format=xlsx")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="partisipasi-64.02.08-2025-06.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indeks", "Wilayah di bawahnya", "Tren"]
    rows = list(book["Indeks"].iter_rows(values_only=True))
    assert rows[-1][2] == "Indeks partisipasi" and rows[-1][8] == 68.13
    ranking = list(book["Wilayah di bawahnya"].iter_rows(values_only=True))
    assert ranking[1][:5] == (1, VILLAGE, "Kota Bangun Ulu", 68.13, "Sedang")
    trend = list(book["Tren"].iter_rows(values_only=True))
    assert len(trend) == 25 and trend[-1][0] == "2025-06"


def test_the_api_gives_the_same_index(api_as) -> None:
    client = api_as("pkb")
    body = client.get(f"/api/participation/index?area={VILLAGE}&month=2025-06").json()
    assert body["index"] == "68.13" and body["level"] == "medium"
    assert body["weakest"] == "activeness"
    interest = body["dimensions"][0]
    assert interest["score"] == "77.50"
    assert [c["code"] for c in interest["components"]] == ["PI_ACCEPT", "PI_ATTEND", "PI_INTENTION"]
    assert [s["key"] for s in body["suggestions"]] == [
        "dimension:activeness",
        "barrier:side_effects",
    ]
    assert len(body["trend"]) == 24
    assert client.get(f"/api/participation/index?area={VILLAGE}&month=2025-13").status_code == 422
    assert api_as("other_cadre").get(f"/api/participation/index?area={VILLAGE}").status_code == 404


def test_the_dashboard_ranks_and_maps_by_the_index(client_for) -> None:
    response = client_for("district").get(
        f"{reverse('reports:dashboard')}?area={KEC}&month=2025-06&indicator=PI"
    )
    assert response.status_code == 200
    ranking = response.context["dashboard"].ranking
    assert (ranking[0].area.code, ranking[0].value) == (VILLAGE, Decimal("68.1"))
