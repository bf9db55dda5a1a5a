"""Output schemas of the participation index API: figures and scores only, never a name."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.index import Level
from kampungkb.participation.index_selectors import AreaIndex
from kampungkb.participation.suggestions import Suggestion


class ComponentOut(Schema):
    code: str = Field(description="The sub-indicator's code in the registry (GET /api/facts).")
    name: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None = Field(description="Percent or per 100; null: no figure.")
    score: Decimal | None = Field(description="Scaled to 0-100.")
    weight: Decimal = Field(description="Its weight in the index version.")
    share: Decimal | None = Field(description="Its share of the dimension (%) this month.")


class DimensionOut(Schema):
    dimension: Dimension
    label: str
    score: Decimal | None
    components: list[ComponentOut]


class SubAreaIndexOut(Schema):
    rank: int | None
    area: str
    name: str
    index: Decimal | None
    level: Level | None
    dimensions: dict[str, Decimal | None]


class TrendOut(Schema):
    month: str
    index: Decimal | None
    dimensions: dict[str, Decimal | None]
    men_reached: Decimal | None
    male_users: Decimal | None


class SuggestionOut(Schema):
    key: str = Field(description="The plan_reason an activity planned for it carries.")
    why: str
    text: str
    activity_kind: ActivityKind
    target_group: TargetGroup
    planned_activity: int | None = Field(description="An upcoming planned activity for it.")


class AreaIndexOut(Schema):
    area: str
    name: str
    month: str
    version: int
    computed: bool = Field(description="Whether the fill engine has computed the month.")
    index: Decimal | None
    level: Level | None
    weakest: Dimension | None
    dimensions: list[DimensionOut]
    trend: list[TrendOut]
    sub_areas: list[SubAreaIndexOut]
    suggestions: list[SuggestionOut]


def area_index_out(found: AreaIndex, suggestions: list[Suggestion]) -> dict[str, Any]:
    result = found.result
    men = {p.month: p for p in found.men}
    return {
        "area": found.area.code,
        "name": found.area.name,
        "month": f"{found.period:%Y-%m}",
        "version": result.version.version,
        "computed": found.filled,
        "index": result.score,
        "level": result.level,
        "weakest": result.weakest.dimension if result.weakest else None,
        "dimensions": [
            {
                "dimension": d.dimension,
                "label": str(d.dimension.label),
                "score": d.score,
                "components": [
                    {
                        "code": c.component.code.value,
                        "name": c.name,
                        "numerator": c.numerator,
                        "denominator": c.denominator,
                        "value": c.value,
                        "score": c.score,
                        "weight": c.component.weight,
                        "share": c.share,
                    }
                    for c in d.components
                ],
            }
            for d in result.dimensions
        ],
        "trend": [
            {
                "month": f"{p.month:%Y-%m}",
                "index": p.index,
                "dimensions": {d.value: v for d, v in p.dimensions.items()},
                "men_reached": men[p.month].reached,
                "male_users": men[p.month].male_users,
            }
            for p in found.trend
        ],
        "sub_areas": [
            {
                "rank": s.rank,
                "area": s.area.code,
                "name": s.area.name,
                "index": s.index,
                "level": s.level,
                "dimensions": {d.value: v for d, v in s.dimensions.items()},
            }
            for s in found.sub_areas
        ],
        "suggestions": [
            {
                "key": s.key,
                "why": s.why,
                "text": s.title,
                "activity_kind": s.action.kind,
                "target_group": s.action.target_group,
                "planned_activity": s.planned.pk if s.planned else None,
            }
            for s in suggestions
        ],
    }
