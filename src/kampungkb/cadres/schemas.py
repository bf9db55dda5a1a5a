"""Input and output schemas of the cadres API. NIK is never sent; names only to users who see
named persons in the area (the endpoints that carry names need ``view_persons``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from kampungkb.cadres.models import CadreRole, Option, Phase, TeamRole, Topic

TeamRoleValue = TeamRole | Literal[""]
ChosenValue = Option | Literal[""]


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


class CadreUpdateIn(Schema):
    started_on: dt.date
    decree_number: str = Field("", max_length=100)
    decree_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    tpk_team_id: int | None = None
    team_role: TeamRoleValue = ""


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
