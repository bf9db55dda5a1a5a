"""Reads of the TPK at work (decision 0036): a team's worklist (who is due), a village's teams
with their counts and the families at risk no team accompanies, assignments and visits, and the
monthly coverage of an area.

A target counts as accompanied on a day while its assignment runs and the target is still of its
kind (a pregnancy not ended, the 42 post-partum days, a child under five, an active family), so
the pages are right even before ``tpk_close_lapsed`` writes the end down. The worklist reads its
families' risk in one batch (``stunting.selectors.assess_families``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from kampungkb.accounts.scope import Capability, scope_for, scoped
from kampungkb.cadres.models import Cadre, TargetKind, TpkAssignment, TpkTeam, TpkVisit
from kampungkb.cadres.tpk_errors import TpkProblem
from kampungkb.cadres.tpk_services import BIRTHS, CHILD_YEARS, POSTPARTUM_DAYS, can_record
from kampungkb.core.periods import month_end, month_start
from kampungkb.families.models import Family, Person, Pregnancy
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting.risk import RiskReason
from kampungkb.stunting.selectors import assess_families

NAMED = Capability.VIEW_PERSONS
DUE_SOON_DAYS = 7
HUNDRED = Decimal(100)


class Due:
    """Where a target stands on the worklist, in the order shown."""

    OVERDUE = "overdue"
    SOON = "soon"
    NEVER = "never"
    LATER = "later"
    ORDER = (OVERDUE, SOON, NEVER, LATER)


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return dt.date(on.year - years, 2, 28)


def current_q(on: dt.date, prefix: str = "") -> Q:
    """Assignments running on ``on`` whose target is still of its kind that day."""
    p = prefix
    eligible = (
        Q(**{f"{p}kind": TargetKind.FAMILY, f"{p}family__is_active": True})
        | Q(**{f"{p}kind": TargetKind.PREGNANCY})
        & (
            Q(**{f"{p}pregnancy__ended_on__isnull": True})
            | Q(**{f"{p}pregnancy__ended_on__gt": on})
        )
        | Q(
            **{
                f"{p}kind": TargetKind.POSTPARTUM,
                f"{p}pregnancy__ended_on__lte": on,
                f"{p}pregnancy__ended_on__gte": on - dt.timedelta(days=POSTPARTUM_DAYS),
            }
        )
        | Q(
            **{
                f"{p}kind": TargetKind.CHILD,
                f"{p}child__is_active": True,
                f"{p}child__birth_date__gt": _years_before(on, CHILD_YEARS),
            }
        )
        & (Q(**{f"{p}child__died_on__isnull": True}) | Q(**{f"{p}child__died_on__gt": on}))
    )
    running = Q(**{f"{p}started_on__lte": on}) & (
        Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gte": on})
    )
    return running & eligible


# -- Teams and assignments -------------------------------------------------------------------------


def is_member(user: Any, team: TpkTeam) -> bool:
    if not getattr(user, "pk", None):
        return False
    return Cadre.objects.filter(tpk_team=team, is_active=True, account=user).exists()


def worklist_team(*, user: Any, pk: int) -> TpkTeam:
    """The team whose worklist the user opens: named persons in its village, or a member of the
    team through its own login; else not found."""
    team = TpkTeam.objects.select_related("village__parent").filter(pk=pk).first()
    if team is None:
        raise Http404
    if scope_for(user).can(NAMED, team.village_id) or is_member(user, team):
        return team
    raise Http404


def team_members(team: TpkTeam) -> QuerySet[Cadre]:
    return (
        Cadre.objects.filter(tpk_team=team, is_active=True)
        .select_related("person")
        .order_by("team_role", "pk")
    )


def _with_targets(qs: QuerySet[TpkAssignment]) -> QuerySet[TpkAssignment]:
    return qs.select_related(
        "team__village",
        "family__head",
        "family__area",
        "pregnancy__couple__wife__family__head",
        "pregnancy__couple__wife__family__area",
        "child__family__head",
        "child__family__area",
    )


def assignment_get(*, user: Any, pk: int, capability: Capability = NAMED) -> TpkAssignment:
    found = _with_targets(scoped(user, TpkAssignment.objects.all(), capability)).filter(pk=pk)
    assignment = found.first()
    if assignment is None:
        raise Http404
    return assignment


def assignment_for_visit(*, user: Any, pk: int) -> TpkAssignment:
    """An assignment the user may record a visit for (a register editor of the village or a
    member of the team); else not found."""
    assignment = _with_targets(TpkAssignment.objects.filter(pk=pk)).first()
    if assignment is None:
        raise Http404
    if not can_record(user, assignment.team):
        raise Http404
    return assignment


def assignments(
    *, user: Any, team: TpkTeam | None = None, area_code: str | None = None, status: str = "open"
) -> QuerySet[TpkAssignment]:
    """The assignments the user sees (named persons), of a team or an area; ``status``: open,
    ended or all."""
    qs = _with_targets(scoped(user, TpkAssignment.objects.all(), NAMED))
    if team is not None:
        qs = qs.filter(team=team)
    if area_code:
        qs = qs.filter(subtree_q("team__village_id", [area_code]))
    if status == "open":
        qs = qs.filter(ended_on__isnull=True)
    elif status == "ended":
        qs = qs.filter(ended_on__isnull=False)
    return qs.order_by("team_id", "kind", "pk")


def visits(
    *, user: Any, team: TpkTeam | None = None, assignment: TpkAssignment | None = None
) -> QuerySet[TpkVisit]:
    qs = scoped(user, TpkVisit.objects.all(), NAMED)
    if team is not None:
        qs = qs.filter(team=team)
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    return (
        qs.select_related("assignment").prefetch_related("members").order_by("-visited_on", "-pk")
    )


def target_family(assignment: TpkAssignment) -> Family:
    if assignment.family is not None:
        return assignment.family
    if assignment.pregnancy is not None:
        return assignment.pregnancy.couple.wife.family
    return cast(Person, assignment.child).family


def target_name(assignment: TpkAssignment) -> str:
    if assignment.family is not None:
        return assignment.family.head.full_name if assignment.family.head else ""
    if assignment.pregnancy is not None:
        return assignment.pregnancy.couple.wife.full_name
    return cast(Person, assignment.child).full_name


# -- The worklist ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    assignment: TpkAssignment
    name: str
    family: Family
    last_visit: dt.date | None
    next_due: dt.date | None
    due: str
    risk_reasons: tuple[RiskReason, ...] = ()


def _due(on: dt.date, next_due: dt.date | None) -> str:
    if next_due is None:
        return Due.NEVER
    if next_due < on:
        return Due.OVERDUE
    if next_due <= on + dt.timedelta(days=DUE_SOON_DAYS):
        return Due.SOON
    return Due.LATER


def worklist(team: TpkTeam, on: dt.date) -> list[WorkItem]:
    """The team's targets on ``on`` with their last visit and next visit due: overdue first, then
    due within 7 days, never visited, and the others; each with its family's risk reasons."""
    latest = TpkVisit.objects.filter(assignment=OuterRef("pk"), visited_on__lte=on).order_by(
        "-visited_on", "-pk"
    )
    rows = list(
        _with_targets(TpkAssignment.objects.filter(current_q(on), team=team)).annotate(
            last_visit=Subquery(latest.values("visited_on")[:1]),
            next_due=Subquery(latest.values("next_visit_on")[:1]),
        )
    )
    families = {target_family(a).pk: target_family(a) for a in rows}
    reasons: dict[int, tuple[RiskReason, ...]] = {}
    if families:
        assessed = assess_families(Family.objects.filter(pk__in=families).order_by("pk"), on)
        reasons = {
            r.family.pk: r.assessment.risk_reasons for r in assessed if r.assessment.is_at_risk
        }
    items = [
        WorkItem(
            assignment=a,
            name=target_name(a),
            family=target_family(a),
            last_visit=a.last_visit,
            next_due=a.next_due,
            due=_due(on, a.next_due),
            risk_reasons=reasons.get(target_family(a).pk, ()),
        )
        for a in rows
    ]
    items.sort(
        key=lambda i: (Due.ORDER.index(i.due), i.next_due or dt.date.max, i.name, i.assignment.pk)
    )
    return items


# -- A village's teams -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageTeams:
    village: Area
    on: dt.date
    teams: Sequence[TpkTeam]  # annotated: families, pregnancies, postpartum, children, visits_30
    unassigned_at_risk: list[Family]


def village_teams(*, user: Any, village: Area, on: dt.date) -> VillageTeams:
    """Every team of the village with its current targets per kind and its visits in the last 30
    days, and the families of the village at risk on ``on`` that no team accompanies."""
    current = current_q(on, "assignments__")
    counts = {
        kind: Count("assignments", filter=current & Q(assignments__kind=kind), distinct=True)
        for kind in TargetKind
    }
    recent = TpkVisit.objects.filter(
        team=OuterRef("pk"), visited_on__gt=on - dt.timedelta(days=30), visited_on__lte=on
    )
    teams = list(
        scoped(user, TpkTeam.objects.filter(village=village), NAMED)
        .annotate(**{f"n_{k}": c for k, c in counts.items()})
        .annotate(visits_30=Subquery(recent.values("team").annotate(n=Count("pk")).values("n")))
        .order_by("-is_active", "name")
    )
    accompanied = TpkAssignment.objects.filter(current_q(on), kind=TargetKind.FAMILY).values(
        "family_id"
    )
    families = (
        scoped(user, Family.objects.all(), NAMED)
        .filter(subtree_q("area_id", [village.code]), is_active=True)
        .exclude(pk__in=accompanied)
        .select_related("head", "area")
        .order_by("area_id", "head__full_name", "pk")
    )
    at_risk = [r.family for r in assess_families(families, on) if r.assessment.is_at_risk]
    return VillageTeams(village, on, teams, at_risk)


# -- Coverage ----------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (HUNDRED * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Coverage:
    """Who the TPK reached in an area and month (counts and shares in %)."""

    area_code: str
    month: dt.date
    families_at_risk: int = 0
    families_visited: int = 0
    pregnant: int = 0
    pregnant_visited: int = 0
    postpartum: int = 0
    postpartum_visited: int = 0
    area_name: str = ""

    FIGURES = (
        "families_at_risk",
        "families_visited",
        "pregnant",
        "pregnant_visited",
        "postpartum",
        "postpartum_visited",
    )

    @property
    def families_share(self) -> Decimal | None:
        return _share(self.families_visited, self.families_at_risk)

    @property
    def pregnant_share(self) -> Decimal | None:
        return _share(self.pregnant_visited, self.pregnant)

    @property
    def postpartum_share(self) -> Decimal | None:
        return _share(self.postpartum_visited, self.postpartum)

    def add(self, other: Coverage) -> None:
        for name in self.FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def village_of(code: str) -> str:
    return ".".join(code.split(".")[: int(Level.VILLAGE)])


@dataclass
class _Tally:
    by_village: dict[str, Coverage] = field(default_factory=dict)

    def get(self, village: str, month: dt.date) -> Coverage:
        if village not in self.by_village:
            self.by_village[village] = Coverage(village, month)
        return self.by_village[village]


def _visits_in(month: dt.date, kind: str) -> QuerySet[TpkVisit]:
    return TpkVisit.objects.filter(
        assignment__pregnancy=OuterRef("pk"),
        assignment__kind=kind,
        visited_on__gte=month,
        visited_on__lte=month_end(month),
    )


def coverage_by_village(area_code: str, month: dt.date) -> dict[str, Coverage]:
    """The coverage of each village of ``area_code`` (itself a village or above, or an RW/RT) in
    ``month``, in six queries whatever the number of families:

    * families at risk on the month's last day, and those with a TPK visit in the month to the
      family or to one of its members;
    * pregnant women (a pregnancy open at any time in the month) and those visited as pregnant
      in the month;
    * post-partum mothers (a birth whose 42 days fall at least partly in the month) and those
      visited as post-partum mothers in the month.
    """
    month = month_start(month)
    last = month_end(month)
    tally = _Tally()
    in_month = Q(visited_on__gte=month, visited_on__lte=last)
    visited_families: set[int] = set()
    teams_area = village_of(area_code)
    for row in TpkVisit.objects.filter(
        in_month, subtree_q("team__village_id", [teams_area])
    ).values_list(
        "assignment__family_id",
        "assignment__pregnancy__couple__wife__family_id",
        "assignment__child__family_id",
    ):
        visited_families.update(i for i in row if i is not None)
    families = Family.objects.filter(subtree_q("area_id", [area_code]), is_active=True).order_by(
        "pk"
    )
    for assessed in assess_families(families, last):
        if assessed.assessment.is_at_risk:
            c = tally.get(village_of(assessed.family.area_id), month)
            c.families_at_risk += 1
            c.families_visited += assessed.family.pk in visited_families
    pregnancies = Pregnancy.objects.filter(
        subtree_q("couple__wife__family__area_id", [area_code]), recorded_on__lte=last
    )
    pregnant = (
        pregnancies.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=month))
        .annotate(visited=Exists(_visits_in(month, TargetKind.PREGNANCY)))
        .values_list("couple__wife__family__area_id", "visited")
    )
    for area_id, visited in pregnant:
        c = tally.get(village_of(area_id), month)
        c.pregnant += 1
        c.pregnant_visited += visited
    postpartum = (
        pregnancies.filter(
            outcome__in=BIRTHS,
            ended_on__lte=last,
            ended_on__gte=month - dt.timedelta(days=POSTPARTUM_DAYS),
        )
        .annotate(visited=Exists(_visits_in(month, TargetKind.POSTPARTUM)))
        .values_list("couple__wife__family__area_id", "visited")
    )
    for area_id, visited in postpartum:
        c = tally.get(village_of(area_id), month)
        c.postpartum += 1
        c.postpartum_visited += visited
    return tally.by_village


def tpk_coverage(area_code: str, month: dt.date) -> Coverage:
    """The TPK coverage of an area (a village, a sub-district, a district...) in ``month``,
    unscoped: counts only; the caller checks the reader's ``VIEW_AGGREGATES``."""
    total = Coverage(area_code, month_start(month))
    for village in coverage_by_village(area_code, month).values():
        total.add(village)
    return total


def coverage_rows(area: Area, month: dt.date) -> tuple[list[Coverage], Coverage]:
    """The villages of ``area`` with their coverage (named), and the total."""
    by_village = coverage_by_village(area.code, month)
    names = dict(Area.objects.filter(code__in=by_village).values_list("code", "name"))
    rows = []
    total = Coverage(area.code, month_start(month), area_name=area.name)
    for code in sorted(by_village):
        row = by_village[code]
        row.area_name = names.get(code, code)
        rows.append(row)
        total.add(row)
    return rows, total


# -- Choosing a target -------------------------------------------------------------------------------

TARGET_LIMIT = 500


def target_get(*, kind: str, pk: int, village_code: str) -> Family | Pregnancy | Person:
    """The family, pregnancy or child ``pk`` of the village (the team's), else the problem: the
    answer says nothing of other villages' registers."""
    found: Family | Pregnancy | Person | None
    if kind == TargetKind.FAMILY:
        found = (
            Family.objects.filter(subtree_q("area_id", [village_code]))
            .select_related("head")
            .filter(pk=pk)
            .first()
        )
    elif kind in (TargetKind.PREGNANCY, TargetKind.POSTPARTUM):
        found = (
            Pregnancy.objects.filter(subtree_q("couple__wife__family__area_id", [village_code]))
            .select_related("couple__wife__family")
            .filter(pk=pk)
            .first()
        )
    elif kind == TargetKind.CHILD:
        found = (
            Person.objects.filter(subtree_q("family__area_id", [village_code]))
            .select_related("family")
            .filter(pk=pk)
            .first()
        )
    else:
        raise TpkProblem.KIND_UNKNOWN.on("kind")
    if found is None:
        raise TpkProblem.TARGET_NOT_FOUND.on("target")
    return found


def target_choices(team: TpkTeam, on: dt.date) -> list[tuple[str, list[tuple[str, str]]]]:
    """The village's possible targets on ``on`` that no team accompanies, by kind, as
    ``kind:pk`` values for a select (at most ``TARGET_LIMIT`` of each kind)."""
    village = [team.village_id]
    open_rows = TpkAssignment.objects.filter(ended_on__isnull=True)
    families = (
        Family.objects.filter(subtree_q("area_id", village), is_active=True)
        .exclude(pk__in=open_rows.filter(kind=TargetKind.FAMILY).values("family_id"))
        .values_list("pk", "head__full_name", "area__name")
        .order_by("head__full_name", "pk")[:TARGET_LIMIT]
    )
    pregnancies = Pregnancy.objects.filter(
        subtree_q("couple__wife__family__area_id", village)
    ).exclude(pk__in=open_rows.filter(pregnancy__isnull=False).values("pregnancy_id"))
    pregnant = (
        pregnancies.filter(recorded_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("pk", "couple__wife__full_name", "recorded_on")
        .order_by("couple__wife__full_name", "pk")[:TARGET_LIMIT]
    )
    after_birth = (
        pregnancies.filter(
            outcome__in=BIRTHS,
            ended_on__lte=on,
            ended_on__gte=on - dt.timedelta(days=POSTPARTUM_DAYS),
        )
        .values_list("pk", "couple__wife__full_name", "ended_on")
        .order_by("couple__wife__full_name", "pk")[:TARGET_LIMIT]
    )
    children = (
        Person.objects.filter(
            subtree_q("family__area_id", village),
            is_active=True,
            birth_date__lte=on,
            birth_date__gt=_years_before(on, CHILD_YEARS),
        )
        .filter(Q(died_on__isnull=True) | Q(died_on__gt=on))
        .exclude(pk__in=open_rows.filter(kind=TargetKind.CHILD).values("child_id"))
        .values_list("pk", "full_name", "birth_date")
        .order_by("full_name", "pk")[:TARGET_LIMIT]
    )

    def day(value: dt.date | None) -> str:
        return value.strftime("%d-%m-%Y") if value else ""

    return [
        (
            str(TargetKind.FAMILY.label),
            [(f"family:{pk}", f"{name} ({area})") for pk, name, area in families],
        ),
        (
            str(TargetKind.PREGNANCY.label),
            [(f"pregnancy:{pk}", f"{name} ({day(d)})") for pk, name, d in pregnant],
        ),
        (
            str(TargetKind.POSTPARTUM.label),
            [(f"postpartum:{pk}", f"{name} ({day(d)})") for pk, name, d in after_birth],
        ),
        (
            str(TargetKind.CHILD.label),
            [(f"child:{pk}", f"{name} ({day(d)})") for pk, name, d in children],
        ),
    ]
