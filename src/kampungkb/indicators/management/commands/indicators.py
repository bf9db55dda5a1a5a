"""`kampungkb indicators fill [--since YYYY-MM] [--area CODE] [--full]`: compute the indicator
facts. Without --full it processes the months marked dirty by register changes (run it often
from cron); with --full it first marks every village with data for every month since --since
(default: 24 months back). An interrupted run resumes where it stopped (decision 0013)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from kampungkb.core.periods import parse_month
from kampungkb.indicators.fill import fill, marks_add_full, marks_pending


class Command(BaseCommand):
    help = "Indicator facts. `indicators fill` computes the months marked dirty (or all: --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("fill", help="compute indicator facts for the dirty months")
        run.add_argument("--since", type=parse_month, default=None, metavar="YYYY-MM")
        run.add_argument("--area", default=None, metavar="CODE", help="only this area's villages")
        run.add_argument("--full", action="store_true", help="mark every village and month first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["full"]:
            marks_add_full(since=options["since"], area=options["area"])
        with tqdm(total=marks_pending(), unit="month", disable=None) as bar:

            def progress(done: int, remaining: int) -> None:
                bar.total = bar.n + done + remaining
                bar.update(done)

            run = fill(area=options["area"], progress=progress)
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0
        self.stdout.write(
            f"Indicator facts filled: {run.marks_processed} months in {seconds:.1f}s."
        )
