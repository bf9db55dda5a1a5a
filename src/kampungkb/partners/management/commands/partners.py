"""`kampungkb partners alerts [--today YYYY-MM-DD]`: email the MoU expiry alerts due today (60
and 30 days before an MoU ends), each once; run daily from cron."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kampungkb.partners.alerts import mou_alerts_send


class Command(BaseCommand):
    help = "Partnerships. `partners alerts` emails the MoU expiry alerts due today."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        alerts = sub.add_parser("alerts", help="email MoU expiry alerts (60 and 30 days)")
        alerts.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the day to run as (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        result = mou_alerts_send(today=today)
        self.stdout.write(
            f"MoU alerts on {today:%Y-%m-%d}: {result.mous} MoU(s), {result.messages} email(s) sent."
        )
