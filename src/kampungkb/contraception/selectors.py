"""Reads for contraceptive services: the catalogue, facilities, a couple's history, and the
follow-up lists (due, overdue, dropped out). One selector serves the page, the API and exports;
every read is scoped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, get_scoped_or_404, scoped
from kampungkb.contraception.models import (
    DueRule,
    EndReason,
    Episode,
    Facility,
    FollowUp,
    Method,
    ServiceVisit,
)
from kampungkb.regions.selectors import subtree_q

EPISODE_AREA = "couple__wife__family__area_id"
_LIST_RELATED = (
    "method",
    "couple__wife__family__area",
    "couple__husband",
)


def method_list(*, include_inactive: bool = False) -> QuerySet[Method]:
    qs = Method.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def facility_list(
    *, user: Any, area_code: str | None = None, include_inactive: bool = False
) -> QuerySet[Facility]:
    qs = scoped(user, Facility.objects.select_related("area"))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    return qs.order_by("name")


def facility_get(*, user: Any, pk: int, capability: Capability | None = None) -> Facility:
    return get_scoped_or_404(user, Facility.objects.select_related("area"), capability, pk=pk)


def couple_visits(couple: Any) -> QuerySet[ServiceVisit]:
    """The couple's visits, newest first, for the timeline."""
    return (
        ServiceVisit.objects.filter(couple=couple)
        .select_related("method", "facility", "recorded_by", "episode")
        .order_by("-visited_on", "-pk")
    )


def couple_episodes_stored(couple: Any) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(couple=couple)
        .select_related("method")
        .order_by("-started_on", "-pk")
    )


def _episodes(user: Any, area_code: str | None) -> QuerySet[Episode]:
    qs = scoped(user, Episode.objects.all())
    if area_code:
        qs = qs.filter(subtree_q(EPISODE_AREA, [area_code]))
    return qs.select_related(*_LIST_RELATED)


def due_list(
    *, user: Any, date_from: dt.date, date_to: dt.date, area_code: str | None = None
) -> QuerySet[Episode]:
    """Users whose next visit (re-injection, resupply, check, replacement) falls due in the range."""
    return (
        _episodes(user, area_code)
        .filter(ended_on__isnull=True, next_due_on__gte=date_from, next_due_on__lte=date_to)
        .order_by("next_due_on", "pk")
    )


def overdue_list(*, user: Any, on: dt.date, area_code: str | None = None) -> QuerySet[Episode]:
    """Users past their due date and grace period on ``on`` but not yet dropped out."""
    return (
        _episodes(user, area_code)
        .filter(ended_on__isnull=True, overdue_from__lte=on)
        .filter(Q(drop_out_on__isnull=True) | Q(drop_out_on__gt=on))
        .order_by("next_due_on", "pk")
    )


def dropout_list(
    *, user: Any, date_from: dt.date, date_to: dt.date, area_code: str | None = None
) -> QuerySet[Episode]:
    """Users who dropped out in the range (more than three months overdue) and have not started
    again since; an open episode whose drop-out day has passed but that the daily refresh has
    not closed yet counts too."""
    later = Episode.objects.filter(couple=OuterRef("couple"), started_on__gt=OuterRef("started_on"))
    return (
        _episodes(user, area_code)
        .filter(
            Q(end_reason=EndReason.DROP_OUT, ended_on__gte=date_from, ended_on__lte=date_to)
            | Q(ended_on__isnull=True, drop_out_on__gte=date_from, drop_out_on__lte=date_to)
        )
        .filter(~Exists(later))
        .order_by("-drop_out_on", "pk")
    )


def latest_follow_ups(episode_ids: list[int]) -> dict[int, FollowUp]:
    """The most recent follow-up of each listed episode (one query)."""
    latest: dict[int, FollowUp] = {}
    for follow_up in FollowUp.objects.filter(episode_id__in=episode_ids).order_by("done_on", "pk"):
        if follow_up.episode_id is not None:
            latest[follow_up.episode_id] = follow_up
    return latest


DUE_KIND_LABELS = {
    "reinjection": _("Re-injection"),
    "resupply": _("Resupply"),
    "check": _("Check-up"),
    "replacement": _("Removal or replacement"),
    "mal_ends": _("End of MAL: choose a method"),
}


def due_kind(episode: Episode) -> str:
    """What the due visit is for, from the method's rule."""
    method = episode.method
    if method.due_rule == DueRule.PER_UNIT:
        return "reinjection" if method.unit == "dose" else "resupply"
    if method.due_rule == DueRule.CHECKS:
        end = episode.started_on + dt.timedelta(days=method.protection_days or 0)
        return "replacement" if episode.next_due_on == end else "check"
    if method.due_rule == DueRule.FIXED:
        return "replacement"
    return "mal_ends"


# Additions for the contraceptive services pages.


def couple_follow_ups(couple: Any) -> QuerySet[FollowUp]:
    """The couple's follow-ups, newest first."""
    return (
        FollowUp.objects.filter(couple=couple)
        .select_related("episode__method", "recorded_by")
        .order_by("-done_on", "-pk")
    )


def couple_episode_find(couple: Any, pk: int) -> Episode | None:
    """One of the couple's episodes (the couple was read in scope), None when it is not hers."""
    return Episode.objects.select_related("method").filter(couple=couple, pk=pk).first()


def visit_list(
    *,
    user: Any,
    couple: Any = None,
    area_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ServiceVisit]:
    """Service visits in scope, newest first, for the API; optionally of one couple, one area's
    subtree and a date range."""
    qs = scoped(user, ServiceVisit.objects.all())
    if couple is not None:
        qs = qs.filter(couple=couple)
    if area_code:
        qs = qs.filter(subtree_q("couple__wife__family__area_id", [area_code]))
    if date_from is not None:
        qs = qs.filter(visited_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(visited_on__lte=date_to)
    return qs.select_related("method", "couple__wife__family").order_by("-visited_on", "-pk")


def episode_get(*, user: Any, pk: int, capability: Capability | None = None) -> Episode:
    """One stored episode in scope (whether it is the right couple's is the service's check)."""
    return get_scoped_or_404(user, Episode.objects.select_related("method"), capability, pk=pk)
