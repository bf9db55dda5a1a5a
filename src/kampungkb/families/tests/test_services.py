"""Writes to the family register: each service's result, audit event, refusals and scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.utils import timezone, translation

from kampungkb.core.audit import snapshot
from kampungkb.core.errors import messages_in_both_languages
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import (
    Couple,
    CoupleStatus,
    Family,
    FertilityIntention,
    MaritalStatus,
    Person,
    Pregnancy,
    PregnancyOutcome,
    Relation,
    Sex,
)
from kampungkb.families.services import (
    PersonData,
    birth_record,
    couple_divorce,
    couple_register,
    family_deactivate,
    family_move,
    family_register,
    family_update,
    fertility_intention_record,
    person_add,
    person_move,
    person_record_death,
    person_update,
    pregnancy_end,
    pregnancy_record,
)
from kampungkb.families.validators import make_nik
from kampungkb.testing.factories import (
    CoupleFactory,
    FamilyFactory,
    ManFactory,
    PersonFactory,
    PregnancyFactory,
    WomanFactory,
)
from kampungkb.testing.world import KEC, RT, RT_2, VILLAGE_2

D = dt.date
TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)
DEWI_BORN = D(1995, 8, 17)
OUT_OF_SCOPE = ("partner", "viewer", "other_district", "other_cadre")
MODELS: tuple[type[Model], ...] = (Family, Person, Couple, Pregnancy, AuditEvent)


# Helpers.


def counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


@contextmanager
def nothing_changes(*objects: Model) -> Iterator[None]:
    """Row counts (audit events included) and the given rows are the same afterwards."""
    before = counts()
    rows = [(type(o), o.pk, snapshot(type(o)._default_manager.get(pk=o.pk))) for o in objects]
    yield
    assert counts() == before
    for model, pk, values in rows:
        assert snapshot(model._default_manager.get(pk=pk)) == values


def codes(error: ValidationError) -> dict[str, list[str | None]]:
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {"__all__": [e.code for e in error.error_list]}


def refused(
    call: Callable[[], Any], expected: dict[str, list[str | None]], *objects: Model
) -> ValidationError:
    with nothing_changes(*objects), pytest.raises(ValidationError) as info:
        call()
    assert codes(info.value) == expected
    return info.value


def not_found(call: Callable[[], Any], *objects: Model) -> None:
    with nothing_changes(*objects), pytest.raises(Http404):
        call()


def event(action: str) -> AuditEvent:
    found = AuditEvent.objects.filter(action=action).first()
    assert found is not None, f"no {action} event"
    return found


def data(
    name: str = "Dewi Lestari",
    sex: str = Sex.FEMALE,
    born: dt.date = DEWI_BORN,
    relation: str = Relation.CHILD,
    serial: int | None = 4321,
    region: str = "640208",
    **extra: Any,
) -> PersonData:
    if "nik" not in extra:
        extra["nik"] = make_nik(region, born, sex, serial) if serial is not None else None
    return PersonData(full_name=name, sex=sex, birth_date=born, relation_to_head=relation, **extra)


@pytest.fixture
def siti(world) -> Person:
    return Person.objects.get(full_name="Siti Aminah")


@pytest.fixture
def sutrisno(world) -> Person:
    return Person.objects.get(full_name="Sutrisno")


@pytest.fixture
def rizky(world) -> Person:
    return Person.objects.get(full_name="Rizky Pratama")


@pytest.fixture
def world_couple(world) -> Couple:
    return Couple.objects.get(wife__full_name="Siti Aminah")


# family_register.


def test_family_register(world):
    actor = world.user("cadre_rt")
    family = family_register(
        area=world.area(RT),
        kk_number="64.02.08-1203150099",
        address="  Jl. Pelita 3 ",
        head=data("Budi Santoso", Sex.MALE, D(1980, 1, 31), Relation.CHILD, 77),
        actor=actor,
    )
    family.refresh_from_db()
    assert (family.area_id, family.kk_number, family.address, family.is_active) == (
        RT,
        "6402081203150099",
        "Jl. Pelita 3",
        True,
    )
    head = family.head
    assert head is not None
    assert (head.full_name, head.relation_to_head, head.family_id, head.nik) == (
        "Budi Santoso",
        Relation.HEAD,
        family.pk,
        "6402083101800077",
    )
    assert list(family.members.all()) == [head]
    registered = event("family.register")
    assert (
        registered.actor,
        registered.object_type,
        registered.object_id,
        registered.area_code,
    ) == (
        actor,
        "families.family",
        str(family.pk),
        RT,
    )
    assert registered.before == {}
    assert registered.after["kk_number"] == "6402081203150099"
    assert registered.after["head_id"] == head.pk
    added = event("person.add")
    assert (added.actor, added.object_id, added.area_code) == (actor, str(head.pk), RT)
    assert added.after["nik"] == "6402083101800077"


def test_family_register_without_nik_or_kk(world):
    family = family_register(
        area=world.area(VILLAGE_2),
        kk_number="  ",
        address="",
        head=data(serial=None),
        actor=world.user("pkb"),
    )
    assert family.kk_number is None
    assert family.head is not None and family.head.nik is None and family.head.lacks_nik


def test_family_register_by_the_system(world):
    family_register(area=world.area(RT), kk_number=None, address="", head=data(), actor=None)
    assert event("family.register").actor is None


def test_family_register_refuses_a_duplicate_kk(world):
    error = refused(
        lambda: family_register(
            area=world.area(RT),
            kk_number="6402081203150001",
            address="",
            head=data(),
            actor=world.user("cadre"),
        ),
        {"kk_number": ["family.kk_duplicate"]},
    )
    assert messages_in_both_languages(error)[0]["message_en"] == (
        "Family card number 6402081203150001 is already registered."
    )


def test_family_register_refuses_a_duplicate_nik_of_the_head(world, sutrisno):
    head = PersonData(
        full_name="Sutrisno Lagi",
        sex=Sex.MALE,
        birth_date=sutrisno.birth_date,
        relation_to_head=Relation.HEAD,
        nik=sutrisno.nik,
    )
    refused(
        lambda: family_register(
            area=world.area(RT), kk_number=None, address="", head=head, actor=None
        ),
        {"head_nik": ["family.nik_duplicate"]},
    )


def test_family_register_reports_every_problem_at_once(world):
    head = data(born=TOMORROW, serial=None)
    refused(
        lambda: family_register(
            area=world.area(RT), kk_number="12", address="", head=head, actor=None
        ),
        {"kk_number": ["family.kk_format"], "head_birth_date": ["family.birth_in_future"]},
    )


def test_family_register_refuses_a_nik_of_another_birth_date(world):
    head = PersonData(
        full_name="X",
        sex=Sex.FEMALE,
        birth_date=D(1995, 8, 18),
        relation_to_head=Relation.HEAD,
        nik=make_nik("640208", D(1995, 8, 17), Sex.FEMALE, 1),
    )
    refused(
        lambda: family_register(
            area=world.area(RT), kk_number=None, address="", head=head, actor=None
        ),
        {"head_nik": ["family.nik_birth_date_mismatch"]},
    )


@pytest.mark.parametrize("code", ["64", "64.02", KEC])
def test_family_register_refuses_an_area_above_the_village(world, code):
    refused(
        lambda: family_register(
            area=world.area(code), kk_number=None, address="", head=data(), actor=None
        ),
        {"area": ["family.area_level"]},
    )


@pytest.mark.parametrize("username", [*OUT_OF_SCOPE, "cadre_rt"])
def test_family_register_refuses_an_area_outside_the_actors_scope(world, username):
    # The target area is an input: outside the scope it is "not found" on that field.
    area = world.area(RT_2)
    error = refused(
        lambda: family_register(
            area=area, kk_number=None, address="", head=data(), actor=world.user(username)
        ),
        {"area": ["area.not_found"]},
    )
    with translation.override("en"):
        assert error.messages == [f"Area {RT_2} was not found."]


# family_update.


def test_family_update(world):
    family = world.family
    actor = world.user("cadre")
    family_update(family=family, kk_number="6402081203159999", address=" Jl. Baru ", actor=actor)
    family.refresh_from_db()
    assert (family.kk_number, family.address) == ("6402081203159999", "Jl. Baru")
    updated = event("family.update")
    assert (updated.actor, updated.object_id, updated.area_code) == (actor, str(family.pk), RT)
    assert set(updated.before) == {"kk_number", "address"}
    assert (updated.before["kk_number"], updated.after["kk_number"]) == (
        "6402081203150001",
        "6402081203159999",
    )
    assert (updated.before["address"], updated.after["address"]) == (
        "Jl. Mahakam No. 5",
        "Jl. Baru",
    )


def test_family_update_keeps_its_own_kk_and_may_drop_it(world):
    family = world.family
    family_update(family=family, kk_number=family.kk_number, address="A", actor=None)
    family_update(family=family, kk_number="", address="A", actor=None)
    family.refresh_from_db()
    assert family.kk_number is None


def test_family_update_refuses_the_kk_of_another_family(world):
    family = world.family_no_nik
    refused(
        lambda: family_update(family=family, kk_number="6402081203150001", address="", actor=None),
        {"kk_number": ["family.kk_duplicate"]},
        family,
    )


def test_family_update_refuses_a_bad_kk(world):
    family = world.family
    refused(
        lambda: family_update(family=family, kk_number="0002081203150001", address="", actor=None),
        {"kk_number": ["family.kk_region"]},
        family,
    )


def test_family_update_refuses_an_inactive_family(world):
    family = FamilyFactory.create(is_active=False)
    refused(
        lambda: family_update(family=family, kk_number=None, address="x", actor=None),
        {"__all__": ["family.inactive"]},
        family,
    )


# family_move.


def test_family_move(world):
    family = world.family
    actor = world.user("pkb")
    family_move(family=family, area=world.area(VILLAGE_2), address="Jl. Ilir 1", actor=actor)
    family.refresh_from_db()
    assert (family.area_id, family.address) == (VILLAGE_2, "Jl. Ilir 1")
    assert set(Person.objects.filter(family=family).values_list("family__area_id", flat=True)) == {
        VILLAGE_2
    }
    moved = event("family.move")
    assert (moved.actor, moved.area_code) == (actor, VILLAGE_2)
    assert (moved.before["area_id"], moved.after["area_id"]) == (RT, VILLAGE_2)


def test_family_move_refuses_a_target_outside_the_actors_scope(world):
    family = world.family
    refused(
        lambda: family_move(
            family=family, area=world.area(RT_2), address="", actor=world.user("cadre_rt")
        ),
        {"area": ["area.not_found"]},
        family,
    )


def test_family_move_refuses_a_kecamatan(world):
    family = world.family
    refused(
        lambda: family_move(family=family, area=world.area(KEC), address="", actor=None),
        {"area": ["family.area_level"]},
        family,
    )


def test_family_move_refuses_an_inactive_family(world):
    family = FamilyFactory.create(is_active=False)
    refused(
        lambda: family_move(family=family, area=world.area(RT_2), address="", actor=None),
        {"__all__": ["family.inactive"]},
        family,
    )


# family_deactivate.


def test_family_deactivate(world):
    family = world.family
    actor = world.user("cadre_rt")
    family_deactivate(family=family, reason="  Pindah ke Samarinda " + "x" * 300, actor=actor)
    family.refresh_from_db()
    assert not family.is_active
    assert family.deactivated_reason == ("Pindah ke Samarinda " + "x" * 300)[:200]
    assert Family.objects.filter(pk=family.pk).exists()
    deactivated = event("family.deactivate")
    assert deactivated.actor == actor
    assert (deactivated.before["is_active"], deactivated.after["is_active"]) == (True, False)


def test_family_deactivate_twice_is_refused(world):
    family = world.family
    family_deactivate(family=family, reason="Pindah", actor=None)
    refused(
        lambda: family_deactivate(family=family, reason="Lagi", actor=None),
        {"__all__": ["family.inactive"]},
        family,
    )


# person_add.


def test_person_add(world):
    family = world.family
    actor = world.user("cadre_rt")
    person = person_add(
        family=family,
        data=data(
            education="senior_secondary", occupation="Guru", phone="0812", birth_place="Tenggarong"
        ),
        actor=actor,
    )
    person.refresh_from_db()
    assert (
        person.family,
        person.full_name,
        person.sex,
        person.birth_date,
        person.relation_to_head,
        person.nik,
        person.marital_status,
        person.education,
        person.occupation,
        person.birth_place,
        person.is_active,
    ) == (
        family,
        "Dewi Lestari",
        Sex.FEMALE,
        D(1995, 8, 17),
        Relation.CHILD,
        "6402085708954321",
        MaritalStatus.SINGLE,
        "senior_secondary",
        "Guru",
        "Tenggarong",
        True,
    )
    added = event("person.add")
    assert (added.actor, added.object_type, added.object_id, added.area_code) == (
        actor,
        "families.person",
        str(person.pk),
        RT,
    )
    assert added.after["nik"] == "6402085708954321" and added.after["family_id"] == family.pk


def test_person_add_without_nik(world):
    person = person_add(family=world.family, data=data(serial=None), actor=None)
    assert person.nik is None and person.lacks_nik
    blank = person_add(family=world.family, data=data("Lain", nik=" ", serial=None), actor=None)
    assert blank.nik is None


def test_person_add_cleans_the_nik(world):
    nik = make_nik("640208", D(1995, 8, 17), Sex.FEMALE, 4321)
    spaced = f"{nik[:6]} {nik[6:12]}-{nik[12:]}"
    person = person_add(family=world.family, data=data(serial=None, nik=spaced), actor=None)
    assert person.nik == nik


def test_person_add_a_nik_first_issued_elsewhere(world):
    person = person_add(family=world.family, data=data(region="520313"), actor=None)
    assert person.nik is not None and person.nik.startswith("520313")


def test_person_add_refuses_a_duplicate_nik(world, sutrisno):
    dup = PersonData(
        full_name="Kembar",
        sex=Sex.MALE,
        birth_date=sutrisno.birth_date,
        relation_to_head=Relation.OTHER,
        nik=sutrisno.nik,
    )
    error = refused(
        lambda: person_add(family=world.family_no_nik, data=dup, actor=None),
        {"nik": ["family.nik_duplicate"]},
    )
    assert messages_in_both_languages(error) == [
        {
            "field": "nik",
            "code": "family.nik_duplicate",
            "message_id": f"NIK {sutrisno.nik} sudah terdaftar.",
            "message_en": f"NIK {sutrisno.nik} is already registered.",
        }
    ]


def test_person_add_refuses_a_nik_of_the_other_sex(world):
    wrong = PersonData(
        full_name="X",
        sex=Sex.MALE,
        birth_date=D(1995, 8, 17),
        relation_to_head=Relation.CHILD,
        nik=make_nik("640208", D(1995, 8, 17), Sex.FEMALE, 1),
    )
    refused(
        lambda: person_add(family=world.family, data=wrong, actor=None),
        {"nik": ["family.nik_sex_mismatch"]},
    )


@pytest.mark.parametrize(
    ("born", "code"),
    [(TOMORROW, "family.birth_in_future"), (D(1899, 12, 31), "family.birth_too_early")],
)
def test_person_add_refuses_an_impossible_birth_date(world, born, code):
    refused(
        lambda: person_add(family=world.family, data=data(born=born, serial=None), actor=None),
        {"birth_date": [code]},
    )


def test_person_add_born_today(world):
    person = person_add(family=world.family, data=data(born=TODAY, serial=None), actor=None)
    assert person.birth_date == TODAY


def test_person_add_refuses_a_second_head(world):
    refused(
        lambda: person_add(family=world.family, data=data(relation=Relation.HEAD), actor=None),
        {"relation_to_head": ["family.one_head"]},
    )


def test_person_add_head_to_a_family_without_one(world):
    family = FamilyFactory.create(with_head=False)
    head = person_add(family=family, data=data(relation=Relation.HEAD), actor=None)
    family.refresh_from_db()
    assert family.head == head


def test_person_add_refuses_an_inactive_family(world):
    family = FamilyFactory.create(is_active=False)
    refused(
        lambda: person_add(family=family, data=data(), actor=None), {"__all__": ["family.inactive"]}
    )


@pytest.mark.parametrize(
    ("field", "value"), [("sex", "X"), ("relation_to_head", "cousin"), ("education", "phd")]
)
def test_person_add_refuses_unknown_choices(world, field, value):
    bad = PersonData(**{**data(serial=None).__dict__, field: value})
    with nothing_changes(), pytest.raises(ValidationError) as info:
        person_add(family=world.family, data=bad, actor=None)
    assert codes(info.value) == {field: ["invalid_choice"]}


# person_update.


def test_person_update(world, rizky):
    actor = world.user("cadre")
    new = PersonData(
        full_name="Rizky Pratama Putra",
        sex=Sex.MALE,
        birth_date=rizky.birth_date,
        relation_to_head=Relation.CHILD,
        nik=rizky.nik,
        occupation="Pelajar",
        marital_status=MaritalStatus.MARRIED,
    )
    person_update(person=rizky, data=new, actor=actor)
    rizky.refresh_from_db()
    assert (rizky.full_name, rizky.occupation, rizky.marital_status) == (
        "Rizky Pratama Putra",
        "Pelajar",
        MaritalStatus.SINGLE,  # follows the couple register, not the form
    )
    updated = event("person.update")
    assert (updated.actor, updated.object_id, updated.area_code) == (actor, str(rizky.pk), RT)
    assert set(updated.before) == {"full_name", "occupation"}
    assert (updated.before["full_name"], updated.after["full_name"]) == (
        "Rizky Pratama",
        "Rizky Pratama Putra",
    )


def test_person_update_corrects_birth_date_and_nik_together(world, rizky):
    born = D(2015, 1, 10)
    new = PersonData(
        full_name=rizky.full_name,
        sex=Sex.MALE,
        birth_date=born,
        relation_to_head=Relation.CHILD,
        nik=make_nik("640208", born, Sex.MALE, 3),
    )
    person_update(person=rizky, data=new, actor=None)
    rizky.refresh_from_db()
    assert (rizky.birth_date, rizky.nik) == (born, "6402081001150003")


def test_person_update_removes_the_nik(world, rizky):
    new = PersonData(
        full_name=rizky.full_name,
        sex=Sex.MALE,
        birth_date=rizky.birth_date,
        relation_to_head=Relation.CHILD,
    )
    person_update(person=rizky, data=new, actor=None)
    rizky.refresh_from_db()
    assert rizky.nik is None and rizky.lacks_nik


def test_person_update_refuses_another_persons_nik(world, rizky, sutrisno):
    new = PersonData(
        full_name=rizky.full_name,
        sex=Sex.MALE,
        birth_date=sutrisno.birth_date,
        relation_to_head=Relation.CHILD,
        nik=sutrisno.nik,
    )
    refused(
        lambda: person_update(person=rizky, data=new, actor=None),
        {"nik": ["family.nik_duplicate"]},
        rizky,
    )


def test_person_update_refuses_a_birth_date_that_no_longer_matches_the_nik(world, rizky):
    new = PersonData(
        full_name=rizky.full_name,
        sex=Sex.MALE,
        birth_date=D(2015, 1, 10),
        relation_to_head=Relation.CHILD,
        nik=rizky.nik,
    )
    refused(
        lambda: person_update(person=rizky, data=new, actor=None),
        {"nik": ["family.nik_birth_date_mismatch"]},
        rizky,
    )


def test_person_update_refuses_a_second_head(world, rizky):
    new = PersonData(
        full_name=rizky.full_name,
        sex=Sex.MALE,
        birth_date=rizky.birth_date,
        relation_to_head=Relation.HEAD,
        nik=rizky.nik,
    )
    refused(
        lambda: person_update(person=rizky, data=new, actor=None),
        {"relation_to_head": ["family.one_head"]},
        rizky,
        world.family,
    )


def test_person_update_changes_the_head(world, sutrisno, siti):
    family = world.family
    as_husband = PersonData(
        full_name=sutrisno.full_name,
        sex=Sex.MALE,
        birth_date=sutrisno.birth_date,
        relation_to_head=Relation.HUSBAND,
        nik=sutrisno.nik,
    )
    person_update(person=sutrisno, data=as_husband, actor=None)
    family.refresh_from_db()
    assert family.head is None
    as_head = PersonData(
        full_name=siti.full_name,
        sex=Sex.FEMALE,
        birth_date=siti.birth_date,
        relation_to_head=Relation.HEAD,
        nik=siti.nik,
    )
    person_update(person=siti, data=as_head, actor=None)
    family.refresh_from_db()
    assert family.head == siti


def test_person_update_head_stays_head(world, sutrisno):
    same = PersonData(
        full_name="Sutrisno Hadi",
        sex=Sex.MALE,
        birth_date=sutrisno.birth_date,
        relation_to_head=Relation.HEAD,
        nik=sutrisno.nik,
    )
    person_update(person=sutrisno, data=same, actor=None)
    world.family.refresh_from_db()
    assert world.family.head == sutrisno


@pytest.mark.parametrize(
    ("name", "code"),
    [("Siti Aminah", "family.wife_sex"), ("Sutrisno", "family.husband_sex")],
)
def test_person_update_refuses_a_sex_that_contradicts_a_marriage(world, name, code):
    person = Person.objects.get(full_name=name)
    other = Sex.MALE if person.sex == Sex.FEMALE else Sex.FEMALE
    new = PersonData(
        full_name=person.full_name,
        sex=other,
        birth_date=person.birth_date,
        relation_to_head=person.relation_to_head,
    )
    refused(lambda: person_update(person=person, data=new, actor=None), {"sex": [code]}, person)


def test_person_update_refuses_a_mother_becoming_a_man(world):
    mother = WomanFactory.create(family=world.family)
    PersonFactory.create(family=world.family, mother=mother, birth_date=D(2015, 1, 1))
    new = PersonData(
        full_name=mother.full_name,
        sex=Sex.MALE,
        birth_date=mother.birth_date,
        relation_to_head=Relation.OTHER,
    )
    refused(
        lambda: person_update(person=mother, data=new, actor=None),
        {"sex": ["family.mother_not_woman"]},
        mother,
    )


def test_person_update_refuses_a_birth_after_death(world):
    person = PersonFactory.create(
        birth_date=D(1950, 1, 1), died_on=D(2000, 1, 1), is_active=False, nik=None
    )
    new = PersonData(
        full_name=person.full_name,
        sex=person.sex,
        birth_date=D(2000, 1, 2),
        relation_to_head=Relation.OTHER,
    )
    refused(
        lambda: person_update(person=person, data=new, actor=None),
        {"birth_date": ["family.birth_after_death"]},
        person,
    )


# person_move.


def test_person_move(world, rizky):
    target = world.family_no_nik
    actor = world.user("cadre")
    person_move(person=rizky, family=target, relation_to_head=Relation.OTHER_RELATIVE, actor=actor)
    rizky.refresh_from_db()
    assert (rizky.family, rizky.relation_to_head) == (target, Relation.OTHER_RELATIVE)
    moved = event("person.move")
    assert (moved.actor, moved.area_code) == (actor, RT_2)
    assert moved.before["family_id"] == world.family.pk
    assert moved.after == {
        "family_id": target.pk,
        "relation_to_head": Relation.OTHER_RELATIVE,
    }


def test_person_move_as_head_of_a_family_without_one(world, rizky):
    target = FamilyFactory.create(with_head=False)
    person_move(person=rizky, family=target, relation_to_head=Relation.HEAD, actor=None)
    target.refresh_from_db()
    assert target.head == rizky


def test_person_move_refuses_the_same_family(world, rizky):
    refused(
        lambda: person_move(
            person=rizky, family=world.family, relation_to_head=Relation.CHILD, actor=None
        ),
        {"family": ["family.same_family"]},
        rizky,
    )


def test_person_move_refuses_moving_the_head_alone(world, sutrisno):
    error = refused(
        lambda: person_move(
            person=sutrisno,
            family=world.family_no_nik,
            relation_to_head=Relation.HUSBAND,
            actor=None,
        ),
        {"family": ["family.head_cannot_leave"]},
        sutrisno,
    )
    with translation.override("en"):
        assert error.messages == [
            "The head cannot move alone; move the whole family or change the head first."
        ]


def test_person_move_refuses_a_second_head(world, rizky):
    refused(
        lambda: person_move(
            person=rizky, family=world.family_no_nik, relation_to_head=Relation.HEAD, actor=None
        ),
        {"relation_to_head": ["family.one_head"]},
        rizky,
    )


def test_person_move_refuses_an_inactive_family(world, rizky):
    target = FamilyFactory.create(is_active=False)
    refused(
        lambda: person_move(
            person=rizky, family=target, relation_to_head=Relation.CHILD, actor=None
        ),
        {"family": ["family.inactive"]},
        rizky,
    )


def test_person_move_refuses_a_dead_person(world):
    dead = PersonFactory.create(family=world.family, died_on=D(2020, 1, 1), is_active=False)
    refused(
        lambda: person_move(
            person=dead, family=world.family_no_nik, relation_to_head=Relation.OTHER, actor=None
        ),
        {"person": ["family.not_alive"]},
        dead,
    )


def test_person_move_needs_scope_in_both_families(world, rizky):
    # The RT cadre may edit Rizky's family but not the family in RT 002.
    not_found(
        lambda: person_move(
            person=rizky,
            family=world.family_no_nik,
            relation_to_head=Relation.OTHER,
            actor=world.user("cadre_rt"),
        ),
        rizky,
    )


# couple_register.


def test_couple_register(world):
    wife = WomanFactory.create(family=world.family, birth_date=D(1996, 4, 1))
    husband = ManFactory.create(family=world.family_no_nik, birth_date=D(1994, 2, 2))
    actor = world.user("cadre")
    couple = couple_register(
        wife=wife,
        husband=husband,
        married_on=D(2018, 6, 30),
        fertility_intention=FertilityIntention.DELAY,
        actor=actor,
    )
    couple.refresh_from_db()
    assert (
        couple.wife,
        couple.husband,
        couple.married_on,
        couple.status,
        couple.ended_on,
        couple.fertility_intention,
        couple.intention_recorded_on,
    ) == (wife, husband, D(2018, 6, 30), CoupleStatus.MARRIED, None, "delay", TODAY)
    wife.refresh_from_db()
    husband.refresh_from_db()
    assert wife.marital_status == husband.marital_status == MaritalStatus.MARRIED
    registered = event("couple.register")
    assert (
        registered.actor,
        registered.object_type,
        registered.object_id,
        registered.area_code,
    ) == (
        actor,
        "families.couple",
        str(couple.pk),
        RT,
    )
    assert registered.after["wife_id"] == wife.pk and registered.after["husband_id"] == husband.pk


def test_couple_register_without_husband_or_date(world):
    wife = WomanFactory.create(family=world.family)
    couple = couple_register(wife=wife, husband=None, married_on=None, actor=None)
    assert (
        couple.husband,
        couple.married_on,
        couple.fertility_intention,
        couple.intention_recorded_on,
    ) == (
        None,
        None,
        "",
        None,
    )


def test_couple_register_a_husband_with_a_second_wife(world, sutrisno, world_couple):
    wife = WomanFactory.create(family=world.family, birth_date=D(1995, 1, 1))
    couple = couple_register(wife=wife, husband=sutrisno, married_on=D(2020, 1, 1), actor=None)
    assert Couple.objects.filter(husband=sutrisno, status=CoupleStatus.MARRIED).count() == 2
    assert couple.status == CoupleStatus.MARRIED


def test_couple_register_rejects_wife_under_10(world):
    wife = WomanFactory.create(family=world.family, birth_date=D(2010, 5, 1))
    husband = ManFactory.create(family=world.family)
    error = refused(
        lambda: couple_register(wife=wife, husband=husband, married_on=D(2020, 4, 30), actor=None),
        {"married_on": ["family.wife_too_young"]},
        wife,
        husband,
    )
    with translation.override("id"):
        assert error.messages == [
            "Istri berumur 9 tahun pada tanggal pernikahan; di bawah 10 tahun ditolak."
        ]
    with translation.override("en"):
        assert error.messages == ["The wife was 9 on the marriage date; under 10 is refused."]


def test_couple_register_accepts_wife_aged_10(world):
    wife = WomanFactory.create(family=world.family, birth_date=D(2010, 5, 1))
    couple = couple_register(wife=wife, husband=None, married_on=D(2020, 5, 1), actor=None)
    assert couple.pk is not None


def test_couple_register_rejects_a_male_wife(world):
    man = ManFactory.create(family=world.family)
    refused(
        lambda: couple_register(wife=man, husband=None, married_on=None, actor=None),
        {"wife": ["family.wife_sex"]},
        man,
    )


def test_couple_register_rejects_a_female_husband(world):
    wife = WomanFactory.create(family=world.family)
    other = WomanFactory.create(family=world.family)
    refused(
        lambda: couple_register(wife=wife, husband=other, married_on=None, actor=None),
        {"husband": ["family.husband_sex"]},
        wife,
        other,
    )


@pytest.mark.parametrize("who", ["wife", "husband"])
def test_couple_register_rejects_a_dead_person(world, who):
    wife = WomanFactory.create(
        family=world.family, died_on=D(2020, 1, 1) if who == "wife" else None
    )
    husband = ManFactory.create(
        family=world.family, died_on=D(2020, 1, 1) if who == "husband" else None
    )
    error = refused(
        lambda: couple_register(wife=wife, husband=husband, married_on=None, actor=None),
        {who: ["family.not_alive"]},
        wife,
        husband,
    )
    name = wife.full_name if who == "wife" else husband.full_name
    with translation.override("en"):
        assert error.messages == [f"{name} is recorded as deceased."]


def test_couple_register_rejects_a_wife_already_married(world, siti):
    husband = ManFactory.create(family=world.family)
    error = refused(
        lambda: couple_register(wife=siti, husband=husband, married_on=None, actor=None),
        {"wife": ["family.already_married"]},
        siti,
    )
    with translation.override("id"):
        assert error.messages == ["Siti Aminah masih tercatat menikah."]


def test_couple_register_rejects_a_date_in_the_future(world):
    wife = WomanFactory.create(family=world.family)
    refused(
        lambda: couple_register(wife=wife, husband=None, married_on=TOMORROW, actor=None),
        {"married_on": ["family.date_in_future"]},
        wife,
    )


@pytest.mark.parametrize("who", ["wife", "husband"])
def test_couple_register_rejects_a_date_before_a_birth(world, who):
    wife = WomanFactory.create(family=world.family, birth_date=D(1990, 1, 1))
    husband = ManFactory.create(family=world.family, birth_date=D(2000, 1, 1))
    married_on = D(1989, 12, 31) if who == "wife" else D(1999, 12, 31)
    refused(
        lambda: couple_register(wife=wife, husband=husband, married_on=married_on, actor=None),
        {"married_on": ["family.date_before_birth"]},
        wife,
        husband,
    )


def test_couple_register_after_a_divorce(world, siti, world_couple):
    couple_divorce(couple=world_couple, on=D(2020, 3, 1), actor=None)
    husband = ManFactory.create(family=world.family)
    couple = couple_register(wife=siti, husband=husband, married_on=D(2020, 3, 1), actor=None)
    assert couple.status == CoupleStatus.MARRIED


def test_couple_register_rejects_a_marriage_before_the_last_one_ended(world, siti, world_couple):
    couple_divorce(couple=world_couple, on=D(2020, 3, 1), actor=None)
    husband = ManFactory.create(family=world.family)
    error = refused(
        lambda: couple_register(wife=siti, husband=husband, married_on=D(2020, 2, 29), actor=None),
        {"married_on": ["family.marriage_overlap"]},
        siti,
    )
    with translation.override("en"):
        assert error.messages == [
            "Siti Aminah is recorded as married until 2020-03-01; a new marriage cannot start before that."
        ]


def test_couple_register_rejects_an_unknown_intention(world):
    wife = WomanFactory.create(family=world.family)
    with nothing_changes(wife), pytest.raises(ValidationError) as info:
        couple_register(
            wife=wife, husband=None, married_on=None, fertility_intention="maybe", actor=None
        )
    assert codes(info.value) == {"fertility_intention": ["invalid_choice"]}


def test_couple_register_needs_scope_over_the_husband_too(world):
    wife = WomanFactory.create(family=world.family)
    husband = ManFactory.create(family=world.other_family)
    not_found(
        lambda: couple_register(
            wife=wife, husband=husband, married_on=None, actor=world.user("cadre")
        ),
        wife,
        husband,
    )


# couple_divorce.


def test_couple_divorce(world, world_couple, siti, sutrisno):
    actor = world.user("cadre_rt")
    couple_divorce(couple=world_couple, on=D(2021, 11, 30), actor=actor)
    world_couple.refresh_from_db()
    siti.refresh_from_db()
    sutrisno.refresh_from_db()
    assert (world_couple.status, world_couple.ended_on) == (CoupleStatus.DIVORCED, D(2021, 11, 30))
    assert siti.marital_status == sutrisno.marital_status == MaritalStatus.DIVORCED
    divorced = event("couple.divorce")
    assert (divorced.actor, divorced.area_code) == (actor, RT)
    assert divorced.before["status"] == "married" and divorced.after["status"] == "divorced"
    assert (divorced.before["ended_on"], divorced.after["ended_on"]) == (None, "2021-11-30")


def test_couple_divorce_on_the_wedding_day(world):
    couple = CoupleFactory.create(married_on=D(2010, 7, 1))
    couple_divorce(couple=couple, on=D(2010, 7, 1), actor=None)
    assert couple.ended_on == couple.married_on


def test_couple_divorce_keeps_a_husband_with_another_wife_married(world, world_couple, sutrisno):
    second = WomanFactory.create(family=world.family, birth_date=D(1995, 1, 1))
    couple_register(wife=second, husband=sutrisno, married_on=D(2020, 1, 1), actor=None)
    couple_divorce(couple=world_couple, on=D(2021, 1, 1), actor=None)
    sutrisno.refresh_from_db()
    assert sutrisno.marital_status == MaritalStatus.MARRIED
    world_couple.wife.refresh_from_db()
    assert world_couple.wife.marital_status == MaritalStatus.DIVORCED


def test_couple_divorce_twice_is_refused(world, world_couple):
    couple_divorce(couple=world_couple, on=D(2021, 1, 1), actor=None)
    refused(
        lambda: couple_divorce(couple=world_couple, on=D(2022, 1, 1), actor=None),
        {"__all__": ["family.couple_not_married"]},
        world_couple,
    )


def test_couple_divorce_before_the_marriage_is_refused(world, world_couple):
    refused(
        lambda: couple_divorce(couple=world_couple, on=D(2012, 5, 19), actor=None),
        {"ended_on": ["family.end_before_marriage"]},
        world_couple,
    )


def test_couple_divorce_in_the_future_is_refused(world, world_couple):
    refused(
        lambda: couple_divorce(couple=world_couple, on=TOMORROW, actor=None),
        {"ended_on": ["family.date_in_future"]},
        world_couple,
    )


def test_couple_divorce_before_the_wife_was_born_is_refused(world):
    couple = CoupleFactory.create(married_on=None)
    refused(
        lambda: couple_divorce(couple=couple, on=D(1980, 1, 1), actor=None),
        {"ended_on": ["family.date_before_birth"]},
        couple,
    )


# person_record_death.


def test_death_of_a_wife_widows_her_husband(world, siti, sutrisno, world_couple):
    actor = world.user("cadre")
    person_record_death(person=siti, died_on=D(2023, 4, 5), actor=actor)
    siti.refresh_from_db()
    sutrisno.refresh_from_db()
    world_couple.refresh_from_db()
    assert (siti.died_on, siti.is_active, siti.is_alive) == (D(2023, 4, 5), False, False)
    assert (world_couple.status, world_couple.ended_on) == (CoupleStatus.WIDOWED, D(2023, 4, 5))
    assert sutrisno.marital_status == MaritalStatus.WIDOWED
    died = event("person.death")
    assert (died.actor, died.object_id, died.area_code) == (actor, str(siti.pk), RT)
    assert (died.before["died_on"], died.after["died_on"]) == (None, "2023-04-05")
    widowed = event("couple.widowed")
    assert (widowed.actor, widowed.object_id, widowed.area_code) == (
        actor,
        str(world_couple.pk),
        RT,
    )
    assert widowed.after["status"] == "widowed"


def test_death_of_a_husband_with_two_wives_widows_both(world, sutrisno, siti):
    second = WomanFactory.create(family=world.family_no_nik, birth_date=D(1995, 1, 1))
    couple_register(wife=second, husband=sutrisno, married_on=D(2020, 1, 1), actor=None)
    person_record_death(person=sutrisno, died_on=D(2023, 1, 1), actor=None)
    couples = Couple.objects.filter(husband=sutrisno)
    assert set(couples.values_list("status", "ended_on")) == {(CoupleStatus.WIDOWED, D(2023, 1, 1))}
    siti.refresh_from_db()
    second.refresh_from_db()
    assert siti.marital_status == second.marital_status == MaritalStatus.WIDOWED
    areas = set(
        AuditEvent.objects.filter(action="couple.widowed").values_list("area_code", flat=True)
    )
    assert areas == {RT, RT_2}  # each couple's event is in its wife's area


def test_death_of_one_wife_keeps_the_husband_married_to_the_other(world, sutrisno, siti):
    second = WomanFactory.create(family=world.family, birth_date=D(1995, 1, 1))
    couple_register(wife=second, husband=sutrisno, married_on=D(2020, 1, 1), actor=None)
    person_record_death(person=siti, died_on=D(2023, 1, 1), actor=None)
    sutrisno.refresh_from_db()
    assert sutrisno.marital_status == MaritalStatus.MARRIED


def test_death_of_an_unmarried_person(world, rizky):
    person_record_death(person=rizky, died_on=D(2020, 1, 1), actor=None)
    assert not AuditEvent.objects.filter(action="couple.widowed").exists()
    assert event("person.death").object_id == str(rizky.pk)


def test_death_does_not_touch_past_marriages(world):
    couple = CoupleFactory.create(status=CoupleStatus.DIVORCED, ended_on=D(2015, 1, 1))
    person_record_death(person=couple.wife, died_on=D(2020, 1, 1), actor=None)
    couple.refresh_from_db()
    assert (couple.status, couple.ended_on) == (CoupleStatus.DIVORCED, D(2015, 1, 1))


def test_death_before_the_recorded_marriage_date_ends_it_on_that_date(world):
    couple = CoupleFactory.create(married_on=D(2010, 7, 1))
    assert couple.husband is not None
    person_record_death(person=couple.husband, died_on=D(2010, 6, 1), actor=None)
    couple.refresh_from_db()
    assert (couple.status, couple.ended_on) == (CoupleStatus.WIDOWED, D(2010, 7, 1))


def test_death_recorded_twice_is_refused(world, rizky):
    person_record_death(person=rizky, died_on=D(2020, 1, 1), actor=None)
    refused(
        lambda: person_record_death(person=rizky, died_on=D(2021, 1, 1), actor=None),
        {"person": ["family.not_alive"]},
        rizky,
    )


@pytest.mark.parametrize(
    ("died_on", "code"),
    [(TOMORROW, "family.date_in_future"), (D(2015, 1, 8), "family.date_before_birth")],
)
def test_death_on_an_impossible_date_is_refused(world, rizky, died_on, code):
    error = refused(
        lambda: person_record_death(person=rizky, died_on=died_on, actor=None),
        {"died_on": [code]},
        rizky,
    )
    if code == "family.date_before_birth":
        with translation.override("en"):
            assert error.messages == ["The date cannot be before Rizky Pratama was born."]


# fertility_intention_record.


def test_fertility_intention_record(world, world_couple):
    actor = world.user("pkb")
    fertility_intention_record(
        couple=world_couple, intention="no_more", on=D(2024, 2, 1), actor=actor
    )
    world_couple.refresh_from_db()
    assert (world_couple.fertility_intention, world_couple.intention_recorded_on) == (
        FertilityIntention.NO_MORE,
        D(2024, 2, 1),
    )
    recorded = event("couple.intention")
    assert (recorded.actor, recorded.area_code) == (actor, RT)
    assert (recorded.before["fertility_intention"], recorded.after["fertility_intention"]) == (
        "",
        "no_more",
    )


def test_fertility_intention_record_today_by_default_and_cleared(world, world_couple):
    fertility_intention_record(couple=world_couple, intention="soon", actor=None)
    assert world_couple.intention_recorded_on == TODAY
    fertility_intention_record(couple=world_couple, intention="", actor=None)
    world_couple.refresh_from_db()
    assert world_couple.fertility_intention == ""


def test_fertility_intention_record_refuses_an_unknown_intention(world, world_couple):
    with nothing_changes(world_couple), pytest.raises(ValidationError) as info:
        fertility_intention_record(couple=world_couple, intention="later", actor=None)
    assert codes(info.value) == {"fertility_intention": ["invalid_choice"]}


def test_fertility_intention_record_refuses_an_ended_marriage(world):
    couple = CoupleFactory.create(status=CoupleStatus.DIVORCED, ended_on=D(2015, 1, 1))
    refused(
        lambda: fertility_intention_record(couple=couple, intention="soon", actor=None),
        {"__all__": ["family.couple_not_married"]},
        couple,
    )


def test_fertility_intention_record_refuses_a_future_date(world, world_couple):
    refused(
        lambda: fertility_intention_record(
            couple=world_couple, intention="soon", on=TOMORROW, actor=None
        ),
        {"intention_recorded_on": ["family.date_in_future"]},
        world_couple,
    )


# pregnancy_record / pregnancy_end.


def test_pregnancy_record(world, world_couple):
    actor = world.user("cadre_rt")
    pregnancy = pregnancy_record(
        couple=world_couple, recorded_on=D(2024, 3, 1), expected_on=D(2024, 10, 1), actor=actor
    )
    pregnancy.refresh_from_db()
    assert (
        pregnancy.couple,
        pregnancy.recorded_on,
        pregnancy.expected_on,
        pregnancy.ended_on,
        pregnancy.outcome,
    ) == (
        world_couple,
        D(2024, 3, 1),
        D(2024, 10, 1),
        None,
        "",
    )
    recorded = event("pregnancy.record")
    assert (recorded.actor, recorded.object_type, recorded.area_code) == (
        actor,
        "families.pregnancy",
        RT,
    )


def test_pregnancy_record_expected_the_same_day(world, world_couple):
    pregnancy = pregnancy_record(
        couple=world_couple, recorded_on=D(2024, 3, 1), expected_on=D(2024, 3, 1), actor=None
    )
    assert pregnancy.expected_on == D(2024, 3, 1)


def test_pregnancy_record_refuses_a_second_ongoing_pregnancy(world, world_couple):
    pregnancy_record(couple=world_couple, recorded_on=D(2024, 3, 1), expected_on=None, actor=None)
    error = refused(
        lambda: pregnancy_record(
            couple=world_couple, recorded_on=D(2024, 4, 1), expected_on=None, actor=None
        ),
        {"__all__": ["family.already_pregnant"]},
    )
    assert messages_in_both_languages(error) == [
        {
            "field": "__all__",
            "code": "family.already_pregnant",
            "message_id": "Kehamilan yang sedang berjalan sudah tercatat untuk pasangan ini.",
            "message_en": "An ongoing pregnancy is already recorded for this couple.",
        }
    ]


def test_pregnancy_record_after_the_last_one_ended(world, world_couple):
    first = pregnancy_record(
        couple=world_couple, recorded_on=D(2023, 1, 1), expected_on=None, actor=None
    )
    pregnancy_end(pregnancy=first, ended_on=D(2023, 2, 1), outcome="miscarriage", actor=None)
    second = pregnancy_record(
        couple=world_couple, recorded_on=D(2024, 1, 1), expected_on=None, actor=None
    )
    assert second.pk != first.pk


def test_pregnancy_record_refuses_an_ended_marriage(world):
    couple = CoupleFactory.create(status=CoupleStatus.WIDOWED, ended_on=D(2015, 1, 1))
    refused(
        lambda: pregnancy_record(
            couple=couple, recorded_on=D(2015, 2, 1), expected_on=None, actor=None
        ),
        {"__all__": ["family.couple_not_married"]},
    )


@pytest.mark.parametrize(
    ("recorded_on", "expected_on", "expected"),
    [
        (TOMORROW, None, {"recorded_on": ["family.date_in_future"]}),
        (D(1992, 7, 3), None, {"recorded_on": ["family.date_before_birth"]}),
        (D(2024, 3, 1), D(2024, 2, 29), {"expected_on": ["family.expected_before_recorded"]}),
    ],
)
def test_pregnancy_record_refuses_dates_out_of_order(
    world, world_couple, recorded_on, expected_on, expected
):
    refused(
        lambda: pregnancy_record(
            couple=world_couple, recorded_on=recorded_on, expected_on=expected_on, actor=None
        ),
        expected,
    )


def test_pregnancy_end(world):
    pregnancy = PregnancyFactory.create()
    actor = world.user("cadre")
    pregnancy_end(
        pregnancy=pregnancy,
        ended_on=D(2024, 3, 2),
        outcome=PregnancyOutcome.MISCARRIAGE,
        actor=actor,
    )
    pregnancy.refresh_from_db()
    assert (pregnancy.ended_on, pregnancy.outcome) == (D(2024, 3, 2), "miscarriage")
    ended = event("pregnancy.end")
    assert ended.actor == actor
    assert (ended.before["outcome"], ended.after["outcome"]) == ("", "miscarriage")
    assert (ended.before["ended_on"], ended.after["ended_on"]) == (None, "2024-03-02")


def test_pregnancy_end_reported_before_it_was_recorded_ends_on_the_record_date(world):
    pregnancy = PregnancyFactory.create(recorded_on=D(2024, 1, 10))
    pregnancy_end(pregnancy=pregnancy, ended_on=D(2024, 1, 5), outcome="stillbirth", actor=None)
    assert pregnancy.ended_on == D(2024, 1, 10)


def test_pregnancy_end_twice_is_refused(world):
    pregnancy = PregnancyFactory.create(ended_on=D(2024, 3, 1), outcome="miscarriage")
    refused(
        lambda: pregnancy_end(
            pregnancy=pregnancy, ended_on=D(2024, 4, 1), outcome="stillbirth", actor=None
        ),
        {"__all__": ["family.no_open_pregnancy"]},
        pregnancy,
    )


def test_pregnancy_end_in_the_future_is_refused(world):
    pregnancy = PregnancyFactory.create()
    refused(
        lambda: pregnancy_end(
            pregnancy=pregnancy, ended_on=TOMORROW, outcome="miscarriage", actor=None
        ),
        {"ended_on": ["family.date_in_future"]},
        pregnancy,
    )


@pytest.mark.parametrize(
    ("outcome", "code"), [("", "family.outcome_required"), ("abortion", "invalid_choice")]
)
def test_pregnancy_end_refuses_a_missing_or_unknown_outcome(world, outcome, code):
    pregnancy = PregnancyFactory.create()
    refused(
        lambda: pregnancy_end(
            pregnancy=pregnancy, ended_on=D(2024, 3, 1), outcome=outcome, actor=None
        ),
        {"outcome": [code]},
        pregnancy,
    )


# birth_record.


def test_birth_record(world, siti, sutrisno, world_couple):
    pregnancy = pregnancy_record(
        couple=world_couple, recorded_on=D(2023, 6, 1), expected_on=None, actor=None
    )
    actor = world.user("cadre_rt")
    born = D(2024, 1, 15)
    child = birth_record(
        mother=siti,
        full_name="Putri Ayu",
        sex=Sex.FEMALE,
        birth_date=born,
        nik=make_nik("640208", born, Sex.FEMALE, 15),
        birth_place="Kota Bangun",
        actor=actor,
    )
    child.refresh_from_db()
    assert (
        child.family,
        child.mother,
        child.father,
        child.relation_to_head,
        child.nik,
        child.birth_place,
        child.marital_status,
    ) == (
        world.family,
        siti,
        sutrisno,
        Relation.CHILD,
        "6402085501240015",
        "Kota Bangun",
        MaritalStatus.SINGLE,
    )
    pregnancy.refresh_from_db()
    assert (pregnancy.ended_on, pregnancy.outcome) == (born, PregnancyOutcome.LIVE_BIRTH)
    birth = event("person.birth")
    assert (birth.actor, birth.object_id, birth.area_code) == (actor, str(child.pk), RT)
    ended = event("pregnancy.end")
    assert (ended.actor, ended.object_id, ended.after["outcome"]) == (
        actor,
        str(pregnancy.pk),
        "live_birth",
    )


def test_birth_record_without_nik_or_pregnancy(world, siti):
    child = birth_record(
        mother=siti, full_name="Bayi", sex=Sex.MALE, birth_date=D(2024, 2, 1), actor=None
    )
    assert child.lacks_nik
    assert not AuditEvent.objects.filter(action="pregnancy.end").exists()


def test_birth_record_of_a_mother_without_a_marriage(world):
    mother = WomanFactory.create(
        family=world.family, relation_to_head=Relation.OTHER, birth_date=D(1990, 1, 1)
    )
    child = birth_record(
        mother=mother, full_name="Bayi", sex=Sex.MALE, birth_date=D(2024, 2, 1), actor=None
    )
    assert (child.father, child.relation_to_head) == (None, Relation.OTHER_RELATIVE)


def test_birth_record_of_a_daughter_is_a_grandchild(world):
    daughter = WomanFactory.create(
        family=world.family, relation_to_head=Relation.CHILD, birth_date=D(1990, 1, 1)
    )
    child = birth_record(
        mother=daughter, full_name="Cucu", sex=Sex.MALE, birth_date=D(2024, 2, 1), actor=None
    )
    assert child.relation_to_head == Relation.GRANDCHILD


def test_birth_record_before_the_marriage_has_no_father(world, siti):
    child = birth_record(
        mother=siti, full_name="Bayi", sex=Sex.MALE, birth_date=D(2011, 1, 1), actor=None
    )
    assert child.father is None


def test_birth_record_picks_the_marriage_begun_last(world):
    wife = WomanFactory.create(family=world.family, birth_date=D(1980, 1, 1))
    first, second = ManFactory.create(family=world.family), ManFactory.create(family=world.family)
    Couple.objects.create(
        wife=wife,
        husband=first,
        married_on=None,
        status=CoupleStatus.DIVORCED,
        ended_on=D(2010, 1, 1),
    )
    Couple.objects.create(wife=wife, husband=second, married_on=D(2012, 1, 1))
    child = birth_record(
        mother=wife, full_name="Bayi", sex=Sex.MALE, birth_date=D(2015, 1, 1), actor=None
    )
    assert child.father == second


def test_birth_record_rejects_a_father_as_mother(world, sutrisno):
    refused(
        lambda: birth_record(
            mother=sutrisno, full_name="X", sex=Sex.MALE, birth_date=D(2024, 1, 1), actor=None
        ),
        {"mother": ["family.mother_not_woman"]},
    )


def test_birth_record_rejects_a_mother_under_10(world):
    mother = WomanFactory.create(family=world.family, birth_date=D(2015, 6, 1))
    error = refused(
        lambda: birth_record(
            mother=mother, full_name="X", sex=Sex.MALE, birth_date=D(2024, 1, 1), actor=None
        ),
        {"birth_date": ["family.mother_too_young"]},
    )
    with translation.override("en"):
        assert error.messages == [
            "The mother was only 8 on the child's birth date; check the dates."
        ]


def test_birth_record_rejects_a_birth_in_the_future(world, siti):
    refused(
        lambda: birth_record(
            mother=siti, full_name="X", sex=Sex.MALE, birth_date=TOMORROW, actor=None
        ),
        {"birth_date": ["family.birth_in_future"]},
    )


def test_birth_record_rejects_a_birth_after_the_mothers_death(world):
    mother = WomanFactory.create(
        family=world.family, birth_date=D(1990, 1, 1), died_on=D(2023, 1, 1)
    )
    refused(
        lambda: birth_record(
            mother=mother, full_name="X", sex=Sex.MALE, birth_date=D(2023, 1, 2), actor=None
        ),
        {"mother": ["family.not_alive"]},
    )
    child = birth_record(
        mother=mother, full_name="Y", sex=Sex.MALE, birth_date=D(2023, 1, 1), actor=None
    )
    assert child.mother == mother


def test_birth_record_rejects_a_duplicate_nik(world, siti, rizky):
    refused(
        lambda: birth_record(
            mother=siti,
            full_name="X",
            sex=Sex.MALE,
            birth_date=rizky.birth_date,
            nik=rizky.nik,
            actor=None,
        ),
        {"nik": ["family.nik_duplicate"]},
    )


def test_birth_record_rejects_an_inactive_family(world):
    family = FamilyFactory.create(is_active=False)
    mother = WomanFactory.create(family=family, birth_date=D(1990, 1, 1))
    refused(
        lambda: birth_record(
            mother=mother, full_name="X", sex=Sex.MALE, birth_date=D(2024, 1, 1), actor=None
        ),
        {"__all__": ["family.inactive"]},
    )


# Scope: every write refuses actors who may not edit the register there, and changes nothing.

WRITES: dict[str, Callable[[Any, Any], Any]] = {
    "family_update": lambda w, a: family_update(
        family=w.family, kk_number=None, address="x", actor=a
    ),
    "family_move": lambda w, a: family_move(
        family=w.family, area=w.area(RT_2), address="", actor=a
    ),
    "family_deactivate": lambda w, a: family_deactivate(family=w.family, reason="x", actor=a),
    "person_add": lambda w, a: person_add(family=w.family, data=data(serial=None), actor=a),
    "person_update": lambda w, a: person_update(
        person=w.family.head,
        data=PersonData(
            full_name="X", sex=Sex.MALE, birth_date=D(1988, 3, 12), relation_to_head=Relation.HEAD
        ),
        actor=a,
    ),
    "person_move": lambda w, a: person_move(
        person=Person.objects.get(full_name="Rizky Pratama"),
        family=w.family_no_nik,
        relation_to_head=Relation.OTHER,
        actor=a,
    ),
    "couple_register": lambda w, a: couple_register(
        wife=Person.objects.get(full_name="Rahmawati"), husband=None, married_on=None, actor=a
    ),
    "couple_divorce": lambda w, a: couple_divorce(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"), on=D(2020, 1, 1), actor=a
    ),
    "person_record_death": lambda w, a: person_record_death(
        person=w.family.head, died_on=D(2020, 1, 1), actor=a
    ),
    "fertility_intention_record": lambda w, a: fertility_intention_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"), intention="soon", actor=a
    ),
    "pregnancy_record": lambda w, a: pregnancy_record(
        couple=Couple.objects.get(wife__full_name="Siti Aminah"),
        recorded_on=D(2024, 1, 1),
        expected_on=None,
        actor=a,
    ),
    "pregnancy_end": lambda w, a: pregnancy_end(
        pregnancy=PregnancyFactory.create(couple=Couple.objects.get(wife__full_name="Siti Aminah")),
        ended_on=D(2024, 2, 1),
        outcome="miscarriage",
        actor=a,
    ),
    "birth_record": lambda w, a: birth_record(
        mother=Person.objects.get(full_name="Siti Aminah"),
        full_name="X",
        sex=Sex.MALE,
        birth_date=D(2024, 1, 1),
        actor=a,
    ),
}


@pytest.mark.parametrize("username", OUT_OF_SCOPE)
@pytest.mark.parametrize("write", WRITES)
def test_write_outside_scope_is_not_found(world, write, username):
    actor = world.user(username)
    if write == "pregnancy_end":
        PregnancyFactory.create(couple=Couple.objects.get(wife__full_name="Siti Aminah"))
    family, head = world.family, world.family.head
    assert head is not None
    with nothing_changes(family, head), pytest.raises(Http404):
        if write == "pregnancy_end":
            pregnancy = Pregnancy.objects.get(ended_on__isnull=True)
            pregnancy_end(
                pregnancy=pregnancy, ended_on=D(2024, 2, 1), outcome="miscarriage", actor=actor
            )
        else:
            WRITES[write](world, actor)


@pytest.mark.parametrize("username", ["admin", "district", "pkb", "cadre"])
@pytest.mark.parametrize("write", WRITES)
def test_write_inside_scope_is_done(world, write, username):
    events = AuditEvent.objects.count()
    WRITES[write](world, world.user(username))
    assert AuditEvent.objects.count() > events
    assert event_actor_is(username)


def event_actor_is(username: str) -> bool:
    latest = AuditEvent.objects.first()
    return latest is not None and latest.actor is not None and latest.actor.username == username


# Every problem of the family register reads well in both languages.


def test_family_problems_render_in_both_languages():
    from kampungkb.families.errors import FamilyProblem

    params = {
        "nik": "1",
        "region": "2",
        "nik_date": "3",
        "birth_date": "4",
        "nik_sex": "M",
        "sex": "F",
        "kk": "5",
        "province": "6",
        "name": "Siti",
        "age": 9,
        "date": "2020-01-01",
    }
    for problem in FamilyProblem:
        error = problem.error(**params)
        with translation.override("id"):
            indonesian = error.messages[0]
        with translation.override("en"):
            english = error.messages[0]
        assert indonesian == problem.text_id.format(**params)
        assert english == problem.text_en.format(**params)
        assert indonesian != english
        assert "{" not in indonesian and "{" not in english
