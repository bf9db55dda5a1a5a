"""Reads of brides-to-be (decision 0037): the list of an area with each bride's findings and
status (a cancelled registration has its own status and is not to accompany, decision 0040), one
bride, and the early-marriage alerts (planned weddings and marriages recorded in the
register below the legal or the ideal ages). Names are shown: the caller's ``VIEW_PERSONS`` in
the area is checked here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from kampungkb.accounts.scope import Capability, area_or_404, get_scoped_or_404, scoped
from kampungkb.core.periods import add_months
from kampungkb.families.models import Couple, Pregnancy
from kampungkb.regions.selectors import subtree_q
from kampungkb.stunting.brides import (
    ADVICE,
    DELAY_PREGNANCY,
    Finding,
    bmi,
    marriage_findings,
    registered_late,
    screening_findings,
)
from kampungkb.stunting.models import BrideScreening, BrideToBe
from kampungkb.stunting.selectors import check_village_or_below

NAMED = Capability.VIEW_PERSONS
ALERT_MONTHS = 12
AGE_FINDINGS = frozenset(
    {
        Finding.BRIDE_UNDER_LEGAL_AGE,
        Finding.GROOM_UNDER_LEGAL_AGE,
        Finding.BRIDE_UNDER_IDEAL_AGE,
        Finding.GROOM_UNDER_IDEAL_AGE,
    }
)


class BrideStatus(models.TextChoices):
    PLANNED = "planned", _("Wedding planned")
    WEDDING_PASSED = "passed", _("Wedding date passed, not recorded")
    MARRIED = "married", _("Married, accompanied until the first pregnancy")
    PREGNANT = "pregnant", _("Pregnant: accompaniment as a pregnant mother")
    CANCELLED = "cancelled", _("Registration cancelled: no wedding")


class BrideFilter(models.TextChoices):
    """The statuses the list can be filtered on (without one: the brides to accompany)."""

    PLANNED = BrideStatus.PLANNED.value, BrideStatus.PLANNED.label
    WEDDING_PASSED = BrideStatus.WEDDING_PASSED.value, BrideStatus.WEDDING_PASSED.label
    MARRIED = BrideStatus.MARRIED.value, BrideStatus.MARRIED.label
    CANCELLED = BrideStatus.CANCELLED.value, BrideStatus.CANCELLED.label


# Still to accompany: not pregnant yet (the mothers' lists take over) and not cancelled.
TO_ACCOMPANY = frozenset({BrideStatus.PLANNED, BrideStatus.WEDDING_PASSED, BrideStatus.MARRIED})


def hb_threshold() -> Decimal:
    return Decimal(str(settings.KAMPUNGKB_CATIN_HB_THRESHOLD))


@dataclass(frozen=True)
class BrideRow:
    bride: BrideToBe
    latest: BrideScreening | None
    findings: list[Finding]
    status: BrideStatus

    @property
    def explained(self) -> list[tuple[str, str]]:
        """Each finding with its advice."""
        return [(str(f.label), str(ADVICE[f])) for f in self.findings]

    @property
    def delay_pregnancy(self) -> bool:
        return any(f in DELAY_PREGNANCY for f in self.findings)

    @property
    def bmi(self) -> Decimal | None:
        s = self.latest
        return None if s is None else bmi(s.weight_kg, s.height_cm)


def findings_of(bride: BrideToBe, latest: BrideScreening | None) -> list[Finding]:
    found = marriage_findings(
        bride_born=bride.birth_date, groom_born=bride.groom_birth_date, wedding_on=bride.wedding_on
    )
    if registered_late(bride.registered_on, bride.wedding_on):
        found.append(Finding.LATE_REGISTRATION)
    if latest is not None:
        found += screening_findings(
            weight_kg=latest.weight_kg,
            height_cm=latest.height_cm,
            lila_cm=latest.lila_cm,
            hb_g_dl=latest.hb_g_dl,
            smokes=latest.smokes,
            hb_threshold=hb_threshold(),
        )
    return found


def cancelled_by(bride: BrideToBe, on: dt.date) -> bool:
    return bride.cancelled_on is not None and bride.cancelled_on <= on


def not_cancelled_q(on: dt.date, prefix: str = "") -> Q:
    """Brides whose registration is not cancelled on ``on`` (``prefix``: the path to the bride)."""
    return Q(**{f"{prefix}cancelled_on__isnull": True}) | Q(**{f"{prefix}cancelled_on__gt": on})


def _status(bride: BrideToBe, on: dt.date, pregnant: bool) -> BrideStatus:
    if cancelled_by(bride, on):
        return BrideStatus.CANCELLED
    if bride.married_on is None:
        return BrideStatus.PLANNED if bride.wedding_on >= on else BrideStatus.WEDDING_PASSED
    return BrideStatus.PREGNANT if pregnant else BrideStatus.MARRIED


def _rows(brides: models.QuerySet[BrideToBe], on: dt.date) -> list[BrideRow]:
    pregnancies = Pregnancy.objects.filter(
        couple_id=OuterRef("couple_id"), recorded_on__gte=OuterRef("married_on")
    )
    rows = []
    for bride in brides.annotate(pregnant=Exists(pregnancies)).prefetch_related(
        Prefetch("screenings", queryset=BrideScreening.objects.order_by("-screened_on", "-pk"))
    ):
        screenings = list(bride.screenings.all())
        latest = screenings[0] if screenings else None
        rows.append(
            BrideRow(
                bride,
                latest,
                findings_of(bride, latest),
                _status(bride, on, bool(bride.pregnant)),
            )
        )
    return rows


def bride_rows(*, user: Any, area_code: str, on: dt.date) -> list[BrideRow]:
    """The brides-to-be of an area (a village or below) on ``on`` but the pregnant ones (the
    mothers' lists follow them), cancelled registrations included, the nearest wedding first; two
    queries."""
    area = check_village_or_below(area_or_404(user, area_code, NAMED))
    brides = BrideToBe.objects.filter(subtree_q("area_id", [area.code])).order_by(
        "wedding_on", "full_name"
    )
    return [r for r in _rows(brides, on) if r.status != BrideStatus.PREGNANT]


def with_status(rows: list[BrideRow], status: BrideFilter | None) -> list[BrideRow]:
    """The rows of one status; without one, those to accompany."""
    if status is None:
        return [r for r in rows if r.status in TO_ACCOMPANY]
    return [r for r in rows if r.status == status]


def status_counts(rows: list[BrideRow]) -> list[tuple[BrideFilter | None, int]]:
    """The list's tabs: those to accompany, then each status, with how many."""
    return [(None, len(with_status(rows, None)))] + [
        (status, len(with_status(rows, status))) for status in BrideFilter
    ]


def bride_list(
    *, user: Any, area_code: str, on: dt.date, status: BrideFilter | None = None
) -> list[BrideRow]:
    """The brides-to-be of an area (a village or below) still accompanied on ``on`` (not yet
    pregnant, not cancelled), or those of one status; the nearest wedding first; two queries."""
    return with_status(bride_rows(user=user, area_code=area_code, on=on), status)


def bride_get(*, user: Any, pk: int, on: dt.date) -> BrideRow:
    bride = get_scoped_or_404(user, BrideToBe.objects.all(), NAMED, pk=pk)
    return _rows(BrideToBe.objects.filter(pk=bride.pk), on)[0]


@dataclass(frozen=True)
class EarlyMarriage:
    name: str
    partner: str
    on: dt.date  # the wedding (planned or recorded)
    planned: bool
    findings: list[Finding]
    bride: BrideToBe | None = None
    couple: Couple | None = None

    @property
    def below_legal_age(self) -> bool:
        return any(
            f in (Finding.BRIDE_UNDER_LEGAL_AGE, Finding.GROOM_UNDER_LEGAL_AGE)
            for f in self.findings
        )


def early_marriages(*, user: Any, area_code: str, on: dt.date) -> list[EarlyMarriage]:
    """Weddings below the legal (19) or the ideal ages (21 for women, 25 for men) in an area the
    user sees persons in: the brides-to-be not yet married whose wedding is ahead or in the last 12
    months (a cancelled registration is no planned wedding), and the marriages recorded in the
    register in the last 12 months; those below the legal age first. Three queries."""
    area = area_or_404(user, area_code, NAMED)
    since = add_months(on, -ALERT_MONTHS)
    alerts: list[EarlyMarriage] = []
    for bride in scoped(user, BrideToBe.objects.all(), NAMED).filter(
        not_cancelled_q(on),
        subtree_q("area_id", [area.code]),
        married_on__isnull=True,
        wedding_on__gte=since,
    ):
        found = [
            f
            for f in marriage_findings(
                bride_born=bride.birth_date,
                groom_born=bride.groom_birth_date,
                wedding_on=bride.wedding_on,
            )
            if f in AGE_FINDINGS
        ]
        if found:
            alerts.append(
                EarlyMarriage(
                    bride.full_name, bride.groom_name, bride.wedding_on, True, found, bride
                )
            )
    for couple in Couple.objects.filter(
        subtree_q("wife__family__area_id", [area.code]),
        married_on__gte=since,
        married_on__lte=on,
    ).select_related("wife", "husband"):
        assert couple.married_on is not None  # noqa: S101 - filtered on
        found = marriage_findings(
            bride_born=couple.wife.birth_date,
            groom_born=couple.husband.birth_date if couple.husband else None,
            wedding_on=couple.married_on,
        )
        if found:
            alerts.append(
                EarlyMarriage(
                    couple.wife.full_name,
                    couple.husband.full_name if couple.husband else "",
                    couple.married_on,
                    False,
                    found,
                    couple=couple,
                )
            )
    return sorted(alerts, key=lambda a: (not a.below_legal_age, a.on, a.name))
