"""The reminder outbox: queued once per couple and due date, sent once, failures marked."""

import datetime as dt
import logging

import pytest

from kampungkb.contraception import services
from kampungkb.contraception.models import Reminder, ReminderStatus, VisitKind
from kampungkb.contraception.reminders import LogSender, reminders_queue, reminders_send
from kampungkb.families.models import Couple, Person
from kampungkb.testing.contraception_factories import clock_fixture, method  # noqa: F401 (fixture)

D = dt.date
SITI = "Ibu Siti, jadwal suntik KB ulang Anda tanggal 30-03-2026. Silakan datang ke faskes atau hubungi kader KB."


class Recorder:
    def __init__(self, failing=()):
        self.sent = []
        self.failing = failing

    def send(self, phone, message):
        if phone in self.failing:
            raise ConnectionError("gateway timeout")
        self.sent.append((phone, message))


sent_by_setting: list[tuple[str, str]] = []


class SettingSender:
    def send(self, phone, message):
        sent_by_setting.append((phone, message))


def record(couple, on, code):
    services.visit_record(
        couple=couple,
        visited_on=on,
        method=method(code),
        kind=VisitKind.START,
        consent_recorded=True,
        actor=None,
    )


@pytest.fixture
def due(world, clock):
    siti = Couple.objects.get(wife__full_name="Siti Aminah")
    baiq = Couple.objects.get(wife__full_name="Baiq Nurul")
    record(siti, D(2026, 1, 5), "SUNTIK3")  # due 30 March
    record(baiq, D(2026, 3, 1), "PIL")  # due 29 March
    Person.objects.filter(full_name="Siti Aminah").update(phone="081234567890")
    return siti, baiq


def test_reminders_queue_once_per_due_date(due):
    siti, _ = due
    assert reminders_queue(as_of=D(2026, 3, 27), days_ahead=3) == 1
    reminder = Reminder.objects.get()
    assert (
        reminder.couple,
        reminder.due_on,
        reminder.method_id,
        reminder.phone,
        reminder.status,
    ) == (
        siti,
        D(2026, 3, 30),
        "SUNTIK3",
        "081234567890",
        ReminderStatus.PENDING,
    )
    assert reminder.message == SITI
    assert reminders_queue(as_of=D(2026, 3, 27), days_ahead=3) == 0
    assert reminders_queue(as_of=D(2026, 3, 28), days_ahead=5) == 0
    assert Reminder.objects.count() == 1


def test_reminders_queue_falls_back_to_the_husbands_phone_and_skips_no_phone(due):
    _, baiq = due
    Person.objects.filter(full_name="Siti Aminah").update(phone="")
    assert reminders_queue(as_of=D(2026, 3, 27), days_ahead=3) == 0
    Person.objects.filter(full_name="Lalu Ahmad").update(phone="087765432100")
    assert reminders_queue(as_of=D(2026, 3, 27), days_ahead=3) == 1
    reminder = Reminder.objects.get()
    assert (reminder.couple, reminder.phone) == (baiq, "087765432100")
    assert reminder.message == (
        "Bapak Lalu, jadwal pengambilan ulang Pil Anda tanggal 29-03-2026. "
        "Silakan datang ke faskes atau hubungi kader KB."
    )


def test_reminders_queue_outside_the_window_and_closed_episodes(due):
    assert reminders_queue(as_of=D(2026, 3, 2), days_ahead=27) == 0  # due 30 March: day 28
    assert reminders_queue(as_of=D(2026, 3, 31), days_ahead=7) == 0  # already past
    assert Reminder.objects.count() == 0


def test_reminders_send_once_and_mark_failures(due):
    siti, baiq = due
    Person.objects.filter(full_name="Baiq Nurul").update(phone="080000000001")
    assert reminders_queue(as_of=D(2026, 3, 27), days_ahead=3) == 2
    recorder = Recorder(failing=("080000000001",))
    assert reminders_send(sender=recorder) == 1
    assert recorder.sent == [("081234567890", SITI)]
    sent = Reminder.objects.get(couple=siti)
    assert (sent.status, sent.error) == (ReminderStatus.SENT, "")
    assert sent.sent_at is not None
    failed = Reminder.objects.get(couple=baiq)
    assert (failed.status, failed.error, failed.sent_at) == (
        ReminderStatus.FAILED,
        "gateway timeout",
        None,
    )
    assert reminders_send(sender=recorder) == 0
    assert len(recorder.sent) == 1


def test_reminders_send_uses_the_sender_setting(due, settings):
    settings.KAMPUNGKB_REMINDER_SENDER = f"{__name__}.SettingSender"
    sent_by_setting.clear()
    reminders_queue(as_of=D(2026, 3, 27), days_ahead=3)
    assert reminders_send() == 1
    assert sent_by_setting == [("081234567890", SITI)]


def test_log_sender_writes_to_the_reminders_log_with_the_phone_masked(caplog):
    with caplog.at_level(logging.INFO, logger="kampungkb.reminders"):
        LogSender().send("081234567890", "Ibu Siti, ...")
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("kampungkb.reminders", "Reminder to ...7890: Ibu Siti, ...")
    ]
