"""The home page: what the signed-in user's roles can do, in which areas, with real counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kampungkb.accounts.models import Role
from kampungkb.accounts.scope import ROLE_CAPABILITIES, Capability, scope_for, scoped
from kampungkb.core.errors import BadQuery
from kampungkb.families.models import Family, Person
from kampungkb.regions.forms import local_kinds
from kampungkb.regions.models import Area, Level


@dataclass
class RoleAreas:
    """One role of the user and the areas it is held in (none: the whole nation)."""

    role: str
    label: str
    areas: list[Area] = field(default_factory=list)

    @property
    def national(self) -> bool:
        return not self.areas


def _roles(user: Any) -> list[RoleAreas]:
    by_role: dict[str, RoleAreas] = {}
    for assignment in user.assignments.select_related("area").order_by("role", "area_id"):
        entry = by_role.setdefault(
            assignment.role, RoleAreas(assignment.role, str(Role(assignment.role).label))
        )
        if assignment.area is not None:
            entry.areas.append(assignment.area)
    if user.is_superuser and Role.ADMIN not in by_role:
        by_role[Role.ADMIN] = RoleAreas(Role.ADMIN, str(Role.ADMIN.label))
    order = list(Role)
    return sorted(by_role.values(), key=lambda r: order.index(Role(r.role)))


def _village_count(user: Any) -> int:
    """Villages the user works in: those inside the user's areas, and for a user assigned to a
    dusun/RW or RT, the village around it."""
    scope = scope_for(user)
    inside = scoped(user, Area.objects.filter(level=Level.VILLAGE, is_active=True)).count()
    around = {
        ".".join(code.split(".")[:4])
        for code in scope.areas(Capability.VIEW_AGGREGATES)
        if code.count(".") > 3
    }
    return inside + sum(1 for code in around if not scope.can(Capability.VIEW_AGGREGATES, code))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    roles = _roles(user)
    sees_persons = scope.can(Capability.VIEW_PERSONS)
    counts: dict[str, int] = {"villages": _village_count(user)}
    if sees_persons:
        counts["families"] = scoped(user, Family.objects.filter(is_active=True)).count()
        counts["persons"] = scoped(
            user, Person.objects.filter(is_active=True, family__is_active=True)
        ).count()
    # Officers add dusun/RW and RT: straight from the villages (or dusun/RW) they are assigned
    # to; an officer of a kecamatan or larger first finds the village under Areas.
    add_local_in = [
        area
        for entry in roles
        if Capability.EDIT_AREAS in ROLE_CAPABILITIES[entry.role]
        for area in entry.areas
        if local_kinds(area)
    ]
    return render(
        request,
        "web/home.html",
        {
            "roles": roles,
            "counts": counts,
            "sees_persons": sees_persons,
            "aggregate_only": not sees_persons and scope.can(Capability.VIEW_AGGREGATES),
            "edits_areas": scope.can(Capability.EDIT_AREAS),
            "add_local_in": add_local_in,
        },
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (``handler400``): a ``BadQuery`` says what was wrong in both languages."""
    texts = exception.texts() if isinstance(exception, BadQuery) else None
    return render(request, "400.html", {"texts": texts}, status=400)
