"""THE scope function: what a user may see and change.

Every page, API endpoint and export turns (user, queryset) into the scoped queryset with
``scoped``. A record outside the scope is not found, never forbidden. Aggregate-only roles
(partner, viewer) never see a model that holds personal data.

Models declare where their area code is (``SCOPE_AREA_FIELD``) and whether they hold personal
data (``HOLDS_PERSONAL_DATA``). A model of public service points may widen what users *read* to
the enclosing area at a level (``SCOPE_READS_WIDEN_TO_LEVEL = 2``: the whole kabupaten/kota), so
that a village cadre sees the puskesmas and the district hospital she refers people to; writes
keep the user's own areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from kampungkb.accounts.models import Role
from kampungkb.regions.models import Area
from kampungkb.regions.selectors import outermost_codes, subtree_q

M = TypeVar("M", bound=Model)


class Capability(StrEnum):
    VIEW_AGGREGATES = "view_aggregates"
    VIEW_PERSONS = "view_persons"
    EDIT_REGISTER = "edit_register"
    EDIT_AREAS = "edit_areas"
    EDIT_TARGETS = "edit_targets"
    # Activities, attendance, poktan and Kampung KB profiles.
    EDIT_PROGRAMME = "edit_programme"
    # Partner organisations, their MoUs and commitments.
    EDIT_PARTNERS = "edit_partners"
    # Verify cadres' home visits and propose their monthly incentives (the maker, decision 0028).
    SUPERVISE_CADRES = "supervise_cadres"
    # Approve or return incentive proposals and record their payment (the checker).
    APPROVE_INCENTIVES = "approve_incentives"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.DISTRICT_OFFICER: frozenset(Capability),
    Role.PKB_OFFICER: frozenset(Capability) - {Capability.APPROVE_INCENTIVES},
    Role.CADRE: frozenset(
        {
            Capability.VIEW_AGGREGATES,
            Capability.VIEW_PERSONS,
            Capability.EDIT_REGISTER,
            Capability.EDIT_PROGRAMME,
        }
    ),
    Role.PARTNER: frozenset({Capability.VIEW_AGGREGATES}),
    Role.VIEWER: frozenset({Capability.VIEW_AGGREGATES}),
}

NATIONAL = "*"
READ_CAPABILITIES = frozenset({Capability.VIEW_AGGREGATES, Capability.VIEW_PERSONS})


@dataclass(frozen=True)
class Scope:
    """For each capability, the area codes whose subtrees the user holds it in (``*`` = nation)."""

    roots: dict[Capability, frozenset[str]]
    roles: frozenset[str]

    def areas(self, capability: Capability) -> frozenset[str]:
        return self.roots.get(capability, frozenset())

    def can(self, capability: Capability, code: str | None = None) -> bool:
        roots = self.areas(capability)
        if NATIONAL in roots:
            return True
        if code is None:
            return bool(roots)
        return any(code == r or code.startswith(r + ".") for r in roots)

    def is_national(self, capability: Capability) -> bool:
        return NATIONAL in self.areas(capability)


_EMPTY = Scope(roots={}, roles=frozenset())
_NATION = Scope(roots={c: frozenset({NATIONAL}) for c in Capability}, roles=frozenset())


class SystemReader:
    """The system itself reading for a management command (a report written from cron): the
    whole nation, as ``ensure_can`` treats ``actor=None`` for writes."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemReader()


def scope_for(user: Any) -> Scope:
    """The user's scope, read once per request (cached on the user object)."""
    if user is SYSTEM:
        return _NATION
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_kampungkb_scope", None)
    if cached is not None:
        return cached
    roots: dict[Capability, set[str]] = {}
    roles: set[str] = set()
    if user.is_superuser:
        roles.add(Role.ADMIN)
        for capability in Capability:
            roots.setdefault(capability, set()).add(NATIONAL)
    for role, area_id in user.assignments.values_list("role", "area_id"):
        roles.add(role)
        for capability in ROLE_CAPABILITIES[role]:
            roots.setdefault(capability, set()).add(area_id or NATIONAL)
    scope = Scope(roots={c: frozenset(a) for c, a in roots.items()}, roles=frozenset(roles))
    user._kampungkb_scope = scope
    return scope


def _default_capability(model: type[Model]) -> Capability:
    personal = getattr(model, "HOLDS_PERSONAL_DATA", False)
    return Capability.VIEW_PERSONS if personal else Capability.VIEW_AGGREGATES


def scoped(user: Any, queryset: QuerySet[M], capability: Capability | None = None) -> QuerySet[M]:
    """The part of ``queryset`` that ``user`` may see (or, with a write capability, change)."""
    model = queryset.model
    field = model.SCOPE_AREA_FIELD  # type: ignore[attr-defined]
    capability = capability or _default_capability(model)
    roots = scope_for(user).areas(capability)
    if NATIONAL in roots:
        return queryset
    if not roots:
        return queryset.none()
    widen_to = getattr(model, "SCOPE_READS_WIDEN_TO_LEVEL", None)
    if widen_to is not None and capability in READ_CAPABILITIES:
        roots = frozenset(".".join(code.split(".")[:widen_to]) for code in roots)
    return queryset.filter(subtree_q(field, roots))


def get_scoped_or_404(
    user: Any, queryset: QuerySet[M], capability: Capability | None = None, **lookup: Any
) -> M:
    try:
        return scoped(user, queryset, capability).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def area_or_404(user: Any, code: str, capability: Capability = Capability.VIEW_AGGREGATES) -> Area:
    """An area the user holds ``capability`` in, or not found."""
    return get_scoped_or_404(user, Area.objects.select_related("parent"), capability, code=code)


def root_areas(user: Any, capability: Capability = Capability.VIEW_AGGREGATES) -> QuerySet[Area]:
    """The top areas of the user's scope (the provinces for a national user)."""
    roots = scope_for(user).areas(capability)
    if NATIONAL in roots:
        return Area.objects.filter(parent__isnull=True)
    # A cadre's RT inside the same user's kabupaten is not a top area of its own.
    return Area.objects.filter(code__in=outermost_codes(roots))


def area_or_first_root(
    user: Any, code: str | None, capability: Capability = Capability.VIEW_AGGREGATES
) -> Area:
    """The area ``code`` if the user holds ``capability`` in it, or, with no code, the first of
    the user's top areas (what a page opens on); else not found."""
    if not code:
        first = root_areas(user, capability).order_by("code").first()
        if first is None:
            raise Http404
        code = first.code
    return area_or_404(user, code, capability)


def ensure_can(actor: Any, capability: Capability, code: str) -> None:
    """Refuse (as not found) an actor who lacks ``capability`` in the area ``code``.

    ``actor=None`` is the system itself (management commands, the demo seed).
    """
    if actor is None:
        return
    if not scope_for(actor).can(capability, code):
        raise Http404
