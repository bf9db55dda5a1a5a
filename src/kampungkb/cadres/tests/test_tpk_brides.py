"""TPK accompaniment of brides-to-be (decision 0040): assigning, the register ending it at her
first pregnancy, visits, the worklist, the village page, the coverage and the API."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kampungkb.cadres import services as cadre_services
from kampungkb.cadres import tpk_selectors as selectors
from kampungkb.cadres import tpk_services as services
from kampungkb.cadres.models import EndReason, TargetKind, TpkAssignment, TpkVisit
from kampungkb.core.models import AuditEvent
from kampungkb.families import services as family_services
from kampungkb.families.models import Couple, Relation, Sex
from kampungkb.indicators.models import DirtyMark
from kampungkb.stunting import bride_services
from kampungkb.stunting.bride_services import BrideData
from kampungkb.stunting.models import BrideToBe
from kampungkb.testing.world import KAB, KEC, OTHER_RT, RT, RT_2, VILLAGE, World
from kampungkb.testing.world import person as world_person

D = dt.date
BASE = "/api/cadres/tpk"
FEB_1 = D(2025, 2, 1)
JUNE_10 = D(2025, 6, 10)


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]  # type: ignore[misc]


def register(world: World, area: str, name: str, born: dt.date, **kw: Any) -> BrideToBe:
    values: dict[str, Any] = {
        "area": world.area(area),
        "full_name": name,
        "birth_date": born,
        "groom_name": "Andi",
        "groom_birth_date": D(1998, 1, 1),
        "wedding_on": D(2025, 4, 20),
        "registered_on": D(2025, 1, 15),
    }
    values.update(kw)
    return bride_services.bride_register(data=BrideData(**values), actor=None)


@pytest.fixture
def catin(world: World, tpk: Any) -> Any:
    """Dewi (RT 001, 18 at her wedding: delaying the first pregnancy is advised) registered on
    15-01-2025, married on 20-04-2025 to Andi, whose family is in the register; Rina (RT 002,
    27) registered on 01-02-2025; Wulan of Tumbuh Mulia (another district)."""
    dewi = register(world, RT, "Dewi Lestari", D(2006, 6, 1))
    rina = register(world, RT_2, "Rina Wati", D(1998, 3, 3), registered_on=D(2025, 2, 1))
    wulan = register(world, OTHER_RT, "Wulan", D(1999, 1, 1))
    andi = family_services.family_register(
        area=world.area(RT),
        kk_number="6402081507240009",
        address="Jalan Mawar",
        head=world_person("Andi", Sex.MALE, D(1998, 1, 1), Relation.HEAD, 31),
        actor=None,
    )
    wife = family_services.person_add(
        family=andi,
        data=world_person("Dewi Lestari", Sex.FEMALE, D(2006, 6, 1), Relation.WIFE, 32),
        actor=None,
    )
    couple = family_services.couple_register(
        wife=wife, husband=andi.head, married_on=D(2025, 4, 20), actor=None
    )
    bride_services.bride_mark_married(
        bride=dewi, married_on=D(2025, 4, 20), couple=couple, actor=None
    )
    return SimpleNamespace(
        team=tpk.team,
        tpk=tpk,
        dewi=BrideToBe.objects.get(pk=dewi.pk),
        rina=rina,
        wulan=wulan,
        couple=Couple.objects.get(pk=couple.pk),
    )


def assign(catin: Any, bride: BrideToBe, on: dt.date = FEB_1) -> TpkAssignment:
    return services.tpk_assignment_create(
        team=catin.team, kind=TargetKind.BRIDE, target=bride, started_on=on, actor=None
    )


def visit(catin: Any, assignment: TpkAssignment, on: dt.date, **checklist: bool) -> TpkVisit:
    return services.tpk_visit_record(
        assignment=assignment,
        visited_on=on,
        members=[catin.tpk.midwife.pk],
        checklist=checklist,
        actor=None,
    )


def pregnant(catin: Any, on: dt.date = JUNE_10) -> Any:
    return family_services.pregnancy_record(
        couple=catin.couple, recorded_on=on, expected_on=None, actor=None
    )


# -- Assigning ------------------------------------------------------------------------------------


def test_assign_a_bride(world: World, catin: Any) -> None:
    DirtyMark.objects.all().delete()
    assignment = services.tpk_assignment_create(
        team=catin.team,
        kind=TargetKind.BRIDE,
        target=catin.dewi,
        started_on=D(2025, 2, 1),
        actor=world.user("pkb"),
    )
    assert (assignment.kind, assignment.bride_id, assignment.family_id) == (
        "bride",
        catin.dewi.pk,
        None,
    )
    assert assignment.target_id == catin.dewi.pk
    assert AuditEvent.objects.get(action="tpk_assignment.create").area_code == RT
    assert DirtyMark.objects.filter(area_code=VILLAGE).exists()


@pytest.mark.parametrize(
    ("bride", "on", "code"),
    [
        ("dewi", D(2025, 1, 14), "tpk.not_bride"),  # before her registration
        ("dewi", D(2025, 6, 10), "tpk.not_bride"),  # her first pregnancy recorded that day
        ("wulan", D(2025, 2, 1), "tpk.target_other_village"),
    ],
)
def test_refused_brides_write_nothing(catin: Any, bride: str, on: dt.date, code: str) -> None:
    pregnant(catin)
    with pytest.raises(ValidationError) as error:
        assign(catin, getattr(catin, bride), on)
    assert codes(error.value) == [code]
    assert not TpkAssignment.objects.filter(kind=TargetKind.BRIDE).exists()


def test_one_open_assignment_per_bride(catin: Any) -> None:
    assign(catin, catin.rina)
    with pytest.raises(ValidationError) as error:
        assign(catin, catin.rina, D(2025, 3, 1))
    assert codes(error.value) == ["tpk.already_assigned"]
    assert TpkAssignment.objects.count() == 1


def test_target_get_keeps_to_the_village(catin: Any) -> None:
    found = selectors.target_get(kind="bride", pk=catin.rina.pk, village_code=VILLAGE)
    assert found == catin.rina
    with pytest.raises(ValidationError) as error:
        selectors.target_get(kind="bride", pk=catin.wulan.pk, village_code=VILLAGE)
    assert codes(error.value) == ["tpk.target_not_found"]


def test_target_choices_list_brides_not_yet_pregnant(catin: Any) -> None:
    pregnant(catin)
    assign(catin, catin.rina)
    brides = dict(selectors.target_choices(catin.team, D(2025, 6, 1)))["Calon pengantin"]
    assert brides == [(f"bride:{catin.dewi.pk}", "Dewi Lestari (20-04-2025)")]
    assert dict(selectors.target_choices(catin.team, D(2025, 6, 10)))["Calon pengantin"] == []


# -- The register ends it ---------------------------------------------------------------------------


def test_first_pregnancy_hands_her_over_as_pregnant(catin: Any) -> None:
    """The team that accompanied the bride goes on with her pregnancy."""
    bride = assign(catin, catin.dewi)
    visit(catin, bride, D(2025, 5, 2), nutrition_counselling=True)
    pregnancy = pregnant(catin)
    bride.refresh_from_db()
    assert (bride.ended_on, bride.end_reason) == (D(2025, 6, 10), EndReason.FIRST_PREGNANCY)
    after = TpkAssignment.objects.get(kind=TargetKind.PREGNANCY)
    assert (after.team, after.pregnancy, after.started_on, after.ended_on) == (
        catin.team,
        pregnancy,
        D(2025, 6, 10),
        None,
    )
    assert AuditEvent.objects.filter(action="tpk_assignment.end").count() == 1


def test_pregnancy_already_followed_is_not_doubled(catin: Any) -> None:
    """A pregnancy with its own team keeps it; the bride's assignment only ends."""
    assign(catin, catin.dewi)
    other = cadre_services.tpk_team_create(
        village=catin.team.village, name="Tim Anggrek", actor=None
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_follow_brides", lambda ids: None)
        pregnancy = pregnant(catin)
    services.tpk_assignment_create(
        team=other,
        kind=TargetKind.PREGNANCY,
        target=pregnancy,
        started_on=D(2025, 6, 10),
        actor=None,
    )
    services.tpk_follow_couples([catin.couple.pk])
    assert list(
        TpkAssignment.objects.order_by("pk").values_list("kind", "team__name", "end_reason")
    ) == [("bride", "Tim Melati", "first_pregnancy"), ("pregnancy", "Tim Anggrek", "")]


def test_close_lapsed_ends_a_pregnant_bride(catin: Any) -> None:
    """A pregnancy recorded before the wedding was marked: the daily closing writes the end."""
    bride = assign(catin, catin.rina)
    rina = catin.rina
    rina.couple, rina.married_on = catin.couple, D(2025, 4, 20)
    rina.save()
    pregnant(catin)  # the listener sees Rina's couple too: it ends at once
    bride.refresh_from_db()
    assert bride.end_reason == EndReason.FIRST_PREGNANCY
    bride.ended_on, bride.end_reason = None, ""
    bride.save()
    assert services.tpk_close_lapsed(on=D(2025, 6, 9)) == 0
    assert services.tpk_close_lapsed(on=D(2025, 6, 10)) == 1
    bride.refresh_from_db()
    assert (bride.ended_on, bride.end_reason) == (D(2025, 6, 10), EndReason.FIRST_PREGNANCY)


def test_current_until_the_first_pregnancy(catin: Any) -> None:
    assignment = assign(catin, catin.dewi)
    TpkAssignment.objects.filter(pk=assignment.pk).update(ended_on=None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_follow_brides", lambda ids: None)
        pregnant(catin)
    current = TpkAssignment.objects.filter(kind=TargetKind.BRIDE)
    assert current.filter(selectors.current_q(D(2025, 6, 9))).count() == 1
    assert current.filter(selectors.current_q(D(2025, 6, 10))).count() == 0


# -- Visits and the worklist ------------------------------------------------------------------------


def test_visit_a_bride(world: World, catin: Any) -> None:
    assignment = assign(catin, catin.dewi)
    DirtyMark.objects.all().delete()
    done = services.tpk_visit_record(
        assignment=assignment,
        visited_on=D(2025, 3, 3),
        members=[catin.tpk.midwife.pk],
        checklist={"spacing_counselling": True, "nutrition_counselling": True},
        actor=world.user("cadre_rt"),
    )
    assert (done.spacing_counselling, done.nutrition_counselling, done.next_visit_on) == (
        True,
        True,
        D(2025, 4, 2),
    )
    assert AuditEvent.objects.get(action="tpk_visit.record").area_code == RT
    assert DirtyMark.objects.filter(area_code=VILLAGE).exists()
    pregnant(catin)
    assignment.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        visit(catin, assignment, D(2025, 6, 12))
    assert codes(error.value) == ["tpk.visit_outside_assignment"]
    assert TpkVisit.objects.count() == 1


def test_worklist_shows_brides_with_advice(catin: Any) -> None:
    assign(catin, catin.dewi)
    assign(catin, catin.rina)
    items = selectors.worklist(catin.team, D(2025, 3, 1))
    assert [(i.name, i.family, i.area.code, i.delay_pregnancy) for i in items] == [
        ("Dewi Lestari", None, RT, True),
        ("Rina Wati", None, RT_2, False),
    ]


def test_worklist_page_links_to_the_bride(client_for: Any, catin: Any) -> None:
    assignment = assign(catin, catin.dewi)
    response = client_for("cadre_rt").get(reverse("cadres:tpk_worklist", args=[catin.team.pk]))
    page = response.content.decode()
    assert reverse("stunting:bride", args=[catin.dewi.pk]) in page
    assert "Calon pengantin" in page
    assert "Skrining menyarankan menunda kehamilan pertama." in page
    form = client_for("cadre_rt").get(reverse("cadres:tpk_visit_new", args=[assignment.pk]))
    text = form.content.decode()
    assert "Konseling menunda kehamilan pertama" in text
    assert 'name="postpartum_contraception"' not in text


def test_visit_page_records_a_bride_visit(client_for: Any, catin: Any) -> None:
    assignment = assign(catin, catin.rina)
    url = reverse("cadres:tpk_visit_new", args=[assignment.pk])
    data = {
        "visited_on": "2025-03-04",
        "members": [catin.tpk.midwife.pk],
        "nutrition_counselling": "on",
    }
    assert client_for("other_cadre").post(url, data).status_code == 404
    assert not TpkVisit.objects.exists()
    assert client_for("cadre_rt").post(url, data).status_code == 302
    done = TpkVisit.objects.get()
    assert (done.visited_on, done.nutrition_counselling, done.spacing_counselling) == (
        D(2025, 3, 4),
        True,
        False,
    )


# -- The village page -------------------------------------------------------------------------------


def test_village_lists_brides_without_a_team(world: World, catin: Any) -> None:
    assign(catin, catin.rina)
    found = selectors.village_teams(
        user=world.user("pkb"), village=world.area(VILLAGE), on=D(2025, 3, 1)
    )
    assert [b.full_name for b in found.unassigned_brides] == ["Dewi Lestari"]
    assert found.teams[0].n_bride == 1  # type: ignore[attr-defined]
    other = selectors.village_teams(
        user=world.user("cadre_rt"), village=world.area(VILLAGE), on=D(2025, 3, 1)
    )
    assert [b.full_name for b in other.unassigned_brides] == ["Dewi Lestari"]


def test_village_page_assigns_a_bride(client_for: Any, catin: Any) -> None:
    page = client_for("pkb").get(reverse("cadres:tpk_village"), {"area": VILLAGE})
    text = page.content.decode()
    assign_url = reverse("cadres:tpk_assign", args=[catin.team.pk])
    assert f"{assign_url}?target=bride:{catin.rina.pk}" in text
    assert reverse("stunting:bride", args=[catin.rina.pk]) in text
    data = {"target": f"bride:{catin.rina.pk}", "started_on": "2025-02-03"}
    for username in ("cadre_rt", "partner", "other_district"):
        assert client_for(username).post(assign_url, data).status_code == 404
    assert not TpkAssignment.objects.exists()
    assert client_for("pkb").post(assign_url, data).status_code == 302
    made = TpkAssignment.objects.get()
    assert (made.kind, made.bride, made.started_on) == ("bride", catin.rina, D(2025, 2, 3))


# -- Coverage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [VILLAGE, KEC, KAB])
def test_coverage_of_brides(catin: Any, area: str) -> None:
    """Dewi is to accompany until her pregnancy of 10-06; Rina from February; Dewi is visited in
    March and in June (before the pregnancy)."""
    dewi = assign(catin, catin.dewi)
    visit(catin, dewi, D(2025, 3, 3))
    visit(catin, dewi, D(2025, 6, 2))
    pregnant(catin)

    def brides(month: dt.date) -> tuple[int, int]:
        c = selectors.tpk_coverage(area, month)
        return c.brides, c.brides_visited

    assert brides(D(2024, 12, 1)) == (0, 0)
    assert brides(D(2025, 1, 1)) == (1, 0)
    assert brides(D(2025, 3, 1)) == (2, 1)
    assert selectors.tpk_coverage(area, D(2025, 3, 1)).brides_share == 50
    assert brides(D(2025, 6, 1)) == (2, 1)  # pregnant from the 10th, not at the month's start
    assert brides(D(2025, 7, 1)) == (1, 0)
    assert selectors.tpk_coverage(RT_2, D(2025, 3, 1)).brides == 1


def test_coverage_api_and_page_show_brides(client_for: Any, api_as: Any, catin: Any) -> None:
    visit(catin, assign(catin, catin.rina), D(2025, 3, 3))
    body = api_as("district").get(f"{BASE}/coverage", {"area": KAB, "month": "2025-03"}).json()
    assert (body["brides"], body["brides_visited"], body["brides_share"]) == (2, 1, "50.0")
    page = client_for("district").get(
        reverse("cadres:tpk_coverage"), {"area": KAB, "month": "2025-03"}
    )
    assert "1 / 2 (50.0%)" in page.content.decode() or "1 / 2 (50,0%)" in page.content.decode()


# -- API ----------------------------------------------------------------------------------------------


def test_api_assigns_a_bride(api_as: Any, catin: Any) -> None:
    payload = {
        "team": catin.team.pk,
        "kind": "bride",
        "target": catin.rina.pk,
        "started_on": "2025-02-01",
    }
    refused = api_as("other_district").post(
        f"{BASE}/assignments", payload, content_type="application/json"
    )
    assert refused.status_code == 404
    assert not TpkAssignment.objects.exists()
    response = api_as("pkb").post(f"{BASE}/assignments", payload, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["target"], body["name"], body["family"], body["bride"]) == (
        "bride",
        catin.rina.pk,
        "Rina Wati",
        None,
        catin.rina.pk,
    )
    worklist = api_as("cadre").get(f"{BASE}/teams/{catin.team.pk}/worklist", {"on": "2025-03-01"})
    assert [(i["kind"], i["name"], i["family"], i["area"]) for i in worklist.json()] == [
        ("bride", "Rina Wati", None, RT_2)
    ]


def test_bride_writes_mark_her_village_for_refill(world: World, catin: Any) -> None:
    """Registering a bride and her wedding change the village's figures from their day."""
    DirtyMark.objects.all().delete()
    register(world, RT_2, "Sari", D(1999, 2, 2), registered_on=D(2025, 3, 3))
    assert DirtyMark.objects.filter(area_code=VILLAGE, period=D(2025, 3, 1)).exists()
    DirtyMark.objects.all().delete()
    bride_services.bride_mark_married(
        bride=catin.rina, married_on=D(2025, 5, 10), couple=None, actor=None
    )
    assert DirtyMark.objects.filter(area_code=VILLAGE, period=D(2025, 5, 1)).exists()
    assert not DirtyMark.objects.filter(area_code=VILLAGE, period=D(2025, 4, 1)).exists()
