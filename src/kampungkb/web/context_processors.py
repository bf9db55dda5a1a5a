"""Navigation: what the signed-in user's roles can do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, scope_for
from kampungkb.cadres.apps import NAV_LABEL as CADRES_LABEL
from kampungkb.kampung.apps import NAV_LABEL as KAMPUNG_LABEL
from kampungkb.participation.apps import NAV_LABEL as PARTICIPATION_LABEL
from kampungkb.stunting.apps import NAV_LABEL as STUNTING_LABEL

# (url name, label, capability needed, admin only)
NAV_ITEMS: tuple[tuple[str, Any, Capability | None, bool], ...] = (
    ("web:home", _("Home"), None, False),
    ("families:list", _("Families"), Capability.VIEW_PERSONS, False),
    ("contraception:due", _("FP services"), Capability.VIEW_PERSONS, False),
    ("stunting:at_risk", STUNTING_LABEL, Capability.VIEW_PERSONS, False),
    ("activities:list", _("Activities"), Capability.VIEW_AGGREGATES, False),
    ("cadres:list", CADRES_LABEL, Capability.VIEW_PERSONS, False),
    ("kampung:list", KAMPUNG_LABEL, Capability.VIEW_AGGREGATES, False),
    ("participation:index", PARTICIPATION_LABEL, Capability.VIEW_AGGREGATES, False),
    ("reports:dashboard", _("Dashboard"), Capability.VIEW_AGGREGATES, False),
    ("reports:recap", _("Reports"), Capability.VIEW_AGGREGATES, False),
    ("partners:list", _("Partners"), Capability.VIEW_AGGREGATES, False),
    ("regions:browse", _("Areas"), Capability.VIEW_AGGREGATES, False),
    ("admin:index", _("Administration"), None, True),
)

_URL_NAMES = frozenset(item[0] for item in NAV_ITEMS)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_for(user)
    items = []
    match = request.resolver_match
    current = match.namespace if match else ""
    # Two sections of one app (the dashboard and the reports): the page's own item is current.
    exact = match.view_name if match and match.view_name in _URL_NAMES else None
    for url_name, label, capability, admin_only in NAV_ITEMS:
        if admin_only and not user.is_superuser:
            continue
        if capability is not None and not scope.can(capability):
            continue
        items.append(
            {
                "url": reverse(url_name),
                "label": label,
                "active": url_name == exact if exact else url_name.split(":")[0] == current,
            }
        )
    return {"nav_items": items, "user_scope": scope}
