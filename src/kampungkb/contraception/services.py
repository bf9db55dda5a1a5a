"""Writes for contraceptive services: recording visits and keeping each couple's episodes of use
in step with its visits and the family register (``engine.build_episodes``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.contraception import engine
from kampungkb.contraception.errors import ContraceptionProblem
from kampungkb.contraception.models import (
    EndReason,
    Episode,
    Facility,
    Method,
    ServiceVisit,
    VisitKind,
)
from kampungkb.core.audit import audit_record
from kampungkb.families.models import Couple, Person, Pregnancy
from kampungkb.families.selectors import years_before


def _today() -> dt.date:
    return timezone.localdate()


def method_rules() -> dict[str, engine.MethodRule]:
    return {method.code: method.rule() for method in Method.objects.all()}


def fiftieth_birthday(birth_date: dt.date) -> dt.date:
    """The first day on which a woman born on ``birth_date`` is 50 (29 February: 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + 50)
    except ValueError:
        return dt.date(birth_date.year + 50, 3, 1)


def life_events(couple: Couple) -> engine.LifeEvents:
    """What the register knows about the couple that ends or resets use of a method."""
    pregnancies = list(
        Pregnancy.objects.filter(couple=couple).values("recorded_on", "ended_on", "outcome")
    )
    births = {p["ended_on"] for p in pregnancies if p["ended_on"] and p["outcome"]}
    births |= set(
        Person.objects.filter(mother_id=couple.wife_id).values_list("birth_date", flat=True)
    )
    return engine.LifeEvents(
        births=tuple(sorted(births)),
        pregnancies=tuple(sorted(p["recorded_on"] for p in pregnancies)),
        marriage_ended_on=couple.ended_on,
        wife_fifty_on=fiftieth_birthday(couple.wife.birth_date),
    )


def _engine_visits(visits: Iterable[ServiceVisit]) -> list[engine.Visit]:
    return [
        engine.Visit(
            key=v.pk,
            on=v.visited_on,
            kind=engine.VisitKind(v.kind),
            method=v.method_id,
            quantity=v.quantity,
            stop_reason=engine.EndReason(v.stop_reason) if v.stop_reason else None,
        )
        for v in visits
    ]


def couple_episodes(
    couple: Couple,
    *,
    as_of: dt.date | None = None,
    rules: dict[str, engine.MethodRule] | None = None,
) -> list[engine.Episode]:
    """The couple's episodes computed afresh from its visits and the register."""
    rules = rules or method_rules()
    visits = list(ServiceVisit.objects.filter(couple=couple))
    return engine.build_episodes(
        _engine_visits(visits), rules, life_events(couple), as_of=as_of or _today()
    )


@transaction.atomic
def episodes_rebuild(
    *,
    couple: Couple,
    as_of: dt.date | None = None,
    rules: dict[str, engine.MethodRule] | None = None,
) -> list[Episode]:
    """Replace the couple's stored episodes (derived rows) with those its visits make today, and
    mark each visit with its episode, due date and post-partum flag."""
    rules = rules or method_rules()
    visits = list(ServiceVisit.objects.filter(couple=couple))
    life = life_events(couple)
    built = engine.build_episodes(_engine_visits(visits), rules, life, as_of=as_of or _today())
    ServiceVisit.objects.filter(couple=couple).update(episode=None)
    Episode.objects.filter(couple=couple).delete()
    rows: list[Episode] = []
    for item in built:
        grace = dt.timedelta(days=rules[item.method].grace_days)
        due = item.next_due_on
        rows.append(
            Episode(
                couple=couple,
                method_id=item.method,
                started_on=item.started_on,
                ended_on=item.ended_on,
                end_reason=item.end_reason.value if item.end_reason else "",
                next_due_on=due,
                overdue_from=due + grace + dt.timedelta(days=1) if due else None,
                drop_out_on=engine.drop_out_on(due, rules[item.method].grace_days),
                is_new_user=item.is_new_user,
                is_switch=item.is_switch,
                is_postpartum=item.is_postpartum,
            )
        )
    Episode.objects.bulk_create(rows)
    placed: dict[int, tuple[Episode, dt.date | None]] = {}
    for row, item in zip(rows, built, strict=True):
        for coverage in item.coverage:
            placed[coverage.visit] = (row, coverage.due_on)
    births = sorted(life.births)
    for visit in visits:
        episode, due = placed.get(visit.pk, (None, None))
        visit.episode = episode
        visit.due_on = due
        visit.is_postpartum = any(
            b <= visit.visited_on <= b + dt.timedelta(days=engine.POSTPARTUM_DAYS) for b in births
        )
    ServiceVisit.objects.bulk_update(visits, ["episode", "due_on", "is_postpartum"])
    return rows


def episodes_rebuild_couples(couple_ids: list[int]) -> None:
    """The ``core.hooks`` listener: rebuild the episodes of couples whose register changed."""
    rules = method_rules()
    for couple in (
        Couple.objects.select_related("wife")
        .filter(pk__in=couple_ids, visits__isnull=False)
        .distinct()
    ):
        episodes_rebuild(couple=couple, rules=rules)


def _in_use_on(couple: Couple, method: Method, on: dt.date) -> bool:
    for episode in couple_episodes(couple, as_of=max(on, _today())):
        if episode.covers(on) or episode.ended_on == on:
            return episode.method == method.code
    return False


@transaction.atomic
def visit_record(
    *,
    couple: Couple,
    visited_on: dt.date,
    method: Method,
    kind: str,
    quantity: int = 1,
    facility: Facility | None = None,
    provider: str = "",
    consent_recorded: bool = False,
    stop_reason: str = "",
    notes: str = "",
    actor: Any,
) -> ServiceVisit:
    """Record a service visit and bring the couple's episodes of use up to date."""
    ensure_can(actor, Capability.EDIT_REGISTER, couple.wife.family.area_id)
    kind = VisitKind(kind)
    if visited_on > _today():
        raise ContraceptionProblem.DATE_IN_FUTURE.on("visited_on")
    if not couple.is_married_on(visited_on):
        raise ContraceptionProblem.NOT_MARRIED_ON_DATE.on("visited_on", date=visited_on.isoformat())
    if couple.wife.died_on is not None and couple.wife.died_on <= visited_on:
        raise ContraceptionProblem.WIFE_NOT_ALIVE.on("visited_on", date=visited_on.isoformat())
    if not method.is_active:
        raise ContraceptionProblem.METHOD_INACTIVE.on("method", method=method.name)
    if facility is not None and not facility.is_active:
        raise ContraceptionProblem.FACILITY_INACTIVE.on("facility", facility=facility.name)
    starts = kind in (VisitKind.START, VisitKind.SWITCH)
    if method.requires_consent and starts and not consent_recorded:
        raise ContraceptionProblem.CONSENT_REQUIRED.on("consent_recorded", method=method.name)
    if stop_reason and kind not in (VisitKind.REMOVAL, VisitKind.COMPLICATION):
        raise ContraceptionProblem.STOP_REASON_NOT_ALLOWED.on("stop_reason")
    if kind in (VisitKind.REMOVAL, VisitKind.COMPLICATION, VisitKind.FAILURE) and not _in_use_on(
        couple, method, visited_on
    ):
        raise ContraceptionProblem.METHOD_NOT_IN_USE.on(
            "method", date=visited_on.isoformat(), method=method.name
        )
    visit = ServiceVisit(
        couple=couple,
        visited_on=visited_on,
        method=method,
        kind=kind,
        quantity=quantity,
        facility=facility,
        provider=provider.strip(),
        consent_recorded=consent_recorded,
        stop_reason=EndReason(stop_reason) if stop_reason else "",
        notes=notes.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    visit.full_clean(exclude=["couple", "method", "facility", "recorded_by", "episode"])
    visit.save()
    episodes_rebuild(couple=couple)
    visit.refresh_from_db()
    audit_record(
        actor=actor, action="visit.record", instance=visit, area_code=couple.wife.family.area_id
    )
    return visit


def couple_status_on(couple: Couple, on: dt.date) -> engine.StatusOn:
    """The couple's one status on a date: user of a method (overdue or not), or a non-user and
    why (pregnant, wants a child soon, IAT, TIAL, unknown)."""
    rules = method_rules()
    episodes = couple_episodes(couple, as_of=max(on, _today()), rules=rules)
    pregnant = (
        Pregnancy.objects.filter(couple=couple, recorded_on__lte=on)
        .exclude(ended_on__lte=on)
        .exists()
    )
    return engine.status_on(
        episodes, rules, on, pregnant=pregnant, intention=couple.fertility_intention
    )


@transaction.atomic
def episodes_refresh(*, as_of: dt.date | None = None) -> int:
    """Close the open episodes that time alone has ended by ``as_of``: drop-outs and wives who
    turned 50. Run daily (``kampungkb contraception refresh``). Returns the couples rebuilt."""
    as_of = as_of or _today()
    stale = Episode.objects.filter(ended_on__isnull=True).filter(
        Q(drop_out_on__lte=as_of) | Q(couple__wife__birth_date__lte=years_before(as_of, 50))
    )
    couple_ids = sorted(set(stale.values_list("couple_id", flat=True)))
    rules = method_rules()
    for couple in Couple.objects.select_related("wife").filter(pk__in=couple_ids):
        episodes_rebuild(couple=couple, as_of=as_of, rules=rules)
    return len(couple_ids)
