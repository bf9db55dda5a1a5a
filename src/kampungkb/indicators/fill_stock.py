"""PostgreSQL: the stock groups of a batch of villages for all its months in one query
(decision 0014), the same groups ``fill._stock_groups`` gives one month at a time.

Per month, ``fill._stock_groups`` asks for each PUS the method of her first episode in force on
the reference day through correlated subqueries: two index probes per couple and month, about
4.6 s a month at 300,000 families. Here the months are answered together. The due date in force
on a day ``d`` is that of the episode's latest visit on or before ``d`` (visits ordered by day and
id, as the ORM's ``-visited_on, -pk``); an episode covering a month's reference day is in force
unless that due date plus the method's grace days has passed. The first episode in force by
start day and id gives the method, as the ORM query's ordering does. Counts come back per
village. Two ways to the same rows (tested equal to each other and to the ORM path):

- timeline, for many months (a full fill, decision 0041): every date that bounds something (a
  marriage, an episode, a lapse past grace, a pregnancy, a birthday at 15, 20 or 50) becomes the
  index of the first month whose reference day reaches it (``width_bucket``, a binary search over
  the reference days), so that each couple's months fall into a few runs in which nothing about
  her changes. Couples are counted per run and the runs spread over their months, instead of
  joining every couple to every month (five million rows at 300,000 families and 25 months).
- probed, for a few months (an incremental fill of the current month, decision 0027): each
  month's PUS joined to the episodes in force on its reference day, each episode's latest visit
  on or before that day probed in ``visit_episode_day_idx``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection

from kampungkb.contraception.models import Episode, Method, ServiceVisit
from kampungkb.families.models import PUS_MAX_AGE, PUS_MIN_AGE, Couple, Family, Person, Pregnancy
from kampungkb.families.selectors import years_before

# village, period, method in force (or None), pregnant, wife under 20, intention known, count
StockRow = tuple[str, dt.date, str | None, bool, bool, str, int]


# Up to this many months the stock query takes the probed way, beyond it the timeline.
LATERAL_MONTHS = 3

# The timeline query. Month indexes run from 0 to n - 1; a run [b, e) holds months b to e - 1.
# pus: each PUS candidate's run of months as a PUS (lo, hi) and the first months from which she is
# no longer under 20 and her intention is known. episodes, spans, holes, gaps: each episode's runs
# in force, the complement of its "holes" (before its start, from its end, its lapses past due
# date plus grace) found by one window over the holes in order. intervals: the runs in force with
# the episode's ordering key, and the pregnancies' runs. bounds, pieces: each couple's months cut
# at every bound that falls within her PUS run. states: in each piece the first episode in force
# and any pregnancy, then the couples alike in the same piece counted together.
_TIMELINE = """
WITH couples AS (
  SELECT c.id
  FROM {couple} c
  JOIN {person} w ON w.id = c.wife_id
  JOIN {family} f ON f.id = w.family_id
  WHERE f.area_id = ANY(%(areas)s) {only_couples}
),
pus AS MATERIALIZED (
  SELECT c.id, a.village, c.fertility_intention AS intention,
         greatest({start_married}, width_bucket(w.birth_date - 1, %(born_by)s::date[])) AS lo,
         least({end_couple}, {end_died},
               width_bucket(w.birth_date - 1, %(born_after)s::date[])) AS hi,
         width_bucket(w.birth_date - 1, %(young_after)s::date[]) AS young_until,
         {start_intention} AS known_from
  FROM {couple} c
  JOIN {person} w ON w.id = c.wife_id
  JOIN {family} f ON f.id = w.family_id
  JOIN unnest(%(areas)s::text[], %(villages)s::text[]) AS a(area, village) ON a.area = f.area_id
  WHERE w.birth_date <= %(born_by_max)s AND w.birth_date > %(born_after_min)s
    AND (c.married_on IS NULL OR c.married_on <= %(last)s)
    AND (c.ended_on IS NULL OR c.ended_on > %(first)s) {only_couples}
),
episodes AS (
  SELECT e.id, e.couple_id, {start_episode} AS lo, {end_episode} AS hi,
         (e.started_on - date '1900-01-01')::bigint * 10000000000000 + e.id * 100
           + array_position(%(methods)s::text[], e.method_id::text) AS key
  FROM {episodes} e
  WHERE e.started_on <= %(last)s AND (e.ended_on IS NULL OR e.ended_on > %(first)s)
    {only_episodes}
),
spans AS (
  SELECT episode_id, since, until, due_on FROM (
    SELECT v.episode_id, v.visited_on AS since, v.due_on,
           lead(v.visited_on) OVER (PARTITION BY v.episode_id ORDER BY v.visited_on, v.id)
             AS until
    FROM {visits} v
    WHERE v.episode_id IN (
        SELECT id FROM {episodes}
        WHERE started_on <= %(last)s AND (ended_on IS NULL OR ended_on > %(first)s))
      AND v.visited_on <= %(last)s {only_visits}
  ) s WHERE due_on IS NOT NULL AND (until IS NULL OR until > %(first)s)
),
holes AS (
  SELECT id AS episode_id, -1 AS lo, lo AS hi FROM episodes
  UNION ALL
  SELECT id, hi, %(n)s + 1 FROM episodes
  UNION ALL
  SELECT s.episode_id, {start_lapse}, {end_span}
  FROM spans s
  JOIN {episodes} e ON e.id = s.episode_id
  JOIN {method} me ON me.code = e.method_id
  WHERE s.until IS NULL OR s.until > s.due_on + me.grace_days + 1
),
gaps AS (
  SELECT episode_id, max(hi) OVER w AS lo, coalesce(lead(lo) OVER w, %(n)s) AS hi
  FROM (SELECT * FROM holes WHERE lo < hi) h
  WINDOW w AS (PARTITION BY episode_id ORDER BY lo, hi)
),
intervals AS (
  SELECT e.couple_id, g.lo, g.hi, e.key, false AS preg
  FROM gaps g JOIN episodes e ON e.id = g.episode_id
  WHERE g.lo < g.hi
  UNION ALL
  SELECT * FROM (
    SELECT g.couple_id, {start_pregnancy} AS lo, {end_pregnancy} AS hi, NULL::bigint,
           true
    FROM {pregnancy} g
    WHERE g.recorded_on <= %(last)s AND (g.ended_on IS NULL OR g.ended_on > %(first)s)
      {only_pregnancies}
  ) g WHERE lo < hi
),
bounds AS (
  SELECT id AS couple_id, lo AS b FROM pus WHERE lo < hi
  UNION
  SELECT id, young_until FROM pus WHERE lo < young_until AND young_until < hi
  UNION
  SELECT id, known_from FROM pus WHERE lo < known_from AND known_from < hi
  UNION
  SELECT p.id, i.b
  FROM intervals iv
  CROSS JOIN LATERAL (VALUES (iv.lo), (iv.hi)) AS i(b)
  JOIN pus p ON p.id = iv.couple_id
  WHERE p.lo < i.b AND i.b < p.hi
),
pieces AS (
  SELECT b.couple_id, b.b,
         coalesce(lead(b.b) OVER (PARTITION BY b.couple_id ORDER BY b.b), p.hi) AS e,
         p.village, p.intention, p.young_until, p.known_from
  FROM bounds b JOIN pus p ON p.id = b.couple_id
),
states AS (
  SELECT pc.village, min(iv.key) %% 100 AS rank, coalesce(bool_or(iv.preg), false) AS preg,
         pc.b < pc.young_until AS young,
         CASE WHEN pc.b >= pc.known_from THEN pc.intention ELSE '' END AS intention,
         pc.b, pc.e
  FROM pieces pc
  LEFT JOIN intervals iv ON iv.couple_id = pc.couple_id AND iv.lo <= pc.b AND pc.b < iv.hi
  GROUP BY pc.couple_id, pc.b, pc.e, pc.village, pc.intention, pc.young_until, pc.known_from
)
SELECT village, rank, preg, young, intention, b, e, count(*)
FROM states GROUP BY 1, 2, 3, 4, 5, 6, 7
"""


_IN_FORCE_PROBED = """
active AS (
  SELECT m.period, e.couple_id,
         (e.started_on - date '1900-01-01')::bigint * 10000000000000 + e.id * 100
           + array_position(%(methods)s::text[], e.method_id::text) AS key
  FROM m
  JOIN {episodes} e ON e.started_on <= m.ref AND (e.ended_on IS NULL OR e.ended_on > m.ref)
  JOIN {method} me ON me.code = e.method_id
  LEFT JOIN LATERAL (
    SELECT v.due_on FROM {visits} v
    WHERE v.episode_id = e.id AND v.visited_on <= m.ref
    ORDER BY v.visited_on DESC, v.id DESC
    LIMIT 1
  ) v ON true
  WHERE (v.due_on IS NULL OR m.ref < v.due_on + me.grace_days + 1) {only_episodes}
),
"""


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def _from(column: str) -> str:
    """The index of the first month whose reference day is on or after ``column`` (a day
    something starts; null: from the first month). ``width_bucket`` counts the reference days
    before the day by binary search."""
    return f"coalesce(width_bucket({column} - 1, %(days)s::date[]), 0)"


def _until(column: str) -> str:
    """The index of the first month whose reference day is on or after ``column`` (a day
    something ends; null: past the last month)."""
    return f"coalesce(width_bucket({column} - 1, %(days)s::date[]), %(n)s)"


def stock_rows(
    area_village: Mapping[str, str],
    refs: Mapping[dt.date, dt.date],
    young_age: int,
    couples: Sequence[int] | None = None,
) -> list[StockRow]:
    """The PUS of the areas of ``area_village`` counted by village (the map's value), month
    (reference day ``refs[month]``), method in force, pregnancy, wife under ``young_age`` and
    intention known on the day; only the couples ``couples`` if given (decision 0038)."""
    periods = sorted(refs)
    # Visits, episodes and pregnancies are read for the batch's couples only, unless the batch
    # holds most families (a full fill, or a day's visits spread over the district): then the
    # semi-joins cost more (some seconds at 300,000 families) than the rows they keep out, which
    # the join to the batch's PUS drops anyway.
    most = couples is None and 2 * Family.objects.filter(
        area_id__in=list(area_village)
    ).count() >= (Family.objects.count())

    def only(column: str) -> str:
        return "" if most else f"AND {column} IN (SELECT id FROM couples)"  # noqa: S608

    methods = list(Method.objects.order_by("code").values_list("code", flat=True))
    days = [refs[p] for p in periods]
    probed = len(periods) <= LATERAL_MONTHS
    only_couples = "" if couples is None else "AND c.id = ANY(%(couples)s)"
    params: dict[str, Any] = {
        "periods": periods,
        "days": days,
        "born_by": [years_before(d, PUS_MIN_AGE) for d in days],
        "born_after": [years_before(d, PUS_MAX_AGE + 1) for d in days],
        "young_after": [years_before(d, young_age) for d in days],
        # The widest bounds of the months, repeated outside the join to ``m`` so that the scans
        # of people and couples drop what no month can count before the joins.
        "born_by_max": years_before(max(days), PUS_MIN_AGE),
        "born_after_min": years_before(min(days), PUS_MAX_AGE + 1),
        "areas": list(area_village),
        "villages": list(area_village.values()),
        "first": min(days),
        "first_month": min(periods),
        "methods": methods,
        "last": max(days),
        "n": len(days),
        "couples": list(couples or ()),
    }
    if probed:
        sql = _probed_sql(only, only_couples)
    else:
        sql = _TIMELINE.format(
            couple=_table(Couple),
            person=_table(Person),
            family=_table(Family),
            episodes=_table(Episode),
            visits=_table(ServiceVisit),
            method=_table(Method),
            pregnancy=_table(Pregnancy),
            only_couples=only_couples,
            only_episodes=only("e.couple_id"),
            only_visits=only("v.couple_id"),
            only_pregnancies=only("g.couple_id"),
            start_married=_from("c.married_on"),
            start_intention=_from("c.intention_recorded_on"),
            start_episode=_from("e.started_on"),
            start_lapse=_from("greatest(s.since, s.due_on + me.grace_days + 1)"),
            start_pregnancy=_from("g.recorded_on"),
            end_couple=_until("c.ended_on"),
            end_died=_until("w.died_on"),
            end_episode=_until("e.ended_on"),
            end_span=_until("s.until"),
            end_pregnancy=_until("g.ended_on"),
        )
    # The planner puts the rows to group at a fraction of their number and sorts them where
    # hashing is a third faster (decision 0027); over whole tables (a full fill) the timeline's
    # joins hash too. Not when its CTEs of a few couples filter the visits: without sorts the
    # planner would keep the visits' index order for the window by a nested loop over the CTE.
    hashed = probed or most
    with connection.cursor() as cursor:
        if hashed:
            cursor.execute("SET enable_sort = off")
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            if hashed:
                cursor.execute("RESET enable_sort")
    if not probed:
        rows = _spread(rows, periods)
    return [
        (village, period, None if rank is None else methods[rank - 1], *rest)
        for village, period, rank, *rest in rows
    ]


def _spread(pieces: Sequence[tuple[Any, ...]], periods: Sequence[dt.date]) -> list[tuple[Any, ...]]:
    """The timeline's counts of couples alike over a run of months ``[b, e)`` (indexes into
    ``periods``) spread over each of those months."""
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for village, rank, preg, young, intention, b, e, n in pieces:
        for i in range(b, e):
            counts[(village, periods[i], rank, preg, young, intention)] += n
    return [(*key, n) for key, n in counts.items()]


def _probed_sql(only: Callable[[str], str], only_couples: str) -> str:
    """The stock query for a few months: each month's PUS joined to their status then."""
    in_force = _IN_FORCE_PROBED.format(
        visits=_table(ServiceVisit),
        episodes=_table(Episode),
        method=_table(Method),
        only_episodes=only("e.couple_id"),
    )
    # Only the models' own table names are formatted in; values are parameters.
    return f"""
WITH m AS (
  SELECT * FROM unnest(%(periods)s::date[], %(days)s::date[], %(born_by)s::date[],
                       %(born_after)s::date[], %(young_after)s::date[])
    AS m(period, ref, born_by, born_after, young_after)
),
couples AS (
  SELECT c.id
  FROM {_table(Couple)} c
  JOIN {_table(Person)} w ON w.id = c.wife_id
  JOIN {_table(Family)} f ON f.id = w.family_id
  WHERE f.area_id = ANY(%(areas)s) {only_couples}
),
{in_force}pregnant AS (
  SELECT m.period, g.couple_id
  FROM {_table(Pregnancy)} g
  CROSS JOIN LATERAL generate_series(
    date_trunc('month', greatest(g.recorded_on, %(first_month)s)),
    date_trunc('month', least(coalesce(g.ended_on, %(last)s), %(last)s)),
    interval '1 month') AS s(month)
  JOIN m ON m.period = s.month::date
  WHERE g.recorded_on <= %(last)s AND (g.ended_on IS NULL OR g.ended_on > %(first)s)
    AND g.recorded_on <= m.ref AND (g.ended_on IS NULL OR g.ended_on > m.ref)
    {only("g.couple_id")}
),
status AS (
  SELECT period, couple_id, min(key) AS key, bool_or(preg) AS preg FROM (
    SELECT period, couple_id, key, false AS preg FROM active
    UNION ALL
    SELECT period, couple_id, NULL, true FROM pregnant
  ) u GROUP BY period, couple_id
),
pus AS MATERIALIZED (
  SELECT c.id, c.married_on, c.ended_on, c.fertility_intention, c.intention_recorded_on,
         w.birth_date, w.died_on, a.village
  FROM {_table(Couple)} c
  JOIN {_table(Person)} w ON w.id = c.wife_id
  JOIN {_table(Family)} f ON f.id = w.family_id
  JOIN unnest(%(areas)s::text[], %(villages)s::text[]) AS a(area, village) ON a.area = f.area_id
  WHERE w.birth_date <= %(born_by_max)s AND w.birth_date > %(born_after_min)s
    AND (c.married_on IS NULL OR c.married_on <= %(last)s)
    AND (c.ended_on IS NULL OR c.ended_on > %(first)s) {only_couples}
)
SELECT p.village, m.period, st.key %% 100, coalesce(st.preg, false),
       p.birth_date > m.young_after,
       CASE WHEN p.intention_recorded_on IS NULL OR p.intention_recorded_on <= m.ref
            THEN p.fertility_intention ELSE '' END,
       count(*)
FROM pus p
JOIN m ON (p.married_on IS NULL OR p.married_on <= m.ref)
      AND (p.ended_on IS NULL OR p.ended_on > m.ref)
      AND p.birth_date <= m.born_by AND p.birth_date > m.born_after
      AND (p.died_on IS NULL OR p.died_on > m.ref)
LEFT JOIN status st ON st.period = m.period AND st.couple_id = p.id
GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608
