"""The fill engine: every indicator of the registry per village and month from the registers, then
rolled up to kecamatan, kabupaten/kota, province and nation (decisions 0013, 0014 and 0018).

Work is driven by ``DirtyMark`` rows (area, month). A register or service write marks its village
from the day it changes figures (``core.hooks.area_changed``); a full fill marks every village with
data. ``fill`` takes the marked villages in batches of ``VILLAGE_BATCH`` and computes all their
marked months at once; then, in one transaction per batch (decision 0018), writes their facts,
marks their kecamatan for the same months and deletes their marks: a crash loses at most the
batch under way, and the next run goes on from the marks left. The levels above are rolled
up in batches, each in one transaction that writes the facts, marks the parents and deletes the
marks.

A service visit is taken by difference instead (decision 0038, ``fill_delta``): before it
writes, it keeps what its couple counts for in each month its village has facts for
(``CoupleMark``); after the marked villages, ``fill`` computes what those couples count for now
and adds the difference to their villages and every area above, with no roll-up.

Figures are aggregated by the database, set-based: the cost is per batch, not per village. For a
batch of villages, the stock indicators (PUS and use on the month's reference day) come from one
grouped query per month (the ORM, every database) or, on PostgreSQL, from one query for all the
months together (``fill_stock``); the flows (starts, drop-outs, CYP) from one grouped query each
for all the months (on PostgreSQL one query for all four, ``fill_flows``); child growth from one
grouped query (``stunting.growth_counts``); grouped by the
family's area code and summed into its village here, or by village in SQL on PostgreSQL. Facts are written by ``fill_write``: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere; a
level above is one grouped ``INSERT ... SELECT`` by parent code on PostgreSQL, one grouped query
by parent code, month, indicator and subgroup elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

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
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from kampungkb.contraception.models import (
    ONCE_PER_EPISODE_UNITS,
    EndReason,
    Episode,
    Method,
    ServiceVisit,
    VisitKind,
)
from kampungkb.core.periods import add_months, month_end, month_start, months
from kampungkb.families.models import Couple, Family, Pregnancy
from kampungkb.families.selectors import pus_q, years_before
from kampungkb.indicators import fill_delta, fill_flows, fill_krs, fill_stock, fill_write, sources
from kampungkb.indicators.models import (
    NATION,
    NATION_LEVEL,
    CoupleMark,
    DirtyMark,
    Fact,
    FillRun,
)
from kampungkb.indicators.registry import BY_METHOD, BY_REASON, DERIVED, Code
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting import brides
from kampungkb.stunting.growth_selectors import growth_counts

DEFAULT_MONTHS_BACK = 24
WIFE_YOUNG_AGE = 20
COUPLE_AREA = "wife__family__area_id"
EPISODE_AREA = "couple__wife__family__area_id"
BATCH_SIZE = 2000
VILLAGE_BATCH = 250
ROLL_UP_BATCH = 500
COUPLE_BATCH = 5000

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
    _upsert_marks(rows)
    return len(rows)


def _upsert_marks(rows: list[DirtyMark]) -> None:
    """Insert marks; a month already marked gets a new ``marked_at`` (see ``_delete_seen``).
    PostgreSQL refuses to upsert one row twice in a statement, so duplicates go first (villages
    of one kecamatan mark the same parent)."""
    # Marks set together share one time, so the delete that follows names them by that time
    # (``_delete_seen``); each row's own default would differ by microseconds.
    now = timezone.now()
    for row in rows:
        row.marked_at = now
    unique = {(row.area_code, row.period): row for row in rows}
    DirtyMark.objects.bulk_create(
        list(unique.values()),
        update_conflicts=True,
        unique_fields=["area_code", "period"],
        update_fields=["marked_at"],
        batch_size=BATCH_SIZE,
    )


def _delete_seen(marks: Iterable[tuple[int, dt.datetime]]) -> None:
    """Delete the marks a fill read, except those marked again since (their ``marked_at``
    changed): those months are filled again in the next round."""
    # Marks set together share their ``marked_at``: one IN list per distinct time keeps the
    # statement short (a condition per mark took PostgreSQL milliseconds to plan).
    by_time: dict[dt.datetime, list[int]] = defaultdict(list)
    for pk, marked_at in marks:
        by_time[marked_at].append(pk)
    condition = Q(pk__in=[])
    for marked_at, pks in by_time.items():
        condition |= Q(pk__in=pks, marked_at=marked_at)
    DirtyMark.objects.filter(condition).delete()


def marks_add_for_change(area_code: str, since: dt.date) -> None:
    """The ``core.hooks.area_changed`` listener: mark the area's village from ``since``'s month
    (not before the horizon) to the current month."""
    village = village_of(area_code)
    if village is not None:
        marks_add([village], max(month_start(since), _horizon()), month_start(_today()))


def marks_add_for_couples(area_code: str, couples: list[int], since: dt.date) -> None:
    """The ``core.hooks.contraception_changing`` listener, called before the write (decision
    0038). For each month from ``since``'s to the current one whose facts the couples' village
    has and that is not marked for refill, keep what each couple counts for now (a
    ``CoupleMark``); a couple already kept for a month keeps its older rows, which the facts
    hold. The other months are marked for refill, as ``marks_add_for_change`` does."""
    village = village_of(area_code)
    if village is None:
        return
    today = _today()
    periods = months(max(month_start(since), _horizon()), month_start(today))
    marked = set(
        DirtyMark.objects.filter(area_code=village, period__in=periods).values_list(
            "period", flat=True
        )
    )
    filled = set(
        Fact.objects.filter(
            indicator=Code.PUS, area_code=village, period__in=periods, subgroup=""
        ).values_list("period", flat=True)
    )
    by_couple = [p for p in periods if p in filled and p not in marked]
    _upsert_marks(
        [
            DirtyMark(area_code=village, level=Level.VILLAGE, period=p)
            for p in periods
            if p not in by_couple
        ]
    )
    if not by_couple:
        return
    # Marks a fill is processing are locked by it: this waits for it, then finds them gone (and
    # takes the couples afresh), or finds them and holds them until this write commits.
    kept = set(
        CoupleMark.objects.select_for_update()
        .filter(couple_id__in=couples, period__in=by_couple)
        .values_list("couple_id", "period")
    )
    cat = catalogue(indicators=False)
    fresh: list[CoupleMark] = []
    for couple in couples:
        wanted = [p for p in by_couple if (couple, p) not in kept]
        if not wanted:
            continue
        rows = couples_rows([couple], wanted, today, cat)
        fresh += [
            CoupleMark(
                couple_id=couple,
                area_code=village,
                period=p,
                today=today,
                rows=fill_delta.rows_dump(rows.get((village, p), [])),
            )
            for p in wanted
        ]
    CoupleMark.objects.bulk_create(fresh, ignore_conflicts=True)


def marks_pending() -> int:
    """The months left to fill: areas' months and couples' months (decision 0038)."""
    return DirtyMark.objects.count() + CoupleMark.objects.count()


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
    # Every indicator code facts may hold: deletes name them so they use the unique index
    # (indicator, area_code, period, subgroup) rather than read every fact of the months.
    indicators: tuple[str, ...] = ()
    # Rows computed ahead for a batch of villages (``_fill_villages``): village, month, rows.
    computed: Mapping[str, Mapping[dt.date, list[Row]]] = field(default_factory=dict)
    # When each (village, month) mark had been set when the batch read it.
    seen: Mapping[tuple[str, dt.date], dt.datetime] = field(default_factory=dict)
    # The couples' marks of the batch's villages when it read them: id -> marked at.
    couples_seen: Mapping[int, dt.datetime] = field(default_factory=dict)


def catalogue(*, indicators: bool = True) -> Catalogue:
    """The methods' figures, and (``indicators``) every indicator code facts may hold: a
    distinct over the facts, which the couples' marks do without."""
    methods = list(Method.objects.all())
    return Catalogue(
        modern=frozenset(m.code for m in methods if m.is_modern),
        long_acting=frozenset(m.code for m in methods if m.is_long_acting),
        male=frozenset(m.code for m in methods if m.is_male),
        cyp={m.code: m.cyp_per_unit for m in methods},
        graces=tuple(sorted({m.grace_days for m in methods})),
        indicators=tuple(
            sorted(
                {c.value for c in Code}
                | set(Fact.objects.values_list("indicator", flat=True).distinct())
            )
        )
        if indicators
        else (),
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


def _stock_groups(
    areas: list[str], ref: dt.date, cat: Catalogue, couples: Sequence[int] | None = None
) -> QuerySet[Couple, Any]:
    """The PUS of ``areas`` (only the couples ``couples`` if given) on the reference day
    ``ref``, in one grouped query: per area, the method in force (if any), whether she is
    pregnant, whether the wife is under 20 and the intention known then, with the count of
    couples."""
    active = active_episodes(ref, cat.graces).filter(couple=OuterRef("pk")).values("method_id")
    pregnant = Pregnancy.objects.filter(couple=OuterRef("pk"), recorded_on__lte=ref).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=ref)
    )
    known = Q(intention_recorded_on__isnull=True) | Q(intention_recorded_on__lte=ref)
    pus = Couple.objects.filter(pus_q(ref), **{f"{COUPLE_AREA}__in": areas})
    if couples is not None:
        pus = pus.filter(pk__in=list(couples))
    return (
        pus.annotate(
            using=Subquery(active[:1]),
            preg=Exists(pregnant),
            young=Q(wife__birth_date__gt=years_before(ref, WIFE_YOUNG_AGE)),
            intention=Case(When(known, then=F("fertility_intention")), default=Value("")),
        )
        .values_list(COUPLE_AREA, "using", "preg", "young", "intention")
        .annotate(n=Count("pk"))
        .order_by()
    )


StockGroup = tuple[str | None, bool, bool, str, int]


def _stock(groups: Iterable[StockGroup], cat: Catalogue) -> list[Row]:
    """PUS and use of methods of one village on one reference day, from its counts by
    condition (``_stock_groups``)."""
    counts: dict[str, int] = defaultdict(int)
    by_method: dict[str, int] = defaultdict(int)
    for using, preg, young, intention, n in groups:
        counts["pus"] += n
        counts["intention"] += n if intention else 0
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
        (Code.PI_INTENTION, "", _n(counts["intention"]), pus),
    ]
    rows += [(Code.PA, f"{BY_METHOD}:{m}", _n(n), None) for m, n in by_method.items() if n]
    # Ratio subgroups are written even when zero, so roll-ups weigh every village's PUS.
    rows += [(Code.NON_USER, f"{BY_REASON}:{r}", n, None) for r, n in reasons.items()]
    rows += [(Code.UNMET_NEED, f"{BY_REASON}:{r}", reasons[r], pus) for r in ("delay", "no_more")]
    return rows


def _flows(
    area_village: dict[str, str],
    wanted: Mapping[str, Sequence[dt.date]],
    cat: Catalogue,
    today: dt.date,
    couples: Sequence[int] | None = None,
) -> dict[tuple[str, dt.date], list[Row]]:
    """New users, post-partum starts, drop-outs and CYP, counted in the month they happen: one
    grouped query each (by area and month) for all the villages and months of ``wanted``; on
    PostgreSQL one query for all four, by village (``fill_flows``). Only the couples
    ``couples`` if given."""
    periods = {p for ps in wanted.values() for p in ps}
    first, last = min(periods), month_end(max(periods))
    areas = list(area_village)
    # Summed over the village's areas before use: one figure per village, month and method.
    sums: dict[tuple[str, dt.date, str, str], Decimal] = defaultdict(Decimal)

    def add(area: str, period: dt.date, code: str, method: str, value: Decimal) -> None:
        sums[(area_village[area], period, code, method)] += value

    if fill_write.fast():
        # One query, summed by village in SQL (fill_flows).
        for village, period, code, method, value in fill_flows.flow_rows(
            area_village, first, last, today, couples
        ):
            sums[(village, period, code, method)] += value
    else:
        episodes = Episode.objects.filter(**{f"{EPISODE_AREA}__in": areas})
        visits = ServiceVisit.objects.all()
        if couples is not None:
            episodes = episodes.filter(couple_id__in=list(couples))
            visits = visits.filter(couple_id__in=list(couples))
        starts = (
            episodes.filter(started_on__gte=first, started_on__lte=last)
            .annotate(month=TruncMonth("started_on"))
            .values_list(EPISODE_AREA, "month", "method_id")
            .annotate(
                new=Count("pk", filter=Q(is_new_user=True)),
                postpartum=Count("pk", filter=Q(is_postpartum=True)),
            )
            .order_by()
        )
        for area, month, method, new, postpartum in starts:
            add(area, month, Code.PB, method, _n(new))
            add(area, month, Code.KBPP, method, _n(postpartum))
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
            .values_list(EPISODE_AREA, "month", "method_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for area, month, method, n in drops:
            add(area, month, Code.DROP_OUT, method, _n(n))
        opening = Q(
            kind__in=[VisitKind.START, VisitKind.SWITCH], episode__started_on=F("visited_on")
        )
        given = (
            visits.filter(
                **{f"{EPISODE_AREA}__in": areas},
                visited_on__gte=first,
                visited_on__lte=last,
                kind__in=[VisitKind.START, VisitKind.REPEAT, VisitKind.SWITCH],
            )
            .filter(~Q(method__unit__in=ONCE_PER_EPISODE_UNITS) | opening)
            .annotate(month=TruncMonth("visited_on"))
            .values_list(EPISODE_AREA, "month", "method_id")
            .annotate(quantity=Sum("quantity"))
            .order_by()
        )
        for area, month, method, quantity in given:
            add(area, month, Code.CYP, method, _n(quantity))
    totals: dict[tuple[str, dt.date, str], Decimal] = defaultdict(Decimal)
    rows: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
    for (village, period, code, method), value in sums.items():
        if code == Code.CYP:
            value *= cat.cyp.get(method, Decimal(0))
        if value:
            totals[(village, period, code)] += value
            rows[(village, period)].append((code, f"{BY_METHOD}:{method}", value, None))
    out: dict[tuple[str, dt.date], list[Row]] = {}
    for village, village_periods in wanted.items():
        for period in village_periods:
            out[(village, period)] = rows.get((village, period), []) + [
                (code, "", totals[(village, period, code)], None)
                for code in (Code.PB, Code.KBPP, Code.DROP_OUT, Code.CYP)
            ]
    return out


def villages_rows(
    wanted: dict[str, list[dt.date]], cat: Catalogue | None = None
) -> dict[str, dict[dt.date, list[Row]]]:
    """Every indicator of each village of ``wanted`` for each of its months, set-based: one
    grouped query per month for the stock indicators (over all the villages that want it) and
    one per flow for all the villages and months together. Rows are grouped by the family's area
    code and summed into its village here."""
    cat = cat or catalogue()
    today = _today()
    out: dict[str, dict[dt.date, list[Row]]] = {v: {} for v in wanted}
    if not wanted:
        return out
    # The villages and their RW and RT: an IN list uses the plain index on every database, where
    # a prefix match on SQLite scans the whole table.
    codes = Area.objects.filter(subtree_q("code", list(wanted))).values_list("code", flat=True)
    area_village = {c: v for c in codes if (v := village_of(c)) in wanted}
    stock = _stock_rows(area_village, _by_period(wanted), cat, today)
    other = _other_rows(area_village, wanted, cat, today)
    for (village, period), rows in stock.items():
        out[village][period] = rows + other[(village, period)]
    # The apps above the indicators (decision 0035): their rows, then the scores derived from
    # each village's own figures.
    for source in sources.village_sources():
        for (village, period), rows in source.rows(area_village, wanted, today, out).items():
            out[village][period] += rows
    for periods in out.values():
        for period, rows in periods.items():
            rows += sources.derived_rows(period, _figures(rows))
    return out


def _other_rows(
    area_village: dict[str, str],
    wanted: Mapping[str, Sequence[dt.date]],
    cat: Catalogue,
    today: dt.date,
) -> dict[tuple[str, dt.date], list[Row]]:
    """Every figure of the villages' months but the stock and the sources': the flows, the
    families at risk of stunting (``fill_krs``) on each month's reference day, child growth and
    marriages."""
    by_period = _by_period(wanted)
    out: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
    for key, rows in _flows(area_village, wanted, cat, today).items():
        out[key] += rows
    krs_refs = {period: min(month_end(period), today) for period in by_period}
    for key, rows in fill_krs.krs_rows(area_village, wanted, krs_refs).items():
        out[key] += rows
    growth = growth_counts(area_village, sorted(by_period))
    marriages = _marriages(area_village, sorted(by_period))
    for village, village_periods in wanted.items():
        for period in village_periods:
            out[(village, period)] += _growth(growth.get((village, period)))
            out[(village, period)] += _marriage_rows(marriages.get((village, period), []))
    return out


def _by_period(wanted: Mapping[str, Iterable[dt.date]]) -> dict[dt.date, set[str]]:
    by_period: dict[dt.date, set[str]] = defaultdict(set)
    for village, village_periods in wanted.items():
        for period in village_periods:
            by_period[period].add(village)
    return by_period


def _stock_rows(
    area_village: Mapping[str, str],
    by_period: Mapping[dt.date, set[str]],
    cat: Catalogue,
    today: dt.date,
    couples: Sequence[int] | None = None,
) -> dict[tuple[str, dt.date], list[Row]]:
    """The stock indicators of the villages of each month of ``by_period``: on PostgreSQL all
    the months in one query (``fill_stock``), elsewhere one grouped query per month. Only the
    couples ``couples`` if given (decision 0038)."""
    out: dict[tuple[str, dt.date], list[Row]] = {}
    if fill_write.fast():
        # The groups of a village are used only for its own months.
        refs = {period: min(month_end(period), today) for period in by_period}
        grouped: dict[tuple[str, dt.date], list[StockGroup]] = defaultdict(list)
        stock = fill_stock.stock_rows(area_village, refs, WIFE_YOUNG_AGE, couples)
        for village, period, using, preg, young, intention, n in stock:
            grouped[(village, period)].append((using, preg, young, intention, n))
        for period, villages in by_period.items():
            for village in villages:
                out[(village, period)] = _stock(grouped[(village, period)], cat)
        return out
    for period, villages in sorted(by_period.items()):
        areas = [a for a, v in area_village.items() if v in villages]
        groups: dict[str, list[StockGroup]] = defaultdict(list)
        ref = min(month_end(period), today)
        for area, using, preg, young, intention, n in _stock_groups(areas, ref, cat, couples):
            groups[area_village[area]].append((using, preg, young, intention, n))
        for village in villages:
            out[(village, period)] = _stock(groups[village], cat)
    return out


def couples_rows(
    couples: Sequence[int], periods: Sequence[dt.date], today: dt.date, cat: Catalogue
) -> dict[tuple[str, dt.date], list[Row]]:
    """What the contraceptive records of ``couples`` count for in their villages' figures of
    each month of ``periods``, as of ``today`` (decision 0038): the stock and flow indicators
    and the sources' couple rows, computed as for whole villages but over these couples only.
    Every such figure is a sum over couples, so a village's figure changes by the difference
    of its changed couples' rows."""
    areas = Couple.objects.filter(pk__in=list(couples)).values_list(COUPLE_AREA, flat=True)
    # The couples' own areas: every figure here is read through the couples.
    area_village = {a: v for a in set(areas) if (v := village_of(a))}
    if not area_village or not periods:
        return {}
    wanted = {v: sorted(periods) for v in set(area_village.values())}
    out = _stock_rows(area_village, _by_period(wanted), cat, today, couples)
    for key, rows in _flows(area_village, wanted, cat, today, couples).items():
        out[key] += rows
    for key, rows in sources.couple_rows(couples, area_village, wanted, today).items():
        out[key] += rows
    return out


def _growth(counts: Mapping[str, int] | None) -> list[Row]:
    """The child growth figures of one village and month (``stunting.growth_counts``)."""
    c = counts or {}
    return [
        (Code.CHILD_MEASURED, "", _n(c.get("measured", 0)), None),
        (Code.STUNTING, "", _n(c.get("stunted", 0)), _n(c.get("haz_valid", 0))),
        (Code.SEVERE_STUNTING, "", _n(c.get("severely_stunted", 0)), _n(c.get("haz_valid", 0))),
        (Code.WASTING, "", _n(c.get("wasted", 0)), _n(c.get("whz_valid", 0))),
        (Code.UNDERWEIGHT, "", _n(c.get("underweight", 0)), _n(c.get("waz_valid", 0))),
    ]


def _marriages(
    area_village: Mapping[str, str], periods: list[dt.date]
) -> dict[tuple[str, dt.date], list[tuple[int, int | None]]]:
    """The couples married in the months, by village and month: the wife's and the husband's
    ages on the day (one query)."""
    out: dict[tuple[str, dt.date], list[tuple[int, int | None]]] = defaultdict(list)
    if not periods:
        return out
    wanted = set(periods)
    for area, married, wife_born, husband_born in Couple.objects.filter(
        **{f"{COUPLE_AREA}__in": list(area_village)},
        married_on__gte=periods[0],
        married_on__lte=month_end(periods[-1]),
    ).values_list(COUPLE_AREA, "married_on", "wife__birth_date", "husband__birth_date"):
        if month_start(married) in wanted:
            out[(area_village[area], month_start(married))].append(
                (
                    brides.age_on(wife_born, married),
                    None if husband_born is None else brides.age_on(husband_born, married),
                )
            )
    return out


def _marriage_rows(ages: list[tuple[int, int | None]]) -> list[Row]:
    """The marriage figures of one village and month from the spouses' ages on the day."""
    known = [h for _, h in ages if h is not None]
    return [
        (Code.MARRIAGES, "", _n(len(ages)), None),
        (
            Code.MARRIED_UNDER_19,
            "",
            _n(
                sum(
                    1
                    for w, h in ages
                    if w < brides.LEGAL_MIN_AGE or (h is not None and h < brides.LEGAL_MIN_AGE)
                )
            ),
            _n(len(ages)),
        ),
        (
            Code.WIFE_MARRIED_UNDER_21,
            "",
            _n(sum(1 for w, _ in ages if w < brides.IDEAL_BRIDE_AGE)),
            _n(len(ages)),
        ),
        (
            Code.HUSBAND_MARRIED_UNDER_25,
            "",
            _n(sum(1 for h in known if h < brides.IDEAL_GROOM_AGE)),
            _n(len(known)),
        ),
    ]


def _figures(rows: Iterable[Row]) -> dict[str, tuple[Decimal, Decimal | None]]:
    """The totals (subgroup "") of one area and month, by indicator."""
    return {code: (n, d) for code, subgroup, n, d in rows if subgroup == ""}


def village_rows(
    village: str, periods: list[dt.date], cat: Catalogue | None = None
) -> dict[dt.date, list[Row]]:
    """Every indicator of ``village`` for each month of ``periods``."""
    return villages_rows({village: periods}, cat)[village]


def _write_facts(
    level: int, rows: Mapping[tuple[str, dt.date], list[Row]], indicators: Iterable[str]
) -> None:
    """Replace the facts of each (area, month) of ``rows`` with its rows (decision 0014): one
    delete per group of areas with the same months, one insert for them all."""
    wanted: dict[str, list[dt.date]] = defaultdict(list)
    for code, period in rows:
        wanted[code].append(period)
    fill_write.facts_delete(wanted, list(indicators))
    fill_write.facts_insert(level, rows)


def _child_sums(
    wanted: dict[str, set[dt.date]], level: int
) -> dict[tuple[str, dt.date], list[Row]]:
    """The sums of the numerators and denominators of the children (level ``level + 1``) of every
    area of ``wanted``, for the months of ``wanted``: one grouped query per code length."""
    periods = sorted({p for ps in wanted.values() for p in ps})
    # Scores are derived from each area's own figures, never summed (decision 0035).
    children = Fact.objects.filter(level=level + 1, period__in=periods).exclude(
        indicator__in=DERIVED
    )
    out: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
    if level == NATION_LEVEL:
        sums = (
            children.values_list("period", "indicator", "subgroup")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .order_by()
        )
        for period, indicator, subgroup, n, d in sums:
            out[(NATION, period)].append((indicator, subgroup, n, d))
        return out
    by_length: dict[int, list[str]] = defaultdict(list)
    for code in wanted:
        by_length[len(code)].append(code)
    for length, codes in by_length.items():
        # A child is the parent's code, a dot and more: the dot keeps 64.1 from taking 64.10.x.
        grouped = (
            children.annotate(
                parent=Substr("area_code", 1, length), sep=Substr("area_code", length + 1, 1)
            )
            .filter(parent__in=codes, sep=".")
            .values_list("parent", "period", "indicator", "subgroup")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
            .order_by()
        )
        for parent, period, indicator, subgroup, n, d in grouped:
            out[(parent, period)].append((indicator, subgroup, n, d))
    return out


# --- The run ---


def _marked(level: int, area: str | None, limit: int) -> list[str]:
    """The first ``limit`` areas of ``level`` with marks (villages within ``area`` if given)."""
    marks = DirtyMark.objects.filter(level=level)
    if area and level == Level.VILLAGE:
        marks = marks.filter(subtree_q("area_code", [area]))
    codes = marks.order_by("area_code").values_list("area_code", flat=True).distinct()
    return list(codes[:limit])


def _mark_parents(codes: Mapping[str, Iterable[dt.date]], level: int) -> None:
    if level > NATION_LEVEL:
        _upsert_marks(
            [
                DirtyMark(area_code=parent, level=parent_level, period=p)
                for code, periods in codes.items()
                for parent, parent_level in [parent_of(code, level)]
                for p in sorted(set(periods))
            ]
        )


def _process(villages: list[str], cat: Catalogue) -> int:
    """A batch of villages and their marks, in one transaction (decision 0018): facts written,
    kecamatan marked, marks gone. The rows come from the batch's computation (``cat.computed``);
    months it did not hold, or marked again since it read them, are computed afresh here."""
    with transaction.atomic():
        marks = list(
            DirtyMark.objects.filter(area_code__in=villages).values_list(
                "pk", "area_code", "period", "marked_at"
            )
        )
        wanted: dict[str, set[dt.date]] = defaultdict(set)
        afresh: dict[str, set[dt.date]] = defaultdict(set)
        for _, code, period, at in marks:
            wanted[code].add(period)
            if cat.seen.get((code, period)) != at or period not in cat.computed.get(code, {}):
                afresh[code].add(period)
        recomputed = villages_rows({v: sorted(ps) for v, ps in afresh.items()}, cat)
        rows = {
            (code, period): (recomputed if period in afresh.get(code, ()) else cat.computed)[code][
                period
            ]
            for code, periods in sorted(wanted.items())
            for period in sorted(periods)
        }
        _write_facts(Level.VILLAGE, rows, cat.indicators)
        _mark_parents(wanted, Level.VILLAGE)
        _delete_seen((pk, at) for pk, _, _, at in marks)
        _couples_refilled(wanted, cat)
    return len(marks)


def _couples_refilled(wanted: Mapping[str, set[dt.date]], cat: Catalogue) -> None:
    """The couples' marks of village-months just refilled whole go: the refill counted their
    change if the batch saw the mark before it computed (decision 0038). A mark it did not see
    may be newer than what it read: its month is marked for refill again instead."""
    stale = [
        (pk, code, period, at)
        for pk, code, period, at in CoupleMark.objects.filter(area_code__in=list(wanted))
        .values_list("pk", "area_code", "period", "marked_at")
        .iterator()
        if period in wanted[code]
    ]
    _upsert_marks(
        [
            DirtyMark(area_code=code, level=Level.VILLAGE, period=period)
            for pk, code, period, at in stale
            if cat.couples_seen.get(pk) != at
        ]
    )
    CoupleMark.objects.filter(pk__in=[pk for pk, *_ in stale]).delete()


def _fill_villages(villages: list[str], cat: Catalogue) -> Catalogue:
    """The rows of a batch of villages for all their marked months, computed set-based ahead
    of their write, carried in the catalogue handed to ``_process``."""
    wanted: dict[str, set[dt.date]] = defaultdict(set)
    seen: dict[tuple[str, dt.date], dt.datetime] = {}
    marks = DirtyMark.objects.filter(area_code__in=villages).values_list(
        "area_code", "period", "marked_at"
    )
    for code, period, marked_at in marks:
        wanted[code].add(period)
        seen[(code, period)] = marked_at
    couples_seen = dict(
        CoupleMark.objects.filter(area_code__in=villages).values_list("pk", "marked_at")
    )
    computed = villages_rows({v: sorted(ps) for v, ps in wanted.items()}, cat)
    return replace(cat, computed=computed, seen=seen, couples_seen=couples_seen)


def _process_couples(area: str | None, cat: Catalogue) -> int:
    """A batch of couples' marks (decision 0038), in one transaction: what the couples count
    for now, as of the day each mark was taken, minus what they counted for then, added to
    their villages' facts and those of every area above; the scores of the areas whose inputs
    moved derived again; the marks gone. The marks are locked, so a write to one of these
    couples waits until the batch commits, then takes the couple afresh."""
    with transaction.atomic():
        marks = CoupleMark.objects.select_for_update().order_by("pk")
        if area:
            marks = marks.filter(subtree_q("area_code", [area]))
        batch = list(marks[:COUPLE_BATCH])
        if not batch:
            return 0
        before: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
        groups: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(list)
        for mark in batch:
            before[(mark.area_code, mark.period)] += fill_delta.rows_load(mark.rows)
            groups[(mark.today, mark.period)].append(mark.couple_id)
        after: dict[tuple[str, dt.date], list[Row]] = defaultdict(list)
        for (today, period), couples in sorted(groups.items()):
            for key, rows in couples_rows(couples, [period], today, cat).items():
                after[key] += rows
        by_level = fill_delta.with_parents(fill_delta.differences(after, before))
        fill_delta.facts_add(by_level)
        inputs = sources.derivation_inputs()
        for level, changed in fill_delta.touched(by_level, inputs).items():
            fill_write.facts_delete(changed, DERIVED)
            fill_write.derived_insert(changed, level)
        CoupleMark.objects.filter(pk__in=[mark.pk for mark in batch]).delete()
    return len(batch)


def _roll_up(codes: list[str], level: int, cat: Catalogue) -> int:
    """One batch of areas above the village: their facts as the sums of their children's
    numerators and denominators (one grouped query), parents marked and marks deleted, in one
    transaction."""
    with transaction.atomic():
        marks = list(
            DirtyMark.objects.filter(area_code__in=codes).values_list(
                "pk", "area_code", "period", "marked_at"
            )
        )
        wanted: dict[str, set[dt.date]] = defaultdict(set)
        for _, code, period, _ in marks:
            wanted[code].add(period)
        fill_write.facts_delete(wanted, cat.indicators)
        if fill_write.fast():
            fill_write.roll_up_insert(wanted, level)
        else:
            sums = _child_sums(wanted, level)
            fill_write.facts_insert(
                level,
                {
                    (code, p): sums.get((code, p), [])
                    for code, periods in sorted(wanted.items())
                    for p in sorted(periods)
                },
            )
        fill_write.derived_insert(wanted, level)
        _mark_parents(wanted, level)
        _delete_seen((pk, at) for pk, _, _, at in marks)
    return len(marks)


def fill(*, area: str | None = None, progress: Progress | None = None) -> FillRun:
    """Process the marks: villages (within ``area`` if given) first, then the couples' marks
    (by difference, ``COUPLE_BATCH`` a transaction), then each level above. Villages go in
    batches of ``VILLAGE_BATCH``, computed together and written in one transaction per batch;
    each level above is rolled up in batches of ``ROLL_UP_BATCH`` areas, one transaction each.
    ``progress(done, remaining)`` is called after each transaction."""
    run = FillRun.objects.create(started_at=timezone.now())
    # The indicator codes of the facts (a distinct over them) only when months are refilled
    # whole: the couples' marks do without.
    cat = catalogue(indicators=False)
    codes_read: list[Catalogue] = []

    def with_codes() -> Catalogue:
        if not codes_read:
            codes_read.append(replace(cat, indicators=catalogue().indicators))
        return codes_read[0]

    def done(count: int) -> None:
        run.marks_processed += count
        FillRun.objects.filter(pk=run.pk).update(marks_processed=run.marks_processed)
        if progress is not None:
            progress(count, marks_pending())

    with fill_write.tuned():
        while villages := _marked(Level.VILLAGE, area, VILLAGE_BATCH):
            done(_process(villages, _fill_villages(villages, with_codes())))
        while count := _process_couples(area, cat):
            done(count)
        for level in (Level.DISTRICT, Level.REGENCY, Level.PROVINCE, NATION_LEVEL):
            while codes := _marked(level, None, ROLL_UP_BATCH):
                done(_roll_up(codes, level, with_codes()))
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "marks_processed"])
    return run
