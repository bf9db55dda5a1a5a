"""The dashboard page, tried by every role, in and out of its area."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from kampungkb.indicators.models import Fact, Target
from kampungkb.regions.models import Area
from kampungkb.testing.world import (
    AGGREGATE_AREAS,
    KAB,
    KEC,
    OTHER_KAB,
    RT,
    VILLAGE,
    VILLAGE_2,
    World,
)

DASHBOARD = reverse("reports:dashboard")
MONTH = "2025-06"

AREAS = AGGREGATE_AREAS


def get(client: Any, area: str, **params: str) -> Any:
    return client.get(DASHBOARD, {"area": area, "month": MONTH, **params})


def test_url() -> None:
    assert DASHBOARD == "/reports/"


@pytest.mark.django_db
@pytest.mark.parametrize("username", AREAS)
def test_every_role_in_scope_and_out(world: World, client_for: Any, username: str) -> None:
    inside, outside = AREAS[username]
    client = client_for(username)
    assert get(client, inside).status_code == 200
    assert client.get(DASHBOARD).status_code == 200  # the first root area, the last month
    if outside is not None:
        assert get(client, outside).status_code == 404


def test_default_area_and_month(world: World, client_for: Any) -> None:
    response = client_for("other_district").get(DASHBOARD)
    board = response.context["dashboard"]
    assert board.area.code == OTHER_KAB
    assert board.code == "MCPR"
    assert board.period < board.months[-1].replace(year=board.months[-1].year + 1)
    assert board.period == board.months[-1]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world: World, client: Any) -> None:
    response = get(client, KAB)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "params",
    [{"month": "June"}, {"month": "2025-13"}, {"indicator": "NIK"}, {"indicator": "NON_USER"}],
)
def test_bad_parameters_are_a_bad_request(
    world: World, client_for: Any, params: dict[str, str]
) -> None:
    response = client_for("district").get(DASHBOARD, {"area": KAB, "month": MONTH, **params})
    assert response.status_code == 400


def test_unknown_area_is_not_found(world: World, client_for: Any) -> None:
    assert get(client_for("admin"), "99.99").status_code == 404


def test_district_sees_the_figures_of_a_kecamatan(
    world: World, filled: None, client_for: Any
) -> None:
    Area.objects.filter(code=VILLAGE_2).update(
        latitude=Decimal("-0.285"), longitude=Decimal("116.595")
    )
    response = get(client_for("district"), KEC)
    page = response.content.decode()
    assert "<h1>Dasbor: Kota Bangun</h1>" in page
    # Breadcrumbs: the province and the kabupaten, keeping month and indicator.
    link = f"?area={KAB}&amp;month={MONTH}&amp;indicator=MCPR"
    assert f'<a href="{link}" hx-get="{link}" hx-target="#dashboard"' in page
    # Headline: PA 3, no May figure.
    assert (
        '<article data-indicator="PA">\n      <p class="muted">PA</p>\n'
        '      <p class="figure">3</p>'
    ) in page
    assert "tidak ada angka bulan lalu" in page
    # The ranking links to each village's dashboard (drill-down).
    link = f"?area={VILLAGE_2}&amp;month={MONTH}&amp;indicator=MCPR"
    assert f'href="{link}" hx-get="{link}"' in page
    assert "Desa/kelurahan menurut mCPR (%)" in page
    assert "Istri" not in page
    script = page.split('<script id="dashboard-data" type="application/json">')[1]
    data = json.loads(script.split("</script>")[0])
    assert data == response.context["charts"]
    assert [p["name"] for p in data["map"]["points"]] == ["Kota Bangun Ilir"]
    assert data["map"]["tiles"] == ""
    assert "belum ada target" in page


def test_target_achievement(world: World, filled: None, client_for: Any) -> None:
    Target.objects.create(area_id=KEC, year=2025, kind="PA", value=10)
    Target.objects.create(area_id=KEC, year=2025, kind="PB", value=8)
    response = get(client_for("partner"), KEC)
    board = response.context["dashboard"]
    assert [(a.code, a.target, a.actual, a.percent) for a in board.achievements] == [
        ("PA", 10, 3, Decimal("30.0")),
        ("PB", 8, 2, Decimal("25.0")),
    ]
    page = response.content.decode()
    assert '<p class="figure">30,0%</p>' in page
    assert '<p class="change">3 / 10</p>' in page
    assert '<progress value="30.0" max="100"' in page
    assert "belum ada target" not in page


def test_a_cadre_sees_only_her_village(world: World, filled: None, client_for: Any) -> None:
    Area.objects.filter(code__in=[VILLAGE, VILLAGE_2]).update(
        latitude=Decimal("-0.28"), longitude=Decimal("116.59")
    )
    client = client_for("cadre")
    response = client.get(DASHBOARD, {"month": MONTH})
    board = response.context["dashboard"]
    assert board.area.code == VILLAGE
    assert [p.area.code for p in board.points] == [VILLAGE]
    assert board.ranking == []
    assert response.context["ancestors"] == []
    assert get(client, KEC).status_code == 404
    assert get(client, VILLAGE_2).status_code == 404


def test_below_the_village_the_page_says_where_figures_are(
    world: World, filled: None, client_for: Any
) -> None:
    page = get(client_for("cadre_rt"), RT).content.decode()
    assert "Angka disimpan sampai tingkat desa" in page


def test_english(world: World, filled: None, client_for: Any) -> None:
    client = client_for("district")
    client.cookies["django_language"] = "en"
    page = get(client, KEC).content.decode()
    assert "<h1>Dashboard: Kota Bangun</h1>" in page
    assert "Target achievement (PPM) 2025" in page


@pytest.mark.django_db
def test_htmx_gets_the_fragment(world: World, filled: None, client_for: Any) -> None:
    response = client_for("district").get(
        DASHBOARD, {"area": KEC, "month": MONTH, "indicator": "PUS"}, headers={"HX-Request": "true"}
    )
    assert next(t.name for t in response.templates) == "reports/_dashboard.html"
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="dashboard-data"' in page
    assert '<option value="PUS" selected>PUS</option>' in page


def test_no_person_rows_are_read(
    world: World, filled: None, client_for: Any, django_assert_num_queries: Any
) -> None:
    """Facts, areas, methods and targets only."""
    client = client_for("district")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert get(client, KAB).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for personal in (
        "families_person",
        "families_family",
        "families_couple",
        "contraception_episode",
        "contraception_servicevisit",
    ):
        assert personal not in tables
    assert Fact._meta.db_table in tables


@pytest.mark.django_db
@pytest.mark.parametrize(("area", "queries"), [(KAB, 12), (KEC, 12), (VILLAGE, 10)])
def test_query_count_does_not_grow_with_sub_areas(
    world: World,
    filled: None,
    client_for: Any,
    django_assert_num_queries: Any,
    area: str,
    queries: int,
) -> None:
    """Session, user, scope, area, own facts, sub-areas and the method catalogue (neither for
    Kota Bangun Ulu: no sub-areas, no users), chosen facts, villages with coordinates, targets
    (2), breadcrumb."""
    client = client_for("district")
    with django_assert_num_queries(queries):
        assert get(client, area).status_code == 200


def test_the_tables_escape_names(world: World, filled: None, client_for: Any) -> None:
    """The rows of the map's and the trends' tables are built in Python: each text escaped."""
    Area.objects.filter(code=VILLAGE_2).update(
        name='Ilir <b>&"Hulu"', latitude=Decimal("-0.28504"), longitude=Decimal("116.59505")
    )
    page = get(client_for("district"), KEC).content.decode()
    link = f"?area={VILLAGE_2}&amp;month={MONTH}&amp;indicator=MCPR"
    name = "Ilir &lt;b&gt;&amp;&quot;Hulu&quot;"
    anchor = (
        f'<a href="{link}" hx-get="{link}" hx-target="#dashboard" hx-push-url="true">{name}</a>'
    )
    # The ranking of the kecamatan's villages and the map's table.
    assert f'<th scope="row">{anchor}</th>' in page
    assert (
        f'<tr><th scope="row">{anchor}</th><td>75,0</td>'
        '<td class="mono">-0.2850, 116.5951</td></tr>'
    ) in page
    # The last rows of the trends' tables: CPR, mCPR, unmet need; PA; PB, KBPP, drop-out.
    assert '<tr><th scope="row">Jun 2025</th><td>60,0</td><td>60,0</td><td>0,0</td></tr>' in page
    assert '<tr><th scope="row">Jun 2025</th><td>3</td></tr>' in page
    assert '<tr><th scope="row">Jun 2025</th><td>2</td><td>0</td><td>0</td></tr>' in page
    assert '<tr><th scope="row">Mei 2025</th><td>—</td></tr>' in page
    assert "<b>" not in page
