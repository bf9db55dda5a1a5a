"""Reads of the barriers: how often each was recorded in an area and its sub-areas.

Aggregates only: counts of follow-ups, never a name. The caller holds ``VIEW_AGGREGATES`` in the
area (``accounts.scope.area_or_404``); the whole subtree of an area it sees is counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

from kampungkb.contraception.models import FollowUp
from kampungkb.participation.actions import actions_in_force, barrier_key
from kampungkb.participation.barriers import (
    CATALOGUE,
    BarrierEntry,
    BarrierGroup,
    SuggestedAction,
)
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_children, subtree_q

AREA_FIELD = "couple__wife__family__area_id"


@dataclass(frozen=True)
class RankedBarrier:
    entry: BarrierEntry
    count: int
    share: float | None  # of all barriers recorded; None when none were
    rank: int | None  # 1 = most often; None when never recorded
    # The action in force in the area: the district's own, else the catalogue's.
    suggested: SuggestedAction | None = None

    @property
    def action(self) -> SuggestedAction:
        return self.suggested or self.entry.action

    @property
    def percent(self) -> float | None:
        return None if self.share is None else round(100 * self.share, 1)


@dataclass(frozen=True)
class MatrixRow:
    area: Area | None  # None: follow-ups of families recorded at the area itself
    counts: list[int]  # in the order of ``Ranking.columns``

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Ranking:
    area: Area
    first: dt.date
    last: dt.date
    rows: list[RankedBarrier]  # most often first, then the catalogue's order
    total: int
    columns: list[BarrierEntry] = field(default_factory=list)  # the community barriers
    matrix: list[MatrixRow] = field(default_factory=list)
    # Every suggested action in force in the area, by key (``actions.action_rows``).
    actions: dict[str, SuggestedAction] = field(default_factory=dict)


def _with_barrier(area: Area, first: dt.date, last: dt.date) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(subtree_q(AREA_FIELD, [area.code]))
        .filter(done_on__gte=first, done_on__lte=last)
        .exclude(barrier="")
        .order_by()
    )


def _ranked(
    counts: dict[str, int], actions: dict[str, SuggestedAction] | None = None
) -> tuple[list[RankedBarrier], int]:
    total = sum(counts.values())
    order = sorted(CATALOGUE, key=lambda e: -counts.get(e.code.value, 0))  # stable: catalogue
    rows: list[RankedBarrier] = []
    rank, previous = 0, -1
    for position, entry in enumerate(order, start=1):
        n = counts.get(entry.code.value, 0)
        if n != previous:
            rank, previous = position, n
        rows.append(
            RankedBarrier(
                entry=entry,
                count=n,
                share=n / total if total else None,
                rank=rank if n else None,
                suggested=(actions or {}).get(barrier_key(entry.code.value)),
            )
        )
    return rows, total


def barrier_ranking(*, area_code: str, first: dt.date, last: dt.date) -> Ranking:
    """Follow-ups with a barrier done from ``first`` to ``last`` (both included) by families in
    the area's subtree: per barrier with its share and rank, and per sub-area. The area must
    already be checked against the user's scope."""
    area = Area.objects.get(code=area_code)
    followups = _with_barrier(area, first, last)
    counts = dict(followups.values_list("barrier").annotate(n=Count("pk")))
    actions = actions_in_force(area)
    rows, total = _ranked(counts, actions)
    columns = [e for e in CATALOGUE if e.group == BarrierGroup.COMMUNITY]
    children = list(area_children(area).order_by("code"))
    return Ranking(
        area=area,
        first=first,
        last=last,
        rows=rows,
        total=total,
        columns=columns,
        matrix=_matrix(children, followups, columns, counts) if children else [],
        actions=actions,
    )


@dataclass(frozen=True)
class MapPoint:
    village: Area
    counts: list[int]  # in the order of the community barriers (``Ranking.columns``)
    top: BarrierEntry | None  # the barrier recorded most (the catalogue's order on a tie)

    @property
    def total(self) -> int:
        return sum(self.counts)


def barrier_map(ranking: Ranking) -> list[MapPoint]:
    """The villages of the ranking's area that have coordinates, each with its count of every
    barrier and its top one: two queries."""
    villages = list(
        Area.objects.filter(
            subtree_q("code", [ranking.area.code]),
            level=Level.VILLAGE,
            is_active=True,
            latitude__isnull=False,
            longitude__isnull=False,
        ).order_by("code")
    )
    if not villages:
        return []
    followups = _with_barrier(ranking.area, ranking.first, ranking.last)
    points = []
    for row in _matrix(villages, followups, ranking.columns, None):
        assert row.area is not None  # noqa: S101 - no row of the area itself without counts
        best = max(row.counts, default=0)
        top = ranking.columns[row.counts.index(best)] if best else None
        points.append(MapPoint(village=row.area, counts=row.counts, top=top))
    return points


def _matrix(
    children: list[Area],
    followups: QuerySet[FollowUp],
    columns: list[BarrierEntry],
    counts: dict[str, int] | None,
) -> list[MatrixRow]:
    """The counts of each of ``children`` by barrier; with the area's own ``counts``, a last row
    for the follow-ups of families recorded at the area itself (not in any child)."""
    by_child: dict[str, dict[str, int]] = defaultdict(dict)
    lengths = sorted({len(c.code) for c in children})
    codes = {c.code for c in children}
    # One grouped query per length of the sub-areas' codes (one in practice): the prefix of a
    # family's area code of that length names the sub-area it lies in.
    for length in lengths:
        grouped = (
            followups.annotate(
                prefix=Substr(AREA_FIELD, 1, length),
                sep=Substr(AREA_FIELD, length + 1, 1),
            )
            .filter(prefix__in=[c for c in codes if len(c) == length], sep__in=[".", ""])
            .values_list("prefix", "barrier")
            .annotate(n=Count("pk"))
        )
        for prefix, barrier, n in grouped:
            by_child[prefix][barrier] = n
    rows = [
        MatrixRow(area=c, counts=[by_child[c.code].get(e.code.value, 0) for e in columns])
        for c in children
    ]
    if counts is None:
        return rows
    own = [
        counts.get(e.code.value, 0) - sum(r.counts[i] for r in rows) for i, e in enumerate(columns)
    ]
    if any(own):
        rows.append(MatrixRow(area=None, counts=own))
    return rows
