"""Writes of the yearly PPM targets (decision 0015): set on the targets page, through the API, or
imported from an Excel file that is committed whole or not at all. Every change is audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can, scope_for
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.indicators import targets_excel
from kampungkb.indicators.errors import TargetProblem
from kampungkb.indicators.models import (
    TARGET_FIRST_YEAR,
    TARGET_MAX_VALUE,
    Target,
    TargetKind,
)
from kampungkb.regions.models import Area, Level

EDIT = Capability.EDIT_TARGETS
# Targets are set down to the village: the facts they are compared with stop there.
LOWEST_TARGET_LEVEL = Level.VILLAGE
# Keeps one lookup's list of area codes under every database's limit on query parameters.
_CHUNK = 500


def target_years() -> range:
    """The years a target may be set for: from 2000 to next year."""
    return range(TARGET_FIRST_YEAR, timezone.localdate().year + 2)


@dataclass(frozen=True)
class TargetEntry:
    """One target to write: ``value`` None removes the target."""

    area: Area
    year: int
    kind: str
    value: int | None


@dataclass
class TargetChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    targets: list[Target] = field(default_factory=list)  # those created or updated


_HEADINGS = {
    "area_code": targets_excel.CODE,
    "year": targets_excel.YEAR,
    "pa": targets_excel.PA,
    "pb": targets_excel.PB,
}


@dataclass(frozen=True)
class RowError:
    """A refused cell of an imported file: its row number in the sheet and its column."""

    row: int
    column: str  # area_code, year, pa, pb, or "" for the file as a whole
    problem: TargetProblem
    params: dict[str, Any]

    def message(self, language: str | None = None) -> str:
        return self.problem.text(language, **self.params)

    @property
    def heading(self) -> str:
        """The column as the file heads it."""
        return _HEADINGS.get(self.column, "")


class TargetImportRefused(ValidationError):
    """The file was refused and nothing was written; ``rows`` says why, row by row."""

    def __init__(self, rows: Sequence[RowError]) -> None:
        self.rows = list(rows)
        super().__init__([r.problem.error(**r.params) for r in self.rows])


# -- Checks ---------------------------------------------------------------------------------------


def _year_problem(year: int) -> tuple[TargetProblem, dict[str, Any]] | None:
    years = target_years()
    if year not in years:
        return TargetProblem.YEAR_RANGE, {"first": years[0], "last": years[-1]}
    return None


def _value_problem(value: int | None) -> tuple[TargetProblem, dict[str, Any]] | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TARGET_MAX_VALUE:
        return TargetProblem.VALUE_INVALID, {"max": TARGET_MAX_VALUE}
    return None


def _area_problem(actor: Any, area: Area) -> tuple[TargetProblem, dict[str, Any]] | None:
    if actor is not None and not scope_for(actor).can(EDIT, area.code):
        return TargetProblem.AREA_NOT_EDITABLE, {"code": area.code}
    if area.level > LOWEST_TARGET_LEVEL:
        return TargetProblem.AREA_LEVEL, {"area": f"{area} ({area.code})"}
    return None


def _check_entry(actor: Any, entry: TargetEntry) -> None:
    ensure_can(actor, EDIT, entry.area.code)
    if entry.kind not in TargetKind.values:
        raise TargetProblem.KIND_INVALID.on("kind")
    for name, found in (
        ("area", _area_problem(actor, entry.area)),
        ("year", _year_problem(entry.year)),
        ("value", _value_problem(entry.value)),
    ):
        if found is not None:
            problem, params = found
            raise problem.on(name, **params)


# -- Writing --------------------------------------------------------------------------------------


def _existing(entries: Sequence[TargetEntry]) -> dict[tuple[str, int, str], Target]:
    codes = sorted({e.area.code for e in entries})
    years = {e.year for e in entries}
    found: dict[tuple[str, int, str], Target] = {}
    for start in range(0, len(codes), _CHUNK):
        qs = Target.objects.filter(area_id__in=codes[start : start + _CHUNK], year__in=years)
        found.update({(t.area_id, t.year, t.kind): t for t in qs})
    return found


def _apply(entries: Sequence[TargetEntry], actor: Any) -> TargetChanges:
    changes = TargetChanges()
    existing = _existing(entries)
    for entry in entries:
        code = entry.area.code
        target = existing.get((code, entry.year, entry.kind))
        if entry.value is None:
            if target is None:
                changes.unchanged += 1
                continue
            # The removed target's area, year and kind, with the value it no longer has.
            removed = {**snapshot(target), "value": None}
            audit_record(
                actor=actor, action="target.delete", instance=target, area_code=code, after=removed
            )
            target.delete()
            changes.deleted += 1
            continue
        if target is None:
            target = Target(area=entry.area, year=entry.year, kind=entry.kind, value=entry.value)
            target.full_clean(validate_constraints=False)
            target.save()
            audit_record(actor=actor, action="target.set", instance=target, area_code=code)
            changes.created += 1
        elif target.value != entry.value:
            before = snapshot(target)
            target.value = entry.value
            target.full_clean(validate_constraints=False)
            target.save()
            audit_record(
                actor=actor, action="target.update", instance=target, area_code=code, before=before
            )
            changes.updated += 1
        else:
            changes.unchanged += 1
            continue
        changes.targets.append(target)
    return changes


@transaction.atomic
def target_set(*, area: Area, year: int, kind: str, value: int | None, actor: Any) -> Target | None:
    """Set (or, with ``value`` None, remove) the yearly target ``kind`` of ``area``; returns the
    target in force afterwards."""
    entry = TargetEntry(area=area, year=year, kind=kind, value=value)
    _check_entry(actor, entry)
    _apply([entry], actor)
    return Target.objects.filter(area=area, year=year, kind=kind).first()


@transaction.atomic
def targets_save(*, entries: Iterable[TargetEntry], actor: Any) -> TargetChanges:
    """Save the targets of the edit page in one transaction: every entry or none."""
    entries = list(entries)
    for entry in entries:
        _check_entry(actor, entry)
    return _apply(entries, actor)


# -- Import ---------------------------------------------------------------------------------------


def _whole_number(value: Any) -> int | None:
    """A cell as a non-negative whole number (Excel stores numbers as floats); None if it is
    not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _row_entries(
    row: targets_excel.SheetRow, areas: dict[str, Area], actor: Any, errors: list[RowError]
) -> list[TargetEntry]:
    def refuse(column: str, problem: TargetProblem, **params: Any) -> None:
        errors.append(RowError(row.row, column, problem, params))

    area = areas.get(row.area_code)
    if area is None:
        refuse("area_code", TargetProblem.AREA_UNKNOWN, code=row.area_code or "-")
    elif (found := _area_problem(actor, area)) is not None:
        refuse("area_code", found[0], **found[1])
    year = _whole_number(row.year)
    if year is None:
        refuse("year", TargetProblem.YEAR_INVALID)
    elif (found := _year_problem(year)) is not None:
        refuse("year", found[0], **found[1])
    values: dict[str, int | None] = {}
    for column, kind, cell in (("pa", TargetKind.PA, row.pa), ("pb", TargetKind.PB, row.pb)):
        if cell is None or str(cell).strip() == "":
            continue  # a blank cell leaves the target as it is (decision 0015)
        value = _whole_number(cell)
        if value is None or _value_problem(value) is not None:
            refuse(column, TargetProblem.VALUE_INVALID, max=TARGET_MAX_VALUE)
        else:
            values[kind] = value
    if area is None or year is None:
        return []
    return [TargetEntry(area=area, year=year, kind=k, value=v) for k, v in values.items()]


def _areas_by_code(codes: Iterable[str]) -> dict[str, Area]:
    codes = sorted(set(codes))
    found: dict[str, Area] = {}
    for start in range(0, len(codes), _CHUNK):
        found.update(Area.objects.in_bulk(codes[start : start + _CHUNK]))
    return found


@transaction.atomic
def targets_import(*, file: IO[bytes], actor: Any, size: int | None = None) -> TargetChanges:
    """Import the targets of an Excel file (columns kode wilayah, nama wilayah, tahun, PPM-PA,
    PPM-PB). Every row is checked first; one bad row refuses the whole file
    (``TargetImportRefused``, every bad row with its number) and nothing is written."""
    try:
        rows = targets_excel.read(file, size=size)
    except targets_excel.FileRefused as exc:
        raise TargetImportRefused([RowError(0, "", exc.problem, exc.params)]) from exc
    areas = _areas_by_code(r.area_code for r in rows)
    errors: list[RowError] = []
    entries: list[TargetEntry] = []
    first_row: dict[tuple[str, int], int] = {}
    for row in rows:
        row_entries = _row_entries(row, areas, actor, errors)
        year = _whole_number(row.year)
        if row.area_code and year is not None:
            key = (row.area_code, year)
            if key in first_row:
                errors.append(
                    RowError(
                        row.row,
                        "area_code",
                        TargetProblem.DUPLICATE_ROW,
                        {"code": row.area_code, "year": year, "first": first_row[key]},
                    )
                )
            first_row.setdefault(key, row.row)
        entries.extend(row_entries)
    if errors:
        raise TargetImportRefused(errors)
    return _apply(entries, actor)
