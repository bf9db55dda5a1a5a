"""Families at risk of stunting (KRS, keluarga berisiko stunting; PK21), judged from the facts of
one family on one date. Pure code: the selectors load the facts, this module reads no database.

A family is a *target family* (keluarga sasaran) on a date when it has a PUS, a pregnant wife, a
child under 2 (baduta) or a child aged 2 to 5 (balita). A target family is *at risk* when it has
at least one risk reason: no decent drinking water, no decent latrine, or one of the "4 terlalu"
of a wife of a PUS: too young, too old, births too close, too many children (DOMAIN.md section 5,
docs/stunting.md). What the house record leaves blank cannot be judged and is listed as unknown,
so that cadres know what to ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from kampungkb.families.models import (
    DECENT_WATER_SOURCES,
    PUS_MAX_AGE,
    PUS_MIN_AGE,
    Latrine,
    age_on,
)

TOO_YOUNG_AGE = 20  # a wife under 20 is too young
TOO_CLOSE_YEARS = 2  # two births less than 2 years apart are too close
TOO_MANY_CHILDREN = 3  # more than 3 living children are too many
UNDER_2_YEARS = 2
BALITA_YEARS = 5  # a child aged 2 to 5: from 24 to 59 completed months


class TargetReason(models.TextChoices):
    PUS = "pus", _("Couple of reproductive age (PUS)")
    PREGNANT = "pregnant", _("Pregnant wife")
    UNDER_2 = "under_2", _("Child under 2 (baduta)")
    AGE_2_TO_5 = "age_2_to_5", _("Child aged 2 to 5 (balita)")


class RiskReason(models.TextChoices):
    UNSAFE_WATER = "unsafe_water", _("No decent drinking water")
    NO_DECENT_LATRINE = "no_decent_latrine", _("No decent latrine")
    TOO_YOUNG = "too_young", _("Wife too young (under 20)")
    TOO_OLD = "too_old", _("Wife too old")
    TOO_CLOSE = "too_close", _("Births too close (under 2 years apart)")
    TOO_MANY = "too_many", _("Too many children (more than 3)")


class Unknown(models.TextChoices):
    """A part of the house not recorded, so a risk reason that cannot be judged."""

    WATER_SOURCE = "water_source", _("Drinking-water source")
    LATRINE = "latrine", _("Latrine")
    SEPTIC_TANK = "septic_tank", _("Septic tank")


# -- The facts of one family ----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    birth_date: dt.date
    sex: str = ""
    died_on: dt.date | None = None
    mother_id: int | None = None

    def alive_on(self, on: dt.date) -> bool:
        """Born by ``on`` and not dead by then (the register's ``died_on > on``)."""
        return self.birth_date <= on and (self.died_on is None or self.died_on > on)


@dataclass(frozen=True)
class Couple:
    """A marriage whose wife is a member of the family."""

    id: int
    wife_id: int
    husband_id: int | None = None
    husband_name: str = ""
    married_on: dt.date | None = None
    ended_on: dt.date | None = None

    def married_by(self, on: dt.date) -> bool:
        started = self.married_on is None or self.married_on <= on
        return started and (self.ended_on is None or self.ended_on > on)


@dataclass(frozen=True)
class Pregnancy:
    couple_id: int
    recorded_on: dt.date
    ended_on: dt.date | None = None

    def ongoing_on(self, on: dt.date) -> bool:
        return self.recorded_on <= on and (self.ended_on is None or self.ended_on > on)


@dataclass(frozen=True)
class House:
    """The house as recorded: "" or None where nothing is recorded."""

    water_source: str = ""
    latrine: str = ""
    has_septic_tank: bool | None = None


@dataclass(frozen=True)
class FamilyFacts:
    members: tuple[Person, ...]
    couples: tuple[Couple, ...] = ()
    pregnancies: tuple[Pregnancy, ...] = ()
    house: House = field(default_factory=House)
    # Children of the family's wives who live in another family (grown up, married away): they
    # count for the wife's births and number of children, not as the family's young children.
    children_elsewhere: tuple[Person, ...] = ()


# -- The assessment -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Why one reason holds, with the data behind it (what the family page says)."""

    reason: str  # a TargetReason or a RiskReason
    wife: Person | None = None
    husband_name: str = ""
    child: Person | None = None  # the child, or the youngest of two births too close
    older_child: Person | None = None  # the birth before ``child``
    years: int | None = None  # the wife's or the child's age
    months: int | None = None  # a baduta's age, or the months between two births
    children: int | None = None  # the wife's living children
    limit: int | None = None  # the age a wife too old is over
    since: dt.date | None = None  # the pregnancy recorded on
    value: str = ""  # the water source, or the latrine


@dataclass(frozen=True)
class Assessment:
    on: dt.date
    target_reasons: tuple[TargetReason, ...]
    risk_reasons: tuple[RiskReason, ...]
    unknown: tuple[Unknown, ...]
    findings: tuple[Finding, ...]

    @property
    def is_target(self) -> bool:
        return bool(self.target_reasons)

    @property
    def is_at_risk(self) -> bool:
        """A target family with at least one risk reason (a family that is no target, say a
        widower alone with an unprotected well, is not at risk of stunting)."""
        return self.is_target and bool(self.risk_reasons)

    def findings_for(self, reason: str) -> list[Finding]:
        return [f for f in self.findings if f.reason == reason]


def months_between(start: dt.date, end: dt.date) -> int:
    """Completed months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _is_pus(couple: Couple, wife: Person | None, on: dt.date) -> bool:
    """As ``families.selectors.pus_q``: married on ``on``, the wife 15-49 and alive then."""
    if wife is None or not wife.alive_on(on) or not couple.married_by(on):
        return False
    return PUS_MIN_AGE <= age_on(wife.birth_date, on) <= PUS_MAX_AGE


def _targets(facts: FamilyFacts, people: dict[int, Person], on: dt.date) -> list[Finding]:
    found = [
        Finding(
            TargetReason.PUS,
            wife=people[c.wife_id],
            husband_name=c.husband_name,
            years=age_on(people[c.wife_id].birth_date, on),
        )
        for c in facts.couples
        if _is_pus(c, people.get(c.wife_id), on)
    ]
    wives = {c.id: people.get(c.wife_id) for c in facts.couples}
    for pregnancy in facts.pregnancies:
        wife = wives.get(pregnancy.couple_id)
        if wife is not None and wife.alive_on(on) and pregnancy.ongoing_on(on):
            found.append(Finding(TargetReason.PREGNANT, wife=wife, since=pregnancy.recorded_on))
    for member in sorted(facts.members, key=lambda p: (p.birth_date, p.id), reverse=True):
        if not member.alive_on(on):
            continue
        years = age_on(member.birth_date, on)
        if years < UNDER_2_YEARS:
            months = months_between(member.birth_date, on)
            found.append(Finding(TargetReason.UNDER_2, child=member, months=months))
        elif years < BALITA_YEARS:
            found.append(Finding(TargetReason.AGE_2_TO_5, child=member, years=years))
    return found


def _house(house: House) -> tuple[list[Finding], list[Unknown]]:
    found: list[Finding] = []
    unknown: list[Unknown] = []
    if not house.water_source:
        unknown.append(Unknown.WATER_SOURCE)
    elif house.water_source not in DECENT_WATER_SOURCES:
        found.append(Finding(RiskReason.UNSAFE_WATER, value=house.water_source))
    if house.latrine == Latrine.NONE or house.has_septic_tank is False:
        found.append(Finding(RiskReason.NO_DECENT_LATRINE, value=house.latrine))
    else:
        if not house.latrine:
            unknown.append(Unknown.LATRINE)
        if house.has_septic_tank is None:
            unknown.append(Unknown.SEPTIC_TANK)
    return found, unknown


def _four_too(wife: Person, children: list[Person], on: dt.date, too_old_age: int) -> list[Finding]:
    """The "4 terlalu" of one wife of a PUS on ``on``."""
    found = []
    years = age_on(wife.birth_date, on)
    if years < TOO_YOUNG_AGE:
        found.append(Finding(RiskReason.TOO_YOUNG, wife=wife, years=years))
    if years > too_old_age:
        found.append(Finding(RiskReason.TOO_OLD, wife=wife, years=years, limit=too_old_age))
    born = sorted((c for c in children if c.birth_date <= on), key=lambda c: (c.birth_date, c.id))
    # Twins are one birth: the two youngest births are the two latest birth dates.
    births = {c.birth_date: c for c in born}
    if len(births) >= 2:
        older_day, latest_day = sorted(births)[-2:]
        if age_on(older_day, latest_day) < TOO_CLOSE_YEARS:
            found.append(
                Finding(
                    RiskReason.TOO_CLOSE,
                    wife=wife,
                    child=births[latest_day],
                    older_child=births[older_day],
                    months=months_between(older_day, latest_day),
                )
            )
    living = sum(1 for c in born if c.alive_on(on))
    if living > TOO_MANY_CHILDREN:
        found.append(Finding(RiskReason.TOO_MANY, wife=wife, children=living))
    return found


def _ordered(reasons: type[models.TextChoices], found: list[Finding]) -> tuple:
    present = {f.reason for f in found}
    return tuple(r for r in reasons if r in present)


def assess(facts: FamilyFacts, on: dt.date, too_old_age: int) -> Assessment:
    """The family on ``on``: whether it is a target family and why, its risk reasons with the
    data behind them, and what of the house is not recorded. A wife older than ``too_old_age``
    (the setting ``KAMPUNGKB_KRS_TOO_OLD_AGE``) is too old."""
    people = {p.id: p for p in (*facts.children_elsewhere, *facts.members)}
    targets = _targets(facts, people, on)
    risks, unknown = _house(facts.house)
    wives = list(
        dict.fromkeys(f.wife.id for f in targets if f.reason == TargetReason.PUS and f.wife)
    )
    for wife_id in wives:
        children = [p for p in people.values() if p.mother_id == wife_id]
        risks += _four_too(people[wife_id], children, on, too_old_age)
    return Assessment(
        on=on,
        target_reasons=_ordered(TargetReason, targets),
        risk_reasons=_ordered(RiskReason, risks),
        unknown=tuple(unknown),
        findings=(*targets, *risks),
    )
