"""Input and output schemas of the cadres API. NIK is never sent; names only to users who see
named persons in the area (the endpoints that carry names need ``view_persons``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from kampungkb.cadres.models import (
    BatchAction,
    BatchStatus,
    CadreRole,
    ItemKind,
    Option,
    Phase,
    TeamRole,
    Topic,
)
from kampungkb.contraception.models import FollowUpOutcome, Verification

TeamRoleValue = TeamRole | Literal[""]
ChosenValue = Option | Literal[""]
RoleValue = CadreRole | Literal[""]
AccountField = Field(
    None,
    description="Username of the cadre's own login (a cadre account working in the cadre's "
    "village): the follow-ups recorded with it are this cadre's home visits. On a change, "
    "leaving it out keeps the link and null unlinks.",
)


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class CadreIn(Schema):
    person_id: int
    role: CadreRole
    area: str = Field(description="Code of the area served: a village, hamlet/RW or RT.")
    started_on: dt.date
    decree_number: str = Field("", max_length=100)
    decree_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    tpk_team_id: int | None = None
    team_role: TeamRoleValue = ""
    account: str | None = AccountField


class CadreUpdateIn(Schema):
    started_on: dt.date
    decree_number: str = Field("", max_length=100)
    decree_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    tpk_team_id: int | None = None
    team_role: TeamRoleValue = ""
    account: str | None = AccountField


class DeactivateIn(Schema):
    ended_on: dt.date
    reason: str = Field(min_length=1, max_length=200)


class CadreOut(Schema):
    id: int
    person_id: int
    name: str = Field(alias="person.full_name")
    role: CadreRole
    area: str = Field(alias="area_id")
    area_name: str = Field(alias="area.name")
    started_on: dt.date
    ended_on: dt.date | None
    is_active: bool
    deactivated_reason: str
    decree_number: str
    decree_date: dt.date | None
    phone: str
    tpk_team_id: int | None
    team_role: TeamRoleValue
    registered: bool = Field(description="Re-registered (K/0) for the current year.")
    latest_score: Decimal | None
    account: str | None = Field(description="Username of the cadre's own login, if linked.")

    @staticmethod
    def resolve_account(obj: Any) -> str | None:
        return obj.account.username if obj.account_id is not None else None


class RegistrationIn(Schema):
    year: int
    registered_on: dt.date


class RegistrationOut(Schema):
    id: int
    cadre_id: int
    year: int
    registered_on: dt.date


class TeamIn(Schema):
    village: str
    name: str = Field(min_length=1, max_length=100)


class TeamUpdateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    is_active: bool = True


class SeatOut(Schema):
    cadre_id: int
    name: str
    team_role: TeamRole


class TeamOut(Schema):
    id: int
    village: str = Field(alias="village_id")
    name: str
    is_active: bool
    members: list[SeatOut]


def team_out(team: Any) -> dict[str, Any]:
    seats = getattr(team, "seats", None)
    if seats is None:
        seats = team.members.filter(is_active=True).select_related("person")
    return {
        "id": team.pk,
        "village_id": team.village_id,
        "name": team.name,
        "is_active": team.is_active,
        "members": [
            {"cadre_id": c.pk, "name": c.person.full_name, "team_role": c.team_role} for c in seats
        ],
    }


class QuestionOut(Schema):
    id: int
    code: str
    topic: Topic
    text: str
    options: dict[str, str]
    correct: Option
    explanation: str

    @staticmethod
    def resolve_options(obj: Any) -> dict[str, str]:
        return dict(obj.options())


class AnswerIn(Schema):
    question_id: int
    chosen: ChosenValue = Field("", description="a, b, c or d; empty when not answered.")


class TestIn(Schema):
    phase: Phase
    taken_on: dt.date
    training_id: int | None = None
    answers: list[AnswerIn]


class AnswerOut(Schema):
    question_id: int
    code: str = Field(alias="question.code")
    topic: Topic
    chosen: ChosenValue
    correct: Option = Field(alias="question.correct")
    is_correct: bool
    explanation: str = Field(alias="question.explanation")


class TestListOut(Schema):
    id: int
    cadre_id: int
    training_id: int | None
    phase: Phase
    taken_on: dt.date
    question_count: int
    correct_count: int
    score: Decimal
    certified: bool

    @staticmethod
    def resolve_certified(obj: Any) -> bool:
        from kampungkb.cadres.selectors import is_certified

        return is_certified(obj)


class TestOut(TestListOut):
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Any) -> Any:
        from kampungkb.cadres.selectors import test_answers

        return test_answers(obj)


class AreaBoardOut(Schema):
    area: str
    name: str
    own: bool = Field(description="The cadres serving the chosen area itself, not an area in it.")
    families: int
    active: int
    per_100_families: Decimal | None
    inactive: int
    deactivated: int
    not_registered: int
    tested: int
    mean_score: Decimal | None
    topics: dict[str, Decimal | None]


class DashboardOut(Schema):
    area: str
    on: dt.date
    pass_mark: Decimal
    without_cadre: int
    rows: list[AreaBoardOut]
    total: AreaBoardOut


class CadreGapOut(Schema):
    cadre_id: int
    name: str
    area: str
    test_id: int
    score: Decimal
    topics: dict[str, Decimal | None]


class KnowledgeOut(Schema):
    area: str
    pass_mark: Decimal
    rows: list[AreaBoardOut]
    below_pass_mark: list[CadreGapOut]


class AlertOut(Schema):
    code: str
    name: str
    level: int


# -- Monthly meetings -------------------------------------------------------------------------------

MonthText = Field(pattern=r"^\d{4}-\d{2}$", description="The month, YYYY-MM.")


class MeetingIn(Schema):
    village: str = Field(description="Code of the village (desa/kelurahan).")
    month: str = MonthText
    held_on: dt.date
    place: str = Field("", max_length=200)


class MinutesIn(Schema):
    minutes: str
    problems: str = ""
    decisions: str = ""


class AttendanceIn(Schema):
    present: list[int] = Field(description="Person ids of the village's cadres present.")


class ActionItemIn(Schema):
    description: str = Field(max_length=300)
    owner_id: int | None = Field(None, description="A cadre of the village (the cadre row id).")
    owner_name: str = Field("", max_length=150)
    due_on: dt.date | None = None


class ActionCloseIn(Schema):
    status: Literal["done", "dropped"]
    closed_on: dt.date


class ActionItemOut(Schema):
    id: int
    meeting_id: int
    description: str
    owner_id: int | None
    owner: str = Field(alias="owner_label")
    due_on: dt.date | None
    status: str
    closed_on: dt.date | None
    carried_from_id: int | None


class MeetingAttendeeOut(Schema):
    person_id: int
    name: str
    roles: list[str]
    present: bool


class MeetingOut(Schema):
    id: int
    village: str
    month: str
    held_on: dt.date
    place: str
    activity_id: int
    minutes: str
    problems: str
    decisions: str
    agenda_frozen: bool = Field(
        description="True once the minutes are saved: the agenda as discussed."
    )
    agenda: dict[str, Any]
    attendance: list[MeetingAttendeeOut]
    action_items: list[ActionItemOut]


class MeetingRowOut(Schema):
    village: str
    village_name: str
    month: str
    held: bool
    meeting_id: int | None
    held_on: dt.date | None
    attendees: int | None
    open_items: int | None
    minutes_written: bool


class ControlRowOut(Schema):
    area: str
    name: str
    cadres: int
    cadres_reporting: int
    poktan: int
    poktan_active: int
    meetings: int
    counselling: int
    poktan_sessions: int


class FieldControlOut(Schema):
    area: str
    month: str
    rows: list[ControlRowOut]
    total: ControlRowOut


# -- Incentives (decision 0028) ---------------------------------------------------------------------

Rupiah = Field(0, ge=0, le=2_000_000_000, description="Whole rupiah.")
Cap = Field(None, ge=0, le=32_767, description="Empty (null) for no cap.")


class RuleIn(Schema):
    """The rates a district pays its cadres from a month on. Amounts are whole rupiah."""

    area: str = Field(description="Code of the district (kabupaten/kota).")
    role: RoleValue = Field("", description="A cadre role, or empty for every role.")
    valid_from: str = Field(pattern=r"^\d{4}-\d{2}$", description="First month in force, YYYY-MM.")
    base_honorarium: int = Rupiah
    per_home_visit: int = Rupiah
    per_referral: int = Rupiah
    per_meeting: int = Rupiah
    per_training: int = Rupiah
    max_home_visits: int | None = Cap
    max_referrals: int | None = Cap
    max_total: int | None = Field(None, ge=0, le=2_000_000_000, description="Null for no cap.")
    referral_window_days: int = Field(90, ge=1, le=32_767)
    note: str = Field("", max_length=200)


class RulePatchIn(Schema):
    """Fields left out keep their value; null clears a cap (and only a cap)."""

    area: str | None = Field(None, description="Code of the district (kabupaten/kota).")
    role: RoleValue | None = Field(None, description="A cadre role, or empty for every role.")
    valid_from: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM.")
    base_honorarium: int | None = Field(None, ge=0, le=2_000_000_000)
    per_home_visit: int | None = Field(None, ge=0, le=2_000_000_000)
    per_referral: int | None = Field(None, ge=0, le=2_000_000_000)
    per_meeting: int | None = Field(None, ge=0, le=2_000_000_000)
    per_training: int | None = Field(None, ge=0, le=2_000_000_000)
    max_home_visits: int | None = Cap
    max_referrals: int | None = Cap
    max_total: int | None = Field(None, ge=0, le=2_000_000_000)
    referral_window_days: int | None = Field(None, ge=1, le=32_767)
    note: str | None = Field(None, max_length=200)

    @field_validator(
        "area",
        "role",
        "valid_from",
        "base_honorarium",
        "per_home_visit",
        "per_referral",
        "per_meeting",
        "per_training",
        "referral_window_days",
        "note",
    )
    @classmethod
    def not_null(cls, value: Any) -> Any:
        # Reached only for a value sent: null is for the caps.
        if value is None:
            raise ValueError("null is only allowed for a cap; leave the field out to keep it")
        return value


class RuleOut(Schema):
    id: int
    area: str = Field(alias="area_id")
    area_name: str = Field(alias="area.name")
    role: RoleValue
    valid_from: str = Field(description="First month in force, YYYY-MM.")
    base_honorarium: int
    per_home_visit: int
    per_referral: int
    per_meeting: int
    per_training: int
    max_home_visits: int | None
    max_referrals: int | None
    max_total: int | None
    referral_window_days: int
    note: str
    in_use: bool = Field(
        description="An approved or paid proposal pays by this rule: it can no longer change."
    )

    @staticmethod
    def resolve_valid_from(obj: Any) -> str:
        return str(obj.valid_from.strftime("%Y-%m"))

    @staticmethod
    def resolve_in_use(obj: Any) -> bool:
        from kampungkb.cadres.incentives_selectors import rule_in_use

        in_use = getattr(obj, "in_use", None)
        return bool(in_use) if in_use is not None else rule_in_use(obj)


class BatchOut(Schema):
    """A village's incentive proposal of a month (its current revision)."""

    id: int
    village: str = Field(alias="village_id")
    village_name: str = Field(alias="village.name")
    month: str = Field(description="YYYY-MM.")
    status: BatchStatus
    revision: int
    total: int = Field(description="Rupiah, the current revision's lines together.")
    cadre_count: int
    computed_at: dt.datetime
    proposed_by: str | None = Field(description="Username.")
    proposed_at: dt.datetime | None
    decided_by: str | None = Field(description="Username of who approved or returned it.")
    decided_at: dt.datetime | None
    return_reason: str

    @staticmethod
    def resolve_month(obj: Any) -> str:
        return str(obj.month.strftime("%Y-%m"))

    @staticmethod
    def resolve_proposed_by(obj: Any) -> str | None:
        return _username(obj.proposed_by) if obj.proposed_by_id is not None else None

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return _username(obj.decided_by) if obj.decided_by_id is not None else None


class LineOut(Schema):
    """What one cadre earned in the batch's current revision (amounts in rupiah)."""

    id: int
    cadre_id: int
    name: str = Field(alias="cadre.person.full_name")
    role: CadreRole = Field(alias="cadre.role")
    area: str = Field(alias="cadre.area_id")
    rule_id: int
    home_visits: int
    referrals: int
    meetings: int
    trainings: int
    base_amount: int
    visits_amount: int
    referrals_amount: int
    meetings_amount: int
    trainings_amount: int
    capped_amount: int = Field(description="Above the rule's monthly cap, not paid.")
    total: int
    paid_on: dt.date | None
    payment_reference: str
    paid_by: str | None = Field(description="Username of who recorded the payment.")

    @staticmethod
    def resolve_paid_by(obj: Any) -> str | None:
        return _username(obj.paid_by) if obj.paid_by_id is not None else None


class EventOut(Schema):
    revision: int
    action: BatchAction
    total: int
    reason: str
    actor: str | None = Field(description="Username.")
    at: dt.datetime

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return _username(obj.actor) if obj.actor_id is not None else None


class DriftOut(Schema):
    stored_total: int
    fresh_total: int = Field(description="The total computed again from the records now.")
    changed: list[str] = Field(description="Names of the cadres whose lines differ.")


class BatchDetailOut(BatchOut):
    lines: list[LineOut] = Field(alias="lines_out")
    events: list[EventOut] = Field(alias="events_out")
    drift: DriftOut | None = Field(
        description="How the records now differ from the stored lines; null when they match."
    )


class ItemOut(Schema):
    """One record that earned an amount (or, above a cap, would have: ``counted`` false)."""

    kind: ItemKind
    on: dt.date
    amount: int
    counted: bool
    follow_up_id: int | None
    episode_id: int | None
    activity_id: int | None
    source: str = Field(description="What the record was when the amount was computed.")


class LineDetailOut(LineOut):
    batch_id: int
    revision: int
    village: str = Field(alias="batch.village_id")
    month: str = Field(description="YYYY-MM.")
    batch_status: BatchStatus = Field(alias="batch.status")
    current: bool = Field(description="A line of the proposal's current revision.")
    items: list[ItemOut]

    @staticmethod
    def resolve_month(obj: Any) -> str:
        return str(obj.batch.month.strftime("%Y-%m"))

    @staticmethod
    def resolve_current(obj: Any) -> bool:
        return bool(obj.revision == obj.batch.revision)

    @staticmethod
    def resolve_items(obj: Any) -> Any:
        from kampungkb.cadres.incentives_selectors import line_items

        return line_items(obj)


class ComputeIn(Schema):
    village: str = Field(description="Code of the village (desa/kelurahan).")
    month: str = MonthText


class ReasonIn(Schema):
    reason: str = Field(max_length=300)


class PayIn(Schema):
    lines: list[int] = Field(description="Ids of the lines paid (current revision, not yet paid).")
    paid_on: dt.date
    reference: str = Field("", max_length=100, description="Transfer or receipt reference.")


class HomeVisitOut(Schema):
    """A follow-up recorded with a cadre's login, to verify (no identity numbers)."""

    id: int
    couple_id: int
    wife_name: str = Field(alias="couple.wife.full_name")
    husband_name: str | None
    area: str = Field(alias="couple.wife.family.area_id")
    done_on: dt.date
    outcome: FollowUpOutcome
    note: str = Field(description="The cadre's note of the visit.")
    recorded_by: str | None = Field(description="Username of the cadre's login.")
    verification: Verification
    verified_by: str | None = Field(description="Username.")
    verified_at: dt.datetime | None
    verification_note: str = Field(description="Why the visit was rejected.")

    @staticmethod
    def resolve_husband_name(obj: Any) -> str | None:
        husband = obj.couple.husband
        return husband.full_name if husband is not None else None

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return _username(obj.recorded_by) if obj.recorded_by_id is not None else None

    @staticmethod
    def resolve_verified_by(obj: Any) -> str | None:
        return _username(obj.verified_by) if obj.verified_by_id is not None else None
