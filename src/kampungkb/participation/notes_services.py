"""Writes of field notes (decision 0032): an interview or observation in a village or below,
coded to any of the three dimensions and any barriers. Recorded by users who hold
``Capability.EDIT_PROGRAMME`` in the area (cadres, field officers, the district); keyword-only,
checked before anything is written, in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.errors import Problem
from kampungkb.participation.models import FieldNote, NoteCode
from kampungkb.participation.models.notes import CODE_CHOICES
from kampungkb.regions.models import Area, Level

EDIT = Capability.EDIT_PROGRAMME
CODES = frozenset(code for code, _label in CODE_CHOICES)


class NoteProblem(Problem):
    AREA_LEVEL = (
        "participation.note_area_level",
        "Catatan lapangan dicatat untuk desa/kelurahan, dusun/RW atau RT.",
        "A field note is recorded for a village, a hamlet/RW or an RT.",
    )
    IN_FUTURE = (
        "participation.note_in_future",
        "Tanggal catatan tidak boleh di masa depan.",
        "The note cannot be dated on a day still to come.",
    )
    NO_CODES = (
        "participation.note_no_codes",
        "Pilih paling sedikit satu kode (dimensi atau hambatan).",
        "Choose at least one code (a dimension or a barrier).",
    )
    UNKNOWN_CODE = (
        "participation.note_unknown_code",
        "Kode {code} tidak dikenal.",
        "The code {code} is unknown.",
    )


@dataclass(frozen=True)
class NoteData:
    noted_on: dt.date
    kind: str
    text: str
    codes: Sequence[str]
    informant_role: str = ""
    informant_name: str = ""


def _fill(note: FieldNote, area: Area, data: NoteData) -> list[str]:
    if area.level < Level.VILLAGE:
        raise NoteProblem.AREA_LEVEL.on("area")
    if data.noted_on > timezone.localdate():
        raise NoteProblem.IN_FUTURE.on("noted_on")
    codes = sorted(set(data.codes))
    if not codes:
        raise NoteProblem.NO_CODES.on("codes")
    for code in codes:
        if code not in CODES:
            raise NoteProblem.UNKNOWN_CODE.on("codes", code=str(code)[:30])
    note.area = area
    note.noted_on = data.noted_on
    note.kind = data.kind
    note.text = data.text.strip()
    note.informant_role = data.informant_role
    note.informant_name = data.informant_name.strip()
    note.full_clean()
    return codes


def _set_codes(note: FieldNote, codes: list[str]) -> None:
    NoteCode.objects.filter(note=note).exclude(code__in=codes).delete()
    have = set(NoteCode.objects.filter(note=note).values_list("code", flat=True))
    NoteCode.objects.bulk_create(NoteCode(note=note, code=c) for c in codes if c not in have)


def _snapshot(note: FieldNote) -> dict[str, Any]:
    return {**snapshot(note), "codes": sorted(c.code for c in NoteCode.objects.filter(note=note))}


@transaction.atomic
def note_create(*, area: Area, data: NoteData, actor: Any) -> FieldNote:
    ensure_can(actor, EDIT, area.code)
    note = FieldNote(recorded_by=actor if getattr(actor, "pk", None) else None)
    codes = _fill(note, area, data)
    note.save()
    _set_codes(note, codes)
    audit_record(
        actor=actor, action="note.create", instance=note, area_code=area.code, after=_snapshot(note)
    )
    return note


@transaction.atomic
def note_update(*, note: FieldNote, area: Area, data: NoteData, actor: Any) -> FieldNote:
    ensure_can(actor, EDIT, note.area_id)
    ensure_can(actor, EDIT, area.code)
    before = _snapshot(note)
    codes = _fill(note, area, data)
    note.save()
    _set_codes(note, codes)
    audit_record(
        actor=actor,
        action="note.update",
        instance=note,
        area_code=area.code,
        before=before,
        after=_snapshot(note),
    )
    return note


@transaction.atomic
def note_delete(*, note: FieldNote, actor: Any) -> None:
    ensure_can(actor, EDIT, note.area_id)
    audit_record(
        actor=actor,
        action="note.delete",
        instance=note,
        area_code=note.area_id,
        before=_snapshot(note),
        after={},
    )
    note.delete()
