"""Families at risk of stunting (KRS) counted per village and month, set-based, for the indicator
facts (decision 0039). The same answer as ``risk.assess`` summed over the active families of each
village on each month's reference day, without judging any family in Python.

Two ways to the same counts (tested equal):

- every database (``_orm_counts``): one grouped query per reference day, each family's reasons
  as ``EXISTS`` subqueries, families grouped by area and the combination of their reasons;
- PostgreSQL (``_pg_counts``): one query for all the months. Each reason of a family holds on a
  set of the months, kept as a bit mask (bit ``i``: the ``i``-th reference day). A couple is a PUS
  from the later of its marriage and the wife's 15th birthday until the earlier of its end, her
  death and her 50th birthday; each of these dates becomes the index of the first reference day
  on or after it (``width_bucket`` over the sorted days, or over the days shifted back by N years
  for a birthday, so that 29 February follows ``age_on``), and the months between two indexes are
  a mask. A wife's births too close hold from a birth less than 2 years after the one before it
  until her next birth; too many children from the month her living children pass 3 (a running
  sum of births and deaths) until they fall back. The masks of a family are OR-ed, families are
  grouped by village and masks, and the bits are counted per month at the end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from kampungkb.families.models import (
    DECENT_WATER_SOURCES,
    PUS_MAX_AGE,
    PUS_MIN_AGE,
    Couple,
    Family,
    Latrine,
    Person,
    Pregnancy,
)
from kampungkb.families.selectors import pus_q, years_before
from kampungkb.stunting.risk import (
    BALITA_YEARS,
    TOO_CLOSE_YEARS,
    TOO_MANY_CHILDREN,
    TOO_YOUNG_AGE,
    RiskReason,
)

# The counts of a village and month: target families, and among them those at risk, those with
# each risk reason and those whose house record leaves a reason unjudged.
TARGET = "target"
AT_RISK = "at_risk"
HOUSE_UNKNOWN = "house_unknown"
COUNTS: tuple[str, ...] = (
    TARGET,
    AT_RISK,
    *(r.value for r in RiskReason),
    HOUSE_UNKNOWN,
)
# The reasons that change with the date, judged per wife of a PUS.
_FOUR_TOO = (
    RiskReason.TOO_YOUNG,
    RiskReason.TOO_OLD,
    RiskReason.TOO_CLOSE,
    RiskReason.TOO_MANY,
)
# PostgreSQL reads whole tables once the batch holds a tenth of the families or more.
WHOLE_SHARE = 10
# Bits of a mask: a bigint holds 62 months safely (1 << 62 is still positive).
MONTHS_PER_QUERY = 60

Counts = dict[tuple[str, dt.date], dict[str, int]]


def too_old_age() -> int:
    return int(settings.KAMPUNGKB_KRS_TOO_OLD_AGE)


def krs_counts(area_village: Mapping[str, str], refs: Mapping[dt.date, dt.date]) -> Counts:
    """Per (village, month): the counts of ``COUNTS`` among the active families of the areas of
    ``area_village`` (the villages, RW and RT to count, each mapped to its village), each month
    (a first day) judged on its reference day ``refs[month]``. Every (village, month) is
    answered, zeros too. One query on PostgreSQL (per 60 months), one per month elsewhere."""
    months = sorted(refs)
    villages = sorted(set(area_village.values()))
    out: Counts = {(v, m): dict.fromkeys(COUNTS, 0) for v in villages for m in months}
    if not months or not area_village:
        return out
    limit = too_old_age()
    if connection.vendor == "postgresql":
        for start in range(0, len(months), MONTHS_PER_QUERY):
            chunk = {m: refs[m] for m in months[start : start + MONTHS_PER_QUERY]}
            _add(out, _pg_counts(area_village, chunk, limit))
    else:
        _add(out, _orm_counts(area_village, refs, limit))
    return out


def _add(out: Counts, rows: Counts) -> None:
    for key, counts in rows.items():
        target = out[key]
        for name, n in counts.items():
            target[name] += n


# -- The house: fixed, as recorded on the family -------------------------------------------------

_UNSAFE_WATER = ~Q(water_source="") & ~Q(water_source__in=sorted(DECENT_WATER_SOURCES))
_NO_LATRINE = Q(latrine=Latrine.NONE) | Q(has_septic_tank=False)
# As ``risk._house``: a blank water source; a blank latrine or an unknown septic tank, unless no
# latrine or no septic tank already decides the latrine.
_HOUSE_UNKNOWN = Q(water_source="") | (
    ~Q(latrine=Latrine.NONE)
    & ~Q(has_septic_tank=False, has_septic_tank__isnull=False)
    & (Q(latrine="") | Q(has_septic_tank__isnull=True))
)


def _flag(condition: Q) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


# -- Every database: one grouped query per reference day ----------------------------------------


def _children(on: dt.date | None = None) -> QuerySet[Person]:
    """Children (by ``Person.mother``) wherever they live now, born by ``on``. The selectors
    load the children of a family's women; a wife and a mother are always women (the family
    services refuse anything else)."""
    kids = Person.objects.filter(mother__isnull=False)
    return kids if on is None else kids.filter(birth_date__lte=on)


def _alive(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}birth_date__lte": on}) & (
        Q(**{f"{prefix}died_on__isnull": True}) | Q(**{f"{prefix}died_on__gt": on})
    )


def _orm_groups(areas: list[str], on: dt.date, limit: int) -> QuerySet[Family, Any]:
    """The target families of ``areas`` on ``on``, grouped by area, their reasons and house."""
    pus = Couple.objects.filter(pus_q(on), wife__family=OuterRef("pk"))
    pregnant = Pregnancy.objects.filter(
        _alive(on, "couple__wife__"),
        couple__wife__family=OuterRef("pk"),
        recorded_on__lte=on,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    young_child = Person.objects.filter(
        _alive(on), family=OuterRef("pk"), birth_date__gt=years_before(on, BALITA_YEARS)
    )
    living = (
        _children(on)
        .filter(_alive(on), mother=OuterRef("wife_id"))
        .values("mother_id")
        .annotate(n=Count("pk"))
        .values("n")
        .order_by()
    )
    # A later birth by ``on`` than the child's, and an earlier one less than 2 years before it
    # (age_on of the earlier birth on the child's birthday under 2, with its 29 February rule).
    later = _children(on).filter(
        mother=OuterRef("mother_id"), birth_date__gt=OuterRef("birth_date")
    )
    close_before = (
        _children()
        .filter(mother=OuterRef("mother_id"), birth_date__lt=OuterRef("birth_date"))
        .annotate(y=ExtractYear("birth_date"), md=_month_day("birth_date"))
        .filter(
            Q(y__gt=OuterRef("y") - TOO_CLOSE_YEARS)
            | Q(y=OuterRef("y") - TOO_CLOSE_YEARS, md__gt=OuterRef("md"))
        )
    )
    latest_too_close = (
        _children(on)
        .filter(mother=OuterRef("wife_id"))
        .annotate(y=ExtractYear("birth_date"), md=_month_day("birth_date"))
        .filter(~Exists(later), Exists(close_before))
    )
    return (
        Family.objects.filter(area_id__in=areas, is_active=True)
        .annotate(
            pus=Exists(pus),
            pregnant=Exists(pregnant),
            young_child=Exists(young_child),
        )
        .filter(Q(pus=True) | Q(pregnant=True) | Q(young_child=True))
        .annotate(
            too_young=Exists(pus.filter(wife__birth_date__gt=years_before(on, TOO_YOUNG_AGE))),
            too_old=Exists(pus.filter(wife__birth_date__lte=years_before(on, limit + 1))),
            too_close=Exists(pus.filter(Exists(latest_too_close))),
            too_many=Exists(
                pus.annotate(living=Subquery(living, output_field=IntegerField())).filter(
                    living__gt=TOO_MANY_CHILDREN
                )
            ),
            unsafe_water=_flag(_UNSAFE_WATER),
            no_decent_latrine=_flag(_NO_LATRINE),
            house_unknown=_flag(_HOUSE_UNKNOWN),
        )
        .values_list(
            "area_id",
            "too_young",
            "too_old",
            "too_close",
            "too_many",
            "unsafe_water",
            "no_decent_latrine",
            "house_unknown",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )


def _month_day(field: str) -> Any:
    return ExtractMonth(field) * 100 + ExtractDay(field)


_GROUP_REASONS = (
    RiskReason.TOO_YOUNG,
    RiskReason.TOO_OLD,
    RiskReason.TOO_CLOSE,
    RiskReason.TOO_MANY,
    RiskReason.UNSAFE_WATER,
    RiskReason.NO_DECENT_LATRINE,
)


def _orm_counts(
    area_village: Mapping[str, str], refs: Mapping[dt.date, dt.date], limit: int
) -> Counts:
    out: Counts = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    areas = list(area_village)
    for month, on in sorted(refs.items()):
        for area, *flags, unknown, n in _orm_groups(areas, on, limit):
            counts = out[(area_village[area], month)]
            counts[TARGET] += n
            counts[AT_RISK] += n if any(flags) else 0
            for reason, flag in zip(_GROUP_REASONS, flags, strict=True):
                counts[reason.value] += n if flag else 0
            counts[HOUSE_UNKNOWN] += n if unknown else 0
    return out


# -- PostgreSQL: all the months in one query ------------------------------------------------------


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def _idx(date: str, days: str) -> str:
    """SQL: how many of the sorted ``days`` fall before ``date``: the index of the first
    reference day on or after it (NULL when ``date`` is NULL)."""
    return f"width_bucket({date} - 1, %({days})s::date[])"


def _mask(lo: str, hi: str) -> str:
    """SQL: the bits ``lo`` (included) to ``hi`` (excluded), none when ``hi <= lo``."""
    return (
        f"CASE WHEN ({hi}) > ({lo}) THEN (1::bigint << ({hi})) - (1::bigint << ({lo})) "
        "ELSE 0::bigint END"
    )


def _pg_sql(*, whole: bool) -> str:
    """The query; ``whole``: the batch holds many families (a full fill), so every table is read
    in one scan rather than each part looked up from the batch's families."""
    person, couple, family = _table(Person), _table(Couple), _table(Family)
    pregnancy = _table(Pregnancy)
    n = "%(n)s"
    pus_lo = (
        f"greatest(coalesce({_idx('c.married_on', 'days')}, 0), {_idx('c.birth_date', 'yb_min')})"
    )
    pus_hi = (
        f"least(coalesce({_idx('c.ended_on', 'days')}, {n}), "
        f"coalesce({_idx('c.died_on', 'days')}, {n}), {_idx('c.birth_date', 'yb_max')})"
    )
    preg_lo = f"greatest({_idx('g.recorded_on', 'days')}, {_idx('c.birth_date', 'days')})"
    preg_hi = (
        f"least(coalesce({_idx('g.ended_on', 'days')}, {n}), "
        f"coalesce({_idx('c.died_on', 'days')}, {n}))"
    )
    child_lo = _idx("p.birth_date", "days")
    child_hi = (
        f"least(coalesce({_idx('p.died_on', 'days')}, {n}), {_idx('p.birth_date', 'yb_balita')})"
    )
    young = _mask("0", _idx("birth_date", "yb_young"))
    old = _mask(_idx("birth_date", "yb_old"), n)
    # From a birth (or a birth or death) until the next one.
    until_next = _mask(_idx("day", "days"), f"coalesce({_idx('next', 'days')}, {n})")
    # Whole tables: the masks of every family, those outside the batch dropped at the end.
    # Else from the batch's families through the indexes, in the order written.
    if whole:
        couples = f"{couple} c JOIN {person} w ON w.id = c.wife_id"
    else:
        couples = f"fam JOIN {person} w ON w.family_id = fam.id JOIN {couple} c ON c.wife_id = w.id"
    members = f"{person} p" if whole else f"fam JOIN {person} p ON p.family_id = fam.id"
    only_wives = "" if whole else "AND p.mother_id IN (SELECT wife_id FROM pus)"
    # Inlined into each use over whole tables; read once for a few villages.
    couples_materialized = "NOT MATERIALIZED" if whole else "MATERIALIZED"
    # Only table names and fixed fragments are formatted in; every value is a parameter.
    return f"""
WITH fam AS MATERIALIZED (
  SELECT f.id, a.village,
         (f.water_source <> '' AND NOT f.water_source = ANY(%(decent)s)) AS unsafe_water,
         (f.latrine = %(none)s OR f.has_septic_tank IS FALSE) AS no_latrine,
         (f.water_source = '' OR (f.latrine <> %(none)s AND f.has_septic_tank IS NOT FALSE
                                  AND (f.latrine = '' OR f.has_septic_tank IS NULL))) AS unknown
  FROM {family} f
  JOIN unnest(%(areas)s::text[], %(villages)s::int[]) AS a(area, village) ON a.area = f.area_id
  WHERE f.is_active
),
couples AS {couples_materialized} (
  SELECT c.id, c.married_on, c.ended_on, w.family_id, w.id AS wife_id, w.birth_date, w.died_on
  FROM {couples}
),
pus AS MATERIALIZED (
  SELECT * FROM (
    SELECT c.family_id, c.wife_id, c.birth_date, {_mask(pus_lo, pus_hi)} AS mask
    FROM couples c
    WHERE c.birth_date > %(yb_max_first)s AND c.birth_date <= %(yb_min_last)s
  ) s WHERE mask <> 0
),
kids AS MATERIALIZED (
  SELECT p.mother_id, p.birth_date, p.died_on
  FROM {person} p
  WHERE p.mother_id IS NOT NULL AND p.birth_date <= %(last)s {only_wives}
),
births AS (
  SELECT mother_id, day, lag(day) OVER w AS prev, lead(day) OVER w AS next
  FROM (SELECT DISTINCT mother_id, birth_date AS day FROM kids) d
  WINDOW w AS (PARTITION BY mother_id ORDER BY day)
),
events AS (
  SELECT k.mother_id, e.day, e.delta
  FROM kids k
  CROSS JOIN LATERAL (VALUES (k.birth_date, 1), (k.died_on, -1)) AS e(day, delta)
  WHERE e.day <= %(last)s
    AND k.mother_id IN (SELECT mother_id FROM kids GROUP BY mother_id HAVING count(*) > %(many)s)
),
runs AS (
  SELECT mother_id, day, sum(delta) OVER (w RANGE UNBOUNDED PRECEDING) AS alive,
         min(day) OVER (w RANGE BETWEEN '1 day' FOLLOWING AND UNBOUNDED FOLLOWING) AS next
  FROM events
  WINDOW w AS (PARTITION BY mother_id ORDER BY day)
),
wives AS (
  SELECT mother_id, bit_or(too_close) AS too_close, bit_or(too_many) AS too_many FROM (
    SELECT mother_id, {until_next} AS too_close, 0::bigint AS too_many
    FROM births WHERE prev > (day - %(close_years)s * interval '1 year')::date
    UNION ALL
    SELECT mother_id, 0, {until_next} FROM runs WHERE alive > %(many)s
  ) u
  GROUP BY mother_id
),
masks AS (
  SELECT pus.family_id, pus.mask AS target,
         pus.mask & ({young}) AS too_young, pus.mask & ({old}) AS too_old,
         pus.mask & coalesce(k.too_close, 0) AS too_close,
         pus.mask & coalesce(k.too_many, 0) AS too_many
  FROM pus
  LEFT JOIN wives k ON k.mother_id = pus.wife_id
  UNION ALL
  SELECT c.family_id, {_mask(preg_lo, preg_hi)}, 0, 0, 0, 0
  FROM couples c JOIN {pregnancy} g ON g.couple_id = c.id
  WHERE g.recorded_on <= %(last)s AND (g.ended_on IS NULL OR g.ended_on > %(first)s)
  UNION ALL
  SELECT p.family_id, {_mask(child_lo, child_hi)}, 0, 0, 0, 0
  FROM {members}
  WHERE p.birth_date > %(yb_balita_first)s AND p.birth_date <= %(last)s
    AND (p.died_on IS NULL OR p.died_on > %(first)s)
),
families AS (
  SELECT family_id, bit_or(target) AS target, bit_or(too_young) AS too_young,
         bit_or(too_old) AS too_old, bit_or(too_close) AS too_close, bit_or(too_many) AS too_many
  FROM masks GROUP BY family_id
),
grouped AS (
  SELECT fam.village, f.target,
         f.target & CASE WHEN fam.unsafe_water OR fam.no_latrine THEN -1::bigint
                         ELSE f.too_young | f.too_old | f.too_close | f.too_many END AS at_risk,
         fam.unsafe_water, fam.no_latrine, f.too_young, f.too_old, f.too_close, f.too_many,
         fam.unknown, count(*) AS n
  FROM families f
  JOIN fam ON fam.id = f.family_id
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
)
SELECT * FROM grouped
"""  # noqa: S608


# The counts by the number the PostgreSQL query gives each.
_PG_KINDS = (
    TARGET,
    AT_RISK,
    RiskReason.UNSAFE_WATER.value,
    RiskReason.NO_DECENT_LATRINE.value,
    *(r.value for r in _FOUR_TOO),
    HOUSE_UNKNOWN,
)


def _spread(step: list[int], mask: int, n: int) -> None:
    """Add ``n`` to the months of ``mask`` as steps: up at the first bit of each run of bits,
    down after its last (a single run, most masks, in two steps)."""
    low = mask & -mask
    if (mask + low) & (mask + low - 1) == 0:
        step[low.bit_length() - 1] += n
        step[mask.bit_length()] -= n
        return
    for i in range(mask.bit_length()):
        if mask >> i & 1:
            step[i] += n
            step[i + 1] -= n


def _pg_counts(
    area_village: Mapping[str, str],
    refs: Mapping[dt.date, dt.date],
    limit: int,
    *,
    whole: bool | None = None,
) -> Counts:
    """The counts from one query; ``whole`` (by default: whether the batch holds a tenth of the
    families or more) reads whole tables, else looks the batch's families up."""
    # Months sharing a reference day (a future month, judged today) share its index.
    days = sorted(set(refs.values()))

    def shifted(years: int) -> list[dt.date]:
        return [years_before(d, years) for d in days]

    villages = sorted(set(area_village.values()))
    number = {v: i for i, v in enumerate(villages)}
    params: dict[str, Any] = {
        "areas": list(area_village),
        # Villages by number: the families are grouped by an integer rather than a code.
        "villages": [number[v] for v in area_village.values()],
        "decent": sorted(DECENT_WATER_SOURCES),
        "none": Latrine.NONE.value,
        "n": len(days),
        "days": days,
        "first": days[0],
        "last": days[-1],
        # Aged at least N on the i-th day: born on or before the day N years earlier.
        "yb_min": shifted(PUS_MIN_AGE),
        "yb_max": shifted(PUS_MAX_AGE + 1),
        "yb_young": shifted(TOO_YOUNG_AGE),
        "yb_old": shifted(limit + 1),
        "yb_balita": shifted(BALITA_YEARS),
        "yb_max_first": years_before(days[0], PUS_MAX_AGE + 1),
        "yb_min_last": years_before(days[-1], PUS_MIN_AGE),
        "yb_balita_first": years_before(days[0], BALITA_YEARS),
        "close_years": TOO_CLOSE_YEARS,
        "many": TOO_MANY_CHILDREN,
    }
    index = {d: i for i, d in enumerate(days)}
    months_of: dict[int, list[dt.date]] = defaultdict(list)
    for month, day in refs.items():
        months_of[index[day]].append(month)
    if whole is None:
        sizes = Family.objects.aggregate(
            batch=Count("pk", filter=Q(area_id__in=list(area_village))), every=Count("pk")
        )
        whole = WHOLE_SHARE * sizes["batch"] >= sizes["every"]
    # Per village and count, the number of families with each bit set, from the families
    # grouped by mask: a run of bits (most masks) adds at its first bit and takes off after its
    # last; any other mask adds bit by bit.
    steps: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0] * (len(days) + 1))
    with connection.cursor() as cursor:
        if not whole:
            # A few villages: the parts are read from the batch's families through the indexes,
            # in the order the query joins them (the planner would scan every person).
            cursor.execute("SET join_collapse_limit = 1")
            cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(_pg_sql(whole=whole), params)
            rows = cursor.fetchall()
        finally:
            if not whole:
                cursor.execute("RESET join_collapse_limit")
                cursor.execute("RESET enable_seqscan")
    for village_number, target, at_risk, water, latrine, *four_too, unknown, n in rows:
        village = villages[village_number]
        masks = (
            target,
            at_risk,
            target if water else 0,
            target if latrine else 0,
            *four_too,
            target if unknown else 0,
        )
        for kind, mask in enumerate(masks):
            if mask:
                _spread(steps[(village, kind)], mask, n)
    out: Counts = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for (village, kind), step in steps.items():
        running = 0
        for i, change in enumerate(step[:-1]):
            running += change
            for month in months_of[i]:
                out[(village, month)][_PG_KINDS[kind]] = running
    return out
