"""The records behind a sub-indicator of the participation index, for a village or a part of
it and a month: the activities, families, members, cadres, follow-ups, couples and episodes the
fill engine counted, each marked whether it counts in the numerator. Read with the fill's own
code (``index_sources.Batch``), so the list and the figure cannot disagree. Names are shown, so
only users who see persons in the area may open it (the view checks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import Activity, Poktan
from kampungkb.cadres.models import Cadre
from kampungkb.contraception.models import Episode
from kampungkb.families.masking import mask_id
from kampungkb.families.models import Couple, Family, Person
from kampungkb.indicators.registry import Code, indicator
from kampungkb.participation.index_sources import (
    EPISODE_AREA,
    Batch,
    dropped_q,
    in_force_q,
    window,
)
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import subtree_q

# The sub-indicators with a list of records; the others (mCPR, intention) are read in the
# register's own pages.
WITH_RECORDS: tuple[str, ...] = (
    Code.PI_ACCEPT,
    Code.PI_ATTEND,
    Code.PI_CONTINUATION,
    Code.PI_ON_TIME,
    Code.PI_POKTAN,
    Code.PI_CADRE_ACTIVE,
    Code.PI_CADRE_DENSITY,
    Code.PI_FAMILY_CONTRIB,
    Code.PI_COST_SHARE,
)


@dataclass(frozen=True)
class Record:
    cells: list[Any]
    counted: bool  # in the numerator
    url: str = ""  # the record's own page, when there is one


@dataclass(frozen=True)
class Records:
    code: str
    area: Area
    period: dt.date
    header: list[Any]
    rows: list[Record] = field(default_factory=list)

    @property
    def name(self) -> str:
        return indicator(self.code).name_id

    @property
    def definition(self) -> str:
        return indicator(self.code).definition

    @property
    def counted(self) -> int:
        return sum(1 for r in self.rows if r.counted)


def _wife_names(couples: list[int]) -> dict[int, str]:
    return dict(Couple.objects.filter(pk__in=couples).values_list("pk", "wife__full_name"))


def _yes(flag: bool) -> Any:
    return _("yes") if flag else _("no")


def records(*, area: Area, period: dt.date, code: str, today: dt.date) -> Records:
    """The records of ``code`` for ``area`` (a village or below, already checked) and the month
    of ``period``."""
    w = window(period, today)
    codes = Area.objects.filter(subtree_q("code", [area.code])).values_list("code", flat=True)
    batch = Batch(dict.fromkeys(codes, area.code), [w])
    key = area.code
    if code == Code.PI_ATTEND:
        counted = dict(batch.counselling(key, w))
        acts = Activity.objects.filter(pk__in=counted).order_by("held_on", "pk")
        return Records(
            code,
            area,
            period,
            [_("Date"), _("Activity"), _("Kind"), _("Attendances")],
            [
                Record(
                    [a.held_on, a.title, a.get_kind_display(), counted[a.pk]],
                    True,
                    reverse("activities:detail", args=[a.pk]),
                )
                for a in acts
            ],
        )
    if code == Code.PI_COST_SHARE:
        costs = {pk: (own, total) for pk, own, total in batch.costs(key, w)}
        acts = Activity.objects.filter(pk__in=costs).order_by("held_on", "pk")
        return Records(
            code,
            area,
            period,
            [
                _("Date"),
                _("Activity"),
                _("Funding source"),
                _("Self, partners and residents (Rp)"),
                _("All costs (Rp)"),
            ],
            [
                Record(
                    [
                        a.held_on,
                        a.title,
                        a.get_funding_source_display(),
                        costs[a.pk][0],
                        costs[a.pk][1],
                    ],
                    costs[a.pk][0] > 0,
                    reverse("activities:detail", args=[a.pk]),
                )
                for a in acts
            ],
        )
    if code == Code.PI_FAMILY_CONTRIB:
        gave = batch.contributing_families(key, w)
        families = sorted(
            Family.objects.filter(subtree_q("area_id", [area.code]), is_active=True).select_related(
                "head"
            ),
            key=lambda f: (f.pk not in gave, f.pk),
        )
        return Records(
            code,
            area,
            period,
            [_("Head of family"), _("KK number"), _("Address"), _("Contributed")],
            [
                Record(
                    [
                        f.head.full_name if f.head else "",
                        mask_id(f.kk_number),
                        f.address,
                        _yes(f.pk in gave),
                    ],
                    f.pk in gave,
                    reverse("families:detail", args=[f.pk]),
                )
                for f in families
            ],
        )
    if code == Code.PI_POKTAN:
        members = batch.poktan_members(key, w)
        names = dict(
            Person.objects.filter(pk__in=[m[1] for m in members]).values_list("pk", "full_name")
        )
        groups = dict(
            Poktan.objects.filter(pk__in=[m[2] for m in members]).values_list("pk", "name")
        )
        return Records(
            code,
            area,
            period,
            [_("Member"), _("Poktan"), _("Attended in the quarter")],
            [
                Record([names[p], groups[g], _yes(came)], came)
                for _, p, g, came in sorted(members, key=lambda m: (groups[m[2]], names[m[1]]))
            ],
        )
    if code in (Code.PI_CADRE_ACTIVE, Code.PI_CADRE_DENSITY):
        serving = batch.serving_cadres(key, w)
        cadres = {
            c.pk: c
            for c in Cadre.objects.filter(pk__in=[s[0] for s in serving]).select_related("person")
        }
        density = code == Code.PI_CADRE_DENSITY
        return Records(
            code,
            area,
            period,
            [_("Cadre"), _("Role"), _("Started on"), _("Active in the quarter")],
            [
                Record(
                    [
                        cadres[pk].person.full_name,
                        cadres[pk].get_role_display(),
                        cadres[pk].started_on,
                        _yes(active),
                    ],
                    density or active,
                    reverse("cadres:detail", args=[pk]),
                )
                for pk, _, active in sorted(serving, key=lambda s: cadres[s[0]].person.full_name)
            ],
        )
    if code == Code.PI_ON_TIME:
        done = batch.follow_ups_done(key, w)
        wives = _wife_names([d[1] for d in done])
        return Records(
            code,
            area,
            period,
            [_("Wife"), _("Due date"), _("Followed up on"), _("Days after"), _("On time")],
            [
                Record(
                    [wives[c], due, day, (day - due).days, _yes(ok)],
                    ok,
                    reverse("contraception:couple", args=[c]),
                )
                for _, c, day, due, ok in sorted(done, key=lambda d: (d[2], d[0]))
            ],
        )
    if code == Code.PI_ACCEPT:
        reached = batch.reached(key, w)
        wives = _wife_names([r[0] for r in reached])
        return Records(
            code,
            area,
            period,
            [_("Wife"), _("First contact"), _("Began a method on")],
            [
                Record(
                    [wives[c], first, began],
                    began is not None,
                    reverse("contraception:couple", args=[c]),
                )
                for c, first, began in sorted(reached, key=lambda r: (r[1], r[0]))
            ],
        )
    if code == Code.PI_CONTINUATION:
        episodes = (
            Episode.objects.filter(subtree_q(EPISODE_AREA, [area.code]))
            .filter(in_force_q(w.quarter))
            .select_related("couple__wife", "method")
            .order_by("couple__wife__full_name", "started_on")
        )
        dropped = set(
            Episode.objects.filter(Q(pk__in=episodes.values("pk")) & dropped_q(w.ref)).values_list(
                "pk", flat=True
            )
        )
        return Records(
            code,
            area,
            period,
            [_("Wife"), _("Method"), _("Started on"), _("Dropped out")],
            [
                Record(
                    [e.couple.wife.full_name, e.method.name, e.started_on, _yes(e.pk in dropped)],
                    e.pk not in dropped,
                    reverse("contraception:couple", args=[e.couple_id]),
                )
                for e in episodes
            ],
        )
    raise ValueError(code)
