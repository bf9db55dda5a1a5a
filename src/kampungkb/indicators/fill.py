"""The fill engine: every indicator of the registry per village and month from the registers, then
rolled up to kecamatan, kabupaten/kota, province and nation (decision 0013).

Work is driven by ``DirtyMark`` rows (area, month). A register or service write marks its village
from the day it changes figures (``core.hooks.area_changed``); a full fill marks every village with
data. ``fill`` takes the marks of one area at a time, villages first, recomputes their months,
marks the parent area for the same months and deletes the marks, all in one transaction: a crash
loses at most the batch under way, and the next run goes on from the marks left.

Figures are aggregated by the database: per village, one grouped query per month for the stock
indicators (PUS and use on the month's reference day) and one grouped query per flow (starts,
drop-outs, CYP) for all its dirty months together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kampungkb.contraception.models import (
    ONCE_PER_EPISODE_UNITS,
    EndReason,
    Episode,
    Method,
    ServiceVisit,
    VisitKind,
)
from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.families.models import Couple, Family, Pregnancy
from kampungkb.families.selectors import pus_q, years_before
from kampungkb.indicators.models import NATION, NATION_LEVEL, DirtyMark, Fact, FillRun
from kampungkb.indicators.registry import BY_METHOD, BY_REASON, Code
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

DEFAULT_MONTHS_BACK = 24
WIFE_YOUNG_AGE = 20
COUPLE_AREA = "wife__family__area_id"
EPISODE_AREA = "couple__wife__family__area_id"
BATCH_SIZE = 2000

# indicator, subgroup, numerator, denominator
Row = tuple[str, str, Decimal, Decimal | None]
Progress = Callable[[int, int], None]


def _today() -> dt.date:
    return timezone.localdate()


def village_of(code: str) -> str | None:
    """The village (first four code segments) an area lies in; None above village level."""
    parts = code.split(".")
    return ".".join(parts[: Level.VILLAGE]) if len(parts) >= Level.VILLAGE else None


def parent_of(code: str, level: int) -> tuple[str, int]:
    if level <= Level.PROVINCE:
        return NATION, NATION_LEVEL
    return ".".join(code.split(".")[: level - 1]), level - 1


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from ``first`` to ``last``, both included."""
    out, current = [], month_start(first)
    while current <= last:
        out.append(current)
        current = add_months(current, 1)
    return out


# --- Marks ---


def _horizon() -> dt.date:
    """The earliest month kept in facts (marks before it would fill months nobody asked for)."""
    earliest = Fact.objects.order_by("period").values_list("period", flat=True).first()
    return earliest or add_months(month_start(_today()), -DEFAULT_MONTHS_BACK)


def marks_add(villages: Iterable[str], first: dt.date, last: dt.date) -> int:
    periods = months(first, last)
    rows = [
        DirtyMark(area_code=v, level=Level.VILLAGE, period=p)
        for v in set(villages)
        for p in periods
    ]
    DirtyMark.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH_SIZE)
    return len(rows)


def marks_add_for_change(area_code: str, since: dt.date) -> None:
    """The ``core.hooks.area_changed`` listener: mark the area's village from ``since``'s month
    (not before the horizon) to the current month."""
    village = village_of(area_code)
    if village is not None:
        marks_add([village], max(month_start(since), _horizon()), month_start(_today()))


def marks_add_full(*, since: dt.date | None = None, area: str | None = None) -> int:
    """Mark every village with families (or facts), within ``area``, for every month from
    ``since`` (default: 24 months back) to the current month."""
    today = _today()
    since = since or add_months(month_start(today), -DEFAULT_MONTHS_BACK)
    families = Family.objects.all()
    facts = Fact.objects.filter(level=Level.VILLAGE)
    if area:
        families = families.filter(subtree_q("area_id", [area]))
        facts = facts.filter(subtree_q("area_code", [area]))
    codes = set(families.values_list("area_id", flat=True).distinct())
    villages = {village_of(c) for c in codes} | set(facts.values_list("area_code", flat=True))
    return marks_add({v for v in villages if v}, since, month_start(today))


# --- Computing one village ---


@dataclass(frozen=True)
class Catalogue:
    modern: frozenset[str]
    long_acting: frozenset[str]
    male: frozenset[str]
    cyp: dict[str, Decimal]
    graces: tuple[int, ...]


def catalogue() -> Catalogue:
    methods = list(Method.objects.all())
    return Catalogue(
        modern=frozenset(m.code for m in methods if m.is_modern),
        long_acting=frozenset(m.code for m in methods if m.is_long_acting),
        male=frozenset(m.code for m in methods if m.is_male),
        cyp={m.code: m.cyp_per_unit for m in methods},
        graces=tuple(sorted({m.grace_days for m in methods})),
    )


def active_episodes(ref: dt.date, graces: Iterable[int]) -> QuerySet[Episode]:
    """Episodes in force on ``ref``: covering the day, and the due date set by the last visit on
    or before it, plus the method's grace days, not past (decision 0010)."""
    due = (
        ServiceVisit.objects.filter(episode=OuterRef("pk"), visited_on__lte=ref)
        .order_by("-visited_on", "-pk")
        .values("due_on")[:1]
    )
    # The last day on which a due date still leaves the user active, by the method's grace.
    latest_due = Case(
        *(When(method__grace_days=g, then=Value(ref - dt.timedelta(days=g))) for g in graces),
        output_field=DateField(),
    )
    return (
        Episode.objects.filter(started_on__lte=ref)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=ref))
        .annotate(due=Subquery(due))
        .filter(Q(due__isnull=True) | Q(due__gte=latest_due))
    )


def _n(value: int | Decimal) -> Decimal:
    return Decimal(value)


def _stock(areas: list[str], ref: dt.date, cat: Catalogue) -> list[Row]:
    """PUS and use of methods on the reference day ``ref``, in one query: each PUS with the
    method in force (if any) and whether she is pregnant, counted by condition."""
    active = active_episodes(ref, cat.graces).filter(couple=OuterRef("pk")).values("method_id")
    pregnant = Pregnancy.objects.filter(couple=OuterRef("pk"), recorded_on__lte=ref).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=ref)
    )
    known = Q(intention_recorded_on__isnull=True) | Q(intention_recorded_on__lte=ref)
    groups = (
        Couple.objects.filter(pus_q(ref), **{f"{COUPLE_AREA}__in": areas})
        .annotate(
            using=Subquery(active[:1]),
            preg=Exists(pregnant),
            young=Q(wife__birth_date__gt=years_before(ref, WIFE_YOUNG_AGE)),
            intention=Case(When(known, then=F("fertility_intention")), default=Value("")),
        )
        .values_list("using", "preg", "young", "intention")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = defaultdict(int)
    by_method: dict[str, int] = defaultdict(int)
    for using, preg, young, intention, n in groups:
        counts["pus"] += n
        counts["pregnant"] += n if preg else 0
        counts["young"] += n if young else 0
        if using:
            by_method[using] += n
        elif preg:
            counts["pregnant_non_user"] += n
        elif intention:
            counts[intention] += n
    pus = _n(counts["pus"])
    users = _n(sum(by_method.values()))
    non_users = pus - users
    reasons = {
        "pregnant": _n(counts["pregnant_non_user"]),
        "soon": _n(counts["soon"]),
        "delay": _n(counts["delay"]),
        "no_more": _n(counts["no_more"]),
    }
    reasons["unknown"] = non_users - sum(reasons.values())

    def users_of(codes: frozenset[str]) -> Decimal:
        return _n(sum(n for m, n in by_method.items() if m in codes))

    rows: list[Row] = [
        (Code.PUS, "", pus, None),
        (Code.PA, "", users, None),
        (Code.MCPR, "", users_of(cat.modern), pus),
        (Code.CPR, "", users, pus),
        (Code.MKJP, "", users_of(cat.long_acting), users),
        (Code.MALE, "", users_of(cat.male), users),
        (Code.NON_USER, "", non_users, None),
        (Code.UNMET_NEED, "", reasons["delay"] + reasons["no_more"], pus),
        (Code.PUS_PREGNANT, "", _n(counts["pregnant"]), None),
        (Code.WIFE_UNDER_20, "", _n(counts["young"]), None),
    ]
    rows += [(Code.PA, f"{BY_METHOD}:{m}", _n(n), None) for m, n in by_method.items() if n]
    # Ratio subgroups are written even when zero, so roll-ups weigh every village's PUS.
    rows += [(Code.NON_USER, f"{BY_REASON}:{r}", n, None) for r, n in reasons.items()]
    rows += [(Code.UNMET_NEED, f"{BY_REASON}:{r}", reasons[r], pus) for r in ("delay", "no_more")]
    return rows


def _flows(
    areas: list[str], periods: list[dt.date], cat: Catalogue, today: dt.date
) -> dict[dt.date, list[Row]]:
    """New users, post-partum starts, drop-outs and CYP, counted in the month they happen: one
    grouped query each for all ``periods``."""
    first, last = min(periods), month_end(max(periods))
    totals: dict[tuple[dt.date, str], Decimal] = defaultdict(Decimal)
    rows: dict[dt.date, list[Row]] = defaultdict(list)

    def add(period: dt.date, code: str, method: str, value: Decimal) -> None:
        if value:
            totals[(period, code)] += value
            rows[period].append((code, f"{BY_METHOD}:{method}", value, None))

    episodes = Episode.objects.filter(**{f"{EPISODE_AREA}__in": areas})
    starts = (
        episodes.filter(started_on__gte=first, started_on__lte=last)
        .annotate(month=TruncMonth("started_on"))
        .values_list("month", "method_id")
        .annotate(
            new=Count("pk", filter=Q(is_new_user=True)),
            postpartum=Count("pk", filter=Q(is_postpartum=True)),
        )
        .order_by()
    )
    for month, method, new, postpartum in starts:
        add(month, Code.PB, method, _n(new))
        add(month, Code.KBPP, method, _n(postpartum))
    # An open episode past its drop-out day that the daily refresh has not closed yet counts too.
    drop_day = Case(
        When(ended_on__isnull=True, then=F("drop_out_on")),
        default=F("ended_on"),
        output_field=DateField(),
    )
    drops = (
        episodes.filter(
            Q(end_reason=EndReason.DROP_OUT) | Q(ended_on__isnull=True, drop_out_on__lte=today)
        )
        .annotate(day=drop_day)
        .filter(day__gte=first, day__lte=last)
        .annotate(month=TruncMonth("day"))
        .values_list("month", "method_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, method, n in drops:
        add(month, Code.DROP_OUT, method, _n(n))
    opening = Q(kind__in=[VisitKind.START, VisitKind.SWITCH], episode__started_on=F("visited_on"))
    given = (
        ServiceVisit.objects.filter(
            **{f"{EPISODE_AREA}__in": areas},
            visited_on__gte=first,
            visited_on__lte=last,
            kind__in=[VisitKind.START, VisitKind.REPEAT, VisitKind.SWITCH],
        )
        .filter(~Q(method__unit__in=ONCE_PER_EPISODE_UNITS) | opening)
        .annotate(month=TruncMonth("visited_on"))
        .values_list("month", "method_id")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    for month, method, quantity in given:
        add(month, Code.CYP, method, _n(quantity) * cat.cyp.get(method, Decimal(0)))
    for period in periods:
        for code in (Code.PB, Code.KBPP, Code.DROP_OUT, Code.CYP):
            rows[period].append((code, "", totals[(period, code)], None))
    return rows


def village_rows(
    village: str, periods: list[dt.date], cat: Catalogue | None = None
) -> dict[dt.date, list[Row]]:
    """Every indicator of ``village`` for each month of ``periods``."""
    cat = cat or catalogue()
    today = _today()
    # The village and its RW and RT: an IN list uses the plain index on every database, where a
    # prefix match on SQLite scans the whole table.
    areas = list(Area.objects.filter(subtree_q("code", [village])).values_list("code", flat=True))
    flows = _flows(areas, periods, cat, today)
    return {p: _stock(areas, min(month_end(p), today), cat) + flows[p] for p in periods}


def _write(code: str, level: int, by_period: dict[dt.date, list[Row]]) -> None:
    Fact.objects.filter(area_code=code, period__in=list(by_period)).delete()
    Fact.objects.bulk_create(
        [
            Fact(
                indicator=str(indicator),
                area_code=code,
                level=level,
                period=period,
                subgroup=subgroup,
                numerator=numerator,
                denominator=denominator,
            )
            for period, rows in by_period.items()
            for indicator, subgroup, numerator, denominator in rows
        ],
        batch_size=BATCH_SIZE,
    )


def _fill_village(village: str, periods: list[dt.date], cat: Catalogue) -> None:
    _write(village, Level.VILLAGE, village_rows(village, periods, cat))


def _roll_up(code: str, level: int, periods: list[dt.date]) -> None:
    """An area's facts as the sums of its children's numerators and denominators."""
    children = Fact.objects.filter(level=level + 1, period__in=periods)
    if code != NATION:
        children = children.filter(subtree_q("area_code", [code]))
    sums = (
        children.values_list("period", "indicator", "subgroup")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    by_period: dict[dt.date, list[Row]] = {p: [] for p in periods}
    for period, indicator, subgroup, n, d in sums:
        by_period[period].append((indicator, subgroup, n, d))
    _write(code, level, by_period)


# --- The run ---


def _next_area(level: int, area: str | None) -> str | None:
    marks = DirtyMark.objects.filter(level=level)
    if area and level == Level.VILLAGE:
        marks = marks.filter(subtree_q("area_code", [area]))
    return marks.order_by("area_code").values_list("area_code", flat=True).first()


def _process(code: str, level: int, cat: Catalogue) -> int:
    """One batch: all marks of one area, in one transaction."""
    with transaction.atomic():
        marks = list(DirtyMark.objects.filter(area_code=code).values_list("pk", "period"))
        periods = sorted({period for _, period in marks})
        if level == Level.VILLAGE:
            _fill_village(code, periods, cat)
        else:
            _roll_up(code, level, periods)
        if level > NATION_LEVEL:
            parent, parent_level = parent_of(code, level)
            DirtyMark.objects.bulk_create(
                [DirtyMark(area_code=parent, level=parent_level, period=p) for p in periods],
                ignore_conflicts=True,
            )
        DirtyMark.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
    return len(marks)


def fill(*, area: str | None = None, progress: Progress | None = None) -> FillRun:
    """Process the marks: villages (within ``area`` if given) first, then each level above.
    ``progress(done, remaining)`` is called after each batch."""
    run = FillRun.objects.create(started_at=timezone.now())
    cat = catalogue()
    for level in (Level.VILLAGE, Level.DISTRICT, Level.REGENCY, Level.PROVINCE, NATION_LEVEL):
        while (code := _next_area(level, area)) is not None:
            done = _process(code, level, cat)
            run.marks_processed += done
            FillRun.objects.filter(pk=run.pk).update(marks_processed=run.marks_processed)
            if progress is not None:
                progress(done, DirtyMark.objects.count())
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "marks_processed"])
    return run
