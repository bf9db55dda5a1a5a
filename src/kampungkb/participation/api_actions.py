"""The suggested actions API: read the actions in force in a regency/city, and (the district
office) set its own or go back to the default. Another area is 404; bad input is 422 in both
languages."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.participation import actions as service

router = Router()


class SuggestedActionRowOut(Schema):
    key: str
    label: str
    text: str
    activity_kind: ActivityKind
    target_group: TargetGroup
    is_default: bool


class SuggestedActionIn(Schema):
    text: str
    activity_kind: str
    target_group: str


def _rows(area: Any) -> list[dict[str, Any]]:
    return [
        {
            "key": row.key,
            "label": row.label,
            "text": str(row.action.text),
            "activity_kind": row.action.kind,
            "target_group": row.action.target_group,
            "is_default": row.edit is None,
        }
        for row in service.action_rows(area)
    ]


@router.get(
    "/suggested-actions",
    response=list[SuggestedActionRowOut],
    summary="The suggested action for every barrier and dimension in force in an area",
)
def suggested_actions(
    request: HttpRequest, area: Annotated[str, Query(description="An area code.")]
) -> list[dict[str, Any]]:
    return _rows(area_or_404(request.user, area, Capability.VIEW_AGGREGATES))


@router.put(
    "/suggested-actions/{key}",
    response=list[SuggestedActionRowOut],
    summary="Set the regency/city's own suggested action for a barrier or dimension",
)
def suggested_action_set(
    request: HttpRequest,
    key: str,
    payload: SuggestedActionIn,
    area: Annotated[str, Query(description="A regency/city code.")],
) -> list[dict[str, Any]]:
    checked = area_or_404(request.user, area, Capability.VIEW_AGGREGATES)
    service.action_set(
        actor=request.user,
        area=checked,
        key=key,
        text=payload.text,
        kind=payload.activity_kind,
        target_group=payload.target_group,
    )
    return _rows(checked)


@router.delete(
    "/suggested-actions/{key}",
    response=list[SuggestedActionRowOut],
    summary="Go back to the default suggested action for a barrier or dimension",
)
def suggested_action_reset(
    request: HttpRequest,
    key: str,
    area: Annotated[str, Query(description="A regency/city code.")],
) -> list[dict[str, Any]]:
    checked = area_or_404(request.user, area, Capability.VIEW_AGGREGATES)
    if key not in service.defaults():
        raise Http404
    service.action_reset(actor=request.user, area=checked, key=key)
    return _rows(checked)
