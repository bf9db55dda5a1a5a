"""The selectors on the shared world (``conftest.py``): loading the facts of a village in a few
queries, the counts of a village, the scoped list of families at risk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings

from kampungkb.families.models import Family, Relation, Sex
from kampungkb.families.services import (
    PersonData,
    birth_record,
    family_register,
    person_move,
    person_record_death,
)
from kampungkb.families.templatetags.family_register import area_label
from kampungkb.regions.models import Area
from kampungkb.stunting import selectors
from kampungkb.stunting.risk import RiskReason, TargetReason, Unknown
from kampungkb.stunting.selectors import Summary
from kampungkb.stunting.tests.conftest import ON, Krs, _couple_family
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, RT, RT_2, VILLAGE, VILLAGE_2, World

NO_REASONS = dict.fromkeys(RiskReason, 0)


def heads(rows: list[selectors.FamilyAssessment]) -> list[str]:
    return [row.family.head.full_name for row in rows if row.family.head]


def test_assess_family_of_the_world(krs: Krs) -> None:
    a = selectors.assess_family(krs.sutrisno, ON)
    assert a.target_reasons == (TargetReason.PUS, TargetReason.PREGNANT)
    assert (a.risk_reasons, a.unknown, a.is_at_risk) == ((), (), False)
    [pus] = a.findings_for(TargetReason.PUS)
    assert (pus.wife and pus.wife.name, pus.years, pus.husband_name) == (
        "Siti Aminah",
        33,
        "Sutrisno",
    )
    # The day before the pregnancy was recorded.
    assert selectors.assess_family(krs.sutrisno, dt.date(2026, 5, 3)).target_reasons == (
        TargetReason.PUS,
    )


def test_assess_family_reads_the_register(krs: Krs) -> None:
    a = selectors.assess_family(krs.wayan, ON)
    assert a.target_reasons == (TargetReason.PUS,)
    assert a.risk_reasons == (RiskReason.TOO_OLD, RiskReason.TOO_CLOSE, RiskReason.TOO_MANY)
    assert a.unknown == (Unknown.WATER_SOURCE, Unknown.LATRINE, Unknown.SEPTIC_TANK)
    [close] = a.findings_for(RiskReason.TOO_CLOSE)
    assert (close.older_child and close.older_child.name, close.child and close.child.name) == (
        "Komang Tri",
        "Ketut Catur",
    )
    assert close.months == 14
    assert a.findings_for(RiskReason.TOO_MANY)[0].children == 4
    joko = selectors.assess_family(krs.joko, ON)
    assert joko.target_reasons == (TargetReason.PUS, TargetReason.UNDER_2)
    assert joko.risk_reasons == (
        RiskReason.UNSAFE_WATER,
        RiskReason.NO_DECENT_LATRINE,
        RiskReason.TOO_YOUNG,
    )
    assert joko.findings_for(TargetReason.UNDER_2)[0].months == 4


def test_a_dead_child_is_no_longer_counted(krs: Krs) -> None:
    child = krs.wayan.members.get(full_name="Putu Ayu")
    person_record_death(person=child, died_on=dt.date(2026, 1, 5), actor=None)
    a = selectors.assess_family(krs.wayan, ON)
    assert a.risk_reasons == (RiskReason.TOO_OLD, RiskReason.TOO_CLOSE)
    # On a day before the death she still counted.
    before = selectors.assess_family(krs.wayan, dt.date(2026, 1, 4))
    assert RiskReason.TOO_MANY in before.risk_reasons


def test_a_child_living_in_another_family_counts_for_the_mother(krs: Krs) -> None:
    """Ni Made Sari's eldest daughter married away: still four living children of hers."""
    eldest = krs.wayan.members.get(full_name="Putu Ayu")
    person_move(person=eldest, family=krs.joko, relation_to_head=Relation.OTHER, actor=None)
    assert RiskReason.TOO_MANY in selectors.assess_family(krs.wayan, ON).risk_reasons
    # A 16-year-old joining the Joko family is no child under 5 of it.
    assert selectors.assess_family(krs.joko, ON).target_reasons == (
        TargetReason.PUS,
        TargetReason.UNDER_2,
    )
    rows = {r.family.pk: r for r in selectors.assess_families(Family.objects.all(), ON)}
    assert RiskReason.TOO_MANY in rows[krs.wayan.pk].assessment.risk_reasons


def test_village_summary(krs: Krs) -> None:
    assert selectors.village_summary(VILLAGE, ON) == Summary(
        area_code=VILLAGE,
        on=ON,
        families=4,
        target=3,
        at_risk=2,
        by_reason=dict.fromkeys(RiskReason, 1),
        by_target_reason={
            TargetReason.PUS: 3,
            TargetReason.PREGNANT: 1,
            TargetReason.UNDER_2: 1,
            TargetReason.AGE_2_TO_5: 0,
        },
        house_not_recorded=1,
    )


def test_summary_of_an_rt_and_of_another_day(krs: Krs) -> None:
    rt = selectors.village_summary(RT, ON)
    assert (rt.families, rt.target, rt.at_risk, rt.house_not_recorded) == (2, 2, 1, 1)
    assert rt.by_reason == {
        **NO_REASONS,
        RiskReason.TOO_OLD: 1,
        RiskReason.TOO_CLOSE: 1,
        RiskReason.TOO_MANY: 1,
    }
    # On 1 January 2025 Dewi Lestari was not married yet and Putri not born: Joko's family was
    # no target; Ni Made Sari was 35, not yet too old.
    early = selectors.village_summary(VILLAGE, dt.date(2025, 1, 1))
    assert (early.target, early.at_risk) == (2, 1)
    assert early.by_reason == {**NO_REASONS, RiskReason.TOO_CLOSE: 1, RiskReason.TOO_MANY: 1}


@override_settings(KAMPUNGKB_KRS_TOO_OLD_AGE=38)
def test_too_old_age_is_a_setting(krs: Krs) -> None:
    summary = selectors.village_summary(VILLAGE, ON)
    assert summary.by_reason[RiskReason.TOO_OLD] == 0
    assert summary.at_risk == 2  # the Wayan family is still too close and too many


@pytest.mark.parametrize("code", [KEC, KAB, "64"])
def test_village_summary_refuses_an_area_above_a_village(krs: Krs, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        selectors.village_summary(code, ON)
    assert refused.value.error_dict["area"][0].code == "stunting.area_above_village"


def test_village_summary_of_an_unknown_area_is_not_found(krs: Krs) -> None:
    with pytest.raises(Http404):
        selectors.village_summary("99.99.99.9999", ON)


def test_village_summary_of_a_village_without_families(world: World) -> None:
    assert selectors.village_summary(VILLAGE_2, ON).families == 0


@pytest.mark.parametrize(
    ("username", "area", "expected"),
    [
        ("cadre", VILLAGE, ["I Wayan Sudarma", "Joko Susilo"]),
        ("cadre", RT, ["I Wayan Sudarma"]),
        ("cadre_rt", RT, ["I Wayan Sudarma"]),
        ("pkb", VILLAGE_2, ["Agus Salim"]),
        ("district", VILLAGE, ["I Wayan Sudarma", "Joko Susilo"]),
        ("admin", OTHER_VILLAGE, ["Lalu Ahmad"]),
        ("other_cadre", OTHER_VILLAGE, ["Lalu Ahmad"]),
    ],
)
def test_at_risk_list_by_user(krs: Krs, world: World, username, area, expected) -> None:
    rows = selectors.at_risk_list(user=world.user(username), area_code=area, on=ON)
    assert heads(rows) == expected


@pytest.mark.parametrize(
    ("username", "area"),
    [
        ("cadre", VILLAGE_2),
        ("cadre_rt", VILLAGE),
        ("cadre_rt", RT_2),
        ("partner", VILLAGE),
        ("viewer", VILLAGE),
        ("other_cadre", VILLAGE),
        ("other_district", RT),
    ],
)
def test_at_risk_list_outside_the_users_areas_is_not_found(
    krs: Krs, world: World, username: str, area: str
) -> None:
    with pytest.raises(Http404):
        selectors.at_risk_list(user=world.user(username), area_code=area, on=ON)


def test_at_risk_list_refuses_an_area_above_a_village(krs: Krs, world: World) -> None:
    with pytest.raises(ValidationError):
        selectors.at_risk_list(user=world.user("district"), area_code=KEC, on=ON)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (RiskReason.TOO_YOUNG, ["Joko Susilo"]),
        (RiskReason.TOO_MANY, ["I Wayan Sudarma"]),
        (RiskReason.UNSAFE_WATER, ["Joko Susilo"]),
        ("too_close", ["I Wayan Sudarma"]),
    ],
)
def test_at_risk_list_by_reason(krs: Krs, world: World, reason: Any, expected) -> None:
    rows = selectors.at_risk_list(user=world.user("cadre"), area_code=VILLAGE, on=ON, reason=reason)
    assert heads(rows) == expected


def test_the_list_and_its_reasons(krs: Krs, world: World, django_assert_num_queries: Any) -> None:
    [wayan, joko] = selectors.at_risk_list(user=world.user("cadre"), area_code=VILLAGE, on=ON)
    assert wayan.assessment.unknown == tuple(Unknown)
    assert joko.assessment.unknown == ()
    with django_assert_num_queries(0):  # the head and the areas up to the village are loaded
        assert heads([joko]) == ["Joko Susilo"]
        assert area_label(joko.family.area) == "Kota Bangun Ulu \u203a RW 001 \u203a RT 002"


def test_default_area(world: World) -> None:
    assert [
        getattr(selectors.default_area(world.user(u)), "code", None)
        for u in ("admin", "district", "pkb", "cadre", "cadre_rt", "partner", "other_cadre")
    ] == [None, None, VILLAGE, VILLAGE, RT, None, OTHER_VILLAGE]


@pytest.mark.parametrize("extra", [0, 12])
def test_a_village_is_assessed_in_four_queries(
    krs: Krs, django_assert_num_queries: Any, extra: int
) -> None:
    area = Area.objects.get(code=RT)
    for serial in range(extra):
        _, couple = _couple_family(
            RT,
            head=(f"Suami {serial}", dt.date(1990, 1, 1)),
            wife=(f"Istri {serial}", dt.date(1995, 1, 1)),
            married_on=dt.date(2015, 1, 1),
            serial=400 + 2 * serial,
        )
        birth_record(
            mother=couple.wife,
            full_name=f"Anak {serial}",
            sex=Sex.MALE,
            birth_date=dt.date(2025, 1, 1),
            actor=None,
        )
    family_register(
        area=area,
        kk_number=None,
        address="",
        actor=None,
        head=PersonData(
            full_name="Mbah Karto",
            sex=Sex.MALE,
            birth_date=dt.date(1950, 1, 1),
            relation_to_head=Relation.HEAD,
        ),
    )
    families = Family.objects.filter(area=area).order_by("pk")
    with django_assert_num_queries(4):
        rows = selectors.assess_families(families, ON)
    assert len(rows) == 3 + extra
    assert sum(r.assessment.is_target for r in rows) == 2 + extra
