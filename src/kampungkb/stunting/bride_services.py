"""Writing brides-to-be and their screenings (decision 0037), and closing a registration whose
wedding will not take place (decision 0040). Each write checks the writer's scope
(``EDIT_REGISTER`` in the bride's area), the dates and values, and audits; nothing is half
written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.hooks import area_changed
from kampungkb.families.models import Couple, Person
from kampungkb.regions.models import Area, Level
from kampungkb.stunting.bride_errors import BrideProblem
from kampungkb.stunting.brides import age_on
from kampungkb.stunting.models import BrideScreening, BrideToBe, CancelReason

MAX_AGE = 60
WEIGHT = (Decimal(25), Decimal(200))
HEIGHT = (Decimal(120), Decimal(210))
LILA = (Decimal(10), Decimal(60))
HB = (Decimal(3), Decimal(25))


@dataclass(frozen=True)
class BrideData:
    area: Area
    full_name: str
    birth_date: dt.date
    groom_name: str
    wedding_on: dt.date
    registered_on: dt.date
    groom_birth_date: dt.date | None = None
    nik: str = ""
    phone: str = ""
    person: Person | None = None


def _day(value: dt.date) -> str:
    return value.strftime("%d-%m-%Y")


def _check_open(bride: BrideToBe, field: str) -> None:
    """Refuse a write to a cancelled registration (it is reopened first)."""
    if bride.cancelled_on is not None:
        raise BrideProblem.CANCELLED.on(field, name=bride.full_name, date=_day(bride.cancelled_on))


def _check(data: BrideData) -> None:
    today = timezone.localdate()
    if not data.full_name.strip() or not data.groom_name.strip():
        raise BrideProblem.NAME_REQUIRED.on("full_name")
    if data.area.level < Level.VILLAGE:
        raise BrideProblem.AREA_LEVEL.on("area")
    if data.registered_on > today:
        raise BrideProblem.REGISTERED_IN_FUTURE.on("registered_on")
    if data.wedding_on < data.registered_on:
        raise BrideProblem.WEDDING_BEFORE_REGISTRATION.on(
            "wedding_on",
            wedding=data.wedding_on.isoformat(),
            registered=data.registered_on.isoformat(),
        )
    for field, born in (
        ("birth_date", data.birth_date),
        ("groom_birth_date", data.groom_birth_date),
    ):
        if born is not None and (
            born >= data.wedding_on or age_on(born, data.wedding_on) >= MAX_AGE
        ):
            raise BrideProblem.BIRTH_DATE.on(field)
    if data.nik and not re.fullmatch(r"\d{16}", data.nik):
        raise BrideProblem.NIK.on("nik")


@transaction.atomic
def bride_register(*, data: BrideData, actor: Any) -> BrideToBe:
    ensure_can(actor, Capability.EDIT_REGISTER, data.area.code)
    _check(data)
    bride = BrideToBe.objects.create(
        area=data.area,
        person=data.person,
        full_name=data.full_name.strip(),
        nik=data.nik,
        birth_date=data.birth_date,
        phone=data.phone.strip(),
        groom_name=data.groom_name.strip(),
        groom_birth_date=data.groom_birth_date,
        wedding_on=data.wedding_on,
        registered_on=data.registered_on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, action="bride.register", instance=bride, area_code=data.area.code)
    # The brides-to-be the TPK accompany are a monthly figure (decision 0040).
    area_changed(data.area.code, data.registered_on)
    return bride


@transaction.atomic
def bride_mark_married(
    *, bride: BrideToBe, married_on: dt.date, couple: Couple | None, actor: Any
) -> BrideToBe:
    """The wedding took place (on ``married_on``), with the couple in the register if known."""
    ensure_can(actor, Capability.EDIT_REGISTER, bride.area_id)
    _check_open(bride, "married_on")
    if married_on < bride.registered_on or married_on > timezone.localdate():
        raise BrideProblem.MARRIED_BEFORE_REGISTRATION.on("married_on")
    before = snapshot(bride)
    bride.married_on = married_on
    bride.couple = couple
    bride.save(update_fields=["married_on", "couple", "updated_at"])
    audit_record(
        actor=actor, action="bride.married", instance=bride, area_code=bride.area_id, before=before
    )
    # The couple's first pregnancy now ends her accompaniment (decision 0040).
    area_changed(bride.area_id, married_on)
    return bride


@transaction.atomic
def bride_cancel(*, bride: BrideToBe, on: dt.date, reason: str, actor: Any) -> BrideToBe:
    """The wedding will not take place (called off, postponed without a date, she moved away...):
    the registration is closed on ``on``. From that day she is neither accompanied nor counted
    among the brides-to-be to accompany (decision 0040). A recorded marriage is not undone here."""
    ensure_can(actor, Capability.EDIT_REGISTER, bride.area_id)
    if bride.married_on is not None:
        raise BrideProblem.CANCEL_MARRIED.on(
            "cancelled_on", name=bride.full_name, date=_day(bride.married_on)
        )
    if bride.cancelled_on is not None:
        raise BrideProblem.ALREADY_CANCELLED.on("cancelled_on", date=_day(bride.cancelled_on))
    if reason not in CancelReason.values:
        raise BrideProblem.CANCEL_REASON.on("cancel_reason")
    if on < bride.registered_on or on > timezone.localdate():
        raise BrideProblem.CANCEL_DATE.on(
            "cancelled_on", date=_day(on), registered=_day(bride.registered_on)
        )
    before = snapshot(bride)
    bride.cancelled_on = on
    bride.cancel_reason = CancelReason(reason)
    bride.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor, action="bride.cancel", instance=bride, area_code=bride.area_id, before=before
    )
    # She leaves the TPK coverage of her village from that month (decision 0040).
    area_changed(bride.area_id, on)
    return bride


@transaction.atomic
def bride_reopen(*, bride: BrideToBe, actor: Any) -> BrideToBe:
    """Undo a cancellation recorded by mistake: she is a bride-to-be to accompany again (a TPK
    assignment the cancellation ended stays ended; the PKB assigns her again)."""
    ensure_can(actor, Capability.EDIT_REGISTER, bride.area_id)
    if bride.cancelled_on is None:
        raise BrideProblem.NOT_CANCELLED.error()
    since = bride.cancelled_on
    before = snapshot(bride)
    bride.cancelled_on = None
    bride.cancel_reason = ""
    bride.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor, action="bride.reopen", instance=bride, area_code=bride.area_id, before=before
    )
    area_changed(bride.area_id, since)
    return bride


def _number(value: Any, field: str, label: str, limits: tuple[Decimal, Decimal]) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise BrideProblem.VALUE_RANGE.on(
            field, what=label, value=str(value)[:20], low=limits[0], high=limits[1]
        ) from exc
    if not number.is_finite() or not limits[0] <= number <= limits[1]:
        raise BrideProblem.VALUE_RANGE.on(
            field, what=label, value=str(value)[:20], low=limits[0], high=limits[1]
        )
    return number.quantize(Decimal("0.1"))


@transaction.atomic
def screening_record(
    *,
    bride: BrideToBe,
    screened_on: dt.date,
    weight_kg: Any,
    height_cm: Any,
    lila_cm: Any,
    hb_g_dl: Any,
    smokes: bool,
    actor: Any,
) -> BrideScreening:
    ensure_can(actor, Capability.EDIT_REGISTER, bride.area_id)
    _check_open(bride, "screened_on")
    if screened_on > timezone.localdate():
        raise BrideProblem.REGISTERED_IN_FUTURE.on("screened_on")
    if screened_on < bride.registered_on:
        raise BrideProblem.SCREENED_BEFORE_REGISTRATION.on(
            "screened_on", date=screened_on.isoformat(), registered=bride.registered_on.isoformat()
        )
    screening = BrideScreening.objects.create(
        bride=bride,
        screened_on=screened_on,
        weight_kg=_number(weight_kg, "weight_kg", "BB (kg)", WEIGHT),
        height_cm=_number(height_cm, "height_cm", "TB (cm)", HEIGHT),
        lila_cm=_number(lila_cm, "lila_cm", "LiLA (cm)", LILA),
        hb_g_dl=None if hb_g_dl in (None, "") else _number(hb_g_dl, "hb_g_dl", "Hb (g/dL)", HB),
        smokes=bool(smokes),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, action="bride.screening", instance=screening, area_code=bride.area_id)
    return screening
