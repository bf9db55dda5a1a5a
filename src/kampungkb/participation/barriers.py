"""The catalogue of barriers to family planning (DOMAIN.md section 6, decision 0030).

One catalogue for every place a barrier is recorded. The community barriers are the codes a
cadre records at a refused follow-up (``contraception.Barrier``), so counts join without a
mapping; the cadre barriers (what keeps cadres from their work) will be recorded at surveys and
field notes. Each barrier ships with a suggested action: the kind of activity to plan, for whom,
and why. The district will be able to edit the suggestions; these are the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.contraception.models import Barrier


class BarrierGroup(models.TextChoices):
    COMMUNITY = "community", _("Community")
    CADRE = "cadre", _("Cadres")


class BarrierCode(models.TextChoices):
    RELIGIOUS_BELIEF = Barrier.RELIGIOUS_BELIEF.value, Barrier.RELIGIOUS_BELIEF.label
    MYTH_MANY_CHILDREN = Barrier.MYTH_MANY_CHILDREN.value, Barrier.MYTH_MANY_CHILDREN.label
    SIDE_EFFECTS = Barrier.SIDE_EFFECTS.value, Barrier.SIDE_EFFECTS.label
    HUSBAND_OBJECTS = Barrier.HUSBAND_OBJECTS.value, Barrier.HUSBAND_OBJECTS.label
    WANTS_MORE_CHILDREN = Barrier.WANTS_MORE_CHILDREN.value, Barrier.WANTS_MORE_CHILDREN.label
    ACCESS = Barrier.ACCESS.value, Barrier.ACCESS.label
    COST = Barrier.COST.value, Barrier.COST.label
    NO_INFORMATION = Barrier.NO_INFORMATION.value, Barrier.NO_INFORMATION.label
    OTHER = Barrier.OTHER.value, Barrier.OTHER.label
    LACK_OF_KNOWLEDGE = "lack_of_knowledge", _("Cadre lacks knowledge of the methods")
    NO_INCENTIVE = "no_incentive", _("No incentive for the cadre")
    FAMILY_DOES_NOT_SUPPORT = "family_no_support", _("Cadre's family does not support")


@dataclass(frozen=True)
class SuggestedAction:
    """What to plan against a barrier: an activity of ``kind`` for ``target_group``.
    ``url_name`` points at the page where it is done when that is not an activity."""

    text: Promise | str
    kind: ActivityKind
    target_group: TargetGroup
    url_name: str = "activities:list"


@dataclass(frozen=True)
class BarrierEntry:
    code: BarrierCode
    group: BarrierGroup
    action: SuggestedAction

    @property
    def label(self) -> str:
        return str(self.code.label)


def _community(code: BarrierCode, action: SuggestedAction) -> BarrierEntry:
    return BarrierEntry(code, BarrierGroup.COMMUNITY, action)


def _cadre(code: BarrierCode, action: SuggestedAction) -> BarrierEntry:
    return BarrierEntry(code, BarrierGroup.CADRE, action)


_COUNSELLING = SuggestedAction(
    _("Counselling by the cadre or field officer on how the methods work and what they do"),
    ActivityKind.COUNSELLING,
    TargetGroup.PUS,
)

CATALOGUE: tuple[BarrierEntry, ...] = (
    _community(
        BarrierCode.RELIGIOUS_BELIEF,
        SuggestedAction(
            _("Socialisation with religious leaders and faith partners"),
            ActivityKind.SOCIALISATION,
            TargetGroup.COMMUNITY_LEADERS,
        ),
    ),
    _community(
        BarrierCode.MYTH_MANY_CHILDREN,
        SuggestedAction(
            _("Counselling on family welfare and the cost of raising children"),
            ActivityKind.COUNSELLING,
            TargetGroup.PUS,
        ),
    ),
    _community(BarrierCode.SIDE_EFFECTS, _COUNSELLING),
    _community(
        BarrierCode.HUSBAND_OBJECTS,
        SuggestedAction(
            _("A men's forum on family planning and male methods"),
            ActivityKind.MENS_FORUM,
            TargetGroup.MEN,
        ),
    ),
    _community(
        BarrierCode.WANTS_MORE_CHILDREN,
        SuggestedAction(
            _("Counselling on birth spacing (3-5 years) and a method until the next child"),
            ActivityKind.COUNSELLING,
            TargetGroup.PUS,
        ),
    ),
    _community(
        BarrierCode.ACCESS,
        SuggestedAction(
            _("A contraceptive service day in the village"),
            ActivityKind.SERVICE_DAY,
            TargetGroup.PUS,
        ),
    ),
    _community(
        BarrierCode.COST,
        SuggestedAction(
            _("A free contraceptive service day (JKN/BPJS or district budget)"),
            ActivityKind.SERVICE_DAY,
            TargetGroup.PUS,
        ),
    ),
    _community(
        BarrierCode.NO_INFORMATION,
        SuggestedAction(
            _("Counselling for the public on the programme and its services"),
            ActivityKind.COUNSELLING,
            TargetGroup.GENERAL_PUBLIC,
        ),
    ),
    _community(
        BarrierCode.OTHER,
        SuggestedAction(
            _("Read the follow-up notes at the cadre meeting and plan from them"),
            ActivityKind.CADRE_MEETING,
            TargetGroup.CADRES,
        ),
    ),
    _cadre(
        BarrierCode.LACK_OF_KNOWLEDGE,
        SuggestedAction(
            _("Cadre training on the methods, including male methods (MOP)"),
            ActivityKind.TRAINING,
            TargetGroup.CADRES,
        ),
    ),
    _cadre(
        BarrierCode.NO_INCENTIVE,
        SuggestedAction(
            _("An incentive rule (honorarium) for cadres"),
            ActivityKind.PLANNING_MEETING,
            TargetGroup.CADRES,
            url_name="cadres:incentive_rules",
        ),
    ),
    _cadre(
        BarrierCode.FAMILY_DOES_NOT_SUPPORT,
        SuggestedAction(
            _("Socialisation of the programme for cadres' families"),
            ActivityKind.SOCIALISATION,
            TargetGroup.CADRES,
        ),
    ),
)

BY_CODE: dict[str, BarrierEntry] = {entry.code.value: entry for entry in CATALOGUE}
# The barriers a follow-up records, in the catalogue's order.
COMMUNITY_CODES: tuple[str, ...] = tuple(
    e.code.value for e in CATALOGUE if e.group == BarrierGroup.COMMUNITY
)
