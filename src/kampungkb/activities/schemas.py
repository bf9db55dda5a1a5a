"""Input and output schemas of the activities API. Named attendees and members carry NIK masked;
users who see aggregates only get ``attendees: null`` and no contributor names."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from kampungkb.activities import selectors
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    FamilyFunction,
    FundingSource,
    Poktan,
    PoktanKind,
    PoktanMember,
)
from kampungkb.activities.services import ActivityData, PartnerContributionData
from kampungkb.families.masking import mask_id

FundingValue = FundingSource | Literal[""]


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(min_length=1, max_length=200)
    held_on: dt.date
    area: str | None = Field(
        None, description="Area code; a poktan session may leave it out (the poktan's area)."
    )
    place: str = ""
    family_function: FamilyFunction
    target_groups: list[str] = []
    organiser: str = Field(min_length=1, max_length=200)
    poktan_id: int | None = None
    partner_ids: list[int] | None = Field(
        None, description="The partners involved; null leaves them as they are on an update."
    )
    funding_source: FundingValue = ""
    funding_amount: int = Field(0, ge=0)
    notes: str = ""

    def to_data(self, *, area: Any, poktan: Poktan | None) -> ActivityData:
        return ActivityData(
            kind=self.kind,
            title=self.title,
            held_on=self.held_on,
            family_function=self.family_function,
            organiser=self.organiser,
            area=area,
            place=self.place,
            target_groups=self.target_groups,
            poktan=poktan,
            funding_source=self.funding_source,
            funding_amount=self.funding_amount,
            notes=self.notes,
        )


class ActivityPlanIn(Schema):
    kind: ActivityKind
    title: str = Field(min_length=1, max_length=200)
    held_on: dt.date | None = Field(
        None, description="Today or later; 14 days from today when left out."
    )
    area: str | None = Field(
        None, description="Area code; a poktan session may leave it out (the poktan's area)."
    )
    place: str = ""
    family_function: FamilyFunction | Literal[""] = Field(
        "", description="Follows the kind when left out."
    )
    target_groups: list[str] = []
    organiser: str = Field("", max_length=200, description="The caller's name when left out.")
    poktan_id: int | None = None
    partner_ids: list[int] | None = None
    funding_source: FundingValue = ""
    funding_amount: int = Field(0, ge=0)
    notes: str = ""
    plan_reason: str = Field(
        "", max_length=64, description="Why it is planned, a code: barrier:husband_objects."
    )


class ActivityHoldIn(Schema):
    held_on: dt.date = Field(description="The date it was held: today or earlier.")
    place: str | None = None
    organiser: str | None = Field(None, min_length=1, max_length=200)
    target_groups: list[str] | None = None
    funding_source: FundingValue | None = None
    funding_amount: int | None = Field(None, ge=0)
    notes: str | None = None
    partner_ids: list[int] | None = Field(
        None, description="The partners involved; null leaves them as planned."
    )

    def changes(self) -> dict[str, Any]:
        """The fields given, to change on the planned activity as it is held."""
        fields = (
            "place",
            "organiser",
            "target_groups",
            "funding_source",
            "funding_amount",
            "notes",
        )
        return {name: getattr(self, name) for name in fields if getattr(self, name) is not None}


class ActivityCancelIn(Schema):
    reason: str = Field(min_length=1, max_length=255)


class ActivityListOut(Schema):
    id: int
    kind: ActivityKind
    title: str
    held_on: dt.date
    status: ActivityStatus
    is_overdue: bool
    plan_reason: str
    cancel_reason: str
    area: str = Field(alias="area_id")
    area_name: str = Field(alias="area.name")
    place: str
    family_function: FamilyFunction
    organiser: str
    poktan_id: int | None
    funding_source: FundingValue
    funding_amount: int
    named_m: int
    named_f: int
    counted_m: int
    counted_f: int
    attendance_total: int


class CountIO(Schema):
    sex: str
    age_group: str
    count: int


class PartnerContributionIO(Schema):
    kind: str
    value: int
    description: str = ""

    def to_data(self) -> PartnerContributionData:
        return PartnerContributionData(
            kind=self.kind, value=self.value, description=self.description
        )


class PartnerLinkOut(Schema):
    partner_id: int
    name: str
    role: str
    contributions: list[PartnerContributionIO]


class ContributionOut(Schema):
    id: int
    kind: str
    description: str
    value: int | None
    person_id: int | None = None
    contributor: str | None = None


class AttendeeOut(Schema):
    id: int
    full_name: str
    nik_masked: str
    sex: str
    area: str


class ActivityOut(Schema):
    id: int
    kind: ActivityKind
    title: str
    held_on: dt.date
    status: ActivityStatus
    is_overdue: bool
    plan_reason: str
    cancel_reason: str
    area: str
    area_name: str
    place: str
    family_function: FamilyFunction
    organiser: str
    poktan_id: int | None
    funding_source: FundingValue
    funding_amount: int
    named_m: int
    named_f: int
    counted_m: int
    counted_f: int
    attendance_total: int
    target_groups: list[str]
    notes: str
    counts: list[CountIO]
    partners: list[PartnerLinkOut]
    contributions: list[ContributionOut]
    attendees: list[AttendeeOut] | None


def activity_out(activity: Activity, user: Any) -> dict[str, Any]:
    """The activity as ``ActivityOut``, with names only for users who may see them."""
    names = selectors.sees_names(user, activity)
    out: dict[str, Any] = {
        "id": activity.pk,
        "kind": activity.kind,
        "title": activity.title,
        "held_on": activity.held_on,
        "status": activity.status,
        "is_overdue": activity.is_overdue,
        "plan_reason": activity.plan_reason,
        "cancel_reason": activity.cancel_reason,
        "area": activity.area_id,
        "area_name": activity.area.name,
        "place": activity.place,
        "family_function": activity.family_function,
        "organiser": activity.organiser,
        "poktan_id": activity.poktan_id,
        "funding_source": activity.funding_source,
        "funding_amount": activity.funding_amount,
        "target_groups": activity.target_groups,
        "notes": activity.notes,
        "counts": [
            {"sex": s, "age_group": a, "count": n}
            for (s, a), n in selectors.attendance_grid(activity).items()
            if n
        ],
        "partners": [
            {
                "partner_id": link.partner_id,
                "name": link.partner.name,
                "role": link.role,
                "contributions": [
                    {"kind": c.kind, "value": c.value, "description": c.description}
                    for c in link.contributions.all()
                ],
            }
            for link in selectors.activity_partner_links(activity)
        ],
        "contributions": [
            {
                "id": c.pk,
                "kind": c.kind,
                "description": c.description,
                "value": c.value,
                "person_id": c.person_id if names else None,
                "contributor": c.contributor if names else None,
            }
            for c in selectors.activity_contributions(activity)
        ],
        "attendees": None,
    }
    for key in ("named_m", "named_f", "counted_m", "counted_f", "attendance_total"):
        out[key] = getattr(activity, key)
    if names:
        out["attendees"] = [
            {
                "id": p.pk,
                "full_name": p.full_name,
                "nik_masked": mask_id(p.nik),
                "sex": p.sex,
                "area": p.family.area_id,
            }
            for p in selectors.activity_attendees(activity, user=user)
        ]
    return out


class AttendanceIn(Schema):
    add: list[int] = Field([], description="Person ids to mark present.")
    remove: list[int] = Field([], description="Person ids to mark not present.")


class AttendanceOut(Schema):
    added: list[int]
    removed: list[int]
    named_total: int
    attendance_total: int


class CountsIn(Schema):
    counts: list[CountIO] = Field(
        description="Counted attendees by sex (M/F) and age group (0-14, 15-24, 25-49, 50+); "
        "groups left out hold nobody."
    )


class ContributionIn(Schema):
    kind: str
    person_id: int | None = None
    contributor: str = ""
    description: str = ""
    value: int | None = None


class PartnerSetIn(Schema):
    role: str = ""
    contributions: list[PartnerContributionIO] = []


class PoktanIn(Schema):
    kind: PoktanKind
    name: str = Field(min_length=1, max_length=150)
    area: str
    established_on: dt.date | None = None


class PoktanOut(Schema):
    id: int
    kind: PoktanKind
    name: str
    area: str = Field(alias="area_id")
    established_on: dt.date | None
    is_active: bool
    member_count: int
    last_session_on: dt.date | None


class MemberIn(Schema):
    person_id: int
    joined_on: dt.date


class MemberEndIn(Schema):
    left_on: dt.date


class MemberOut(Schema):
    id: int
    poktan_id: int
    person_id: int
    full_name: str = Field(alias="person.full_name")
    nik_masked: str
    joined_on: dt.date
    left_on: dt.date | None

    @staticmethod
    def resolve_nik_masked(obj: PoktanMember) -> str:
        return mask_id(obj.person.nik)
