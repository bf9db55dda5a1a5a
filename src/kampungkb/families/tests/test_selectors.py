"""Reads of the family register: search, scope, the PUS filter and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kampungkb.families.models import Couple, CoupleStatus, Family, Person, Pregnancy
from kampungkb.families.selectors import (
    couple_get,
    couple_list,
    family_couples,
    family_get,
    family_list,
    family_members,
    person_get,
    person_list,
    pus_q,
    years_before,
)
from kampungkb.families.services import family_deactivate
from kampungkb.testing.factories import (
    CoupleFactory,
    FamilyFactory,
    ManFactory,
    PersonFactory,
    PregnancyFactory,
    WomanFactory,
)
from kampungkb.testing.world import OTHER_KAB, RT, RT_2, VILLAGE, VILLAGE_2

D = dt.date


def head_name(family: Family) -> str:
    return family.head.full_name if family.head else ""


def member_count(family: Family) -> int:
    return family.member_count  # type: ignore[attr-defined]  # an annotation of family_list


# years_before.


@pytest.mark.parametrize(
    ("on", "years", "expected"),
    [
        (D(2024, 5, 17), 15, D(2009, 5, 17)),
        (D(2024, 2, 29), 15, D(2009, 2, 28)),  # 2009 has no 29 February
        (D(2024, 2, 29), 4, D(2020, 2, 29)),
        (D(2024, 2, 29), 50, D(1974, 2, 28)),
        (D(2023, 3, 1), 15, D(2008, 3, 1)),
        (D(2000, 2, 29), 100, D(1900, 2, 28)),
    ],
)
def test_years_before(on, years, expected):
    assert years_before(on, years) == expected


# family_list.


def test_family_list_newest_first_with_member_counts(world):
    families = list(family_list(user=world.user("cadre")))
    assert families == [world.family_no_nik, world.family]
    assert [member_count(f) for f in families] == [1, 3]


def test_family_list_member_count_leaves_out_inactive_members(world):
    PersonFactory.create(family=world.family, is_active=False)
    assert member_count(family_list(user=world.user("cadre")).get(pk=world.family.pk)) == 3


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", {"Sutrisno", "Rahmawati", "Lalu Ahmad"}),
        ("district", {"Sutrisno", "Rahmawati"}),
        ("pkb", {"Sutrisno", "Rahmawati"}),
        ("cadre", {"Sutrisno", "Rahmawati"}),
        ("cadre_rt", {"Sutrisno"}),
        ("partner", set()),
        ("viewer", set()),
        ("other_district", {"Lalu Ahmad"}),
        ("other_cadre", {"Lalu Ahmad"}),
    ],
)
def test_family_list_scope(world, username, expected):
    heads = {head_name(f) for f in family_list(user=world.user(username))}
    assert heads == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siti", {"Sutrisno"}),
        ("SITI aminah", {"Sutrisno"}),
        ("  aminah   siti ", {"Sutrisno"}),
        ("rahma", {"Rahmawati"}),
        ("a", {"Sutrisno", "Rahmawati"}),
        ("siti rahmawati", set()),  # the words must name one member
        ("siti pratama", set()),
        ("budi", set()),
        ("lalu", set()),  # out of scope
        ("640", set()),  # three digits are a name search
    ],
)
def test_family_list_search_by_name_words(world, query, expected):
    heads = {head_name(f) for f in family_list(user=world.user("cadre"), query=query)}
    assert heads == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("6402", {"Sutrisno"}),
        ("640208", {"Sutrisno"}),
        ("6402081203150001", {"Sutrisno"}),  # the KK
        ("64.02.08-1203", {"Sutrisno"}),  # separators are ignored
        ("6402084407920002", {"Sutrisno"}),  # Siti's NIK
        ("64020809011", {"Sutrisno"}),  # Rizky's NIK, a prefix
        ("6402081203150002", set()),
        ("5203", set()),  # out of scope
        ("0208", set()),  # a prefix, not a substring
    ],
)
def test_family_list_search_by_nik_or_kk_prefix(world, query, expected):
    heads = {head_name(f) for f in family_list(user=world.user("cadre"), query=query)}
    assert heads == expected


def test_family_list_search_by_kk_prefix_in_another_area(world):
    found = list(family_list(user=world.user("other_cadre"), query="520313"))
    assert found == [world.other_family]


def test_family_list_search_does_not_repeat_a_family(world):
    found = list(family_list(user=world.user("cadre"), query="640208"))
    assert found == [world.family]


def test_family_list_area_filter(world):
    user = world.user("district")
    assert list(family_list(user=user, area_code=RT_2)) == [world.family_no_nik]
    assert list(family_list(user=user, area_code=VILLAGE_2)) == []
    assert len(family_list(user=user, area_code=VILLAGE)) == 2
    # An area filter never widens the scope.
    assert list(family_list(user=world.user("cadre_rt"), area_code=VILLAGE)) == [world.family]
    assert list(family_list(user=user, area_code=OTHER_KAB)) == []


def test_family_list_inactive(world):
    family_deactivate(family=world.family, reason="Pindah", actor=None)
    user = world.user("cadre")
    assert list(family_list(user=user)) == [world.family_no_nik]
    assert set(family_list(user=user, include_inactive=True)) == {world.family, world.family_no_nik}


def test_family_list_query_count(world, django_assert_num_queries):
    for _ in range(5):
        family = FamilyFactory.create()
        PersonFactory.create(family=family)
    user = world.user("cadre")
    with django_assert_num_queries(2):  # the scope, then the page
        rows = [(head_name(f), f.area.name, member_count(f)) for f in family_list(user=user)]
    assert len(rows) == 7
    with django_assert_num_queries(1):
        list(family_list(user=user, query="warga"))
    with django_assert_num_queries(1):
        list(family_list(user=user, query="6402"))


# family_get / family_members / family_couples.


def test_family_get(world, django_assert_num_queries):
    user = world.user("cadre_rt")
    family = family_get(user=user, pk=world.family.pk)
    with django_assert_num_queries(0):
        assert (head_name(family), family.area.parent_id, str(family.area.parent)) == (
            "Sutrisno",
            f"{VILLAGE}.001",
            "RW 001",
        )
    for pk in (world.family_no_nik.pk, world.other_family.pk, 0):
        with pytest.raises(Http404):
            family_get(user=user, pk=pk)
    with pytest.raises(Http404):
        family_get(user=world.user("partner"), pk=world.family.pk)


def test_family_members_head_first_then_by_birth_date_inactive_last(world):
    family = world.family
    older = PersonFactory.create(family=family, birth_date=D(1950, 1, 1), full_name="Nenek")
    gone = PersonFactory.create(
        family=family, birth_date=D(1940, 1, 1), is_active=False, full_name="Kakek"
    )
    names = [p.full_name for p in family_members(family)]
    assert names == ["Sutrisno", older.full_name, "Siti Aminah", "Rizky Pratama", gone.full_name]


def test_family_couples(world, django_assert_num_queries):
    couple = Couple.objects.get(wife__full_name="Siti Aminah")
    old = CoupleFactory.create(
        husband=ManFactory.create(family=world.family),
        wife=WomanFactory.create(family=world.family_no_nik),
        status=CoupleStatus.DIVORCED,
        ended_on=D(2011, 1, 1),
    )
    PregnancyFactory.create(couple=couple, recorded_on=D(2024, 1, 1))
    PregnancyFactory.create(
        couple=couple, recorded_on=D(2022, 1, 1), ended_on=D(2022, 5, 1), outcome="miscarriage"
    )
    with django_assert_num_queries(2):
        rows = [
            (
                c.pk,
                c.wife.family.pk,
                c.husband.family.pk if c.husband else None,
                [p.recorded_on for p in c.pregnancies.all()],
            )
            for c in family_couples(world.family)
        ]
    assert rows == [
        (old.pk, world.family_no_nik.pk, world.family.pk, []),
        (couple.pk, world.family.pk, world.family.pk, [D(2024, 1, 1), D(2022, 1, 1)]),
    ]
    assert list(family_couples(world.family_no_nik)) == [old]


# person_list / person_get.


def test_person_list_scope_and_order(world):
    names = [p.full_name for p in person_list(user=world.user("cadre"))]
    assert names == ["Rahmawati", "Rizky Pratama", "Siti Aminah", "Sutrisno"]
    assert [p.full_name for p in person_list(user=world.user("other_cadre"))] == [
        "Baiq Nurul",
        "Lalu Ahmad",
    ]
    assert list(person_list(user=world.user("viewer"))) == []


def test_person_list_search(world):
    user = world.user("cadre")
    assert [p.full_name for p in person_list(user=user, query="pratama rizky")] == ["Rizky Pratama"]
    assert [p.full_name for p in person_list(user=user, query="6402 0844")] == ["Siti Aminah"]
    assert [p.full_name for p in person_list(user=user, query="640208")] == [
        "Rizky Pratama",
        "Siti Aminah",
        "Sutrisno",
    ]
    assert list(person_list(user=user, query="5203")) == []


def test_person_list_area_filter_and_inactive(world):
    user = world.user("district")
    assert [p.full_name for p in person_list(user=user, area_code=RT_2)] == ["Rahmawati"]
    PersonFactory.create(family=world.family_no_nik, is_active=False)
    assert [p.full_name for p in person_list(user=user, area_code=RT_2)] == ["Rahmawati"]


def test_person_list_query_count(world, django_assert_num_queries):
    user = world.user("pkb")
    with django_assert_num_queries(2):
        rows = [(p.full_name, p.family.area.name) for p in person_list(user=user)]
    assert len(rows) == 4


def test_person_get(world):
    siti = Person.objects.get(full_name="Siti Aminah")
    assert person_get(user=world.user("cadre_rt"), pk=siti.pk) == siti
    with pytest.raises(Http404):
        person_get(user=world.user("other_district"), pk=siti.pk)
    with pytest.raises(Http404):
        person_get(user=world.user("viewer"), pk=siti.pk)


# couple_list / couple_get / pus_q.


def test_couple_list_scope(world):
    assert [c.wife.full_name for c in couple_list(user=world.user("cadre"))] == ["Siti Aminah"]
    assert [c.wife.full_name for c in couple_list(user=world.user("other_cadre"))] == ["Baiq Nurul"]
    assert list(couple_list(user=world.user("partner"))) == []
    assert couple_list(user=world.user("admin")).count() == 2


def test_couple_list_current_only_and_area(world):
    divorced = CoupleFactory.create(status=CoupleStatus.DIVORCED, ended_on=D(2015, 1, 1))
    user = world.user("cadre")
    assert divorced in couple_list(user=user)
    assert divorced not in couple_list(user=user, current_only=True)
    assert list(couple_list(user=user, area_code=RT_2)) == []
    assert divorced in couple_list(user=user, area_code=RT)


def test_couple_list_pus_on(world):
    user = world.user("admin")
    # Siti (born 1992-07-04, married 2012-05-20); Baiq (born 1990-02-14, married 2009-08-01).
    assert {c.wife.full_name for c in couple_list(user=user, pus_on=D(2024, 1, 1))} == {
        "Siti Aminah",
        "Baiq Nurul",
    }
    assert {c.wife.full_name for c in couple_list(user=user, pus_on=D(2012, 5, 19))} == {
        "Baiq Nurul"
    }
    assert {c.wife.full_name for c in couple_list(user=user, pus_on=D(2040, 2, 14))} == {
        "Siti Aminah"
    }
    assert {c.wife.full_name for c in couple_list(user=user, pus_on=D(2040, 2, 13))} == {
        "Siti Aminah",
        "Baiq Nurul",
    }


def test_couple_list_query_count(world, django_assert_num_queries):
    for _ in range(4):
        CoupleFactory.create()
    user = world.user("cadre")
    with django_assert_num_queries(2):
        rows = [
            (c.wife.full_name, c.husband.full_name if c.husband else "", c.wife.family.pk)
            for c in couple_list(user=user, pus_on=D(2024, 1, 1))
        ]
    assert len(rows) == 5


def test_couple_get(world):
    couple = Couple.objects.get(wife__full_name="Siti Aminah")
    found = couple_get(user=world.user("cadre_rt"), pk=couple.pk)
    assert found.wife.family.area.code == RT
    with pytest.raises(Http404):
        couple_get(user=world.user("other_cadre"), pk=couple.pk)


def test_pus_q_through_a_relation(world):
    couple = Couple.objects.get(wife__full_name="Siti Aminah")
    pregnancy = PregnancyFactory.create(couple=couple)
    assert list(Pregnancy.objects.filter(pus_q(D(2024, 1, 1), prefix="couple__"))) == [pregnancy]
    assert not Pregnancy.objects.filter(pus_q(D(2012, 1, 1), prefix="couple__")).exists()


@pytest.mark.parametrize(
    ("born", "on", "pus"),
    [
        (D(2009, 2, 28), D(2024, 2, 29), True),  # 15 the day before
        (D(2009, 3, 1), D(2024, 2, 29), False),  # 15 the day after
        (D(1974, 2, 28), D(2024, 2, 29), False),  # 50 the day before
        (D(1974, 3, 1), D(2024, 2, 29), True),  # 49 until the next day
        (D(2008, 2, 29), D(2023, 2, 28), False),  # 15 on 1 March of a common year
        (D(2008, 2, 29), D(2023, 3, 1), True),
        (D(1972, 2, 29), D(2022, 2, 28), True),  # 50 on 1 March of a common year
        (D(1972, 2, 29), D(2022, 3, 1), False),
        (D(1976, 2, 29), D(2024, 2, 29), True),  # 48 on her birthday
    ],
)
def test_pus_q_around_29_february(world, born, on, pus):
    couple = CoupleFactory.create(
        wife=WomanFactory.create(birth_date=born, nik=None), husband=None, married_on=None
    )
    assert couple.is_pus_on(on) is pus
    assert Couple.objects.filter(pus_q(on), pk=couple.pk).exists() is pus


@st.composite
def around_29_february(draw: st.DrawFn) -> dt.date:
    """28 February, 29 February (leap years) or 1 March: where years_before must be careful."""
    year = draw(st.integers(min_value=1940, max_value=2015))
    days = [D(year, 2, 28), D(year, 3, 1)]
    if year % 4 == 0:
        days.append(D(year, 2, 29))
    return draw(st.sampled_from(days))


@st.composite
def couple_specs(draw: st.DrawFn) -> dict:
    born = draw(
        st.one_of(
            st.dates(min_value=D(1940, 1, 1), max_value=D(2015, 12, 31)), around_29_february()
        )
    )
    married = draw(st.one_of(st.none(), st.dates(min_value=born, max_value=D(2024, 12, 31))))
    start = married or born
    ended = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=D(2030, 12, 31))))
    died = draw(st.one_of(st.none(), st.dates(min_value=born, max_value=D(2030, 12, 31))))
    return {"born": born, "married": married, "ended": ended, "died": died}


def edge_dates(spec: dict) -> list[dt.date]:
    """Dates where the PUS status may flip: birthdays 15 and 50, and the marriage's bounds."""
    born = spec["born"]
    edges = []
    for years in (15, 50):
        try:
            birthday = born.replace(year=born.year + years)
        except ValueError:  # 29 February: the birthday is 1 March in a common year
            birthday = D(born.year + years, 3, 1)
        edges.append(birthday)
    for key in ("married", "ended", "died"):
        if spec[key] is not None:
            edges.append(spec[key])
    return [d + dt.timedelta(days=delta) for d in edges for delta in (-1, 0, 1)]


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(couple_specs(), min_size=1, max_size=6), st.data())
def test_pus_q_agrees_with_is_pus_on(world, specs, data):
    with transaction.atomic():
        couples = []
        for spec in specs:
            wife = WomanFactory.create(birth_date=spec["born"], died_on=spec["died"], nik=None)
            status = CoupleStatus.MARRIED if spec["ended"] is None else CoupleStatus.DIVORCED
            couples.append(
                CoupleFactory.create(
                    wife=wife,
                    husband=None,
                    married_on=spec["married"],
                    status=status,
                    ended_on=spec["ended"],
                )
            )
        ids = [c.pk for c in couples]
        edges = sorted({d for spec in specs for d in edge_dates(spec)})
        days = data.draw(
            st.lists(
                st.one_of(
                    st.sampled_from(edges),
                    st.dates(min_value=D(1950, 1, 1), max_value=D(2070, 12, 31)),
                ),
                min_size=1,
                max_size=8,
            )
        )
        for on in days:
            expected = {c.pk for c in couples if c.is_pus_on(on)}
            found = set(
                Couple.objects.filter(pk__in=ids).filter(pus_q(on)).values_list("pk", flat=True)
            )
            assert found == expected, on
        transaction.set_rollback(True)
