"""Planned and cancelled activities never count for the classification (decision 0033): not as
management activities held, nor for the partner agencies of the village."""

from __future__ import annotations

from django.utils import timezone

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import ActivityKind
from kampungkb.kampung import selectors
from kampungkb.partners.models import Partner, PartnerKind
from kampungkb.testing.world import KAB, VILLAGE, World


def test_plans_are_not_management_activities_nor_partner_agencies_held(world: World) -> None:
    today = timezone.localdate()
    partner = Partner.objects.create(name="PKK Kukar", kind=PartnerKind.PKK, area=world.area(KAB))
    for kind in (ActivityKind.PLANNING_MEETING, ActivityKind.MONITORING):
        activity_services.activity_plan(
            user=None,
            area=world.area(VILLAGE),
            kind=kind,
            title=str(kind),
            held_on=today,
            target_groups=[],
            organiser="PKB Kota Bangun",
            partners=[partner],
        )
    cancelled = activity_services.activity_plan(
        user=None,
        area=world.area(VILLAGE),
        kind=ActivityKind.SOCIALISATION,
        title="Sosialisasi",
        held_on=today,
        target_groups=[],
        organiser="PKB Kota Bangun",
        partners=[partner],
    )
    activity_services.activity_cancel(user=None, activity=cancelled, reason="Hujan")
    month = today.replace(day=1)
    assert selectors.management_kinds_held(village_code=VILLAGE, month=month) == []
    assert selectors.partners_in_activities(village_code=VILLAGE, month=month) == []
    assert selectors.partners_of_village(village_code=VILLAGE, month=month) == []
    # Held, the first plan counts.
    [first, *_] = world.area(VILLAGE).activities.filter(kind=ActivityKind.PLANNING_MEETING)
    activity_services.activity_hold(user=None, activity=first, held_on=today)
    assert selectors.management_kinds_held(village_code=VILLAGE, month=month) == [
        "planning_meeting"
    ]
    assert selectors.partners_in_activities(village_code=VILLAGE, month=month) == [
        (partner.pk, "PKK Kukar")
    ]
    assert [
        (p["name"], p["activities"])
        for p in selectors.partners_of_village(village_code=VILLAGE, month=month)
    ] == [("PKK Kukar", 1)]
