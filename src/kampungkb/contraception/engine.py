"""From a couple's service visits to episodes of use and a status on any date.

Pure functions over plain data, no database: the services feed them a couple's visits and life
events and store what they return, the tests drive them with hypothesis. The rules (DOMAIN.md
sections 3 and 4, decision 0009):

- A visit that gives a method (start, repeat, switch) continues the open episode when the method
  is the same, and otherwise closes it (a switch) and opens a new one.
- A removal, a method failure, a pregnancy, the end of the marriage, the wife's death or her 50th
  birthday close the open episode.
- Each giving visit sets the next due date (re-injection, resupply, check, replacement). Past due
  plus the method's grace days the user is overdue; three months after that she has dropped out,
  and the episode is closed on that day with the reason "drop-out".
- A new user (PB) is a first-ever user, or the first use after a birth or a miscarriage. A switch
  is never a new user; a return after a drop-out without a birth in between is not either, nor is
  an episode whose first recorded visit is a repeat (a user who began before the records did).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from kampungkb.core.periods import add_months

DROP_OUT_MONTHS = 3
POSTPARTUM_DAYS = 42


class VisitKind(StrEnum):
    START = "start"  # a method begun (the provider's "peserta baru")
    REPEAT = "repeat"  # re-injection, resupply, check-up on the same method
    SWITCH = "switch"  # ganti cara
    REMOVAL = "removal"  # IUD or implant removed, or the user stops
    COMPLICATION = "complication"  # side effect or complication seen; the method goes on
    FAILURE = "failure"  # pregnant while using the method

    @property
    def gives_method(self) -> bool:
        return self in (VisitKind.START, VisitKind.REPEAT, VisitKind.SWITCH)


class EndReason(StrEnum):
    SWITCH = "switch"
    WANTS_CHILD = "wants_child"
    SIDE_EFFECTS = "side_effects"
    PREGNANCY = "pregnancy"
    REMOVAL = "removal"
    MARRIAGE_ENDED = "marriage_ended"
    AGE = "age"
    DROP_OUT = "drop_out"


class DueRule(StrEnum):
    PER_UNIT = "per_unit"  # pills, injectables, condoms: each unit covers a number of days
    CHECKS = "checks"  # IUD: a check after a month, then yearly, replaced at the end of protection
    FIXED = "fixed"  # implant: due for removal or replacement at the end of protection
    POSTPARTUM = "postpartum"  # MAL: in force until six months after the birth
    NONE = "none"  # sterilisation, traditional methods: nothing falls due


@dataclass(frozen=True)
class MethodRule:
    code: str
    due_rule: DueRule
    days_per_unit: int = 0
    first_check_days: int = 0
    check_interval_days: int = 0
    protection_days: int | None = None
    grace_days: int = 0


@dataclass(frozen=True)
class Visit:
    key: int
    on: dt.date
    kind: VisitKind
    method: str
    quantity: int = 1
    stop_reason: EndReason | None = None


@dataclass(frozen=True)
class LifeEvents:
    """What the family register knows that ends or resets use of a method."""

    births: tuple[dt.date, ...] = ()  # births and miscarriages (pregnancy outcomes)
    pregnancies: tuple[dt.date, ...] = ()  # dates pregnancies were recorded
    marriage_ended_on: dt.date | None = None
    wife_fifty_on: dt.date | None = None


@dataclass(frozen=True)
class Coverage:
    """One visit inside an episode and the due date it set (None: nothing falls due)."""

    visit: int
    on: dt.date
    due_on: dt.date | None


@dataclass
class Episode:
    method: str
    started_on: dt.date
    is_new_user: bool
    is_switch: bool
    is_postpartum: bool
    coverage: list[Coverage] = field(default_factory=list)
    ended_on: dt.date | None = None
    end_reason: EndReason | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def next_due_on(self) -> dt.date | None:
        return self.coverage[-1].due_on if self.coverage else None

    def covers(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or on < self.ended_on)

    def due_in_force(self, on: dt.date) -> dt.date | None:
        """The due date set by the last visit on or before ``on``."""
        due = None
        for item in self.coverage:
            if item.on > on:
                break
            due = item.due_on
        return due


def drop_out_on(due: dt.date | None, grace_days: int) -> dt.date | None:
    """The day an unrenewed user counts as dropped out: three months after the grace period."""
    if due is None:
        return None
    return add_months(due + dt.timedelta(days=grace_days), DROP_OUT_MONTHS)


def due_after(
    rule: MethodRule, on: dt.date, quantity: int, episode: Episode, births: Sequence[dt.date]
) -> dt.date | None:
    if rule.due_rule == DueRule.PER_UNIT:
        return on + dt.timedelta(days=rule.days_per_unit * max(quantity, 1))
    if rule.due_rule == DueRule.FIXED:
        return episode.started_on + dt.timedelta(days=rule.protection_days or 0)
    if rule.due_rule == DueRule.CHECKS:
        end = episode.started_on + dt.timedelta(days=rule.protection_days or 0)
        step = rule.check_interval_days if episode.coverage else rule.first_check_days
        return min(on + dt.timedelta(days=step), end)
    if rule.due_rule == DueRule.POSTPARTUM:
        last_birth = max((b for b in births if b <= on), default=on)
        return last_birth + dt.timedelta(days=183)
    return None


def _is_new_user(previous: Sequence[Episode], births: Sequence[dt.date], on: dt.date) -> bool:
    """First-ever use, or the first use after a birth or miscarriage."""
    if not previous:
        return True
    last_end = previous[-1].ended_on or on
    return any(last_end <= b <= on for b in births)


def _is_postpartum(births: Sequence[dt.date], on: dt.date) -> bool:
    return any(b <= on <= b + dt.timedelta(days=POSTPARTUM_DAYS) for b in births)


_ENDS_USE = (VisitKind.REMOVAL, VisitKind.FAILURE)


def _visit_order(visit: Visit) -> tuple[dt.date, int, int]:
    return (visit.on, 0 if visit.kind in _ENDS_USE else 1, visit.key)


def build_episodes(
    visits: Iterable[Visit],
    rules: dict[str, MethodRule],
    life: LifeEvents,
    *,
    as_of: dt.date,
) -> list[Episode]:
    """The episodes of use the visits make, as known on ``as_of``. Episodes never overlap and
    only the last may be open. Visits after ``as_of`` are ignored. On one day, a visit that ends
    use (removal, failure) is taken before one that gives a method, whatever order they were
    recorded in: an implant or IUD replaced on one day is a removal then a new start, never a new
    method ended the day it was given."""
    ordered = sorted((v for v in visits if v.on <= as_of), key=_visit_order)
    births = sorted(life.births)
    closers: list[tuple[dt.date, EndReason]] = [(p, EndReason.PREGNANCY) for p in life.pregnancies]
    if life.marriage_ended_on:
        closers.append((life.marriage_ended_on, EndReason.MARRIAGE_ENDED))
    if life.wife_fifty_on:
        closers.append((life.wife_fifty_on, EndReason.AGE))
    episodes: list[Episode] = []

    def open_episode() -> Episode | None:
        return episodes[-1] if episodes and episodes[-1].is_open else None

    def close(episode: Episode, on: dt.date, reason: EndReason) -> None:
        episode.ended_on = max(on, episode.started_on)
        episode.end_reason = reason

    def close_before(day: dt.date) -> None:
        """Apply the drop-out or register event that ends the open episode before ``day``."""
        current = open_episode()
        if current is None:
            return
        candidates = [(d, r) for d, r in closers if current.started_on < d < day]
        # A birth (or miscarriage) ends use too, even when no pregnancy was recorded; a method
        # given on the day of the birth is post-partum use and goes on.
        last_given = current.coverage[-1].on if current.coverage else current.started_on
        candidates += [(b, EndReason.PREGNANCY) for b in births if last_given < b < day]
        dropout = drop_out_on(current.next_due_on, rules[current.method].grace_days)
        if dropout is not None and dropout < day:
            candidates.append((dropout, EndReason.DROP_OUT))
        if candidates:
            close(current, *min(candidates))

    for visit in ordered:
        rule = rules.get(visit.method)
        if rule is None:
            continue
        close_before(visit.on)
        current = open_episode()
        if visit.kind.gives_method:
            if current is not None and current.method != visit.method:
                close(current, visit.on, EndReason.SWITCH)
                switching = True
            else:
                switching = False
            if current is None or switching:
                current = Episode(
                    method=visit.method,
                    started_on=visit.on,
                    # A first recorded visit that is a repeat is a user who began before the
                    # records did (peserta lama), not a new user.
                    is_new_user=not switching
                    and visit.kind != VisitKind.REPEAT
                    and _is_new_user(episodes, births, visit.on),
                    is_switch=switching,
                    is_postpartum=_is_postpartum(births, visit.on),
                )
                episodes.append(current)
            due = due_after(rule, visit.on, visit.quantity, current, births)
            current.coverage.append(Coverage(visit.key, visit.on, due))
        elif current is not None and visit.method == current.method:
            current.coverage.append(Coverage(visit.key, visit.on, current.next_due_on))
            if visit.kind == VisitKind.REMOVAL:
                close(current, visit.on, visit.stop_reason or EndReason.REMOVAL)
            elif visit.kind == VisitKind.FAILURE:
                close(current, visit.on, EndReason.PREGNANCY)
            elif visit.stop_reason is not None:
                close(current, visit.on, visit.stop_reason)
    close_before(as_of + dt.timedelta(days=1))
    return episodes


class Status(StrEnum):
    USER = "user"
    PREGNANT = "pregnant"
    WANTS_CHILD_SOON = "soon"
    DELAY = "delay"  # IAT
    NO_MORE = "no_more"  # TIAL
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class StatusOn:
    status: Status
    method: str | None = None
    due_on: dt.date | None = None
    overdue: bool = False

    @property
    def is_active_user(self) -> bool:
        """PA: a user whose method is in force, not overdue beyond the grace period."""
        return self.status == Status.USER and not self.overdue


def status_on(
    episodes: Sequence[Episode],
    rules: dict[str, MethodRule],
    on: dt.date,
    *,
    pregnant: bool,
    intention: str,
) -> StatusOn:
    """One status for a couple on a date: user of a method, or a non-user and why."""
    for episode in episodes:
        if episode.covers(on):
            due = episode.due_in_force(on)
            grace = rules[episode.method].grace_days
            overdue = due is not None and on > due + dt.timedelta(days=grace)
            return StatusOn(Status.USER, episode.method, due, overdue)
    if pregnant:
        return StatusOn(Status.PREGNANT)
    try:
        return StatusOn(Status(intention))
    except ValueError:
        return StatusOn(Status.UNKNOWN)
