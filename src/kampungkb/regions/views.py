"""Area pages: browse the hierarchy from the user's root areas, search, add dusun/RW and RT.

Areas are not personal data, so every role may browse the areas of its scope; an area outside
the scope is not found. Adding a local area needs ``Capability.EDIT_AREAS`` in the parent.
(These views use ``accounts.scope``: docs/decisions/0002-layering.md.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kampungkb.accounts.scope import Capability, area_or_404, root_areas, scope_for, scoped
from kampungkb.regions.forms import LocalAreaForm, local_kinds
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_ancestors, area_children, area_search
from kampungkb.regions.services import area_add_local

SEARCH_LIMIT = 50


def _with_child_counts(areas: QuerySet[Area]) -> QuerySet[Area]:
    return areas.annotate(
        child_count=Count("children", filter=Q(children__is_active=True))
    ).order_by("code")


def _is_partial(request: HttpRequest) -> bool:
    """An HTMX request for a fragment (a history restore needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _crumbs(request: HttpRequest, area: Area) -> list[tuple[Area, bool]]:
    """The ancestors of ``area``, each with whether the user may open it (above the user's own
    areas the names are shown, not linked)."""
    scope = scope_for(request.user)
    return [(a, scope.can(Capability.VIEW_AGGREGATES, a.code)) for a in area_ancestors(area)]


@login_required
def browse(request: HttpRequest) -> HttpResponse:
    """The user's root areas, or the areas matching ``q`` (name words or a code prefix)."""
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, object] = {"query": query}
    if query:
        base = scoped(request.user, Area.objects.select_related("parent"))
        context["results"] = list(area_search(query, base=base, limit=SEARCH_LIMIT))
        context["limit"] = SEARCH_LIMIT
    else:
        context["roots"] = list(_with_child_counts(root_areas(request.user)))
    if _is_partial(request):
        return render(request, "regions/_browse_results.html", context)
    return render(request, "regions/browse.html", context)


@login_required
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = area_or_404(request.user, code)
    scope = scope_for(request.user)
    crumbs = _crumbs(request, area)
    children = area_children(area, base=scoped(request.user, Area.objects.all()))
    can_add = bool(local_kinds(area)) and scope.can(Capability.EDIT_AREAS, area.code)
    return render(
        request,
        "regions/area_detail.html",
        {
            "area": area,
            "crumbs": crumbs,
            "children": list(_with_child_counts(children)),
            "can_add": can_add,
            "add_kinds": local_kinds(area) if can_add else (),
            "is_village": area.level == Level.VILLAGE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_add(request: HttpRequest, code: str) -> HttpResponse:
    """Add a dusun/RW or RT under a village, or an RT under a dusun/RW."""
    parent = area_or_404(request.user, code, Capability.EDIT_AREAS)
    if not local_kinds(parent):
        raise Http404
    if request.method == "POST":
        form = LocalAreaForm(request.POST, parent=parent)
        if form.is_valid():
            try:
                area = area_add_local(
                    parent=parent,
                    kind=form.cleaned_data["kind"],
                    number=form.cleaned_data["number"],
                    name=form.cleaned_data["name"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("%(area)s (%(code)s) was added to %(parent)s.")
                    % {"area": area, "code": area.code, "parent": parent},
                )
                return redirect("regions:area", code=parent.code)
    else:
        kind = request.GET.get("kind", "")
        initial = {"kind": kind} if kind in local_kinds(parent) else {}
        form = LocalAreaForm(initial=initial, parent=parent)
    heading = _("Add a dusun, RW or RT") if parent.level == Level.VILLAGE else _("Add an RT")
    return render(
        request,
        "regions/area_add.html",
        {
            "parent": parent,
            "form": form,
            "heading": heading,
            "crumbs": [*_crumbs(request, parent), (parent, True)],
        },
    )
