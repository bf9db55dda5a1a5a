"""The cadre incentive ledger pages (decision 0028): the villages of an area with their proposal of
a month, one proposal (lines, drift warning, the maker-checker actions, payments, downloads, the
trail), one cadre's line traced to its records, the home visits to verify, and the district's
rules.

Proposals name cadres: reading needs ``Capability.VIEW_PERSONS`` in the village. Verifying,
computing, proposing and reopening need ``Capability.SUPERVISE_CADRES`` (the maker); approving,
returning, recording payments and setting rules ``Capability.APPROVE_INCENTIVES`` (the checker).
The services check both again; anything outside the user's areas is not found. A refused write
shows the service's bilingual message on the page and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import (
    Capability,
    area_or_404,
    area_or_first_root,
    scope_for,
    scoped,
)
from kampungkb.cadres import incentives_exports as exports
from kampungkb.cadres import incentives_forms as forms
from kampungkb.cadres import incentives_selectors as selectors
from kampungkb.cadres import incentives_services as services
from kampungkb.cadres.models import BatchStatus, IncentiveBatch, IncentiveLine, ItemKind
from kampungkb.cadres.views.common import NAMED, VIEW, area_options, save
from kampungkb.contraception.services import followups_verify
from kampungkb.core.errors import BadQuery, QueryProblem, query_month
from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.families.views import HtmxHttpRequest
from kampungkb.regions.models import Area, Level
from kampungkb.regions.selectors import subtree_q

SUPERVISE = Capability.SUPERVISE_CADRES
APPROVE = Capability.APPROVE_INCENTIVES
EDITABLE = (BatchStatus.DRAFT, BatchStatus.RETURNED)
NOT_COMPUTED = "none"

named_reader = needs(NAMED, ["GET"])
aggregate_reader = needs(VIEW, ["GET"])
supervisor = needs(SUPERVISE, ["GET", "POST"])
supervisor_write = needs(SUPERVISE, ["POST"])
approver = needs(APPROVE, ["GET", "POST"])


def _month(value: str | None) -> dt.date:
    """``?month=YYYY-MM`` (a 400 when it is not a month), else last month: the month whose
    incentives are due. Never a month still to come."""
    this_month = month_start(timezone.localdate())
    month = query_month(value)
    if month is None:
        return add_months(this_month, -1)
    return min(month, this_month)


def _month_context(month: dt.date) -> dict[str, Any]:
    this_month = month_start(timezone.localdate())
    return {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "previous_month": add_months(month, -1).strftime("%Y-%m"),
        "next_month": add_months(month, 1).strftime("%Y-%m") if month < this_month else None,
    }


def _list_url(village: Area, month: dt.date) -> str:
    return f"{reverse('cadres:incentives')}?area={village.parent_id}&month={month:%Y-%m}"


# -- The villages of an area and month ---------------------------------------------------------------


@dataclass
class VillageRow:
    village: Area
    batch: IncentiveBatch | None
    can_compute: bool


def _villages(user: Any, area: Area) -> QuerySet[Area]:
    return (
        scoped(
            user,
            Area.objects.filter(
                subtree_q("code", [area.code]), level=Level.VILLAGE, is_active=True
            ),
            NAMED,
        )
        .select_related("parent")
        .order_by("code")
    )


def _status_filter(value: str) -> str:
    return value if value in (NOT_COMPUTED, *BatchStatus.values) else ""


@named_reader
@vary_on_headers("HX-Request")
def incentive_list(request: HtmxHttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("area") or None, NAMED)
    month = _month(request.GET.get("month"))
    status = _status_filter(request.GET.get("status") or "")
    batches = {
        b.village_id: b
        for b in selectors.batch_list(user=request.user, area_code=area.code, month=month)
    }
    scope = scope_for(request.user)
    rows = []
    for village in _villages(request.user, area):
        batch = batches.get(village.code)
        shown = batch.status if batch is not None else NOT_COMPUTED
        if status and status != shown:
            continue
        can_compute = scope.can(SUPERVISE, village.code) and (
            batch is None or batch.status in EDITABLE
        )
        rows.append(VillageRow(village, batch, can_compute))
    computed = [row.batch for row in rows if row.batch is not None]
    context = {
        "rows": rows,
        "computed": len(computed),
        "cadres": sum(b.cadre_count for b in computed),  # type: ignore[attr-defined]
        "total": sum(b.total for b in computed),
        "status": status,
        "statuses": [(NOT_COMPUTED, _("Not computed")), *BatchStatus.choices],
        "area": area,
        "area_options": area_options(request.user, area, NAMED),
        "can_supervise": scope.can(SUPERVISE),
        "can_approve": scope.can(APPROVE),
        **_month_context(month),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "cadres/_incentive_rows.html", context)
    return render(request, "cadres/incentive_list.html", context)


@supervisor_write
def incentive_compute(request: HttpRequest) -> HttpResponse:
    """Compute (again) the incentives of ``village`` for ``month`` (POST fields)."""
    village = area_or_404(request.user, request.POST.get("village") or "", SUPERVISE)
    month = query_month(request.POST.get("month"))
    if month is None:
        raise BadQuery(QueryProblem.MONTH, value="")
    try:
        batch = services.batch_compute(village=village, month=month, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        found = selectors.batch_for(user=request.user, village=village, month=month)
        if found is not None:
            return redirect("cadres:incentive", pk=found.pk)
        return redirect(_list_url(village, month))
    messages.success(request, _("The incentives were computed from the verified records."))
    return redirect("cadres:incentive", pk=batch.pk)


# -- One proposal ------------------------------------------------------------------------------------


def _lines(batch: IncentiveBatch) -> list[IncentiveLine]:
    return list(selectors.current_lines(batch).select_related("cadre__area__parent__parent"))


def _unpaid(batch: IncentiveBatch) -> QuerySet[IncentiveLine]:
    return selectors.payable_lines(batch).filter(paid_on=None)


def _payment_form(batch: IncentiveBatch, data: Any = None) -> forms.PaymentForm:
    unpaid = _unpaid(batch)
    return forms.PaymentForm(
        data,
        unpaid=unpaid,
        initial={"lines": [line.pk for line in unpaid], "paid_on": timezone.localdate()},
    )


def _render_batch(
    request: HttpRequest,
    batch: IncentiveBatch,
    *,
    status: int = 200,
    failed: str = "",
    failed_form: django_forms.Form | None = None,
) -> HttpResponse:
    scope = scope_for(request.user)
    village = batch.village
    editable = batch.status in EDITABLE
    approved = batch.status == BatchStatus.APPROVED
    can_supervise = scope.can(SUPERVISE, village.code)
    can_approve = scope.can(APPROVE, village.code)
    lines = _lines(batch)
    any_paid = any(line.is_paid for line in lines)
    own_proposal = batch.proposed_by_id is not None and batch.proposed_by_id == request.user.pk
    given = {failed: failed_form} if failed_form is not None else {}
    # One computation from the records serves the drift warning and the cadres no rule pays.
    fresh = (
        selectors.compute(village=village, month=batch.month)
        if batch.status != BatchStatus.PAID
        else None
    )
    pay_form = given.get("pay") or (_payment_form(batch) if approved and can_approve else None)
    context = {
        "batch": batch,
        "village": village,
        "lines": lines,
        "paid_total": sum(line.total for line in lines if line.is_paid),
        "drift": selectors.batch_drift(batch, fresh) if fresh is not None else None,
        # Cadres no rule pays: worth showing only while the proposal can still change.
        "unruled": fresh.unruled if fresh is not None and editable else [],
        "events": list(selectors.batch_events(batch)),
        "month_over": month_end(batch.month) < timezone.localdate(),
        "can_supervise": can_supervise,
        "can_compute": can_supervise and editable,
        "can_propose": can_supervise and editable,
        "can_decide": can_approve and batch.status == BatchStatus.PROPOSED and not own_proposal,
        "own_proposal": own_proposal and batch.status == BatchStatus.PROPOSED,
        "can_reopen": can_supervise and approved and not any_paid,
        "pay_form": pay_form if any(line.total and not line.is_paid for line in lines) else None,
        "return_form": given.get("return") or forms.ReasonForm(),
        "reopen_form": given.get("reopen") or forms.ReasonForm(),
        "failed": failed,
        "failed_form": failed_form,
        "payable": batch.status in selectors.PAYABLE,
        "statuses": BatchStatus,
    }
    return render(request, "cadres/incentive.html", context, status=status)


@named_reader
def incentive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.batch_get(user=request.user, pk=pk)
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        return exports.lines_export(
            file_format=file_format, batch=batch, lines=_lines(batch), actor=request.user
        )
    return _render_batch(request, batch)


@named_reader
def payment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The payment list to sign (Excel): an approved or paid proposal's lines that pay."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch.status not in selectors.PAYABLE:
        raise Http404
    lines = list(selectors.payable_lines(batch).select_related("cadre__area__parent__parent"))
    return exports.payment_list_response(batch=batch, lines=lines, actor=request.user)


# Each action: the form it reads, the write, and what is said when it is done.
Write = Callable[[IncentiveBatch, dict[str, Any], Any], Any]


def _propose(batch: IncentiveBatch, data: dict[str, Any], actor: Any) -> Any:
    return services.batch_propose(batch=batch, actor=actor)


def _approve(batch: IncentiveBatch, data: dict[str, Any], actor: Any) -> Any:
    return services.batch_approve(batch=batch, actor=actor)


def _return(batch: IncentiveBatch, data: dict[str, Any], actor: Any) -> Any:
    return services.batch_return(batch=batch, reason=data["reason"], actor=actor)


def _reopen(batch: IncentiveBatch, data: dict[str, Any], actor: Any) -> Any:
    return services.batch_reopen(batch=batch, reason=data["reason"], actor=actor)


def _pay(batch: IncentiveBatch, data: dict[str, Any], actor: Any) -> Any:
    return services.lines_mark_paid(
        batch=batch,
        lines=list(data["lines"]),
        paid_on=data["paid_on"],
        reference=data["reference"],
        actor=actor,
    )


ACTIONS: dict[str, tuple[Write, Callable[[], str]]] = {
    "propose": (_propose, lambda: _("The incentives were proposed for approval.")),
    "approve": (_approve, lambda: _("The incentives were approved.")),
    "return": (_return, lambda: _("The proposal was returned to the PKB officer.")),
    "reopen": (_reopen, lambda: _("The proposal was reopened as a new revision.")),
    "pay": (_pay, lambda: _("The payment was recorded.")),
}


def _action_form(action: str, batch: IncentiveBatch, data: Any) -> django_forms.Form:
    if action in ("return", "reopen"):
        return forms.ReasonForm(data)
    if action == "pay":
        return _payment_form(batch, data)
    return django_forms.Form(data)


@supervisor_write
def incentive_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Propose, approve, return, reopen or pay; the service decides whether the user may."""
    if action not in ACTIONS:
        raise Http404
    write, done = ACTIONS[action]
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = _action_form(action, batch, request.POST)
    if form.is_valid():
        written = save(form, lambda: write(batch, form.cleaned_data, request.user))
        if written is not None:
            messages.success(request, done())
            return redirect("cadres:incentive", pk=batch.pk)
    batch.refresh_from_db()
    return _render_batch(request, batch, status=422, failed=action, failed_form=form)


# -- One line, traced to its records ---------------------------------------------------------------


@named_reader
def incentive_line(request: HttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_get(user=request.user, pk=pk)
    items = sorted(
        selectors.line_items(line).select_related("follow_up"),
        key=lambda item: (ItemKind.values.index(item.kind), item.on, item.pk),
    )  # in the order the computation lists them (base, visits, referrals, meetings, trainings)
    context = {
        "line": line,
        "batch": line.batch,
        "rule": line.rule,
        "items": items,
        "earned": sum(item.amount for item in items),
        "current": line.revision == line.batch.revision,
    }
    return render(request, "cadres/incentive_line.html", context)


# -- The home visits to verify ---------------------------------------------------------------------


@supervisor
def incentive_visits(request: HttpRequest) -> HttpResponse:
    area = area_or_first_root(request.user, request.GET.get("village") or None, SUPERVISE)
    month = _month(request.GET.get("month"))
    context: dict[str, Any] = {
        "area": area,
        "area_options": area_options(request.user, area, SUPERVISE),
        **_month_context(month),
    }
    if area.level != Level.VILLAGE:
        if request.method == "POST":
            raise Http404
        return render(request, "cadres/incentive_visits.html", context)
    visits = selectors.visits_to_verify(user=request.user, village=area, month=month)
    form = forms.VerifyForm(request.POST or None, visits=visits)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            changed = save(
                form,
                lambda: followups_verify(
                    follow_ups=list(data["follow_ups"]),
                    verification=data["verification"],
                    note=data["note"],
                    actor=request.user,
                ),
            )
            if changed is not None:
                messages.success(
                    request, _("%(count)s home visits were updated.") % {"count": changed}
                )
                return redirect(f"{request.path}?village={area.code}&month={month:%Y-%m}")
        status = 422
    checked = {str(v) for v in (form["follow_ups"].value() or [])}
    context.update(
        {
            "village": area,
            "visits": list(visits),
            "form": form,
            "checked": checked,
            "batch": selectors.batch_for(user=request.user, village=area, month=month),
        }
    )
    return render(request, "cadres/incentive_visits.html", context, status=status)


# -- The district's rules --------------------------------------------------------------------------


@aggregate_reader
def incentive_rules(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    rules = list(selectors.rule_list(user=request.user))
    context = {
        "rows": [(rule, scope.can(APPROVE, rule.area_id)) for rule in rules],
        "can_add": scope.can(APPROVE),
    }
    return render(request, "cadres/incentive_rules.html", context)


def _districts(user: Any) -> QuerySet[Area]:
    """The districts (kabupaten/kota) the user sets rules for."""
    return scoped(user, Area.objects.filter(level=Level.REGENCY, is_active=True), APPROVE).order_by(
        "code"
    )


def _render_rule_form(
    request: HttpRequest, form: forms.RuleForm, *, title: str, in_use: bool = False
) -> HttpResponse:
    status = 422 if form.is_bound else 200
    context = {"form": form, "title": title, "in_use": in_use}
    return render(request, "cadres/incentive_rule_form.html", context, status=status)


@approver
def incentive_rule_new(request: HttpRequest) -> HttpResponse:
    districts = _districts(request.user)
    initial = forms.RuleForm.initial_for(None, timezone.localdate())
    first = districts.first()
    if first is not None:
        initial["area"] = first.pk
    form = forms.RuleForm(request.POST or None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        rule = save(
            form,
            lambda: services.rule_create(data=form.data_for_service(), actor=request.user),
        )
        if rule is not None:
            messages.success(request, _("The incentive rule was saved."))
            return redirect("cadres:incentive_rules")
    return _render_rule_form(request, form, title=_("New incentive rule"))


@approver
def incentive_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = selectors.rule_get(user=request.user, pk=pk)
    form = forms.RuleForm(
        request.POST or None,
        districts=_districts(request.user),
        initial=forms.RuleForm.initial_for(rule, timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        saved = save(
            form,
            lambda: services.rule_update(
                rule=rule, data=form.data_for_service(), actor=request.user
            ),
        )
        if saved is not None:
            messages.success(request, _("The incentive rule was saved."))
            return redirect("cadres:incentive_rules")
    return _render_rule_form(
        request, form, title=_("Edit the incentive rule"), in_use=selectors.rule_in_use(rule)
    )
