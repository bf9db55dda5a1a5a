"""Families at risk of stunting, derived on the fly from the registers of one village (or an RW
or RT in it): nothing is keyed twice (decision 0029).

The families of the area, their members (and the wives' children living elsewhere), couples and
pregnancies are read in four queries whatever the number of families, turned into
``risk.FamilyFacts`` and judged by ``risk.assess``. Counts for a sub-district or a district come
later with the indicator facts; an area above a village is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from kampungkb.accounts.scope import Capability, area_or_404, root_areas, scoped
from kampungkb.families.models import Couple, Family, Person, Pregnancy, Sex
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting import risk
from kampungkb.stunting.errors import StuntingProblem
from kampungkb.stunting.risk import Assessment, RiskReason, TargetReason

NAMED = Capability.VIEW_PERSONS


def too_old_age() -> int:
    return int(settings.KAMPUNGKB_KRS_TOO_OLD_AGE)


@dataclass(frozen=True)
class FamilyAssessment:
    family: Family
    assessment: Assessment


@dataclass(frozen=True)
class Summary:
    """The target and at-risk families of an area on a date (the cadre meeting's agenda)."""

    area_code: str
    on: dt.date
    families: int  # active families assessed
    target: int
    at_risk: int
    by_reason: dict[RiskReason, int] = field(default_factory=dict)  # at-risk families per reason
    by_target_reason: dict[TargetReason, int] = field(default_factory=dict)
    # Target families whose house is not (fully) recorded: some reasons cannot be judged.
    house_not_recorded: int = 0


# -- Loading the facts ----------------------------------------------------------------------------


def _person(row: tuple[Any, ...]) -> risk.Person:
    pk, _family_id, name, birth_date, sex, died_on, mother_id = row
    return risk.Person(pk, name, birth_date, sex, died_on, mother_id)


def _facts(
    families: list[Family], ids: QuerySet[Family, Any], on: dt.date
) -> dict[int, risk.FamilyFacts]:
    """The facts of ``families`` (``ids``: the same families as a subquery), in three queries.
    The members come with the children of the family's women who live in another family."""
    women = Person.objects.filter(family__in=ids, sex=Sex.FEMALE).values("pk")
    people = [
        (_person(row), row[1])
        for row in Person.objects.filter(Q(family__in=ids) | Q(mother__in=women)).values_list(
            "pk", "family_id", "full_name", "birth_date", "sex", "died_on", "mother_id"
        )
    ]
    family_of = {person.id: family_id for person, family_id in people}
    members: dict[int, list[risk.Person]] = defaultdict(list)
    elsewhere: dict[int, list[risk.Person]] = defaultdict(list)
    for person, family_id in people:
        members[family_id].append(person)
        mother_family = family_of.get(person.mother_id) if person.mother_id else None
        if mother_family is not None and mother_family != family_id:
            elsewhere[mother_family].append(person)
    couples: dict[int, list[risk.Couple]] = defaultdict(list)
    for (
        pk,
        family_id,
        wife_id,
        husband_id,
        husband_name,
        married_on,
        ended_on,
    ) in Couple.objects.filter(wife__family__in=ids).values_list(
        "pk",
        "wife__family_id",
        "wife_id",
        "husband_id",
        "husband__full_name",
        "married_on",
        "ended_on",
    ):
        couples[family_id].append(
            risk.Couple(pk, wife_id, husband_id, husband_name or "", married_on, ended_on)
        )
    pregnancies: dict[int, list[risk.Pregnancy]] = defaultdict(list)
    ongoing = (
        Pregnancy.objects.filter(couple__wife__family__in=ids, recorded_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("couple__wife__family_id", "couple_id", "recorded_on", "ended_on")
    )
    for family_id, couple_id, recorded_on, ended_on in ongoing:
        pregnancies[family_id].append(risk.Pregnancy(couple_id, recorded_on, ended_on))
    return {
        f.pk: risk.FamilyFacts(
            members=tuple(members[f.pk]),
            couples=tuple(couples[f.pk]),
            pregnancies=tuple(pregnancies[f.pk]),
            house=risk.House(f.water_source, f.latrine, f.has_septic_tank),
            children_elsewhere=tuple(elsewhere[f.pk]),
        )
        for f in families
    }


def assess_families(families: QuerySet[Family], on: dt.date) -> list[FamilyAssessment]:
    """Each of ``families`` (as ordered) with its assessment on ``on``, in four queries."""
    rows = list(families)
    facts = _facts(rows, families.values("pk"), on)
    limit = too_old_age()
    return [FamilyAssessment(f, risk.assess(facts[f.pk], on, limit)) for f in rows]


def assess_family(family: Family, on: dt.date) -> Assessment:
    """One family's assessment on ``on`` (the caller has read the family within scope)."""
    facts = _facts([family], Family.objects.filter(pk=family.pk).values("pk"), on)
    return risk.assess(facts[family.pk], on, too_old_age())


# -- Areas ----------------------------------------------------------------------------------------


def check_village_or_below(area: Area) -> Area:
    """The area, if it is a village or lies in one; else the problem asking for a village."""
    if area.level < Level.VILLAGE:
        raise StuntingProblem.AREA_ABOVE_VILLAGE.on("area", area=area.name)
    return area


def default_area(user: Any) -> Area | None:
    """The user's first area at village level or below (where the list opens), or None when the
    user works above villages and must choose one."""
    return root_areas(user, NAMED).filter(level__gte=Level.VILLAGE).order_by("code").first()


def _area_families(base: QuerySet[Family], area_code: str) -> QuerySet[Family]:
    return (
        base.filter(subtree_q("area_id", [area_code]), is_active=True)
        .select_related("head", "area__parent__parent")
        .order_by("area_id", "head__full_name", "pk")
    )


def summarise(area_code: str, on: dt.date, rows: Iterable[FamilyAssessment]) -> Summary:
    families = target = at_risk = unrecorded = 0
    by_reason = dict.fromkeys(RiskReason, 0)
    by_target = dict.fromkeys(TargetReason, 0)
    for row in rows:
        families += 1
        a = row.assessment
        if not a.is_target:
            continue
        target += 1
        unrecorded += bool(a.unknown)
        for t in a.target_reasons:
            by_target[t] += 1
        if a.is_at_risk:
            at_risk += 1
            for r in a.risk_reasons:
                by_reason[r] += 1
    return Summary(area_code, on, families, target, at_risk, by_reason, by_target, unrecorded)


def village_summary(area_code: str, on: dt.date) -> Summary:
    """The counts of a village (or an RW/RT) on ``on``, unscoped: an aggregate, the caller
    checks the reader's scope (``VIEW_AGGREGATES``)."""
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise Http404
    check_village_or_below(area)
    families = Family.objects.filter(subtree_q("area_id", [area.code]), is_active=True)
    return summarise(area.code, on, assess_families(families.order_by("pk"), on))


def area_assessments(*, user: Any, area_code: str, on: dt.date) -> list[FamilyAssessment]:
    """Every active family of the area (a village or below, where the user sees named persons)
    with its assessment, by RT/RW and head's name."""
    area = check_village_or_below(area_or_404(user, area_code, NAMED))
    return assess_families(_area_families(scoped(user, Family.objects.all(), NAMED), area.code), on)


def only_at_risk(
    rows: Iterable[FamilyAssessment], reason: RiskReason | str | None = None
) -> list[FamilyAssessment]:
    return [
        r
        for r in rows
        if r.assessment.is_at_risk and (reason is None or reason in r.assessment.risk_reasons)
    ]


def at_risk_list(
    *, user: Any, area_code: str, on: dt.date, reason: RiskReason | str | None = None
) -> list[FamilyAssessment]:
    """The families of the area at risk on ``on`` (with ``reason``, if given), with their
    reasons, within the user's scope."""
    return only_at_risk(area_assessments(user=user, area_code=area_code, on=on), reason)
