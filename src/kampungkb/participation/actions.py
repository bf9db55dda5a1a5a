"""The suggested actions in force for an area: the district's own (``SuggestedActionEdit`` of the
area's regency/city) or the defaults shipped in code, for every barrier of the catalogue and every
dimension; and the district's writes, audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, ensure_can
from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.participation.barriers import CATALOGUE, SuggestedAction
from kampungkb.participation.dimensions import Dimension
from kampungkb.participation.errors import ParticipationProblem
from kampungkb.participation.models import SuggestedActionEdit
from kampungkb.regions.models import Area, Level

TEXT_MAX = 300

DIMENSION_ACTIONS: dict[Dimension, SuggestedAction] = {
    Dimension.INTEREST: SuggestedAction(
        _(
            "Socialisation with RT/RW heads, PKK and religious leaders, so that residents hear of "
            "the programme from people they trust"
        ),
        ActivityKind.SOCIALISATION,
        TargetGroup.COMMUNITY_LEADERS,
    ),
    Dimension.ACTIVENESS: SuggestedAction(
        _("A monthly cadre meeting to go through the follow-up list and divide the home visits"),
        ActivityKind.CADRE_MEETING,
        TargetGroup.CADRES,
    ),
    Dimension.CONTRIBUTION: SuggestedAction(
        _(
            "A planning meeting with the village, partners and residents on what each brings "
            "(time, a place, funds)"
        ),
        ActivityKind.PLANNING_MEETING,
        TargetGroup.COMMUNITY_LEADERS,
    ),
}


def dimension_key(dimension: Dimension) -> str:
    return f"dimension:{dimension.value}"


def barrier_key(code: str) -> str:
    return f"barrier:{code}"


@dataclass(frozen=True)
class ActionRow:
    key: str
    label: str  # the barrier or dimension it answers
    default: SuggestedAction
    edit: SuggestedActionEdit | None

    @property
    def action(self) -> SuggestedAction:
        if self.edit is None:
            return self.default
        return replace(
            self.default,
            text=self.edit.text,
            kind=ActivityKind(self.edit.kind),
            target_group=TargetGroup(self.edit.target_group),
        )


def defaults() -> dict[str, tuple[str, SuggestedAction]]:
    """Every key with what it answers and its shipped action, dimensions first."""
    out: dict[str, tuple[str, SuggestedAction]] = {
        dimension_key(d): (str(d.label), DIMENSION_ACTIONS[d]) for d in Dimension
    }
    out |= {barrier_key(e.code.value): (e.label, e.action) for e in CATALOGUE}
    return out


def regency_of(area: Area) -> str | None:
    """The code of the regency/city the area lies in (the district office that edits its
    suggestions); None above it."""
    if area.level < Level.REGENCY:
        return None
    return ".".join(area.code.split(".")[: Level.REGENCY])


def action_rows(area: Area) -> list[ActionRow]:
    """The actions in force in the area, one query."""
    regency = regency_of(area)
    edits = (
        {e.key: e for e in SuggestedActionEdit.objects.filter(area_id=regency)} if regency else {}
    )
    return [
        ActionRow(key, label, default, edits.get(key))
        for key, (label, default) in defaults().items()
    ]


def actions_in_force(area: Area) -> dict[str, SuggestedAction]:
    return {row.key: row.action for row in action_rows(area)}


def _regency(area: Area) -> Area:
    if area.level != Level.REGENCY:
        raise ParticipationProblem.ACTIONS_AT_REGENCY.on("area")
    return area


@transaction.atomic
def action_set(
    *, actor: Any, area: Area, key: str, text: str, kind: str, target_group: str
) -> SuggestedActionEdit:
    """The district's own action for ``key`` in its regency/city (created or replaced)."""
    _regency(area)
    ensure_can(actor, Capability.EDIT_PROGRAMME, area.code)
    if key not in defaults():
        raise Http404
    text = text.strip()
    if not text or len(text) > TEXT_MAX:
        raise ParticipationProblem.ACTION_TEXT.on("text", max=TEXT_MAX)
    if kind not in ActivityKind.values:
        raise ParticipationProblem.ACTION_KIND.on("kind")
    if target_group not in TargetGroup.values:
        raise ParticipationProblem.ACTION_TARGET.on("target_group")
    edit = SuggestedActionEdit.objects.select_for_update().filter(area=area, key=key).first()
    before = snapshot(edit) if edit else {}
    if edit is None:
        edit = SuggestedActionEdit(area=area, key=key)
    edit.text, edit.kind, edit.target_group = text, kind, target_group
    edit.updated_by = actor if getattr(actor, "pk", None) else None
    edit.save()
    audit_record(
        actor=actor,
        action="suggested_action.set",
        instance=edit,
        area_code=area.code,
        before=before,
    )
    return edit


@transaction.atomic
def action_reset(*, actor: Any, area: Area, key: str) -> None:
    """Back to the shipped default for ``key`` (the district's own is deleted, audited)."""
    _regency(area)
    ensure_can(actor, Capability.EDIT_PROGRAMME, area.code)
    edit = SuggestedActionEdit.objects.filter(area=area, key=key).first()
    if edit is None:
        return
    audit_record(
        actor=actor,
        action="suggested_action.reset",
        instance=edit,
        area_code=area.code,
        before=snapshot(edit),
        after={},
    )
    edit.delete()
