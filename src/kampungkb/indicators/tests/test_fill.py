"""The fill engine: each indicator against a value worked out by hand for June 2025 in the
fixture village (``conftest.village``), roll-ups, incremental marks and resumability."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kampungkb.contraception.models import ServiceVisit
from kampungkb.core import hooks
from kampungkb.core.periods import month_start, months
from kampungkb.families import services as families
from kampungkb.families.models import Couple
from kampungkb.indicators import fill as engine
from kampungkb.indicators import fill_stock, fill_write, sources
from kampungkb.indicators.models import NATION, CoupleMark, DirtyMark, Fact
from kampungkb.indicators.registry import DERIVED, INDICATORS
from kampungkb.indicators.tests.conftest import visit
from kampungkb.regions.models import Level
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, VILLAGE, VILLAGE_2

D = dt.date
JUNE = D(2025, 6, 1)
Facts = dict[tuple[str, str, dt.date, str], tuple[Decimal, Decimal | None]]

# Worked out by hand from the fixture. PUS on 30 June: A B C D E F G H K L M N (I divorced, J 50).
# Active: A (SUNTIK3), B (IUD), C (KONDOM), G (SUNTIK3), L (MOP), M (TRAD), N (IMPLAN3).
EXPECTED_JUNE: dict[tuple[str, str], tuple[str, str | None]] = {
    ("PUS", ""): ("12", None),
    ("PA", ""): ("7", None),
    ("PA", "method:SUNTIK3"): ("2", None),
    ("PA", "method:IUD"): ("1", None),
    ("PA", "method:KONDOM"): ("1", None),
    ("PA", "method:MOP"): ("1", None),
    ("PA", "method:TRAD"): ("1", None),
    ("PA", "method:IMPLAN3"): ("1", None),
    ("MCPR", ""): ("6", "12"),
    ("CPR", ""): ("7", "12"),
    ("MKJP", ""): ("3", "7"),  # B, L, N
    ("MALE", ""): ("2", "7"),  # C, L
    ("NON_USER", ""): ("5", None),
    ("NON_USER", "reason:pregnant"): ("1", None),  # F
    ("NON_USER", "reason:soon"): ("1", None),  # H
    ("NON_USER", "reason:delay"): ("1", None),  # D
    ("NON_USER", "reason:no_more"): ("1", None),  # E, dropped out on 17 June
    ("NON_USER", "reason:unknown"): ("1", None),  # K
    ("UNMET_NEED", ""): ("2", "12"),
    ("UNMET_NEED", "reason:delay"): ("1", "12"),
    ("UNMET_NEED", "reason:no_more"): ("1", "12"),
    ("PB", ""): ("4", None),  # B, C, G, L; N switched
    ("PB", "method:IUD"): ("1", None),
    ("PB", "method:KONDOM"): ("1", None),
    ("PB", "method:SUNTIK3"): ("1", None),
    ("PB", "method:MOP"): ("1", None),
    ("KBPP", ""): ("1", None),  # G, 26 days after the birth
    ("KBPP", "method:SUNTIK3"): ("1", None),
    # E: pill due 10 March, grace 7 days, drop-out three months later on 17 June.
    ("DROP_OUT", ""): ("1", None),
    ("DROP_OUT", "method:PIL"): ("1", None),
    # IUD 4.6 + 30 condoms x 0.00833 + SUNTIK3 0.25 + MOP 10 + IMPLAN3 (switch) 2.5.
    ("CYP", ""): ("17.5999", None),
    ("CYP", "method:IUD"): ("4.6", None),
    ("CYP", "method:KONDOM"): ("0.2499", None),
    ("CYP", "method:SUNTIK3"): ("0.25", None),
    ("CYP", "method:MOP"): ("10", None),
    ("CYP", "method:IMPLAN3"): ("2.5", None),
    ("PUS_PREGNANT", ""): ("1", None),  # F; G's pregnancy ended in May
    ("WIFE_UNDER_20", ""): ("1", None),  # H
    # Child growth (decision 0034): no child measured.
    ("CHILD_MEASURED", ""): ("0", None),
    ("STUNTING", ""): ("0", "0"),
    ("SEVERE_STUNTING", ""): ("0", "0"),
    ("WASTING", ""): ("0", "0"),
    ("UNDERWEIGHT", ""): ("0", "0"),
    # Marriages (decision 0037): none in June (H married in March).
    ("MARRIAGES", ""): ("0", None),
    ("MARRIED_UNDER_19", ""): ("0", "0"),
    ("WIFE_MARRIED_UNDER_21", ""): ("0", "0"),
    ("HUSBAND_MARRIED_UNDER_25", ""): ("0", "0"),
    # Families at risk of stunting on 30 June (decision 0039): the twelve PUS families, none
    # with its house recorded; too old (over 35) C 37, G 38, L 40; too young H 19.
    ("KRS_TARGET", ""): ("12", None),
    ("KRS_AT_RISK", ""): ("4", "12"),
    ("KRS_UNSAFE_WATER", ""): ("0", "12"),
    ("KRS_NO_LATRINE", ""): ("0", "12"),
    ("KRS_TOO_YOUNG", ""): ("1", "12"),
    ("KRS_TOO_OLD", ""): ("3", "12"),
    ("KRS_TOO_CLOSE", ""): ("0", "12"),
    ("KRS_TOO_MANY", ""): ("0", "12"),
    ("KRS_HOUSE_UNKNOWN", ""): ("12", "12"),
    # Family-assistance teams (decision 0040): no team visited anyone; F pregnant in June.
    ("TPK_KRS_ACCOMPANIED", ""): ("0", "4"),
    ("TPK_PREGNANT_ACCOMPANIED", ""): ("0", "1"),
    ("TPK_BRIDE_ACCOMPANIED", ""): ("0", "0"),
    # The participation index (decision 0035): the fixture has no activity, cadre, poktan or
    # follow-up, so those figures are zero of zero (no figure) or zero of the PUS/families.
    ("MEN_REACHED", ""): ("0", None),
    ("PI_ACCEPT", ""): ("0", "0"),
    ("PI_ATTEND", ""): ("0", "12"),
    ("PI_INTENTION", ""): ("4", "12"),  # D, E, F, H
    # In force on 1 April: E (pill), M (traditional), N (monthly injectable from 1 April, then a
    # switch, not a drop-out); E dropped out on 17 June.
    ("PI_CONTINUATION", ""): ("2", "3"),
    ("PI_ON_TIME", ""): ("0", "0"),
    ("PI_POKTAN", ""): ("0", "0"),
    ("PI_CADRE_ACTIVE", ""): ("0", "0"),
    ("PI_FAMILY_CONTRIB", ""): ("0", "14"),  # the fourteen couples' families
    ("PI_CADRE_DENSITY", ""): ("0", "14"),
    ("PI_COST_SHARE", ""): ("0", "0"),
    # Interest: attendance 0 -> 0 (weight 0.3), intention 33.33 % -> 33.33 (0.3), acceptance has
    # no figure: (0 + 33.333 x 0.3) / 0.6 = 16.67.
    ("PI_INTEREST", ""): ("16.67", None),
    # Activeness: mCPR 50 % of 70 -> 71.43 (0.3), continuation 66.67 % between 50 and 100 ->
    # 33.33 (0.2): (21.429 + 6.667) / 0.5 = 56.19.
    ("PI_ACTIVENESS", ""): ("56.19", None),
    # Contribution: families 0 % and cadres 0 per 100 -> 0.
    ("PI_CONTRIBUTION", ""): ("0", None),
    # (16.67 + 56.19 + 0) / 3 = 24.29.
    ("PI", ""): ("24.29", None),
}


def facts(**filters: Any) -> Facts:
    return {
        (f.indicator, f.area_code, f.period, f.subgroup): (f.numerator, f.denominator)
        for f in Fact.objects.filter(**filters)
    }


def fill_months(villages: list[str], first: dt.date, last: dt.date) -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add(villages, first, last)
    engine.fill()


@pytest.mark.django_db
def test_every_indicator_of_june_2025_matches_the_hand_count(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE_2], JUNE, JUNE)
    got = {
        (f.indicator, f.subgroup): (f.numerator, f.denominator)
        for f in Fact.objects.filter(area_code=VILLAGE_2, period=JUNE)
    }
    expected = {
        key: (Decimal(n), Decimal(d) if d is not None else None)
        for key, (n, d) in EXPECTED_JUNE.items()
    }
    assert got == expected
    assert {code for code, _ in got} == {i.code.value for i in INDICATORS}


@pytest.mark.django_db
def test_marriages_of_march_by_the_spouses_ages(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE_2], D(2025, 3, 1), D(2025, 3, 1))
    got = {
        f.indicator: (f.numerator, f.denominator)
        for f in Fact.objects.filter(
            area_code=VILLAGE_2, period=D(2025, 3, 1), indicator__contains="MARRI"
        )
    }
    # H married on 1 March 2025, the day she turned 19, to a husband of 45: not below the legal
    # age, below the ideal age for women.
    assert got == {
        "MARRIAGES": (Decimal(1), None),
        "MARRIED_UNDER_19": (Decimal(0), Decimal(1)),
        "WIFE_MARRIED_UNDER_21": (Decimal(1), Decimal(1)),
        "HUSBAND_MARRIED_UNDER_25": (Decimal(0), Decimal(1)),
    }


@pytest.mark.django_db
def test_values_are_computed_on_read(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE_2], JUNE, JUNE)
    mcpr = Fact.objects.get(area_code=VILLAGE_2, period=JUNE, indicator="MCPR", subgroup="")
    cyp = Fact.objects.get(area_code=VILLAGE_2, period=JUNE, indicator="CYP", subgroup="")
    assert mcpr.value == Decimal(50)
    assert cyp.value == Decimal("17.5999")


@pytest.mark.django_db
def test_flows_count_in_the_month_they_happen(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE_2], D(2025, 2, 1), D(2025, 5, 1))
    pb = {f.period: f.numerator for f in Fact.objects.filter(indicator="PB", subgroup="")}
    # M (traditional) in January is outside; E pill in February; N in April; A in May.
    assert pb == {D(2025, 2, 1): 1, D(2025, 3, 1): 0, D(2025, 4, 1): 1, D(2025, 5, 1): 1}
    cyp = {f.period: f.numerator for f in Fact.objects.filter(indicator="CYP", subgroup="")}
    # N's monthly injectable twice in April; A's 3-monthly injectable in May.
    assert cyp[D(2025, 4, 1)] == Decimal("0.15384")
    assert cyp[D(2025, 5, 1)] == Decimal("0.25")


@pytest.mark.django_db
def test_every_area_is_the_sum_of_its_children(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE, VILLAGE_2, OTHER_VILLAGE], D(2025, 5, 1), JUNE)
    for parent, level in ((KEC, Level.DISTRICT), (KAB, Level.REGENCY), (NATION, 0)):
        children = Fact.objects.filter(level=level + 1).exclude(indicator__in=DERIVED)
        if parent != NATION:
            children = children.filter(area_code__startswith=parent + ".")
        sums: dict[tuple[str, dt.date, str], list[Decimal | None]] = {}
        for f in children:
            total = sums.setdefault((f.indicator, f.period, f.subgroup), [Decimal(0), None])
            total[0] = (total[0] or Decimal(0)) + f.numerator
            if f.denominator is not None:
                total[1] = (total[1] or Decimal(0)) + f.denominator
        got = {
            (f.indicator, f.period, f.subgroup): [f.numerator, f.denominator]
            for f in Fact.objects.filter(area_code=parent).exclude(indicator__in=DERIVED)
        }
        assert got == sums, parent
        # Scores are derived from the area's own figures, never summed (decision 0035).
        for period in (D(2025, 5, 1), JUNE):
            own = Fact.objects.filter(area_code=parent, period=period)
            figures = {f.indicator: (f.numerator, f.denominator) for f in own if not f.subgroup}
            scores = {(f.indicator, f.numerator) for f in own if f.indicator in DERIVED}
            assert scores == {(c, n) for c, _, n, _ in sources.derived_rows(period, figures)}
            assert len(scores) == len(DERIVED)
    kec_pus = Fact.objects.get(area_code=KEC, period=JUNE, indicator="PUS", subgroup="")
    assert kec_pus.numerator == 13  # the fixture's 12 and the world's Siti Aminah


@pytest.mark.django_db
def test_a_visit_marks_only_its_village_from_its_month(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE, VILLAGE_2], D(2025, 5, 1), JUNE)
    before = facts()
    DirtyMark.objects.all().delete()
    visit(village["K"], D(2025, 6, 25), "PIL", quantity=3)
    today = month_start(timezone.localdate())
    # June has facts: the couple is kept and taken by difference (decision 0038); the months
    # after it have none yet and are filled whole.
    marks = set(DirtyMark.objects.values_list("area_code", "period"))
    assert marks == {(VILLAGE_2, p) for p in months(D(2025, 7, 1), today)}
    kept = set(CoupleMark.objects.values_list("couple_id", "area_code", "period"))
    assert kept == {(village["K"].pk, VILLAGE_2, JUNE)}
    engine.fill()
    after = facts()
    changed = {k for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
    assert changed
    assert {area for _, area, _, _ in changed} <= {VILLAGE_2, "64.02.08", "64.02", "64", NATION}
    assert all(period >= JUNE for _, _, period, _ in changed)
    assert after[("PA", VILLAGE_2, JUNE, "")] == (Decimal(8), None)
    assert after[("PA", KEC, JUNE, "")] == (Decimal(8), None)
    assert (
        after[("PA", VILLAGE_2, D(2025, 5, 1), "")] == before[("PA", VILLAGE_2, D(2025, 5, 1), "")]
    )


@pytest.mark.django_db
def test_an_interrupted_fill_resumes_to_the_same_facts(
    village: dict[str, Couple], monkeypatch: pytest.MonkeyPatch
) -> None:
    villages = [VILLAGE, VILLAGE_2, OTHER_VILLAGE]
    fill_months(villages, D(2025, 5, 1), JUNE)
    uninterrupted = facts()
    Fact.objects.all().delete()
    DirtyMark.objects.all().delete()
    engine.marks_add(villages, D(2025, 5, 1), JUNE)
    # Batches of two villages, each written in one transaction: the second batch fails after
    # writing its facts, before its marks are gone, and its transaction is rolled back whole.
    monkeypatch.setattr(engine, "VILLAGE_BATCH", 2)
    real = engine._write_facts
    calls: list[list[str]] = []

    def crash_on_second(level: int, rows: Any, indicators: Any) -> None:
        real(level, rows, indicators)
        calls.append(sorted({code for code, _ in rows}))
        if len(calls) == 2:
            raise RuntimeError("power cut")

    monkeypatch.setattr(engine, "_write_facts", crash_on_second)
    with pytest.raises(RuntimeError):
        engine.fill()
    first, second = sorted(villages)[:2], sorted(villages)[2:]
    assert calls == [first, second]
    left = set(DirtyMark.objects.values_list("area_code", flat=True))
    assert left == set(second) | {code.rsplit(".", 1)[0] for code in first}
    assert set(Fact.objects.values_list("area_code", flat=True)) == set(first)
    monkeypatch.setattr(engine, "_write_facts", real)
    run = engine.fill()
    assert run.finished_at is not None
    assert not DirtyMark.objects.exists()
    assert facts() == uninterrupted


@pytest.mark.django_db
def test_full_fill_marks_every_village_with_families(world: Any) -> None:
    DirtyMark.objects.all().delete()
    engine.marks_add_full(since=D(2025, 1, 1), area="64")
    villages = set(DirtyMark.objects.values_list("area_code", flat=True))
    assert villages == {VILLAGE}


@pytest.mark.django_db
def test_register_changes_mark_their_village(village: dict[str, Couple]) -> None:
    fill_months([VILLAGE_2], JUNE, JUNE)
    DirtyMark.objects.all().delete()
    families.pregnancy_record(
        couple=village["K"], recorded_on=D(2025, 7, 3), expected_on=None, actor=None
    )
    today = month_start(timezone.localdate())
    marks = set(DirtyMark.objects.values_list("area_code", "period"))
    assert marks == {(VILLAGE_2, p) for p in months(D(2025, 7, 1), today)}


def test_a_change_that_lands_while_its_batch_is_computed_is_not_lost(
    village: dict[str, Couple], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_months([VILLAGE_2], JUNE, JUNE)
    assert facts(area_code=VILLAGE_2, period=JUNE)[("PA", VILLAGE_2, JUNE, "")] == (7, None)
    real = engine._fill_villages

    def change_after_computing(villages: list[str], cat: engine.Catalogue) -> engine.Catalogue:
        batch = real(villages, cat)
        if ServiceVisit.objects.filter(couple=village["D"]).exists():
            return batch  # the change lands once
        # D (IAT) starts the pill in June after the batch computed June, and the write marks
        # June again (only June: later months would make the batch recompute everything).
        with monkeypatch.context() as quiet:
            quiet.setattr(hooks, "_area_listeners", [])
            quiet.setattr(hooks, "_couples_listeners", [])
            visit(village["D"], D(2025, 6, 20), "PIL")
        engine.marks_add([VILLAGE_2], JUNE, JUNE)
        return batch

    monkeypatch.setattr(engine, "_fill_villages", change_after_computing)
    engine.marks_add([VILLAGE_2], JUNE, JUNE)
    engine.fill()
    assert not DirtyMark.objects.exists()
    june = facts(area_code=VILLAGE_2, period=JUNE)
    assert june[("PA", VILLAGE_2, JUNE, "")] == (8, None)
    fill_months([VILLAGE_2], JUNE, JUNE)
    assert facts(area_code=VILLAGE_2, period=JUNE) == june


@pytest.mark.django_db
@pytest.mark.parametrize("probed_up_to", [0, 12], ids=["timeline", "probed"])
def test_the_postgresql_write_path_gives_the_portable_paths_facts(
    village: dict[str, Couple], monkeypatch: pytest.MonkeyPatch, probed_up_to: int
) -> None:
    """Decision 0014: on PostgreSQL the stock query for all months, the COPY and the roll-ups
    by INSERT ... SELECT give the same facts as the ORM path SQLite takes, month by month over
    a year with starts, switches, lapses past grace, drop-outs and pregnancies; with the episodes
    in force found on each couple's timeline of runs of months (many months, decision 0041) or
    by probing each episode's latest visit (a few months, decision 0027)."""
    if not fill_write.fast():
        pytest.skip("the fast path is PostgreSQL's; SQLite always takes the portable one")
    monkeypatch.setattr(fill_stock, "LATERAL_MONTHS", probed_up_to)

    def fill_all() -> Facts:
        # Every village with families: the stock query reads whole tables (no semi-join).
        DirtyMark.objects.all().delete()
        Fact.objects.all().delete()
        engine.marks_add_full(since=D(2025, 1, 1))
        DirtyMark.objects.filter(period__gt=D(2025, 12, 1)).delete()
        engine.fill()
        return facts()

    villages = [VILLAGE, VILLAGE_2, OTHER_VILLAGE]
    fill_months(villages, D(2025, 1, 1), D(2025, 12, 1))
    fast = facts()
    fast_all = fill_all()
    Fact.objects.all().delete()
    monkeypatch.setattr(fill_write, "fast", lambda: False)
    fill_months(villages, D(2025, 1, 1), D(2025, 12, 1))
    portable = facts()
    assert fill_all() == fast_all
    assert len(fast) > 12 * 3 * 30
    assert fast == portable
    assert fast[("PA", VILLAGE_2, JUNE, "")] == (Decimal(7), None)
    assert fast[("NON_USER", VILLAGE_2, JUNE, "reason:no_more")] == (Decimal(1), None)


@pytest.mark.django_db
def test_a_mark_set_again_after_it_was_read_survives_the_delete(
    village: dict[str, Couple],
) -> None:
    engine.marks_add([VILLAGE_2], D(2025, 5, 1), JUNE)
    seen = list(DirtyMark.objects.order_by("period").values_list("pk", "marked_at"))
    later = seen[1][1] + dt.timedelta(seconds=1)
    DirtyMark.objects.filter(pk=seen[1][0]).update(marked_at=later)
    engine._delete_seen(seen)
    assert list(DirtyMark.objects.values_list("pk", "marked_at")) == [(seen[1][0], later)]
