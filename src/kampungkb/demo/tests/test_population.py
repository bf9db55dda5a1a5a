"""The generator alone, without a database: determinism, identity numbers and the shape of the
population (ages, marriages, births, pregnancies, intentions)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
from collections import Counter

import pytest
from lokal import wilayah

from kampungkb.demo.housing import houses
from kampungkb.demo.population import KECAMATAN, HouseRow, Population, Village, generate
from kampungkb.families.models import (
    DECENT_WATER_SOURCES,
    CoupleStatus,
    FertilityIntention,
    FloorMaterial,
    Latrine,
    MaritalStatus,
    Relation,
    RoofMaterial,
    Sex,
    WallMaterial,
    WaterSource,
    age_on,
)
from kampungkb.families.validators import validate_kk, validate_nik

TODAY = dt.date(2025, 6, 30)
VILLAGES = [
    Village(code, name, "kelurahan" if code[9] == "1" else "desa")
    for code, name in wilayah._desa().items()
    if code[:8] in KECAMATAN
]


@pytest.fixture(scope="module")
def population() -> Population:
    """Big enough for stable shares, small enough to build in a fraction of a second."""
    return generate(villages=VILLAGES, families=600, seed=11, today=TODAY)


def alive(population: Population) -> list:
    return [p for p in population.persons if p.died_on is None]


def test_the_three_kecamatan_have_38_villages():
    assert len(VILLAGES) == 38
    assert Counter(v.kecamatan for v in VILLAGES) == {
        "64.02.08": 11,
        "52.03.07": 12,
        "52.03.13": 15,
    }


def test_same_seed_gives_the_same_rows_byte_for_byte():
    first = generate(villages=VILLAGES, families=60, seed=7, today=TODAY)
    second = generate(villages=list(reversed(VILLAGES)), families=60, seed=7, today=TODAY)
    assert first == second
    assert repr(first) == repr(second)


def test_different_seeds_give_different_rows():
    first = generate(villages=VILLAGES, families=60, seed=7, today=TODAY)
    other = generate(villages=VILLAGES, families=60, seed=8, today=TODAY)
    assert [p.nik for p in first.persons] != [p.nik for p in other.persons]
    assert [p.full_name for p in first.persons] != [p.full_name for p in other.persons]


def test_every_nik_is_valid_for_its_person_and_unique(population):
    niks = [p.nik for p in population.persons if p.nik is not None]
    for person in population.persons:
        if person.nik is not None:
            validate_nik(person.nik, birth_date=person.birth_date, sex=person.sex)
    assert len(niks) == len(set(niks))


def test_about_five_percent_of_people_have_no_nik(population):
    share = sum(p.nik is None for p in population.persons) / len(population.persons)
    assert 0.02 <= share <= 0.08


def test_niks_come_from_the_family_kecamatan_or_where_people_moved_from(population):
    regions: Counter[str] = Counter()
    for person in population.persons:
        if person.nik is None:
            continue
        home = population.families[person.family_key].area_code[:8].replace(".", "")
        regions["home" if person.nik[:6] == home else "elsewhere"] += 1
        if person.relation_to_head in (Relation.CHILD, Relation.GRANDCHILD):
            assert person.nik[:6] == home
    assert 0.03 <= regions["elsewhere"] / regions.total() <= 0.2


def test_numbers_already_taken_are_not_handed_out_again():
    first = generate(villages=VILLAGES, families=20, seed=3, today=TODAY)
    nik = next(p.nik for p in first.persons if p.nik)
    kk = next(f.kk_number for f in first.families if f.kk_number)
    again = generate(
        villages=VILLAGES, families=20, seed=3, today=TODAY, taken_niks={nik}, taken_kks={kk}
    )
    assert nik not in {p.nik for p in again.persons}
    assert kk not in {f.kk_number for f in again.families}
    person = next(p for p in again.persons if p.nik and p.nik[:12] == nik[:12])
    assert person.nik == nik[:12] + f"{int(nik[12:]) + 1:04d}"


def test_kk_numbers_are_unique_and_carry_the_family_kecamatan(population):
    numbers = [f.kk_number for f in population.families if f.kk_number]
    assert len(numbers) == len(set(numbers))
    assert len(numbers) >= 0.95 * len(population.families)
    for family in population.families:
        if family.kk_number:
            validate_kk(family.kk_number)
            assert family.kk_number[:6] == family.area_code[:8].replace(".", "")


def test_families_are_spread_over_every_village_in_rts():
    population = generate(villages=VILLAGES, families=60, seed=5, today=TODAY)
    assert population.village_codes() == sorted(v.code for v in VILLAGES)
    rts = {a.code for a in population.local_areas if a.kind == "rt"}
    assert {f.area_code for f in population.families} <= rts
    per_village = Counter(a.parent_code for a in population.local_areas if a.kind == "rw")
    assert set(per_village) == {v.code for v in VILLAGES}
    assert min(per_village.values()) >= 2 and max(per_village.values()) <= 5
    per_rw = Counter(a.parent_code for a in population.local_areas if a.kind == "rt")
    assert min(per_rw.values()) >= 2 and max(per_rw.values()) <= 4


def test_fewer_families_than_villages_go_to_different_villages():
    population = generate(villages=VILLAGES, families=10, seed=5, today=TODAY)
    assert len(population.families) == 10
    assert len(population.village_codes()) == 10


def test_age_pyramid_is_broad_based(population):
    ages = [age_on(p.birth_date, TODAY) for p in alive(population)]
    under_15 = sum(a < 15 for a in ages) / len(ages)
    over_65 = sum(a >= 65 for a in ages) / len(ages)
    assert 0.20 <= under_15 <= 0.35
    assert 0.03 <= over_65 <= 0.10
    five_year = Counter(min(a // 5, 16) for a in ages)
    assert five_year[0] > five_year[6] > five_year[12]  # 0-4 > 30-34 > 60-64


def first_marriages(population: Population) -> dict[int, int]:
    """Wife key -> her age at her first marriage."""
    ages: dict[int, int] = {}
    for couple in sorted(population.couples, key=lambda c: c.married_on):
        wife = population.persons[couple.wife_key]
        ages.setdefault(couple.wife_key, age_on(wife.birth_date, couple.married_on))
    return ages


def test_women_marry_mostly_at_19_to_25_and_about_a_tenth_earlier(population):
    ages = list(first_marriages(population).values())
    assert min(ages) >= 13
    assert 0.05 <= sum(a < 19 for a in ages) / len(ages) <= 0.18
    assert sum(19 <= a <= 25 for a in ages) / len(ages) >= 0.6
    assert 20 <= statistics.median(ages) <= 23


def test_husbands_are_mostly_two_to_six_years_older(population):
    gaps = []
    for couple in population.couples:
        if couple.husband_key is not None:
            wife = population.persons[couple.wife_key]
            husband = population.persons[couple.husband_key]
            assert (wife.sex, husband.sex) == (Sex.FEMALE, Sex.MALE)
            gaps.append((wife.birth_date - husband.birth_date).days / 365.25)
    assert sum(1.5 <= g <= 7 for g in gaps) / len(gaps) >= 0.6
    assert 3 <= statistics.mean(gaps) <= 6


def test_couples_keep_the_register_constraints(population):
    married = Counter(c.wife_key for c in population.couples if c.status == CoupleStatus.MARRIED)
    assert max(married.values()) == 1  # one current marriage per wife
    for couple in population.couples:
        assert (couple.status == CoupleStatus.MARRIED) == (couple.ended_on is None)
        if couple.ended_on is not None:
            assert couple.married_on <= couple.ended_on <= TODAY
        assert couple.married_on <= TODAY
        assert couple.wife_key != couple.husband_key
    statuses = Counter(c.status for c in population.couples)
    assert statuses[CoupleStatus.WIDOWED] > 0 and statuses[CoupleStatus.DIVORCED] > 0


def test_zero_to_five_children_spaced_mostly_two_to_five_years(population):
    gaps = []
    for couple in population.couples:
        assert len(couple.births) <= 5
        wife = population.persons[couple.wife_key]
        for birth in couple.births:
            assert couple.married_on < birth <= TODAY
            assert 14 <= age_on(wife.birth_date, birth) <= 45
        gaps += [(b - a).days / 365.25 for a, b in itertools.pairwise(couple.births)]
    assert min(gaps) >= 1
    assert sum(2 <= g <= 5.1 for g in gaps) / len(gaps) >= 0.6
    assert sum(g < 2 for g in gaps) > 0  # some closer


def test_households_have_one_head_and_consistent_members(population):
    heads = Counter(p.family_key for p in population.persons if p.relation_to_head == Relation.HEAD)
    assert set(heads.values()) == {1}
    for family in population.families:
        head = population.persons[family.head_key]
        assert head.family_key == family.key and head.relation_to_head == Relation.HEAD
    for person in population.persons:
        for parent_key, sex in ((person.mother_key, Sex.FEMALE), (person.father_key, Sex.MALE)):
            if parent_key is not None:
                parent = population.persons[parent_key]
                assert parent.sex == sex
                assert age_on(parent.birth_date, person.birth_date) >= 13
                assert parent_key < person.key
        if person.died_on is not None:
            assert person.birth_date <= person.died_on <= TODAY
            assert person.phone == ""
    relations = Counter(p.relation_to_head for p in population.persons)
    assert relations[Relation.PARENT] + relations[Relation.PARENT_IN_LAW] > 0  # grandparents
    assert relations[Relation.GRANDCHILD] > 0
    statuses = Counter(p.marital_status for p in alive(population))
    assert statuses[MaritalStatus.WIDOWED] > 0 and statuses[MaritalStatus.DIVORCED] > 0


def test_about_five_percent_of_married_women_are_pregnant(population):
    pus = population.pus()
    ongoing = population.ongoing_pregnancies()
    assert 0.02 <= len(ongoing) / len(pus) <= 0.10
    pus_keys = {c.key for c in pus}
    assert len({p.couple_key for p in ongoing}) == len(ongoing)  # one open per couple
    for pregnancy in ongoing:
        assert pregnancy.couple_key in pus_keys
        assert pregnancy.recorded_on <= TODAY < pregnancy.expected_on
        assert (pregnancy.expected_on - pregnancy.recorded_on).days <= 280
    for pregnancy in population.pregnancies:
        if pregnancy.ended_on is not None:
            assert pregnancy.outcome and pregnancy.recorded_on <= pregnancy.ended_on <= TODAY


def test_fertility_intention_recorded_for_most_couples_and_follows_family_size(population):
    pus = population.pus()
    recorded = [c for c in pus if c.fertility_intention]
    assert 0.8 <= len(recorded) / len(pus) <= 0.95
    for couple in recorded:
        assert couple.intention_recorded_on is not None
        assert couple.married_on <= couple.intention_recorded_on <= TODAY
    for couple in population.couples:
        if couple.status != CoupleStatus.MARRIED:
            assert couple.fertility_intention == ""

    def mean_children(intention: str) -> float:
        return statistics.mean(
            len(c.births) for c in recorded if c.fertility_intention == intention
        )

    assert mean_children(FertilityIntention.WANTS_CHILD_SOON) < mean_children(
        FertilityIntention.NO_MORE
    )
    assert set(Counter(c.fertility_intention for c in recorded)) == set(FertilityIntention)


def test_names_follow_the_region(population):
    lombok = [p.full_name for p in population.persons if p.birth_place in ("Selong", "Suralaga")]
    kukar = [p.full_name for p in population.persons if p.birth_place == "Kota Bangun"]
    assert any(n.startswith(("Lalu ", "H. Lalu ")) for n in lombok)
    assert any(n.startswith(("Baiq ", "Hj. Baiq ")) for n in lombok)
    assert any(n.startswith("Hj. ") for n in lombok + kukar)
    assert not any(n.startswith(("Lalu ", "Baiq ")) for n in kukar)


def test_phones_are_indonesian_mobiles_for_some_adults(population):
    phones = [p for p in population.persons if p.phone]
    assert all(re.fullmatch(r"08[0-9]{9,10}", p.phone) for p in phones)
    assert all(age_on(p.birth_date, TODAY) >= 17 for p in phones)
    adults = [p for p in alive(population) if age_on(p.birth_date, TODAY) >= 17]
    assert 0.3 <= len(phones) / len(adults) <= 0.7


def test_children_are_at_school_and_adults_work(population):
    for person in alive(population):
        age = age_on(person.birth_date, TODAY)
        if 7 <= age < 15:
            assert person.occupation == "Pelajar/Mahasiswa"
        if age < 5:
            assert person.occupation == "Belum/Tidak Bekerja"
    jobs = Counter(p.occupation for p in alive(population))
    for job in ("Petani/Pekebun", "Nelayan/Perikanan", "Buruh Harian Lepas", "Pedagang"):
        assert jobs[job] > 0
    assert jobs["Mengurus Rumah Tangga"] > 0 and jobs["Pegawai Negeri Sipil"] > 0


# --- houses -----------------------------------------------------------------------------------


def houses_in(population: Population, kabupaten: str) -> list:
    return [
        house
        for house, family in zip(population.houses, population.families, strict=True)
        if family.area_code.startswith(kabupaten)
    ]


def share(houses: list, test) -> float:
    return sum(1 for h in houses if test(h)) / len(houses)


def test_every_family_has_one_house_of_known_values(population):
    assert [h.family_key for h in population.houses] == [f.key for f in population.families]
    for house in population.houses:
        assert house.water_source in WaterSource.values
        assert house.latrine in Latrine.values
        assert house.floor_material in FloorMaterial.values
        assert house.wall_material in WallMaterial.values
        assert house.roof_material in RoofMaterial.values
        assert 24 <= house.floor_area <= 120 and house.floor_area == int(house.floor_area)
        assert TODAY - dt.timedelta(days=730) <= house.recorded_on <= TODAY


def test_houses_come_from_their_own_random_stream():
    """The houses are a function of the families, the seed and the date alone: drawn from their
    own stream after the households, they left every other row as it was."""
    first = generate(villages=VILLAGES, families=60, seed=7, today=TODAY)
    other = generate(villages=VILLAGES, families=60, seed=8, today=TODAY)
    assert first.houses != other.houses
    by_code = {v.code: v for v in VILLAGES}
    again = houses(families=first.families, villages=by_code, seed=7, today=TODAY)
    assert again == first.houses


def test_a_family_without_a_latrine_has_no_septic_tank(population):
    houses = population.houses
    assert not any(h.has_septic_tank for h in houses if h.latrine == Latrine.NONE)
    assert 0.03 <= share(houses, lambda h: h.latrine == Latrine.NONE) <= 0.12
    own = [h for h in houses if h.latrine == Latrine.OWN]
    assert 0.7 <= len(own) / len(houses) <= 0.9
    assert 0.75 <= share(own, lambda h: h.has_septic_tank) <= 0.95


def test_most_families_drink_decent_water_fewer_on_the_mahakam(population):
    kutai, lombok = houses_in(population, "64.02"), houses_in(population, "52.03")
    decent_kutai = share(kutai, lambda h: h.water_source in DECENT_WATER_SOURCES)
    decent_lombok = share(lombok, lambda h: h.water_source in DECENT_WATER_SOURCES)
    assert 0.5 <= decent_kutai < decent_lombok <= 0.95
    assert share(kutai, lambda h: h.water_source == WaterSource.SURFACE) > 0.1
    assert share(lombok, lambda h: h.water_source == WaterSource.SURFACE) < 0.05


def test_houses_are_built_as_in_their_region(population):
    kutai, lombok = houses_in(population, "64.02"), houses_in(population, "52.03")
    assert share(kutai, lambda h: h.wall_material == WallMaterial.WOOD) > 0.5
    assert share(lombok, lambda h: h.wall_material == WallMaterial.MASONRY) > 0.7
    assert share(lombok, lambda h: h.roof_material == RoofMaterial.TILE) > 0.4
    areas = sorted(h.floor_area for h in population.houses)
    assert 40 <= areas[len(areas) // 2] <= 70


def test_town_families_have_piped_water_more_often(population):
    kinds = {v.code: v.kind for v in VILLAGES}
    town: list[HouseRow] = []
    village: list[HouseRow] = []
    for house, family in zip(population.houses, population.families, strict=True):
        (town if kinds[family.area_code[:13]] == "kelurahan" else village).append(house)
    assert share(town, is_piped) > share(village, is_piped)


def is_piped(house: HouseRow) -> bool:
    return house.water_source == WaterSource.PIPED
