"""Partners and MoUs for tests, written through the services as the system (``actor=None``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kampungkb.partners import services
from kampungkb.partners.models import CommitmentMeasure, Mou, Partner, PartnerKind
from kampungkb.partners.services import CommitmentData, MouData, PartnerData
from kampungkb.regions.models import Area
from kampungkb.testing.world import KAB

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_partner(
    name: str = "Rumah Kreatif BUMN",
    *,
    area: str = KAB,
    served: Sequence[str] = (),
    kind: str = PartnerKind.STATE_COMPANY,
) -> Partner:
    return services.partner_create(
        area=Area.objects.get(code=area),
        data=PartnerData(name=name, kind=kind),
        areas_served=list(Area.objects.filter(code__in=served)),
        actor=None,
    )


def mou_data(
    number: str = "001/MoU/2025",
    *,
    signed_on: dt.date = dt.date(2025, 1, 2),
    valid_from: dt.date = dt.date(2025, 1, 1),
    valid_until: dt.date = dt.date(2025, 12, 31),
) -> MouData:
    return MouData(
        number=number,
        title="Pelatihan kelompok UPPKA",
        parties="DPPKB Kutai Kartanegara; Rumah Kreatif BUMN",
        signed_on=signed_on,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def make_mou(
    partner: Partner,
    number: str = "001/MoU/2025",
    *,
    area: str = KAB,
    valid_from: dt.date = dt.date(2025, 1, 1),
    valid_until: dt.date = dt.date(2025, 12, 31),
    signed_on: dt.date | None = None,
    commitments: Sequence[tuple[str, int]] = (),
) -> Mou:
    return services.mou_create(
        partner=partner,
        area=Area.objects.get(code=area),
        data=mou_data(
            number,
            signed_on=signed_on or min(valid_from, dt.date(2025, 1, 2)),
            valid_from=valid_from,
            valid_until=valid_until,
        ),
        commitments=[
            CommitmentData(description=f"{measure} target", measure=measure, target=target)
            for measure, target in commitments
        ],
        actor=None,
    )


ALL_MEASURES = (
    (CommitmentMeasure.ACTIVITIES, 4),
    (CommitmentMeasure.PEOPLE_REACHED, 40),
    (CommitmentMeasure.VALUE, 10_000_000),
    (CommitmentMeasure.VILLAGES, 3),
)
