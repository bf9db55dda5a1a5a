"""The partner page counts the activities held only (decision 0033): a plan with the partner, or a
cancelled one, is no delivery, no first activity and no row of its activities."""

from __future__ import annotations

import datetime as dt

import pytest

from kampungkb.activities.models import ActivityStatus
from kampungkb.partners.models import Partner
from kampungkb.reports.partner_report import partner_activities, partner_report
from kampungkb.reports.tests.test_partner_report import TODAY, activity, partner  # noqa: F401
from kampungkb.testing.world import VILLAGE, VILLAGE_2, World

pytestmark = pytest.mark.django_db


def test_plans_and_cancelled_activities_deliver_nothing(world: World, partner: Partner) -> None:  # noqa: F811
    user = world.user("district")
    held = [a.pk for a in partner_activities(user=user, partner=partner)]
    planned = activity(partner, dt.date(2025, 1, 15), VILLAGE, "Rencana pelatihan")
    planned.status = ActivityStatus.PLANNED
    planned.save()
    cancelled = activity(partner, dt.date(2025, 5, 2), VILLAGE_2, "Pelatihan batal")
    cancelled.status = ActivityStatus.CANCELLED
    cancelled.cancel_reason = "Hujan"
    cancelled.save()
    report = partner_report(user=user, partner=partner, today=TODAY)
    t = report.totals
    # As in test_partner_report: 4 activities held in the district user's areas.
    assert (t.activities, t.people, t.value, t.villages) == (4, 29, 4_050_000, 2)
    assert report.first_activity == dt.date(2025, 2, 10)
    m1 = report.mous[1]
    assert (m1.delivery.activities, m1.delivery.villages) == (3, 2)
    assert [a.pk for a in partner_activities(user=user, partner=partner)] == held
