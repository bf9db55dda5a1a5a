"""`kampungkb partners alerts`: each MoU is alerted once per threshold (60 and 30 days), to the
officers whose areas cover it and the partner's users; never a renewed MoU."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from kampungkb.accounts.models import User
from kampungkb.partners import services
from kampungkb.partners.alerts import alert_recipients, threshold_due
from kampungkb.partners.models import MouAlert
from kampungkb.partners.tests.factories import make_mou, make_partner, mou_data
from kampungkb.testing.world import VILLAGE, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(world: World) -> None:
    for username in User.objects.values_list("username", flat=True):
        User.objects.filter(username=username).update(email=f"{username}@example.org")


def run(today: str) -> str:
    out = StringIO()
    call_command("partners", "alerts", "--today", today, stdout=out)
    return out.getvalue()


def test_threshold_due() -> None:
    until = dt.date(2025, 12, 31)
    assert threshold_due(until, dt.date(2025, 10, 31)) is None
    assert threshold_due(until, dt.date(2025, 11, 1)) == 60
    assert threshold_due(until, dt.date(2025, 12, 1)) == 30
    assert threshold_due(until, dt.date(2025, 12, 31)) == 30
    assert threshold_due(until, dt.date(2026, 1, 1)) is None


def test_recipients_are_the_covering_officers_and_the_partners_users(
    world: World, emails: None
) -> None:
    partner = make_partner(served=[VILLAGE])
    services.partner_user_link(partner=partner, user=world.user("partner"), actor=None)
    in_village = make_mou(partner, "V", area=VILLAGE)
    in_kab = make_mou(partner, "K")
    assert alert_recipients(in_village) == [
        "district@example.org",
        "partner@example.org",
        "pkb@example.org",
    ]
    # A PKB officer of two villages does not cover the whole kabupaten.
    assert alert_recipients(in_kab) == ["district@example.org", "partner@example.org"]


def test_alerts_are_sent_once_per_threshold(world: World, emails: None) -> None:
    make_mou(make_partner(), "001/PKS/2025", valid_until=dt.date(2025, 12, 31))
    assert run("2025-10-31") == "MoU alerts on 2025-10-31: 0 MoU(s), 0 email(s) sent.\n"
    assert run("2025-11-01") == "MoU alerts on 2025-11-01: 1 MoU(s), 1 email(s) sent.\n"
    assert mail.outbox[0].to == ["district@example.org"]
    assert run("2025-11-01") == "MoU alerts on 2025-11-01: 0 MoU(s), 0 email(s) sent.\n"
    assert run("2025-11-20") == "MoU alerts on 2025-11-20: 0 MoU(s), 0 email(s) sent.\n"
    assert run("2025-12-01") == "MoU alerts on 2025-12-01: 1 MoU(s), 1 email(s) sent.\n"
    assert run("2025-12-15") == "MoU alerts on 2025-12-15: 0 MoU(s), 0 email(s) sent.\n"
    assert run("2026-01-05") == "MoU alerts on 2026-01-05: 0 MoU(s), 0 email(s) sent.\n"
    assert len(mail.outbox) == 2
    assert list(
        MouAlert.objects.order_by("sent_on").values_list("threshold", "sent_on", "recipients")
    ) == [
        (60, dt.date(2025, 11, 1), 1),
        (30, dt.date(2025, 12, 1), 1),
    ]


def test_the_mail_is_in_indonesian_then_english(world: World, emails: None) -> None:
    make_mou(make_partner(), "001/PKS/2025", valid_until=dt.date(2025, 12, 31))
    run("2025-12-01")
    message = mail.outbox[0]
    assert message.subject == (
        "MoU 001/PKS/2025 (Rumah Kreatif BUMN) berakhir 31-12-2025 / ends 31-12-2025"
    )
    assert message.body.index("berakhir pada 31-12-2025, 30 hari lagi") < message.body.index(
        "ends on 31-12-2025, in 30 days"
    )


def test_a_missed_60_day_alert_is_caught_up_by_the_30_day_one_only(
    world: World, emails: None
) -> None:
    make_mou(make_partner(), valid_until=dt.date(2025, 12, 31))
    run("2025-12-10")
    assert run("2025-12-11").endswith("0 MoU(s), 0 email(s) sent.\n")
    assert list(MouAlert.objects.values_list("threshold", flat=True)) == [30]
    assert len(mail.outbox) == 1


def test_a_renewed_mou_gets_no_alerts(world: World, emails: None) -> None:
    old = make_mou(make_partner(), valid_until=dt.date(2025, 12, 31))
    services.mou_renew(mou=old, data=mou_data("002", valid_until=dt.date(2026, 12, 31)), actor=None)
    assert run("2025-12-01").endswith("0 MoU(s), 0 email(s) sent.\n")
    assert not MouAlert.objects.exists()
    assert mail.outbox == []


def test_an_inactive_partners_mou_gets_no_alerts(world: World, emails: None) -> None:
    partner = make_partner()
    make_mou(partner, valid_until=dt.date(2025, 12, 31))
    services.partner_deactivate(partner=partner, actor=None)
    assert run("2025-12-01").endswith("0 MoU(s), 0 email(s) sent.\n")


def test_a_changed_end_date_alerts_again(world: World, emails: None) -> None:
    mou = make_mou(make_partner(), valid_until=dt.date(2025, 12, 31))
    run("2025-12-01")
    services.mou_update(mou=mou, data=mou_data(valid_until=dt.date(2026, 1, 20)), actor=None)
    assert run("2025-12-02").endswith("1 MoU(s), 1 email(s) sent.\n")
    assert len(mail.outbox) == 2


def test_users_without_email_are_skipped_and_the_alert_still_recorded(world: World) -> None:
    make_mou(make_partner(), valid_until=dt.date(2025, 12, 31))
    assert run("2025-12-01") == "MoU alerts on 2025-12-01: 1 MoU(s), 0 email(s) sent.\n"
    assert MouAlert.objects.get().recipients == 0
