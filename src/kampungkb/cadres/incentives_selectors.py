"""Reads of the incentive ledger (decision 0028): which rule applies to a cadre, what a village's
cadres earned in a month from the verified records, whether the stored proposal still matches
the records, and the lists the pages and the API show.

``compute`` is the one place where records turn into money. It reads, never writes; the services
store what it returns. A record earns for one cadre row only:

- a **home visit** is a follow-up recorded with the cadre's own login, of a family in the
  village, on a day the cadre served, and verified by a supervisor;
- a **referral** is such a follow-up with outcome "referred" (not rejected) that a new-user
  episode of the same couple followed within the rule's window; it is credited in the month the
  new use started, once per episode, to the latest referral before it;
- a **meeting** is the cadre's attendance at the village's monthly cadre meeting whose minutes
  were saved;
- a **training** is attendance at a training, with its post-test when the training gave one.

When a person holds several rows, the row whose area contains the family's, then the row of the
smallest area, then the oldest row is credited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import translation

from kampungkb.accounts.scope import NATIONAL, Capability, scope_for, scoped
from kampungkb.activities.models import Activity, ActivityKind, Attendance, held_q
from kampungkb.cadres.models import (
    BatchStatus,
    Cadre,
    CadreRole,
    IncentiveBatch,
    IncentiveEvent,
    IncentiveItem,
    IncentiveLine,
    IncentiveRule,
    ItemKind,
    KnowledgeTest,
    Phase,
)
from kampungkb.contraception.models import Episode, FollowUp, FollowUpOutcome, Verification
from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

VIEW = Capability.VIEW_PERSONS
SUPERVISE = Capability.SUPERVISE_CADRES
APPROVE = Capability.APPROVE_INCENTIVES
PAYABLE = (BatchStatus.APPROVED, BatchStatus.PAID)
# A line of the batch's current revision (earlier revisions are kept as history).
CURRENT = Q(revision=F("batch__revision"))


def ancestor_codes(code: str) -> list[str]:
    """The code and the codes of the areas above it (``64.02.08`` -> 64, 64.02, 64.02.08)."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def rule_for(cadre: Cadre, month: dt.date, rules: Iterable[IncentiveRule]) -> IncentiveRule | None:
    """The rule paying ``cadre`` in ``month``: one for its role before one for every role, then
    the rule of the smallest area above the cadre's, then the latest in force."""
    above = set(ancestor_codes(cadre.area_id))
    usable = [
        r
        for r in rules
        if r.area_id in above and r.role in ("", cadre.role) and r.valid_from <= month
    ]
    if not usable:
        return None
    return max(usable, key=lambda r: (r.role != "", len(r.area_id), r.valid_from))


def rules_for_village(village: Area) -> list[IncentiveRule]:
    return list(IncentiveRule.objects.filter(area_id__in=ancestor_codes(village.code)))


# -- The computation --------------------------------------------------------------------------------


@dataclass
class ItemDraft:
    kind: str
    on: dt.date
    amount: int
    counted: bool = True
    follow_up_id: int | None = None
    episode_id: int | None = None
    activity_id: int | None = None
    source: str = ""

    def key(self) -> tuple[Any, ...]:
        """What identifies the item across computations (episodes are rebuilt, so a referral is
        known by its follow-up and the day the new use started)."""
        return (
            self.kind,
            self.on,
            self.follow_up_id,
            self.activity_id,
            self.amount,
            self.counted,
        )


@dataclass
class LineDraft:
    cadre: Cadre
    rule: IncentiveRule
    items: list[ItemDraft] = field(default_factory=list)

    def _counted(self, kind: str) -> list[ItemDraft]:
        return [i for i in self.items if i.kind == kind and i.counted]

    def count(self, kind: str) -> int:
        return len(self._counted(kind))

    def amount(self, kind: str) -> int:
        return sum(i.amount for i in self._counted(kind))

    @property
    def earned(self) -> int:
        return sum(i.amount for i in self.items)

    @property
    def capped(self) -> int:
        cap = self.rule.max_total
        return max(0, self.earned - cap) if cap is not None else 0

    @property
    def total(self) -> int:
        return self.earned - self.capped

    def keys(self) -> list[tuple[Any, ...]]:
        return sorted(i.key() for i in self.items)


@dataclass
class Computation:
    village: Area
    month: dt.date
    lines: list[LineDraft]
    # Active cadres no rule pays (the district has not set a rate for their role).
    unruled: list[Cadre]

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)


def _role_label(role: str) -> str:
    """The role as the record keeps it: in the village's language, whoever computes."""
    with translation.override("id"):
        return str(CadreRole(role).label)


def _served_on(cadre: Cadre, on: dt.date) -> bool:
    return cadre.started_on <= on and (cadre.ended_on is None or cadre.ended_on >= on)


def _pick(rows: list[Cadre], on: dt.date, family_area: str | None = None) -> Cadre | None:
    """The row credited for a record of ``on`` (see the module's docstring)."""
    serving = [c for c in rows if _served_on(c, on)]
    if not serving:
        return None

    def contains(cadre: Cadre) -> bool:
        code = cadre.area_id
        return family_area is not None and (
            family_area == code or family_area.startswith(code + ".")
        )

    return min(serving, key=lambda c: (not contains(c), -len(c.area_id), c.pk))


def _cap(items: list[ItemDraft], most: int | None) -> None:
    if most is None:
        return
    for index, item in enumerate(sorted(items, key=lambda i: (i.on, i.follow_up_id or 0))):
        if index >= most:
            item.counted = False
            item.amount = 0


def compute(*, village: Area, month: dt.date) -> Computation:
    """What each cadre of ``village`` earned in ``month`` (a read; nothing is stored)."""
    first, last = month_start(month), month_end(month)
    cadres = list(
        Cadre.objects.filter(subtree_q("area_id", [village.code]), started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("person")
        .order_by("pk")
    )
    rules = rules_for_village(village)
    lines: dict[int, LineDraft] = {}
    unruled: list[Cadre] = []
    for cadre in cadres:
        rule = rule_for(cadre, first, rules)
        if rule is None:
            unruled.append(cadre)
            continue
        lines[cadre.pk] = line = LineDraft(cadre=cadre, rule=rule)
        if rule.base_honorarium:
            line.items.append(
                ItemDraft(
                    kind=ItemKind.BASE,
                    on=max(first, cadre.started_on),
                    amount=rule.base_honorarium,
                    source=_role_label(cadre.role),
                )
            )
    paid = [line.cadre for line in lines.values()]
    by_account: dict[int, list[Cadre]] = defaultdict(list)
    by_person: dict[int, list[Cadre]] = defaultdict(list)
    for cadre in paid:
        if cadre.account_id is not None:
            by_account[cadre.account_id].append(cadre)
        by_person[cadre.person_id].append(cadre)

    _home_visits(village, first, last, by_account, lines)
    _referrals(village, first, last, by_account, lines)
    _attendances(village, first, last, by_person, lines)

    for line in lines.values():
        _cap([i for i in line.items if i.kind == ItemKind.HOME_VISIT], line.rule.max_home_visits)
        _cap([i for i in line.items if i.kind == ItemKind.REFERRAL], line.rule.max_referrals)
        line.items.sort(key=lambda i: (ItemKind.values.index(i.kind), i.on, i.source))
    ordered = sorted(lines.values(), key=lambda line: (line.cadre.person.full_name, line.cadre.pk))
    return Computation(village=village, month=first, lines=ordered, unruled=unruled)


FollowUpRow = tuple[int, int, dt.date, int, str]  # pk, recorder, day, couple, family's area


def _follow_ups(village: Area, accounts: Iterable[int]) -> QuerySet[FollowUp, FollowUpRow]:
    return FollowUp.objects.filter(
        subtree_q("couple__wife__family__area_id", [village.code]),
        recorded_by_id__in=list(accounts),
    ).values_list("pk", "recorded_by_id", "done_on", "couple_id", "couple__wife__family__area_id")


def _home_visits(
    village: Area,
    first: dt.date,
    last: dt.date,
    by_account: dict[int, list[Cadre]],
    lines: dict[int, LineDraft],
) -> None:
    visits = _follow_ups(village, by_account).filter(
        done_on__gte=first, done_on__lte=last, verification=Verification.VERIFIED
    )
    for pk, account, on, couple, area in visits.order_by("done_on", "pk"):
        cadre = _pick(by_account[account], on, area)
        if cadre is None:
            continue
        line = lines[cadre.pk]
        line.items.append(
            ItemDraft(
                kind=ItemKind.HOME_VISIT,
                on=on,
                amount=line.rule.per_home_visit,
                follow_up_id=pk,
                source=f"#{pk} ({couple})",
            )
        )


def _referrals(
    village: Area,
    first: dt.date,
    last: dt.date,
    by_account: dict[int, list[Cadre]],
    lines: dict[int, LineDraft],
) -> None:
    if not by_account:
        return
    window = max(line.rule.referral_window_days for line in lines.values())
    referrals = (
        _follow_ups(village, by_account)
        .filter(
            outcome=FollowUpOutcome.REFERRED,
            done_on__gte=first - dt.timedelta(days=window),
            done_on__lte=last,
        )
        .exclude(verification=Verification.REJECTED)
    )
    by_couple: dict[int, list[tuple[dt.date, int, int, str]]] = defaultdict(list)
    for pk, account, on, couple, area in referrals:
        by_couple[couple].append((on, pk, account, area))
    if not by_couple:
        return
    starts = Episode.objects.filter(
        couple_id__in=list(by_couple), is_new_user=True, started_on__gte=first, started_on__lte=last
    ).values_list("pk", "couple_id", "started_on")
    for episode, couple, started in starts.order_by("started_on", "pk"):
        # The latest referral on or before the start whose cadre's window still reaches it.
        for on, pk, account, area in sorted(by_couple[couple], reverse=True):
            if on > started:
                continue
            cadre = _pick(by_account[account], on, area)
            if cadre is None:
                continue
            line = lines[cadre.pk]
            if (started - on).days > line.rule.referral_window_days:
                continue
            line.items.append(
                ItemDraft(
                    kind=ItemKind.REFERRAL,
                    on=started,
                    amount=line.rule.per_referral,
                    follow_up_id=pk,
                    episode_id=episode,
                    source=f"#{pk} ({couple}) {on.isoformat()}",
                )
            )
            break


def _attendances(
    village: Area,
    first: dt.date,
    last: dt.date,
    by_person: dict[int, list[Cadre]],
    lines: dict[int, LineDraft],
) -> None:
    attended = (
        Attendance.objects.filter(
            held_q("activity__"),
            person_id__in=list(by_person),
            activity__held_on__gte=first,
            activity__held_on__lte=last,
        )
        .filter(
            Q(
                subtree_q("activity__area_id", [village.code]),
                activity__kind=ActivityKind.CADRE_MEETING,
                activity__cadre_meeting__minutes_saved_at__isnull=False,
            )
            | Q(activity__kind=ActivityKind.TRAINING)
        )
        .values_list("person_id", "activity_id", "activity__kind", "activity__held_on")
        .order_by("activity__held_on", "activity_id")
    )
    rows = list(attended)
    trainings = {a for _, a, kind, _ in rows if kind == ActivityKind.TRAINING}
    tested = set(
        KnowledgeTest.objects.filter(training_id__in=trainings, phase=Phase.POST).values_list(
            "training_id", "cadre__person_id"
        )
    )
    gave_tests = {training for training, _ in tested}
    titles = dict(
        Activity.objects.filter(pk__in={a for _, a, _, _ in rows}).values_list("pk", "title")
    )
    for person, activity, kind, on in rows:
        if (
            kind == ActivityKind.TRAINING
            and activity in gave_tests
            and (activity, person) not in tested
        ):
            continue  # attended but did not finish: no post-test
        cadre = _pick(by_person[person], on)
        if cadre is None:
            continue
        line = lines[cadre.pk]
        meeting = kind == ActivityKind.CADRE_MEETING
        line.items.append(
            ItemDraft(
                kind=ItemKind.MEETING if meeting else ItemKind.TRAINING,
                on=on,
                amount=line.rule.per_meeting if meeting else line.rule.per_training,
                activity_id=activity,
                source=titles.get(activity, "")[:200],
            )
        )


# -- The stored ledger ------------------------------------------------------------------------------


def current_lines(batch: IncentiveBatch) -> QuerySet[IncentiveLine]:
    return (
        batch.lines.filter(revision=batch.revision)
        .select_related("cadre__person", "cadre__area", "rule")
        .order_by("cadre__person__full_name", "cadre_id")
    )


@dataclass
class Drift:
    """How the records now differ from the stored revision of a batch."""

    stored_total: int
    fresh_total: int
    changed: list[str]  # the names of the cadres whose lines differ


def batch_drift(batch: IncentiveBatch, fresh: Computation | None = None) -> Drift | None:
    """None when computing again gives the stored lines item for item. ``fresh``: a computation
    of the batch's village and month already made (a page that shows it too), else made here."""
    fresh = fresh or compute(village=batch.village, month=batch.month)
    stored_keys: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    stored_totals: dict[int, int] = {}
    names: dict[int, str] = {}
    for stored in current_lines(batch).prefetch_related("items"):
        stored_totals[stored.cadre_id] = stored.total
        names[stored.cadre_id] = stored.cadre.person.full_name
        stored_keys[stored.cadre_id] = sorted(
            (i.kind, i.on, i.follow_up_id, i.activity_id, i.amount, i.counted)
            for i in stored.items.all()
        )
    fresh_lines = {draft.cadre.pk: draft for draft in fresh.lines}
    names.update({pk: d.cadre.person.full_name for pk, d in fresh_lines.items() if pk not in names})
    changed = []
    for pk in sorted(set(stored_totals) | set(fresh_lines)):
        line = fresh_lines.get(pk)
        if (
            line is None
            or pk not in stored_totals
            or line.keys() != stored_keys[pk]
            or line.total != stored_totals[pk]
        ):
            changed.append(names[pk])
    if not changed:
        return None
    return Drift(stored_total=batch.total, fresh_total=fresh.total, changed=sorted(changed))


def batch_get(*, user: Any, pk: int, capability: Capability = VIEW) -> IncentiveBatch:
    return get_object_or_404(
        scoped(user, IncentiveBatch.objects.select_related("village__parent"), capability), pk=pk
    )


def batch_for(*, user: Any, village: Area, month: dt.date) -> IncentiveBatch | None:
    return (
        scoped(user, IncentiveBatch.objects.all(), VIEW)
        .filter(village=village, month=month_start(month))
        .first()
    )


def batch_list(
    *, user: Any, area_code: str | None = None, month: dt.date | None = None, status: str = ""
) -> QuerySet[IncentiveBatch]:
    batches = scoped(user, IncentiveBatch.objects.all(), VIEW).select_related("village__parent")
    if area_code:
        batches = batches.filter(subtree_q("village_id", [area_code]))
    if month is not None:
        batches = batches.filter(month=month_start(month))
    if status:
        batches = batches.filter(status=status)
    return batches.annotate(
        cadre_count=Count("lines", filter=Q(lines__revision=F("revision")))
    ).order_by("-month", "village_id")


def batch_events(batch: IncentiveBatch) -> QuerySet[IncentiveEvent]:
    return batch.events.select_related("actor").order_by("at", "pk")


def line_get(*, user: Any, pk: int) -> IncentiveLine:
    return get_object_or_404(
        scoped(user, IncentiveLine.objects.all(), VIEW).select_related(
            "batch__village", "cadre__person", "cadre__area", "rule"
        ),
        pk=pk,
    )


def line_items(line: IncentiveLine) -> QuerySet[IncentiveItem]:
    return line.items.select_related("activity").order_by("kind", "on", "pk")


def payable_lines(batch: IncentiveBatch) -> QuerySet[IncentiveLine]:
    """The lines of an approved batch that pay something, for the payment list."""
    return current_lines(batch).filter(total__gt=0)


def cadre_lines(cadre: Cadre) -> QuerySet[IncentiveLine]:
    """The cadre's lines in the current revision of each batch, latest month first."""
    return (
        IncentiveLine.objects.filter(CURRENT, cadre=cadre)
        .select_related("batch")
        .order_by("-batch__month")
    )


def rule_list(*, user: Any) -> QuerySet[IncentiveRule]:
    """The rules of the districts in the user's areas, and of the district above each of them
    (the PKB officer of a village reads the rules that pay its cadres)."""
    rules = scoped(user, IncentiveRule.objects.all(), Capability.VIEW_AGGREGATES)
    roots = scope_for(user).areas(Capability.VIEW_AGGREGATES)
    if roots and NATIONAL not in roots:
        above = {code for root in roots for code in ancestor_codes(root)}
        rules = rules | IncentiveRule.objects.filter(area_id__in=above)
    return rules.select_related("area").order_by("area_id", "role", "-valid_from")


def rule_get(*, user: Any, pk: int, capability: Capability = APPROVE) -> IncentiveRule:
    return get_object_or_404(
        scoped(user, IncentiveRule.objects.select_related("area"), capability), pk=pk
    )


def rule_in_use(rule: IncentiveRule) -> bool:
    """Whether an approved or paid revision pays by this rule (it can then no longer change)."""
    return IncentiveLine.objects.filter(CURRENT, rule=rule, batch__status__in=PAYABLE).exists()


def visits_to_verify(*, user: Any, village: Area, month: dt.date) -> QuerySet[FollowUp]:
    """The follow-ups recorded in ``month`` by the logins of the village's cadres, with their
    verification, for the supervisor to check."""
    first, last = month_start(month), month_end(month)
    accounts = Cadre.objects.filter(
        subtree_q("area_id", [village.code]), account__isnull=False
    ).values("account_id")
    follow_ups = scoped(user, FollowUp.objects.all(), SUPERVISE).filter(
        subtree_q("couple__wife__family__area_id", [village.code]),
        recorded_by_id__in=accounts,
        done_on__gte=first,
        done_on__lte=last,
    )
    return follow_ups.select_related(
        "couple__wife__family", "couple__husband", "recorded_by", "verified_by"
    ).order_by("done_on", "pk")


@dataclass
class IncentiveTotals:
    approved: int  # approved or paid, current revisions
    paid: int
    awaiting: int  # proposed, not yet decided
    cadres_paid: int


def totals(*, area_code: str, first: dt.date, last: dt.date) -> IncentiveTotals:
    """The incentive totals of the cadres of an area's subtree for months ``first``..``last``
    (unscoped aggregates; the caller checks the area)."""
    lines = IncentiveLine.objects.filter(
        CURRENT,
        subtree_q("batch__village_id", [area_code]),
        batch__month__gte=month_start(first),
        batch__month__lte=month_start(last),
    )
    figures = lines.aggregate(
        approved=Sum("total", filter=Q(batch__status__in=PAYABLE)),
        paid=Sum("total", filter=Q(batch__status__in=PAYABLE, paid_on__isnull=False)),
        awaiting=Sum("total", filter=Q(batch__status=BatchStatus.PROPOSED)),
        cadres_paid=Count("cadre", filter=Q(paid_on__isnull=False), distinct=True),
    )
    return IncentiveTotals(**{name: value or 0 for name, value in figures.items()})


def months_back(today: dt.date, count: int) -> tuple[dt.date, dt.date]:
    last = month_start(today)
    return add_months(last, -(count - 1)), last
