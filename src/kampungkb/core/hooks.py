"""Register-change hooks (decision 0011).

The family register announces, inside its write transaction, which couples' life events changed
(a pregnancy, a birth, a divorce, a death). Apps above it that derive data from those events (the
contraception episodes) subscribe once, in their ``AppConfig.ready``. The register stays unaware
of who listens, imports still point downward, and the derived rows change in the same transaction
as the register, so they are never out of step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

CoupleListener = Callable[[list[int]], None]
_couple_listeners: list[CoupleListener] = []


def subscribe_couple_changed(listener: CoupleListener) -> None:
    if listener not in _couple_listeners:
        _couple_listeners.append(listener)


def couple_changed(couple_ids: Iterable[int]) -> None:
    ids = sorted(set(couple_ids))
    if not ids:
        return
    for listener in _couple_listeners:
        listener(ids)


# Area hooks (decision 0013): a register or service write announces the area whose monthly figures
# it may change and the first day it changes them; the indicators app marks those months dirty.
AreaListener = Callable[[str, date], None]
_area_listeners: list[AreaListener] = []


def subscribe_area_changed(listener: AreaListener) -> None:
    if listener not in _area_listeners:
        _area_listeners.append(listener)


def area_changed(area_code: str, since: date | None) -> None:
    """Figures of ``area_code`` may change from ``since`` on (None: from the start of records)."""
    for listener in _area_listeners:
        listener(area_code, since or date.min)


# Couple hooks (decision 0038): a write to couples' contraceptive records (service visits and the
# episodes derived from them) announces the couples *before* it writes, so that the indicators
# app can take what those couples count for in their village's figures now and, at the next
# fill, replace it with what they count for after the write, without refilling the village.
CouplesListener = Callable[[str, list[int], date], None]
_couples_listeners: list[CouplesListener] = []


def subscribe_contraception_changing(listener: CouplesListener) -> None:
    if listener not in _couples_listeners:
        _couples_listeners.append(listener)


def contraception_changing(area_code: str, couple_ids: Iterable[int], since: date) -> None:
    """The contraceptive records of ``couple_ids`` (of families in ``area_code``) are about to
    change figures from ``since`` on. Without a couples listener the area listeners hear it."""
    ids = sorted(set(couple_ids))
    if not _couples_listeners:
        area_changed(area_code, since)
        return
    for listener in _couples_listeners:
        listener(area_code, ids, since)
