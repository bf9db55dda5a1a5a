"""The reference for the limit: one month's indicators per village by one hand-written DuckDB
query over a Parquet export of the same rows.

The export goes through psycopg (``COPY ... TO STDOUT (FORMAT csv)``) into CSV files that DuckDB
turns into Parquet: DuckDB's postgres extension is downloaded at run time, not shipped in the
wheel. The query follows DOMAIN.md section 4 and ``engine.status_on``: a PUS is a couple married
on the day, the wife alive and aged 15-49; an active user is a PUS whose episode covers the last
day of the month and who is not past the due date in force (set by the last visit of the episode
on or before that day) plus the method's grace days; unmet need is a non-using, non-pregnant PUS
who wants to delay (IAT) or wants no more children (TIAL).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg

# table -> (source query, DuckDB column types)
EXPORTS: dict[str, tuple[str, dict[str, str]]] = {
    "family": (
        "SELECT id, area_id FROM families_family",
        {"id": "BIGINT", "area_id": "VARCHAR"},
    ),
    "person": (
        "SELECT id, family_id, birth_date, died_on FROM families_person",
        {"id": "BIGINT", "family_id": "BIGINT", "birth_date": "DATE", "died_on": "DATE"},
    ),
    "couple": (
        "SELECT id, wife_id, married_on, ended_on, fertility_intention FROM families_couple",
        {
            "id": "BIGINT",
            "wife_id": "BIGINT",
            "married_on": "DATE",
            "ended_on": "DATE",
            "fertility_intention": "VARCHAR",
        },
    ),
    "pregnancy": (
        "SELECT couple_id, recorded_on, ended_on FROM families_pregnancy",
        {"couple_id": "BIGINT", "recorded_on": "DATE", "ended_on": "DATE"},
    ),
    "method": (
        "SELECT code, is_modern, grace_days FROM contraception_method",
        {"code": "VARCHAR", "is_modern": "BOOLEAN", "grace_days": "INTEGER"},
    ),
    "episode": (
        "SELECT id, couple_id, method_id, started_on, ended_on FROM contraception_episode",
        {
            "id": "BIGINT",
            "couple_id": "BIGINT",
            "method_id": "VARCHAR",
            "started_on": "DATE",
            "ended_on": "DATE",
        },
    ),
    "visit": (
        "SELECT id, episode_id, visited_on, due_on FROM contraception_servicevisit"
        " WHERE episode_id IS NOT NULL",
        {"id": "BIGINT", "episode_id": "BIGINT", "visited_on": "DATE", "due_on": "DATE"},
    ),
}

QUERY = """
WITH pus AS (
    SELECT c.id AS couple_id, substr(f.area_id, 1, 13) AS village, c.fertility_intention
    FROM couple c
    JOIN person w ON w.id = c.wife_id
    JOIN family f ON f.id = w.family_id
    WHERE (c.married_on IS NULL OR c.married_on <= $day)
      AND (c.ended_on IS NULL OR c.ended_on > $day)
      AND (w.died_on IS NULL OR w.died_on > $day)
      AND year($day) - year(w.birth_date)
          - CASE WHEN (month($day), day($day)) < (month(w.birth_date), day(w.birth_date))
                 THEN 1 ELSE 0 END BETWEEN 15 AND 49
),
covering AS (
    SELECT e.id, e.couple_id, m.is_modern, m.grace_days
    FROM episode e JOIN method m ON m.code = e.method_id
    WHERE e.started_on <= $day AND (e.ended_on IS NULL OR e.ended_on > $day)
),
due AS (
    SELECT v.episode_id, v.due_on
    FROM visit v JOIN covering k ON k.id = v.episode_id
    WHERE v.visited_on <= $day
    QUALIFY row_number() OVER (PARTITION BY v.episode_id ORDER BY v.visited_on DESC, v.id DESC) = 1
),
users AS (
    SELECT k.couple_id, k.is_modern
    FROM covering k LEFT JOIN due d ON d.episode_id = k.id
    WHERE d.due_on IS NULL OR $day <= d.due_on + k.grace_days
),
pregnant AS (
    SELECT DISTINCT couple_id FROM pregnancy
    WHERE recorded_on <= $day AND (ended_on IS NULL OR ended_on > $day)
)
SELECT p.village,
       count(*) AS pus,
       count(u.couple_id) AS active_users,
       count(*) FILTER (WHERE u.is_modern) AS modern_users,
       round(100.0 * count(u.couple_id) / count(*), 2) AS cpr,
       round(100.0 * count(*) FILTER (WHERE u.is_modern) / count(*), 2) AS mcpr,
       count(*) FILTER (
           WHERE u.couple_id IS NULL AND g.couple_id IS NULL
             AND p.fertility_intention IN ('delay', 'no_more')
       ) AS unmet_need
FROM pus p
LEFT JOIN users u ON u.couple_id = p.couple_id
LEFT JOIN pregnant g ON g.couple_id = p.couple_id
GROUP BY p.village
ORDER BY p.village
"""


@dataclass(frozen=True)
class Baseline:
    export_seconds: float
    query_seconds: list[float]
    villages: int
    pus: int
    active_users: int
    modern_users: int
    unmet_need: int

    @property
    def median(self) -> float:
        return statistics.median(self.query_seconds)


def month_end(month: str) -> dt.date:
    year, mon = (int(x) for x in month.split("-"))
    first_next = dt.date(year + mon // 12, mon % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def export(url: str, directory: Path) -> duckdb.DuckDBPyConnection:
    """Export the rows to Parquet files in ``directory``; return a DuckDB connection with a view
    per table over them."""
    directory.mkdir(parents=True, exist_ok=True)
    db = duckdb.connect()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        for table, (sql, types) in EXPORTS.items():
            csv = directory / f"{table}.csv"
            with csv.open("wb") as out, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for chunk in copy:
                    out.write(chunk)
            columns = ", ".join(f"'{k}': '{v}'" for k, v in types.items())
            parquet = directory / f"{table}.parquet"
            db.execute(
                f"COPY (SELECT * FROM read_csv('{csv}', header = false, columns = {{{columns}}}))"
                f" TO '{parquet}' (FORMAT parquet)"
            )
            csv.unlink()
            db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{parquet}')")
    return db


def run(url: str, directory: Path, day: dt.date, repeats: int = 5) -> Baseline:
    t = time.perf_counter()
    db = export(url, directory)
    exported = time.perf_counter() - t
    times = []
    rows: list[tuple[object, ...]] = []
    for _ in range(repeats):
        t = time.perf_counter()
        rows = db.execute(QUERY, {"day": day}).fetchall()
        times.append(time.perf_counter() - t)
    return Baseline(
        export_seconds=exported,
        query_seconds=times,
        villages=len(rows),
        pus=sum(int(r[1]) for r in rows),  # type: ignore[call-overload]
        active_users=sum(int(r[2]) for r in rows),  # type: ignore[call-overload]
        modern_users=sum(int(r[3]) for r in rows),  # type: ignore[call-overload]
        unmet_need=sum(int(r[6]) for r in rows),  # type: ignore[call-overload]
    )


if __name__ == "__main__":
    import argparse
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--dir", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    b = run(os.environ["DATABASE_URL"], args.dir, month_end(args.month))
    print(b, f"median {b.median * 1000:.1f} ms")
