"""The demo's incentive cycle (decision 0028): Lombok Timur pays its cadres an incentive, and the
demo shows one monthly cycle of it. The ``kader`` login is Tumbuh Mulia's PPKBD, whose home
visits of the last two months the ``pkb`` officer verified (a few still wait, one was
rejected), one of them a referral that became a new user; last month's proposal of Tumbuh
Mulia was proposed by ``pkb``, approved and paid by ``dinas``, that of Dasan Borok (whose PPKBD
has no login) waits for ``dinas`` to approve it, and this month's is a draft.

Everything is written through the services (the incentive rule, the follow-ups and their
verification, the new user's visit, the proposals), so their audit events are the real ones.
``incentives_seed`` is called by ``programme_seed`` once the cadres and their meetings exist
(the proposals count them) and records what it wrote in the ``ProgrammeIds`` lists named by
``IncentiveIds``; ``IncentiveRows`` removes it again on reset. SYNTHETIC and seeded: the same
seed and day give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Model, Q
from django.utils import timezone

from kampungkb.accounts.models import User
from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.cadres.incentives_selectors import payable_lines
from kampungkb.cadres.incentives_services import (
    RuleData,
    batch_approve,
    batch_compute,
    batch_propose,
    lines_mark_paid,
    rule_create,
)
from kampungkb.cadres.models import Cadre, CadreRole, IncentiveBatch, IncentiveLine, IncentiveRule
from kampungkb.cadres.selectors import account_choices
from kampungkb.cadres.services import CadreData, cadre_register
from kampungkb.contraception.models import (
    Episode,
    FollowUp,
    FollowUpOutcome,
    Method,
    ServiceVisit,
    Verification,
    VisitKind,
)
from kampungkb.contraception.services import (
    followup_record,
    followups_verify,
    life_events,
    visit_record,
)
from kampungkb.core.periods import add_months, month_end, month_start, months
from kampungkb.families.models import Couple, CoupleStatus, Person, Pregnancy
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

# The programme's places too (``programme`` imports them from here: this module is below it).
TUMBUH_MULIA = "52.03.13.2007"
LOMBOK_TIMUR = "52.03"

CADRE_LOGIN = "kader"  # the demo's cadre login: Tumbuh Mulia's PPKBD
MAKERS = ("pkb", "admin")  # who verifies the visits and proposes (the first who may)
CHECKERS = ("dinas", "admin")  # who approves and pays (the first who may, not the maker)
DASAN_BOROK = "52.03.13.2008"  # a second village of the demo PKB officer, in Suralaga
VISIT_NOTES = (
    "Mengingatkan jadwal suntik ulang",
    "Konseling metode jangka panjang (MKJP)",
    "Menanyakan keluhan efek samping pil",
    "Mengantar kartu kunjungan dari bidan desa",
)


class IncentiveIds(Protocol):
    """Where the cycle lists what it wrote, for the reset: the lists of ``ProgrammeIds`` of
    these names (the demo seed's audit event keeps them in one record)."""

    cadres: list[int]
    incentive_rules: list[int]
    incentive_batches: list[int]
    follow_ups: list[int]
    service_visits: list[int]


def _last_and_this_month(today: dt.date) -> list[dt.date]:
    return months(add_months(month_start(today), -1), today)


def cadre_login(user_id: int | None, village: str) -> User | None:
    """The demo's cadre login, if it is a cadre account working in the village (an existing
    user of that name elsewhere is left alone)."""
    if user_id is None:
        return None
    area = Area.objects.get(code=village)
    return account_choices(area=area).filter(pk=user_id).first()


def _user_who(
    user_ids: dict[str, int], logins: tuple[str, ...], capability: Capability, other_than: Any
) -> User | None:
    """The first of ``logins`` who holds ``capability`` in Tumbuh Mulia, other than
    ``other_than`` (four eyes)."""
    for login in logins:
        pk = user_ids.get(login)
        user = User.objects.filter(pk=pk).first() if pk is not None else None
        if user is None or user == other_than:
            continue
        if scope_for(user).can(capability, TUMBUH_MULIA):
            return user
    return None


def _days(month: dt.date, today: dt.date, count: int, rng: random.Random) -> list[dt.date]:
    """``count`` seeded days of ``month`` up to ``today``."""
    span = (min(month_end(month), today) - month).days + 1
    return sorted(month + dt.timedelta(days=rng.randrange(span)) for _ in range(count))


def _couples(village: str, family_ids: list[int], today: dt.date) -> list[Couple]:
    """The demo's PUS of the village, by id."""
    couples = (
        Couple.objects.filter(
            subtree_q("wife__family__area_id", [village]),
            wife__family_id__in=family_ids,
            status=CoupleStatus.MARRIED,
        )
        .select_related("wife__family")
        .order_by("pk")
    )
    return [c for c in couples if c.is_pus_on(today)]


def _new_user_on(couples: list[Couple], on: dt.date) -> Couple | None:
    """A couple for whom a method started on ``on`` makes a new user: not pregnant, using
    nothing, and never a user before or not since a birth (DOMAIN.md section 4). Those who
    never used come first."""
    ids = [c.pk for c in couples]
    pregnant = set(
        Pregnancy.objects.filter(couple_id__in=ids, ended_on__isnull=True).values_list(
            "couple_id", flat=True
        )
    )
    using: set[int] = set()
    last_end: dict[int, dt.date] = {}
    for couple_id, ended in Episode.objects.filter(couple_id__in=ids).values_list(
        "couple_id", "ended_on"
    ):
        if ended is None or ended >= on:
            using.add(couple_id)
        else:
            last_end[couple_id] = max(ended, last_end.get(couple_id, ended))
    free = [c for c in couples if c.pk not in pregnant | using]
    for couple in sorted(free, key=lambda c: c.pk in last_end):
        ended = last_end.get(couple.pk)
        if ended is None or any(ended <= b <= on for b in life_events(couple).births):
            return couple
    return None


def _home_visits(
    ids: IncentiveIds,
    *,
    kader: User,
    maker: User,
    today: dt.date,
    family_ids: list[int],
    rng: random.Random,
) -> None:
    """The cadre's home visits of last month (eight couples; all but two verified: one waits,
    one was rejected) and of this month (five; half verified), and a referral last month that
    became a new user (a 3-monthly injection five days later). A small village has fewer."""
    last_month, this_month = _last_and_this_month(today)
    couples = _couples(TUMBUH_MULIA, family_ids, today)
    referred_on = last_month + dt.timedelta(days=rng.randint(2, 7))
    started_on = referred_on + dt.timedelta(days=5)
    referred = _new_user_on(couples, started_on)
    visited = [c for c in couples if c != referred]
    verified: list[FollowUp] = []
    pending: list[FollowUp] = []
    rejected: list[FollowUp] = []
    for month, count in ((last_month, 8), (this_month, 5)):
        chosen = rng.sample(visited, min(count, len(visited)))
        days = _days(month, today, len(chosen), rng)
        recorded = [
            followup_record(
                couple=couple,
                episode=None,
                done_on=day,
                outcome=FollowUpOutcome.VISITED,
                note=rng.choice(VISIT_NOTES),
                actor=kader,
            )
            for couple, day in zip(chosen, days, strict=True)
        ]
        if month == last_month:
            checked = recorded[:-2]
            rejected += recorded[-2:-1]
            pending += recorded[-1:]
        else:
            half = (len(recorded) + 1) // 2
            checked, pending = recorded[:half], pending + recorded[half:]
        verified += checked
    if referred is not None:
        referral = followup_record(
            couple=referred,
            episode=None,
            done_on=referred_on,
            outcome=FollowUpOutcome.REFERRED,
            note="Dirujuk ke bidan desa untuk suntik KB",
            actor=kader,
        )
        verified.append(referral)
        visit = visit_record(
            couple=referred,
            visited_on=started_on,
            method=Method.objects.get(pk="SUNTIK3"),
            kind=VisitKind.START,
            provider="Bidan desa",
            consent_recorded=True,
            actor=None,
        )
        ids.service_visits.append(visit.pk)
    if verified:
        followups_verify(follow_ups=verified, verification=Verification.VERIFIED, actor=maker)
    if rejected:
        followups_verify(
            follow_ups=rejected,
            verification=Verification.REJECTED,
            note="Keluarga tidak di rumah saat dicek ulang",
            actor=maker,
        )
    ids.follow_ups += [f.pk for f in (*verified, *rejected, *pending)]


def _second_ppkbd(today: dt.date, family_ids: list[int]) -> Cadre | None:
    """Dasan Borok's PPKBD (no login): her village's proposal holds her base honorarium."""
    village = Area.objects.get(code=DASAN_BOROK)
    born_after = today.replace(year=today.year - 56)
    born_by = today.replace(year=today.year - 20)
    person = (
        Person.objects.filter(
            subtree_q("family__area_id", [DASAN_BOROK]),
            family_id__in=family_ids,
            sex="F",
            is_active=True,
            died_on__isnull=True,
            birth_date__gt=born_after,
            birth_date__lte=born_by,
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        return None
    started = today.replace(year=today.year - 2, day=1)
    return cadre_register(
        person=person,
        data=CadreData(
            role=CadreRole.PPKBD,
            area=village,
            started_on=started,
            decree_number=f"474/021/DS/{started.year}",
            decree_date=started,
        ),
        actor=None,
    )


def incentives_seed(
    ids: IncentiveIds,
    *,
    today: dt.date,
    user_ids: dict[str, int],
    family_ids: list[int],
    rng: random.Random,
) -> None:
    """Lombok Timur's incentive rule and one monthly cycle (see the module). Skipped when the
    cadre login, a maker or a checker is missing (demo names taken by other users)."""
    kader = cadre_login(user_ids.get(CADRE_LOGIN), TUMBUH_MULIA)
    maker = _user_who(user_ids, MAKERS, Capability.SUPERVISE_CADRES, None)
    checker = _user_who(user_ids, CHECKERS, Capability.APPROVE_INCENTIVES, maker)
    if kader is None or maker is None or checker is None:
        return
    last_month, this_month = _last_and_this_month(today)
    district = Area.objects.get(code=LOMBOK_TIMUR)
    if not IncentiveRule.objects.filter(area=district).exists():
        rule = rule_create(
            data=RuleData(
                area=district,
                valid_from=add_months(this_month, -12),
                base_honorarium=150_000,
                per_home_visit=10_000,
                per_referral=25_000,
                per_meeting=20_000,
                per_training=50_000,
                max_home_visits=20,
                max_total=500_000,
                note="Perbup Lombok Timur tentang insentif kader KB (contoh demo)",
            ),
            actor=checker,
        )
        ids.incentive_rules.append(rule.pk)
    _home_visits(ids, kader=kader, maker=maker, today=today, family_ids=family_ids, rng=rng)
    second = _second_ppkbd(today, family_ids)
    if second is not None:
        ids.cadres.append(second.pk)
    taken = set(IncentiveBatch.objects.values_list("village_id", "month"))

    def compute(village: str, month: dt.date) -> IncentiveBatch | None:
        if (village, month) in taken:
            return None
        area = Area.objects.get(code=village)
        batch = batch_compute(village=area, month=month, actor=maker)
        ids.incentive_batches.append(batch.pk)
        return batch

    paid = compute(TUMBUH_MULIA, last_month)
    if paid is not None and paid.total:
        paid = batch_approve(batch=batch_propose(batch=paid, actor=maker), actor=checker)
        lines_mark_paid(
            batch=paid,
            lines=list(payable_lines(paid)),
            paid_on=timezone.localdate(),
            reference=f"TRF/{last_month:%m%Y}/TUMBUH-MULIA",
            actor=checker,
        )
    if second is not None:
        waiting = compute(DASAN_BOROK, last_month)
        if waiting is not None and waiting.total:
            batch_propose(batch=waiting, actor=maker)
    compute(TUMBUH_MULIA, this_month)  # a draft: the month is not over


# --- reset --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncentiveRows:
    """The rows of the demo's incentive cycle, read before ``programme_reset`` deletes anything:
    ``audited()`` for their audit events, ``delete()`` for the rows themselves."""

    batches: list[int]
    lines: list[int]
    rules: list[int]
    follow_ups: list[int]
    service_visits: list[int]

    def audited(self) -> list[tuple[type[Model], list[int]]]:
        return [
            (IncentiveBatch, self.batches),
            (IncentiveLine, self.lines),
            (IncentiveRule, self.rules),
            (FollowUp, self.follow_ups),
            (ServiceVisit, self.service_visits),
        ]

    def delete(self) -> None:
        # A batch takes its lines, their items and its events with it.
        IncentiveBatch.objects.filter(pk__in=self.batches).delete()
        IncentiveRule.objects.filter(pk__in=self.rules, lines__isnull=True).delete()
        FollowUp.objects.filter(pk__in=self.follow_ups).delete()
        ServiceVisit.objects.filter(pk__in=self.service_visits).delete()


def incentive_rows(ids: IncentiveIds) -> IncentiveRows:
    """What ``incentives_seed`` wrote, and the proposals since computed for the demo's cadres
    (their lines protect them)."""
    batches = IncentiveBatch.objects.filter(
        Q(pk__in=ids.incentive_batches) | Q(lines__cadre_id__in=ids.cadres)
    ).distinct()
    batch_ids = list(batches.values_list("pk", flat=True))
    lines = IncentiveLine.objects.filter(batch_id__in=batch_ids)
    return IncentiveRows(
        batches=batch_ids,
        lines=list(lines.values_list("pk", flat=True)),
        rules=ids.incentive_rules,
        follow_ups=ids.follow_ups,
        service_visits=ids.service_visits,
    )
