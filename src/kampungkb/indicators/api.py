"""The yearly targets (PPM) API (decision 0015): read targets and their achievement, set one
target, import an Excel file. Reads are scoped like every aggregate; writes need
``Capability.EDIT_TARGETS`` in the area (officers), else the area is 404 and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404, scope_for
from kampungkb.core.periods import month_start
from kampungkb.indicators import selectors, services
from kampungkb.indicators.models import Target

MAX_PAGE_SIZE = 200
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router(tags=["Target PPM / yearly targets"])

Kind = Literal["PA", "PB"]


class TargetOut(Schema):
    area_code: str
    area_name: str
    year: int
    kind: str
    value: int

    @staticmethod
    def resolve_area_code(obj: Target) -> str:
        return obj.area_id

    @staticmethod
    def resolve_area_name(obj: Target) -> str:
        return obj.area.name


class TargetIn(Schema):
    area_code: str
    year: int
    kind: Kind
    value: int | None  # null removes the target


class TargetSetOut(Schema):
    area_code: str
    year: int
    kind: str
    value: int | None


class AchievementOut(Schema):
    code: str
    target: int | None
    actual: Decimal | None
    percent: Decimal | None


class AchievementListOut(Schema):
    area_code: str
    month: dt.date
    achievements: list[AchievementOut]


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class RowErrorOut(Schema):
    row: int
    field: str
    code: str
    message_id: str
    message_en: str


class ImportRefusedOut(Schema):
    errors: list[RowErrorOut]


@router.get("/targets", response=list[TargetOut], summary="List yearly targets (PPM)")
@paginate(PageNumberPagination, **PAGES)
def target_list(
    request: HttpRequest, area: str | None = None, year: int | None = None
) -> QuerySet[Target]:
    area_code = area_or_404(request.user, area).code if area else None
    return selectors.target_list(user=request.user, area_code=area_code, year=year)


@router.get(
    "/targets/achievement",
    response=AchievementListOut,
    summary="PA and PB targets in force, actual figures and achievement for an area and month",
)
def target_achievement(request: HttpRequest, area: str, month: dt.date) -> AchievementListOut:
    code = area_or_404(request.user, area).code
    period = month_start(month)
    rows = selectors.target_achievement(user=request.user, area_code=code, period=period)
    return AchievementListOut(
        area_code=code,
        month=period,
        achievements=[AchievementOut(**a.__dict__) for a in rows],
    )


@router.put("/targets", response=TargetSetOut, summary="Set or remove one yearly target")
def target_set(request: HttpRequest, payload: TargetIn) -> TargetSetOut:
    area = area_or_404(request.user, payload.area_code, Capability.EDIT_TARGETS)
    target = services.target_set(
        area=area, year=payload.year, kind=payload.kind, value=payload.value, actor=request.user
    )
    return TargetSetOut(
        area_code=area.code,
        year=payload.year,
        kind=payload.kind,
        value=target.value if target else None,
    )


@router.post(
    "/targets/import",
    response={200: ImportOut, 422: ImportRefusedOut},
    summary="Import yearly targets from an Excel file: every row, or none",
)
def targets_import(
    request: HttpRequest, file: File[UploadedFile]
) -> ImportOut | Status[ImportRefusedOut]:
    if not scope_for(request.user).can(Capability.EDIT_TARGETS):
        raise Http404
    try:
        changes = services.targets_import(file=file, size=file.size, actor=request.user)
    except services.TargetImportRefused as exc:
        errors = [
            RowErrorOut(
                row=r.row,
                field=r.column or "file",
                code=r.problem.value,
                message_id=r.message("id"),
                message_en=r.message("en"),
            )
            for r in exc.rows
        ]
        return Status(422, ImportRefusedOut(errors=errors))
    return ImportOut(created=changes.created, updated=changes.updated, unchanged=changes.unchanged)
