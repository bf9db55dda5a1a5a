"""The district benchmark (issue 4): one command, ``make bench``.

Builds the synthetic district (``district.py``) on the PostgreSQL server of ``DATABASE_URL`` in a
fresh database, runs the DuckDB baseline (``baseline.py``), then times what the project has
built so far: (a) a full indicator fill, (b) an incremental fill after 1,000 new visits, (c) the
dashboard and the recap over loopback. What does not exist yet is printed as "not built yet"
with the reason. Prints a table of medians, p95s, goals and ratios to the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baseline
import district


@dataclass
class Row:
    name: str
    median: float | None = None  # seconds
    p95: float | None = None
    goal: float | None = None
    note: str = ""
    compare: bool = True  # print the ratio to the baseline


def _timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _indicators_ready() -> str:
    """ "" when the fill command can run, else why not."""
    from django.apps import apps
    from django.core.management import get_commands

    if not apps.is_installed("kampungkb.indicators"):
        return "kampungkb.indicators is not installed"
    if "indicators" not in get_commands():
        return "no `kampungkb indicators` command"
    return ""


def _superuser() -> Any:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


def _new_visits(count: int, on: dt.date, offset: int, seed: int, spread: bool = True) -> int:
    """Record ``count`` repeat visits, through the service, for couples with an open episode.

    ``spread`` (the default): the episodes are a seeded sample over the whole district, ordered by
    the MD5 of their id and ``seed`` (a day's visits land in most villages); run ``n`` takes the
    ``n``-th slice of that order, so repeats and reruns pick the same episodes. Otherwise the
    first episodes by id (which lie in one or two villages: the concentrated case)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import MD5, Cast, Concat

    from kampungkb.contraception.models import Episode
    from kampungkb.contraception.services import visit_record

    actor = _superuser()
    episodes = Episode.objects.filter(ended_on__isnull=True, started_on__lt=on).select_related(
        "couple__wife__family", "method"
    )
    if spread:
        key = MD5(Concat(Cast("pk", CharField()), Value(f":{seed}"), output_field=CharField()))
        episodes = episodes.annotate(key=key).order_by("key", "pk")
    else:
        episodes = episodes.order_by("pk")
    done = 0
    for episode in episodes[offset : offset + count]:
        visit_record(
            couple=episode.couple,
            visited_on=on,
            method=episode.method,
            kind="repeat",
            actor=actor,
        )
        done += 1
    return done


def _village_marks() -> int:
    """The village-months marked for the next fill."""
    from kampungkb.indicators.models import DirtyMark
    from kampungkb.regions.models import Level

    return DirtyMark.objects.filter(level=Level.VILLAGE).count()


def _couple_marks() -> int:
    """The couple-months kept for the next fill to take by difference (decision 0038)."""
    from kampungkb.indicators.models import CoupleMark

    return CoupleMark.objects.count()


def _fill_in_child(options: tuple[str, ...], timeout: float) -> float | None:
    """Run ``indicators fill`` in a forked child and return its own elapsed seconds, or None
    when it did not finish within ``timeout`` (the child is then terminated)."""
    import multiprocessing as mp

    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)

    def target() -> None:
        from django.core.management import call_command

        t = time.perf_counter()
        call_command("indicators", "fill", *options, verbosity=0)
        child.send(time.perf_counter() - t)

    process = ctx.Process(target=target)
    process.start()
    elapsed = parent.recv() if parent.poll(timeout) else None
    if elapsed is None:
        process.terminate()
    process.join()
    if elapsed is None and process.exitcode not in (None, 0, -15):
        raise RuntimeError(f"indicators fill {' '.join(options)} failed: exit {process.exitcode}")
    return float(elapsed) if elapsed is not None else None


def measure_fills(rows: list[Row], args: argparse.Namespace) -> None:
    why = _indicators_ready()
    if why:
        rows.append(Row("(a) full fill, 24 months", goal=60, note=f"not built yet: {why}"))
        rows.append(Row("(b) incremental fill, 1,000 visits", goal=2, note=f"not built yet: {why}"))
        return
    full: list[float] = []
    for _ in range(args.repeats if args.only != "incremental" else 0):
        print("  full fill ...", flush=True)
        elapsed = _fill_in_child(("--full",), args.fill_timeout)
        if elapsed is None:
            break
        full.append(elapsed)
    if not full and args.only != "incremental":
        note = f"did not finish in {args.fill_timeout:.0f} s (stopped)"
        rows.append(Row("(a) full fill, 24 months", goal=60, note=note))
        rows.append(Row("(b) incremental fill, 1,000 visits", goal=2, note="skipped: no full fill"))
        return
    if full:
        rows.append(
            Row(
                "(a) full fill, 24 months",
                statistics.median(full),
                goal=60,
                note=f"median of {len(full)}; per month {_fmt(statistics.median(full) / 24)}",
            )
        )
    else:
        _fill_in_child((), args.fill_timeout)  # marks left by an earlier run are not timed
    incremental: list[float] = []
    recorded = marked = kept = 0
    spread = args.visits == "spread"
    for rep in range(args.repeats):
        print(f"  1,000 visits ({args.visits}) and an incremental fill ...", flush=True)
        on = args.today - dt.timedelta(days=rep)
        recorded = _new_visits(1000, on, rep * 1000, args.seed, spread)
        marked = _village_marks()
        kept = _couple_marks()
        elapsed = _fill_in_child((), args.fill_timeout)
        if elapsed is None:
            break
        incremental.append(elapsed)
    rows.append(
        Row(
            "(b) incremental fill, 1,000 visits",
            statistics.median(incremental) if incremental else None,
            goal=2,
            note=f"{recorded} visits ({args.visits}) via visit_record per run,"
            f" {marked} village-months marked, {kept} couple-months kept,"
            f" median of {len(incremental)}"
            if incremental
            else f"did not finish in {args.fill_timeout:.0f} s (stopped)",
        )
    )


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def measure_pages(rows: list[Row], args: argparse.Namespace) -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    pages = []
    for name, label, goal in (
        ("reports:dashboard", "(c) dashboard", 0.1),
        ("reports:recap", "(c) recap", 0.2),
    ):
        try:
            pages.append((reverse(name), label, goal))
        except NoReverseMatch:
            rows.append(Row(label, goal=goal, note=f"not built yet: no URL named {name}"))
    if not pages:
        return
    client = Client()
    client.force_login(_superuser())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    server = make_server("127.0.0.1", 0, WSGIHandler(), _ThreadingServer, _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path, label, goal in pages:
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port)
            times = []
            status = 0
            for _ in range(args.requests + 1):  # the first request warms up
                t = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                times.append(time.perf_counter() - t)
                status = response.status
            conn.close()
            times = times[1:]
            note = f"{args.requests} requests" + ("" if status == 200 else f", HTTP {status}")
            rows.append(Row(label, statistics.median(times), p95(times), goal, note))
    finally:
        server.shutdown()


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def print_table(rows: list[Row], reference: float) -> None:
    header = ("measurement", "median", "p95", "goal", "x baseline", "note")
    table = [header]
    for r in rows:
        known = r.compare and r.median is not None and reference
        ratio = f"{r.median / reference:.1f}" if known and r.median is not None else "-"
        goal = "-" if r.goal is None else f"<= {_fmt(r.goal)}"
        table.append((r.name, _fmt(r.median), _fmt(r.p95), goal, ratio, r.note))
    widths = [max(len(str(line[i])) for line in table) for i in range(len(header))]
    for i, line in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    district.add_arguments(parser)
    parser.add_argument("--month", default=None, help="month of the baseline (default: today's)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each fill (median)")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--fill-timeout", type=float, default=300, help="seconds before a fill is stopped"
    )
    parser.add_argument("--dir", type=Path, default=Path("var/bench"))
    parser.add_argument(
        "--visits",
        choices=("spread", "by-id"),
        default="spread",
        help="(b)'s 1,000 visits: a seeded sample of open episodes over the whole district"
        " (default), or the first open episodes by id (one or two villages)",
    )
    parser.add_argument(
        "--only",
        choices=("all", "incremental"),
        default="all",
        help="incremental: only (b), no baseline, full fill or pages (needs a district filled"
        " before, with --reuse)",
    )
    args = parser.parse_args()
    url = district.setup(args)
    if args.reused:
        print(f"reusing the district in database {args.database} (--reuse) ...", flush=True)
        counts, built = district.existing_counts(url), None
    else:
        print(f"building the district: {args.families:,} families, {args.jobs} jobs ...")
        t = time.perf_counter()
        counts, stages = district.build(
            url=url, families=args.families, seed=args.seed, today=args.today, jobs=args.jobs
        )
        built = time.perf_counter() - t
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()), flush=True)
    print(f"  {counts}", flush=True)
    if args.only == "incremental":
        rows: list[Row] = []
        measure_fills(rows, args)
        print()
        print_table(rows, 0.0)
        return
    month = args.month or f"{args.today:%Y-%m}"
    day = baseline.month_end(month)
    print(f"DuckDB baseline for {month} ...", flush=True)
    base = baseline.run(url, args.dir, day)
    print(
        f"  {base.villages} villages, PUS {base.pus:,}, active users {base.active_users:,}"
        f" (CPR {100 * base.active_users / max(base.pus, 1):.1f}%,"
        f" mCPR {100 * base.modern_users / max(base.pus, 1):.1f}%),"
        f" unmet need {base.unmet_need:,}",
        flush=True,
    )
    rows = [
        Row(
            "district build",
            built,
            note=f"{counts.families:,} families"
            + (" (reused, not built)" if built is None else ""),
            compare=False,
        ),
        Row(
            "parquet export",
            base.export_seconds,
            note="psycopg COPY -> CSV -> Parquet",
            compare=False,
        ),
        Row("(d) DuckDB baseline, one month", base.median, note="median of 5, the reference"),
    ]
    measure_fills(rows, args)
    measure_pages(rows, args)
    print()
    print_table(rows, base.median)


if __name__ == "__main__":
    main()
