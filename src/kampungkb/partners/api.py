"""The partners API: partner organisations, contacts, MoUs (with renewal), commitments and MoU
expiry alerts. Reads go through the selectors (scoped); writes through the services. Records to
change are fetched with ``EDIT_PARTNERS``, so anything outside the caller's areas is 404 and
nothing is written. The partner's report (commitments against delivery) is in the reports API."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from kampungkb.accounts.scope import Capability, area_or_404
from kampungkb.partners import selectors, services
from kampungkb.partners.models import Commitment, Mou, Partner, PartnerContact, PartnerKind
from kampungkb.partners.schemas import (
    CommitmentIn,
    CommitmentOut,
    ContactIn,
    ContactOut,
    MouAlertOut,
    MouIn,
    MouListOut,
    MouOut,
    MouRenewIn,
    MouUpdateIn,
    PartnerIn,
    PartnerOut,
    PartnerUpdateIn,
)
from kampungkb.partners.services import MouData
from kampungkb.partners.validators import CONTENT_TYPES
from kampungkb.regions.models import Area

MAX_PAGE_SIZE = 200
EDIT = Capability.EDIT_PARTNERS
PAGES = {"page_size": settings.KAMPUNGKB_PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}

router = Router(tags=["Mitra / Partners"])


def _areas(codes: list[str]) -> list[Area]:
    found = {a.code: a for a in Area.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise Http404
    return [found[c] for c in dict.fromkeys(codes)]


# ---- partners -------------------------------------------------------------------------------


@router.get("/partners", response=list[PartnerOut], summary="List the partners you see, by name")
@paginate(PageNumberPagination, **PAGES)
def partner_list(
    request: HttpRequest,
    kind: PartnerKind | None = None,
    area: str | None = None,
    active: bool | None = True,
) -> QuerySet[Partner]:
    code = area_or_404(request.user, area).code if area else None
    return selectors.partner_list(user=request.user, kind=kind, area_code=code, active=active)


@router.post("/partners", response={201: PartnerOut}, summary="Register a partner")
def partner_create(request: HttpRequest, payload: PartnerIn) -> Status[Partner]:
    partner = services.partner_create(
        area=area_or_404(request.user, payload.area, EDIT),
        data=payload.to_data(),
        areas_served=_areas(payload.areas_served),
        actor=request.user,
    )
    return Status(201, partner)


@router.get("/partners/{partner_id}", response=PartnerOut, summary="One partner")
def partner_detail(request: HttpRequest, partner_id: int) -> Partner:
    return selectors.partner_get(user=request.user, pk=partner_id)


@router.patch("/partners/{partner_id}", response=PartnerOut, summary="Change a partner")
def partner_update(request: HttpRequest, partner_id: int, payload: PartnerUpdateIn) -> Partner:
    partner = selectors.partner_get(user=request.user, pk=partner_id, capability=EDIT)
    served = (
        list(partner.areas_served.all())
        if payload.areas_served is None
        else _areas(payload.areas_served)
    )
    return services.partner_update(
        partner=partner, data=payload.merged(partner), areas_served=served, actor=request.user
    )


@router.post(
    "/partners/{partner_id}/deactivate", response=PartnerOut, summary="Deactivate a partner"
)
def partner_deactivate(request: HttpRequest, partner_id: int) -> Partner:
    partner = selectors.partner_get(user=request.user, pk=partner_id, capability=EDIT)
    return services.partner_deactivate(partner=partner, actor=request.user)


# ---- contacts -------------------------------------------------------------------------------


@router.get(
    "/partners/{partner_id}/contacts",
    response=list[ContactOut],
    summary="A partner's contacts (roles that see named persons)",
)
def contact_list(request: HttpRequest, partner_id: int) -> QuerySet[PartnerContact]:
    partner = selectors.partner_get(user=request.user, pk=partner_id)
    if not selectors.can_see_contacts(request.user, partner):
        raise Http404
    return selectors.contact_list(user=request.user, partner=partner)


@router.post("/partners/{partner_id}/contacts", response={201: ContactOut}, summary="Add a contact")
def contact_add(request: HttpRequest, partner_id: int, payload: ContactIn) -> Status[Any]:
    partner = selectors.partner_get(user=request.user, pk=partner_id, capability=EDIT)
    contact = services.contact_add(partner=partner, data=payload.to_data(), actor=request.user)
    return Status(201, contact)


@router.put("/partner-contacts/{contact_id}", response=ContactOut, summary="Change a contact")
def contact_update(request: HttpRequest, contact_id: int, payload: ContactIn) -> PartnerContact:
    contact = selectors.contact_get(user=request.user, pk=contact_id)
    return services.contact_update(contact=contact, data=payload.to_data(), actor=request.user)


@router.delete("/partner-contacts/{contact_id}", response={204: None}, summary="Remove a contact")
def contact_remove(request: HttpRequest, contact_id: int) -> Status[None]:
    contact = selectors.contact_get(user=request.user, pk=contact_id)
    services.contact_remove(contact=contact, actor=request.user)
    return Status(204, None)


# ---- MoUs -----------------------------------------------------------------------------------


@router.get("/mous", response=list[MouListOut], summary="List the MoUs you see, latest end first")
@paginate(PageNumberPagination, **PAGES)
def mou_list(
    request: HttpRequest, partner: int | None = None, status: str | None = None
) -> QuerySet[Mou]:
    if status is not None and status not in selectors.MouStatus.LABELS:
        raise Http404
    found = selectors.partner_get(user=request.user, pk=partner) if partner else None
    return selectors.mou_list(
        user=request.user, today=timezone.localdate(), partner=found, status=status
    )


@router.post(
    "/partners/{partner_id}/mous", response={201: MouOut}, summary="Record an MoU of a partner"
)
def mou_create(request: HttpRequest, partner_id: int, payload: MouIn) -> Status[Mou]:
    partner = selectors.partner_get(user=request.user, pk=partner_id)
    mou = services.mou_create(
        partner=partner,
        area=area_or_404(request.user, payload.area, EDIT),
        data=payload.to_data(),
        commitments=[c.to_data() for c in payload.commitments],
        actor=request.user,
    )
    return Status(201, selectors.mou_get(user=request.user, pk=mou.pk))


@router.get("/mous/{mou_id}", response=MouOut, summary="One MoU with its commitments")
def mou_detail(request: HttpRequest, mou_id: int) -> Mou:
    return selectors.mou_get(user=request.user, pk=mou_id)


@router.put("/mous/{mou_id}", response=MouOut, summary="Correct an MoU")
def mou_update(request: HttpRequest, mou_id: int, payload: MouUpdateIn) -> Mou:
    mou = selectors.mou_get(user=request.user, pk=mou_id, capability=EDIT)
    area = area_or_404(request.user, payload.area, EDIT) if payload.area else None
    services.mou_update(mou=mou, data=payload.to_data(), area=area, actor=request.user)
    return selectors.mou_get(user=request.user, pk=mou_id)


@router.post(
    "/mous/{mou_id}/renew",
    response={201: MouOut},
    summary="Renew an MoU: a new MoU pointing to the old one",
)
def mou_renew(request: HttpRequest, mou_id: int, payload: MouRenewIn) -> Status[Mou]:
    mou = selectors.mou_get(user=request.user, pk=mou_id, capability=EDIT)
    new = services.mou_renew(
        mou=mou,
        data=payload.to_data(),
        copy_commitments=payload.copy_commitments,
        commitments=[c.to_data() for c in payload.commitments],
        actor=request.user,
    )
    return Status(201, selectors.mou_get(user=request.user, pk=new.pk))


def _current_data(mou: Mou) -> MouData:
    return MouData(
        number=mou.number,
        title=mou.title,
        parties=mou.parties,
        signed_on=mou.signed_on,
        valid_from=mou.valid_from,
        valid_until=mou.valid_until,
        scope=mou.scope,
    )


@router.post(
    "/mous/{mou_id}/document",
    response=MouOut,
    summary="Upload the MoU's document (PDF, JPEG or PNG, at most 10 MB), replacing any earlier",
)
def mou_document_upload(request: HttpRequest, mou_id: int, file: File[UploadedFile]) -> Mou:
    # The page's service and checks: the kind by content, the size; a refusal writes nothing.
    mou = selectors.mou_get(user=request.user, pk=mou_id, capability=EDIT)
    try:
        services.mou_update(mou=mou, data=_current_data(mou), document=file, actor=request.user)
    except ValidationError as exc:
        # The service names the page's field; here the file is sent as ``file``.
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {("file" if f == "document" else f): items for f, items in exc.error_dict.items()}
        ) from exc
    return selectors.mou_get(user=request.user, pk=mou_id)


@router.get(
    "/mous/{mou_id}/document",
    summary="Download the MoU's document (404 when there is none)",
)
def mou_document_download(request: HttpRequest, mou_id: int) -> FileResponse:
    # Scoped like the page's download: whoever sees the MoU.
    mou = selectors.mou_get(user=request.user, pk=mou_id)
    if not mou.document:
        raise Http404
    ext = (mou.document.name or "").rsplit(".", 1)[-1].lower()
    return FileResponse(
        mou.document.open("rb"),
        as_attachment=True,
        filename=f"MoU-{mou.pk}.{ext}",
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )


# ---- commitments ----------------------------------------------------------------------------


@router.get("/mous/{mou_id}/commitments", response=list[CommitmentOut], summary="Commitments")
def commitment_list(request: HttpRequest, mou_id: int) -> list[Commitment]:
    return list(selectors.mou_get(user=request.user, pk=mou_id).commitments.all())


@router.post(
    "/mous/{mou_id}/commitments", response={201: CommitmentOut}, summary="Add a commitment"
)
def commitment_add(request: HttpRequest, mou_id: int, payload: CommitmentIn) -> Status[Any]:
    mou = selectors.mou_get(user=request.user, pk=mou_id, capability=EDIT)
    return Status(201, services.commitment_add(mou=mou, data=payload.to_data(), actor=request.user))


@router.put("/commitments/{commitment_id}", response=CommitmentOut, summary="Change a commitment")
def commitment_update(
    request: HttpRequest, commitment_id: int, payload: CommitmentIn
) -> Commitment:
    commitment = selectors.commitment_get(user=request.user, pk=commitment_id)
    return services.commitment_update(
        commitment=commitment, data=payload.to_data(), actor=request.user
    )


@router.delete("/commitments/{commitment_id}", response={204: None}, summary="Remove a commitment")
def commitment_remove(request: HttpRequest, commitment_id: int) -> Status[None]:
    commitment = selectors.commitment_get(user=request.user, pk=commitment_id)
    with transaction.atomic():
        services.commitment_remove(commitment=commitment, actor=request.user)
    return Status(204, None)


# ---- alerts ---------------------------------------------------------------------------------


@router.get(
    "/mou-alerts",
    response=list[MouAlertOut],
    summary="MoUs ending within 60 days (band 60/30) or ended in the last 60 days (expired)",
)
def alert_list(request: HttpRequest) -> list[dict[str, Any]]:
    rows = selectors.mou_alerts(user=request.user, today=timezone.localdate())
    return [
        {
            "mou_id": r.mou.pk,
            "number": r.mou.number,
            "partner_id": r.mou.partner_id,
            "partner_name": r.mou.partner.name,
            "valid_until": r.mou.valid_until,
            "band": r.band,
            "days_left": r.days_left,
        }
        for r in rows
    ]
