"""Writes of partners, their contacts and users, MoUs and commitments. One function per write,
each in one transaction with an audit event. The actor needs ``EDIT_PARTNERS`` in the area of
what is written (a partner's registering area, an MoU's area); anything else is not found.
``actor=None`` is the system itself (commands, the demo seed)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from kampungkb.accounts.models import Role, User
from kampungkb.accounts.scope import Capability, ensure_can, scope_for
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.partners.errors import CommitmentProblem, MouProblem, PartnerProblem
from kampungkb.partners.models import (
    Commitment,
    Mou,
    Partner,
    PartnerContact,
    PartnerMembership,
)
from kampungkb.partners.selectors import partners_visible
from kampungkb.partners.validators import validate_document
from kampungkb.regions.models import Area

EDIT = Capability.EDIT_PARTNERS


def _edit(actor: Any, area_code: str) -> None:
    ensure_can(actor, EDIT, area_code)


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[ValidationError]], exc: ValidationError) -> None:
    for field, items in exc.error_dict.items():
        errors.setdefault(field, []).extend(items)


# -- Partners -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerData:
    """What a form or the API says about a partner organisation."""

    name: str
    kind: str
    description: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


def _check_served(actor: Any, areas: Iterable[Area]) -> None:
    if actor is None:
        return
    scope = scope_for(actor)
    for area in areas:
        if not scope.can(EDIT, area.code):
            raise PartnerProblem.AREA_OUT_OF_SCOPE.on("areas_served", code=area.code)


def _check_name(area_code: str, name: str, *, exclude_pk: Any = None) -> None:
    taken = Partner.objects.filter(area_id=area_code, name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise PartnerProblem.NAME_TAKEN.on("name", name=name)


def _partner_snapshot(partner: Partner) -> dict[str, Any]:
    return {
        **snapshot(partner),
        "areas_served": sorted(partner.areas_served.values_list("code", flat=True)),
    }


@transaction.atomic
def partner_create(
    *, area: Area, data: PartnerData, areas_served: Sequence[Area] = (), actor: Any
) -> Partner:
    _edit(actor, area.code)
    _check_served(actor, areas_served)
    name = data.name.strip()
    _check_name(area.code, name)
    partner = Partner(area=area, **{**asdict(data), "name": name})
    partner.full_clean()
    partner.save()
    partner.areas_served.set(areas_served)
    audit_record(
        actor=actor,
        action="partner.create",
        instance=partner,
        area_code=area.code,
        after=_partner_snapshot(partner),
    )
    return partner


@transaction.atomic
def partner_update(
    *, partner: Partner, data: PartnerData, areas_served: Sequence[Area], actor: Any
) -> Partner:
    _edit(actor, partner.area_id)
    if not partner.is_active:
        raise PartnerProblem.INACTIVE.error()
    before = _partner_snapshot(partner)
    old = set(before["areas_served"])
    new = {a.code: a for a in areas_served}
    # Only the areas added or taken away must lie in the actor's areas: an officer keeps the
    # areas another office added.
    _check_served(actor, [a for code, a in new.items() if code not in old])
    _check_served(actor, list(Area.objects.filter(code__in=old - new.keys())))
    name = data.name.strip()
    _check_name(partner.area_id, name, exclude_pk=partner.pk)
    for field, value in {**asdict(data), "name": name}.items():
        setattr(partner, field, value)
    partner.full_clean()
    partner.save()
    partner.areas_served.set(list(new.values()))
    audit_record(
        actor=actor,
        action="partner.update",
        instance=partner,
        area_code=partner.area_id,
        before=before,
        after=_partner_snapshot(partner),
    )
    return partner


@transaction.atomic
def partner_deactivate(*, partner: Partner, actor: Any) -> Partner:
    """Take a partner off the active lists; its MoUs, activities and history stay."""
    _edit(actor, partner.area_id)
    if not partner.is_active:
        raise PartnerProblem.ALREADY_INACTIVE.error()
    partner.is_active = False
    partner.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="partner.deactivate",
        instance=partner,
        area_code=partner.area_id,
        before={"is_active": True},
        after={"is_active": False},
    )
    return partner


# -- Contacts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    name: str
    position: str = ""
    phone: str = ""
    email: str = ""


def _check_contact(data: ContactData) -> None:
    if not data.phone.strip() and not data.email.strip():
        raise PartnerProblem.CONTACT_EMPTY.on("phone")


@transaction.atomic
def contact_add(*, partner: Partner, data: ContactData, actor: Any) -> PartnerContact:
    _edit(actor, partner.area_id)
    _check_contact(data)
    contact = PartnerContact(partner=partner, **asdict(data))
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor, action="partner.contact_add", instance=contact, area_code=partner.area_id
    )
    return contact


@transaction.atomic
def contact_update(*, contact: PartnerContact, data: ContactData, actor: Any) -> PartnerContact:
    area_code = contact.partner.area_id
    _edit(actor, area_code)
    _check_contact(data)
    before = snapshot(contact)
    for field, value in asdict(data).items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        action="partner.contact_update",
        instance=contact,
        area_code=area_code,
        before=before,
    )
    return contact


@transaction.atomic
def contact_remove(*, contact: PartnerContact, actor: Any) -> None:
    area_code = contact.partner.area_id
    _edit(actor, area_code)
    before = snapshot(contact)
    audit_record(
        actor=actor,
        action="partner.contact_remove",
        instance=contact,
        area_code=area_code,
        before=before,
        after={},
    )
    contact.delete()


# -- Partner users --------------------------------------------------------------------------------


@transaction.atomic
def partner_user_link(*, partner: Partner, user: User, actor: Any) -> PartnerMembership:
    """Let a user with the partner role speak for ``partner``: that user then sees this partner
    only, its MoUs and aggregates."""
    _edit(actor, partner.area_id)
    if not partner.is_active:
        raise PartnerProblem.INACTIVE.error()
    if not user.assignments.filter(role=Role.PARTNER).exists():
        raise PartnerProblem.USER_NOT_PARTNER_ROLE.on("user", user=user.username)
    existing = PartnerMembership.objects.select_related("partner").filter(user=user).first()
    if existing is not None:
        raise PartnerProblem.USER_ALREADY_LINKED.on(
            "user", user=user.username, partner=existing.partner.name
        )
    membership = PartnerMembership(partner=partner, user=user)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor, action="partner.user_link", instance=membership, area_code=partner.area_id
    )
    return membership


@transaction.atomic
def partner_user_unlink(*, membership: PartnerMembership, actor: Any) -> None:
    area_code = membership.partner.area_id
    _edit(actor, area_code)
    audit_record(
        actor=actor,
        action="partner.user_unlink",
        instance=membership,
        area_code=area_code,
        before=snapshot(membership),
        after={},
    )
    membership.delete()


# -- MoUs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MouData:
    number: str
    title: str
    parties: str
    signed_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    scope: str = ""


@dataclass(frozen=True)
class CommitmentData:
    description: str
    measure: str
    target: int


def _check_mou(
    data: MouData,
    *,
    partner: Partner,
    document: UploadedFile | None,
    exclude_pk: Any = None,
    errors: dict[str, list[ValidationError]],
) -> str | None:
    """Collect the MoU's problems in ``errors``; returns the document's extension."""
    if data.valid_until < data.valid_from:
        errors.setdefault("valid_until", []).append(MouProblem.DATES_ORDER.error())
    # An agreement may take effect before it is signed (berlaku surut), never end before it.
    if data.signed_on > data.valid_until:
        errors.setdefault("signed_on", []).append(MouProblem.SIGNED_AFTER_END.error())
    elif data.signed_on > _today():
        errors.setdefault("signed_on", []).append(MouProblem.SIGNED_IN_FUTURE.error())
    number = data.number.strip()
    taken = Mou.objects.filter(partner=partner, number__iexact=number).exclude(pk=exclude_pk)
    if number and taken.exists():
        errors.setdefault("number", []).append(MouProblem.NUMBER_TAKEN.error(number=number))
    kind = None
    if document is not None:
        try:
            kind = validate_document(document)
        except ValidationError as exc:
            _add(errors, exc)
    return kind


def _document_name(number: str, kind: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-")[:60] or "mou"
    return f"{slug}.{kind}"


def _attach(mou: Mou, document: UploadedFile | None, kind: str | None) -> None:
    if document is not None and kind is not None:
        mou.document.save(_document_name(mou.number, kind), document, save=False)


def _check_commitment(data: CommitmentData) -> Commitment:
    commitment = Commitment(description=data.description.strip(), measure=data.measure)
    commitment.target = data.target
    if data.target <= 0:
        raise CommitmentProblem.TARGET_ZERO.on("target")
    return commitment


def _mou_snapshot(mou: Mou) -> dict[str, Any]:
    return {**snapshot(mou), "document": mou.document.name or ""}


def _ensure_visible(actor: Any, partner: Partner) -> None:
    if actor is not None and not partners_visible(actor).filter(pk=partner.pk).exists():
        raise Http404


def _commitments_create(mou: Mou, items: Iterable[CommitmentData], actor: Any) -> None:
    for data in items:
        commitment = _check_commitment(data)
        commitment.mou = mou
        commitment.full_clean()
        commitment.save()
        audit_record(
            actor=actor, action="mou.commitment_add", instance=commitment, area_code=mou.area_id
        )


@transaction.atomic
def mou_create(
    *,
    partner: Partner,
    area: Area,
    data: MouData,
    commitments: Sequence[CommitmentData] = (),
    document: UploadedFile | None = None,
    actor: Any,
) -> Mou:
    """Record a signed MoU of a partner the actor sees, covering ``area`` (in the actor's
    areas), with its commitments."""
    _edit(actor, area.code)
    _ensure_visible(actor, partner)
    if not partner.is_active:
        raise MouProblem.PARTNER_INACTIVE.error()
    errors: dict[str, list[ValidationError]] = {}
    kind = _check_mou(data, partner=partner, document=document, errors=errors)
    _raise(errors)
    for item in commitments:
        _check_commitment(item)
    mou = Mou(partner=partner, area=area, **{**asdict(data), "number": data.number.strip()})
    mou.full_clean(exclude=["document"])
    _attach(mou, document, kind)
    mou.save()
    audit_record(
        actor=actor,
        action="mou.create",
        instance=mou,
        area_code=area.code,
        after=_mou_snapshot(mou),
    )
    _commitments_create(mou, commitments, actor)
    return mou


@transaction.atomic
def mou_update(
    *,
    mou: Mou,
    data: MouData,
    area: Area | None = None,
    document: UploadedFile | None = None,
    remove_document: bool = False,
    actor: Any,
) -> Mou:
    """Correct an MoU. A new end date starts its expiry alerts again."""
    _edit(actor, mou.area_id)
    if area is not None and area.code != mou.area_id:
        _edit(actor, area.code)
    errors: dict[str, list[ValidationError]] = {}
    kind = _check_mou(
        data, partner=mou.partner, document=document, exclude_pk=mou.pk, errors=errors
    )
    _raise(errors)
    before = _mou_snapshot(mou)
    for field, value in {**asdict(data), "number": data.number.strip()}.items():
        setattr(mou, field, value)
    if area is not None:
        mou.area = area
    mou.full_clean(exclude=["document", "renews"])
    if remove_document or document is not None:
        mou.document = ""  # the old file stays on disk (history)
    _attach(mou, document, kind)
    mou.save()
    if before["valid_until"] != mou.valid_until.isoformat():
        mou.alerts.all().delete()
    audit_record(
        actor=actor,
        action="mou.update",
        instance=mou,
        area_code=mou.area_id,
        before=before,
        after=_mou_snapshot(mou),
    )
    return mou


@transaction.atomic
def mou_renew(
    *,
    mou: Mou,
    data: MouData,
    copy_commitments: bool = True,
    commitments: Sequence[CommitmentData] = (),
    document: UploadedFile | None = None,
    actor: Any,
) -> Mou:
    """A new MoU that renews ``mou`` (same partner and area), ending later; the old one stays as
    it was. Its commitments are copied unless ``copy_commitments`` is False (then
    ``commitments`` are the new ones). An MoU is renewed once."""
    _edit(actor, mou.area_id)
    # Lock the old MoU: two officers renewing it at once must not both succeed.
    locked = Mou.objects.select_for_update().select_related("partner").get(pk=mou.pk)
    renewal = Mou.objects.filter(renews=locked).first()
    if renewal is not None:
        raise MouProblem.ALREADY_RENEWED.error(number=locked.number, renewal=renewal.number)
    if not locked.partner.is_active:
        raise MouProblem.PARTNER_INACTIVE.error()
    errors: dict[str, list[ValidationError]] = {}
    kind = _check_mou(data, partner=locked.partner, document=document, errors=errors)
    if data.valid_until <= locked.valid_until:
        errors.setdefault("valid_until", []).append(
            MouProblem.RENEWAL_NOT_LATER.error(until=locked.valid_until.strftime("%d-%m-%Y"))
        )
    _raise(errors)
    new_items = (
        [
            CommitmentData(description=c.description, measure=c.measure, target=c.target)
            for c in locked.commitments.order_by("id")
        ]
        if copy_commitments
        else list(commitments)
    )
    for item in new_items:
        _check_commitment(item)
    new = Mou(
        partner=locked.partner,
        area_id=locked.area_id,
        renews=locked,
        **{**asdict(data), "number": data.number.strip()},
    )
    new.full_clean(exclude=["document"])
    _attach(new, document, kind)
    new.save()
    audit_record(
        actor=actor,
        action="mou.renew",
        instance=new,
        area_code=new.area_id,
        after=_mou_snapshot(new),
    )
    _commitments_create(new, new_items, actor)
    return new


# -- Commitments ----------------------------------------------------------------------------------


@transaction.atomic
def commitment_add(*, mou: Mou, data: CommitmentData, actor: Any) -> Commitment:
    _edit(actor, mou.area_id)
    commitment = _check_commitment(data)
    commitment.mou = mou
    commitment.full_clean()
    commitment.save()
    audit_record(
        actor=actor, action="mou.commitment_add", instance=commitment, area_code=mou.area_id
    )
    return commitment


@transaction.atomic
def commitment_update(*, commitment: Commitment, data: CommitmentData, actor: Any) -> Commitment:
    area_code = commitment.mou.area_id
    _edit(actor, area_code)
    checked = _check_commitment(data)
    before = snapshot(commitment)
    commitment.description = checked.description
    commitment.measure = checked.measure
    commitment.target = checked.target
    commitment.full_clean()
    commitment.save()
    audit_record(
        actor=actor,
        action="mou.commitment_update",
        instance=commitment,
        area_code=area_code,
        before=before,
    )
    return commitment


@transaction.atomic
def commitment_remove(*, commitment: Commitment, actor: Any) -> None:
    area_code = commitment.mou.area_id
    _edit(actor, area_code)
    audit_record(
        actor=actor,
        action="mou.commitment_remove",
        instance=commitment,
        area_code=area_code,
        before=snapshot(commitment),
        after={},
    )
    commitment.delete()
