"""The monthly recap: for an area and a month, one row per direct sub-area and a totals row, each
the stored facts of the key indicators (``indicators.selectors``), never person rows. The totals
row is the area's own facts, so its percentages are weighted, not sums of the rows'."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, area_or_404, scoped
from kampungkb.core.periods import add_months, month_start
from kampungkb.indicators.registry import Code, Indicator, indicator
from kampungkb.indicators.selectors import fact_list
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_children, subtree_q


@dataclass(frozen=True)
class Column:
    code: Code
    label: Any  # a lazily translated label

    @property
    def indicator(self) -> Indicator:
        return indicator(self.code)


# The columns of the recap as district staff know it, in their order.
COLUMNS: tuple[Column, ...] = (
    Column(Code.PUS, _("PUS")),
    Column(Code.PA, _("PA")),
    Column(Code.PB, _("PB")),
    Column(Code.CPR, _("CPR (%)")),
    Column(Code.MCPR, _("mCPR (%)")),
    Column(Code.MKJP, _("MKJP (%)")),
    Column(Code.UNMET_NEED, _("Unmet need (%)")),
    Column(Code.DROP_OUT, _("Drop-outs")),
    Column(Code.KBPP, _("KBPP")),
    Column(Code.MALE, _("Male participation (%)")),
    Column(Code.CYP, _("CYP")),
)
CODES = tuple(c.code.value for c in COLUMNS)
# The dashboard may also rank and map the sub-areas by their participation index (issue 7),
# their stunting prevalence, their share of families at risk and how many of those a TPK
# accompanies (issue 8).
MAP_COLUMNS: tuple[Column, ...] = (
    *COLUMNS,
    Column(Code.PI, _("Participation index")),
    Column(Code.STUNTING, _("Stunting (%)")),
    Column(Code.KRS_AT_RISK, _("Families at risk of stunting (%)")),
    Column(Code.TPK_KRS_ACCOMPANIED, _("Families at risk accompanied by a TPK (%)")),
)
MAP_CODES = tuple(c.code.value for c in MAP_COLUMNS)

# Facts are filled down to the village; below it (RW, RT) there are none to show.
LOWEST_LEVEL_WITH_FACTS = Level.VILLAGE


@dataclass(frozen=True)
class RecapRow:
    area: Area
    values: dict[str, Decimal | None]  # indicator code -> value (None: no fact, or 0/0)

    def cells(self) -> list[Decimal | None]:
        return [self.values[code] for code in CODES]


@dataclass(frozen=True)
class Recap:
    area: Area
    period: dt.date  # the first day of the month
    rows: list[RecapRow]
    total: RecapRow

    @property
    def has_villages_sheet(self) -> bool:
        """A kabupaten/kota's Excel recap has a second sheet with all its villages."""
        return self.area.level == Level.REGENCY


def last_complete_month(today: dt.date) -> dt.date:
    return add_months(month_start(today), -1)


def _rows(areas: list[Area], facts: dict[tuple[str, str], Decimal | None]) -> list[RecapRow]:
    return [
        RecapRow(area=a, values={code: facts.get((a.code, code)) for code in CODES}) for a in areas
    ]


def _facts(user: Any, period: dt.date, **where: Any) -> dict[tuple[str, str], Decimal | None]:
    rows = fact_list(user=user, codes=CODES, month_from=period, month_to=period, **where)
    return {(f.area_code, f.indicator): f.value for f in rows}


def recap_get(*, user: Any, area: Area, period: dt.date) -> Recap:
    """The recap of ``area`` (already checked to be in scope) for the month of ``period``: two
    queries whatever the number of sub-areas."""
    period = month_start(period)
    children: list[Area] = []
    if area.level < LOWEST_LEVEL_WITH_FACTS:
        children = list(area_children(area).order_by("code"))
    facts = _facts(user, period, area_codes=[area.code, *(c.code for c in children)])
    return Recap(
        area=area,
        period=period,
        rows=_rows(children, facts),
        total=_rows([area], facts)[0],
    )


def recap_villages(*, user: Any, area: Area, period: dt.date) -> list[RecapRow]:
    """Every village within ``area``, for the second sheet of a kabupaten's recap (two
    queries)."""
    villages = list(
        scoped(
            user,
            Area.objects.filter(
                subtree_q("code", [area.code]), level=Level.VILLAGE, is_active=True
            ),
        )
        .select_related("parent")
        .order_by("code")
    )
    facts = _facts(user, month_start(period), within=area.code, level=Level.VILLAGE)
    return _rows(villages, facts)


def recap_area(user: Any, code: str) -> Area:
    """The area of a recap: one the user sees aggregates of, or not found."""
    return area_or_404(user, code, Capability.VIEW_AGGREGATES)
