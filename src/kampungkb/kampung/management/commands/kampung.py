"""`kampungkb kampung classify [--month YYYY-MM] [--since YYYY-MM] [--area CODE]`: classify every
active Kampung KB (of an area) for a month, with the rules in force then; with ``--since``, for
every month from that one to ``--month``. Run it after `kampungkb indicators fill`, so that the
months' CPR, MKJP share and unmet need are in the facts. The month defaults to the current one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from kampungkb.core.periods import month_start, months, parse_month
from kampungkb.kampung.services import classify_area
from kampungkb.regions.models import Area


class Command(BaseCommand):
    help = "Kampung KB. `kampung classify` classifies the Kampung KB of an area for a month."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        classify = sub.add_parser("classify", help="classify the Kampung KB for a month")
        classify.add_argument("--month", type=parse_month, metavar="YYYY-MM")
        classify.add_argument(
            "--since",
            type=parse_month,
            metavar="YYYY-MM",
            help="classify every month from this one",
        )
        classify.add_argument("--area", metavar="CODE")

    def handle(self, *args: Any, **options: Any) -> None:
        month = options["month"] or month_start(timezone.localdate())
        code = options["area"]
        if code and not Area.objects.filter(code=code).exists():
            raise CommandError(f"No area with the code {code}.")
        since = month_start(options["since"] or month)
        if since > month:
            raise CommandError(f"--since {since:%Y-%m} is after the month {month:%Y-%m}.")
        where = f" in {code}" if code else ""
        for each in months(since, month):
            try:
                done = classify_area(month=each, area_code=code)
            except ValidationError as exc:
                with translation.override("en"):
                    raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(f"{done} Kampung KB{where} classified for {each:%Y-%m}.")
