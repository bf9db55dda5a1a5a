import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kampungkb.core.periods import add_months
from kampungkb.participation.barriers import BY_CODE, BarrierCode
from kampungkb.testing.world import AGGREGATE_AREAS, KEC, VILLAGE, VILLAGE_2

URL = reverse("participation:barriers")
MONTHS = "&from=2025-01&to=2025-08"

pytestmark = pytest.mark.usefixtures("barriers")


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("username", AGGREGATE_AREAS)
def test_every_role_sees_its_areas_and_not_others(client_for, username) -> None:
    seen, unseen = AGGREGATE_AREAS[username]
    client = client_for(username)
    response = client.get(f"{URL}?area={seen}{MONTHS}")
    assert response.status_code == 200
    assert response.context["ranking"].area.code == seen
    if unseen is not None:
        assert client.get(f"{URL}?area={unseen}{MONTHS}").status_code == 404
        assert client.get(f"{URL}?area={unseen}{MONTHS}&format=csv").status_code == 404


def test_anonymous_is_sent_to_sign_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_shows_ranking_actions_and_matrix(client_for) -> None:
    response = client_for("partner").get(f"{URL}?area={KEC}{MONTHS}")
    ranking = response.context["ranking"]
    assert ranking.total == 5
    page = html(response)
    assert "5 tindak lanjut dengan hambatan" in page or "5 follow-ups with a barrier." in page
    assert '<tr id="barrier-religious_belief">' in page
    assert "<td>3</td>" in page
    assert "60.0%" in page or "60,0%" in page
    assert reverse("cadres:incentive_rules") in page
    assert f"?area={VILLAGE}&amp;from=2025-01&amp;to=2025-08" in page
    assert f"?area={VILLAGE_2}&amp;from=2025-01&amp;to=2025-08" in page
    assert 'id="cadre-barriers"' in page


def test_page_defaults_to_the_first_area_and_the_last_twelve_months(client_for) -> None:
    response = client_for("cadre").get(URL)
    ranking = response.context["ranking"]
    this_month = timezone.localdate().replace(day=1)
    assert ranking.area.code == VILLAGE
    assert ranking.first == add_months(this_month, -11)
    assert ranking.last.replace(day=1) == this_month
    # Only today's follow-up (no information) lies in the last twelve months.
    assert [(r.entry.code.value, r.count) for r in ranking.rows if r.count] == [
        ("no_information", 1)
    ]


def test_htmx_gets_the_fragment(client_for) -> None:
    response = client_for("cadre").get(f"{URL}?area={VILLAGE}{MONTHS}", HTTP_HX_REQUEST="true")
    page = html(response)
    assert '<div id="barriers"' not in page
    assert 'id="ranking"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2025-13x", "The month must be written YYYY-MM"),
        ("to=juni", "The month must be written YYYY-MM"),
        ("from=2025-08&to=2025-01", "The first month (2025-08) must come before"),
    ],
)
def test_bad_months_are_refused_in_both_languages(client_for, query, message) -> None:
    response = client_for("cadre").get(f"{URL}?{query}")
    assert response.status_code == 400
    page = html(response)
    assert message in page
    if "first month" in message:
        assert "Bulan awal (2025-08) harus sebelum" in page
    else:
        assert "Bulan harus ditulis TTTT-BB" in page


def test_csv_holds_ranking_and_sub_areas(client_for) -> None:
    response = client_for("viewer").get(f"{URL}?area={KEC}{MONTHS}&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="hambatan-{KEC}-2025-01-2025-08.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("id"):
        label = {code: str(BarrierCode(code).label) for code in BarrierCode.values}
        action = str(BY_CODE["religious_belief"].action.text)
    assert len(rows) == 1 + 12 + 4
    kec = f"{KEC} Kota Bangun"
    assert [r[:6] for r in rows[1:5]] == [
        [kec, label["religious_belief"], rows[1][2], "3", "60.0", "1"],
        [kec, label["myth_many_children"], rows[2][2], "1", "20.0", "2"],
        [kec, label["husband_objects"], rows[3][2], "1", "20.0", "2"],
        [kec, label["side_effects"], rows[4][2], "0", "0.0", ""],
    ]
    assert rows[1][6] == action
    ulu, ilir = f"{VILLAGE} Kota Bangun Ulu", f"{VILLAGE_2} Kota Bangun Ilir"
    assert [r[:4] for r in rows[-4:]] == [
        [ulu, label["religious_belief"], rows[-4][2], "2"],
        [ulu, label["husband_objects"], rows[-3][2], "1"],
        [ilir, label["religious_belief"], rows[-2][2], "1"],
        [ilir, label["myth_many_children"], rows[-1][2], "1"],
    ]


def test_xlsx_is_served(client_for) -> None:
    response = client_for("district").get(f"{URL}?area={KEC}{MONTHS}&format=xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_page_query_count_is_pinned(client_for, django_assert_num_queries) -> None:
    client = client_for("district")
    client.get(f"{URL}?area={KEC}{MONTHS}")
    # ... the district's own suggested actions, the villages with coordinates for the map and
    # the survey respondents who agree with each barrier.
    with django_assert_num_queries(12):
        client.get(f"{URL}?area={KEC}{MONTHS}")


def test_the_map_colours_each_village_by_its_top_barrier(client_for) -> None:
    from decimal import Decimal

    from kampungkb.regions.models import Area

    Area.objects.filter(code=VILLAGE).update(latitude=Decimal("-0.28"), longitude=Decimal("116.6"))
    Area.objects.filter(code=VILLAGE_2).update(latitude=Decimal("-0.3"), longitude=Decimal("116.5"))
    response = client_for("partner").get(f"{URL}?area={KEC}{MONTHS}")
    points = {p.village.code: p for p in response.context["points"]}
    # Kota Bangun Ulu: religious belief 2, husband objects 1; Kota Bangun Ilir: one each of
    # religious belief and the 'many children' myth: the catalogue's order breaks the tie.
    assert points[VILLAGE].top.code == BarrierCode.RELIGIOUS_BELIEF
    assert points[VILLAGE].total == 3
    assert points[VILLAGE_2].top.code == BarrierCode.RELIGIOUS_BELIEF
    data = response.context["map"]
    assert [p["name"] for p in data["points"]] == ["Kota Bangun Ulu", "Kota Bangun Ilir"]
    assert data["points"][0]["colour"] == "#b91c1c"
    assert 'id="barrier-map"' in html(response)
