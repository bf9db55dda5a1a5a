"""Reads of the cadres app. One selector serves the page, the API and the export.

Who sees what: named cadres, their tests and certificates only for users who see named persons
in the area a cadre serves (``Capability.VIEW_PERSONS``: admin, officers, cadres). The dashboard
(``dashboard``, ``knowledge_by_topic``, ``areas_without_cadre``) holds counts and means only and
is open to users with aggregates in the area (partners and viewers too); the caller checks the
area with ``area_or_404`` first, then these read unscoped within it.

Knowledge (decision 0024): each cadre's *latest* test (pre or post) stands for what the cadre
knows now; an area's score on a topic is the right answers over the questions of that topic in
the latest tests of its active cadres (pooled, so a longer test weighs more).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from kampungkb.accounts.models import Role, RoleAssignment
from kampungkb.accounts.scope import Capability, get_scoped_or_404, scope_for, scoped
from kampungkb.activities.models import Activity, ActivityKind, Attendance
from kampungkb.cadres.incentives_selectors import (
    CURRENT,
    PAYABLE,
    IncentiveTotals,
    ancestor_codes,
    cadre_lines,
    rule_for,
    totals,
)
from kampungkb.cadres.models import (
    Cadre,
    CadreRegistration,
    IncentiveItem,
    IncentiveLine,
    IncentiveRule,
    ItemKind,
    KnowledgeAnswer,
    KnowledgeTest,
    Phase,
    Question,
    Topic,
    TpkTeam,
)
from kampungkb.contraception.models import Episode, FollowUp, FollowUpOutcome, Verification
from kampungkb.core.periods import add_months, month_start
from kampungkb.families.models import Family, Person
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_children, subtree_q

NAMED = Capability.VIEW_PERSONS
VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
# A cadre who attended no activity in this many days is counted inactive on the dashboard.
INACTIVE_AFTER_DAYS = 90


def pass_mark() -> Decimal:
    """The post-test score (%) that earns a training certificate (decision 0025)."""
    return Decimal(settings.KAMPUNGKB_CADRE_PASS_MARK)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# -- The roster -----------------------------------------------------------------------------------


def _registered(year: int) -> Exists:
    return Exists(CadreRegistration.objects.filter(cadre=OuterRef("pk"), year=year))


def _latest_test() -> QuerySet[KnowledgeTest]:
    return KnowledgeTest.objects.filter(cadre=OuterRef("pk")).order_by("-taken_on", "-pk")


def roster(
    *,
    user: Any,
    area_code: str | None = None,
    role: str | None = None,
    status: str = "active",
    query: str = "",
    year: int | None = None,
    capability: Capability = NAMED,
) -> QuerySet[Cadre]:
    """Cadres serving in the user's areas, by area, role and name; ``status`` is ``active``,
    ``inactive`` or ``all``. Each row carries ``registered`` (re-registered for ``year``, this
    year by default) and ``latest_score`` (its latest test's score or None)."""
    qs = scoped(user, Cadre.objects.all(), capability)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    if role:
        qs = qs.filter(role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    query = query.strip()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        qs = qs.filter(Q(person__nik__startswith=digits) | Q(phone__contains=digits))
    else:
        for word in query.split():
            qs = qs.filter(person__full_name__icontains=word)
    year = year or timezone.localdate().year
    return (
        qs.annotate(
            registered=_registered(year),
            latest_score=Subquery(_latest_test().values("score")[:1]),
        )
        .select_related("person", "area__parent__parent", "tpk_team")
        .order_by("area_id", "role", "person__full_name", "pk")
    )


def cadre_get(*, user: Any, pk: int, capability: Capability = NAMED) -> Cadre:
    return get_scoped_or_404(
        user,
        Cadre.objects.select_related(
            "person__family__area",
            "area__parent__parent",
            "tpk_team",
            "recorded_by",
            "account",
        ),
        capability,
        pk=pk,
    )


def cadre_registrations(cadre: Cadre) -> QuerySet[CadreRegistration]:
    return cadre.registrations.select_related("recorded_by").order_by("-year")


def due_for_reregistration(
    *, user: Any, year: int, area_code: str | None = None
) -> QuerySet[Cadre]:
    """Active cadres the user may re-register who started by ``year`` and have no K/0
    registration for it."""
    qs = scoped(user, Cadre.objects.filter(is_active=True, started_on__year__lte=year), EDIT)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    return (
        qs.exclude(_registered(year))
        .select_related("person", "area__parent__parent")
        .order_by("area_id", "person__full_name", "pk")
    )


def areas_without_cadre(
    *, user: Any, within: str | None = None, capability: Capability = NAMED
) -> QuerySet[Area]:
    """Active villages and hamlets/RW in the user's areas where no active cadre serves the area
    or any area within it. The areas served (each active cadre's area and the areas above it, in
    the same scope) are read first: a correlated prefix match per area scanned the cadres once
    for every village of a district."""
    areas = scoped(
        user,
        Area.objects.filter(level__in=[Level.VILLAGE, Level.HAMLET], is_active=True),
        capability,
    )
    cadres = scoped(user, Cadre.objects.filter(is_active=True), capability)
    if within:
        areas = areas.filter(subtree_q("code", [within]))
        cadres = cadres.filter(subtree_q("area_id", [within]))
    served: set[str] = set()
    for code in cadres.values_list("area_id", flat=True).distinct():
        parts = code.split(".")
        served.update(".".join(parts[:depth]) for depth in range(4, len(parts) + 1))
    return areas.exclude(code__in=served).select_related("parent__parent").order_by("code")


def person_candidates(*, user: Any, query: str) -> QuerySet[Person]:
    """Living residents the user may put on the roster, by name (every word) or NIK start; none
    without a query. Age and village are checked on save."""
    qs = scoped(user, Person.objects.all(), EDIT).filter(
        is_active=True, died_on__isnull=True, family__is_active=True
    )
    query = query.strip()
    digits = query.replace(" ", "")
    if not query:
        return qs.none()
    if digits.isdigit() and len(digits) >= 4:
        qs = qs.filter(nik__startswith=digits)
    else:
        for word in query.split():
            qs = qs.filter(full_name__icontains=word)
    return qs.select_related("family__area__parent__parent").order_by("full_name", "pk")


def person_for_roster(*, user: Any, pk: int) -> Person:
    return get_scoped_or_404(user, Person.objects.select_related("family__area"), EDIT, pk=pk)


def account_choices(*, area: Area) -> QuerySet[Any]:
    """The cadre logins working in the area's village, for linking a cadre to its own login."""
    village = ".".join(area.code.split(".")[:4])
    assigned = RoleAssignment.objects.filter(
        subtree_q("area_id", [village]), role=Role.CADRE, user=OuterRef("pk")
    )
    return get_user_model().objects.filter(Exists(assigned), is_active=True).order_by("username")


def area_choices(*, user: Any, limit: int = 300) -> list[Area]:
    """Villages, hamlets/RW and RT where the user may register cadres."""
    qs = scoped(
        user, Area.objects.filter(level__gte=Level.VILLAGE, is_active=True), EDIT
    ).select_related("parent__parent")
    return list(qs.order_by("code")[:limit])


# -- TPK teams --------------------------------------------------------------------------------------


def team_list(*, user: Any, area_code: str | None = None) -> QuerySet[TpkTeam]:
    qs = scoped(user, TpkTeam.objects.all(), NAMED)
    if area_code:
        qs = qs.filter(Q(village_id__startswith=area_code + ".") | Q(village_id=area_code))
    active_members = Cadre.objects.filter(is_active=True).select_related("person")
    return (
        qs.select_related("village__parent")
        .prefetch_related(
            Prefetch("members", queryset=active_members.order_by("team_role"), to_attr="seats")
        )
        .order_by("village_id", "name")
    )


def team_get(*, user: Any, pk: int, capability: Capability = NAMED) -> TpkTeam:
    return get_scoped_or_404(user, TpkTeam.objects.select_related("village"), capability, pk=pk)


def team_choices(*, user: Any) -> QuerySet[TpkTeam]:
    return (
        scoped(user, TpkTeam.objects.filter(is_active=True), EDIT)
        .select_related("village")
        .order_by("village_id", "name")
    )


# -- Activity and trainings of a cadre ----------------------------------------------------------------


def cadre_activities(cadre: Cadre, *, user: Any) -> QuerySet[Activity]:
    """The activities the cadre's person attended (named attendance) that the user may see,
    newest first."""
    return (
        scoped(user, Activity.objects.filter(attendances__person_id=cadre.person_id), VIEW)
        .select_related("area__parent__parent")
        .order_by("-held_on", "-pk")
    )


def cadre_tests(cadre: Cadre) -> QuerySet[KnowledgeTest]:
    return cadre.tests.select_related("training").order_by("-taken_on", "-pk")


def is_certified(test: KnowledgeTest) -> bool:
    """A certificate: a post-test of a training scored at or above the pass mark."""
    return test.phase == Phase.POST and test.training_id is not None and test.score >= pass_mark()


def test_get(*, user: Any, pk: int, capability: Capability = NAMED) -> KnowledgeTest:
    test = (
        KnowledgeTest.objects.select_related(
            "cadre__person", "cadre__area__parent__parent", "training", "recorded_by"
        )
        .filter(pk=pk)
        .first()
    )
    if test is None or not scope_for(user).can(capability, test.cadre.area_id):
        raise Http404
    return test


def test_answers(test: KnowledgeTest) -> QuerySet[KnowledgeAnswer]:
    return test.answers.select_related("question").order_by("question__topic", "question__code")


def test_topic_scores(test: KnowledgeTest) -> list[tuple[str, int, int, Decimal | None]]:
    """Per topic of a test: (topic label, right answers, questions, percent)."""
    rows = (
        test.answers.order_by()
        .values("topic")
        .annotate(n=Count("pk"), right=Sum(Case(When(is_correct=True, then=1), default=0)))
    )
    by_topic = {r["topic"]: (int(r["right"]), int(r["n"])) for r in rows}
    return [
        (str(t.label), *by_topic[t.value], _percent(*by_topic[t.value]))
        for t in Topic
        if t.value in by_topic
    ]


# -- Question bank --------------------------------------------------------------------------------


def questions(*, topics: Iterable[str] | None = None) -> QuerySet[Question]:
    qs = Question.objects.filter(is_active=True)
    if topics is not None:
        qs = qs.filter(topic__in=list(topics))
    return qs.order_by("topic", "code")


def question_counts() -> dict[str, int]:
    rows = Question.objects.filter(is_active=True).values("topic").annotate(n=Count("pk"))
    return {r["topic"]: r["n"] for r in rows}


# -- Trainings --------------------------------------------------------------------------------------


def training_list(*, user: Any, area_code: str | None = None) -> QuerySet[Activity]:
    """Trainings (activities of kind ``training``) the user may see, newest first, with their
    curriculum and the number of tests recorded."""
    qs = scoped(user, Activity.objects.filter(kind=ActivityKind.TRAINING), VIEW)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    tests = (
        KnowledgeTest.objects.filter(training=OuterRef("pk"))
        .order_by()
        .values("training")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.annotate(test_count=Subquery(tests, output_field=IntegerField()))
        .select_related("area__parent__parent")
        .prefetch_related("curriculum")
        .order_by("-held_on", "-pk")
    )


def training_get(*, user: Any, pk: int, capability: Capability = VIEW) -> Activity:
    return get_scoped_or_404(
        user,
        Activity.objects.filter(kind=ActivityKind.TRAINING)
        .select_related("area__parent__parent")
        .prefetch_related("curriculum"),
        capability,
        pk=pk,
    )


def training_topics(training: Activity) -> list[str]:
    return [t.topic for t in training.curriculum.all()]


def training_choices(*, user: Any) -> QuerySet[Activity]:
    return (
        scoped(user, Activity.objects.filter(kind=ActivityKind.TRAINING), EDIT)
        .select_related("area")
        .order_by("-held_on", "-pk")
    )


@dataclass
class Participant:
    cadre: Cadre
    attended: bool
    pre: KnowledgeTest | None = None
    post: KnowledgeTest | None = None

    @property
    def certified(self) -> bool:
        return self.post is not None and is_certified(self.post)


def training_participants(training: Activity, *, user: Any) -> list[Participant]:
    """The cadres the user may see by name who attended the training or took one of its tests,
    with their pre- and post-test."""
    attended = Attendance.objects.filter(activity=training, person_id=OuterRef("person_id"))
    cadres = (
        scoped(user, Cadre.objects.all(), NAMED)
        .filter(Q(Exists(attended)) | Q(tests__training=training))
        .annotate(attended=Exists(attended))
        .select_related("person", "area__parent__parent")
        .distinct()
        .order_by("person__full_name", "pk")
    )
    rows = {c.pk: Participant(cadre=c, attended=bool(c.attended)) for c in cadres}
    for test in KnowledgeTest.objects.filter(training=training, cadre_id__in=list(rows)):
        if test.phase == Phase.PRE:
            rows[test.cadre_id].pre = test
        else:
            rows[test.cadre_id].post = test
    return list(rows.values())


# -- Knowledge and the dashboard (aggregates) ------------------------------------------------------


def _latest_tests_in(area_code: str) -> QuerySet[KnowledgeTest]:
    """The latest test of each active cadre serving in the area's subtree (unscoped)."""
    latest = KnowledgeTest.objects.filter(cadre=OuterRef("cadre")).order_by("-taken_on", "-pk")
    return KnowledgeTest.objects.filter(
        subtree_q("cadre__area_id", [area_code]),
        cadre__is_active=True,
        pk=Subquery(latest.values("pk")[:1]),
    )


@dataclass
class TopicScore:
    right: int = 0
    asked: int = 0

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.right, self.asked)


@dataclass
class AreaRow:
    """One line of the dashboard: an area (or the chosen area's own cadres, ``own=True``)."""

    area: Area
    own: bool = False
    families: int = 0
    active: int = 0
    inactive: int = 0  # active on the roster, no activity attended in INACTIVE_AFTER_DAYS
    deactivated: int = 0  # deactivated this year
    not_registered: int = 0  # active, no K/0 re-registration this year
    tested: int = 0
    score_sum: Decimal = Decimal(0)
    topics: dict[str, TopicScore] = field(default_factory=dict)
    incentives_paid: int = 0  # Rp paid for the months of this year (``dashboard(incentives=)``)

    @property
    def per_100_families(self) -> Decimal | None:
        if not self.families:
            return None
        return (Decimal(self.active) * 100 / Decimal(self.families)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def mean_score(self) -> Decimal | None:
        if not self.tested:
            return None
        return (self.score_sum / self.tested).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def topic(self, value: str) -> TopicScore:
        return self.topics.setdefault(value, TopicScore())

    def topic_percents(self) -> list[Decimal | None]:
        return [self.topics[t].percent if t in self.topics else None for t in Topic.values]

    def add(self, other: AreaRow) -> None:
        self.families += other.families
        self.active += other.active
        self.inactive += other.inactive
        self.deactivated += other.deactivated
        self.not_registered += other.not_registered
        self.tested += other.tested
        self.score_sum += other.score_sum
        self.incentives_paid += other.incentives_paid
        for key, score in other.topics.items():
            mine = self.topic(key)
            mine.right += score.right
            mine.asked += score.asked


@dataclass
class IncentiveSummary:
    """An area's incentive totals for the months of this year and for last month."""

    year: IncentiveTotals
    year_first: dt.date
    last_month: IncentiveTotals
    month: dt.date  # last month


@dataclass
class Dashboard:
    area: Area
    rows: list[AreaRow]
    total: AreaRow
    today: dt.date
    pass_mark: Decimal
    incentives: IncentiveSummary | None = None


def _row_finder(area: Area, rows: list[AreaRow]) -> Any:
    children = [r for r in rows if not r.own]
    own = next(r for r in rows if r.own)

    def find(code: str) -> AreaRow:
        for row in children:
            if row.area.contains(code):
                return row
        return own

    return find


def dashboard(*, area: Area, today: dt.date, incentives: bool = False) -> Dashboard:
    """The cadre figures of an area and of each area in it (the caller has checked the user
    holds aggregates there): families, active cadres and per 100 families, inactive and
    deactivated cadres, K/0 not yet renewed, mean latest score and the score by topic.
    Five grouped queries whatever the number of areas; with ``incentives``, five more for the
    incentive totals and what each area's cadres were paid for the months of this year."""
    rows = [AreaRow(area=area, own=True)] + [
        AreaRow(area=child) for child in area_children(area).order_by("code")
    ]
    find = _row_finder(area, rows)
    families = (
        Family.objects.filter(subtree_q("area_id", [area.code]), is_active=True)
        .order_by()
        .values("area_id")
        .annotate(n=Count("pk"))
    )
    for family_area, count in families.values_list("area_id", "n"):
        find(family_area).families += count
    since = today - dt.timedelta(days=INACTIVE_AFTER_DAYS)
    recent = Attendance.objects.filter(
        person_id=OuterRef("person_id"), activity__held_on__gte=since, activity__held_on__lte=today
    )
    cadres = (
        Cadre.objects.filter(subtree_q("area_id", [area.code]))
        .filter(Q(is_active=True) | Q(ended_on__year=today.year))
        .annotate(recent=Exists(recent), registered=_registered(today.year))
        .values_list("area_id", "is_active", "recent", "registered")
    )
    for code, active, was_recent, registered in cadres:
        row = find(code)
        if not active:
            row.deactivated += 1
            continue
        row.active += 1
        row.inactive += 0 if was_recent else 1
        row.not_registered += 0 if registered else 1
    latest = _latest_tests_in(area.code)
    for code, score in latest.values_list("cadre__area_id", "score"):
        row = find(code)
        row.tested += 1
        row.score_sum += score
    answers = (
        KnowledgeAnswer.objects.filter(test__in=latest.values("pk"))
        .order_by()
        .values("test__cadre__area_id", "topic")
        .annotate(n=Count("pk"), right=Sum(Case(When(is_correct=True, then=1), default=0)))
    )
    for cadre_area, topic, asked, right in answers.values_list(
        "test__cadre__area_id", "topic", "n", "right"
    ):
        score = find(cadre_area).topic(topic)
        score.right += int(right)
        score.asked += int(asked)
    summary = _incentives_by_area(area, today, find) if incentives else None
    total = AreaRow(area=area)
    for row in rows:
        total.add(row)
    shown = [
        r for r in rows if not r.own or r.active or r.deactivated or r.tested or r.incentives_paid
    ]
    return Dashboard(
        area=area,
        rows=shown,
        total=total,
        today=today,
        pass_mark=pass_mark(),
        incentives=summary,
    )


def _incentives_by_area(area: Area, today: dt.date, find: Any) -> IncentiveSummary:
    year_first, this_month = month_start(today.replace(month=1)), month_start(today)
    last_month = add_months(this_month, -1)
    paid = (
        IncentiveLine.objects.filter(
            CURRENT,
            subtree_q("batch__village_id", [area.code]),
            batch__month__gte=year_first,
            batch__month__lte=this_month,
            batch__status__in=PAYABLE,
            paid_on__isnull=False,
        )
        .order_by()
        .values("batch__village_id")
        .annotate(paid=Sum("total"))
        .values_list("batch__village_id", "paid")
    )
    for village, amount in paid:
        find(village).incentives_paid += amount or 0
    return IncentiveSummary(
        year=totals(area_code=area.code, first=year_first, last=this_month),
        year_first=year_first,
        last_month=totals(area_code=area.code, first=last_month, last=last_month),
        month=last_month,
    )


@dataclass
class CadreKnowledge:
    """A cadre's latest test, by topic, for the knowledge-gap follow-up list."""

    cadre: Cadre
    test: KnowledgeTest
    topics: dict[str, TopicScore]

    def topic_percents(self) -> list[Decimal | None]:
        return [self.topics[t].percent if t in self.topics else None for t in Topic.values]


def cadres_below_pass_mark(*, user: Any, area: Area) -> list[CadreKnowledge]:
    """Active cadres the user sees by name whose latest test scored below the pass mark, with
    their score by topic (two queries), lowest first."""
    tests = list(
        _latest_tests_in(area.code)
        .filter(cadre__in=scoped(user, Cadre.objects.all(), NAMED), score__lt=pass_mark())
        .select_related("cadre__person", "cadre__area__parent__parent")
        .order_by("score", "cadre__person__full_name")
    )
    by_test: dict[int, dict[str, TopicScore]] = defaultdict(dict)
    answers = (
        KnowledgeAnswer.objects.filter(test__in=[t.pk for t in tests])
        .order_by()
        .values("test_id", "topic")
        .annotate(n=Count("pk"), right=Sum(Case(When(is_correct=True, then=1), default=0)))
    )
    for item in answers:
        by_test[item["test_id"]][item["topic"]] = TopicScore(int(item["right"]), int(item["n"]))
    return [CadreKnowledge(cadre=t.cadre, test=t, topics=by_test[t.pk]) for t in tests]


# -- A cadre's home visits, referrals and incentives (decision 0028) ---------------------------------

VISIT_MONTHS = 12  # the months of home visits counted on the cadre page
LATEST_VISITS = 20  # the home visits listed one by one
INCENTIVE_LINES_SHOWN = 24
# The rule's own default, for a cadre no rule pays yet.
DEFAULT_REFERRAL_WINDOW: int = IncentiveRule._meta.get_field("referral_window_days").get_default()


def _village_of(code: str) -> str:
    return ".".join(code.split(".")[:4])


def _cadre_follow_ups(cadre: Cadre, user: Any) -> QuerySet[FollowUp]:
    """The follow-ups recorded with the cadre's own login of families of its village (what the
    incentive counts as its home visits) that the user may see by name."""
    return scoped(user, FollowUp.objects.all(), NAMED).filter(
        subtree_q("couple__wife__family__area_id", [_village_of(cadre.area_id)]),
        recorded_by_id=cadre.account_id,
    )


@dataclass
class VisitMonth:
    month: dt.date
    verified: int = 0
    pending: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        return self.verified + self.pending + self.rejected


@dataclass
class CadreVisits:
    months: list[VisitMonth]  # newest first, the months with a visit
    latest: list[FollowUp]  # the latest LATEST_VISITS, newest first
    first: dt.date  # the first month counted


def cadre_home_visits(cadre: Cadre, *, user: Any, today: dt.date) -> CadreVisits:
    """The cadre's home visits of the last ``VISIT_MONTHS`` months: counts per month and
    verification, and the latest ones (two queries; none without a login)."""
    first = add_months(month_start(today), 1 - VISIT_MONTHS)
    if cadre.account_id is None:
        return CadreVisits(months=[], latest=[], first=first)
    visits = _cadre_follow_ups(cadre, user).filter(done_on__gte=first, done_on__lte=today)
    by_month: dict[dt.date, VisitMonth] = {}
    counts = (
        visits.annotate(month=TruncMonth("done_on"))
        .order_by()
        .values_list("month", "verification")
        .annotate(n=Count("pk"))
    )
    for month, verification, n in counts:
        row = by_month.setdefault(month, VisitMonth(month=month))
        setattr(row, verification, getattr(row, verification) + n)
    latest = list(visits.select_related("verified_by").order_by("-done_on", "-pk")[:LATEST_VISITS])
    months_shown = [by_month[m] for m in sorted(by_month, reverse=True)]
    return CadreVisits(months=months_shown, latest=latest, first=first)


@dataclass
class OpenReferral:
    """A referral not (yet) paid: waiting for the couple to start a method, or started and
    counted when the month of the start is computed."""

    follow_up: FollowUp
    window_ends: dt.date
    new_use_on: dt.date | None = None


@dataclass
class CadreReferrals:
    earned: list[IncentiveItem]  # referrals paid in a computed proposal (its current revision)
    open: list[OpenReferral]
    window_days: int


def cadre_referrals(cadre: Cadre, *, user: Any, today: dt.date) -> CadreReferrals:
    """The cadre's referrals that became new users, as the incentive ledger credited them, and
    those still open: referred (not rejected) with the cadre's login, no proposal paying them
    yet, and either within the rule's window or followed by a new use within it (four queries
    at most)."""
    earned = list(
        IncentiveItem.objects.filter(
            kind=ItemKind.REFERRAL,
            line__in=scoped(user, IncentiveLine.objects.filter(CURRENT, cadre=cadre), NAMED),
        )
        .select_related("line__batch", "follow_up", "episode__method")
        .order_by("-on", "-pk")
    )
    rules = IncentiveRule.objects.filter(area_id__in=ancestor_codes(_village_of(cadre.area_id)))
    rule = rule_for(cadre, month_start(today), rules) if cadre.account_id is not None else None
    window = rule.referral_window_days if rule is not None else DEFAULT_REFERRAL_WINDOW
    if cadre.account_id is None:
        return CadreReferrals(earned=earned, open=[], window_days=window)
    new_use = Episode.objects.filter(
        couple=OuterRef("couple"), is_new_user=True, started_on__gte=OuterRef("done_on")
    ).order_by("started_on")
    referrals = (
        _cadre_follow_ups(cadre, user)
        .filter(
            outcome=FollowUpOutcome.REFERRED,
            done_on__gte=add_months(month_start(today), 1 - VISIT_MONTHS),
        )
        .exclude(verification=Verification.REJECTED)
        .annotate(new_use_on=Subquery(new_use.values("started_on")[:1]))
        .order_by("-done_on", "-pk")
    )
    paid = {i.follow_up_id for i in earned}
    open_: list[OpenReferral] = []
    latest_of_couple: dict[int, dt.date] = {}
    for follow_up in referrals:
        started = follow_up.new_use_on
        ends = follow_up.done_on + dt.timedelta(days=window)
        later = latest_of_couple.get(follow_up.couple_id)
        latest_of_couple.setdefault(follow_up.couple_id, follow_up.done_on)
        if follow_up.pk in paid:
            continue
        if started is not None and (started > ends or (later is not None and later <= started)):
            continue  # too late, or a later referral is the one credited
        if started is None and ends < today:
            continue  # the window passed without a new use
        open_.append(OpenReferral(follow_up=follow_up, window_ends=ends, new_use_on=started))
    return CadreReferrals(earned=earned, open=open_, window_days=window)


@dataclass
class CadreIncentives:
    lines: list[IncentiveLine]  # latest month first
    year: int
    paid_this_year: int  # paid in ``year`` (by the day paid)


def cadre_incentives(cadre: Cadre, *, user: Any, today: dt.date) -> CadreIncentives:
    """The cadre's incentive lines (current revisions) the user may see, with what the cadre was
    paid this year (one query)."""
    lines = list(
        scoped(user, cadre_lines(cadre), NAMED).order_by("-batch__month", "-pk")[
            :INCENTIVE_LINES_SHOWN
        ]
    )
    paid = sum(
        line.total for line in lines if line.paid_on is not None and line.paid_on.year == today.year
    )
    return CadreIncentives(lines=lines, year=today.year, paid_this_year=paid)
