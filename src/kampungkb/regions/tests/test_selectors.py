"""Reads of the area hierarchy; ``subtree_q`` is the prefix filter every scope uses."""

from __future__ import annotations

import pytest
from django.db.models import Q

from kampungkb.families.models import Family
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import (
    area_ancestors,
    area_children,
    area_counts_by_level,
    area_search,
    outermost_codes,
    subtree_q,
)
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, RT, RT_2, RW, VILLAGE, VILLAGE_2


def codes(q: Q, **filters) -> set[str]:
    return set(Area.objects.filter(q, **filters).values_list("code", flat=True))


def test_subtree_of_a_village_is_the_village_and_what_lies_under_it(world):
    assert codes(subtree_q("code", [VILLAGE])) == {VILLAGE, RW, RT, RT_2}


def test_subtree_of_a_village_does_not_reach_its_neighbour(world):
    assert VILLAGE_2 not in codes(subtree_q("code", [VILLAGE]))
    assert codes(subtree_q("code", [VILLAGE_2])) == {VILLAGE_2}


def test_subtree_of_an_rt(world):
    assert codes(subtree_q("code", [RT])) == {RT}


def test_subtree_of_a_kabupaten(world):
    inside = codes(subtree_q("code", [KAB]))
    assert inside == set(
        Area.objects.filter(code__startswith=KAB + ".").values_list("code", flat=True)
    ) | {KAB}
    assert all(code == KAB or code.startswith(KAB + ".") for code in inside)
    assert "64.03" not in inside


def test_subtree_matches_the_code_prefix_exactly_on_every_database(world):
    """SQLite reads the prefix as a range of codes (``code.`` to ``code/``), PostgreSQL as LIKE:
    both give exactly the codes that are the code or start with it and a dot, even next to
    codes that share the digits (``64.02`` and ``64.020``) or sort between the bounds."""
    kab = Area.objects.get(code=KAB)
    for code in ("64.020", "64.02-", "64.02/", "64.020.01"):
        Area.objects.create(
            code=code, name=code, level=Level.DISTRICT, kind="kecamatan", parent=kab
        )
    every = list(Area.objects.values_list("code", flat=True))
    for root in (KAB, "64", "64.020", KEC, RT):
        expected = {c for c in every if c == root or c.startswith(root + ".")}
        assert codes(subtree_q("code", [root])) == expected
        assert set(
            Family.objects.filter(subtree_q("area_id", [root])).values_list("area_id", flat=True)
        ) == {c for c in Family.objects.values_list("area_id", flat=True) if c in expected}


def test_subtree_of_several_codes_is_their_union(world):
    assert codes(subtree_q("code", [VILLAGE, VILLAGE_2])) == {VILLAGE, VILLAGE_2, RW, RT, RT_2}


def test_subtree_of_nothing_is_empty(world):
    assert codes(subtree_q("code", [])) == set()


def test_codes_inside_another_are_dropped(world):
    assert outermost_codes([VILLAGE, KEC, RT, KEC, OTHER_KAB]) == [OTHER_KAB, KEC]
    assert str(subtree_q("code", [VILLAGE, KEC, RT])) == str(subtree_q("code", [KEC]))
    assert codes(subtree_q("code", [VILLAGE, KEC, RT])) == codes(subtree_q("code", [KEC]))


def test_codes_with_a_common_text_prefix_are_both_kept():
    # 64.02.08.20056 does not lie inside 64.02.08.2005: subtrees go by whole segments.
    assert outermost_codes(["64.02.08.2005", "64.02.08.20056"]) == [
        "64.02.08.2005",
        "64.02.08.20056",
    ]


def test_a_code_does_not_match_a_longer_code_of_the_same_level(world):
    Area.objects.create(code=VILLAGE + "9", name="Odd", level=4, kind="desa", parent_id=KEC)
    assert codes(subtree_q("code", [VILLAGE])) == {VILLAGE, RW, RT, RT_2}
    assert codes(subtree_q("code", [KEC])) >= {VILLAGE, VILLAGE + "9"}


def test_subtree_q_on_a_two_step_relation(world):
    from kampungkb.families.models import Person

    persons = Person.objects.filter(subtree_q("family__area_id", [RT]))
    assert set(persons.values_list("family__area_id", flat=True)) == {RT}
    assert persons.count() == 3


def test_subtree_q_on_a_related_field(world):
    families = Family.objects.filter(subtree_q("area_id", [VILLAGE]))
    assert set(families.values_list("area_id", flat=True)) == {RT, RT_2}
    assert not Family.objects.filter(subtree_q("area_id", [VILLAGE_2])).exists()
    assert Family.objects.filter(subtree_q("area_id", [OTHER_KAB])).count() == 1


def test_area_ancestors_province_first(world, django_assert_num_queries):
    rt = world.area(RT)
    with django_assert_num_queries(1):
        ancestors = area_ancestors(rt)
    assert [a.code for a in ancestors] == ["64", KAB, KEC, VILLAGE, RW]


def test_area_ancestors_of_a_province_is_empty(world):
    assert area_ancestors(world.area("64")) == []


def test_area_children(world):
    assert [a.code for a in area_children(world.area(RW))] == [RT, RT_2]
    assert {a.code for a in area_children(None)} == {"52", "64"}


def test_area_children_leaves_out_inactive_areas(world):
    Area.objects.filter(code=RT_2).update(is_active=False)
    assert [a.code for a in area_children(world.area(RW))] == [RT]


def test_area_search_by_name_words(world):
    found = list(area_search("kota bangun ulu"))
    assert [a.code for a in found] == [VILLAGE]


def test_area_search_by_code_prefix(world):
    found = [a.code for a in area_search("64.02.08.200")]
    assert found == sorted(found)
    assert VILLAGE in found and VILLAGE_2 in found
    assert all(code.startswith("64.02.08.200") for code in found)


@pytest.mark.parametrize("query", ["", "   "])
def test_area_search_of_nothing_finds_nothing(world, query):
    assert list(area_search(query)) == []


def test_area_search_within_a_base(world):
    base = Area.objects.filter(code__startswith="52")
    assert list(area_search("kota bangun", base=base)) == []


def test_area_search_limit(world):
    assert len(area_search("64", limit=3)) == 3


def test_area_counts_by_level(world):
    counts = area_counts_by_level(Area.objects.filter(code__startswith=VILLAGE))
    assert counts == {Level.VILLAGE: 1, Level.HAMLET: 1, Level.NEIGHBOURHOOD: 2}
