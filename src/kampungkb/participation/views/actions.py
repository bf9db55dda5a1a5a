"""The suggested actions in force in an area: every barrier and dimension with the action the
participation page proposes for it, its regency/city's own or the default. Every role that sees
the area reads it; the district office (who may edit programme data in the regency/city) changes
an action or sets it back to the default on the regency's page. Another area is not found."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_404, root_areas, scope_for
from kampungkb.activities.models import ActivityKind, TargetGroup
from kampungkb.participation import actions as service
from kampungkb.regions.models import Area, Level

AGGREGATES = Capability.VIEW_AGGREGATES


def _area(request: HttpRequest) -> Area:
    """The area asked for, or the user's first; its actions are those of its regency/city."""
    code = request.GET.get("area") or request.POST.get("area")
    if not code:
        first = root_areas(request.user, AGGREGATES).order_by("code").first()
        code = first.code if first is not None else ""
    return area_or_404(request.user, code, AGGREGATES)


@needs(AGGREGATES, ["GET", "POST"])
def suggested_actions(request: HttpRequest) -> HttpResponse:
    area = _area(request)
    can_edit = area.level == Level.REGENCY and scope_for(request.user).can(
        Capability.EDIT_PROGRAMME, area.code
    )
    if request.method == "POST":
        url = f"{reverse('participation:actions')}?area={area.code}"
        key = request.POST.get("key", "")
        try:
            if request.POST.get("reset"):
                service.action_reset(actor=request.user, area=area, key=key)
                messages.success(request, _("The default action is back."))
            else:
                service.action_set(
                    actor=request.user,
                    area=area,
                    key=key,
                    text=request.POST.get("text", ""),
                    kind=request.POST.get("kind", ""),
                    target_group=request.POST.get("target_group", ""),
                )
                messages.success(request, _("The suggested action is saved."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(f"{url}#action-{key.replace(':', '-')}")
    return render(
        request,
        "participation/actions.html",
        {
            "area": area,
            "rows": service.action_rows(area),
            "can_edit": can_edit,
            "kinds": ActivityKind.choices,
            "groups": TargetGroup.choices,
        },
    )
