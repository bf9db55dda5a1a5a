"""Writes for contraceptive services: recording visits and keeping each couple's episodes of use
in step with its visits and the family register (``engine.build_episodes``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.contraception import engine
from kampungkb.contraception.errors import ContraceptionProblem
from kampungkb.contraception.models import (
    EndReason,
    Episode,
    Facility,
    FollowUp,
    FollowUpOutcome,
    Method,
    ServiceVisit,
    Verification,
    VisitKind,
)
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.hooks import area_changed, contraception_changing
from kampungkb.families.models import Couple, Person, Pregnancy
from kampungkb.families.selectors import years_before
from kampungkb.regions.models import Area


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
    # Episodes keep their rows (and ids) when their method and start are unchanged, so links to
    # them (follow-ups, API clients) survive a new visit; only episodes that no longer exist go.
    existing = {(e.method_id, e.started_on): e for e in Episode.objects.filter(couple=couple)}
    follow_ups = list(
        FollowUp.objects.filter(couple=couple, episode__isnull=False).select_related("episode")
    )
    followed = {f.pk: (f.episode.method_id, f.episode.started_on) for f in follow_ups if f.episode}
    fields = [
        "ended_on",
        "end_reason",
        "next_due_on",
        "overdue_from",
        "drop_out_on",
        "is_new_user",
        "is_switch",
        "is_postpartum",
    ]
    rows: list[Episode] = []
    for item in built:
        due = item.next_due_on
        grace_days = rules[item.method].grace_days
        values = {
            "ended_on": item.ended_on,
            "end_reason": item.end_reason.value if item.end_reason else "",
            "next_due_on": due,
            "overdue_from": due + dt.timedelta(days=grace_days + 1) if due else None,
            "drop_out_on": engine.drop_out_on(due, grace_days),
            "is_new_user": item.is_new_user,
            "is_switch": item.is_switch,
            "is_postpartum": item.is_postpartum,
        }
        row = existing.pop((item.method, item.started_on), None)
        if row is None:
            row = Episode(couple=couple, method_id=item.method, started_on=item.started_on)
        for name, value in values.items():
            setattr(row, name, value)
        rows.append(row)
    # Rows that no longer exist go first, and the kept ones are closed before any is opened, so
    # the one-open-episode constraint holds at every statement.
    ServiceVisit.objects.filter(couple=couple, episode__in=existing.values()).update(episode=None)
    Episode.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()
    kept = [row for row in rows if row.pk is not None]
    Episode.objects.bulk_update(sorted(kept, key=lambda r: r.ended_on is None), fields)
    Episode.objects.bulk_create([row for row in rows if row.pk is None])
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
    for follow_up in follow_ups:
        follow_up.episode = _same_episode(rows, *followed[follow_up.pk], follow_up.done_on)
    FollowUp.objects.bulk_update(follow_ups, ["episode"])
    return rows


def _same_episode(
    rows: list[Episode], method: str, started_on: dt.date, done_on: dt.date
) -> Episode | None:
    """The rebuilt episode a follow-up belongs to: the one of the same method and start, else the
    one of the same method that ran on the day of the follow-up."""
    for row in rows:
        if row.method_id == method and row.started_on == started_on:
            return row
    for row in rows:
        if (
            row.method_id == method
            and row.started_on <= done_on
            and (row.ended_on is None or done_on <= row.ended_on)
        ):
            return row
    return None


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
    # Announced before the write: the indicators take the couple's part of its village's
    # figures as they stand (decision 0038).
    contraception_changing(couple.wife.family.area_id, [couple.pk], visited_on)
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


# --- Facilities (faskes KB): kept by the officers who edit areas. ---


def _facility_save(facility: Facility) -> None:
    facility.full_clean(validate_constraints=False, validate_unique=False)
    if Facility.objects.filter(code=facility.code).exclude(pk=facility.pk).exists():
        raise ContraceptionProblem.FACILITY_CODE_DUPLICATE.on("code", code=facility.code)
    try:
        with transaction.atomic():
            facility.save()
    except IntegrityError as exc:
        # A concurrent write took the code between our check and the insert.
        raise ContraceptionProblem.FACILITY_CODE_DUPLICATE.on("code", code=facility.code) from exc


@transaction.atomic
def facility_create(
    *,
    code: str,
    name: str,
    kind: str,
    ownership: str,
    has_jkn_contract: bool,
    area: Area,
    actor: Any,
) -> Facility:
    ensure_can(actor, Capability.EDIT_AREAS, area.code)
    facility = Facility(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        ownership=ownership,
        has_jkn_contract=has_jkn_contract,
        area=area,
    )
    _facility_save(facility)
    audit_record(actor=actor, action="facility.create", instance=facility, area_code=area.code)
    return facility


@transaction.atomic
def facility_update(
    *,
    facility: Facility,
    name: str,
    kind: str,
    ownership: str,
    has_jkn_contract: bool,
    area: Area,
    actor: Any,
) -> Facility:
    """Change a facility's details; moving it needs the right in both the old and the new area."""
    ensure_can(actor, Capability.EDIT_AREAS, facility.area_id)
    ensure_can(actor, Capability.EDIT_AREAS, area.code)
    before = snapshot(facility)
    facility.name = name.strip()
    facility.kind = kind
    facility.ownership = ownership
    facility.has_jkn_contract = has_jkn_contract
    facility.area = area
    _facility_save(facility)
    audit_record(
        actor=actor,
        action="facility.update",
        instance=facility,
        area_code=area.code,
        before=before,
    )
    return facility


@transaction.atomic
def facility_deactivate(*, facility: Facility, actor: Any) -> Facility:
    """Take a facility out of use. Kept, not deleted: past visits still name it."""
    ensure_can(actor, Capability.EDIT_AREAS, facility.area_id)
    if not facility.is_active:
        raise ContraceptionProblem.FACILITY_INACTIVE.on("facility", facility=facility.name)
    before = snapshot(facility)
    facility.is_active = False
    facility.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="facility.deactivate",
        instance=facility,
        area_code=facility.area_id,
        before=before,
    )
    return facility


# --- The method catalogue: data an administrator may edit (decision 0010). ---

METHOD_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "grace_days",
        "protection_days",
        "days_per_unit",
        "first_check_days",
        "check_interval_days",
        "cyp_per_unit",
        "requires_consent",
        "is_active",
        "sort_order",
    }
)
# Fields that move due dates, overdue and drop-out days: a change rebuilds the open episodes.
METHOD_DUE_FIELDS = frozenset(
    {"grace_days", "protection_days", "days_per_unit", "first_check_days", "check_interval_days"}
)


@transaction.atomic
def method_update(*, method: Method, actor: Any, **fields: Any) -> Method:
    """Edit a catalogue entry (administrators only). A change to the due rules rebuilds the
    episodes of every couple now using the method, so due lists follow at once."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise Http404
    unknown = set(fields) - METHOD_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"method_update() cannot change {', '.join(sorted(unknown))}")
    before = snapshot(method)
    for name, value in fields.items():
        setattr(method, name, value.strip() if isinstance(value, str) else value)
    method.full_clean()
    method.save()
    after = snapshot(method)
    audit_record(actor=actor, action="method.update", instance=method, before=before, after=after)
    if any(before[name] != after[name] for name in METHOD_DUE_FIELDS):
        rules = method_rules()
        couples = Couple.objects.select_related("wife__family").filter(
            episodes__method=method, episodes__ended_on__isnull=True
        )
        for couple in couples.distinct():
            episodes_rebuild(couple=couple, rules=rules)
            area_changed(couple.wife.family.area_id, None)
    return method


# --- Follow-ups by the cadre of couples due, overdue or dropped out. ---


@transaction.atomic
def followup_record(
    *,
    couple: Couple,
    episode: Episode | None,
    done_on: dt.date,
    outcome: str,
    barrier: str = "",
    note: str = "",
    actor: Any,
) -> FollowUp:
    """Record a home visit or contact about a due date. "moved" and "died" are only noted here;
    the register itself changes through the families services."""
    ensure_can(actor, Capability.EDIT_REGISTER, couple.wife.family.area_id)
    if done_on > _today():
        raise ContraceptionProblem.FOLLOW_UP_DATE_IN_FUTURE.on("done_on")
    if episode is not None and episode.couple_id != couple.pk:
        raise ContraceptionProblem.EPISODE_OTHER_COUPLE.on("episode")
    if outcome == FollowUpOutcome.REFUSED and not barrier:
        raise ContraceptionProblem.BARRIER_REQUIRED.on("barrier")
    if barrier and outcome != FollowUpOutcome.REFUSED:
        raise ContraceptionProblem.BARRIER_NOT_ALLOWED.on("barrier")
    follow_up = FollowUp(
        couple=couple,
        episode=episode,
        due_on=episode.next_due_on if episode is not None else None,
        done_on=done_on,
        outcome=outcome,
        barrier=barrier,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    # Unknown outcomes and barriers are refused by full_clean (the fields' choices).
    follow_up.full_clean(exclude=["couple", "episode", "recorded_by"])
    follow_up.save()
    # Follow-ups count in the participation index (acceptance, on-time follow-up, active cadres).
    area_changed(couple.wife.family.area_id, done_on)
    audit_record(
        actor=actor,
        action="followup.record",
        instance=follow_up,
        area_code=couple.wife.family.area_id,
    )
    return follow_up


@transaction.atomic
def followups_verify(
    *, follow_ups: Sequence[FollowUp], verification: str, actor: Any, note: str = ""
) -> int:
    """A supervisor verifies (or rejects, with a reason) cadres' home visits, the records an
    incentive is paid for (decision 0028). Nobody verifies a visit they recorded. All or none:
    one refused visit writes nothing. Returns how many changed."""
    if not follow_ups:
        raise ContraceptionProblem.NOTHING_TO_VERIFY.on("follow_ups")
    if verification not in (Verification.VERIFIED, Verification.REJECTED):
        raise ContraceptionProblem.VERIFICATION_UNKNOWN.on("verification")
    note = note.strip()
    if verification == Verification.REJECTED and not note:
        raise ContraceptionProblem.VERIFICATION_REASON_REQUIRED.on("note")
    now = timezone.now()
    changed = 0
    for follow_up in follow_ups:
        area_code = follow_up.couple.wife.family.area_id
        ensure_can(actor, Capability.SUPERVISE_CADRES, area_code)
        if follow_up.recorded_by_id is not None and follow_up.recorded_by_id == getattr(
            actor, "pk", None
        ):
            raise ContraceptionProblem.VERIFY_OWN_VISIT.error()
        if follow_up.verification == verification and follow_up.verification_note == note:
            continue
        before = snapshot(follow_up)
        follow_up.verification = verification
        follow_up.verification_note = note if verification == Verification.REJECTED else ""
        follow_up.verified_by = actor if getattr(actor, "pk", None) else None
        follow_up.verified_at = now
        follow_up.save(
            update_fields=[
                "verification",
                "verification_note",
                "verified_by",
                "verified_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=f"followup.{'verify' if verification == Verification.VERIFIED else 'reject'}",
            instance=follow_up,
            area_code=area_code,
            before=before,
        )
        changed += 1
    return changed
