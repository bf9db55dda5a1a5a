"""The activities pages: the list (with totals and exports), the activity form and detail
(attendance tick list, counts, contributions, partners, photos), poktan with members and sessions.

Thin views: parse the request, call one selector or service, render. Reading needs aggregates in
the area (partners and viewers see activities without names); writing needs
``Capability.EDIT_PROGRAMME`` there. Anything outside the user's areas is not found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_404, root_areas, scope_for, scoped
from kampungkb.activities import exports, forms, selectors, services
from kampungkb.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    AgeGroup,
    Poktan,
    PoktanKind,
    TargetGroup,
)
from kampungkb.core.errors import query_month
from kampungkb.core.periods import month_end
from kampungkb.families.forms import add_service_errors
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import area_ancestors, area_children

VIEW = Capability.VIEW_AGGREGATES
EDIT = Capability.EDIT_PROGRAMME
SEARCH_MAX_LENGTH = 100
AREA_CHOICES_LIMIT = 300
TICK_PAGE_SIZE = 20
PLANNED_SHOWN = 10

View = Callable[..., HttpResponse]


reader = needs(VIEW, ["GET"])
name_reader = needs(Capability.VIEW_PERSONS, ["GET"])
EXPORT_FORMATS = ("csv", "xlsx")
editor = needs(EDIT, ["GET", "POST"])
poster = needs(EDIT, ["POST"])


def _save(form: Form, write: Callable[[], Any]) -> Any:
    """Run a service; its ValidationError goes onto the form (None is returned)."""
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _render_form(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    cancel_url: str,
    subject: Any = None,
    multipart: bool = False,
    **context: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "subject": subject,
        "multipart": multipart,
        **context,
    }
    return render(request, "activities/form.html", context)


def _area_choices(user: Any, *, min_level: int) -> tuple[list[Area] | None, QuerySet[Area]]:
    """Areas where the user may record (sub-district or village down to RT); None when too many
    for one select: the code is typed."""
    qs = scoped(user, Area.objects.filter(level__gte=min_level, is_active=True), EDIT).order_by(
        "code"
    )
    areas = list(qs.select_related("parent__parent")[: AREA_CHOICES_LIMIT + 1])
    return (None if len(areas) > AREA_CHOICES_LIMIT else areas), qs


def _to_activity(activity: Activity, anchor: str = "") -> HttpResponse:
    return redirect(reverse("activities:detail", args=[activity.pk]) + anchor)


# -- The list -------------------------------------------------------------------------------------


def _month(request: HttpRequest) -> dt.date | None:
    return query_month(request.GET.get("month"))


def _area_options(user: Any, current: Area | None) -> list[tuple[Area, int]]:
    """A drill-down: the chosen area's ancestors within the user's areas, itself and its
    children; with none chosen, the user's top areas (and their children when there is one)."""
    if current is None:
        roots = list(root_areas(user, VIEW).order_by("code"))
        options = [(a, 0) for a in roots]
        if len(roots) == 1:
            options += [(a, 1) for a in area_children(roots[0])]
        return options
    scope = scope_for(user)
    path = [a for a in area_ancestors(current) if scope.can(VIEW, a.code)]
    path.append(current)
    options = [(a, depth) for depth, a in enumerate(path)]
    options += [(a, len(path)) for a in area_children(current)]
    return options


@reader
@vary_on_headers("HX-Request")
def activity_list(request: HtmxHttpRequest) -> HttpResponse:
    code = request.GET.get("area") or None
    area = area_or_404(request.user, code, VIEW) if code else None
    month = _month(request)
    kind = request.GET.get("kind") or None
    if kind not in ActivityKind.values:
        kind = None
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    status = request.GET.get("status") or ActivityStatus.HELD
    if status not in ActivityStatus.values:
        status = ActivityStatus.HELD
    activities = selectors.activity_list(
        user=request.user,
        area_code=area.code if area else None,
        date_from=month,
        date_to=month_end(month) if month else None,
        kind=kind,
        query=query,
        status=status,
    ).prefetch_related("partners")
    if status == ActivityStatus.PLANNED:
        activities = activities.order_by("held_on", "pk")
    planned: list[Activity] = []
    if status == ActivityStatus.HELD:
        # The plans come first on the list of what was held: the soonest and the overdue.
        planned = list(
            selectors.planned_list(
                user=request.user, area_code=area.code if area else None, kind=kind, query=query
            )[: PLANNED_SHOWN + 1]
        )
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        filename = f"kampungkb-kegiatan-{timezone.localdate().isoformat()}"
        return exports.activity_export(file_format, filename, activities)
    context = {
        "page": Paginator(activities, settings.KAMPUNGKB_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "totals": selectors.attendance_totals(activities),
        "reached": selectors.people_reached(activities),
        "area": area,
        "area_options": _area_options(request.user, area),
        "month": month,
        "kind": kind,
        "kinds": ActivityKind.choices,
        "query": query,
        "status": status,
        "statuses": ActivityStatus.choices,
        "planned": planned[:PLANNED_SHOWN],
        "more_planned": len(planned) > PLANNED_SHOWN,
        "can_edit": scope_for(request.user).can(EDIT),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "activities/_activity_rows.html", context)
    return render(request, "activities/activity_list.html", context)


# -- One activity ---------------------------------------------------------------------------------


def _tick_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    persons = selectors.tick_list(user=request.user, activity=activity, query=query)
    return {
        "tick_page": Paginator(persons, TICK_PAGE_SIZE).get_page(request.GET.get("page")),
        "tick_query": query,
    }


def _grid_rows(grid: dict[tuple[str, str], int], editable: bool) -> list[dict[str, Any]]:
    """One row per age group: the counts of men and women, and their inputs when editable."""
    form = None
    if editable:
        form = forms.CountsForm(
            initial={forms.count_field_name(s, a): n or None for (s, a), n in grid.items()}
        )
    rows = []
    for age, label in AgeGroup.choices:
        row: dict[str, Any] = {"label": label, "male": grid[("M", age)], "female": grid[("F", age)]}
        if form is not None:
            row["male_field"] = form[forms.count_field_name("M", age)]
            row["female_field"] = form[forms.count_field_name("F", age)]
        rows.append(row)
    return rows


@reader
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    names = selectors.sees_names(request.user, activity)
    can_edit = scope_for(request.user).can(EDIT, activity.area_id)
    if not activity.is_held:
        # A plan (or a cancelled one) has nobody attending yet: only what it is and who plans it.
        return render(
            request,
            "activities/activity_detail.html",
            {
                "activity": activity,
                "area_path": [*area_ancestors(activity.area), activity.area],
                "target_group_choices": TargetGroup.choices,
                "partner_links": selectors.activity_partner_links(activity),
                "can_edit": can_edit,
            },
        )
    context: dict[str, Any] = {
        "activity": activity,
        "area_path": [*area_ancestors(activity.area), activity.area],
        "sees_names": names,
        "grid": selectors.attendance_grid(activity),
        "target_group_choices": TargetGroup.choices,
        "contributions": selectors.activity_contributions(activity),
        "partner_links": selectors.activity_partner_links(activity),
        "can_edit": can_edit,
    }
    if names:
        context["attendees"] = selectors.activity_attendees(activity, user=request.user)
        context["photos"] = selectors.activity_photos(activity)
    if can_edit:
        context.update(_tick_context(request, activity))
        context["photo_form"] = forms.PhotoForm()
    context["grid_rows"] = _grid_rows(context["grid"], can_edit)
    return render(request, "activities/activity_detail.html", context)


def _export_format(request: HttpRequest) -> str:
    file_format = request.GET.get("format", "")
    if file_format not in EXPORT_FORMATS:
        raise Http404
    return file_format


@name_reader
def attendee_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The named attendees and the counted attendance as CSV or Excel, for users who see named
    persons in the activity's area (audited)."""
    file_format = _export_format(request)
    activity = selectors.activity_get(user=request.user, pk=pk)
    if not selectors.sees_names(request.user, activity):
        raise Http404
    return exports.attendee_export(
        file_format=file_format,
        activity=activity,
        attendees=selectors.activity_attendees(activity, user=request.user),
        actor=request.user,
    )


def _activity_form(
    request: HttpRequest, activity: Activity | None, initial: dict[str, Any]
) -> HttpResponse:
    areas, area_queryset = _area_choices(request.user, min_level=Level.DISTRICT)
    partners = selectors.partner_choices(user=request.user)
    if activity is not None:
        # A partner named earlier stays offered even if it no longer works in these areas.
        partners = partners | activity.partners.all()
    form = forms.ActivityForm(
        request.POST or None,
        areas=areas,
        area_queryset=area_queryset,
        poktan=selectors.poktan_choices(user=request.user),
        partners=partners.distinct(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        if activity is None:
            saved = _save(
                form,
                lambda: services.activity_create(
                    data=form.activity_data(),
                    partners=form.chosen_partners(),
                    actor=request.user,
                ),
            )
        else:
            saved = _save(
                form,
                lambda: services.activity_update(
                    activity=activity,
                    data=form.activity_data(),
                    partners=form.chosen_partners(),
                    actor=request.user,
                ),
            )
        if saved is not None:
            messages.success(request, _("The activity %(title)s was saved.") % {"title": saved})
            return _to_activity(saved)
    if activity is None:
        title, cancel = _("Record an activity"), reverse("activities:list")
    else:
        title, cancel = _("Edit the activity"), reverse("activities:detail", args=[activity.pk])
    return _render_form(request, form, title=title, cancel_url=cancel, subject=activity)


@editor
def activity_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    poktan_id = request.GET.get("poktan")
    if poktan_id and poktan_id.isdigit():
        poktan = selectors.poktan_get(user=request.user, pk=int(poktan_id), capability=EDIT)
        data = services.poktan_session_data(poktan, held_on=timezone.localdate())
        initial.update(
            kind=data.kind,
            poktan=poktan.pk,
            title=data.title,
            family_function=data.family_function,
            organiser=data.organiser,
            area=poktan.area_id,
        )
    elif request.GET.get("kind") in ActivityKind.values:
        initial["kind"] = request.GET["kind"]
    return _activity_form(request, None, initial)


def _next_url(request: HttpRequest) -> str | None:
    """Where to go after planning (the page the plan was made from), if it is ours."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _plan_initial(request: HttpRequest) -> dict[str, Any]:
    """The plan form filled from the query string of a link from another page:
    ``?kind=&target_group=&title=&plan_reason=&area=``."""
    today = timezone.localdate()
    get = request.GET
    initial: dict[str, Any] = {
        "held_on": today + dt.timedelta(days=services.PLAN_DAYS_AHEAD),
        "organiser": str(request.user),
        "title": get.get("title", "")[:200],
        "plan_reason": get.get("plan_reason", "")[:64],
        "next": get.get("next", "")[:500],
    }
    kind = get.get("kind")
    if kind in ActivityKind.values:
        initial["kind"] = kind
        initial["family_function"] = services.default_family_function(kind)
    group = get.get("target_group")
    if group in TargetGroup.values:
        initial["target_groups"] = [group]
    code = get.get("area", "")
    if code and scope_for(request.user).can(EDIT, code):
        initial["area"] = code
    return initial


@editor
def activity_plan(request: HttpRequest) -> HttpResponse:
    """Plan an activity: a form (filled from the query string of a link), or one click from
    another page (a POST with the kind, title, area, target groups and reason; the rest takes
    defaults). Either way the new plan is shown, or the page it came from (``next``)."""
    areas, area_queryset = _area_choices(request.user, min_level=Level.DISTRICT)
    form = forms.ActivityForm(
        request.POST or None,
        areas=areas,
        area_queryset=area_queryset,
        poktan=selectors.poktan_choices(user=request.user),
        partners=selectors.partner_choices(user=request.user),
        planning=True,
        initial=_plan_initial(request),
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.plan_kwargs(today=timezone.localdate(), organiser=str(request.user))
        saved = _save(form, lambda: services.activity_plan(user=request.user, **kwargs))
        if saved is not None:
            messages.success(
                request,
                _("The activity %(title)s is planned for %(date)s.")
                % {"title": saved, "date": saved.held_on.strftime("%d-%m-%Y")},
            )
            return redirect(_next_url(request) or reverse("activities:detail", args=[saved.pk]))
    return _render_form(
        request,
        form,
        title=_("Plan an activity"),
        cancel_url=_next_url(request) or reverse("activities:list"),
        intro=_("The cadres hold it later and record who came; it counts once it is held."),
        submit_label=_("Plan"),
    )


@editor
def activity_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a planned activity as held, correcting what changed (the date: when it was held)."""
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    if not activity.is_planned:
        return _to_activity(activity)
    areas, area_queryset = _area_choices(request.user, min_level=Level.DISTRICT)
    partners = (selectors.partner_choices(user=request.user) | activity.partners.all()).distinct()
    form = forms.ActivityForm(
        request.POST or None,
        areas=areas,
        area_queryset=area_queryset,
        poktan=selectors.poktan_choices(user=request.user),
        partners=partners,
        initial={
            **_activity_initial(activity),
            "held_on": min(activity.held_on, timezone.localdate()),
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.activity_hold(
                user=request.user,
                activity=activity,
                held_on=form.cleaned_data["held_on"],
                data=form.activity_data(),
                partners=form.chosen_partners(),
            ),
        )
        if saved is not None:
            messages.success(
                request, _("The activity %(title)s is marked as held.") % {"title": saved}
            )
            return _to_activity(saved, "#attendance")
    return _render_form(
        request,
        form,
        title=_("Mark as held"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
        intro=_("The date it was held (today or earlier), and what changed from the plan."),
        submit_label=_("Mark as held"),
    )


@editor
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    if not activity.is_planned:
        return _to_activity(activity)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.activity_cancel(
                user=request.user, activity=activity, reason=form.cleaned_data["reason"]
            ),
        )
        if saved is not None:
            messages.success(request, _("The plan %(title)s was cancelled.") % {"title": saved})
            return _to_activity(saved)
    return _render_form(
        request,
        form,
        title=_("Cancel the plan"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
        intro=_("The plan is kept with the reason; it never counts as held."),
        submit_label=_("Cancel the plan"),
    )


def _activity_initial(activity: Activity) -> dict[str, Any]:
    return {
        "kind": activity.kind,
        "title": activity.title,
        "held_on": activity.held_on,
        "area": activity.area_id,
        "place": activity.place,
        "family_function": activity.family_function,
        "target_groups": activity.target_groups,
        "organiser": activity.organiser,
        "poktan": activity.poktan_id,
        "partners": [p.pk for p in activity.partners.all()],
        "funding_source": activity.funding_source,
        "funding_amount": activity.funding_amount,
        "notes": activity.notes,
    }


@editor
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    return _activity_form(request, activity, _activity_initial(activity))


@editor
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    # Bound on POST even though a confirmation sends no field.
    form = Form(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.activity_delete(activity=activity, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was deleted."))
            return redirect("activities:list")
    return _render_form(
        request,
        form,
        title=_("Delete the activity"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
        intro=_("Its attendance, contributions, partners and photos are deleted with it."),
        submit_label=_("Delete"),
    )


# -- Attendance -----------------------------------------------------------------------------------


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@editor
@vary_on_headers("HX-Request")
def attendance(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The tick list: GET searches (a fragment for htmx), POST saves the ticks of the page shown:
    the ticked persons are present, the others shown are not."""
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    if request.method == "POST":
        present = _ids(request.POST.getlist("present"))
        shown = _ids(request.POST.getlist("shown"))
        try:
            change = services.attendance_set(
                activity=activity,
                add=present,
                remove=[i for i in shown if i not in present],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Attendance saved: %(added)s added, %(removed)s removed.")
                % {"added": len(change.added), "removed": len(change.removed)},
            )
        return _to_activity(activity, "#attendance")
    context = {"activity": activity, **_tick_context(request, activity)}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "activities/_tick_list.html", context)
    return render(request, "activities/attendance.html", context)


@editor
def attendance_counts(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    grid = selectors.attendance_grid(activity)
    form = forms.CountsForm(
        request.POST or None,
        initial={forms.count_field_name(s, a): n or None for (s, a), n in grid.items()},
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.attendance_counts_set(
                activity=activity, counts=form.counts(), actor=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("The attendance counts were saved."))
            return _to_activity(activity, "#counts")
    return _render_form(
        request,
        form,
        title=_("Attendees counted by sex and age group"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
    )


# -- Contributions, partners, photos --------------------------------------------------------------


@editor
def contribution_new(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.ContributionForm(
        request.POST or None,
        attendees=selectors.activity_attendees(activity, user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _save(
            form,
            lambda: services.contribution_add(
                activity=activity,
                kind=data["kind"],
                person=data["person"],
                contributor=data["contributor"],
                description=data["description"],
                value=data["value"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The contribution was recorded."))
            return _to_activity(activity, "#contributions")
    return _render_form(
        request,
        form,
        title=_("Record a contribution"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
        intro=_("What an attendee brought: time, labour, money, goods or ideas."),
    )


@poster
def contribution_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = selectors.contribution_get(user=request.user, pk=pk)
    services.contribution_remove(contribution=contribution, actor=request.user)
    messages.success(request, _("The contribution was removed."))
    return _to_activity(contribution.activity, "#contributions")


@editor
def partner_set(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    partners = (selectors.partner_choices(user=request.user) | activity.partners.all()).distinct()
    initial: dict[str, Any] = {}
    partner_id = request.GET.get("partner")
    link = None
    if partner_id and partner_id.isdigit():
        link = selectors.activity_partner_links(activity).filter(partner_id=int(partner_id)).first()
    if link is not None:
        initial = {"partner": link.partner_id, "role": link.role}
        for i, item in enumerate(link.contributions.all()[: forms.PARTNER_CONTRIBUTION_ROWS], 1):
            initial |= {
                f"kind_{i}": item.kind,
                f"value_{i}": item.value,
                f"description_{i}": item.description,
            }
    form = forms.PartnerForm(request.POST or None, partners=partners, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.activity_partner_set(
                activity=activity,
                partner=form.cleaned_data["partner"],
                role=form.cleaned_data["role"],
                contributions=form.contributions(),
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(
                request, _("The partner %(name)s was saved.") % {"name": saved.partner}
            )
            return _to_activity(activity, "#partners")
    return _render_form(
        request,
        form,
        title=_("Partner in the activity"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
        intro=_(
            "What the partner brought, valued in Rupiah: money, goods, trainers' time or facilities."
        ),
    )


@poster
def partner_remove(request: HttpRequest, pk: int, partner_id: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    link = activity.partner_links.select_related("partner").filter(partner_id=partner_id).first()
    if link is None:
        raise Http404
    services.activity_partner_remove(activity=activity, partner=link.partner, actor=request.user)
    messages.success(request, _("The partner was removed from the activity."))
    return _to_activity(activity, "#partners")


@editor
def photo_new(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.photo_add(
                activity=activity,
                image=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("The photo was added."))
            return _to_activity(activity, "#photos")
    return _render_form(
        request,
        form,
        title=_("Add a photo"),
        cancel_url=reverse("activities:detail", args=[activity.pk]),
        subject=activity,
        multipart=True,
    )


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    """The photo's file, for users who see named persons in the activity's area only."""
    photo = selectors.photo_get(user=request.user, pk=pk)
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@poster
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.photo_get(user=request.user, pk=pk, capability=EDIT)
    activity = photo.activity
    services.photo_remove(photo=photo, actor=request.user)
    messages.success(request, _("The photo was removed."))
    return _to_activity(activity, "#photos")


# -- Poktan ---------------------------------------------------------------------------------------


@reader
def poktan_list(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("area") or None
    area = area_or_404(request.user, code, VIEW) if code else None
    kind = request.GET.get("kind") or None
    if kind not in PoktanKind.values:
        kind = None
    groups = selectors.poktan_list(
        user=request.user,
        area_code=area.code if area else None,
        kind=kind,
        include_inactive=request.GET.get("inactive") == "1",
    )
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        filename = f"kampungkb-poktan-{timezone.localdate().isoformat()}"
        return exports.poktan_export(file_format, filename, groups)
    context = {
        "page": Paginator(groups, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page")),
        "area": area,
        "area_options": _area_options(request.user, area),
        "kind": kind,
        "kinds": PoktanKind.choices,
        "can_edit": scope_for(request.user).can(EDIT),
    }
    return render(request, "activities/poktan_list.html", context)


def _sees_members(user: Any, poktan: Poktan) -> bool:
    """Whether the user may see the poktan's members by name."""
    return selectors.partner_of(user) is None and scope_for(user).can(
        Capability.VIEW_PERSONS, poktan.area_id
    )


@reader
def poktan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poktan = selectors.poktan_get(user=request.user, pk=pk)
    scope = scope_for(request.user)
    names = _sees_members(request.user, poktan)
    sessions = selectors.poktan_sessions(poktan, user=request.user)
    today = timezone.localdate()
    context = {
        "poktan": poktan,
        "sees_names": names,
        "members": selectors.poktan_members(poktan, user=request.user) if names else None,
        "member_count": poktan.members.filter(left_on__isnull=True).count(),
        "sessions": sessions[:24],
        "this_month_held": sessions.filter(held_on__gte=today.replace(day=1)).exists(),
        "can_edit": poktan.is_active and scope.can(EDIT, poktan.area_id),
    }
    return render(request, "activities/poktan_detail.html", context)


@name_reader
def member_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The poktan's members (current and former) as CSV or Excel, for users who see named persons
    in the poktan's area (audited)."""
    file_format = _export_format(request)
    poktan = selectors.poktan_get(user=request.user, pk=pk)
    if not _sees_members(request.user, poktan):
        raise Http404
    return exports.member_export(
        file_format=file_format,
        poktan=poktan,
        members=selectors.poktan_members(poktan, user=request.user),
        actor=request.user,
        today=timezone.localdate(),
    )


@editor
def poktan_new(request: HttpRequest) -> HttpResponse:
    areas, area_queryset = _area_choices(request.user, min_level=Level.VILLAGE)
    form = forms.PoktanForm(request.POST or None, areas=areas, area_queryset=area_queryset)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda: services.poktan_create(actor=request.user, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("The poktan %(name)s was registered.") % {"name": saved})
            return redirect("activities:poktan_detail", pk=saved.pk)
    return _render_form(
        request, form, title=_("Register a poktan"), cancel_url=reverse("activities:poktan_list")
    )


@editor
def poktan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    poktan = selectors.poktan_get(user=request.user, pk=pk, capability=EDIT)
    initial = {"kind": poktan.kind, "name": poktan.name, "established_on": poktan.established_on}
    form = forms.PoktanForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.poktan_update(poktan=poktan, actor=request.user, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("The poktan %(name)s was saved.") % {"name": saved})
            return redirect("activities:poktan_detail", pk=poktan.pk)
    return _render_form(
        request,
        form,
        title=_("Edit the poktan"),
        cancel_url=reverse("activities:poktan_detail", args=[poktan.pk]),
        subject=poktan,
    )


@poster
def poktan_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    poktan = selectors.poktan_get(user=request.user, pk=pk, capability=EDIT)
    services.poktan_deactivate(poktan=poktan, actor=request.user)
    messages.success(request, _("The poktan %(name)s is no longer active.") % {"name": poktan})
    return redirect("activities:poktan_detail", pk=poktan.pk)


@editor
@vary_on_headers("HX-Request")
def member_new(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    poktan = selectors.poktan_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.MemberForm(request.POST or None, initial={"joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        candidates = selectors.member_candidates(user=request.user, poktan=poktan, query="")
        person = candidates.filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            raise Http404
        saved = _save(
            form,
            lambda: services.poktan_member_add(
                poktan=poktan,
                person=person,
                joined_on=form.cleaned_data["joined_on"],
                actor=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, _("%(name)s joined the poktan.") % {"name": person.full_name})
            return redirect("activities:poktan_detail", pk=poktan.pk)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    found = (
        selectors.member_candidates(user=request.user, poktan=poktan, query=query)[:TICK_PAGE_SIZE]
        if query
        else []
    )
    context = {"poktan": poktan, "form": form, "query": query, "found": found}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "activities/_member_results.html", context)
    return render(request, "activities/member_new.html", context)


@editor
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.poktan_member_get(user=request.user, pk=pk)
    form = forms.MemberEndForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: services.poktan_member_end(
                member=member, left_on=form.cleaned_data["left_on"], actor=request.user
            ),
        )
        if saved is not None:
            messages.success(
                request, _("%(name)s left the poktan.") % {"name": member.person.full_name}
            )
            return redirect("activities:poktan_detail", pk=member.poktan_id)
    return _render_form(
        request,
        form,
        title=_("End a membership"),
        cancel_url=reverse("activities:poktan_detail", args=[member.poktan_id]),
        subject=f"{member.person.full_name} · {member.poktan.name}",
    )
