"""`kampungkb reminders send [--days N] [--on YYYY-MM-DD]`: queue reminders of visits falling due
in the next N days and send the pending ones (run daily from cron)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kampungkb.contraception.models import Reminder, ReminderStatus
from kampungkb.contraception.reminders import reminders_queue, reminders_send


class Command(BaseCommand):
    help = "Reminders of due visits. `reminders send` queues those due soon, then sends."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="queue reminders due within --days, then send")
        send.add_argument(
            "--days", type=int, default=3, help="days ahead to remind of (default: 3)"
        )
        send.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the day to run as (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        queued = reminders_queue(as_of=on, days_ahead=options["days"])
        pending = Reminder.objects.filter(status=ReminderStatus.PENDING).count()
        sent = reminders_send()
        self.stdout.write(f"Reminders: {queued} queued, {sent} sent, {pending - sent} failed.")
