"""The TPK coverage per village and month, for the fill engine (decision 0040).

Registered with ``indicators.sources`` by this app's ``ready``: the fill calls
``TpkCoverageSource.rows`` for each batch of villages with all their months. The figures are those
of ``tpk_selectors.tpk_coverage`` for the same village and month, read set-based for the whole
batch: one query for the visits of the batch's teams over the whole span, one grouped query for
the pregnancies (a count per month) and one for the visited ones, one for the brides-to-be (with the day her first pregnancy was recorded), and the
at-risk status of the visited families only, four queries per month with visits
(``stunting.selectors.assess_families``). The families at risk (the denominator) are the
``KRS_AT_RISK`` numerator the fill computed before the sources ran.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery

from kampungkb.cadres.models import TpkVisit
from kampungkb.cadres.tpk_selectors import VISIT_COLUMNS, Visited, pregnant_in_q, risk_day
from kampungkb.core.periods import month_end, month_start
from kampungkb.families.models import Family, Pregnancy
from kampungkb.indicators.registry import Code
from kampungkb.indicators.sources import Row
from kampungkb.stunting.models import BrideToBe
from kampungkb.stunting.selectors import assess_families

CHUNK = 2000
VillageMonth = tuple[str, dt.date]


def _d(value: int | Decimal) -> Decimal:
    return Decimal(value)


def at_risk_denominator(rows: Sequence[Row]) -> Decimal:
    """The families at risk of a village and month: the ``KRS_AT_RISK`` numerator the fill
    computed (0 when it has none)."""
    return next(
        (n for code, sg, n, _den in rows if code == Code.KRS_AT_RISK and sg == ""), Decimal(0)
    )


class TpkCoverageSource:
    key = "tpk"

    def rows(
        self,
        area_village: Mapping[str, str],
        wanted: Mapping[str, Sequence[dt.date]],
        today: dt.date,
        computed: Mapping[str, Mapping[dt.date, Sequence[Row]]],
    ) -> dict[VillageMonth, list[Row]]:
        periods = sorted({p for ps in wanted.values() for p in ps})
        if not periods:
            return {}
        batch = _Batch(area_village, periods, today)
        out: dict[VillageMonth, list[Row]] = {}
        for village, village_periods in wanted.items():
            for period in village_periods:
                key = (village, period)
                at_risk = at_risk_denominator(computed.get(village, {}).get(period, ()))
                out[key] = [
                    (Code.TPK_KRS_ACCOMPANIED, "", _d(batch.families[key]), at_risk),
                    (
                        Code.TPK_PREGNANT_ACCOMPANIED,
                        "",
                        _d(batch.pregnant_visited[key]),
                        _d(batch.pregnant[key]),
                    ),
                    (
                        Code.TPK_BRIDE_ACCOMPANIED,
                        "",
                        _d(batch.brides_visited[key]),
                        _d(batch.brides[key]),
                    ),
                ]
        return out


class _Batch:
    """The counts of a batch of villages for its months, by (village, month)."""

    def __init__(
        self, area_village: Mapping[str, str], periods: Sequence[dt.date], today: dt.date
    ) -> None:
        self.area_village = area_village
        self.areas = list(area_village)
        self.periods = [month_start(p) for p in periods]
        self.first = self.periods[0]
        self.last = month_end(self.periods[-1])
        self.families: dict[VillageMonth, int] = defaultdict(int)
        self.pregnant: dict[VillageMonth, int] = defaultdict(int)
        self.pregnant_visited: dict[VillageMonth, int] = defaultdict(int)
        self.brides: dict[VillageMonth, int] = defaultdict(int)
        self.brides_visited: dict[VillageMonth, int] = defaultdict(int)
        self.visited = self._visits()
        self._families(today)
        self._pregnancies()
        self._brides()

    def _visits(self) -> dict[dt.date, Visited]:
        """Whom the batch's teams visited, by month."""
        by_month: dict[dt.date, Visited] = defaultdict(Visited)
        villages = sorted(set(self.area_village.values()))
        for day, *row in TpkVisit.objects.filter(
            team__village_id__in=villages, visited_on__gte=self.first, visited_on__lte=self.last
        ).values_list("visited_on", *VISIT_COLUMNS):
            by_month[month_start(day)].add(tuple(row))
        return by_month

    def _families(self, today: dt.date) -> None:
        """The visited families at risk on each month's reference day, by their village."""
        for period in self.periods:
            pairs = self.visited[period].families if period in self.visited else set()
            ids = sorted({family for family, _village in pairs})
            for i in range(0, len(ids), CHUNK):
                families = Family.objects.filter(
                    pk__in=ids[i : i + CHUNK], is_active=True, area_id__in=self.areas
                ).order_by("pk")
                for assessed in assess_families(families, risk_day(period, today)):
                    village = self.area_village[assessed.family.area_id]
                    if assessed.assessment.is_at_risk and (assessed.family.pk, village) in pairs:
                        self.families[(village, period)] += 1

    def _pregnancies(self) -> None:
        """Pregnant women in each month (a pregnancy open at some time in it), by the village of
        the wife's family: one grouped query with a count per month. Then those visited as
        pregnant, from the visited pregnancies only."""

        span = Pregnancy.objects.filter(
            pregnant_in_q(self.first, self.last), couple__wife__family__area_id__in=self.areas
        )
        area = "couple__wife__family__area_id"
        counts = {
            f"m{i}": Count("pk", filter=pregnant_in_q(p, month_end(p)))
            for i, p in enumerate(self.periods)
        }
        for row in span.values(area).annotate(**counts).order_by():
            village = self.area_village[row[area]]
            for i, period in enumerate(self.periods):
                self.pregnant[(village, period)] += row[f"m{i}"]
        visited = sorted({pk for v in self.visited.values() for pk, _village in v.pregnant})
        for i in range(0, len(visited), CHUNK):
            for pk, home, recorded_on, ended_on in span.filter(
                pk__in=visited[i : i + CHUNK]
            ).values_list("pk", area, "recorded_on", "ended_on"):
                village = self.area_village[home]
                for period in self.periods:
                    if recorded_on <= month_end(period) and (
                        ended_on is None or ended_on >= period
                    ):
                        seen = self.visited.get(period)
                        self.pregnant_visited[(village, period)] += bool(
                            seen and (pk, village) in seen.pregnant
                        )

    def _brides(self) -> None:
        """Brides-to-be to accompany in each month (registered by its last day, her first
        pregnancy after the wedding not recorded and her registration not cancelled by its first
        day), and those visited."""
        first_pregnancy = Pregnancy.objects.filter(
            couple_id=OuterRef("couple_id"), recorded_on__gte=OuterRef("married_on")
        ).order_by("recorded_on")
        brides = (
            BrideToBe.objects.filter(area_id__in=self.areas, registered_on__lte=self.last)
            .annotate(pregnant_on=Subquery(first_pregnancy.values("recorded_on")[:1]))
            .values_list("pk", "area_id", "registered_on", "pregnant_on", "cancelled_on")
        )
        for pk, area, registered_on, pregnant_on, cancelled_on in brides:
            village = self.area_village[area]
            for period in self.periods:
                if (
                    registered_on <= month_end(period)
                    and (pregnant_on is None or pregnant_on > period)
                    and (cancelled_on is None or cancelled_on > period)
                ):
                    self.brides[(village, period)] += 1
                    visited = self.visited.get(period)
                    self.brides_visited[(village, period)] += bool(
                        visited and (pk, village) in visited.brides
                    )
