"""Writes to the family register. One function per write, each in one transaction with an audit
event; the actor's scope is checked here so that every caller (page, API, import) gets the same
rules. ``actor=None`` is the system itself (commands, the demo seed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can, scope_for
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.hooks import area_changed, couple_changed
from kampungkb.families.errors import FamilyProblem
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    Latrine,
    MaritalStatus,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relation,
    Sex,
    age_on,
)
from kampungkb.families.validators import (
    clean_number,
    validate_birth_date,
    validate_kk,
    validate_nik,
)
from kampungkb.regions.errors import AreaProblem
from kampungkb.regions.models import Area, Level

MIN_WIFE_AGE_AT_MARRIAGE = 10
MIN_MOTHER_AGE = 10

PERSON_FIELDS = (
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "relation_to_head",
    "marital_status",
    "education",
    "occupation",
    "phone",
)


@dataclass(frozen=True)
class PersonData:
    """What a form, the API or an import says about a person."""

    full_name: str
    sex: str
    birth_date: dt.date
    relation_to_head: str
    nik: str | None = None
    birth_place: str = ""
    marital_status: str = MaritalStatus.SINGLE
    education: str = ""
    occupation: str = ""
    phone: str = ""


def _today() -> dt.date:
    return timezone.localdate()


def _edit(actor: Any, area_code: str) -> None:
    ensure_can(actor, Capability.EDIT_REGISTER, area_code)


def _check_target_area(actor: Any, area: Area) -> None:
    if area.level < Level.VILLAGE:
        raise FamilyProblem.AREA_LEVEL.on("area")
    if actor is not None and not scope_for(actor).can(Capability.EDIT_REGISTER, area.code):
        raise AreaProblem.NOT_FOUND.on("area", code=area.code)


def _check_kk(kk_number: str | None, *, exclude_pk: Any = None) -> str | None:
    kk = clean_number(kk_number)
    if kk is None:
        return None
    try:
        validate_kk(kk)
    except ValidationError as exc:
        raise ValidationError({"kk_number": exc.error_list}) from exc
    if Family.objects.filter(kk_number=kk).exclude(pk=exclude_pk).exists():
        raise FamilyProblem.KK_DUPLICATE.on("kk_number", kk=kk)
    return kk


def _check_person(data: PersonData, *, exclude_pk: Any = None) -> str | None:
    """Validate a person's identity data; returns the cleaned NIK (or None)."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        validate_birth_date(data.birth_date, today=_today())
    except ValidationError as exc:
        errors["birth_date"] = exc.error_list
    nik = clean_number(data.nik)
    if nik is not None:
        try:
            validate_nik(nik, birth_date=data.birth_date, sex=data.sex)
        except ValidationError as exc:
            errors["nik"] = exc.error_list
        else:
            if Person.objects.filter(nik=nik).exclude(pk=exclude_pk).exists():
                errors["nik"] = [FamilyProblem.NIK_DUPLICATE.error(nik=nik)]
    if errors:
        raise ValidationError(errors)
    return nik


def _save_new(instance: Any) -> None:
    instance.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent write took the NIK or KK between our check and the insert.
        if isinstance(instance, Person):
            raise FamilyProblem.NIK_DUPLICATE.on("nik", nik=instance.nik) from exc
        if isinstance(instance, Family):
            raise FamilyProblem.KK_DUPLICATE.on("kk_number", kk=instance.kk_number) from exc
        raise


def _new_person(family: Family, data: PersonData, nik: str | None) -> Person:
    person = Person(family=family, **{**data.__dict__, "nik": nik})
    _save_new(person)
    return person


@transaction.atomic
def family_register(
    *, area: Area, kk_number: str | None, address: str, head: PersonData, actor: Any
) -> Family:
    """Register a new family with its head."""
    _check_target_area(actor, area)
    errors: dict[str, list[ValidationError]] = {}
    kk = None
    try:
        kk = _check_kk(kk_number)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    head = PersonData(**{**head.__dict__, "relation_to_head": Relation.HEAD})
    try:
        nik = _check_person(head)
    except ValidationError as exc:
        errors.update({f"head_{k}": v for k, v in exc.error_dict.items()})
    if errors:
        raise ValidationError(errors)
    family = Family(area=area, kk_number=kk, address=address.strip())
    _save_new(family)
    person = _new_person(family, head, nik)
    family.head = person
    family.save(update_fields=["head"])
    audit_record(actor=actor, action="family.register", instance=family, area_code=area.code)
    audit_record(actor=actor, action="person.add", instance=person, area_code=area.code)
    return family


@transaction.atomic
def family_update(*, family: Family, kk_number: str | None, address: str, actor: Any) -> Family:
    _edit(actor, family.area_id)
    if not family.is_active:
        raise FamilyProblem.INACTIVE.error()
    before = snapshot(family)
    family.kk_number = _check_kk(kk_number, exclude_pk=family.pk)
    family.address = address.strip()
    family.full_clean(validate_constraints=False)
    family.save()
    audit_record(
        actor=actor,
        action="family.update",
        instance=family,
        area_code=family.area_id,
        before=before,
    )
    return family


@dataclass(frozen=True)
class HousingData:
    """The house as the stunting-risk screening records it (blank/None: not known)."""

    water_source: str = ""
    latrine: str = ""
    has_septic_tank: bool | None = None
    floor_area: Decimal | None = None
    floor_material: str = ""
    wall_material: str = ""
    roof_material: str = ""
    recorded_on: dt.date | None = None


@transaction.atomic
def family_housing_update(*, family: Family, data: HousingData, actor: Any) -> Family:
    """Record the family's house: drinking water, latrine and septic tank, floor area and
    materials. A family without a latrine has no septic tank of its own."""
    _edit(actor, family.area_id)
    if not family.is_active:
        raise FamilyProblem.INACTIVE.error()
    recorded_on = data.recorded_on or _today()
    if recorded_on > _today():
        raise FamilyProblem.HOUSING_DATE_IN_FUTURE.on("recorded_on")
    if data.latrine == Latrine.NONE and data.has_septic_tank:
        raise FamilyProblem.SEPTIC_TANK_WITHOUT_LATRINE.on("has_septic_tank")
    if data.floor_area is not None and data.floor_area <= 0:
        raise FamilyProblem.FLOOR_AREA_NOT_POSITIVE.on("floor_area")
    before = snapshot(family)
    family.water_source = data.water_source
    family.latrine = data.latrine
    family.has_septic_tank = data.has_septic_tank
    family.floor_area = data.floor_area
    family.floor_material = data.floor_material
    family.wall_material = data.wall_material
    family.roof_material = data.roof_material
    family.housing_recorded_on = recorded_on
    # Unknown choices are refused by full_clean (the fields' choices).
    family.full_clean(validate_constraints=False)
    family.save()
    audit_record(
        actor=actor,
        action="family.housing",
        instance=family,
        area_code=family.area_id,
        before=before,
    )
    return family


@transaction.atomic
def family_move(*, family: Family, area: Area, address: str, actor: Any) -> Family:
    """The family moves to another RT or village (its members go with it)."""
    _edit(actor, family.area_id)
    if not family.is_active:
        raise FamilyProblem.INACTIVE.error()
    _check_target_area(actor, area)
    before = snapshot(family)
    area_changed(family.area_id, None)
    family.area = area
    family.address = address.strip()
    family.save()
    area_changed(area.code, None)
    audit_record(
        actor=actor, action="family.move", instance=family, area_code=area.code, before=before
    )
    return family


@transaction.atomic
def family_deactivate(*, family: Family, reason: str, actor: Any) -> Family:
    """Take a family off the active register (moved away, card replaced, duplicate). Kept, not
    deleted."""
    _edit(actor, family.area_id)
    if not family.is_active:
        raise FamilyProblem.INACTIVE.error()
    before = snapshot(family)
    family.is_active = False
    family.deactivated_reason = reason.strip()[:200]
    family.save()
    audit_record(
        actor=actor,
        action="family.deactivate",
        instance=family,
        area_code=family.area_id,
        before=before,
    )
    area_changed(family.area_id, None)
    return family


@transaction.atomic
def person_add(*, family: Family, data: PersonData, actor: Any) -> Person:
    """Add a member to a family."""
    _edit(actor, family.area_id)
    if not family.is_active:
        raise FamilyProblem.INACTIVE.error()
    if data.relation_to_head == Relation.HEAD and family.head_id:
        raise FamilyProblem.ONE_HEAD.on("relation_to_head")
    nik = _check_person(data)
    person = _new_person(family, data, nik)
    if data.relation_to_head == Relation.HEAD:
        family.head = person
        family.save(update_fields=["head"])
    audit_record(actor=actor, action="person.add", instance=person, area_code=family.area_id)
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonData, actor: Any) -> Person:
    """Correct a person's data. Marital status follows the couple register and is kept.

    The family's head follows the relation: a member who becomes the head of a family without one
    is its head; a head whose relation changes leaves the family without a head until another
    member is made head (that is how the head is changed)."""
    _edit(actor, person.family.area_id)
    family = person.family
    was_head = family.head_id == person.pk
    if data.relation_to_head == Relation.HEAD and family.head_id not in (None, person.pk):
        raise FamilyProblem.ONE_HEAD.on("relation_to_head")
    nik = _check_person(data, exclude_pk=person.pk)
    _check_person_against_records(person, data)
    before = snapshot(person)
    for field in PERSON_FIELDS:
        if field != "marital_status":
            setattr(person, field, getattr(data, field))
    person.nik = nik
    person.full_clean(validate_constraints=False)
    person.save()
    if data.relation_to_head == Relation.HEAD and not was_head:
        family.head = person
        family.save(update_fields=["head", "updated_at"])
    elif was_head and data.relation_to_head != Relation.HEAD:
        family.head = None
        family.save(update_fields=["head", "updated_at"])
    audit_record(
        actor=actor,
        action="person.update",
        instance=person,
        area_code=person.family.area_id,
        before=before,
    )
    if before.get("birth_date") != person.birth_date.isoformat() or before["sex"] != person.sex:
        # Ages decide PUS and the wife's 50th birthday ends any episode of use.
        couple_changed(Couple.objects.filter(wife=person).values_list("pk", flat=True))
        area_changed(person.family.area_id, None)
    return person


def _check_person_against_records(person: Person, data: PersonData) -> None:
    """A correction must agree with what is recorded about the person: death, marriages, births."""
    if person.died_on is not None and data.birth_date > person.died_on:
        raise FamilyProblem.BIRTH_AFTER_DEATH.on("birth_date", name=person.full_name)
    if data.sex == person.sex:
        return
    if data.sex != Sex.FEMALE and person.couples_as_wife.exists():
        raise FamilyProblem.WIFE_SEX.on("sex")
    if data.sex != Sex.FEMALE and person.children_as_mother.exists():
        raise FamilyProblem.MOTHER_NOT_WOMAN.on("sex")
    if data.sex != Sex.MALE and person.couples_as_husband.exists():
        raise FamilyProblem.HUSBAND_SEX.on("sex")


@transaction.atomic
def person_move(*, person: Person, family: Family, relation_to_head: str, actor: Any) -> Person:
    """A person joins another family (marries into it, moves in with relatives)."""
    _edit(actor, person.family.area_id)
    _edit(actor, family.area_id)
    if person.family_id == family.pk:
        raise FamilyProblem.SAME_FAMILY.on("family")
    if not person.is_alive:
        raise FamilyProblem.NOT_ALIVE.on("person", name=person.full_name)
    if not family.is_active:
        raise FamilyProblem.INACTIVE.on("family")
    if person.family.head_id == person.pk:
        raise FamilyProblem.HEAD_CANNOT_LEAVE.on("family")
    if relation_to_head == Relation.HEAD and family.head_id:
        raise FamilyProblem.ONE_HEAD.on("relation_to_head")
    before = snapshot(person)
    left = person.family.area_id
    person.family = family
    person.relation_to_head = relation_to_head
    person.full_clean(validate_constraints=False)
    person.save()
    if relation_to_head == Relation.HEAD:
        family.head = person
        family.save(update_fields=["head"])
    audit_record(
        actor=actor, action="person.move", instance=person, area_code=family.area_id, before=before
    )
    # A couple counts in the village of the wife's family (docs/indicators.md).
    area_changed(left, None)
    area_changed(family.area_id, None)
    return person


def _check_event_date(on: dt.date, person: Person, field: str) -> None:
    if on > _today():
        raise FamilyProblem.DATE_IN_FUTURE.on(field)
    if on < person.birth_date:
        raise FamilyProblem.DATE_BEFORE_BIRTH.on(field, name=person.full_name)


def _set_marital_status(person: Person, status: str) -> None:
    person.marital_status = status
    person.save(update_fields=["marital_status", "updated_at"])


def _set_marital_status_after_end(person: Person, status: str) -> None:
    """``status`` (divorced, widowed) unless another marriage of the person goes on: a husband
    may have several wives."""
    ongoing = Couple.objects.filter(
        Q(wife=person) | Q(husband=person), status=CoupleStatus.MARRIED
    ).exists()
    _set_marital_status(person, MaritalStatus.MARRIED if ongoing else status)


@transaction.atomic
def couple_register(
    *,
    wife: Person,
    husband: Person | None,
    married_on: dt.date | None,
    actor: Any,
    fertility_intention: str = "",
) -> Couple:
    """Record a marriage. The husband may be missing from the register (a migrant worker)."""
    _edit(actor, wife.family.area_id)
    if husband is not None:
        _edit(actor, husband.family.area_id)
    if wife.sex != Sex.FEMALE:
        raise FamilyProblem.WIFE_SEX.on("wife")
    if husband is not None and husband.sex != Sex.MALE:
        raise FamilyProblem.HUSBAND_SEX.on("husband")
    for field, person in (("wife", wife), ("husband", husband)):
        if person is not None and not person.is_alive:
            raise FamilyProblem.NOT_ALIVE.on(field, name=person.full_name)
    if married_on is not None:
        _check_event_date(married_on, wife, "married_on")
        if husband is not None:
            _check_event_date(married_on, husband, "married_on")
        age = age_on(wife.birth_date, married_on)
        if age < MIN_WIFE_AGE_AT_MARRIAGE:
            raise FamilyProblem.WIFE_TOO_YOUNG.on("married_on", age=age)
    if Couple.objects.filter(wife=wife, status=CoupleStatus.MARRIED).exists():
        raise FamilyProblem.ALREADY_MARRIED.on("wife", name=wife.full_name)
    if married_on is not None:
        # Two marriages of one wife on the same day would count her twice as a PUS.
        ended = Couple.objects.filter(wife=wife).aggregate(last=Max("ended_on"))["last"]
        if ended is not None and married_on < ended:
            raise FamilyProblem.MARRIAGE_OVERLAP.on(
                "married_on", name=wife.full_name, date=ended.isoformat()
            )
    couple = Couple(
        wife=wife,
        husband=husband,
        married_on=married_on,
        fertility_intention=fertility_intention,
        intention_recorded_on=_today() if fertility_intention else None,
    )
    couple.full_clean(validate_constraints=False)
    couple.save()
    _set_marital_status(wife, MaritalStatus.MARRIED)
    if husband is not None:
        _set_marital_status(husband, MaritalStatus.MARRIED)
    audit_record(
        actor=actor, action="couple.register", instance=couple, area_code=wife.family.area_id
    )
    area_changed(wife.family.area_id, married_on)
    return couple


def _end_couple(couple: Couple, *, on: dt.date, status: str) -> dict[str, Any]:
    if couple.status != CoupleStatus.MARRIED:
        raise FamilyProblem.COUPLE_NOT_MARRIED.error()
    if couple.married_on is not None and on < couple.married_on:
        raise FamilyProblem.END_BEFORE_MARRIAGE.on("ended_on")
    before = snapshot(couple)
    couple.status = status
    couple.ended_on = on
    couple.save()
    return before


@transaction.atomic
def couple_divorce(*, couple: Couple, on: dt.date, actor: Any) -> Couple:
    _edit(actor, couple.wife.family.area_id)
    _check_event_date(on, couple.wife, "ended_on")
    before = _end_couple(couple, on=on, status=CoupleStatus.DIVORCED)
    for person in (couple.wife, couple.husband):
        if person is not None and person.is_alive:
            _set_marital_status_after_end(person, MaritalStatus.DIVORCED)
    audit_record(
        actor=actor,
        action="couple.divorce",
        instance=couple,
        area_code=couple.wife.family.area_id,
        before=before,
    )
    couple_changed([couple.pk])
    area_changed(couple.wife.family.area_id, on)
    return couple


@transaction.atomic
def person_record_death(*, person: Person, died_on: dt.date, actor: Any) -> Person:
    """Record a death: the person is kept (inactive) and their marriages end in widowhood."""
    _edit(actor, person.family.area_id)
    if not person.is_alive:
        raise FamilyProblem.NOT_ALIVE.on("person", name=person.full_name)
    _check_event_date(died_on, person, "died_on")
    before = snapshot(person)
    person.died_on = died_on
    person.is_active = False
    person.save()
    marriages = Couple.objects.select_related("wife__family", "husband").filter(
        Q(wife=person) | Q(husband=person), status=CoupleStatus.MARRIED
    )
    ended = []
    for couple in marriages:
        ended.append(couple.pk)
        couple_before = _end_couple(
            couple, on=max(died_on, couple.married_on or died_on), status=CoupleStatus.WIDOWED
        )
        spouse = couple.husband if couple.wife_id == person.pk else couple.wife
        if spouse is not None:
            _set_marital_status_after_end(spouse, MaritalStatus.WIDOWED)
        audit_record(
            actor=actor,
            action="couple.widowed",
            instance=couple,
            area_code=couple.wife.family.area_id,
            before=couple_before,
        )
    audit_record(
        actor=actor,
        action="person.death",
        instance=person,
        area_code=person.family.area_id,
        before=before,
    )
    couple_changed(ended)
    area_changed(person.family.area_id, died_on)
    return person


@transaction.atomic
def fertility_intention_record(
    *, couple: Couple, intention: str, on: dt.date | None = None, actor: Any
) -> Couple:
    _edit(actor, couple.wife.family.area_id)
    if couple.status != CoupleStatus.MARRIED:
        raise FamilyProblem.COUPLE_NOT_MARRIED.error()
    on = on or _today()
    if on > _today():
        raise FamilyProblem.DATE_IN_FUTURE.on("intention_recorded_on")
    before = snapshot(couple)
    # An unknown intention is refused by full_clean (the field's choices).
    couple.fertility_intention = intention or ""
    couple.intention_recorded_on = on
    couple.full_clean(validate_constraints=False)
    couple.save()
    audit_record(
        actor=actor,
        action="couple.intention",
        instance=couple,
        area_code=couple.wife.family.area_id,
        before=before,
    )
    area_changed(couple.wife.family.area_id, on)
    return couple


@transaction.atomic
def pregnancy_record(
    *, couple: Couple, recorded_on: dt.date, expected_on: dt.date | None, actor: Any
) -> Pregnancy:
    _edit(actor, couple.wife.family.area_id)
    if couple.status != CoupleStatus.MARRIED:
        raise FamilyProblem.COUPLE_NOT_MARRIED.error()
    _check_event_date(recorded_on, couple.wife, "recorded_on")
    if expected_on is not None and expected_on < recorded_on:
        raise FamilyProblem.EXPECTED_BEFORE_RECORDED.on("expected_on")
    if couple.pregnancies.filter(ended_on__isnull=True).exists():
        raise FamilyProblem.ALREADY_PREGNANT.error()
    pregnancy = Pregnancy(couple=couple, recorded_on=recorded_on, expected_on=expected_on)
    pregnancy.full_clean(validate_constraints=False)
    pregnancy.save()
    audit_record(
        actor=actor,
        action="pregnancy.record",
        instance=pregnancy,
        area_code=couple.wife.family.area_id,
    )
    couple_changed([couple.pk])
    area_changed(couple.wife.family.area_id, recorded_on)
    return pregnancy


@transaction.atomic
def pregnancy_end(
    *, pregnancy: Pregnancy, ended_on: dt.date, outcome: str, actor: Any
) -> Pregnancy:
    """End a pregnancy without a registered child (stillbirth, miscarriage); a live birth is
    recorded with ``birth_record``, which ends the pregnancy itself."""
    _edit(actor, pregnancy.couple.wife.family.area_id)
    if pregnancy.ended_on is not None:
        raise FamilyProblem.NO_OPEN_PREGNANCY.error()
    if ended_on > _today():
        raise FamilyProblem.DATE_IN_FUTURE.on("ended_on")
    if not outcome:
        raise FamilyProblem.OUTCOME_REQUIRED.on("outcome")
    before = snapshot(pregnancy)
    # A loss reported late may predate the record; the pregnancy then ends the day it was recorded.
    pregnancy.ended_on = max(ended_on, pregnancy.recorded_on)
    pregnancy.outcome = outcome  # an unknown outcome is refused by full_clean
    pregnancy.full_clean(validate_constraints=False)
    pregnancy.save()
    audit_record(
        actor=actor,
        action="pregnancy.end",
        instance=pregnancy,
        area_code=pregnancy.couple.wife.family.area_id,
        before=before,
    )
    couple_changed([pregnancy.couple_id])
    area_changed(pregnancy.couple.wife.family.area_id, pregnancy.ended_on)
    return pregnancy


def _child_relation(mother: Person) -> str:
    if mother.relation_to_head in (Relation.HEAD, Relation.WIFE):
        return Relation.CHILD
    if mother.relation_to_head in (Relation.CHILD, Relation.CHILD_IN_LAW):
        return Relation.GRANDCHILD
    return Relation.OTHER_RELATIVE


@transaction.atomic
def birth_record(
    *,
    mother: Person,
    full_name: str,
    sex: str,
    birth_date: dt.date,
    nik: str | None = None,
    birth_place: str = "",
    actor: Any,
) -> Person:
    """Register a newborn in the mother's family; ends her ongoing pregnancy as a live birth."""
    _edit(actor, mother.family.area_id)
    if not mother.family.is_active:
        raise FamilyProblem.INACTIVE.error()
    if mother.sex != Sex.FEMALE:
        raise FamilyProblem.MOTHER_NOT_WOMAN.on("mother")
    if mother.died_on is not None and mother.died_on < birth_date:
        raise FamilyProblem.NOT_ALIVE.on("mother", name=mother.full_name)
    mother_age = age_on(mother.birth_date, birth_date)
    if mother_age < MIN_MOTHER_AGE:
        raise FamilyProblem.MOTHER_TOO_YOUNG.on("birth_date", age=mother_age)
    # The latest marriage begun by the birth; one of unknown date counts as the earliest (the
    # databases sort NULL differently, so say where it goes).
    couple = (
        Couple.objects.filter(wife=mother)
        .exclude(married_on__gt=birth_date)
        .order_by(F("married_on").desc(nulls_last=True), "-pk")
        .first()
    )
    data = PersonData(
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        relation_to_head=_child_relation(mother),
        nik=nik,
        birth_place=birth_place,
    )
    checked_nik = _check_person(data)
    child = _new_person(mother.family, data, checked_nik)
    child.mother = mother
    child.father = couple.husband if couple is not None else None
    child.save(update_fields=["mother", "father"])
    if couple is not None:
        open_pregnancy = couple.pregnancies.filter(ended_on__isnull=True).first()
        if open_pregnancy is not None:
            pregnancy_before = snapshot(open_pregnancy)
            open_pregnancy.ended_on = max(birth_date, open_pregnancy.recorded_on)
            open_pregnancy.outcome = PregnancyOutcome.LIVE_BIRTH
            open_pregnancy.save()
            audit_record(
                actor=actor,
                action="pregnancy.end",
                instance=open_pregnancy,
                area_code=mother.family.area_id,
                before=pregnancy_before,
            )
    audit_record(
        actor=actor, action="person.birth", instance=child, area_code=mother.family.area_id
    )
    couple_changed(Couple.objects.filter(wife=mother).values_list("pk", flat=True))
    area_changed(mother.family.area_id, birth_date)
    return child
