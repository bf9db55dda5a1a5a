"""Reads of field notes: the notes a user may read (quotes and names: ``VIEW_PERSONS``), and the
matrix of sub-areas by codes (counts: every role that sees aggregates of the area)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from kampungkb.accounts.scope import Capability, get_scoped_or_404, scoped
from kampungkb.participation.barriers import CATALOGUE
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.models import FieldNote, NoteCode
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import area_children, subtree_q


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    is_dimension: bool


COLUMNS: tuple[Column, ...] = (
    *(Column(d.value, str(d.label), True) for d in Dimension),
    *(Column(e.code.value, e.label, False) for e in CATALOGUE),
)
COLUMN_CODES = frozenset(c.code for c in COLUMNS)


def note_list(
    *, user: Any, area: Area, code: str | None = None, exact_area: bool = False
) -> QuerySet[FieldNote]:
    """Notes of the area's subtree (or of the area itself) the user may read, newest first."""
    qs = scoped(user, FieldNote.objects.all(), Capability.VIEW_PERSONS)
    qs = (
        qs.filter(area_id=area.code) if exact_area else qs.filter(subtree_q("area_id", [area.code]))
    )
    if code:
        qs = qs.filter(codes__code=code)
    return (
        qs.select_related("area")
        .prefetch_related(Prefetch("codes", queryset=NoteCode.objects.order_by("code")))
        .order_by("-noted_on", "-pk")
    )


def note_get(*, user: Any, pk: int, capability: Capability = Capability.VIEW_PERSONS) -> FieldNote:
    return get_scoped_or_404(
        user,
        FieldNote.objects.select_related("area").prefetch_related("codes"),
        capability,
        pk=pk,
    )


@dataclass(frozen=True)
class MatrixRow:
    area: Area | None  # None: notes recorded at the chosen area itself
    counts: list[int]  # in the order of COLUMNS
    notes: int  # notes in the row (a note with two codes counts once here)

    @property
    def cells(self) -> list[tuple[Column, int]]:
        return list(zip(COLUMNS, self.counts, strict=True))


@dataclass(frozen=True)
class Matrix:
    area: Area
    columns: tuple[Column, ...]
    rows: list[MatrixRow]
    totals: list[int]
    notes: int


def note_matrix(*, user: Any, area: Area) -> Matrix:
    """Sub-areas of ``area`` (rows) by codes (columns): each cell the number of notes with that
    code. Counts only: read with ``VIEW_AGGREGATES``, so partners and viewers see them too."""
    notes = scoped(user, FieldNote.objects.all(), Capability.VIEW_AGGREGATES).filter(
        subtree_q("area_id", [area.code])
    )
    pairs = list(
        NoteCode.objects.filter(note__in=notes).values_list("note_id", "note__area_id", "code")
    )
    depth = area.code.count(".") + 2  # segments of a child's code
    index = {c.code: i for i, c in enumerate(COLUMNS)}
    counts: dict[str | None, list[int]] = {}
    members: dict[str | None, set[int]] = {}
    for note_id, note_area, code in pairs:
        parts = note_area.split(".")
        key = ".".join(parts[:depth]) if len(parts) >= depth else None
        counts.setdefault(key, [0] * len(COLUMNS))[index[code]] += 1
        members.setdefault(key, set()).add(note_id)
    rows = [
        MatrixRow(
            child, counts.get(child.code, [0] * len(COLUMNS)), len(members.get(child.code, ()))
        )
        for child in area_children(area).order_by("code")
    ]
    if None in counts:
        rows.insert(0, MatrixRow(None, counts[None], len(members[None])))
    totals = [sum(r.counts[i] for r in rows) for i in range(len(COLUMNS))]
    return Matrix(
        area=area,
        columns=COLUMNS,
        rows=rows,
        totals=totals,
        notes=len({note_id for note_id, _a, _c in pairs}),
    )
