"""PostgreSQL: the stock groups of a batch of villages for all its months in one query
(decision 0014), the same groups ``fill._stock_groups`` gives one month at a time.

Per month, ``fill._stock_groups`` asks for each PUS the method of her first episode in force on
the reference day through correlated subqueries: two index probes per couple and month, about
4.6 s a month at 300,000 families. Here every join is a hash join over whole tables, once for all
the months: the due date in force on a day ``d`` is that of the episode's visit whose interval
[visited_on, next visit's visited_on) holds ``d`` (visits ordered by day and id, as the ORM's
``-visited_on, -pk``), computed with one window function; only the stretches of those intervals
past the due date plus the method's grace days are expanded into months ("lapsed"); an episode
covering a month's reference day and not lapsed then is in force. The first such episode by start
day and id gives the method, as the ORM query's ordering does. Counts come back per village.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connection

from kampungkb.contraception.models import Episode, Method, ServiceVisit
from kampungkb.families.models import PUS_MAX_AGE, PUS_MIN_AGE, Couple, Family, Person, Pregnancy
from kampungkb.families.selectors import years_before

# village, period, method in force (or None), pregnant, wife under 20, intention known, count
StockRow = tuple[str, dt.date, str | None, bool, bool, str, int]


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def stock_rows(
    area_village: Mapping[str, str], refs: Mapping[dt.date, dt.date], young_age: int
) -> list[StockRow]:
    """The PUS of the areas of ``area_village`` counted by village (the map's value), month
    (reference day ``refs[month]``), method in force, pregnancy, wife under ``young_age`` and
    intention known on the day."""
    periods = sorted(refs)
    # Visits, episodes and pregnancies are read for the batch's couples only, unless the batch
    # holds every family: then the semi-joins cost more (some seconds at 300,000 families) than
    # they save.
    whole = not Family.objects.exclude(area_id__in=list(area_village)).exists()

    def only(column: str) -> str:
        return "" if whole else f"AND {column} IN (SELECT id FROM couples)"  # noqa: S608

    methods = list(Method.objects.order_by("code").values_list("code", flat=True))
    days = [refs[p] for p in periods]
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
  WHERE f.area_id = ANY(%(areas)s)
),
spans AS (
  SELECT episode_id, since, until, due_on FROM (
    SELECT v.episode_id, v.visited_on AS since, v.due_on,
           lead(v.visited_on) OVER (PARTITION BY v.episode_id ORDER BY v.visited_on, v.id)
             AS until
    FROM {_table(ServiceVisit)} v
    WHERE v.episode_id IN (
        SELECT id FROM {_table(Episode)}
        WHERE started_on <= %(last)s AND (ended_on IS NULL OR ended_on > %(first)s))
      AND v.visited_on <= %(last)s {only("v.couple_id")}
  ) s WHERE due_on IS NOT NULL AND (until IS NULL OR until > %(first)s)
),
lapses AS (
  SELECT s.episode_id, greatest(s.since, s.due_on + me.grace_days + 1) AS since, s.until
  FROM spans s
  JOIN {_table(Episode)} e ON e.id = s.episode_id
  JOIN {_table(Method)} me ON me.code = e.method_id
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
  FROM {_table(Episode)} e
  CROSS JOIN LATERAL generate_series(
    date_trunc('month', greatest(e.started_on, %(first_month)s)),
    date_trunc('month', least(coalesce(e.ended_on, %(last)s), %(last)s)),
    interval '1 month') AS g(month)
  JOIN m ON m.period = g.month::date
  LEFT JOIN lapsed l ON l.episode_id = e.id AND l.period = m.period
  WHERE e.started_on <= %(last)s AND (e.ended_on IS NULL OR e.ended_on > %(first)s)
    AND e.started_on <= m.ref AND (e.ended_on IS NULL OR e.ended_on > m.ref)
    AND l.episode_id IS NULL {only("e.couple_id")}
),
pregnant AS (
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
)
SELECT a.village, m.period, st.key %% 100, coalesce(st.preg, false),
       w.birth_date > m.young_after,
       CASE WHEN c.intention_recorded_on IS NULL OR c.intention_recorded_on <= m.ref
            THEN c.fertility_intention ELSE '' END,
       count(*)
FROM {_table(Couple)} c
JOIN {_table(Person)} w ON w.id = c.wife_id
JOIN {_table(Family)} f ON f.id = w.family_id
JOIN unnest(%(areas)s::text[], %(villages)s::text[]) AS a(area, village) ON a.area = f.area_id
JOIN m ON (c.married_on IS NULL OR c.married_on <= m.ref)
      AND (c.ended_on IS NULL OR c.ended_on > m.ref)
      AND w.birth_date <= m.born_by AND w.birth_date > m.born_after
      AND (w.died_on IS NULL OR w.died_on > m.ref)
LEFT JOIN status st ON st.period = m.period AND st.couple_id = c.id
WHERE w.birth_date <= %(born_by_max)s AND w.birth_date > %(born_after_min)s
  AND (c.married_on IS NULL OR c.married_on <= %(last)s)
  AND (c.ended_on IS NULL OR c.ended_on > %(first)s)
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
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (village, period, None if rank is None else methods[rank - 1], *rest)
            for village, period, rank, *rest in cursor.fetchall()
        ]
