"""The Kampung KB classification (DOMAIN.md section 7): pure functions, no database.

Twelve indicators each score 1-4 (facilities and PKB/regulation top out at 3); the input,
process and output indices are the means of their scores, rounded to 2 decimals; the class
follows from the indices by four rules taken in order. The thresholds are data (``Bands``, held
as versioned ``ClassificationRules`` rows): a value scores 1 plus the number of thresholds it
reaches ("up": value >= threshold) or stays within ("down": value <= threshold, for unmet need).

Percentages are rounded to whole numbers (half up) before scoring; poktan participation is the
mean of the five rounded poktan percentages, rounded again. Missing data (no fact, no profile)
scores 1. Each score carries the value behind it and the next band's threshold, from which the
page says what would raise it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class KampungClass(models.TextChoices):
    DASAR = "dasar", _("Basic (Dasar)")
    BERKEMBANG = "berkembang", _("Developing (Berkembang)")
    MANDIRI = "mandiri", _("Self-reliant (Mandiri)")
    BERKELANJUTAN = "berkelanjutan", _("Sustainable (Berkelanjutan)")


class Index(StrEnum):
    INPUT = "input"
    PROCESS = "process"
    OUTPUT = "output"


class Key(StrEnum):
    """The indicators, in the order the page shows them."""

    POKJA = "pokja"
    FUNDING = "funding"
    POKTAN = "poktan"
    FACILITIES = "facilities"
    PKB_REGULATION = "pkb_regulation"
    DATA_SOURCES = "data_sources"
    MANAGEMENT = "management"
    PARTNERS = "partners"
    PARTICIPATION = "participation"
    CPR = "cpr"
    MKJP = "mkjp"
    UNMET_NEED = "unmet_need"


INDICES: dict[Index, tuple[Key, ...]] = {
    Index.INPUT: (Key.POKJA, Key.FUNDING, Key.POKTAN, Key.FACILITIES, Key.PKB_REGULATION),
    Index.PROCESS: (Key.DATA_SOURCES, Key.MANAGEMENT, Key.PARTNERS),
    Index.OUTPUT: (Key.PARTICIPATION, Key.CPR, Key.MKJP, Key.UNMET_NEED),
}
PERCENT_KEYS = frozenset({Key.PARTICIPATION, Key.CPR, Key.MKJP, Key.UNMET_NEED})
# The poktan kinds whose participation is averaged, each over its own target group.
PARTICIPATION_KINDS = ("bkb", "bkr", "bkl", "uppka", "pikr")
# An index at or above this counts as reached in the class rules.
REACHED = Decimal(3)

UP = "up"
DOWN = "down"


@dataclass(frozen=True)
class Band:
    direction: str  # UP: higher is better; DOWN: lower is better
    thresholds: tuple[int, ...]  # UP ascending, DOWN descending

    @property
    def max_score(self) -> int:
        return 1 + len(self.thresholds)

    def score(self, value: int | None) -> int:
        if value is None:
            return 1
        if self.direction == UP:
            return 1 + sum(1 for t in self.thresholds if value >= t)
        return 1 + sum(1 for t in self.thresholds if value <= t)

    def next_threshold(self, value: int | None) -> int | None:
        """The value the next band starts at (None at the top)."""
        reached = self.score(value) - 1
        if reached >= len(self.thresholds):
            return None
        return self.thresholds[reached]


Bands = dict[Key, Band]

# DOMAIN.md section 7, as coded in the portal; seeded as rules version 1 by a data migration.
DEFAULT_BANDS: dict[str, dict[str, Any]] = {
    # Pokja level: 0 none, 1 exists, 2 exists with members or trained, 3 members and trained.
    Key.POKJA: {"direction": UP, "thresholds": [1, 2, 3]},
    Key.FUNDING: {"direction": UP, "thresholds": [1, 2, 5]},
    Key.POKTAN: {"direction": UP, "thresholds": [1, 3, 5]},
    Key.FACILITIES: {"direction": UP, "thresholds": [1, 2]},
    Key.PKB_REGULATION: {"direction": UP, "thresholds": [1, 2]},
    Key.DATA_SOURCES: {"direction": UP, "thresholds": [1, 2, 4]},
    Key.MANAGEMENT: {"direction": UP, "thresholds": [1, 3, 5]},
    Key.PARTNERS: {"direction": UP, "thresholds": [1, 4, 7]},
    Key.PARTICIPATION: {"direction": UP, "thresholds": [10, 21, 31]},
    Key.CPR: {"direction": UP, "thresholds": [30, 41, 51]},
    Key.MKJP: {"direction": UP, "thresholds": [20, 23, 25]},
    Key.UNMET_NEED: {"direction": DOWN, "thresholds": [12, 9, 6]},
}


class RulesError(ValueError):
    pass


def parse_bands(data: Mapping[str, Any]) -> Bands:
    """The bands of a rules version, checked: every indicator, a direction, thresholds in order."""
    bands: Bands = {}
    for key in Key:
        entry = data.get(key.value)
        if not isinstance(entry, Mapping):
            raise RulesError(f"{key.value}: missing")
        direction = entry.get("direction")
        thresholds = entry.get("thresholds")
        if direction not in (UP, DOWN):
            raise RulesError(f"{key.value}: direction must be up or down")
        if (
            not isinstance(thresholds, list)
            or not thresholds
            or not all(isinstance(t, int) and not isinstance(t, bool) for t in thresholds)
        ):
            raise RulesError(f"{key.value}: thresholds must be a list of whole numbers")
        ordered = sorted(set(thresholds), reverse=direction == DOWN)
        if ordered != thresholds:
            raise RulesError(f"{key.value}: thresholds must be distinct and in order")
        bands[key] = Band(direction, tuple(thresholds))
    unknown = set(data) - {k.value for k in Key}
    if unknown:
        raise RulesError(f"unknown indicators: {', '.join(sorted(unknown))}")
    return bands


def whole_percent(value: Decimal | None) -> int | None:
    """A percentage rounded half up to a whole number, as the portal does before scoring."""
    if value is None:
        return None
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Pair:
    """Poktan members over the families (or persons) the poktan is for."""

    members: int
    target: int

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return whole_percent(Decimal(self.members) * 100 / Decimal(self.target))


@dataclass(frozen=True)
class Inputs:
    """Everything the classification reads. Profile items are None without a profile."""

    has_profile: bool = False
    pokja_exists: bool = False
    pokja_members: int = 0
    pokja_trained: bool = False
    funding_sources: Sequence[str] = ()
    poktan_kinds: Sequence[str] = ()  # kinds of poktan active in the village
    has_secretariat: bool = False
    has_rumah_dataku: bool = False
    pkb_assigned: bool = False  # a PKB officer assigned, or a supervisor named
    regulation_issued: bool = False
    data_sources: Sequence[str] = ()
    management_kinds: Sequence[str] = ()  # kinds of management activity held in the window
    partners: Sequence[str] = ()  # names of the distinct partner agencies in the window
    participation: Mapping[str, Pair] = field(default_factory=dict)  # poktan kind -> pair
    cpr: Decimal | None = None
    mkjp: Decimal | None = None
    unmet_need: Decimal | None = None

    @property
    def pokja_level(self) -> int | None:
        if not self.has_profile:
            return None
        if not self.pokja_exists:
            return 0
        with_members = self.pokja_members > 0
        if with_members and self.pokja_trained:
            return 3
        return 2 if with_members or self.pokja_trained else 1

    @property
    def participation_percent(self) -> int | None:
        """The mean of the poktan percentages that have a target group, each rounded first."""
        values = [p.percent for k in PARTICIPATION_KINDS if (p := self.participation.get(k))]
        known = [v for v in values if v is not None]
        if not known:
            return None
        return whole_percent(Decimal(sum(known)) / len(known))

    def value(self, key: Key) -> int | None:
        """The number the indicator is scored on (None: missing)."""
        profile = self.has_profile
        counts: dict[Key, int | None] = {
            Key.POKJA: self.pokja_level,
            Key.FUNDING: len(set(self.funding_sources)) if profile else None,
            Key.POKTAN: len(set(self.poktan_kinds)),
            Key.FACILITIES: int(self.has_secretariat) + int(self.has_rumah_dataku)
            if profile
            else None,
            Key.PKB_REGULATION: int(self.pkb_assigned) + int(self.regulation_issued)
            if profile
            else None,
            Key.DATA_SOURCES: len(set(self.data_sources)) if profile else None,
            Key.MANAGEMENT: len(set(self.management_kinds)),
            Key.PARTNERS: len(set(self.partners)),
            Key.PARTICIPATION: self.participation_percent,
            Key.CPR: whole_percent(self.cpr),
            Key.MKJP: whole_percent(self.mkjp),
            Key.UNMET_NEED: whole_percent(self.unmet_need),
        }
        return counts[key]


@dataclass(frozen=True)
class Score:
    key: Key
    value: int | None  # the number scored (a rounded percentage, a count, the Pokja level)
    score: int
    max_score: int
    next_threshold: int | None  # where the next band starts (None: at the top)
    direction: str

    @property
    def next_score(self) -> int | None:
        return None if self.next_threshold is None else self.score + 1


@dataclass(frozen=True)
class Result:
    scores: dict[Key, Score]
    indices: dict[Index, Decimal]
    klass: str


def score_all(inputs: Inputs, bands: Bands) -> dict[Key, Score]:
    scores = {}
    for key in Key:
        band = bands[key]
        value = inputs.value(key)
        scores[key] = Score(
            key=key,
            value=value,
            score=band.score(value),
            max_score=band.max_score,
            next_threshold=band.next_threshold(value),
            direction=band.direction,
        )
    return scores


def index_of(scores: Sequence[int]) -> Decimal:
    """The mean of the scores, rounded half up to 2 decimals."""
    mean = Decimal(sum(scores)) / len(scores)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def class_of(input_index: Decimal, process_index: Decimal, output_index: Decimal) -> str:
    """The class rules, in their order (DOMAIN.md section 7)."""
    reached = [i >= REACHED for i in (input_index, process_index, output_index)]
    if sum(reached) <= 1:
        return KampungClass.DASAR
    if reached[0] and reached[1] and not reached[2]:
        return KampungClass.BERKEMBANG
    if all(reached):
        return KampungClass.BERKELANJUTAN
    return KampungClass.MANDIRI


def classify(inputs: Inputs, bands: Bands) -> Result:
    scores = score_all(inputs, bands)
    indices = {index: index_of([scores[k].score for k in keys]) for index, keys in INDICES.items()}
    return Result(
        scores=scores,
        indices=indices,
        klass=class_of(indices[Index.INPUT], indices[Index.PROCESS], indices[Index.OUTPUT]),
    )
