"""MoU expiry alerts by email, 60 and 30 days before an MoU ends (decision 0021).

``mou_alerts_send`` is run daily from cron (``kampungkb partners alerts``). Each MoU gets one mail
per threshold: the alert is recorded in ``MouAlert`` after it is sent, so a rerun sends nothing
twice and a day the job did not run is caught up the next day. An MoU already renewed, or of a
partner no longer active, gets none. The mail is written in Bahasa Indonesia, then English.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from kampungkb.accounts.models import Role, User
from kampungkb.partners.models import AlertThreshold, Mou, MouAlert
from kampungkb.partners.selectors import FIRST_ALERT_DAYS, SECOND_ALERT_DAYS

logger = logging.getLogger("kampungkb.partners")

OFFICER_ROLES = (Role.DISTRICT_OFFICER, Role.PKB_OFFICER)


@dataclass(frozen=True)
class AlertsSent:
    mous: int  # MoUs alerted
    messages: int  # emails sent


def threshold_due(valid_until: dt.date, today: dt.date) -> int | None:
    """The threshold an MoU ending on ``valid_until`` has reached today (None: none, or ended)."""
    days = (valid_until - today).days
    if days < 0 or days > FIRST_ALERT_DAYS:
        return None
    return AlertThreshold.DAYS_30 if days <= SECOND_ALERT_DAYS else AlertThreshold.DAYS_60


def _covering_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def alert_recipients(mou: Mou) -> list[str]:
    """The email addresses of the district and PKB officers whose areas cover the MoU's area,
    and of the partner's users; each once, sorted."""
    officers = Q(
        assignments__role__in=OFFICER_ROLES, assignments__area_id__in=_covering_codes(mou.area_id)
    )
    members = Q(partner_membership__partner_id=mou.partner_id)
    emails = (
        User.objects.filter(officers | members, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(emails))


def alert_message(mou: Mou, today: dt.date) -> tuple[str, str]:
    """Subject and body, Indonesian first."""
    days = (mou.valid_until - today).days
    until = mou.valid_until.strftime("%d-%m-%Y")
    partner = mou.partner.name
    subject = f"MoU {mou.number} ({partner}) berakhir {until} / ends {until}"
    body = (
        f'MoU nomor {mou.number} "{mou.title}" dengan {partner} (wilayah {mou.area.name}) '
        f"berakhir pada {until}, {days} hari lagi. Mohon siapkan perpanjangannya, atau catat "
        "bila kerja sama tidak dilanjutkan.\n\n"
        f'The MoU number {mou.number} "{mou.title}" with {partner} (area {mou.area.name}) '
        f"ends on {until}, in {days} days. Please prepare its renewal, or record that the "
        "partnership will not continue.\n\n"
        "-- kampungkb"
    )
    return subject, body


def mous_due(today: dt.date) -> list[tuple[Mou, int]]:
    """MoUs of active partners, not renewed, that reached a threshold not yet alerted."""
    renewed = Mou.objects.filter(renews=OuterRef("pk"))
    candidates = (
        Mou.objects.filter(
            partner__is_active=True,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=FIRST_ALERT_DAYS),
        )
        .exclude(Exists(renewed))
        .select_related("partner", "area")
        .prefetch_related("alerts")
        .order_by("valid_until", "id")
    )
    due = []
    for mou in candidates:
        threshold = threshold_due(mou.valid_until, today)
        sent = {alert.threshold for alert in mou.alerts.all()}
        # A 30-day alert also stands for a 60-day one the job never sent.
        if threshold is not None and threshold not in sent and min(sent, default=99) > threshold:
            due.append((mou, threshold))
    return due


def mou_alerts_send(*, today: dt.date) -> AlertsSent:
    """Send the alerts due on ``today``, one email per recipient, and record each MoU's."""
    mous = messages = 0
    sender = settings.DEFAULT_FROM_EMAIL
    for mou, threshold in mous_due(today):
        recipients = alert_recipients(mou)
        subject, body = alert_message(mou, today)
        try:
            sent = send_mass_mail(
                [(subject, body, sender, [email]) for email in recipients], fail_silently=False
            )
        except OSError:
            logger.exception("MoU %s: the expiry alert could not be sent; retried tomorrow", mou.pk)
            continue
        with transaction.atomic():
            MouAlert.objects.create(
                mou=mou, threshold=threshold, sent_on=today, recipients=len(recipients)
            )
        mous += 1
        messages += sent
    return AlertsSent(mous=mous, messages=messages)
