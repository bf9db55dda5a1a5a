"""What the cadre pages share: the access decorators, running a service onto a form, the area
drill-down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, root_areas, scope_for
from kampungkb.families.forms import add_service_errors
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import area_ancestors, area_children

NAMED = Capability.VIEW_PERSONS
VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
SEARCH_MAX_LENGTH = 100

View = Callable[..., HttpResponse]


named_reader = needs(NAMED, ["GET"])
aggregate_reader = needs(VIEW, ["GET"])
editor = needs(EDIT, ["GET", "POST"])


def save(form: Form, write: Callable[[], Any]) -> Any:
    """Run a service; its ValidationError goes onto the form (None is returned)."""
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def render_form(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    cancel_url: str,
    subject: Any = None,
    **context: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "subject": subject,
        **context,
    }
    return render(request, "cadres/form.html", context)


def area_options(user: Any, current: Area | None, capability: Capability) -> list[tuple[Area, int]]:
    """A drill-down: the chosen area's ancestors within the user's areas, itself and its
    children; with none chosen, the user's top areas (and their children when there is one)."""
    if current is None:
        roots = list(root_areas(user, capability).order_by("code"))
        options = [(a, 0) for a in roots]
        if len(roots) == 1:
            options += [(a, 1) for a in area_children(roots[0]).order_by("code")]
        return options
    scope = scope_for(user)
    path = [a for a in area_ancestors(current) if scope.can(capability, a.code)]
    path.append(current)
    options = [(a, depth) for depth, a in enumerate(path)]
    options += [(a, len(path)) for a in area_children(current).order_by("code")]
    return options
