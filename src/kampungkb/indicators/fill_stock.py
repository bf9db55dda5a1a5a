"""PostgreSQL: the stock groups of a batch of villages for all its months in one query
(decision 0014), the same groups ``fill._stock_groups`` gives one month at a time.

Per month, ``fill._stock_groups`` asks for each PUS the method of her first episode in force on
the reference day through correlated subqueries: two index probes per couple and month, about
4.6 s a month at 300,000 families. Here the months are answered together. The due date in force
on a day ``d`` is that of the episode's latest visit on or before ``d`` (visits ordered by day and
id, as the ORM's ``-visited_on, -pk``); an episode covering a month's reference day is in force
unless that due date plus the method's grace days has passed. For many months (a full fill) the
visits' intervals come from one window function and hash joins over whole tables; for a few
months (an incremental fill) each episode's latest visit is probed in an index (decision 0027).
The first episode in force by start day and id gives the method, as the ORM query's ordering
does. Counts come back per village.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection

from kampungkb.contraception.models import Episode, Method, ServiceVisit
from kampungkb.families.models import PUS_MAX_AGE, PUS_MIN_AGE, Couple, Family, Person, Pregnancy
from kampungkb.families.selectors import years_before

# village, period, method in force (or None), pregnant, wife under 20, intention known, count
StockRow = tuple[str, dt.date, str | None, bool, bool, str, int]


# Which episodes are in force on each month's reference day, as ``active(period, couple_id, key)``
# CTEs of the stock query. Two ways to the same rows (tested equal):
#
# - spans: for many months (a full fill), every visit's interval [visited_on, next visit) from one
#   window function over the visits, then only the stretches past the due date plus the method's
#   grace days expanded into months ("lapsed"): hash joins over whole tables, once for all months.
# - probed: for a few months (an incremental fill of the current month), the latest visit on or
#   before the reference day of each episode in force then, one index probe each
#   (``visit_episode_day_idx``): an episode has lapsed when that visit's due date plus grace has
#   passed. It reads a few rows per episode instead of sorting every visit of the district.
LATERAL_MONTHS = 3

_IN_FORCE_SPANS = """
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
lapses AS (
  SELECT s.episode_id, greatest(s.since, s.due_on + me.grace_days + 1) AS since, s.until
  FROM spans s
  JOIN {episodes} e ON e.id = s.episode_id
  JOIN {method} me ON me.code = e.method_id
  WHERE s.until IS NULL OR s.until > s.due_on + me.grace_days + 1
),
lapsed AS (
  SELECT l.episode_id, m.period
  FROM lapses l
  CROSS JOIN LATERAL generate_series(
    date_trunc('month', greatest(l.since, %(first_month)s)),
    date_trunc('month', coalesce(l.until, %(last)s)),
    interval '1 month') AS g(month)
  JOIN m ON m.period = g.month::date
  WHERE l.since <= m.ref AND (l.until IS NULL OR l.until > m.ref)
),
active AS (
  SELECT m.period, e.couple_id,
         (e.started_on - date '1900-01-01')::bigint * 10000000000000 + e.id * 100
           + array_position(%(methods)s::text[], e.method_id::text) AS key
  FROM {episodes} e
  CROSS JOIN LATERAL generate_series(
    date_trunc('month', greatest(e.started_on, %(first_month)s)),
    date_trunc('month', least(coalesce(e.ended_on, %(last)s), %(last)s)),
    interval '1 month') AS g(month)
  JOIN m ON m.period = g.month::date
  LEFT JOIN lapsed l ON l.episode_id = e.id AND l.period = m.period
  WHERE e.started_on <= %(last)s AND (e.ended_on IS NULL OR e.ended_on > %(first)s)
    AND e.started_on <= m.ref AND (e.ended_on IS NULL OR e.ended_on > m.ref)
    AND l.episode_id IS NULL {only_episodes}
),
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
    in_force = _IN_FORCE_PROBED if probed else _IN_FORCE_SPANS
    # For a few months the batch's PUS are read once before the months are joined (hash joins
    # where the planner would otherwise probe the families one by one); over many months the
    # planner does better with them inlined.
    pus = "MATERIALIZED" if probed else "NOT MATERIALIZED"
    only_couples = "" if couples is None else "AND c.id = ANY(%(couples)s)"
    in_force = in_force.format(
        visits=_table(ServiceVisit),
        episodes=_table(Episode),
        method=_table(Method),
        only_visits=only("v.couple_id"),
        only_episodes=only("e.couple_id"),
    )
    # Only the models' own table names are formatted in; values are parameters.
    sql = f"""
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
pus AS {pus} (
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
        "couples": list(couples or ()),
    }
    with connection.cursor() as cursor:
        if probed:
            # The planner puts the PUS joined to the months at a hundredth of their number and
            # sorts the rows to group them; hashing them is a third faster (decision 0027).
            cursor.execute("SET enable_sort = off")
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            if probed:
                cursor.execute("RESET enable_sort")
        return [
            (village, period, None if rank is None else methods[rank - 1], *rest)
            for village, period, rank, *rest in rows
        ]
