"""Reads of the TPK at work (decision 0036): a team's worklist (who is due), a village's teams
with their counts and the families at risk no team accompanies, assignments and visits, and the
monthly coverage of an area.

A target counts as accompanied on a day while its assignment runs and the target is still of its
kind (a pregnancy not ended, the 42 post-partum days, a child under five, an active family, a
bride-to-be whose first pregnancy is not recorded yet and whose registration is not cancelled,
decision 0040), so
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
from django.utils import timezone

from kampungkb.accounts.scope import Capability, scope_for, scoped
from kampungkb.cadres.models import Cadre, TargetKind, TpkAssignment, TpkTeam, TpkVisit
from kampungkb.cadres.tpk_errors import TpkProblem
from kampungkb.cadres.tpk_services import BIRTHS, CHILD_YEARS, POSTPARTUM_DAYS, can_record
from kampungkb.core.periods import month_end, month_start
from kampungkb.families.models import Family, Person, Pregnancy
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting.bride_selectors import findings_of, not_cancelled_q
from kampungkb.stunting.brides import DELAY_PREGNANCY
from kampungkb.stunting.models import BrideScreening, BrideToBe
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


def pregnant_by(on: dt.date, bride: str = "") -> Exists:
    """A pregnancy of the bride's couple recorded after her wedding, on or before ``on``
    (``bride``: the path to the ``BrideToBe`` from the query's model, "" for brides)."""
    return Exists(
        Pregnancy.objects.filter(
            couple_id=OuterRef(f"{bride}couple_id"),
            recorded_on__gte=OuterRef(f"{bride}married_on"),
            recorded_on__lte=on,
        )
    )


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
        | Q(**{f"{p}kind": TargetKind.BRIDE})
        & ~Q(pregnant_by(on, f"{p}bride__"))
        & not_cancelled_q(on, f"{p}bride__")
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
        "bride__area",
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


def target_family(assignment: TpkAssignment) -> Family | None:
    """The target's family in the register; None for a bride-to-be."""
    if assignment.family is not None:
        return assignment.family
    if assignment.pregnancy is not None:
        return assignment.pregnancy.couple.wife.family
    if assignment.child is not None:
        return assignment.child.family
    return None


def target_area(assignment: TpkAssignment) -> Area:
    family = target_family(assignment)
    return family.area if family is not None else cast(BrideToBe, assignment.bride).area


def target_name(assignment: TpkAssignment) -> str:
    if assignment.family is not None:
        return assignment.family.head.full_name if assignment.family.head else ""
    if assignment.pregnancy is not None:
        return assignment.pregnancy.couple.wife.full_name
    if assignment.bride is not None:
        return assignment.bride.full_name
    return cast(Person, assignment.child).full_name


# -- The worklist ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    assignment: TpkAssignment
    name: str
    family: Family | None  # None for a bride-to-be
    area: Area
    last_visit: dt.date | None
    next_due: dt.date | None
    due: str
    risk_reasons: tuple[RiskReason, ...] = ()
    # A bride-to-be whose ages or last screening advise delaying the first pregnancy.
    delay_pregnancy: bool = False


def _due(on: dt.date, next_due: dt.date | None) -> str:
    if next_due is None:
        return Due.NEVER
    if next_due < on:
        return Due.OVERDUE
    if next_due <= on + dt.timedelta(days=DUE_SOON_DAYS):
        return Due.SOON
    return Due.LATER


def delay_advised(brides: Sequence[BrideToBe]) -> set[int]:
    """The brides-to-be whose ages at the wedding or last screening advise delaying the first
    pregnancy (``stunting.brides.DELAY_PREGNANCY``), in one query."""
    if not brides:
        return set()
    latest: dict[int, BrideScreening] = {}
    for screening in BrideScreening.objects.filter(bride__in=brides).order_by(
        "bride_id", "-screened_on", "-pk"
    ):
        latest.setdefault(screening.bride_id, screening)
    return {
        b.pk for b in brides if any(f in DELAY_PREGNANCY for f in findings_of(b, latest.get(b.pk)))
    }


def worklist(team: TpkTeam, on: dt.date) -> list[WorkItem]:
    """The team's targets on ``on`` with their last visit and next visit due: overdue first, then
    due within 7 days, never visited, and the others; each with its family's risk reasons, and a
    bride-to-be with whether delaying the first pregnancy is advised."""
    latest = TpkVisit.objects.filter(assignment=OuterRef("pk"), visited_on__lte=on).order_by(
        "-visited_on", "-pk"
    )
    rows = list(
        _with_targets(TpkAssignment.objects.filter(current_q(on), team=team)).annotate(
            last_visit=Subquery(latest.values("visited_on")[:1]),
            next_due=Subquery(latest.values("next_visit_on")[:1]),
        )
    )
    families = {f.pk: f for a in rows if (f := target_family(a)) is not None}
    reasons: dict[int, tuple[RiskReason, ...]] = {}
    if families:
        assessed = assess_families(Family.objects.filter(pk__in=families).order_by("pk"), on)
        reasons = {
            r.family.pk: r.assessment.risk_reasons for r in assessed if r.assessment.is_at_risk
        }
    delay = delay_advised([a.bride for a in rows if a.bride is not None])
    items = []
    for a in rows:
        family = target_family(a)
        items.append(
            WorkItem(
                assignment=a,
                name=target_name(a),
                family=family,
                area=target_area(a),
                last_visit=a.last_visit,
                next_due=a.next_due,
                due=_due(on, a.next_due),
                risk_reasons=reasons.get(family.pk, ()) if family is not None else (),
                delay_pregnancy=a.bride_id in delay,
            )
        )
    items.sort(
        key=lambda i: (Due.ORDER.index(i.due), i.next_due or dt.date.max, i.name, i.assignment.pk)
    )
    return items


# -- A village's teams -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageTeams:
    village: Area
    on: dt.date
    # Each team with ``n_<kind>`` (its current targets of each kind) and ``visits_30``.
    teams: Sequence[TpkTeam]
    unassigned_at_risk: list[Family]
    unassigned_brides: list[BrideToBe] = field(default_factory=list)


def brides_to_accompany(area_code: str, on: dt.date) -> QuerySet[BrideToBe]:
    """The brides-to-be of an area registered by ``on`` whose first pregnancy is not recorded and
    whose registration is not cancelled by then (unscoped: the caller scopes)."""
    return (
        BrideToBe.objects.filter(
            not_cancelled_q(on), subtree_q("area_id", [area_code]), registered_on__lte=on
        )
        .exclude(pregnant_by(on))
        .order_by("wedding_on", "full_name", "pk")
    )


def village_teams(*, user: Any, village: Area, on: dt.date) -> VillageTeams:
    """Every team of the village with its current targets per kind and its visits in the last 30
    days, and the families at risk on ``on`` and the brides-to-be that no team accompanies."""
    recent = TpkVisit.objects.filter(
        team=OuterRef("pk"), visited_on__gt=on - dt.timedelta(days=30), visited_on__lte=on
    )
    teams = list(
        scoped(user, TpkTeam.objects.filter(village=village), NAMED)
        .annotate(visits_30=Subquery(recent.values("team").annotate(n=Count("pk")).values("n")))
        .order_by("-is_active", "name")
    )
    counts = {
        (team_id, kind): n
        for team_id, kind, n in TpkAssignment.objects.filter(current_q(on), team__in=teams)
        .values_list("team_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for team in teams:
        for kind in TargetKind:
            setattr(team, f"n_{kind}", counts.get((team.pk, kind), 0))
    current = TpkAssignment.objects.filter(current_q(on))
    families = (
        scoped(user, Family.objects.all(), NAMED)
        .filter(subtree_q("area_id", [village.code]), is_active=True)
        .exclude(pk__in=current.filter(kind=TargetKind.FAMILY).values("family_id"))
        .select_related("head", "area")
        .order_by("area_id", "head__full_name", "pk")
    )
    at_risk = [r.family for r in assess_families(families, on) if r.assessment.is_at_risk]
    brides = (
        scoped(user, brides_to_accompany(village.code, on), NAMED)
        .exclude(pk__in=current.filter(kind=TargetKind.BRIDE).values("bride_id"))
        .select_related("area")
    )
    return VillageTeams(village, on, teams, at_risk, list(brides))


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
    brides: int = 0
    brides_visited: int = 0
    area_name: str = ""

    FIGURES = (
        "families_at_risk",
        "families_visited",
        "pregnant",
        "pregnant_visited",
        "postpartum",
        "postpartum_visited",
        "brides",
        "brides_visited",
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

    @property
    def brides_share(self) -> Decimal | None:
        return _share(self.brides_visited, self.brides)

    def add(self, other: Coverage) -> None:
        for name in self.FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def village_of(code: str) -> str:
    return ".".join(code.split(".")[: int(Level.VILLAGE)])


def risk_day(month: dt.date, today: dt.date | None = None) -> dt.date:
    """The day families at risk are judged for a month: its last day, today for the current
    month (the fill's reference day for ``KRS_AT_RISK``)."""
    return min(month_end(month), today or timezone.localdate())


@dataclass(frozen=True)
class Visited:
    """Whom the teams visited in a span, as (target id, village of the visiting team) pairs: a
    visit counts for a target of the village of the team that made it, so a village's figures
    add up to its sub-district's."""

    families: set[tuple[int, str]] = field(default_factory=set)
    pregnant: set[tuple[int, str]] = field(default_factory=set)
    postpartum: set[tuple[int, str]] = field(default_factory=set)
    brides: set[tuple[int, str]] = field(default_factory=set)

    def add(self, row: tuple[Any, ...]) -> None:
        """One visit: kind, team's village, family, wife's family, child's family, pregnancy,
        bride."""
        kind, village, family, wife_family, child_family, pregnancy, bride = row
        self.families.update((i, village) for i in (family, wife_family, child_family) if i)
        if kind == TargetKind.PREGNANCY:
            self.pregnant.add((pregnancy, village))
        elif kind == TargetKind.POSTPARTUM:
            self.postpartum.add((pregnancy, village))
        elif kind == TargetKind.BRIDE:
            self.brides.add((bride, village))


VISIT_COLUMNS = (
    "assignment__kind",
    "team__village_id",
    "assignment__family_id",
    "assignment__pregnancy__couple__wife__family_id",
    "assignment__child__family_id",
    "assignment__pregnancy_id",
    "assignment__bride_id",
)


def pregnant_in_q(first: dt.date, last: dt.date) -> Q:
    """Pregnancies open at some time between ``first`` and ``last``."""
    return Q(recorded_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


def postpartum_in_q(first: dt.date, last: dt.date) -> Q:
    """Births whose 42 days touch the span from ``first`` to ``last``."""
    return Q(
        outcome__in=BIRTHS,
        ended_on__lte=last,
        ended_on__gte=first - dt.timedelta(days=POSTPARTUM_DAYS),
    )


def coverage_by_village(
    area_code: str, month: dt.date, today: dt.date | None = None
) -> dict[str, Coverage]:
    """The coverage of each village of ``area_code`` (itself a village or above, or an RW/RT) in
    ``month``, in eight queries whatever the number of families:

    * families at risk on the month's last day (today for the current month), and those a team
      of their village visited in the month (the family or one of its members);
    * pregnant women (a pregnancy open at any time in the month) and those visited as pregnant
      in the month;
    * post-partum mothers (a birth whose 42 days fall at least partly in the month) and those
      visited as post-partum mothers in the month;
    * brides-to-be to accompany (registered by the month's end, her first pregnancy not recorded
      and her registration not cancelled by its first day) and those visited as brides-to-be in
      the month.
    """
    month = month_start(month)
    last = month_end(month)
    by_village: dict[str, Coverage] = {}

    def tally(area_id: str) -> Coverage:
        village = village_of(area_id)
        if village not in by_village:
            by_village[village] = Coverage(village, month)
        return by_village[village]

    visited = Visited()
    for row in TpkVisit.objects.filter(
        subtree_q("team__village_id", [village_of(area_code)]),
        visited_on__gte=month,
        visited_on__lte=last,
    ).values_list(*VISIT_COLUMNS):
        visited.add(row)
    families = Family.objects.filter(subtree_q("area_id", [area_code]), is_active=True).order_by(
        "pk"
    )
    for assessed in assess_families(families, risk_day(month, today)):
        if assessed.assessment.is_at_risk:
            area_id = assessed.family.area_id
            c = tally(area_id)
            c.families_at_risk += 1
            c.families_visited += (assessed.family.pk, village_of(area_id)) in visited.families
    pregnancies = Pregnancy.objects.filter(subtree_q("couple__wife__family__area_id", [area_code]))
    for pk, area_id in pregnancies.filter(pregnant_in_q(month, last)).values_list(
        "pk", "couple__wife__family__area_id"
    ):
        c = tally(area_id)
        c.pregnant += 1
        c.pregnant_visited += (pk, village_of(area_id)) in visited.pregnant
    for pk, area_id in pregnancies.filter(postpartum_in_q(month, last)).values_list(
        "pk", "couple__wife__family__area_id"
    ):
        c = tally(area_id)
        c.postpartum += 1
        c.postpartum_visited += (pk, village_of(area_id)) in visited.postpartum
    brides = BrideToBe.objects.filter(
        not_cancelled_q(month), subtree_q("area_id", [area_code]), registered_on__lte=last
    ).exclude(pregnant_by(month))
    for pk, area_id in brides.values_list("pk", "area_id"):
        c = tally(area_id)
        c.brides += 1
        c.brides_visited += (pk, village_of(area_id)) in visited.brides
    return by_village


def tpk_coverage(area_code: str, month: dt.date, today: dt.date | None = None) -> Coverage:
    """The TPK coverage of an area (a village, a sub-district, a district...) in ``month``,
    unscoped: counts only; the caller checks the reader's ``VIEW_AGGREGATES``."""
    total = Coverage(area_code, month_start(month))
    for village in coverage_by_village(area_code, month, today).values():
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


def target_get(*, kind: str, pk: int, village_code: str) -> Family | Pregnancy | Person | BrideToBe:
    """The family, pregnancy, child or bride-to-be ``pk`` of the village (the team's), else the
    problem: the answer says nothing of other villages' registers."""
    found: Family | Pregnancy | Person | BrideToBe | None
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
    elif kind == TargetKind.BRIDE:
        found = BrideToBe.objects.filter(subtree_q("area_id", [village_code]), pk=pk).first()
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

    brides = (
        brides_to_accompany(team.village_id, on)
        .exclude(pk__in=open_rows.filter(kind=TargetKind.BRIDE).values("bride_id"))
        .values_list("pk", "full_name", "wedding_on")[:TARGET_LIMIT]
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
        (
            str(TargetKind.BRIDE.label),
            [(f"bride:{pk}", f"{name} ({day(d)})") for pk, name, d in brides],
        ),
    ]
