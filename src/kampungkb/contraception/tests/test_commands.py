"""`kampungkb reminders send` and `kampungkb contraception refresh`."""

import datetime as dt
import io

from django.core.management import call_command

from kampungkb.contraception import services
from kampungkb.contraception.models import Episode, Reminder, ReminderStatus, VisitKind
from kampungkb.families.models import Couple, Person
from kampungkb.testing.contraception_factories import clock_fixture, method  # noqa: F401 (fixture)

D = dt.date


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def siti_starts(on):
    services.visit_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"),
        visited_on=on,
        method=method("SUNTIK3"),
        kind=VisitKind.START,
        consent_recorded=True,
        actor=None,
    )


def test_reminders_send_queues_sends_and_prints_counts(world, clock, settings):
    settings.KAMPUNGKB_REMINDER_SENDER = "kampungkb.contraception.reminders.LogSender"
    siti_starts(D(2026, 1, 5))  # due 30 March
    Person.objects.filter(full_name="Siti Aminah").update(phone="081234567890")
    assert run("reminders", "send", "--days", "3", "--on", "2026-03-27") == (
        "Reminders: 1 queued, 1 sent, 0 failed.\n"
    )
    assert Reminder.objects.get().status == ReminderStatus.SENT
    assert run("reminders", "send", "--days", "3", "--on", "2026-03-27") == (
        "Reminders: 0 queued, 0 sent, 0 failed.\n"
    )


def test_contraception_refresh_closes_drop_outs_and_prints_counts(world, clock):
    siti_starts(D(2026, 1, 5))  # drops out on 13 July
    assert run("contraception", "refresh", "--on", "2026-07-12") == (
        "Episodes refreshed as of 2026-07-12: 0 couples rebuilt.\n"
    )
    assert run("contraception", "refresh", "--on", "2026-07-13") == (
        "Episodes refreshed as of 2026-07-13: 1 couples rebuilt.\n"
    )
    episode = Episode.objects.get()
    assert (episode.ended_on, episode.end_reason) == (D(2026, 7, 13), "drop_out")
