"""A bride-to-be whose registration is cancelled (decision 0040): not eligible from the day of the
cancellation, her assignment no longer current that day and ended on it by the daily closing,
and not counted among the brides to accompany from the first month that starts cancelled, the
same on the coverage page and in the facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kampungkb.cadres import tpk_selectors as selectors
from kampungkb.cadres import tpk_services as services
from kampungkb.cadres.models import EndReason, TpkAssignment, TpkVisit
from kampungkb.cadres.tests.test_tpk_brides import assign, catin, codes, visit  # noqa: F401
from kampungkb.cadres.tests.test_tpk_facts import area_village, figures
from kampungkb.cadres.tpk_facts import TpkCoverageSource
from kampungkb.core.models import AuditEvent
from kampungkb.core.periods import months
from kampungkb.indicators.registry import Code
from kampungkb.stunting import bride_services
from kampungkb.testing.world import KEC, OTHER_VILLAGE, VILLAGE, World

D = dt.date
CANCELLED = D(2025, 4, 15)
MONTHS = months(D(2025, 1, 1), D(2025, 7, 1))
TODAY = D(2026, 1, 15)


def cancel(catin: Any, on: dt.date = CANCELLED) -> None:  # noqa: F811
    bride_services.bride_cancel(bride=catin.rina, on=on, reason="called_off", actor=None)
    catin.rina.refresh_from_db()


@pytest.fixture
def followed(catin: Any) -> TpkAssignment:  # noqa: F811
    """Rina (registered 01-02-2025) accompanied from 01-02 and visited on 03-03; her wedding is
    called off on 15-04."""
    assignment = assign(catin, catin.rina)
    visit(catin, assignment, D(2025, 3, 3))
    cancel(catin)
    return assignment


def test_not_eligible_from_the_cancellation(catin: Any, followed: TpkAssignment) -> None:  # noqa: F811
    TpkVisit.objects.all().delete()
    TpkAssignment.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        assign(catin, catin.rina, CANCELLED)
    assert codes(error.value) == ["bride.cancelled"]
    assert not TpkAssignment.objects.exists()
    assert assign(catin, catin.rina, D(2025, 4, 14)).started_on == D(2025, 4, 14)


def test_not_current_nor_visited_from_the_cancellation(
    catin: Any,  # noqa: F811
    followed: TpkAssignment,
) -> None:
    rina = TpkAssignment.objects.filter(pk=followed.pk)
    assert rina.filter(selectors.current_q(D(2025, 4, 14))).count() == 1
    assert rina.filter(selectors.current_q(CANCELLED)).count() == 0
    assert [i.name for i in selectors.worklist(catin.team, D(2025, 4, 14))] == ["Rina Wati"]
    assert selectors.worklist(catin.team, CANCELLED) == []
    with pytest.raises(ValidationError) as error:
        visit(catin, followed, CANCELLED)
    assert codes(error.value) == ["bride.cancelled"]
    assert TpkVisit.objects.count() == 1
    assert visit(catin, followed, D(2025, 4, 14)).visited_on == D(2025, 4, 14)


def test_close_lapsed_ends_it_on_the_cancellation(catin: Any, followed: TpkAssignment) -> None:  # noqa: F811
    assert services.tpk_close_lapsed(on=D(2025, 4, 14)) == 0
    assert services.tpk_close_lapsed(on=D(2025, 5, 2)) == 1
    followed.refresh_from_db()
    assert (followed.ended_on, followed.end_reason) == (CANCELLED, EndReason.BRIDE_CANCELLED)
    event = AuditEvent.objects.filter(action="tpk_assignment.end").get()
    assert event.after["end_reason"] == "bride_cancelled"
    with translation.override("id"):
        assert followed.get_end_reason_display() == "Pendaftaran calon pengantin dibatalkan"
    assert services.tpk_close_lapsed(on=D(2025, 5, 2)) == 0


def test_no_longer_to_assign_until_reopened(
    world: World,
    catin: Any,  # noqa: F811
    followed: TpkAssignment,
) -> None:
    services.tpk_close_lapsed(on=D(2025, 5, 2))
    on = D(2025, 5, 2)
    assert [b.full_name for b in selectors.brides_to_accompany(VILLAGE, on)] == ["Dewi Lestari"]
    assert dict(selectors.target_choices(catin.team, on))["Calon pengantin"] == [
        (f"bride:{catin.dewi.pk}", "Dewi Lestari (20-04-2025)")
    ]
    found = selectors.village_teams(user=world.user("pkb"), village=world.area(VILLAGE), on=on)
    assert [b.full_name for b in found.unassigned_brides] == ["Dewi Lestari"]

    bride_services.bride_reopen(bride=catin.rina, actor=None)
    found = selectors.village_teams(user=world.user("pkb"), village=world.area(VILLAGE), on=on)
    assert [b.full_name for b in found.unassigned_brides] == ["Dewi Lestari", "Rina Wati"]
    followed.refresh_from_db()  # the ended assignment stays ended; she is assigned again
    assert (followed.ended_on, followed.end_reason) == (CANCELLED, EndReason.BRIDE_CANCELLED)
    assert assign(catin, catin.rina, on).started_on == on


@pytest.mark.parametrize(
    ("cancelled_on", "april"),
    [(CANCELLED, (2, 0)), (D(2025, 4, 1), (1, 0)), (D(2025, 4, 2), (2, 0))],
)
def test_coverage_counts_her_until_a_month_starts_cancelled(
    catin: Any,  # noqa: F811
    cancelled_on: dt.date,
    april: tuple[int, int],
) -> None:
    """Dewi to accompany from January (never pregnant here), Rina from February, visited in
    March; her registration cancelled in April: counted in April unless cancelled on the 1st."""
    visit(catin, assign(catin, catin.rina), D(2025, 3, 3))
    cancel(catin, cancelled_on)

    def brides(area: str, month: dt.date) -> tuple[int, int]:
        c = selectors.tpk_coverage(area, month, TODAY)
        return c.brides, c.brides_visited

    for area in (VILLAGE, KEC):
        assert [brides(area, D(2025, m, 1)) for m in (1, 2, 3, 4, 5)] == [
            (1, 0),
            (2, 0),
            (2, 1),
            april,
            (1, 0),
        ]


@pytest.mark.parametrize("cancelled_on", [CANCELLED, D(2025, 4, 1), D(2025, 3, 1)])
def test_facts_equal_the_coverage(world: World, catin: Any, cancelled_on: dt.date) -> None:  # noqa: F811
    visit(catin, assign(catin, catin.rina), D(2025, 3, 3))
    cancel(catin, cancelled_on)
    wanted = {VILLAGE: MONTHS, OTHER_VILLAGE: MONTHS}
    out = TpkCoverageSource().rows(area_village(VILLAGE, OTHER_VILLAGE), wanted, TODAY, {})
    by_month = {}
    for month in MONTHS:
        c = selectors.tpk_coverage(VILLAGE, month, TODAY)
        assert figures(out[(VILLAGE, month)])[Code.TPK_BRIDE_ACCOMPANIED] == (
            c.brides_visited,
            c.brides,
        ), month
        by_month[month] = figures(out[(VILLAGE, month)])[Code.TPK_BRIDE_ACCOMPANIED]
    expected_march = (Decimal(0), Decimal(1)) if cancelled_on == D(2025, 3, 1) else (1, 2)
    assert by_month[D(2025, 3, 1)] == expected_march
    assert by_month[D(2025, 5, 1)] == (0, 1)
