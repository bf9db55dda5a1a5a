"""Writes of the incentive ledger (decision 0028): the district's rules, and each village's monthly
proposal through its maker-checker cycle.

    draft --propose--> proposed --approve--> approved --pay (every line)--> paid
      ^                   |                     |
      +-----return--------+                     |
      +-------------reopen (new revision)-------+

The PKB officer (``Capability.SUPERVISE_CADRES``) computes, proposes and reopens; a district
officer (``Capability.APPROVE_INCENTIVES``) who did not propose approves or returns it with a
reason and records payments. The amounts are never typed: ``compute`` derives them from the
verified records, and proposing or approving is refused when the records changed since they were
stored. Each write is keyword-only, in one transaction, checked before anything is written, and
leaves an event on the batch and an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.cadres import incentives_selectors as selectors
from kampungkb.cadres.errors import CadreProblem
from kampungkb.cadres.models import (
    BatchAction,
    BatchStatus,
    IncentiveBatch,
    IncentiveEvent,
    IncentiveItem,
    IncentiveLine,
    IncentiveRule,
)
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.periods import month_end, month_start
from kampungkb.regions.models import Area, Level

SUPERVISE = Capability.SUPERVISE_CADRES
APPROVE = Capability.APPROVE_INCENTIVES


def _today() -> dt.date:
    return timezone.localdate()


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _status_label(batch: IncentiveBatch) -> str:
    return str(BatchStatus(batch.status).label).lower()


def _event(batch: IncentiveBatch, action: str, actor: Any, reason: str = "") -> None:
    IncentiveEvent.objects.create(
        batch=batch,
        revision=batch.revision,
        action=action,
        total=batch.total,
        reason=reason,
        actor=_user_or_none(actor),
        at=timezone.now(),
    )


def _audit(batch: IncentiveBatch, action: str, actor: Any, before: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=f"incentive.{action}",
        instance=batch,
        area_code=batch.village_id,
        before=before,
    )


# -- Rules ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleData:
    area: Area
    valid_from: dt.date
    role: str = ""
    base_honorarium: int = 0
    per_home_visit: int = 0
    per_referral: int = 0
    per_meeting: int = 0
    per_training: int = 0
    max_home_visits: int | None = None
    max_referrals: int | None = None
    max_total: int | None = None
    referral_window_days: int = 90
    note: str = ""


def _rule_fill(rule: IncentiveRule, data: RuleData) -> None:
    if data.area.level != Level.REGENCY:
        raise CadreProblem.RULE_AREA_LEVEL.on("area")
    valid_from = month_start(data.valid_from)
    clash = IncentiveRule.objects.filter(area=data.area, role=data.role, valid_from=valid_from)
    if clash.exclude(pk=rule.pk).exists():
        raise CadreProblem.RULE_EXISTS.on("valid_from", month=valid_from.strftime("%m-%Y"))
    for name, value in vars(data).items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    rule.valid_from = valid_from
    rule.full_clean(validate_constraints=False)


@transaction.atomic
def rule_create(*, data: RuleData, actor: Any) -> IncentiveRule:
    """Set the rates a district pays from a month on (for one role, or every role)."""
    ensure_can(actor, APPROVE, data.area.code)
    rule = IncentiveRule(recorded_by=_user_or_none(actor))
    _rule_fill(rule, data)
    rule.save()
    audit_record(actor=actor, action="incentive_rule.create", instance=rule, area_code=rule.area_id)
    return rule


@transaction.atomic
def rule_update(*, rule: IncentiveRule, data: RuleData, actor: Any) -> IncentiveRule:
    """Correct a rule no approved incentive pays by yet (after that, set a new rule)."""
    ensure_can(actor, APPROVE, rule.area_id)
    ensure_can(actor, APPROVE, data.area.code)
    if selectors.rule_in_use(rule):
        raise CadreProblem.RULE_IN_USE.error()
    before = snapshot(rule)
    _rule_fill(rule, data)
    rule.save()
    audit_record(
        actor=actor,
        action="incentive_rule.update",
        instance=rule,
        area_code=rule.area_id,
        before=before,
    )
    return rule


# -- The monthly proposal ---------------------------------------------------------------------------


def _store(batch: IncentiveBatch, computation: selectors.Computation) -> None:
    """Write the computation as the batch's current revision (replacing that revision's lines)."""
    batch.lines.filter(revision=batch.revision).delete()
    for draft in computation.lines:
        line = IncentiveLine.objects.create(
            batch=batch,
            revision=batch.revision,
            cadre=draft.cadre,
            rule=draft.rule,
            home_visits=draft.count("home_visit"),
            referrals=draft.count("referral"),
            meetings=draft.count("meeting"),
            trainings=draft.count("training"),
            base_amount=draft.amount("base"),
            visits_amount=draft.amount("home_visit"),
            referrals_amount=draft.amount("referral"),
            meetings_amount=draft.amount("meeting"),
            trainings_amount=draft.amount("training"),
            capped_amount=draft.capped,
            total=draft.total,
        )
        IncentiveItem.objects.bulk_create(
            IncentiveItem(
                line=line,
                kind=item.kind,
                on=item.on,
                amount=item.amount,
                counted=item.counted,
                follow_up_id=item.follow_up_id,
                episode_id=item.episode_id,
                activity_id=item.activity_id,
                source=item.source,
            )
            for item in draft.items
        )
    batch.total = computation.total
    batch.computed_at = timezone.now()


@transaction.atomic
def batch_compute(*, village: Area, month: dt.date, actor: Any) -> IncentiveBatch:
    """Compute (or compute again) a village's incentives of a month from the verified records.
    A draft or a returned proposal only; an approved one is reopened first."""
    if village.level != Level.VILLAGE:
        raise CadreProblem.INCENTIVE_VILLAGE_LEVEL.on("village")
    ensure_can(actor, SUPERVISE, village.code)
    month = month_start(month)
    if month > month_start(_today()):
        raise CadreProblem.INCENTIVE_MONTH_IN_FUTURE.on("month")
    batch = IncentiveBatch.objects.select_for_update().filter(village=village, month=month).first()
    before: dict[str, Any] = {}
    if batch is None:
        batch = IncentiveBatch(village=village, month=month, computed_at=timezone.now())
        batch.save()
    else:
        if batch.status not in (BatchStatus.DRAFT, BatchStatus.RETURNED):
            raise CadreProblem.INCENTIVE_LOCKED.error(status=_status_label(batch))
        before = snapshot(batch)
    _store(batch, selectors.compute(village=village, month=month))
    batch.save()
    _event(batch, BatchAction.COMPUTED, actor)
    _audit(batch, "compute", actor, before)
    return batch


def _locked(batch: IncentiveBatch) -> IncentiveBatch:
    return IncentiveBatch.objects.select_for_update().select_related("village").get(pk=batch.pk)


def _ensure_fresh(batch: IncentiveBatch) -> None:
    drift = selectors.batch_drift(batch)
    if drift is not None:
        raise CadreProblem.INCENTIVE_STALE.error(
            fresh=_rupiah(drift.fresh_total), stored=_rupiah(drift.stored_total)
        )


@transaction.atomic
def batch_propose(*, batch: IncentiveBatch, actor: Any) -> IncentiveBatch:
    """The PKB officer proposes the computed incentives of a month that is over."""
    batch = _locked(batch)
    ensure_can(actor, SUPERVISE, batch.village_id)
    if batch.status not in (BatchStatus.DRAFT, BatchStatus.RETURNED):
        raise CadreProblem.INCENTIVE_NOT_PROPOSABLE.error(status=_status_label(batch))
    if month_end(batch.month) >= _today():
        raise CadreProblem.INCENTIVE_MONTH_NOT_OVER.error(month=batch.month.strftime("%m-%Y"))
    if not batch.lines.filter(revision=batch.revision).exists():
        raise CadreProblem.INCENTIVE_EMPTY.error()
    _ensure_fresh(batch)
    before = snapshot(batch)
    batch.status = BatchStatus.PROPOSED
    batch.proposed_by = _user_or_none(actor)
    batch.proposed_at = timezone.now()
    batch.decided_by = None
    batch.decided_at = None
    batch.return_reason = ""
    batch.save()
    _event(batch, BatchAction.PROPOSED, actor)
    _audit(batch, "propose", actor, before)
    return batch


def _check_decider(batch: IncentiveBatch, actor: Any) -> None:
    ensure_can(actor, APPROVE, batch.village_id)
    if batch.status != BatchStatus.PROPOSED:
        raise CadreProblem.INCENTIVE_NOT_PROPOSED.error(status=_status_label(batch))
    if batch.proposed_by_id is not None and batch.proposed_by_id == getattr(actor, "pk", None):
        raise CadreProblem.INCENTIVE_FOUR_EYES.error()


@transaction.atomic
def batch_return(*, batch: IncentiveBatch, reason: str, actor: Any) -> IncentiveBatch:
    """The district returns a proposal to the PKB officer, saying why."""
    batch = _locked(batch)
    _check_decider(batch, actor)
    reason = reason.strip()
    if not reason:
        raise CadreProblem.INCENTIVE_REASON_REQUIRED.on("reason")
    before = snapshot(batch)
    batch.status = BatchStatus.RETURNED
    batch.decided_by = _user_or_none(actor)
    batch.decided_at = timezone.now()
    batch.return_reason = reason[:300]
    batch.save()
    _event(batch, BatchAction.RETURNED, actor, reason[:300])
    _audit(batch, "return", actor, before)
    return batch


@transaction.atomic
def batch_approve(*, batch: IncentiveBatch, actor: Any) -> IncentiveBatch:
    """The district approves a proposal, if the records still give the proposed amounts."""
    batch = _locked(batch)
    _check_decider(batch, actor)
    _ensure_fresh(batch)
    before = snapshot(batch)
    batch.status = BatchStatus.APPROVED
    batch.decided_by = _user_or_none(actor)
    batch.decided_at = timezone.now()
    batch.return_reason = ""
    batch.save()
    _event(batch, BatchAction.APPROVED, actor)
    _audit(batch, "approve", actor, before)
    return batch


@transaction.atomic
def batch_reopen(*, batch: IncentiveBatch, reason: str, actor: Any) -> IncentiveBatch:
    """Reopen an approved, unpaid proposal to correct it: a new revision is computed from the
    records as they are now and needs a new proposal and a new approval. The approved revision's
    lines stay as history."""
    batch = _locked(batch)
    ensure_can(actor, SUPERVISE, batch.village_id)
    if batch.status != BatchStatus.APPROVED:
        raise CadreProblem.INCENTIVE_NOT_APPROVED.error(status=_status_label(batch))
    if batch.lines.filter(revision=batch.revision, paid_on__isnull=False).exists():
        raise CadreProblem.INCENTIVE_ALREADY_PAID.error()
    reason = reason.strip()
    if not reason:
        raise CadreProblem.INCENTIVE_REASON_REQUIRED.on("reason")
    before = snapshot(batch)
    _event(batch, BatchAction.REOPENED, actor, reason[:300])
    batch.status = BatchStatus.DRAFT
    batch.revision += 1
    batch.proposed_by = None
    batch.proposed_at = None
    batch.decided_by = None
    batch.decided_at = None
    batch.return_reason = ""
    _store(batch, selectors.compute(village=batch.village, month=batch.month))
    batch.save()
    _event(batch, BatchAction.COMPUTED, actor)
    _audit(batch, "reopen", actor, before)
    return batch


@transaction.atomic
def lines_mark_paid(
    *,
    batch: IncentiveBatch,
    lines: Sequence[IncentiveLine],
    paid_on: dt.date,
    actor: Any,
    reference: str = "",
) -> IncentiveBatch:
    """Record that cadres of an approved proposal were paid; when every line that pays something
    is paid, the proposal is paid."""
    batch = _locked(batch)
    ensure_can(actor, APPROVE, batch.village_id)
    if batch.status != BatchStatus.APPROVED:
        raise CadreProblem.INCENTIVE_NOT_APPROVED.error(status=_status_label(batch))
    if not lines:
        raise CadreProblem.PAYMENT_LINES_REQUIRED.on("lines")
    if paid_on > _today():
        raise CadreProblem.DATE_IN_FUTURE.on("paid_on")
    approved_on = timezone.localdate(batch.decided_at) if batch.decided_at else paid_on
    if paid_on < approved_on:
        raise CadreProblem.PAYMENT_BEFORE_APPROVAL.on(
            "paid_on", approved=approved_on.strftime("%d-%m-%Y")
        )
    payable = {line.pk: line for line in selectors.payable_lines(batch).filter(paid_on=None)}
    for line in lines:
        if line.pk not in payable:
            raise CadreProblem.PAYMENT_LINE_NOT_PAYABLE.on(
                "lines", name=line.cadre.person.full_name
            )
    before = snapshot(batch)
    reference = reference.strip()[:100]
    for line in lines:
        stored = payable[line.pk]
        stored.paid_on = paid_on
        stored.payment_reference = reference
        stored.paid_by = _user_or_none(actor)
        stored.save(update_fields=["paid_on", "payment_reference", "paid_by"])
        audit_record(
            actor=actor, action="incentive.line_pay", instance=stored, area_code=batch.village_id
        )
    if len(payable) == len(lines):
        batch.status = BatchStatus.PAID
        batch.save(update_fields=["status", "updated_at"])
    _event(batch, BatchAction.PAID, actor, reference)
    _audit(batch, "pay", actor, before)
    return batch
