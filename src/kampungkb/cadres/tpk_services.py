"""Writes of the TPK at work (decision 0036): assign a target to a team, end an assignment,
assign every family at risk of a village that has no team, record a visit, and follow the
register when a pregnancy ends (it becomes a post-partum mother), a bride-to-be's first pregnancy
is recorded (she becomes a pregnant mother, decision 0040) or a target leaves (a bride-to-be's
registration cancelled among them).

Assignments are the programme's organisation: ``Capability.EDIT_PROGRAMME`` in the team's
village. A visit is recorded with ``Capability.EDIT_REGISTER`` in the village, or by a member of
the team through its own login (``Cadre.account``). Each write is keyword-only, in one
transaction, validates before writing and records an audit event; a refused write raises a
``TpkProblem`` and writes nothing. ``actor=None`` is the system itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can, scope_for
from kampungkb.cadres.models import (
    Cadre,
    EndReason,
    TargetKind,
    TpkAssignment,
    TpkTeam,
    TpkVisit,
)
from kampungkb.cadres.tpk_errors import TpkProblem
from kampungkb.cadres.tpk_models import TARGET_FIELD
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.hooks import area_changed
from kampungkb.families.models import Family, Person, Pregnancy, PregnancyOutcome
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting.bride_errors import BrideProblem
from kampungkb.stunting.models import BrideToBe
from kampungkb.stunting.selectors import assess_families

ASSIGN = Capability.EDIT_PROGRAMME
RECORD = Capability.EDIT_REGISTER
EARLIEST_DATE = dt.date(1970, 1, 1)
POSTPARTUM_DAYS = 42
CHILD_YEARS = 5
NEXT_VISIT_DAYS = 30
NEXT_VISIT_POSTPARTUM_DAYS = 7
BIRTHS = (PregnancyOutcome.LIVE_BIRTH, PregnancyOutcome.STILLBIRTH)

Target = Family | Pregnancy | Person | BrideToBe


def _today() -> dt.date:
    return timezone.localdate()


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_date(on: dt.date, field: str) -> None:
    if on > _today():
        raise TpkProblem.DATE_IN_FUTURE.on(field)
    if on < EARLIEST_DATE:
        raise TpkProblem.DATE_TOO_EARLY.on(field)


def birthday(birth_date: dt.date, years: int) -> dt.date:
    """The day a person born on ``birth_date`` turns ``years`` (29 February: 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return dt.date(birth_date.year + years, 3, 1)


def postpartum_until(pregnancy: Pregnancy) -> dt.date:
    """The last day of the 42 days after the birth (the birth day is day 0)."""
    return cast(dt.date, pregnancy.ended_on) + dt.timedelta(days=POSTPARTUM_DAYS)


def in_village(area_code: str, village_code: str) -> bool:
    return area_code == village_code or area_code.startswith(village_code + ".")


def target_family(kind: str, target: Target) -> Family | None:
    """The family of the register the target lives in; None for a bride-to-be, who is kept
    apart from the register (decision 0037)."""
    if kind == TargetKind.FAMILY and isinstance(target, Family):
        return target
    if kind in (TargetKind.PREGNANCY, TargetKind.POSTPARTUM) and isinstance(target, Pregnancy):
        return target.couple.wife.family
    if kind == TargetKind.CHILD and isinstance(target, Person):
        return target.family
    if kind == TargetKind.BRIDE and isinstance(target, BrideToBe):
        return None
    raise TpkProblem.KIND_UNKNOWN.on("kind")


def target_area(kind: str, target: Target) -> str:
    """The code of the area the target lives in (her own area for a bride-to-be)."""
    family = target_family(kind, target)
    if family is not None:
        return family.area_id
    return cast(BrideToBe, target).area_id


def first_pregnancies(brides: Iterable[BrideToBe]) -> dict[int, dt.date]:
    """The day the first pregnancy of each married bride's couple was recorded on or after the
    wedding (as ``stunting.bride_selectors`` reads her status), by bride id, in one query."""
    married = [b for b in brides if b.couple_id is not None and b.married_on is not None]
    if not married:
        return {}
    recorded: dict[int, list[dt.date]] = {}
    for couple_id, day in Pregnancy.objects.filter(
        couple_id__in={b.couple_id for b in married}
    ).values_list("couple_id", "recorded_on"):
        recorded.setdefault(couple_id, []).append(day)
    found = {}
    for bride in married:
        days = [
            d
            for d in recorded.get(cast(int, bride.couple_id), ())
            if d >= cast(dt.date, bride.married_on)
        ]
        if days:
            found[bride.pk] = min(days)
    return found


def check_eligible(kind: str, target: Target, on: dt.date, field: str = "target") -> None:
    """Refuse a target that is not of its kind on ``on``."""
    label = on.strftime("%d-%m-%Y")
    target_family(kind, target)  # the target is of its kind's model
    if isinstance(target, BrideToBe):
        if target.cancelled_on is not None and target.cancelled_on <= on:
            raise BrideProblem.CANCELLED.on(
                field, name=target.full_name, date=target.cancelled_on.strftime("%d-%m-%Y")
            )
        pregnant = first_pregnancies([target]).get(target.pk)
        if target.registered_on > on or (pregnant is not None and pregnant <= on):
            raise TpkProblem.NOT_BRIDE.on(field, name=target.full_name, date=label)
    elif isinstance(target, Family):
        if not target.is_active:
            raise TpkProblem.FAMILY_INACTIVE.on(field)
    elif kind == TargetKind.PREGNANCY and isinstance(target, Pregnancy):
        if target.recorded_on > on or (target.ended_on is not None and target.ended_on <= on):
            raise TpkProblem.NOT_PREGNANT.on(field, date=label)
    elif isinstance(target, Pregnancy):
        if (
            target.ended_on is None
            or target.outcome not in BIRTHS
            or not target.ended_on <= on <= postpartum_until(target)
        ):
            raise TpkProblem.NOT_POSTPARTUM.on(field, date=label)
    else:
        alive = target.is_active and (target.died_on is None or target.died_on > on)
        if not (alive and target.birth_date <= on < birthday(target.birth_date, CHILD_YEARS)):
            raise TpkProblem.NOT_UNDER_FIVE.on(field, name=target.full_name, date=label)


def open_assignment(kind: str, target: Target) -> TpkAssignment | None:
    field = TARGET_FIELD[kind]
    return (
        TpkAssignment.objects.filter(**{field: target}, ended_on__isnull=True)
        .select_related("team")
        .first()
    )


def _check_team(team: TpkTeam) -> None:
    if not team.is_active:
        raise TpkProblem.TEAM_INACTIVE.on("team", team=team.name)


@transaction.atomic
def tpk_assignment_create(
    *, team: TpkTeam, kind: str, target: Target, started_on: dt.date, actor: Any
) -> TpkAssignment:
    """The team accompanies ``target`` (a family, a pregnancy for a pregnant or a post-partum
    mother, a child, a bride-to-be) from ``started_on``: a target of its kind on that day, living
    in the team's village, with no other open assignment."""
    ensure_can(actor, ASSIGN, team.village_id)
    _check_team(team)
    if kind not in TARGET_FIELD:
        raise TpkProblem.KIND_UNKNOWN.on("kind")
    _check_date(started_on, "started_on")
    area_code = target_area(kind, target)
    if not in_village(area_code, team.village_id):
        raise TpkProblem.TARGET_OTHER_VILLAGE.on("target", team=team.name)
    check_eligible(kind, target, started_on)
    existing = open_assignment(kind, target)
    if existing is not None:
        raise TpkProblem.ALREADY_ASSIGNED.on("target", team=existing.team.name)
    assignment = TpkAssignment(
        team=team,
        kind=kind,
        started_on=started_on,
        recorded_by=_user_or_none(actor),
        **{TARGET_FIELD[kind]: target},
    )
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    audit_record(
        actor=actor, action="tpk_assignment.create", instance=assignment, area_code=area_code
    )
    area_changed(area_code, started_on)
    return assignment


def _end(assignment: TpkAssignment, ended_on: dt.date, reason: str, actor: Any) -> None:
    before = snapshot(assignment)
    assignment.ended_on = max(ended_on, assignment.started_on)
    assignment.end_reason = reason
    assignment.save(update_fields=["ended_on", "end_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="tpk_assignment.end",
        instance=assignment,
        area_code=assignment.team.village_id,
        before=before,
    )
    area_changed(assignment.team.village_id, assignment.ended_on)


@transaction.atomic
def tpk_assignment_end(
    *, assignment: TpkAssignment, ended_on: dt.date, actor: Any
) -> TpkAssignment:
    """The team stops accompanying the target on ``ended_on`` (the PKB's decision)."""
    ensure_can(actor, ASSIGN, assignment.team.village_id)
    if assignment.ended_on is not None:
        raise TpkProblem.ALREADY_ENDED.error()
    _check_date(ended_on, "ended_on")
    if ended_on < assignment.started_on:
        raise TpkProblem.ENDED_BEFORE_START.on(
            "ended_on", started=assignment.started_on.strftime("%d-%m-%Y")
        )
    _end(assignment, ended_on, EndReason.ENDED, actor)
    return assignment


@transaction.atomic
def tpk_assign_at_risk(*, team: TpkTeam, on: dt.date, actor: Any) -> list[TpkAssignment]:
    """Assign to ``team`` every active family of its village at risk on ``on`` that no team
    accompanies (the PKB's one-click action); returns the new assignments."""
    ensure_can(actor, ASSIGN, team.village_id)
    _check_team(team)
    _check_date(on, "on")
    accompanied = TpkAssignment.objects.filter(
        kind=TargetKind.FAMILY, ended_on__isnull=True
    ).values("family_id")
    families = (
        Family.objects.filter(subtree_q("area_id", [team.village_id]), is_active=True)
        .select_related("head")
        .exclude(pk__in=accompanied)
        .order_by("pk")
    )
    rows = [row.family for row in assess_families(families, on) if row.assessment.is_at_risk]
    created = [
        TpkAssignment(
            team=team,
            kind=TargetKind.FAMILY,
            family=family,
            started_on=on,
            recorded_by=_user_or_none(actor),
        )
        for family in rows
    ]
    TpkAssignment.objects.bulk_create(created)
    for assignment in created:
        audit_record(
            actor=actor,
            action="tpk_assignment.create",
            instance=assignment,
            area_code=assignment.family.area_id,  # type: ignore[union-attr]
        )
    if created:
        area_changed(team.village_id, on)
    return created


# -- Following the register ------------------------------------------------------------------------


def _open_after(team: TpkTeam, kind: str, pregnancy: Pregnancy, started_on: dt.date) -> None:
    """The team goes on with the same woman as a pregnant or post-partum mother (by the system)."""
    after = TpkAssignment(team=team, kind=kind, pregnancy=pregnancy, started_on=started_on)
    after.save()
    audit_record(
        actor=None, action="tpk_assignment.create", instance=after, area_code=team.village_id
    )
    if kind == TargetKind.POSTPARTUM and postpartum_until(pregnancy) < _today():
        _end(after, postpartum_until(pregnancy), EndReason.POSTPARTUM_OVER, None)


def _follow_brides(couple_ids: list[int]) -> None:
    """A bride-to-be's first pregnancy recorded ends her accompaniment; the same team goes on with
    her as a pregnant mother when she lives in its village and no team follows the pregnancy."""
    brides = list(BrideToBe.objects.filter(couple_id__in=couple_ids))
    for bride in brides:  # her coverage counts change in her own area (decision 0040)
        area_changed(bride.area_id, bride.married_on or bride.registered_on)
    followed = TpkAssignment.objects.filter(
        kind=TargetKind.BRIDE, ended_on__isnull=True, bride__in=brides
    ).select_related("team", "bride")
    first = first_pregnancies(a.bride for a in followed if a.bride is not None)
    for assignment in followed:
        recorded_on = first.get(cast(int, assignment.bride_id))
        if recorded_on is None:
            continue
        _end(assignment, recorded_on, EndReason.FIRST_PREGNANCY, None)
        bride = cast(BrideToBe, assignment.bride)
        pregnancy = (
            Pregnancy.objects.filter(couple_id=cast(int, bride.couple_id), recorded_on=recorded_on)
            .select_related("couple__wife__family")
            .order_by("pk")
            .first()
        )
        if (
            pregnancy is None
            or not assignment.team.is_active
            or not in_village(pregnancy.couple.wife.family.area_id, assignment.team.village_id)
            or open_assignment(TargetKind.PREGNANCY, pregnancy) is not None
        ):
            continue
        _open_after(assignment.team, TargetKind.PREGNANCY, pregnancy, recorded_on)


def tpk_follow_couples(couple_ids: list[int]) -> None:
    """The ``core.hooks.couple_changed`` listener: a bride-to-be whose first pregnancy is recorded
    is followed on as a pregnant mother; a pregnancy followed by a team that has ended closes its
    assignment; after a birth the team goes on with the post-partum mother."""
    _follow_brides(couple_ids)
    followed = TpkAssignment.objects.filter(
        kind=TargetKind.PREGNANCY,
        ended_on__isnull=True,
        pregnancy__couple_id__in=couple_ids,
        pregnancy__ended_on__isnull=False,
    ).select_related("team", "pregnancy")
    for assignment in followed:
        pregnancy = cast(Pregnancy, assignment.pregnancy)
        _end(assignment, cast(dt.date, pregnancy.ended_on), EndReason.PREGNANCY_ENDED, None)
        if pregnancy.outcome not in BIRTHS or open_assignment(TargetKind.POSTPARTUM, pregnancy):
            continue
        _open_after(
            assignment.team, TargetKind.POSTPARTUM, pregnancy, cast(dt.date, pregnancy.ended_on)
        )


def _lapse(
    assignment: TpkAssignment, on: dt.date, first: Mapping[int, dt.date]
) -> tuple[dt.date, str] | None:
    """When and why the target of an open assignment left, if it has by ``on`` (``first``: the
    brides' first pregnancies)."""
    if assignment.kind == TargetKind.BRIDE:
        left = [
            (day, reason)
            for day, reason in (
                (first.get(cast(int, assignment.bride_id)), EndReason.FIRST_PREGNANCY),
                (cast(BrideToBe, assignment.bride).cancelled_on, EndReason.BRIDE_CANCELLED),
            )
            if day is not None and day <= on
        ]
        return min(left) if left else None
    if assignment.kind == TargetKind.FAMILY:
        family = cast(Family, assignment.family)
        return None if family.is_active else (on, EndReason.FAMILY_INACTIVE)
    if assignment.kind in (TargetKind.PREGNANCY, TargetKind.POSTPARTUM):
        pregnancy = cast(Pregnancy, assignment.pregnancy)
        if pregnancy.ended_on is None:
            return None
        if assignment.kind == TargetKind.PREGNANCY:
            return pregnancy.ended_on, EndReason.PREGNANCY_ENDED
        until = postpartum_until(pregnancy)
        return (until, EndReason.POSTPARTUM_OVER) if until < on else None
    child = cast(Person, assignment.child)
    if child.died_on is not None and child.died_on <= on:
        return child.died_on, EndReason.DIED
    fifth = birthday(child.birth_date, CHILD_YEARS)
    return (fifth, EndReason.CHILD_FIVE) if fifth <= on else None


@transaction.atomic
def tpk_close_lapsed(*, village_code: str | None = None, on: dt.date | None = None) -> int:
    """End the open assignments whose target has left by ``on`` (today): a family no longer
    active, a pregnancy ended, the 42 post-partum days over, a child turned five or died, a
    bride-to-be's first pregnancy recorded or her registration cancelled (ended on the day of
    the cancellation). The pages already leave such targets out; this writes
    the end down (run daily). Returns how many ended."""
    on = on or _today()
    query = TpkAssignment.objects.filter(ended_on__isnull=True).select_related(
        "team", "family", "pregnancy", "child", "bride"
    )
    if village_code:
        query = query.filter(team__village_id=village_code)
    rows = list(query)
    first = first_pregnancies(a.bride for a in rows if a.bride is not None)
    ended = 0
    for assignment in rows:
        lapse = _lapse(assignment, on, first)
        if lapse is not None:
            _end(assignment, lapse[0], lapse[1], None)
            ended += 1
    return ended


# -- Visits ----------------------------------------------------------------------------------------


def can_record(user: Any, team: TpkTeam) -> bool:
    """The user records the team's visits: a register editor of the village, or an active member
    of the team through its own login."""
    if scope_for(user).can(RECORD, team.village_id):
        return True
    if not getattr(user, "pk", None):
        return False
    return Cadre.objects.filter(tpk_team=team, is_active=True, account=user).exists()


def default_next_visit(assignment: TpkAssignment, visited_on: dt.date) -> dt.date:
    """30 days later; 7 days for a post-partum mother in her first 42 days."""
    pregnancy = assignment.pregnancy
    if (
        assignment.kind == TargetKind.POSTPARTUM
        and pregnancy is not None
        and pregnancy.ended_on is not None
        and visited_on < postpartum_until(pregnancy)
    ):
        return visited_on + dt.timedelta(days=NEXT_VISIT_POSTPARTUM_DAYS)
    return visited_on + dt.timedelta(days=NEXT_VISIT_DAYS)


def assignment_target(assignment: TpkAssignment) -> Target:
    return cast(Target, getattr(assignment, TARGET_FIELD[assignment.kind]))


def _members(team: TpkTeam, ids: Iterable[int], on: dt.date) -> list[Cadre]:
    wanted = {int(i) for i in ids}
    if not wanted:
        raise TpkProblem.MEMBERS_REQUIRED.on("members")
    members = list(
        Cadre.objects.filter(pk__in=wanted, tpk_team=team, started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )
    )
    if len(members) != len(wanted):
        raise TpkProblem.MEMBER_NOT_IN_TEAM.on("members")
    return members


@transaction.atomic
def tpk_visit_record(
    *,
    assignment: TpkAssignment,
    visited_on: dt.date,
    members: Iterable[int],
    checklist: Mapping[str, bool],
    actor: Any,
    notes: str = "",
    next_visit_on: dt.date | None = None,
) -> TpkVisit:
    """Record a visit of the team to an assigned target: who of the team went (cadre ids), what
    was done (``TpkVisit.CHECKLIST`` keys) and the next visit (by default 30 days later, 7 for a
    post-partum mother in her 42 days)."""
    team = assignment.team
    if actor is not None and not can_record(actor, team):
        raise Http404
    _check_date(visited_on, "visited_on")
    if visited_on < assignment.started_on or (
        assignment.ended_on is not None and visited_on > assignment.ended_on
    ):
        raise TpkProblem.VISIT_OUTSIDE_ASSIGNMENT.on("visited_on")
    check_eligible(assignment.kind, assignment_target(assignment), visited_on, "visited_on")
    cadres = _members(team, members, visited_on)
    next_on = next_visit_on or default_next_visit(assignment, visited_on)
    if next_on <= visited_on:
        raise TpkProblem.NEXT_VISIT_NOT_AFTER.on("next_visit_on")
    visit = TpkVisit(
        assignment=assignment,
        team=team,
        visited_on=visited_on,
        notes=notes.strip(),
        next_visit_on=next_on,
        recorded_by=_user_or_none(actor),
        **{key: bool(checklist.get(key)) for key in TpkVisit.CHECKLIST},
    )
    visit.full_clean(validate_constraints=False)
    visit.save()
    visit.members.set(cadres)
    area_code = target_area(assignment.kind, assignment_target(assignment))
    audit_record(actor=actor, action="tpk_visit.record", instance=visit, area_code=area_code)
    area_changed(area_code, visited_on)
    return visit
