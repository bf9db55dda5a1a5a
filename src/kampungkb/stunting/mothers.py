"""Mothers the family-assistance teams and cadres follow upstream of stunting (issue 8, DOMAIN.md
section 5), derived from the couples register on a date, never keyed twice:

- **pregnant**: a pregnancy recorded on or before the date and not ended by it;
- **post-partum**: a delivery (a live birth or a stillbirth) in the 42 days up to the date, the
  window for post-partum contraception (KBPP, Perban 18/2020), with the method begun, if any;
- **birth spacing**: a PUS mother of a child under 2 who uses no method on the date and is not
  pregnant: the next pregnancy would come too close (less than 2 years; the field advises 3-5).

A method is "in use" when an episode covers the date and has not reached its drop-out day.
Names are shown: the caller checks the user sees persons in the area (a village or below).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.contraception.models import Episode
from kampungkb.families.models import Couple, Person, Pregnancy, PregnancyOutcome
from kampungkb.families.selectors import pus_q, years_before
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting.selectors import check_village_or_below

POSTPARTUM_DAYS = 42
SPACING_YEARS = 2
DELIVERIES = (PregnancyOutcome.LIVE_BIRTH, PregnancyOutcome.STILLBIRTH)
WIFE_AREA = "wife__family__area_id"


class MotherList(models.TextChoices):
    PREGNANT = "pregnant", _("Pregnant")
    POSTPARTUM = "postpartum", _("Post-partum (42 days)")
    SPACING = "spacing", _("Birth spacing: child under 2, no method")


@dataclass(frozen=True)
class MotherRow:
    couple: Couple
    # Pregnant: when recorded and expected; post-partum: the delivery and when the window closes.
    since: dt.date | None = None
    until: dt.date | None = None
    method: str = ""  # the method in use on the date (post-partum), or ""
    method_since: dt.date | None = None
    child: Person | None = None  # birth spacing: the youngest child under 2

    @property
    def wife(self) -> Person:
        return self.couple.wife

    @property
    def child_months(self) -> int | None:
        if self.child is None or self.since is None:
            return None
        born, on = self.child.birth_date, self.since
        return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)

    def days_left(self, on: dt.date) -> int | None:
        return None if self.until is None else (self.until - on).days


def in_use_q(on: dt.date, prefix: str = "") -> Q:
    """Episodes in force on ``on`` and not past their drop-out day."""
    p = prefix
    return (
        Q(**{f"{p}started_on__lte": on})
        & (Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": on}))
        & (Q(**{f"{p}drop_out_on__isnull": True}) | Q(**{f"{p}drop_out_on__gt": on}))
    )


def open_pregnancy_q(on: dt.date, prefix: str = "") -> Q:
    p = prefix
    return Q(**{f"{p}recorded_on__lte": on}) & (
        Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": on})
    )


def _couples(area: Area) -> QuerySet[Couple]:
    return Couple.objects.filter(subtree_q(WIFE_AREA, [area.code])).filter(
        Q(wife__died_on__isnull=True)
    )


def _methods(couples: Iterable[int], on: dt.date) -> dict[int, tuple[str, dt.date]]:
    """The method in use on ``on`` by each of ``couples``, with its start: one query."""
    return {
        couple: (name, started)
        for couple, name, started in Episode.objects.filter(
            in_use_q(on), couple_id__in=list(couples)
        )
        .order_by("started_on")
        .values_list("couple_id", "method__name", "started_on")
    }


def pregnant(area: Area, on: dt.date) -> list[MotherRow]:
    pregnancies = (
        Pregnancy.objects.filter(open_pregnancy_q(on), couple__in=_couples(area))
        .select_related("couple__wife__family")
        .order_by("expected_on", "recorded_on", "pk")
    )
    return [MotherRow(p.couple, since=p.recorded_on, until=p.expected_on) for p in pregnancies]


def postpartum(area: Area, on: dt.date) -> list[MotherRow]:
    """Deliveries in the 42 days up to ``on``, the soonest-closing window first."""
    deliveries = list(
        Pregnancy.objects.filter(
            couple__in=_couples(area),
            outcome__in=DELIVERIES,
            ended_on__gt=on - dt.timedelta(days=POSTPARTUM_DAYS),
            ended_on__lte=on,
        )
        .select_related("couple__wife__family")
        .order_by("ended_on", "pk")
    )
    methods = _methods({p.couple_id for p in deliveries}, on)
    rows = []
    for p in deliveries:
        assert p.ended_on is not None  # noqa: S101 - filtered on
        method, started = methods.get(p.couple_id, ("", None))
        rows.append(
            MotherRow(
                p.couple,
                since=p.ended_on,
                until=p.ended_on + dt.timedelta(days=POSTPARTUM_DAYS),
                method=method,
                method_since=started,
            )
        )
    return rows


def spacing(area: Area, on: dt.date) -> list[MotherRow]:
    """PUS mothers of a child under 2 on ``on``, using no method and not pregnant, the youngest
    child first."""
    couples = (
        _couples(area)
        .filter(pus_q(on))
        .exclude(pk__in=Episode.objects.filter(in_use_q(on)).values("couple_id"))
        .exclude(pk__in=Pregnancy.objects.filter(open_pregnancy_q(on)).values("couple_id"))
        .select_related("wife__family")
    )
    by_wife = {c.wife_id: c for c in couples}
    youngest: dict[int, Person] = {}
    for child in (
        Person.objects.filter(
            mother_id__in=list(by_wife),
            birth_date__gt=years_before(on, SPACING_YEARS),
            birth_date__lte=on,
        )
        .filter(Q(died_on__isnull=True) | Q(died_on__gt=on))
        .order_by("birth_date", "pk")
    ):
        assert child.mother_id is not None  # noqa: S101 - filtered on
        youngest[child.mother_id] = child  # the latest birth wins
    rows = [MotherRow(by_wife[wife], since=on, child=child) for wife, child in youngest.items()]
    return sorted(
        rows, key=lambda r: (-(r.child.birth_date.toordinal() if r.child else 0), r.wife.full_name)
    )


def mother_list(area: Area, on: dt.date, kind: MotherList) -> list[MotherRow]:
    """The mothers of ``kind`` in ``area`` (checked by the caller) on ``on``."""
    if kind == MotherList.PREGNANT:
        return pregnant(area, on)
    if kind == MotherList.POSTPARTUM:
        return postpartum(area, on)
    return spacing(area, on)


def mothers_for(*, user: Any, area_code: str, on: dt.date) -> dict[MotherList, list[MotherRow]]:
    """Every list of an area (a village or below where the user sees persons; another area is
    not found, one above the village a problem asking for one): five queries."""
    area = check_village_or_below(area_or_404(user, area_code, Capability.VIEW_PERSONS))
    return {kind: mother_list(area, on, kind) for kind in MotherList}
