"""Reads of partners and MoUs. Who sees what (decision 0021):

- a partner is visible to a user whose aggregate scope covers the area that registered it, or one
  of the areas it serves (also a served area that encloses the user's own: a partner serving the
  whole kabupaten serves the user's village);
- an MoU is visible by its area;
- a user linked to a partner (``PartnerMembership``) sees only that partner and its MoUs, and a
  partner-role user not linked to any partner sees none;
- contacts are named persons: only roles that see named persons see them.

Out of scope is not found. One selector serves the page, the API and the export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.models import Role, User
from kampungkb.accounts.scope import NATIONAL, Capability, scope_for, scoped
from kampungkb.partners.models import (
    Commitment,
    Mou,
    Partner,
    PartnerContact,
    PartnerMembership,
)
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PARTNERS

# Alerts start this many days before an MoU ends; the second one at SECOND_ALERT_DAYS.
FIRST_ALERT_DAYS = 60
SECOND_ALERT_DAYS = 30
# An expired MoU that nobody renewed stays in the banner this long after it ended.
EXPIRED_SHOWN_DAYS = 60

_NOT_LINKED = 0  # cached "no membership" (partner pks start at 1)


def member_partner_id(user: Any) -> int | None:
    """The partner a user speaks for (``PartnerMembership``), or None; cached on the user."""
    if getattr(user, "pk", None) is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_kampungkb_partner", None)
    if cached is None:
        found = PartnerMembership.objects.filter(user_id=user.pk).values_list(
            "partner_id", flat=True
        )
        cached = next(iter(found), _NOT_LINKED)
        user._kampungkb_partner = cached
    return cached or None


def _partner_role_only(user: Any) -> bool:
    roles = scope_for(user).roles
    return bool(roles) and roles <= {Role.PARTNER}


def _enclosing_codes(roots: frozenset[str]) -> set[str]:
    """The codes of the areas that enclose each root (its ancestors), e.g. 64.02 for 64.02.08."""
    out: set[str] = set()
    for code in roots:
        parts = code.split(".")
        out.update(".".join(parts[:n]) for n in range(1, len(parts)))
    return out


def partners_visible(user: Any) -> QuerySet[Partner]:
    """Every partner the user may see (active or not)."""
    qs = Partner.objects.all()
    member = member_partner_id(user)
    if member is not None:
        return qs.filter(pk=member)
    if _partner_role_only(user):
        return qs.none()
    roots = scope_for(user).areas(VIEW)
    if NATIONAL in roots:
        return qs
    if not roots:
        return qs.none()
    served = Partner.areas_served.through.objects.filter(partner_id=OuterRef("pk")).filter(
        subtree_q("area_id", roots) | Q(area_id__in=_enclosing_codes(roots))
    )
    return qs.filter(subtree_q("area_id", roots) | Exists(served))


def partners_editable(user: Any) -> QuerySet[Partner]:
    """Partners the user may change: registered within the user's EDIT_PARTNERS areas."""
    return scoped(user, Partner.objects.all(), EDIT)


def partner_get(*, user: Any, pk: int, capability: Capability = VIEW) -> Partner:
    qs = partners_editable(user) if capability == EDIT else partners_visible(user)
    partner = qs.select_related("area").filter(pk=pk).first()
    if partner is None:
        raise Http404
    return partner


def partner_list(
    *,
    user: Any,
    kind: str | None = None,
    area_code: str | None = None,
    active: bool | None = True,
) -> QuerySet[Partner]:
    """Visible partners by name, filtered by type, area (registered in it or serving within it)
    and active flag (None: both)."""
    qs = partners_visible(user)
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    if area_code:
        served = Partner.areas_served.through.objects.filter(
            subtree_q("area_id", [area_code]), partner_id=OuterRef("pk")
        )
        qs = qs.filter(subtree_q("area_id", [area_code]) | Exists(served))
    return (
        qs.select_related("area")
        .prefetch_related("areas_served")
        .annotate(
            has_mou=Exists(Mou.objects.filter(partner_id=OuterRef("pk"))),
        )
        .order_by("name", "id")
    )


def can_see_contacts(user: Any, partner: Partner) -> bool:
    """Contacts are named persons: for roles that see persons in the partner's area, or that may
    edit the partner."""
    scope = scope_for(user)
    return scope.can(Capability.VIEW_PERSONS, partner.area_id) or scope.can(EDIT, partner.area_id)


def contact_list(*, user: Any, partner: Partner) -> QuerySet[PartnerContact]:
    if not can_see_contacts(user, partner):
        return PartnerContact.objects.none()
    return partner.contacts.order_by("name", "id")


def contact_get(*, user: Any, pk: int) -> PartnerContact:
    """A contact of a partner the user may edit, or not found."""
    contact = (
        PartnerContact.objects.select_related("partner")
        .filter(pk=pk, partner__in=partners_editable(user))
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def membership_list(*, user: Any, partner: Partner) -> QuerySet[PartnerMembership]:
    if not can_see_contacts(user, partner):
        return PartnerMembership.objects.none()
    return partner.memberships.select_related("user").order_by("user__username")


def membership_get(*, user: Any, pk: int) -> PartnerMembership:
    found = (
        PartnerMembership.objects.select_related("partner", "user")
        .filter(pk=pk, partner__in=partners_editable(user))
        .first()
    )
    if found is None:
        raise Http404
    return found


def partner_user_choices(*, user: Any) -> QuerySet[User]:
    """Users with the partner role, in the officer's areas or national, not linked yet."""
    roots = scope_for(user).areas(EDIT)
    qs = User.objects.filter(
        is_active=True, assignments__role=Role.PARTNER, partner_membership__isnull=True
    )
    if NATIONAL not in roots:
        qs = qs.filter(subtree_q("assignments__area_id", roots) | Q(assignments__area__isnull=True))
    return qs.distinct().order_by("username")


# More areas than this to choose from: the user types area codes instead (a national user).
AREA_CHOICES_LIMIT = 1000


def area_choices(*, user: Any, capability: Capability = EDIT) -> list[Area] | None:
    """The areas of the user's scope down to the villages, for a select; None when too many."""
    roots = scope_for(user).areas(capability)
    if NATIONAL in roots:
        return None
    areas = list(
        Area.objects.filter(
            subtree_q("code", roots), level__lte=Level.VILLAGE, is_active=True
        ).order_by("code")[: AREA_CHOICES_LIMIT + 1]
    )
    return None if len(areas) > AREA_CHOICES_LIMIT else areas


# -- MoUs -----------------------------------------------------------------------------------------


class MouStatus:
    """What an MoU is today (computed, not stored)."""

    IN_FORCE = "in_force"
    UPCOMING = "upcoming"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    RENEWED = "renewed"

    LABELS: dict[str, Any] = {
        IN_FORCE: _("In force"),
        UPCOMING: _("Not yet in force"),
        EXPIRING: _("Expiring"),
        EXPIRED: _("Expired"),
        RENEWED: _("Renewed"),
    }
    CHOICES = tuple(LABELS.items())


def mou_status(mou: Mou, today: dt.date) -> str:
    renewed = getattr(mou, "is_renewed", None)
    if renewed is None:
        renewed = Mou.objects.filter(renews=mou).exists()
    if renewed:
        return MouStatus.RENEWED
    if mou.valid_until < today:
        return MouStatus.EXPIRED
    if mou.valid_until <= today + dt.timedelta(days=FIRST_ALERT_DAYS):
        return MouStatus.EXPIRING
    if mou.valid_from > today:
        return MouStatus.UPCOMING
    return MouStatus.IN_FORCE


def _status_q(status: str, today: dt.date) -> Q:
    soon = today + dt.timedelta(days=FIRST_ALERT_DAYS)
    not_renewed = Q(is_renewed=False)
    return {
        MouStatus.RENEWED: Q(is_renewed=True),
        MouStatus.EXPIRED: not_renewed & Q(valid_until__lt=today),
        MouStatus.EXPIRING: not_renewed & Q(valid_until__gte=today, valid_until__lte=soon),
        MouStatus.UPCOMING: not_renewed & Q(valid_from__gt=today, valid_until__gt=soon),
        MouStatus.IN_FORCE: not_renewed & Q(valid_from__lte=today, valid_until__gt=soon),
    }[status]


def mous_visible(user: Any) -> QuerySet[Mou]:
    member = member_partner_id(user)
    if member is not None:
        return Mou.objects.filter(partner_id=member)
    if _partner_role_only(user):
        return Mou.objects.none()
    return scoped(user, Mou.objects.all(), VIEW)


def _with_renewal(qs: QuerySet[Mou]) -> QuerySet[Mou]:
    return qs.annotate(is_renewed=Exists(Mou.objects.filter(renews=OuterRef("pk"))))


def mou_list(
    *,
    user: Any,
    today: dt.date,
    partner: Partner | None = None,
    status: str | None = None,
) -> QuerySet[Mou]:
    """Visible MoUs, the latest ending first, with ``is_renewed``."""
    qs = _with_renewal(mous_visible(user))
    if partner is not None:
        qs = qs.filter(partner=partner)
    if status:
        qs = qs.filter(_status_q(status, today))
    return qs.select_related("partner", "area", "renews").order_by("-valid_until", "-id")


def mou_get(*, user: Any, pk: int, capability: Capability = VIEW) -> Mou:
    base = scoped(user, Mou.objects.all(), EDIT) if capability == EDIT else mous_visible(user)
    mou = (
        _with_renewal(base)
        .select_related("partner", "partner__area", "area", "renews")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("id")))
        .filter(pk=pk)
        .first()
    )
    if mou is None:
        raise Http404
    return mou


def mou_chain(mou: Mou) -> list[Mou]:
    """The renewal history of an MoU, the first one first, the latest renewal last (a query per
    link: chains are a few MoUs long)."""
    earlier: list[Mou] = []
    current = mou.renews
    while current is not None:
        earlier.append(current)
        current = current.renews
    later: list[Mou] = []
    after = Mou.objects.filter(renews=mou).first()
    while after is not None:
        later.append(after)
        after = Mou.objects.filter(renews=after).first()
    return [*reversed(earlier), mou, *later]


def commitment_get(*, user: Any, pk: int) -> Commitment:
    found = (
        Commitment.objects.select_related("mou")
        .filter(pk=pk, mou__in=scoped(user, Mou.objects.all(), EDIT))
        .first()
    )
    if found is None:
        raise Http404
    return found


# -- Expiry alerts --------------------------------------------------------------------------------


class AlertBand:
    DAYS_60 = "60"
    DAYS_30 = "30"
    EXPIRED = "expired"


@dataclass(frozen=True)
class MouAlertRow:
    mou: Mou
    band: str  # AlertBand
    days_left: int  # negative once expired


def alert_band(valid_until: dt.date, today: dt.date) -> str | None:
    days = (valid_until - today).days
    if days < -EXPIRED_SHOWN_DAYS or days > FIRST_ALERT_DAYS:
        return None
    if days < 0:
        return AlertBand.EXPIRED
    return AlertBand.DAYS_30 if days <= SECOND_ALERT_DAYS else AlertBand.DAYS_60


def mou_alerts(*, user: Any, today: dt.date, partner: Partner | None = None) -> list[MouAlertRow]:
    """Visible MoUs of active partners, not renewed, ending within 60 days or ended in the last
    60 days; the soonest first (one query)."""
    qs = mous_visible(user).filter(
        ~Exists(Mou.objects.filter(renews=OuterRef("pk"))),
        partner__is_active=True,
        valid_until__gte=today - dt.timedelta(days=EXPIRED_SHOWN_DAYS),
        valid_until__lte=today + dt.timedelta(days=FIRST_ALERT_DAYS),
    )
    if partner is not None:
        qs = qs.filter(partner=partner)
    rows = []
    for mou in qs.select_related("partner", "area").order_by("valid_until", "id"):
        band = alert_band(mou.valid_until, today)
        if band is not None:
            rows.append(MouAlertRow(mou=mou, band=band, days_left=(mou.valid_until - today).days))
    return rows
