"""`kampungkb contraception refresh [--on YYYY-MM-DD]`: close the episodes of use that time alone
has ended (drop-outs, wives turned 50). Run daily from cron (decision 0011)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kampungkb.contraception.services import episodes_refresh


class Command(BaseCommand):
    help = "Contraceptive services upkeep. `contraception refresh` closes drop-outs (daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="close drop-outs and episodes past age 49")
        refresh.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the day to refresh as of (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        couples = episodes_refresh(as_of=on)
        self.stdout.write(f"Episodes refreshed as of {on.isoformat()}: {couples} couples rebuilt.")
