"""Input and output schemas of the contraceptive services API.

Lists carry the wife's NIK masked (``wife_nik_masked``, ``masking.mask_id``). Dates are ISO
strings; a method is named by its catalogue code (``SUNTIK3``), a facility by its id.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from kampungkb.contraception.engine import Status
from kampungkb.contraception.models import (
    Barrier,
    DueRule,
    EndReason,
    Episode,
    Facility,
    FacilityKind,
    FollowUpOutcome,
    Ownership,
    Unit,
    Verification,
    VisitKind,
)
from kampungkb.contraception.selectors import due_kind
from kampungkb.families.masking import mask_id

# Stored as "" when not recorded.
EndReasonValue = EndReason | Literal[""]
BarrierValue = Barrier | Literal[""]
DueKind = Literal["reinjection", "resupply", "check", "replacement", "mal_ends"]


# ---- catalogue and facilities ----------------------------------------------------------------


class MethodOut(Schema):
    code: str
    name: str
    name_en: str
    is_modern: bool
    is_long_acting: bool = Field(description="MKJP: IUD, implant, MOW, MOP.")
    is_male: bool
    due_rule: DueRule
    days_per_unit: int
    first_check_days: int
    check_interval_days: int
    protection_days: int | None
    grace_days: int
    unit: Unit
    cyp_per_unit: Decimal
    requires_consent: bool = Field(description="A start or switch needs informed consent.")


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    kind: FacilityKind
    ownership: Ownership
    has_jkn_contract: bool
    area: str = Field(alias="area_id")
    area_name: str = Field(alias="area.name")
    is_active: bool


class FacilityIn(Schema):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=150)
    kind: FacilityKind
    ownership: Ownership
    has_jkn_contract: bool = False
    area: str = Field(description="Code of the area the facility is in.")


class FacilityUpdateIn(Schema):
    """Fields left out keep their value. The code does not change."""

    name: str | None = Field(None, min_length=1, max_length=150)
    kind: FacilityKind | None = None
    ownership: Ownership | None = None
    has_jkn_contract: bool | None = None
    area: str | None = Field(None, description="Code of the new area.")

    def merged(self, facility: Facility) -> dict[str, Any]:
        """The facility's fields with the ones sent (``area`` is left to the endpoint)."""
        sent = self.model_dump(exclude_none=True, exclude={"area"})
        current = {
            "name": facility.name,
            "kind": facility.kind,
            "ownership": facility.ownership,
            "has_jkn_contract": facility.has_jkn_contract,
        }
        return current | sent


# ---- episodes and visits ---------------------------------------------------------------------


class EpisodeOut(Schema):
    id: int
    method: str = Field(alias="method_id")
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: EndReasonValue
    next_due_on: dt.date | None
    overdue_from: dt.date | None = Field(description="First day past the due date and grace.")
    drop_out_on: dt.date | None = Field(description="Day the user counts as dropped out.")
    is_new_user: bool = Field(description="PB: first-ever use or first use after a birth.")
    is_switch: bool
    is_postpartum: bool = Field(description="KBPP: started within 42 days after a birth.")


class VisitIn(Schema):
    couple_id: int
    visited_on: dt.date
    method: str = Field(description="Catalogue code, e.g. SUNTIK3.")
    kind: VisitKind
    quantity: int = Field(1, ge=1, description="Doses, cycles or pieces given.")
    facility_id: int | None = None
    provider: str = Field("", max_length=100)
    consent_recorded: bool = False
    stop_reason: EndReasonValue = Field(
        "", description="Only with a removal/stop or a complication."
    )
    notes: str = Field("", max_length=255)


class VisitListOut(Schema):
    id: int
    couple_id: int
    wife_name: str = Field(alias="couple.wife.full_name")
    area: str = Field(alias="couple.wife.family.area_id")
    visited_on: dt.date
    method: str = Field(alias="method_id")
    kind: VisitKind
    quantity: int
    facility_id: int | None
    consent_recorded: bool
    stop_reason: EndReasonValue
    is_postpartum: bool
    due_on: dt.date | None = Field(description="The next due date this visit set.")
    episode_id: int | None


class VisitOut(Schema):
    id: int
    couple_id: int
    visited_on: dt.date
    method: str = Field(alias="method_id")
    kind: VisitKind
    quantity: int
    facility_id: int | None
    provider: str
    consent_recorded: bool
    stop_reason: EndReasonValue
    is_postpartum: bool
    notes: str
    due_on: dt.date | None = Field(description="The next due date this visit set.")
    episode: EpisodeOut | None


# ---- a couple's status -----------------------------------------------------------------------


class CoupleStatusOut(Schema):
    """The couple's one status on ``on``: a user of a method, or a non-user and why."""

    couple_id: int
    on: dt.date
    status: Status = Field(
        description="user, pregnant, soon (wants a child soon), delay (IAT), no_more (TIAL) "
        "or unknown."
    )
    method: str | None
    due_on: dt.date | None
    overdue: bool = Field(description="Past the due date and the method's grace period.")
    is_active_user: bool = Field(description="PA: a user who is not overdue.")
    episodes: list[EpisodeOut] = Field(description="The stored episodes, newest first.")


# ---- follow-up lists -------------------------------------------------------------------------


class FollowUpRowOut(Schema):
    """A user to follow up: one open (or dropped-out) episode of use."""

    episode_id: int = Field(alias="id")
    couple_id: int
    wife_id: int = Field(alias="couple.wife_id")
    wife_name: str = Field(alias="couple.wife.full_name")
    wife_nik_masked: str
    husband_name: str | None
    area: str = Field(alias="couple.wife.family.area_id")
    area_name: str = Field(alias="couple.wife.family.area.name")
    method: str = Field(alias="method_id")
    method_name: str = Field(alias="method.name")
    started_on: dt.date
    next_due_on: dt.date | None
    due_kind: DueKind
    overdue_from: dt.date | None
    drop_out_on: dt.date | None
    ended_on: dt.date | None

    @staticmethod
    def resolve_wife_nik_masked(obj: Episode) -> str:
        return mask_id(obj.couple.wife.nik)

    @staticmethod
    def resolve_husband_name(obj: Episode) -> str | None:
        husband = obj.couple.husband
        return husband.full_name if husband is not None else None

    @staticmethod
    def resolve_due_kind(obj: Episode) -> str:
        return due_kind(obj)


class FollowUpIn(Schema):
    couple_id: int
    episode_id: int | None = Field(None, description="The episode followed up, if known.")
    done_on: dt.date
    outcome: FollowUpOutcome
    barrier: BarrierValue = Field("", description="Required when the outcome is refused.")
    note: str = Field("", max_length=255)


class FollowUpOut(Schema):
    id: int
    couple_id: int
    episode_id: int | None
    due_on: dt.date | None
    done_on: dt.date
    outcome: FollowUpOutcome
    barrier: BarrierValue
    note: str


# ---- verification of home visits (decision 0028) ---------------------------------------------


class VerifyIn(Schema):
    ids: list[int] = Field(description="Ids of the follow-ups (cadres' home visits) checked.")
    verification: Verification = Field(description="verified or rejected.")
    note: str = Field("", max_length=200, description="Why the visits are rejected (required).")


class FollowUpVerifiedOut(FollowUpOut):
    """A follow-up with its verification: only verified home visits earn a cadre's incentive."""

    verification: Verification
    verified_by: str | None = Field(description="Username of the supervisor.")
    verified_at: dt.datetime | None
    verification_note: str = Field(description="Why the visit was rejected.")

    @staticmethod
    def resolve_verified_by(obj: Any) -> str | None:
        return obj.verified_by.username if obj.verified_by_id is not None else None


class VerifyOut(Schema):
    changed: int = Field(description="How many follow-ups changed (the others already were so).")
    follow_ups: list[FollowUpVerifiedOut]
