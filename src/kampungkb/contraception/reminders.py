"""Reminders of due visits by SMS or chat: an outbox (``Reminder``) filled by
``reminders_queue`` and emptied by ``reminders_send`` through a pluggable sender (the setting
``KAMPUNGKB_REMINDER_SENDER``). One reminder per couple and due date, so running the job twice
queues and sends nothing twice. Run by ``kampungkb reminders send`` from cron."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from kampungkb.contraception.models import Episode, Reminder, ReminderStatus
from kampungkb.contraception.selectors import due_kind

logger = logging.getLogger("kampungkb.reminders")

# What the due visit is for, as the message says it (``selectors.due_kind``).
_WHAT = {
    "reinjection": "suntik KB ulang",
    "resupply": "pengambilan ulang {method}",
    "check": "kontrol {method}",
    "replacement": "pencabutan atau penggantian {method}",
    "mal_ends": "memilih metode KB lanjutan (MAL berakhir)",
}


class ReminderSender(Protocol):
    def send(self, phone: str, message: str) -> None: ...


class LogSender:
    """The default sender: writes each message to the ``kampungkb.reminders`` log instead of
    sending it (development, or until an SMS gateway is configured). The phone number is masked:
    logs are not a place for personal data."""

    def send(self, phone: str, message: str) -> None:
        logger.info("Reminder to ...%s: %s", phone[-4:], message)


def reminder_message(episode: Episode, *, to_wife: bool) -> str:
    person = episode.couple.wife if to_wife else episode.couple.husband
    first_name = person.full_name.split()[0] if person is not None else ""
    salutation = "Ibu" if to_wife else "Bapak"
    what = _WHAT[due_kind(episode)].format(method=episode.method.name)
    due = episode.next_due_on.strftime("%d-%m-%Y") if episode.next_due_on else ""
    return (
        f"{salutation} {first_name}, jadwal {what} Anda tanggal {due}. "
        "Silakan datang ke faskes atau hubungi kader KB."
    )


def reminders_queue(*, as_of: dt.date, days_ahead: int) -> int:
    """Queue a reminder for each open episode due from ``as_of`` to ``days_ahead`` days later
    whose wife (else husband) has a phone number. Returns the number queued now."""
    episodes = (
        Episode.objects.filter(
            ended_on__isnull=True,
            next_due_on__gte=as_of,
            next_due_on__lte=as_of + dt.timedelta(days=days_ahead),
        )
        .select_related("method", "couple__wife", "couple__husband")
        .order_by("next_due_on", "pk")
    )
    queued = set(
        Reminder.objects.filter(
            due_on__gte=as_of, due_on__lte=as_of + dt.timedelta(days=days_ahead)
        ).values_list("couple_id", "due_on")
    )
    new: list[Reminder] = []
    for episode in episodes:
        if (episode.couple_id, episode.next_due_on) in queued or episode.next_due_on is None:
            continue
        wife, husband = episode.couple.wife, episode.couple.husband
        to_wife = bool(wife.phone)
        phone = wife.phone or (husband.phone if husband is not None else "")
        if not phone:
            continue
        new.append(
            Reminder(
                couple_id=episode.couple_id,
                due_on=episode.next_due_on,
                method_id=episode.method_id,
                phone=phone,
                message=reminder_message(episode, to_wife=to_wife),
            )
        )
    # A concurrent run may have queued some meanwhile: the unique constraint keeps one.
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _sender() -> ReminderSender:
    sender: ReminderSender = import_string(settings.KAMPUNGKB_REMINDER_SENDER)()
    return sender


def reminders_send(*, sender: ReminderSender | None = None) -> int:
    """Send every pending reminder; each is marked sent, or failed with the error, on its own so
    that one failure stops neither the others nor the record of those already sent. Returns the
    number sent."""
    sender = sender or _sender()
    sent = 0
    for reminder in Reminder.objects.filter(status=ReminderStatus.PENDING).order_by("pk"):
        try:
            sender.send(reminder.phone, reminder.message)
        except Exception as exc:  # any gateway error marks this one failed
            logger.warning("Reminder %s failed: %s", reminder.pk, exc)
            reminder.status = ReminderStatus.FAILED
            reminder.error = (str(exc) or type(exc).__name__)[:255]
        else:
            reminder.status = ReminderStatus.SENT
            reminder.sent_at = timezone.now()
            reminder.error = ""
            sent += 1
        reminder.save(update_fields=["status", "sent_at", "error", "updated_at"])
    return sent
