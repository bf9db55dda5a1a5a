"""PostgreSQL: the flow figures of a batch of villages (new users, post-partum starts, drop-outs,
quantities given for CYP) for all its months in one query, summed by village in SQL (decision
0014). The ORM path (``fill._flows``) groups the same figures by the family's area code and sums
them into villages in Python: at 300,000 families that is some 340,000 rows, and converting them
cost more than the queries. The months' episodes and visits are read first and only their couples
joined to their villages (decision 0018).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from kampungkb.contraception.models import (
    ONCE_PER_EPISODE_UNITS,
    EndReason,
    Episode,
    Method,
    ServiceVisit,
    VisitKind,
)
from kampungkb.families.models import Couple, Family, Person
from kampungkb.indicators.registry import Code

# village, month, indicator code, method, value (a count, or the quantity given for CYP)
FlowRow = tuple[str, dt.date, str, str, Decimal]


def _table(model: type) -> str:
    return str(model._meta.db_table)  # type: ignore[attr-defined]


def flow_rows(
    area_village: Mapping[str, str],
    first: dt.date,
    last: dt.date,
    today: dt.date,
    couples: Sequence[int] | None = None,
) -> list[FlowRow]:
    """Per village of ``area_village`` (the map's value), month from ``first`` to ``last`` and
    method: episodes started by a new user (PB) and post-partum (KBPP), drop-outs (an episode
    ended as a drop-out, or open past its drop-out day on or before ``today``, counted in the
    month of that day) and the quantities given by visits that give a method (a method given
    once per episode only at the visit that opens it). Only the couples ``couples`` if given
    (decision 0038)."""
    # The episodes and visits of the months are few next to the district's couples: they are
    # read first, and only their couples are joined to their families' villages (joining every
    # couple to its wife and family cost more than the rest of the query).
    only = "" if couples is None else "AND {}.couple_id = ANY(%(couples)s)"
    only_episodes, only_visits = only.format("e"), only.format("v")
    sql = f"""
WITH a AS (SELECT * FROM unnest(%(areas)s::text[], %(villages)s::text[]) AS a(area, village)),
started AS (
  SELECT e.couple_id, date_trunc('month', e.started_on)::date AS month, e.method_id,
         e.is_new_user, e.is_postpartum
  FROM {_table(Episode)} e
  WHERE e.started_on >= %(first)s AND e.started_on <= %(last)s {only_episodes}
),
dropped AS (
  SELECT d.couple_id, date_trunc('month', d.day)::date AS month, d.method_id
  FROM (
    SELECT e.couple_id, e.method_id,
           CASE WHEN e.ended_on IS NULL THEN e.drop_out_on ELSE e.ended_on END AS day
    FROM {_table(Episode)} e
    WHERE (e.end_reason = %(drop_out)s OR (e.ended_on IS NULL AND e.drop_out_on <= %(today)s))
      {only_episodes}
  ) d
  WHERE d.day >= %(first)s AND d.day <= %(last)s
),
gave AS (
  SELECT v.couple_id, date_trunc('month', v.visited_on)::date AS month, v.method_id,
         v.quantity
  FROM {_table(ServiceVisit)} v
  JOIN {_table(Method)} me ON me.code = v.method_id
  LEFT JOIN {_table(Episode)} e ON e.id = v.episode_id
  WHERE v.visited_on >= %(first)s AND v.visited_on <= %(last)s
    AND v.kind = ANY(%(giving)s)
    AND (NOT me.unit = ANY(%(once)s)
         OR (v.kind = ANY(%(opening)s) AND e.started_on = v.visited_on)) {only_visits}
),
fam AS (
  SELECT c.id AS couple_id, a.village
  FROM {_table(Couple)} c
  JOIN {_table(Person)} w ON w.id = c.wife_id
  JOIN {_table(Family)} f ON f.id = w.family_id
  JOIN a ON a.area = f.area_id
  WHERE c.id IN (SELECT couple_id FROM started UNION SELECT couple_id FROM dropped
                 UNION SELECT couple_id FROM gave)
),
starts AS (
  SELECT fam.village, s.month, s.method_id,
         count(*) FILTER (WHERE s.is_new_user) AS new,
         count(*) FILTER (WHERE s.is_postpartum) AS postpartum
  FROM started s JOIN fam ON fam.couple_id = s.couple_id
  GROUP BY 1, 2, 3
),
drops AS (
  SELECT fam.village, d.month, d.method_id, count(*) AS n
  FROM dropped d JOIN fam ON fam.couple_id = d.couple_id
  GROUP BY 1, 2, 3
),
given AS (
  SELECT fam.village, g.month, g.method_id, sum(g.quantity) AS quantity
  FROM gave g JOIN fam ON fam.couple_id = g.couple_id
  GROUP BY 1, 2, 3
)
SELECT village, month, %(pb)s, method_id, new::numeric FROM starts
UNION ALL SELECT village, month, %(kbpp)s, method_id, postpartum::numeric FROM starts
UNION ALL SELECT village, month, %(drop_code)s, method_id, n::numeric FROM drops
UNION ALL SELECT village, month, %(cyp)s, method_id, quantity::numeric FROM given
"""  # noqa: S608 (only the models' own table names are formatted in; values are parameters)
    params: dict[str, Any] = {
        "areas": list(area_village),
        "villages": list(area_village.values()),
        "first": first,
        "last": last,
        "today": today,
        "drop_out": EndReason.DROP_OUT.value,
        "giving": [VisitKind.START.value, VisitKind.REPEAT.value, VisitKind.SWITCH.value],
        "opening": [VisitKind.START.value, VisitKind.SWITCH.value],
        "once": [str(unit) for unit in ONCE_PER_EPISODE_UNITS],
        "pb": Code.PB.value,
        "kbpp": Code.KBPP.value,
        "drop_code": Code.DROP_OUT.value,
        "cyp": Code.CYP.value,
        "couples": list(couples or ()),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
