"""THE scope function: what each user may see and change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from kampungkb.accounts.models import Role
from kampungkb.accounts.scope import (
    NATIONAL,
    SYSTEM,
    Capability,
    Scope,
    area_or_404,
    area_or_first_root,
    ensure_can,
    get_scoped_or_404,
    root_areas,
    scope_for,
    scoped,
)
from kampungkb.contraception.models import Facility
from kampungkb.families.models import Couple, Family, Person, Pregnancy
from kampungkb.regions.models import Area
from kampungkb.testing.factories import FamilyFactory, RoleAssignmentFactory, UserFactory
from kampungkb.testing.world import (
    KAB,
    KEC,
    OTHER_KAB,
    OTHER_RT,
    OTHER_VILLAGE,
    RT,
    RT_2,
    RW,
    VILLAGE,
    VILLAGE_2,
)

ALL = frozenset(Capability)
NAMED = frozenset(
    {
        Capability.VIEW_AGGREGATES,
        Capability.VIEW_PERSONS,
        Capability.EDIT_REGISTER,
        Capability.EDIT_PROGRAMME,
    }
)

# username -> (capabilities held, the areas they are held in)
EXPECTED: dict[str, tuple[frozenset[Capability], frozenset[str]]] = {
    "admin": (ALL, frozenset({NATIONAL})),
    "district": (ALL, frozenset({KAB})),
    "pkb": (ALL - {Capability.APPROVE_INCENTIVES}, frozenset({VILLAGE, VILLAGE_2})),
    "cadre": (NAMED, frozenset({VILLAGE})),
    "cadre_rt": (NAMED, frozenset({RT})),
    "partner": (frozenset({Capability.VIEW_AGGREGATES}), frozenset({KAB})),
    "viewer": (frozenset({Capability.VIEW_AGGREGATES}), frozenset({NATIONAL})),
    "other_district": (ALL, frozenset({OTHER_KAB})),
    "other_cadre": (NAMED, frozenset({OTHER_VILLAGE})),
}


@pytest.mark.parametrize("username", EXPECTED)
def test_scope_for_each_role(world, username):
    held, areas = EXPECTED[username]
    scope = scope_for(world.user(username))
    assert scope.roots == dict.fromkeys(held, areas)
    for capability in Capability:
        assert scope.can(capability) == (capability in held)
        assert scope.is_national(capability) == (capability in held and areas == {NATIONAL})


def test_scope_roles(world):
    assert scope_for(world.user("admin")).roles == {Role.ADMIN}
    assert scope_for(world.user("cadre_rt")).roles == {Role.CADRE}
    assert scope_for(world.user("viewer")).roles == {Role.VIEWER}


def test_scope_of_nobody_is_empty(world):
    for user in (None, AnonymousUser()):
        scope = scope_for(user)
        assert scope.roots == {} and scope.roles == frozenset()
        assert not scope.can(Capability.VIEW_AGGREGATES)


def test_scope_of_an_inactive_user_is_empty(world):
    user = world.user("district")
    user.is_active = False
    assert scope_for(user).roots == {}


def test_superuser_without_assignments_is_national(world):
    user = UserFactory.create(is_superuser=True)
    scope = scope_for(user)
    assert scope.roles == {Role.ADMIN}
    assert all(scope.is_national(c) for c in Capability)


def test_user_without_assignments_sees_nothing(world):
    user = UserFactory.create()
    assert scope_for(user).roots == {}
    assert not scoped(user, Area.objects.all()).exists()


def test_scope_is_cached_on_the_user_object(world, django_assert_num_queries):
    user = world.user("pkb")
    with django_assert_num_queries(1):
        first = scope_for(user)
    with django_assert_num_queries(0):
        assert scope_for(user) is first
    again = world.user("pkb")
    with django_assert_num_queries(1):
        assert scope_for(again) == first


def test_several_roles_combine(world):
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.CADRE, area=world.area(VILLAGE))
    RoleAssignmentFactory.create(user=user, role=Role.PARTNER, area=world.area(KAB))
    scope = scope_for(user)
    assert scope.roles == {Role.CADRE, Role.PARTNER}
    assert scope.areas(Capability.VIEW_AGGREGATES) == {KAB, VILLAGE}
    assert scope.areas(Capability.VIEW_PERSONS) == {VILLAGE}
    assert scope.areas(Capability.EDIT_AREAS) == frozenset()


def test_national_partner_sees_aggregates_of_the_nation_only(world):
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.PARTNER, area=None)
    scope = scope_for(user)
    assert scope.is_national(Capability.VIEW_AGGREGATES)
    assert not scope.can(Capability.VIEW_PERSONS)
    assert scoped(user, Area.objects.all()).count() == Area.objects.count()
    assert not scoped(user, Family.objects.all()).exists()


# Scope.can on codes.


def test_can_is_the_subtree_by_segments():
    scope = Scope(roots={Capability.VIEW_PERSONS: frozenset({VILLAGE})}, roles=frozenset())
    assert scope.can(Capability.VIEW_PERSONS, VILLAGE)
    assert scope.can(Capability.VIEW_PERSONS, RT)
    assert not scope.can(Capability.VIEW_PERSONS, VILLAGE_2)
    assert not scope.can(Capability.VIEW_PERSONS, KEC)
    assert not scope.can(Capability.VIEW_PERSONS, VILLAGE + "1")
    assert not scope.can(Capability.VIEW_PERSONS, VILLAGE[:-1])
    assert not scope.can(Capability.EDIT_REGISTER, VILLAGE)


def test_can_nationally():
    scope = Scope(roots={Capability.VIEW_AGGREGATES: frozenset({NATIONAL})}, roles=frozenset())
    assert scope.can(Capability.VIEW_AGGREGATES, "11.01")
    assert scope.can(Capability.VIEW_AGGREGATES)


# scoped.

VISIBLE_FAMILIES = {
    "admin": 3,
    "district": 2,
    "pkb": 2,
    "cadre": 2,
    "cadre_rt": 1,
    "partner": 0,
    "viewer": 0,
    "other_district": 1,
    "other_cadre": 1,
}

VISIBLE_COUPLES = {**{u: min(n, 1) for u, n in VISIBLE_FAMILIES.items()}, "admin": 2}


@pytest.mark.parametrize("username", VISIBLE_FAMILIES)
def test_scoped_personal_models(world, username):
    user = world.user(username)
    assert scoped(user, Family.objects.all()).count() == VISIBLE_FAMILIES[username]
    persons = scoped(user, Person.objects.all())
    areas = set(persons.values_list("family__area_id", flat=True))
    held, roots = EXPECTED[username]
    if Capability.VIEW_PERSONS not in held:
        assert areas == set()
    elif roots != {NATIONAL}:
        assert all(any(a == r or a.startswith(r + ".") for r in roots) for a in areas)
    assert scoped(user, Couple.objects.all()).count() == VISIBLE_COUPLES[username]


def test_scoped_family_by_rt(world):
    assert set(scoped(world.user("cadre_rt"), Family.objects.all())) == {world.family}
    assert set(scoped(world.user("cadre"), Family.objects.all())) == {
        world.family,
        world.family_no_nik,
    }
    assert set(scoped(world.user("other_cadre"), Family.objects.all())) == {world.other_family}


def test_scoped_pregnancies_follow_the_wife(world):
    from kampungkb.testing.factories import PregnancyFactory

    pregnancy = PregnancyFactory.create()
    assert list(scoped(world.user("cadre_rt"), Pregnancy.objects.all())) == [pregnancy]
    assert not scoped(world.user("other_cadre"), Pregnancy.objects.all()).exists()
    assert not scoped(world.user("partner"), Pregnancy.objects.all()).exists()


def test_a_village_user_does_not_see_the_neighbouring_village(world):
    neighbour = FamilyFactory.create(area=world.area(VILLAGE_2))
    assert neighbour not in scoped(world.user("cadre"), Family.objects.all())
    assert neighbour in scoped(world.user("pkb"), Family.objects.all())
    assert neighbour in scoped(world.user("district"), Family.objects.all())
    assert neighbour not in scoped(world.user("other_district"), Family.objects.all())


def test_no_false_match_on_a_longer_code(world):
    # Codes have fixed-width segments; should a wider code ever be stored, the subtree of
    # 64.02.08.2005 still must not reach 64.02.08.20051 (nor Scope.can disagree with scoped).
    village = world.area(VILLAGE)
    odd = Area.objects.create(code=VILLAGE + "1", name="Odd", level=4, kind="desa", parent_id=KEC)
    family = FamilyFactory.create(area=odd)
    cadre = world.user("cadre")
    assert not scope_for(cadre).can(Capability.VIEW_PERSONS, odd.code)
    assert family not in scoped(cadre, Family.objects.all())
    assert odd not in scoped(cadre, Area.objects.all())
    assert village in scoped(cadre, Area.objects.all())


def test_scoped_non_personal_model_uses_aggregates(world):
    partner = world.user("partner")
    areas = scoped(partner, Area.objects.all())
    assert areas.filter(code=KAB).exists()
    assert areas.filter(code=RT).exists()
    assert not areas.filter(code="64").exists()
    assert not areas.filter(code=OTHER_KAB).exists()
    assert scoped(world.user("viewer"), Area.objects.all()).count() == Area.objects.count()


def test_scoped_with_a_write_capability(world):
    cadre = world.user("cadre")
    assert not scoped(cadre, Area.objects.all(), Capability.EDIT_AREAS).exists()
    assert scoped(world.user("pkb"), Area.objects.all(), Capability.EDIT_AREAS).count() == 5
    assert not scoped(
        world.user("partner"), Family.objects.all(), Capability.EDIT_REGISTER
    ).exists()


def test_scoped_of_a_nobody_is_empty(world):
    assert not scoped(None, Area.objects.all()).exists()
    assert not scoped(AnonymousUser(), Family.objects.all()).exists()


def test_scoped_national_user_is_not_filtered(world):
    qs = Family.objects.all()
    assert scoped(world.user("admin"), qs) is qs


def test_scoped_costs_one_query_for_the_scope(world, django_assert_num_queries):
    user = world.user("cadre")
    with django_assert_num_queries(2):
        list(scoped(user, Family.objects.all()))
    with django_assert_num_queries(1):
        list(scoped(user, Family.objects.all()))


# The helpers.


def test_get_scoped_or_404(world):
    family = world.family
    assert get_scoped_or_404(world.user("cadre_rt"), Family.objects.all(), pk=family.pk) == family
    with pytest.raises(Http404):
        get_scoped_or_404(world.user("other_cadre"), Family.objects.all(), pk=family.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(world.user("partner"), Family.objects.all(), pk=family.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(world.user("admin"), Family.objects.all(), pk=0)


def test_area_or_404(world):
    cadre = world.user("cadre")
    assert area_or_404(cadre, RT).code == RT
    village = area_or_404(cadre, VILLAGE)
    assert village.parent is not None and village.parent.code == KEC
    for code in (VILLAGE_2, KEC, "nope"):
        with pytest.raises(Http404):
            area_or_404(cadre, code)
    partner = world.user("partner")
    assert area_or_404(partner, KEC).code == KEC
    with pytest.raises(Http404):
        area_or_404(partner, KEC, Capability.VIEW_PERSONS)
    with pytest.raises(Http404):
        area_or_404(partner, OTHER_VILLAGE)


def test_root_areas(world):
    assert [a.code for a in root_areas(world.user("admin")).order_by("code")] == ["52", "64"]
    assert [a.code for a in root_areas(world.user("pkb")).order_by("code")] == [VILLAGE, VILLAGE_2]
    assert [a.code for a in root_areas(world.user("cadre_rt"))] == [RT]
    assert [a.code for a in root_areas(world.user("partner"))] == [KAB]
    assert list(root_areas(world.user("partner"), Capability.VIEW_PERSONS)) == []
    assert [a.code for a in root_areas(world.user("viewer")).order_by("code")] == ["52", "64"]


def test_area_or_first_root(world):
    assert area_or_first_root(world.user("pkb"), None).code == VILLAGE
    assert area_or_first_root(world.user("pkb"), VILLAGE_2).code == VILLAGE_2
    assert area_or_first_root(world.user("district"), "").code == KAB
    with pytest.raises(Http404):
        area_or_first_root(world.user("district"), "52.03")
    with pytest.raises(Http404):
        area_or_first_root(world.user("partner"), None, Capability.VIEW_PERSONS)


def test_root_areas_leaves_out_areas_inside_another_root(world):
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, role=Role.DISTRICT_OFFICER, area=world.area(KAB))
    RoleAssignmentFactory.create(user=user, role=Role.CADRE, area=world.area(RT_2))
    RoleAssignmentFactory.create(user=user, role=Role.CADRE, area=world.area(OTHER_RT))
    roots = [a.code for a in root_areas(user).order_by("code")]
    assert roots == [OTHER_RT, KAB]


def test_ensure_can(world):
    ensure_can(None, Capability.EDIT_AREAS, RT)
    ensure_can(world.user("cadre_rt"), Capability.EDIT_REGISTER, RT)
    ensure_can(world.user("district"), Capability.EDIT_AREAS, RW)
    with pytest.raises(Http404):
        ensure_can(world.user("cadre_rt"), Capability.EDIT_REGISTER, RT_2)
    with pytest.raises(Http404):
        ensure_can(world.user("cadre"), Capability.EDIT_AREAS, RT)
    with pytest.raises(Http404):
        ensure_can(world.user("partner"), Capability.EDIT_REGISTER, RT)
    with pytest.raises(Http404):
        ensure_can(world.user("viewer"), Capability.VIEW_PERSONS, RT)
    with pytest.raises(Http404):
        ensure_can(AnonymousUser(), Capability.VIEW_AGGREGATES, RT)


def test_reads_of_a_widening_model_cover_the_kabupaten_but_writes_do_not(world) -> None:
    puskesmas = Facility.objects.create(
        code="P6402080101",
        name="Puskesmas Kota Bangun",
        kind="puskesmas",
        ownership="government",
        area=world.area("64.02.08"),
    )
    other = Facility.objects.create(
        code="P5203130101",
        name="Puskesmas Suralaga",
        kind="puskesmas",
        ownership="government",
        area=world.area("52.03.13"),
    )
    cadre = world.user("cadre_rt")
    assert list(scoped(cadre, Facility.objects.all())) == [puskesmas]
    assert list(scoped(cadre, Facility.objects.all(), Capability.EDIT_AREAS)) == []
    assert list(scoped(world.user("other_cadre"), Facility.objects.all())) == [other]
    assert set(scoped(world.user("admin"), Facility.objects.all())) == {puskesmas, other}


def test_the_system_reader_sees_the_nation_for_every_capability(world) -> None:
    scope = scope_for(SYSTEM)
    assert all(scope.is_national(capability) for capability in Capability)
    assert scoped(SYSTEM, Family.objects.all()).count() == Family.objects.count() == 3
