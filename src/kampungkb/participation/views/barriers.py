"""The barrier page: which barriers are recorded most in an area, with the suggested action
for each, and how they spread over the sub-areas. Aggregates only, so every role may open it for
the areas it sees; an area outside the scope is not found."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_first_root, scope_for
from kampungkb.core.errors import BadQuery, query_month
from kampungkb.participation import exports, selectors
from kampungkb.participation.barriers import BarrierGroup
from kampungkb.participation.period import Period, PeriodOrderError, period_of
from kampungkb.participation.surveys_selectors import survey_barrier_counts
from kampungkb.regions.selectors import area_ancestors

AGGREGATES = Capability.VIEW_AGGREGATES
# One colour per community barrier, in the catalogue's order (the map's legend).
COLOURS = (
    "#b91c1c",
    "#d97706",
    "#ca8a04",
    "#15803d",
    "#0e7490",
    "#1d4ed8",
    "#7c3aed",
    "#be185d",
    "#4b5563",
)


def _map_data(ranking: selectors.Ranking, points: list[selectors.MapPoint]) -> dict[str, Any]:
    """The map's JSON: each village with coordinates, coloured by its top barrier."""
    colours = dict(zip([e.code.value for e in ranking.columns], COLOURS, strict=False))
    first, last = f"{ranking.first:%Y-%m}", f"{ranking.last:%Y-%m}"
    return {
        "tiles": settings.KAMPUNGKB_MAP_TILES,
        "attribution": settings.KAMPUNGKB_MAP_ATTRIBUTION,
        "points": [
            {
                "name": p.village.name,
                "lat": float(p.village.latitude or 0),
                "lng": float(p.village.longitude or 0),
                "total": p.total,
                "top": p.top.label if p.top else "",
                "colour": colours[p.top.code.value] if p.top else "#ffffff",
                "url": f"?area={p.village.code}&from={first}&to={last}",
                "counts": [
                    [e.label, n] for e, n in zip(ranking.columns, p.counts, strict=True) if n
                ],
            }
            for p in points
        ],
    }


def _period(request: HttpRequest) -> Period:
    try:
        return period_of(
            query_month(request.GET.get("from")),
            query_month(request.GET.get("to")),
            today=timezone.localdate(),
        )
    except PeriodOrderError as exc:
        raise BadQuery(exc.problem, **exc.params) from exc


@needs(AGGREGATES, ["GET"])
@vary_on_headers("HX-Request")
def barriers(request: HttpRequest) -> HttpResponse:
    user = request.user
    period = _period(request)
    area = area_or_first_root(user, request.GET.get("area") or None, AGGREGATES)
    ranking = selectors.barrier_ranking(area_code=area.code, first=period.first, last=period.last)
    file_format = request.GET.get("format")
    if file_format in exports.FORMATS:
        return exports.response(ranking, file_format)
    scope = scope_for(user)
    points = selectors.barrier_map(ranking)
    agreed = survey_barrier_counts(
        user=user, area=ranking.area, first=period.first, last=period.last
    )
    rows = [(row, agreed.get(row.entry.code.value, 0)) for row in ranking.rows]
    context = {
        "ranking": ranking,
        "community": [(r, n) for r, n in rows if r.entry.group == BarrierGroup.COMMUNITY],
        "cadre": [(r, n) for r, n in rows if r.entry.group == BarrierGroup.CADRE],
        "points": points,
        "map": _map_data(ranking, points),
        "legend": list(zip(ranking.columns, COLOURS, strict=False)),
        "period": period,
        "ancestors": [a for a in area_ancestors(area) if scope.can(AGGREGATES, a.code)],
        "formats": exports.FORMATS,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "participation/_barriers.html", context)
    return render(request, "participation/barriers.html", context)
