"""The TPK pages: the worklist, recording a visit, a village's teams, assigning and ending, and
the coverage with its Excel file; each tried by every role, one from another area included."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kampungkb.cadres import tpk_services
from kampungkb.cadres.models import TargetKind, TpkAssignment, TpkVisit
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Person
from kampungkb.testing.world import KAB, OTHER_KAB, VILLAGE, World

ALL_USERS = (
    "admin",
    "district",
    "pkb",
    "cadre",
    "cadre_rt",
    "partner",
    "viewer",
    "other_district",
    "other_cadre",
)


def html(response: Any) -> str:
    return response.content.decode()


def worklist_url(tpk: Any) -> str:
    return reverse("cadres:tpk_worklist", args=[tpk.team.pk])


@pytest.mark.parametrize("username", ALL_USERS)
def test_worklist_by_role(client_for: Any, tpk_history: Any, username: str) -> None:
    response = client_for(username).get(worklist_url(tpk_history))
    if username in ("admin", "district", "pkb", "cadre", "cadre_rt"):
        assert response.status_code == 200
        page = html(response)
        assert "Sutrisno" in page and "Hasan" in page
        # Nothing is due today (2025's visits are long past): all overdue or never visited.
        assert page.count('class="tpk-item tpk-overdue"') == 1
        assert page.count('class="tpk-item tpk-never"') == 1
        assert "Tidak ada sumber air minum layak" in page
    else:
        assert response.status_code == 404


def test_worklist_query_count(
    client_for: Any, tpk_history: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("cadre_rt")
    # session, user, scope, team, membership, assignments, risk (5), members, can_record (2)
    with django_assert_num_queries(12):
        response = client.get(worklist_url(tpk_history))
    assert response.status_code == 200
    # One more target (the baby), and as many queries.
    tpk_services.tpk_assignment_create(
        team=tpk_history.team,
        kind=TargetKind.CHILD,
        target=Person.objects.get(full_name="Bayi Aminah"),
        started_on=dt.date(2025, 3, 6),
        actor=None,
    )
    with django_assert_num_queries(12):
        response = client.get(worklist_url(tpk_history))
    assert html(response).count('class="tpk-item') == 3  # the post-partum days are over


def visit_post(tpk: Any, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "visited_on": "2025-03-20",
        "members": [tpk.midwife.pk],
        "nutrition_counselling": "on",
        "social_assistance": "on",
        "notes": "Dibantu daftar PKH",
        "next_visit_on": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("username", ALL_USERS)
def test_record_visit_by_role(client_for: Any, tpk_history: Any, username: str) -> None:
    assignment = tpk_history.assignments["family"]
    url = reverse("cadres:tpk_visit_new", args=[assignment.pk])
    client = client_for(username)
    before = TpkVisit.objects.count()
    response = client.post(url, visit_post(tpk_history))
    if username in ("admin", "district", "pkb", "cadre", "cadre_rt"):
        assert response.status_code == 302
        assert response["Location"] == worklist_url(tpk_history)
        visit = TpkVisit.objects.latest("pk")
        assert (visit.visited_on, visit.next_visit_on) == (
            dt.date(2025, 3, 20),
            dt.date(2025, 4, 19),
        )
        assert (
            visit.nutrition_counselling,
            visit.social_assistance,
            visit.spacing_counselling,
        ) == (
            True,
            True,
            False,
        )
        assert list(visit.members.all()) == [tpk_history.midwife]
        assert client.get(url).status_code == 200
    else:
        assert response.status_code == 404
        assert client.get(url).status_code == 404
        assert TpkVisit.objects.count() == before


def test_record_visit_error_shown_nothing_written(client_for: Any, tpk_history: Any) -> None:
    assignment = tpk_history.assignments["family"]
    url = reverse("cadres:tpk_visit_new", args=[assignment.pk])
    before = TpkVisit.objects.count()
    response = client_for("cadre").post(url, visit_post(tpk_history, visited_on="2025-01-15"))
    assert response.status_code == 200
    assert "tidak didampingi tim ini" in html(response)
    assert TpkVisit.objects.count() == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_village_page_by_role(client_for: Any, tpk_history: Any, username: str) -> None:
    response = client_for(username).get(reverse("cadres:tpk_village"), {"area": VILLAGE})
    if username in ("admin", "district", "pkb", "cadre"):
        assert response.status_code == 200
        page = html(response)
        assert "Tim Melati" in page
        assert 'id="tpk-unassigned"' not in page  # both families at risk have the team
    else:
        assert response.status_code == 404


def test_village_page_query_count(
    client_for: Any, tpk_history: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("pkb")
    # The teams, their current targets per kind, the families at risk and the brides-to-be.
    with django_assert_num_queries(13):
        response = client.get(reverse("cadres:tpk_village"), {"area": VILLAGE})
    assert response.status_code == 200


def test_bulk_assign_from_village_page(client_for: Any, world: World, tpk: Any) -> None:
    page = html(client_for("pkb").get(reverse("cadres:tpk_village"), {"area": VILLAGE}))
    assert "Hasan" in page and "Sutrisno" in page
    url = reverse("cadres:tpk_assign_at_risk", args=[tpk.team.pk])
    for username in ("partner", "viewer", "other_district", "other_cadre", "cadre_rt"):
        assert client_for(username).post(url).status_code == 404
    assert not TpkAssignment.objects.exists()
    assert client_for("pkb").get(url).status_code == 405
    response = client_for("pkb").post(url)
    assert response.status_code == 302
    assert sorted(TpkAssignment.objects.values_list("family__head__full_name", flat=True)) == [
        "Hasan",
        "Sutrisno",
    ]


@pytest.mark.parametrize("username", ALL_USERS)
def test_assign_by_role(client_for: Any, world: World, tpk: Any, username: str) -> None:
    url = reverse("cadres:tpk_assign", args=[tpk.team.pk])
    data = {"target": f"pregnancy:{tpk.pregnancy.pk}", "started_on": "2025-02-01"}
    response = client_for(username).post(url, data)
    if username in ("admin", "district", "pkb", "cadre"):
        assert response.status_code == 302
        assignment = TpkAssignment.objects.get()
        assert (assignment.kind, assignment.pregnancy_id) == (
            TargetKind.PREGNANCY,
            tpk.pregnancy.pk,
        )
    else:
        assert response.status_code == 404
        assert not TpkAssignment.objects.exists()


def test_assign_form_lists_targets_and_refuses_ineligible(
    client_for: Any, world: World, tpk: Any
) -> None:
    url = reverse("cadres:tpk_assign", args=[tpk.team.pk])
    client = client_for("pkb")
    page = html(client.get(url))
    assert f'value="pregnancy:{tpk.pregnancy.pk}"' in page
    assert f'value="family:{tpk.hasan.pk}"' in page
    response = client.post(
        url, {"target": f"pregnancy:{tpk.pregnancy.pk}", "started_on": "2025-01-05"}
    )
    assert response.status_code == 200
    assert "Kehamilan ini tidak berlangsung pada 05-01-2025" in html(response)
    assert not TpkAssignment.objects.exists()
    assert not AuditEvent.objects.filter(action="tpk_assignment.create").exists()


def test_end_assignment_page(client_for: Any, tpk_history: Any) -> None:
    assignment = tpk_history.assignments["hasan"]
    url = reverse("cadres:tpk_assignment_end", args=[assignment.pk])
    for username in ("cadre_rt", "partner", "other_district"):
        assert client_for(username).post(url, {"ended_on": "2025-05-01"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.ended_on is None
    response = client_for("pkb").post(url, {"ended_on": "2025-05-01"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.ended_on, assignment.end_reason) == (dt.date(2025, 5, 1), "ended")


@pytest.mark.parametrize("username", ALL_USERS)
def test_coverage_by_role(client_for: Any, tpk_history: Any, username: str) -> None:
    url = reverse("cadres:tpk_coverage")
    response = client_for(username).get(url, {"area": KAB, "month": "2025-03"})
    if username in ("admin", "district", "pkb", "cadre", "cadre_rt", "partner", "viewer"):
        # pkb and cadres see their village(s) only; the district's area is refused to them.
        expected = 200 if username in ("admin", "district", "partner", "viewer") else 404
        assert response.status_code == expected
        if expected == 200:
            assert "1 / 2 (50.0%)" in html(response) or "1 / 2 (50,0%)" in html(response)
    else:
        assert response.status_code == 404
    if username == "other_district":
        own = client_for(username).get(url, {"area": OTHER_KAB, "month": "2025-03"})
        assert own.status_code == 200


def test_coverage_page_query_count(
    client_for: Any, tpk_history: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("district")
    with django_assert_num_queries(15):
        response = client.get(reverse("cadres:tpk_coverage"), {"area": KAB, "month": "2025-03"})
    assert response.status_code == 200


def test_coverage_excel(client_for: Any, tpk_history: Any) -> None:
    response = client_for("district").get(
        reverse("cadres:tpk_coverage"), {"area": KAB, "month": "2025-03", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Kode wilayah", "Wilayah", "Bulan", "Keluarga berisiko")
    assert rows[1] == (
        VILLAGE,
        "Kota Bangun Ulu",
        "03-2025",
        *(2, 1, 50.0, 1, 1, 100.0, 1, 1, 100.0, 0, 0, None),
    )
    assert rows[2][0] == KAB and rows[2][3:] == (2, 1, 50.0, 1, 1, 100.0, 1, 1, 100.0, 0, 0, None)
