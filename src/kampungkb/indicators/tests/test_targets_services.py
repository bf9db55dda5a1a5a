"""The target services: set, update and remove audited, and the Excel import that writes every
row or none."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook

from kampungkb.core.models import AuditEvent
from kampungkb.indicators import services
from kampungkb.indicators.models import Target
from kampungkb.indicators.services import TargetImportRefused, target_set, targets_import
from kampungkb.indicators.targets_excel import COLUMNS
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, RT, VILLAGE, VILLAGE_2

NEXT_YEAR = timezone.localdate().year + 1


def xlsx(rows, headings=COLUMNS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def targets() -> set[tuple[str, int, str, int]]:
    return set(Target.objects.values_list("area_id", "year", "kind", "value"))


def refused(file, actor) -> list[tuple[int, str, str, str]]:
    with pytest.raises(TargetImportRefused) as caught:
        targets_import(file=file, actor=actor)
    return [(r.row, r.column, r.problem.value, r.message("en")) for r in caught.value.rows]


def test_target_set_creates_and_audits(world):
    district = world.user("district")
    target = target_set(area=world.area(KEC), year=2025, kind="PA", value=1200, actor=district)
    assert target is not None
    assert targets() == {(KEC, 2025, "PA", 1200)}
    event = AuditEvent.objects.get(action="target.set")
    assert (event.actor, event.area_code, event.object_id) == (district, KEC, str(target.pk))
    assert event.after == {
        "id": target.pk,
        "area_id": KEC,
        "year": 2025,
        "kind": "PA",
        "value": 1200,
    }


def test_target_set_updates_and_audits_the_change(world):
    district = world.user("district")
    target_set(area=world.area(KEC), year=2025, kind="PB", value=300, actor=district)
    target = target_set(area=world.area(KEC), year=2025, kind="PB", value=350, actor=district)
    assert target is not None
    assert targets() == {(KEC, 2025, "PB", 350)}
    event = AuditEvent.objects.get(action="target.update")
    assert (event.before, event.after, event.object_id) == (
        {"value": 300},
        {"value": 350},
        str(target.pk),
    )


def test_target_set_same_value_writes_no_audit(world):
    district = world.user("district")
    target_set(area=world.area(KEC), year=2025, kind="PB", value=300, actor=district)
    target_set(area=world.area(KEC), year=2025, kind="PB", value=300, actor=district)
    assert AuditEvent.objects.filter(action__startswith="target.").count() == 1


def test_target_set_none_removes_and_audits(world):
    district = world.user("district")
    target_set(area=world.area(VILLAGE), year=2025, kind="PA", value=80, actor=district)
    assert (
        target_set(area=world.area(VILLAGE), year=2025, kind="PA", value=None, actor=district)
        is None
    )
    assert targets() == set()
    event = AuditEvent.objects.get(action="target.delete")
    assert event.after["value"] is None
    assert (event.after["area_id"], event.after["year"], event.after["kind"]) == (
        VILLAGE,
        2025,
        "PA",
    )


@pytest.mark.parametrize("username", ["cadre", "partner", "viewer", "other_district"])
def test_target_set_refused_without_edit_capability(world, username):
    with pytest.raises(Http404):
        target_set(
            area=world.area(VILLAGE), year=2025, kind="PA", value=80, actor=world.user(username)
        )
    assert targets() == set()
    assert not AuditEvent.objects.filter(action__startswith="target.").exists()


def test_pkb_sets_its_villages_but_not_the_kecamatan(world):
    pkb = world.user("pkb")
    target_set(area=world.area(VILLAGE_2), year=2025, kind="PA", value=70, actor=pkb)
    with pytest.raises(Http404):
        target_set(area=world.area(KEC), year=2025, kind="PA", value=900, actor=pkb)
    assert targets() == {(VILLAGE_2, 2025, "PA", 70)}


@pytest.mark.parametrize(
    ("year", "value", "field", "code"),
    [
        (1999, 10, "year", "target.year_range"),
        (NEXT_YEAR + 1, 10, "year", "target.year_range"),
        (2025, -1, "value", "target.value_invalid"),
        (2025, 1_000_000_001, "value", "target.value_invalid"),
    ],
)
def test_target_set_validates(world, year, value, field, code):
    with pytest.raises(ValidationError) as caught:
        target_set(
            area=world.area(KEC), year=year, kind="PA", value=value, actor=world.user("admin")
        )
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert targets() == set()


def test_target_set_refuses_an_unknown_kind(world):
    with pytest.raises(ValidationError) as caught:
        target_set(area=world.area(KEC), year=2025, kind="MCPR", value=1, actor=world.user("admin"))
    assert [e.code for e in caught.value.error_dict["kind"]] == ["target.kind_invalid"]
    assert targets() == set()


def test_target_set_next_year_is_accepted(world):
    target_set(area=world.area(KAB), year=NEXT_YEAR, kind="PB", value=5, actor=world.user("admin"))
    assert targets() == {(KAB, NEXT_YEAR, "PB", 5)}


def test_target_set_refuses_below_the_village(world):
    with pytest.raises(ValidationError) as caught:
        target_set(area=world.area(RT), year=2025, kind="PA", value=3, actor=world.user("district"))
    assert [e.code for e in caught.value.error_dict["area"]] == ["target.area_level"]


def test_targets_save_is_all_or_nothing(world):
    district = world.user("district")
    entries = [
        services.TargetEntry(area=world.area(VILLAGE), year=2025, kind="PA", value=10),
        services.TargetEntry(area=world.area(VILLAGE_2), year=2025, kind="PA", value=-3),
    ]
    with pytest.raises(ValidationError):
        services.targets_save(entries=entries, actor=district)
    assert targets() == set()


# -- Import ---------------------------------------------------------------------------------------


def test_import_writes_every_row_and_audits(world):
    district = world.user("district")
    target_set(area=world.area(KEC), year=2025, kind="PA", value=1000, actor=district)
    target_set(area=world.area(KEC), year=2025, kind="PB", value=200, actor=district)
    file = xlsx(
        [
            (KEC, "Kota Bangun", 2025, 1100, 200),
            (VILLAGE, "Kota Bangun Ulu", 2025, 80, ""),
            (VILLAGE_2, "Kota Bangun Ilir", "2025", "75", 12.0),
            (None, None, None, None, None),  # a blank row is skipped
        ]
    )
    changes = targets_import(file=file, actor=district)
    assert (changes.created, changes.updated, changes.unchanged, changes.deleted) == (3, 1, 1, 0)
    assert targets() == {
        (KEC, 2025, "PA", 1100),
        (KEC, 2025, "PB", 200),
        (VILLAGE, 2025, "PA", 80),
        (VILLAGE_2, 2025, "PA", 75),
        (VILLAGE_2, 2025, "PB", 12),
    }
    actions = list(
        AuditEvent.objects.filter(action__startswith="target.")
        .order_by("id")
        .values_list("action", "area_code")
    )
    assert actions[2:] == [
        ("target.update", KEC),
        ("target.set", VILLAGE),
        ("target.set", VILLAGE_2),
        ("target.set", VILLAGE_2),
    ]


def test_import_with_one_bad_row_commits_nothing(world):
    district = world.user("district")
    file = xlsx([(VILLAGE, "", 2025, 80, 10), (VILLAGE_2, "", 2025, -5, 10)])
    assert refused(file, district) == [
        (3, "pa", "target.value_invalid", "A PPM must be a whole number from 0 to 1000000000.")
    ]
    assert targets() == set()
    assert not AuditEvent.objects.filter(action__startswith="target.").exists()


def test_import_reports_every_bad_row(world):
    district = world.user("district")
    file = xlsx(
        [
            ("99.99.99", "", 2025, 1, 1),
            (OTHER_VILLAGE, "", 2025, 1, 1),
            (RT, "", 2025, 1, 1),
            (VILLAGE, "", 1999, 1, 1),
            (VILLAGE, "", "dua ribu", 1, 1),
            (VILLAGE_2, "", 2025, 12.5, "x"),
            (KEC, "", 2025, 5, 5),
            (KEC, "", 2025.0, 6, 6),
        ]
    )
    last = NEXT_YEAR
    assert refused(file, district) == [
        (2, "area_code", "target.area_unknown", "The area code 99.99.99 is unknown."),
        (
            3,
            "area_code",
            "target.area_not_editable",
            f"You may not change the targets of area {OTHER_VILLAGE}.",
        ),
        (
            4,
            "area_code",
            "target.area_level",
            f"Targets are set down to the village, not for RT 001 ({RT}).",
        ),
        (5, "year", "target.year_range", f"The year must be between 2000 and {last}."),
        (6, "year", "target.year_invalid", "The year must be a 4-digit whole number."),
        (7, "pa", "target.value_invalid", "A PPM must be a whole number from 0 to 1000000000."),
        (7, "pb", "target.value_invalid", "A PPM must be a whole number from 0 to 1000000000."),
        (
            9,
            "area_code",
            "target.duplicate_row",
            f"Area {KEC} for 2025 is already in row 8.",
        ),
    ]
    assert targets() == set()


def test_import_messages_are_bilingual(world):
    file = xlsx([("99.99.99", "", 2025, 1, 1)])
    with pytest.raises(TargetImportRefused) as caught:
        targets_import(file=file, actor=world.user("district"))
    (row,) = caught.value.rows
    assert row.message("id") == "Kode wilayah 99.99.99 tidak dikenal."
    assert row.heading == "kode wilayah"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a spreadsheet", "target.file_unreadable"),
        (xlsx([], headings=("kode", "tahun")).getvalue(), "target.file_header"),
        (xlsx([]).getvalue(), "target.file_empty"),
    ],
)
def test_import_refuses_a_bad_file(world, content, code):
    rows = refused(io.BytesIO(content), world.user("district"))
    assert [(r[0], r[1], r[2]) for r in rows] == [(0, "", code)]


def test_import_refuses_a_file_too_large(world):
    with pytest.raises(TargetImportRefused) as caught:
        targets_import(file=xlsx([]), actor=world.user("district"), size=11 * 1024 * 1024)
    assert [r.problem.value for r in caught.value.rows] == ["target.file_too_large"]


def test_import_headings_in_any_order_and_case(world):
    file = xlsx([(2025, 7, VILLAGE, 9)], headings=("Tahun", "ppm-pb", "KODE WILAYAH", "PPM-PA"))
    targets_import(file=file, actor=world.user("pkb"))
    assert targets() == {(VILLAGE, 2025, "PA", 9), (VILLAGE, 2025, "PB", 7)}


def test_import_as_cadre_refuses_every_row(world):
    file = xlsx([(VILLAGE, "", 2025, 1, 1)])
    assert [r[2] for r in refused(file, world.user("cadre"))] == ["target.area_not_editable"]
    assert targets() == set()
