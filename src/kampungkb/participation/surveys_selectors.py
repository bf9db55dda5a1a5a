"""Reads of the survey module: instruments, surveys in the user's scope, their respondents,
the scores (decision 0031) and the record-based index to compare them with.

Scores. A respondent's score on a dimension is the mean of her answers to its items (a
reverse-scored item counts ``6 - x``) rescaled to 0-100: ``(mean - 1) / 4 * 100``; the survey's
score is the mean of its respondents' scores. Cronbach's alpha per dimension is
``k / (k - 1) * (1 - sum of item variances / variance of the totals)`` over the respondents who
answered every item of the dimension, with sample variances (n - 1); None when k < 2 or n < 2
or the totals do not vary. A barrier item reports the share of respondents who agree (4 or 5).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import fmean, variance
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from kampungkb.accounts.scope import Capability, get_scoped_or_404, scoped
from kampungkb.indicators.models import Fact
from kampungkb.participation.barriers import BY_CODE, BarrierCode
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.models import (
    Answer,
    Instrument,
    Item,
    Respondent,
    RespondentStatus,
    Survey,
)
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

AGREE = 4  # 4 (agree) and 5 (strongly agree)
# The record-based index's facts (the fill engine writes them), per dimension and composite.
INDEX_CODES: dict[str, str] = {
    Dimension.INTEREST: "PI_INTEREST",
    Dimension.ACTIVENESS: "PI_ACTIVENESS",
    Dimension.CONTRIBUTION: "PI_CONTRIBUTION",
    "composite": "PI",
}


# -- Instruments --------------------------------------------------------------------------------


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.annotate(
        item_count=Count("items", distinct=True),
        survey_count=Count("surveys", distinct=True),
    ).order_by("name", "-version")


def instrument_get(*, pk: int) -> Instrument:
    return get_object_or_404(
        Instrument.objects.prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("order", "pk"))
        ),
        pk=pk,
    )


def instrument_default() -> Instrument | None:
    return Instrument.objects.filter(is_default=True).first()


# -- Surveys ------------------------------------------------------------------------------------


def survey_list(*, user: Any, area: Area | None = None) -> QuerySet[Survey]:
    qs = scoped(user, Survey.objects.all(), Capability.VIEW_AGGREGATES)
    if area is not None:
        qs = qs.filter(subtree_q("area_id", [area.code]))
    return (
        qs.select_related("instrument", "area")
        .annotate(
            answered=Count("respondents", filter=Q(respondents__status=RespondentStatus.ANSWERED))
        )
        .order_by("-month", "area_id", "-pk")
    )


def survey_get(*, user: Any, pk: int, capability: Capability | None = None) -> Survey:
    return get_scoped_or_404(
        user,
        Survey.objects.select_related("instrument", "area"),
        capability or Capability.VIEW_AGGREGATES,
        pk=pk,
    )


def respondent_list(*, user: Any, survey: Survey) -> QuerySet[Respondent]:
    """The survey's respondents the user may see by name (none for aggregate-only roles)."""
    return scoped(user, survey.respondents.all(), Capability.VIEW_PERSONS).select_related(
        "person", "area"
    )


def respondent_get(*, user: Any, survey: Survey, pk: int, capability: Capability) -> Respondent:
    return get_scoped_or_404(
        user,
        survey.respondents.select_related("person", "area", "survey__instrument"),
        capability,
        pk=pk,
    )


def respondent_answers(respondent: Respondent) -> dict[str, int]:
    return dict(respondent.answers.values_list("item__code", "value"))


# -- Scores -------------------------------------------------------------------------------------


def rescale(mean: float) -> float:
    return (mean - 1) / 4 * 100


def scored(item: Item, value: int) -> int:
    return 6 - value if item.reverse else value


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Alpha of complete rows (one per respondent, one column per item)."""
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if k < 2 or n < 2:
        return None
    item_variances = sum(variance([row[j] for row in rows]) for j in range(k))
    total_variance = variance([sum(row) for row in rows])
    if total_variance == 0:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    items: int  # k
    respondents: int  # respondents with at least one item of it answered
    score: float | None  # 0-100, the mean of the respondents' scores
    alpha: float | None
    alpha_n: int  # respondents with every item answered
    index: Decimal | None = None  # the record-based index for the area and month

    @property
    def label(self) -> str:
        return str(self.dimension.label)


@dataclass(frozen=True)
class BarrierShare:
    code: str
    item: Item
    respondents: int
    agree: int

    @property
    def label(self) -> str:
        return str(BY_CODE[self.code].label) if self.code in BY_CODE else self.code

    @property
    def share(self) -> float | None:
        return self.agree / self.respondents * 100 if self.respondents else None


@dataclass(frozen=True)
class RespondentRow:
    respondent: Respondent
    answers: dict[str, int]  # item code -> 1..5 as given
    scores: dict[str, float | None]  # dimension -> 0-100


@dataclass(frozen=True)
class Results:
    survey: Survey
    items: list[Item]
    dimensions: list[DimensionScore]
    barriers: list[BarrierShare]
    rows: list[RespondentRow]
    composite_index: Decimal | None
    counts: dict[str, int]

    @property
    def answered(self) -> int:
        return self.counts.get(RespondentStatus.ANSWERED, 0)

    @property
    def composite_score(self) -> float | None:
        scores = [d.score for d in self.dimensions if d.score is not None]
        return fmean(scores) if scores and len(scores) == len(self.dimensions) else None


def respondent_scores(items: Iterable[Item], answers: dict[str, int]) -> dict[str, float | None]:
    by_dimension: dict[str, list[int]] = defaultdict(list)
    for item in items:
        if item.dimension and item.code in answers:
            by_dimension[item.dimension].append(scored(item, answers[item.code]))
    return {
        d.value: rescale(fmean(by_dimension[d.value])) if by_dimension[d.value] else None
        for d in Dimension
    }


def index_facts(*, area_code: str, month: dt.date) -> dict[str, Decimal]:
    """The record-based index of an area in a month (indicator code -> 0-100), as filled."""
    rows = Fact.objects.filter(
        indicator__in=INDEX_CODES.values(), area_code=area_code, period=month, subgroup=""
    ).values_list("indicator", "numerator")
    return dict(rows)


def survey_results(survey: Survey) -> Results:
    """Every score of a survey, read in a fixed number of queries."""
    items = list(survey.instrument.items.order_by("order", "pk"))
    by_id = {item.pk: item for item in items}
    respondents = list(survey.respondents.order_by("position"))
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    for respondent_id, item_id, value in Answer.objects.filter(
        respondent__survey=survey
    ).values_list("respondent_id", "item_id", "value"):
        answers[respondent_id][by_id[item_id].code] = value
    counts: dict[str, int] = defaultdict(int)
    rows: list[RespondentRow] = []
    for respondent in respondents:
        counts[respondent.status] += 1
        given = answers.get(respondent.pk, {})
        rows.append(RespondentRow(respondent, given, respondent_scores(items, given)))
    facts = index_facts(area_code=survey.area_id, month=survey.month)
    dimensions = []
    for dimension in Dimension:
        dim_items = [item for item in items if item.dimension == dimension.value]
        scores = [s for r in rows if (s := r.scores[dimension.value]) is not None]
        complete = [
            [float(scored(item, r.answers[item.code])) for item in dim_items]
            for r in rows
            if dim_items and all(item.code in r.answers for item in dim_items)
        ]
        dimensions.append(
            DimensionScore(
                dimension=dimension,
                items=len(dim_items),
                respondents=len(scores),
                score=fmean(scores) if scores else None,
                alpha=cronbach_alpha(complete),
                alpha_n=len(complete),
                index=facts.get(INDEX_CODES[dimension.value]),
            )
        )
    barriers = []
    for item in items:
        if not item.barrier:
            continue
        values = [r.answers[item.code] for r in rows if item.code in r.answers]
        barriers.append(
            BarrierShare(
                code=item.barrier,
                item=item,
                respondents=len(values),
                agree=sum(1 for v in values if v >= AGREE),
            )
        )
    return Results(
        survey=survey,
        items=items,
        dimensions=dimensions,
        barriers=barriers,
        rows=rows,
        composite_index=facts.get(INDEX_CODES["composite"]),
        counts=dict(counts),
    )


# -- For the barrier ranking --------------------------------------------------------------------


def survey_barrier_counts(
    *, user: Any, area: Area, first: dt.date, last: dt.date
) -> dict[str, int]:
    """Respondents who agree (4 or 5) with each barrier's item, in the surveys of the area's
    subtree whose month lies in ``first``..``last`` (the user's scope; counts only). Every
    catalogue code is a key."""
    surveys = scoped(user, Survey.objects.all(), Capability.VIEW_AGGREGATES).filter(
        subtree_q("area_id", [area.code]), month__gte=first.replace(day=1), month__lte=last
    )
    rows = (
        Answer.objects.filter(
            respondent__survey__in=surveys, value__gte=AGREE, respondent__status="answered"
        )
        .exclude(item__barrier="")
        .values("item__barrier")
        .annotate(n=Count("respondent", distinct=True))
    )
    counts = {code.value: 0 for code in BarrierCode}
    for row in rows:
        counts[row["item__barrier"]] = row["n"]
    return counts
