"""The partner pages: partners, their contacts and users, MoUs with commitments and renewals.
Thin views: read through the selectors (scoped; writes ask for ``EDIT_PARTNERS``), write through
one service. The partner's own page (commitments against delivery) is in ``reports``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kampungkb.accounts.decorators import needs
from kampungkb.accounts.scope import Capability, area_or_404, scope_for
from kampungkb.core.tables import csv_response, xlsx_response
from kampungkb.families.forms import add_service_errors
from kampungkb.partners import forms, selectors, services
from kampungkb.partners.models import Mou, Partner, PartnerKind
from kampungkb.partners.validators import CONTENT_TYPES

EDIT = Capability.EDIT_PARTNERS
View = Callable[..., HttpResponse]
EXPORT_FORMATS = ("csv", "xlsx")


_reader = needs(Capability.VIEW_AGGREGATES, ["GET"])
_editor = needs(EDIT, ["GET", "POST"])


def _errors_onto(form: Form, error: ValidationError) -> None:
    add_service_errors(form, error)


def _to_partner(partner: Partner) -> HttpResponse:
    return redirect("reports:partner", pk=partner.pk)


def _to_mou(mou: Mou) -> HttpResponse:
    return redirect("partners:mou_detail", pk=mou.pk)


def _form_page(
    request: HttpRequest, form: Form, *, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    return render(request, "partners/form.html", context)


def _bool_param(value: str | None) -> bool | None:
    return {"1": True, "0": False, "all": None}.get(value or "1", True)


# -- Partners -------------------------------------------------------------------------------------


def _export_partners(rows: list[Partner], file_format: str) -> HttpResponse:
    with translation.override("id"):
        header = [
            _("Name"),
            _("Type"),
            _("Registered by"),
            _("Areas served"),
            _("Active"),
            _("Phone"),
            _("Email"),
        ]
        yes, no = _("yes"), _("no")
        lines = [
            [
                p.name,
                str(PartnerKind(p.kind).label),
                f"{p.area.name} ({p.area_id})",
                ", ".join(f"{a.name} ({a.code})" for a in p.areas_served.all()),
                yes if p.is_active else no,
                p.phone,
                p.email,
            ]
            for p in rows
        ]
        title = _("Partners")
    if file_format == "csv":
        return csv_response("mitra", header, lines)
    return xlsx_response("mitra", title, header, lines)


@_reader
def partner_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    kind = request.GET.get("kind") or None
    if kind not in (None, *PartnerKind.values):
        kind = None
    area_code = request.GET.get("area") or None
    if area_code:
        area_code = area_or_404(user, area_code).code
    active = _bool_param(request.GET.get("active"))
    partners = selectors.partner_list(user=user, kind=kind, area_code=area_code, active=active)
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        return _export_partners(list(partners), file_format)
    today = timezone.localdate()
    context = {
        "page": Paginator(partners, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page")),
        "alerts": selectors.mou_alerts(user=user, today=today),
        "kinds": PartnerKind.choices,
        "kind": kind or "",
        "area": area_code or "",
        "active": request.GET.get("active") or "1",
        "can_edit": scope_for(user).can(EDIT),
        "query": request.GET.urlencode(),
    }
    return render(request, "partners/partner_list.html", context)


@_editor
def partner_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    areas = selectors.area_choices(user=user)
    form = forms.PartnerForm(request.POST or None, areas=areas, with_office=True)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                area=form.cleaned_data["area"],
                data=form.partner_data(),
                areas_served=form.cleaned_data["areas_served"],
                actor=user,
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request, _("The partner %(name)s was registered.") % {"name": partner.name}
            )
            return _to_partner(partner)
    return _form_page(
        request, form, title=_("Register a partner"), cancel_url=reverse("partners:list")
    )


@_editor
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partner = selectors.partner_get(user=user, pk=pk, capability=EDIT)
    served = list(partner.areas_served.order_by("code"))
    areas = selectors.area_choices(user=user)
    if areas is not None:
        # Areas another office added stay listed (and selected).
        areas += [a for a in served if a not in areas]
    initial = {
        "name": partner.name,
        "kind": partner.kind,
        "description": partner.description,
        "address": partner.address,
        "phone": partner.phone,
        "email": partner.email,
        "website": partner.website,
        "areas_served": served,
    }
    form = forms.PartnerForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                partner=partner,
                data=form.partner_data(),
                areas_served=form.cleaned_data["areas_served"],
                actor=user,
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The partner data was saved."))
            return _to_partner(partner)
    return _form_page(
        request,
        form,
        title=_("Edit partner"),
        subject=partner.name,
        cancel_url=reverse("reports:partner", args=[partner.pk]),
    )


@_editor
def partner_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, pk=pk, capability=EDIT)
    form = Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_deactivate(partner=partner, actor=request.user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The partner was deactivated."))
            return redirect("partners:list")
    return _form_page(
        request,
        form,
        title=_("Deactivate the partner"),
        subject=partner.name,
        intro=_(
            "The partner stays in the database with its MoUs and activities but no longer "
            "appears in the active list."
        ),
        submit_label=_("Deactivate"),
        cancel_url=reverse("reports:partner", args=[partner.pk]),
    )


# -- Contacts and users ---------------------------------------------------------------------------


@_reader
def partner_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partner = selectors.partner_get(user=user, pk=pk)
    if not selectors.can_see_contacts(user, partner):
        raise Http404
    context = {
        "partner": partner,
        "contacts": selectors.contact_list(user=user, partner=partner),
        "memberships": selectors.membership_list(user=user, partner=partner),
        "can_edit": scope_for(user).can(EDIT, partner.area_id),
    }
    return render(request, "partners/contacts.html", context)


def _to_contacts(partner: Partner) -> HttpResponse:
    return redirect("partners:contacts", pk=partner.pk)


@_editor
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_get(user=request.user, pk=pk, capability=EDIT)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_add(partner=partner, data=form.contact_data(), actor=request.user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The contact was added."))
            return _to_contacts(partner)
    cancel = reverse("partners:contacts", args=[partner.pk])
    return _form_page(
        request, form, title=_("Add a contact"), subject=partner.name, cancel_url=cancel
    )


@_editor
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    initial = {f: getattr(contact, f) for f in ("name", "position", "phone", "email")}
    form = forms.ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, data=form.contact_data(), actor=request.user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The contact was saved."))
            return _to_contacts(contact.partner)
    cancel = reverse("partners:contacts", args=[contact.partner_id])
    return _form_page(
        request, form, title=_("Edit contact"), subject=contact.partner.name, cancel_url=cancel
    )


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    services.contact_remove(contact=contact, actor=request.user)
    messages.success(request, _("The contact was removed."))
    return _to_contacts(contact.partner)


@_editor
def partner_user_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partner = selectors.partner_get(user=user, pk=pk, capability=EDIT)
    form = forms.PartnerUserForm(
        request.POST or None, users=selectors.partner_user_choices(user=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_user_link(partner=partner, user=form.cleaned_data["user"], actor=user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The user now speaks for this partner."))
            return _to_contacts(partner)
    return _form_page(
        request,
        form,
        title=_("Link a partner user"),
        subject=partner.name,
        intro=_(
            "A user with the Partner role sees this partner only: its MoUs, activities and "
            "aggregates, never named persons."
        ),
        cancel_url=reverse("partners:contacts", args=[partner.pk]),
    )


@login_required
@require_POST
def partner_user_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(user=request.user, pk=pk)
    services.partner_user_unlink(membership=membership, actor=request.user)
    messages.success(request, _("The user no longer speaks for this partner."))
    return _to_contacts(membership.partner)


# -- MoUs -----------------------------------------------------------------------------------------


def _export_mous(rows: list[Mou], today: Any, file_format: str) -> HttpResponse:
    with translation.override("id"):
        header = [
            _("Number"),
            _("Title"),
            _("Partner"),
            _("Area covered"),
            _("Signing date"),
            _("Valid from"),
            _("Valid until"),
            _("Status"),
            _("Renews"),
        ]
        lines = [
            [
                m.number,
                m.title,
                m.partner.name,
                f"{m.area.name} ({m.area_id})",
                m.signed_on,
                m.valid_from,
                m.valid_until,
                str(selectors.MouStatus.LABELS[selectors.mou_status(m, today)]),
                m.renews.number if m.renews else "",
            ]
            for m in rows
        ]
        title = _("MoUs")
    if file_format == "csv":
        return csv_response("mou", header, lines)
    return xlsx_response("mou", title, header, lines)


@_reader
def mou_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    status = request.GET.get("status") or None
    if status not in (None, *selectors.MouStatus.LABELS):
        status = None
    partner = None
    if request.GET.get("partner", "").isdigit():
        partner = selectors.partner_get(user=user, pk=int(request.GET["partner"]))
    mous = selectors.mou_list(user=user, today=today, partner=partner, status=status)
    file_format = request.GET.get("format")
    if file_format in EXPORT_FORMATS:
        return _export_mous(list(mous), today, file_format)
    page = Paginator(mous, settings.KAMPUNGKB_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(m, selectors.mou_status(m, today)) for m in page.object_list],
        "statuses": selectors.MouStatus.CHOICES,
        "status": status or "",
        "partner": partner,
        "alerts": selectors.mou_alerts(user=user, today=today, partner=partner),
        "query": request.GET.urlencode(),
    }
    return render(request, "partners/mou_list.html", context)


def _commitments_save(formset: Any, mou: Mou, actor: Any) -> None:
    """Add, change and remove the commitments the formset holds (inside the caller's
    transaction)."""
    existing = {c.pk: c for c in mou.commitments.all()}
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        pk = data.get("id")
        if pk is not None and pk not in existing:
            raise Http404
        if data.get("DELETE"):
            if pk is not None:
                services.commitment_remove(commitment=existing[pk], actor=actor)
        elif pk is not None:
            services.commitment_update(
                commitment=existing[pk], data=form.commitment_data(), actor=actor
            )
        else:
            services.commitment_add(mou=mou, data=form.commitment_data(), actor=actor)


def _new_commitments(formset: Any) -> list[services.CommitmentData]:
    return [
        f.commitment_data()
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@_editor
def mou_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partner = selectors.partner_get(user=user, pk=pk)
    if not partner.is_active:
        raise Http404
    form = forms.MouForm(
        request.POST or None, request.FILES or None, areas=selectors.area_choices(user=user)
    )
    formset = forms.CommitmentFormSet(request.POST or None, prefix="commitments")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            mou = services.mou_create(
                partner=partner,
                area=form.cleaned_data["area"],
                data=form.mou_data(),
                commitments=_new_commitments(formset),
                document=form.document_file(),
                actor=user,
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request, _("The MoU %(number)s was recorded.") % {"number": mou.number}
            )
            return _to_mou(mou)
    return render(
        request,
        "partners/mou_form.html",
        {
            "form": form,
            "formset": formset,
            "partner": partner,
            "title": _("Record an MoU"),
            "cancel_url": reverse("reports:partner", args=[partner.pk]),
        },
    )


@_reader
def mou_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mou = selectors.mou_get(user=user, pk=pk)
    today = timezone.localdate()
    status = selectors.mou_status(mou, today)
    can_edit = scope_for(user).can(EDIT, mou.area_id)
    context = {
        "mou": mou,
        "status": status,
        "status_label": selectors.MouStatus.LABELS[status],
        "chain": selectors.mou_chain(mou),
        "band": selectors.alert_band(mou.valid_until, today) if not mou.is_renewed else None,  # type: ignore[attr-defined]
        "days_left": (mou.valid_until - today).days,
        "can_edit": can_edit,
        "can_renew": can_edit and not mou.is_renewed and mou.partner.is_active,  # type: ignore[attr-defined]
    }
    return render(request, "partners/mou_detail.html", context)


def _mou_initial(mou: Mou) -> dict[str, Any]:
    fields = ("number", "title", "parties", "signed_on", "valid_from", "valid_until", "scope")
    return {f: getattr(mou, f) for f in fields}


@_editor
def mou_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    mou = selectors.mou_get(user=user, pk=pk, capability=EDIT)
    areas = selectors.area_choices(user=user)
    initial = {**_mou_initial(mou), "area": mou.area_id}
    form = forms.MouForm(request.POST or None, request.FILES or None, areas=areas, initial=initial)
    commitments = [
        {"id": c.pk, "description": c.description, "measure": c.measure, "target": c.target}
        for c in mou.commitments.all()
    ]
    formset = forms.CommitmentFormSet(
        request.POST or None, prefix="commitments", initial=commitments
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                services.mou_update(
                    mou=mou,
                    data=form.mou_data(),
                    area=form.cleaned_data["area"],
                    document=form.document_file(),
                    remove_document=form.remove_document(),
                    actor=user,
                )
                _commitments_save(formset, mou, user)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The MoU was saved."))
            return _to_mou(mou)
    return render(
        request,
        "partners/mou_form.html",
        {
            "form": form,
            "formset": formset,
            "partner": mou.partner,
            "mou": mou,
            "title": _("Edit MoU"),
            "cancel_url": reverse("partners:mou_detail", args=[mou.pk]),
        },
    )


@_editor
def mou_renew(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    old = selectors.mou_get(user=user, pk=pk, capability=EDIT)
    initial = {
        **_mou_initial(old),
        "number": "",
        "signed_on": None,
        "valid_from": None,
        "valid_until": None,
    }
    form = forms.RenewForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.mou_renew(
                mou=old,
                data=form.mou_data(),
                copy_commitments=form.cleaned_data["copy_commitments"],
                document=form.document_file(),
                actor=user,
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request, _("The MoU was renewed as %(number)s.") % {"number": new.number}
            )
            return _to_mou(new)
    return render(
        request,
        "partners/form.html",
        {
            "form": form,
            "title": _("Renew the MoU"),
            "subject": f"{old.number} · {old.partner.name}",
            "intro": _(
                "The renewal is a new MoU that points to this one; this MoU keeps its dates, "
                "commitments and document."
            ),
            "multipart": True,
            "cancel_url": reverse("partners:mou_detail", args=[old.pk]),
        },
    )


@login_required
@require_GET
def mou_document(request: HttpRequest, pk: int) -> FileResponse:
    """The MoU's document, for those who see the MoU (scoped like the MoU itself)."""
    mou = selectors.mou_get(user=request.user, pk=pk)
    if not mou.document:
        raise Http404
    ext = (mou.document.name or "").rsplit(".", 1)[-1].lower()
    response = FileResponse(
        mou.document.open("rb"),
        as_attachment=True,
        filename=f"MoU-{mou.pk}.{ext}",
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    return response
