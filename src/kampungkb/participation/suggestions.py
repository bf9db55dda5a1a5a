"""What to do next in an area (issue 7): the suggested action for its weakest dimension and for
its most recorded barriers, each with the plan already made for it, if any.

An action is planned as an activity (``activities.services.activity_plan``) whose ``plan_reason``
is the suggestion's key (``dimension:interest``, ``barrier:religious_belief``): the page shows
"planned for <date>" instead of the button while such a plan is upcoming in the area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import Activity
from kampungkb.core.periods import add_months, month_end
from kampungkb.participation.actions import actions_in_force, barrier_key, dimension_key
from kampungkb.participation.barriers import SuggestedAction
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.index import IndexScore
from kampungkb.participation.selectors import RankedBarrier, Ranking, barrier_ranking
from kampungkb.regions.models import Area

TOP_BARRIERS = 3
# The barriers behind the suggestions: those recorded in the year up to the month.
BARRIER_MONTHS = 12


@dataclass(frozen=True)
class Suggestion:
    key: str  # the plan_reason of the activity that answers it
    action: SuggestedAction
    dimension: Dimension | None = None
    barrier: RankedBarrier | None = None
    planned: Activity | None = None

    @property
    def title(self) -> str:
        return str(self.action.text)

    @property
    def why(self) -> str:
        """Why it is suggested, in words (also the planned activity's notes)."""
        if self.dimension is not None:
            return str(_("Weakest participation dimension: %(d)s") % {"d": self.dimension.label})
        if self.barrier is not None:
            return str(
                _("Barrier recorded %(n)s times (rank %(r)s): %(b)s")
                % {"n": self.barrier.count, "r": self.barrier.rank, "b": self.barrier.entry.label}
            )
        return ""


def suggestions_for(
    *, area: Area, index: IndexScore, ranking: Ranking, today: dt.date
) -> list[Suggestion]:
    """The weakest dimension's action first, then the top barriers' (recorded at least once),
    each with its upcoming plan in the area: one query."""
    actions = ranking.actions or actions_in_force(area)
    found: list[Suggestion] = []
    weakest = index.weakest
    if weakest is not None:
        key = dimension_key(weakest.dimension)
        found.append(Suggestion(key, actions[key], dimension=weakest.dimension))
    for row in [r for r in ranking.rows if r.count][:TOP_BARRIERS]:
        key = barrier_key(row.entry.code.value)
        found.append(Suggestion(key, actions[key], barrier=row))
    if not found:
        return []
    plans: dict[str, Activity] = {}
    for activity in (
        Activity.objects.planned()
        .filter(area=area, plan_reason__in=[s.key for s in found], held_on__gte=today)
        .order_by("-held_on")
    ):
        plans[activity.plan_reason] = activity  # the earliest wins
    return [Suggestion(s.key, s.action, s.dimension, s.barrier, plans.get(s.key)) for s in found]


def suggestions_for_month(
    *, area: Area, index: IndexScore, period: dt.date, today: dt.date
) -> list[Suggestion]:
    """``suggestions_for`` with the barriers recorded in the year up to the month of
    ``period``."""
    ranking = barrier_ranking(
        area_code=area.code, first=add_months(period, 1 - BARRIER_MONTHS), last=month_end(period)
    )
    return suggestions_for(area=area, index=index, ranking=ranking, today=today)
