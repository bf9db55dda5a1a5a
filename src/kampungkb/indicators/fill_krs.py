"""Families at risk of stunting (KRS) per village and month, for the fill engine (decision 0039):
the counts of ``stunting.krs_counts`` (set-based, the same answer as ``risk.assess``) as rows of
the indicators ``KRS_TARGET``, ``KRS_AT_RISK``, one per risk reason and ``KRS_HOUSE_UNKNOWN``.
Every ratio is a share of the target families, so roll-ups sum numerators and denominators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kampungkb.indicators.registry import Code
from kampungkb.stunting.krs_counts import AT_RISK, HOUSE_UNKNOWN, TARGET, krs_counts
from kampungkb.stunting.risk import RiskReason

# indicator, subgroup, numerator, denominator
Row = tuple[str, str, Decimal, Decimal | None]

# Each indicator over the target families, with the count that is its numerator.
SHARES: tuple[tuple[Code, str], ...] = (
    (Code.KRS_AT_RISK, AT_RISK),
    (Code.KRS_UNSAFE_WATER, RiskReason.UNSAFE_WATER.value),
    (Code.KRS_NO_LATRINE, RiskReason.NO_DECENT_LATRINE.value),
    (Code.KRS_TOO_YOUNG, RiskReason.TOO_YOUNG.value),
    (Code.KRS_TOO_OLD, RiskReason.TOO_OLD.value),
    (Code.KRS_TOO_CLOSE, RiskReason.TOO_CLOSE.value),
    (Code.KRS_TOO_MANY, RiskReason.TOO_MANY.value),
    (Code.KRS_HOUSE_UNKNOWN, HOUSE_UNKNOWN),
)


def krs_rows(
    area_village: Mapping[str, str],
    wanted: Mapping[str, Sequence[dt.date]],
    refs: Mapping[dt.date, dt.date],
) -> dict[tuple[str, dt.date], list[Row]]:
    """The KRS rows of every (village, month) of ``wanted`` (zeros too): the active families of
    the village's areas (``area_village`` maps each area code, the village and its RW and RT, to
    its village) judged on the month's reference day ``refs[month]``."""
    months = {m for ms in wanted.values() for m in ms}
    counts = krs_counts(
        {a: v for a, v in area_village.items() if v in wanted}, {m: refs[m] for m in months}
    )
    out: dict[tuple[str, dt.date], list[Row]] = {}
    for village, village_months in wanted.items():
        for month in village_months:
            c = counts.get((village, month), {})
            target = Decimal(c.get(TARGET, 0))
            out[(village, month)] = [
                (Code.KRS_TARGET, "", target, None),
                *((code, "", Decimal(c.get(name, 0)), target) for code, name in SHARES),
            ]
    return out
