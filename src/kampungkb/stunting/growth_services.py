"""Writing child measurements. Each write checks the writer's scope (``EDIT_REGISTER`` in the
child's area), the child (alive, under 5, in the register) and the values, computes the WHO
z-scores and flags, audits, and marks the child's village for a refill of its growth figures from
the measurement's month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.hooks import area_changed
from kampungkb.core.periods import month_start
from kampungkb.families.models import Person, age_on
from kampungkb.stunting import growth
from kampungkb.stunting.growth_errors import GrowthProblem
from kampungkb.stunting.models import LENGTH_RANGE, WEIGHT_RANGE, ChildMeasurement


def _decimal(
    value: Any, field: str, problem: GrowthProblem, limits: tuple[Decimal, ...]
) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise problem.on(field, low=limits[0], high=limits[1], value=str(value)[:20]) from exc
    if not number.is_finite() or not limits[0] <= number <= limits[1]:
        raise problem.on(field, low=limits[0], high=limits[1], value=str(value)[:20])
    return number


def _check_child(child: Person, measured_on: dt.date) -> None:
    if measured_on > timezone.localdate():
        raise GrowthProblem.MEASURED_IN_FUTURE.on("measured_on")
    if measured_on < child.birth_date:
        raise GrowthProblem.BEFORE_BIRTH.on(
            "measured_on", date=measured_on.isoformat(), born=child.birth_date.isoformat()
        )
    if child.died_on is not None:
        # A measurement taken before the death may still be recorded.
        if child.died_on < measured_on:
            raise GrowthProblem.CHILD_DIED.on("measured_on", died=child.died_on.isoformat())
    elif not child.is_active:
        raise GrowthProblem.CHILD_INACTIVE.on("child")
    years = age_on(child.birth_date, measured_on)
    if years >= 5:
        raise GrowthProblem.NOT_UNDER_FIVE.on(
            "measured_on", date=measured_on.isoformat(), years=years
        )


def _fill(
    measurement: ChildMeasurement,
    *,
    measured_on: dt.date,
    weight_kg: Decimal | str | float,
    length_or_height_cm: Decimal | str | float,
    position: str,
    oedema: bool,
    place: str,
) -> None:
    """Check and set the values and the z-scores computed from them."""
    child = measurement.child
    _check_child(child, measured_on)
    weight = _decimal(weight_kg, "weight_kg", GrowthProblem.WEIGHT_RANGE, WEIGHT_RANGE)
    length = _decimal(
        length_or_height_cm, "length_or_height_cm", GrowthProblem.LENGTH_RANGE, LENGTH_RANGE
    )
    measurement.measured_on = measured_on
    measurement.weight_kg = weight
    measurement.length_or_height_cm = length
    measurement.position = position
    measurement.oedema = bool(oedema)
    measurement.place = place.strip()
    # Unknown positions and too many decimals are refused here, before any z-score.
    measurement.age_days = growth.age_in_days(child.birth_date, measured_on)
    measurement.full_clean(
        exclude=["child", "recorded_by", "haz", "waz", "whz"], validate_constraints=False
    )
    # As stored (9.5 kg is 9.50 kg), so the returned row reads as a fresh one would.
    measurement.weight_kg = weight.quantize(Decimal("0.01"))
    measurement.length_or_height_cm = length.quantize(Decimal("0.1"))
    others = ChildMeasurement.objects.filter(child=child, measured_on=measured_on)
    if others.exclude(pk=measurement.pk).exists():
        raise GrowthProblem.MEASURED_TWICE.on("measured_on", date=measured_on.isoformat())
    scores = growth.zscores(
        sex=child.sex,
        birth_date=child.birth_date,
        measured_on=measured_on,
        weight_kg=measurement.weight_kg,
        length_cm=measurement.length_or_height_cm,
        position=position,
        oedema=measurement.oedema,
    )
    measurement.haz, measurement.waz, measurement.whz = scores.haz, scores.waz, scores.whz
    measurement.haz_flagged = scores.haz_flagged
    measurement.waz_flagged = scores.waz_flagged
    measurement.whz_flagged = scores.whz_flagged


def _save(measurement: ChildMeasurement) -> None:
    """Save; a second measurement of the day written at the same moment by someone else meets
    the unique constraint and is refused like any other."""
    try:
        with transaction.atomic():
            measurement.save()
    except IntegrityError as exc:
        day = measurement.measured_on.isoformat()
        raise GrowthProblem.MEASURED_TWICE.on("measured_on", date=day) from exc


@transaction.atomic
def measurement_record(
    *,
    child: Person,
    measured_on: dt.date,
    weight_kg: Decimal | str | float,
    length_or_height_cm: Decimal | str | float,
    position: str,
    oedema: bool = False,
    place: str = "",
    actor: Any,
) -> ChildMeasurement:
    """Record a child's weight and length/height on a day, with the WHO z-scores."""
    area = child.family.area_id
    ensure_can(actor, Capability.EDIT_REGISTER, area)
    measurement = ChildMeasurement(
        child=child, recorded_by=actor if getattr(actor, "pk", None) else None
    )
    _fill(
        measurement,
        measured_on=measured_on,
        weight_kg=weight_kg,
        length_or_height_cm=length_or_height_cm,
        position=position,
        oedema=oedema,
        place=place,
    )
    _save(measurement)
    area_changed(area, month_start(measured_on))
    audit_record(actor=actor, action="measurement.record", instance=measurement, area_code=area)
    return measurement


@transaction.atomic
def measurement_update(
    *,
    measurement: ChildMeasurement,
    measured_on: dt.date,
    weight_kg: Decimal | str | float,
    length_or_height_cm: Decimal | str | float,
    position: str,
    oedema: bool = False,
    place: str = "",
    actor: Any,
) -> ChildMeasurement:
    """Correct a measurement; its z-scores are computed again."""
    area = measurement.child.family.area_id
    ensure_can(actor, Capability.EDIT_REGISTER, area)
    before = snapshot(measurement)
    was_on = measurement.measured_on
    _fill(
        measurement,
        measured_on=measured_on,
        weight_kg=weight_kg,
        length_or_height_cm=length_or_height_cm,
        position=position,
        oedema=oedema,
        place=place,
    )
    _save(measurement)
    area_changed(area, month_start(min(was_on, measured_on)))
    audit_record(
        actor=actor,
        action="measurement.update",
        instance=measurement,
        area_code=area,
        before=before,
        after=snapshot(measurement),
    )
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: ChildMeasurement, actor: Any) -> None:
    """Delete a measurement taken by mistake (the wrong child, a test)."""
    area = measurement.child.family.area_id
    ensure_can(actor, Capability.EDIT_REGISTER, area)
    before = snapshot(measurement)
    was_on = measurement.measured_on
    audit_record(
        actor=actor,
        action="measurement.delete",
        instance=measurement,
        area_code=area,
        before=before,
        after=dict.fromkeys(before),
    )
    measurement.delete()
    area_changed(area, month_start(was_on))
