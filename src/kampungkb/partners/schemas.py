"""Input and output schemas of the partners API. Dates are ISO strings. Contacts (named persons)
are only listed for roles that see named persons."""

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Schema

from kampungkb.partners.models import (
    Commitment,
    CommitmentMeasure,
    Mou,
    Partner,
    PartnerKind,
)
from kampungkb.partners.selectors import mou_status
from kampungkb.partners.services import CommitmentData, ContactData, MouData, PartnerData

# ---- partners -------------------------------------------------------------------------------


class PartnerFieldsIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: PartnerKind
    description: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    areas_served: list[str] = Field(default_factory=list, description="Area codes.")

    def to_data(self) -> PartnerData:
        return PartnerData(
            **self.model_dump(exclude={"areas_served", "area"}),
        )


class PartnerIn(PartnerFieldsIn):
    area: str = Field(description="Code of the area (office) that registers the partner.")


class PartnerUpdateIn(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: PartnerKind | None = None
    description: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    areas_served: list[str] | None = None

    def merged(self, partner: Partner) -> PartnerData:
        fields = ("name", "kind", "description", "address", "phone", "email", "website")
        sent = self.model_dump(exclude_unset=True)
        return PartnerData(
            **{f: sent[f] if sent.get(f) is not None else getattr(partner, f) for f in fields}
        )


class AreaOut(Schema):
    code: str
    name: str


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    description: str
    address: str
    phone: str
    email: str
    website: str
    area: AreaOut
    areas_served: list[AreaOut]
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Partner) -> str:
        return str(PartnerKind(obj.kind).label)

    @staticmethod
    def resolve_areas_served(obj: Partner) -> list[Any]:
        return list(obj.areas_served.all())


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    position: str = ""
    phone: str = ""
    email: str = ""

    def to_data(self) -> ContactData:
        return ContactData(**self.model_dump())


class ContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str
    email: str


# ---- MoUs -----------------------------------------------------------------------------------


class CommitmentIn(Schema):
    description: str = Field(min_length=1, max_length=255)
    measure: CommitmentMeasure
    target: int = Field(ge=0)

    def to_data(self) -> CommitmentData:
        return CommitmentData(**self.model_dump())


class CommitmentOut(Schema):
    id: int
    description: str
    measure: str
    target: int

    @staticmethod
    def resolve_measure(obj: Commitment) -> str:
        return str(obj.measure)


class MouFieldsIn(Schema):
    number: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=255)
    parties: str = Field(min_length=1)
    signed_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    scope: str = ""

    def to_data(self) -> MouData:
        fields = ("number", "title", "parties", "signed_on", "valid_from", "valid_until", "scope")
        return MouData(**{f: getattr(self, f) for f in fields})


class MouIn(MouFieldsIn):
    area: str = Field(description="Code of the area the MoU covers.")
    commitments: list[CommitmentIn] = Field(default_factory=list)


class MouUpdateIn(MouFieldsIn):
    area: str | None = Field(None, description="A new area code; unchanged when left out.")


class MouRenewIn(MouFieldsIn):
    copy_commitments: bool = Field(True, description="Copy the old MoU's commitments.")
    commitments: list[CommitmentIn] = Field(
        default_factory=list, description="The new commitments when not copied."
    )


class MouListOut(Schema):
    id: int
    partner_id: int
    partner_name: str
    area: AreaOut
    number: str
    title: str
    parties: str
    signed_on: dt.date
    valid_from: dt.date
    valid_until: dt.date
    scope: str
    status: str
    has_document: bool
    renews_id: int | None

    @staticmethod
    def resolve_partner_name(obj: Mou) -> str:
        return obj.partner.name

    @staticmethod
    def resolve_has_document(obj: Mou) -> bool:
        return bool(obj.document)

    @staticmethod
    def resolve_status(obj: Mou) -> str:
        return mou_status(obj, timezone.localdate())


class MouOut(MouListOut):
    renewed_by_id: int | None
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_renewed_by_id(obj: Mou) -> int | None:
        renewal = Mou.objects.filter(renews=obj).values_list("pk", flat=True).first()
        return renewal

    @staticmethod
    def resolve_commitments(obj: Mou) -> list[Any]:
        return list(obj.commitments.all())


class MouAlertOut(Schema):
    mou_id: int
    number: str
    partner_id: int
    partner_name: str
    valid_until: dt.date
    band: str = Field(description='"60", "30" or "expired".')
    days_left: int
