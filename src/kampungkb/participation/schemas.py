"""Output schemas of the participation API: the barrier catalogue and an area's ranking. Counts
only, never a name."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.participation.barriers import BarrierCode, BarrierEntry, BarrierGroup
from kampungkb.participation.selectors import Ranking


class SuggestedActionOut(Schema):
    text: str = Field(description="In the language of the request (Bahasa Indonesia default).")
    activity_kind: ActivityKind
    target_group: TargetGroup


class BarrierOut(Schema):
    code: BarrierCode
    label: str
    group: BarrierGroup = Field(
        description="community: recorded at refused follow-ups; cadre: at surveys and notes."
    )
    suggested_action: SuggestedActionOut


class RankedBarrierOut(Schema):
    code: BarrierCode
    label: str
    count: int
    share: float | None = Field(description="Of all barriers recorded (0-1); null when none.")
    rank: int | None = Field(description="1 = recorded most often; null when never recorded.")
    suggested_action: SuggestedActionOut = Field(
        description="The action in force in the area: the district's own, else the default."
    )


class SubAreaOut(Schema):
    area: str | None = Field(description="The sub-area; null: families of the area itself.")
    name: str
    counts: dict[str, int] = Field(description="Follow-ups per community barrier code.")
    total: int


class BarrierRankingOut(Schema):
    area: str
    name: str
    first: str = Field(description="The first month, YYYY-MM.")
    last: str = Field(description="The last month, YYYY-MM.")
    total: int = Field(description="Follow-ups with a barrier in the months.")
    barriers: list[RankedBarrierOut]
    sub_areas: list[SubAreaOut]


def barrier_out(entry: BarrierEntry) -> dict[str, Any]:
    return {
        "code": entry.code,
        "label": entry.label,
        "group": entry.group,
        "suggested_action": {
            "text": str(entry.action.text),
            "activity_kind": entry.action.kind,
            "target_group": entry.action.target_group,
        },
    }


def ranking_out(ranking: Ranking) -> dict[str, Any]:
    return {
        "area": ranking.area.code,
        "name": ranking.area.name,
        "first": f"{ranking.first:%Y-%m}",
        "last": f"{ranking.last:%Y-%m}",
        "total": ranking.total,
        "barriers": [
            {
                "code": r.entry.code,
                "label": r.entry.label,
                "count": r.count,
                "share": r.share,
                "rank": r.rank,
                "suggested_action": {
                    "text": str(r.action.text),
                    "activity_kind": r.action.kind,
                    "target_group": r.action.target_group,
                },
            }
            for r in ranking.rows
        ],
        "sub_areas": [
            {
                "area": line.area.code if line.area else None,
                "name": line.area.name if line.area else ranking.area.name,
                "counts": {
                    e.code.value: n for e, n in zip(ranking.columns, line.counts, strict=True)
                },
                "total": line.total,
            }
            for line in ranking.matrix
        ],
    }
