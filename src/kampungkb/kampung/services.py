"""Writes of Kampung KB: register and update a Kampung KB, save a month's profile (a new
version), classify a month. Each in one transaction with an audit event; the actor's scope is
checked here (``EDIT_PROGRAMME`` in the village). ``actor=None`` is the system (commands)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.activities.models import FundingSource
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.periods import month_end, month_start
from kampungkb.kampung import selectors
from kampungkb.kampung.classification import Index, Inputs, Result, classify, parse_bands
from kampungkb.kampung.errors import KampungProblem
from kampungkb.kampung.models import (
    Classification,
    Criterion,
    DataSource,
    KampungKb,
    ModelFlag,
    ProfileVersion,
)
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

EDIT = Capability.EDIT_PROGRAMME


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class KampungData:
    """What a form or the API says about a Kampung KB."""

    name: str
    declared_on: dt.date
    person_in_charge: str
    person_in_charge_phone: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    criteria: Sequence[str] = ()
    model_flags: Sequence[str] = ()
    rws: Sequence[Area] = ()


@dataclass(frozen=True)
class ProfileData:
    """A month's profile as keyed (poktan, management activities and partners are read from
    activities, the figures from the facts)."""

    pokja_exists: bool = False
    pokja_decree_number: str = ""
    pokja_decree_date: dt.date | None = None
    pokja_trained: bool = False
    pokja_members: int = 0
    pkb_id: int | None = None
    supervisor_name: str = ""
    regulation_issued: bool = False
    funding_sources: Sequence[str] = ()
    has_secretariat: bool = False
    has_rumah_dataku: bool = False
    data_sources: Sequence[str] = ()
    has_workplan: bool = False
    notes: str = ""


def _unique_in_order(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _check_choices(
    values: Sequence[str], allowed: Sequence[str], problem: KampungProblem, name: str
) -> list[str]:
    for value in values:
        if value not in allowed:
            raise problem.on(name, value=value)
    # Stored in the choices' order, so two equal sets compare equal.
    chosen = set(values)
    return [v for v in allowed if v in chosen]


def _check_kampung_data(village: Area, data: KampungData) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    if data.declared_on > _today():
        errors["declared_on"] = [KampungProblem.DECLARED_IN_FUTURE.error()]
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude"] = [KampungProblem.COORDINATES_PAIR.error()]
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        errors["latitude"] = [KampungProblem.LATITUDE_RANGE.error()]
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        errors["longitude"] = [KampungProblem.LONGITUDE_RANGE.error()]
    for rw in data.rws:
        if rw.parent_id != village.code or rw.level != Level.HAMLET:
            errors["rws"] = [KampungProblem.RW_OUTSIDE_VILLAGE.error(area=str(rw))]
    if errors:
        raise ValidationError(errors)
    return {
        "name": data.name.strip(),
        "declared_on": data.declared_on,
        "person_in_charge": data.person_in_charge.strip(),
        "person_in_charge_phone": data.person_in_charge_phone.strip(),
        "latitude": data.latitude,
        "longitude": data.longitude,
        "criteria": _check_choices(
            data.criteria, Criterion.values, KampungProblem.CRITERION_UNKNOWN, "criteria"
        ),
        "model_flags": _check_choices(
            data.model_flags, ModelFlag.values, KampungProblem.FLAG_UNKNOWN, "model_flags"
        ),
    }


def _check_one_active(village: Area, *, exclude_pk: int | None = None) -> None:
    others = KampungKb.objects.filter(village=village, is_active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.first()
    if other is not None:
        raise KampungProblem.ALREADY_IN_VILLAGE.on("village", village=str(village), name=other.name)


def _audit_fields(kampung: KampungKb) -> dict[str, Any]:
    values = snapshot(kampung)
    values["rws"] = sorted(a.code for a in kampung.rws.all())
    return values


@transaction.atomic
def kampung_register(*, village: Area, data: KampungData, actor: Any) -> KampungKb:
    """Register a Kampung KB in a village (one active per village)."""
    ensure_can(actor, EDIT, village.code)
    if village.level != Level.VILLAGE:
        raise KampungProblem.VILLAGE_LEVEL.on("village")
    values = _check_kampung_data(village, data)
    _check_one_active(village)
    kampung = KampungKb(village=village, **values)
    kampung.full_clean(validate_constraints=False)
    kampung.save()
    kampung.rws.set(data.rws)
    audit_record(
        actor=actor,
        action="kampung.register",
        instance=kampung,
        area_code=village.code,
        after=_audit_fields(kampung),
    )
    return kampung


@transaction.atomic
def kampung_update(
    *, kampung: KampungKb, data: KampungData, is_active: bool, actor: Any
) -> KampungKb:
    """Correct a Kampung KB's registry data, or deactivate it (it is never deleted)."""
    ensure_can(actor, EDIT, kampung.village_id)
    kampung = KampungKb.objects.select_for_update().get(pk=kampung.pk)
    before = _audit_fields(kampung)
    values = _check_kampung_data(kampung.village, data)
    if is_active and not kampung.is_active:
        _check_one_active(kampung.village, exclude_pk=kampung.pk)
    for name, value in values.items():
        setattr(kampung, name, value)
    kampung.is_active = is_active
    kampung.full_clean(validate_constraints=False)
    kampung.save()
    kampung.rws.set(data.rws)
    audit_record(
        actor=actor,
        action="kampung.update",
        instance=kampung,
        area_code=kampung.village_id,
        before=before,
        after=_audit_fields(kampung),
    )
    return kampung


def _check_profile(kampung: KampungKb, month: dt.date, data: ProfileData) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    if not kampung.is_active:
        raise KampungProblem.NOT_ACTIVE.error()
    if month > month_start(_today()):
        errors["month"] = [KampungProblem.MONTH_IN_FUTURE.error(month=f"{month:%Y-%m}")]
    elif month < month_start(kampung.declared_on):
        errors["month"] = [
            KampungProblem.MONTH_BEFORE_DECLARATION.error(
                month=f"{month:%Y-%m}", declared=f"{kampung.declared_on:%d-%m-%Y}"
            )
        ]
    has_details = (
        data.pokja_trained or data.pokja_members > 0 or bool(data.pokja_decree_number.strip())
    )
    if not data.pokja_exists and (has_details or data.pokja_decree_date is not None):
        errors["pokja_exists"] = [KampungProblem.POKJA_DETAILS_WITHOUT_POKJA.error()]
    if data.pkb_id is not None:
        village = kampung.village
        pkb = selectors.pkb_choices(village).filter(pk=data.pkb_id).first()
        if pkb is None:
            errors["pkb"] = [KampungProblem.PKB_NOT_OFFICER.error(user=data.pkb_id)]
    try:
        funding = _check_choices(
            data.funding_sources,
            FundingSource.values,
            KampungProblem.FUNDING_UNKNOWN,
            "funding_sources",
        )
        sources = _check_choices(
            data.data_sources, DataSource.values, KampungProblem.DATA_SOURCE_UNKNOWN, "data_sources"
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
        funding, sources = [], []
    if errors:
        raise ValidationError(errors)
    return {
        "pokja_exists": data.pokja_exists,
        "pokja_decree_number": data.pokja_decree_number.strip(),
        "pokja_decree_date": data.pokja_decree_date,
        "pokja_trained": data.pokja_trained,
        "pokja_members": data.pokja_members,
        "pkb_id": data.pkb_id,
        "supervisor_name": data.supervisor_name.strip(),
        "regulation_issued": data.regulation_issued,
        "funding_sources": funding,
        "has_secretariat": data.has_secretariat,
        "has_rumah_dataku": data.has_rumah_dataku,
        "data_sources": sources,
        "has_workplan": data.has_workplan,
        "notes": data.notes.strip(),
    }


@transaction.atomic
def profile_save(
    *, kampung: KampungKb, month: dt.date, data: ProfileData, actor: Any
) -> ProfileVersion:
    """Save a month's profile as a new version; the month's previous version becomes inactive
    and stays in the history. The month (and the later months that read this profile) are
    classified again."""
    ensure_can(actor, EDIT, kampung.village_id)
    month = month_start(month)
    # One writer per Kampung KB at a time, so version numbers never collide.
    kampung = KampungKb.objects.select_for_update().select_related("village").get(pk=kampung.pk)
    values = _check_profile(kampung, month, data)
    versions = ProfileVersion.objects.filter(kampung=kampung, month=month)
    last = versions.aggregate(last=Max("version"))["last"] or 0
    versions.filter(is_active=True).update(is_active=False)
    profile = ProfileVersion(
        kampung=kampung,
        month=month,
        version=last + 1,
        is_active=True,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    profile.full_clean(validate_constraints=False)
    profile.save()
    audit_record(
        actor=actor,
        action="kampung.profile_save",
        instance=profile,
        area_code=kampung.village_id,
    )
    for later in _months_reading(kampung, month):
        classification_compute(kampung=kampung, month=later)
    return profile


def _months_reading(kampung: KampungKb, month: dt.date) -> list[dt.date]:
    """The month, and the later months already classified that have no profile of their own
    before the next month that has one."""
    next_own = ProfileVersion.objects.filter(
        kampung=kampung, is_active=True, month__gt=month
    ).aggregate(first=Min("month"))["first"]
    later = Classification.objects.filter(kampung=kampung, month__gt=month)
    if next_own is not None:
        later = later.filter(month__lt=next_own)
    return [month, *later.order_by("month").values_list("month", flat=True)]


def inputs_json(inputs: Inputs, profile: ProfileVersion | None) -> dict[str, Any]:
    """The inputs as stored with the classification (JSON-safe)."""
    data = asdict(inputs)
    for key in ("cpr", "mkjp", "unmet_need"):
        data[key] = None if data[key] is None else str(data[key])
    for key in ("funding_sources", "poktan_kinds", "data_sources", "management_kinds", "partners"):
        data[key] = list(data[key])
    data["participation"] = {k: [p.members, p.target] for k, p in inputs.participation.items()}
    data["profile_month"] = None if profile is None else f"{profile.month:%Y-%m}"
    data["profile_version"] = None if profile is None else profile.version
    return data


def scores_json(result: Result) -> dict[str, Any]:
    return {
        key.value: {
            "value": s.value,
            "score": s.score,
            "max": s.max_score,
            "next": s.next_threshold,
            "direction": s.direction,
        }
        for key, s in result.scores.items()
    }


@transaction.atomic
def classification_compute(*, kampung: KampungKb, month: dt.date) -> Classification:
    """Classify a Kampung KB for a month with the rules in force then, and store the snapshot
    (replacing the month's previous one). Read and written by the system."""
    month = month_start(month)
    rules = selectors.rules_for(month)
    if rules is None:
        raise KampungProblem.NO_RULES.error(month=f"{month:%Y-%m}")
    profile = selectors.profile_in_force(kampung=kampung, month=month).profile
    inputs = selectors.classification_inputs(kampung=kampung, month=month, profile=profile)
    result = classify(inputs, parse_bands(rules.bands))
    classification, _created = Classification.objects.update_or_create(
        kampung=kampung,
        month=month,
        defaults={
            "rules": rules,
            "profile": profile,
            "input_index": result.indices[Index.INPUT],
            "process_index": result.indices[Index.PROCESS],
            "output_index": result.indices[Index.OUTPUT],
            "klass": result.klass,
            "scores": scores_json(result),
            "inputs": inputs_json(inputs, profile),
        },
    )
    return classification


def classify_area(*, month: dt.date, area_code: str | None = None) -> int:
    """Classify every active Kampung KB (within ``area_code``) for the month; the number done.
    Each Kampung KB is its own transaction, so a long run keeps what it has done."""
    month = month_start(month)
    if selectors.rules_for(month) is None:
        raise KampungProblem.NO_RULES.error(month=f"{month:%Y-%m}")
    qs = KampungKb.objects.filter(is_active=True, declared_on__lte=month_end(month))
    if area_code:
        qs = qs.filter(subtree_q("village_id", [area_code]))
    done = 0
    for kampung in qs.select_related("village").order_by("village_id", "id").iterator():
        classification_compute(kampung=kampung, month=month)
        done += 1
    return done
