import datetime as dt

import pytest

from kampungkb.contraception.services import followup_record
from kampungkb.families.models import Relation, Sex
from kampungkb.families.services import couple_register, family_register, person_add
from kampungkb.participation.selectors import Ranking, barrier_ranking
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB, KEC, OTHER_KAB, RT, RW, VILLAGE, VILLAGE_2, person

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 8, 31)

pytestmark = pytest.mark.usefixtures("barriers")


def counts(ranking: Ranking) -> dict[str, tuple[int, int | None]]:
    return {r.entry.code.value: (r.count, r.rank) for r in ranking.rows if r.count}


def matrix(ranking: Ranking) -> dict[str | None, dict[str, int]]:
    return {
        line.area.code if line.area else None: {
            e.code.value: n for e, n in zip(ranking.columns, line.counts, strict=True) if n
        }
        for line in ranking.matrix
        if line.total
    }


def test_ranking_of_a_kecamatan() -> None:
    ranking = barrier_ranking(area_code=KEC, first=FIRST, last=LAST)
    assert ranking.total == 5
    assert [(r.entry.code.value, r.count, r.share, r.rank) for r in ranking.rows[:4]] == [
        ("religious_belief", 3, 0.6, 1),
        ("myth_many_children", 1, 0.2, 2),
        ("husband_objects", 1, 0.2, 2),
        ("side_effects", 0, 0.0, None),
    ]
    assert len(ranking.rows) == 12
    assert matrix(ranking) == {
        VILLAGE: {"religious_belief": 2, "husband_objects": 1},
        VILLAGE_2: {"religious_belief": 1, "myth_many_children": 1},
    }
    assert all(line.area is not None for line in ranking.matrix)


def test_ranking_of_a_kabupaten_groups_by_kecamatan() -> None:
    ranking = barrier_ranking(area_code=KAB, first=FIRST, last=LAST)
    assert counts(ranking) == {
        "religious_belief": (3, 1),
        "myth_many_children": (1, 2),
        "husband_objects": (1, 2),
    }
    assert matrix(ranking) == {
        KEC: {"religious_belief": 3, "husband_objects": 1, "myth_many_children": 1}
    }


def test_ranking_of_a_village_and_its_rt() -> None:
    village = barrier_ranking(area_code=VILLAGE, first=FIRST, last=LAST)
    assert counts(village) == {"religious_belief": (2, 1), "husband_objects": (1, 2)}
    assert matrix(village) == {RW: {"religious_belief": 2, "husband_objects": 1}}
    rt = barrier_ranking(area_code=RT, first=FIRST, last=LAST)
    assert (rt.total, rt.matrix) == (3, [])


def test_families_of_the_area_itself_have_their_own_row() -> None:
    family = family_register(
        area=Area.objects.get(code=VILLAGE),
        kk_number=None,
        address="Jl. Ulu",
        head=person("Budi", Sex.MALE, dt.date(1991, 2, 3), Relation.HEAD, 51),
        actor=None,
    )
    wife = person_add(
        family=family,
        data=person("Sri", Sex.FEMALE, dt.date(1996, 3, 4), Relation.WIFE, 52),
        actor=None,
    )
    couple = couple_register(
        wife=wife, husband=family.head, married_on=dt.date(2016, 1, 1), actor=None
    )
    followup_record(
        couple=couple,
        episode=None,
        done_on=dt.date(2025, 2, 2),
        outcome="refused",
        barrier="access",
        actor=None,
    )
    ranking = barrier_ranking(area_code=VILLAGE, first=FIRST, last=LAST)
    assert matrix(ranking) == {
        RW: {"religious_belief": 2, "husband_objects": 1},
        None: {"access": 1},
    }


def test_an_area_without_sub_areas_has_no_matrix() -> None:
    # Agus Salim's family is recorded at Kota Bangun Ilir, which has no RW in the world.
    ranking = barrier_ranking(area_code=VILLAGE_2, first=FIRST, last=LAST)
    assert (ranking.total, ranking.matrix) == (2, [])


def test_months_bound_the_count_and_other_districts_stay_out() -> None:
    one_month = barrier_ranking(area_code=KEC, first=dt.date(2025, 5, 1), last=dt.date(2025, 5, 31))
    assert counts(one_month) == {"religious_belief": (1, 1), "husband_objects": (1, 1)}
    wide = barrier_ranking(area_code=VILLAGE, first=dt.date(2024, 12, 1), last=LAST)
    assert counts(wide)["side_effects"] == (1, 2)
    other = barrier_ranking(area_code=OTHER_KAB, first=FIRST, last=LAST)
    assert counts(other) == {"religious_belief": (1, 1), "husband_objects": (1, 1)}


def test_no_barrier_gives_no_share() -> None:
    ranking = barrier_ranking(area_code=RT, first=dt.date(2020, 1, 1), last=dt.date(2020, 1, 31))
    assert ranking.total == 0
    assert {(r.count, r.share, r.rank) for r in ranking.rows} == {(0, None, None)}
