"""Brides-to-be (calon pengantin, catin): what the screening before the wedding finds and what to
advise, pure code (DOMAIN.md section 5, issue 8, decision 0037).

- **Age at the wedding**: below 19 for either is below the legal minimum (UU 16/2019, which needs a
  court dispensation); below 21 for the bride or 25 for the groom is below the programme's ideal
  ages (Pendewasaan Usia Perkawinan).
- **Registration** at least 3 months before the wedding, so that the screening and its advice come
  in time (Elsimil).
- **Screening**: upper-arm circumference (LiLA) under 23.5 cm is chronic energy deficiency (KEK);
  haemoglobin under the threshold (a setting, default 11 g/dL) is anaemia; a body-mass index under
  18.5 is thin; smoking. Each finding comes with plain advice; delaying the first pregnancy is
  advised while KEK or anaemia last.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kampungkb.core.periods import add_months

LEGAL_MIN_AGE = 19  # UU 16/2019, for both
IDEAL_BRIDE_AGE = 21
IDEAL_GROOM_AGE = 25
REGISTER_MONTHS_AHEAD = 3
LILA_RISK_CM = Decimal("23.5")
THIN_BMI = Decimal("18.5")


class Finding(models.TextChoices):
    BRIDE_UNDER_LEGAL_AGE = (
        "bride_under_19",
        _("Bride under 19 at the wedding (below the legal age)"),
    )
    GROOM_UNDER_LEGAL_AGE = (
        "groom_under_19",
        _("Groom under 19 at the wedding (below the legal age)"),
    )
    BRIDE_UNDER_IDEAL_AGE = "bride_under_21", _("Bride under 21 at the wedding")
    GROOM_UNDER_IDEAL_AGE = "groom_under_25", _("Groom under 25 at the wedding")
    LATE_REGISTRATION = "late_registration", _("Registered less than 3 months before the wedding")
    LOW_LILA = "low_lila", _("Upper-arm circumference under 23.5 cm (chronic energy deficiency)")
    ANAEMIA = "anaemia", _("Haemoglobin below the threshold (anaemia)")
    THIN = "thin", _("Body-mass index under 18.5 (thin)")
    SMOKING = "smoking", _("Smokes")


ADVICE: dict[Finding, Promise] = {
    Finding.BRIDE_UNDER_LEGAL_AGE: _(
        "A marriage below 19 breaks UU 16/2019: talk with the family about waiting; the KUA "
        "and the religious court decide on any dispensation."
    ),
    Finding.GROOM_UNDER_LEGAL_AGE: _(
        "A marriage below 19 breaks UU 16/2019: talk with the family about waiting; the KUA "
        "and the religious court decide on any dispensation."
    ),
    Finding.BRIDE_UNDER_IDEAL_AGE: _(
        "Advise delaying the first pregnancy until 21 or later, with a contraceptive method."
    ),
    Finding.GROOM_UNDER_IDEAL_AGE: _(
        "Counsel the couple on planning the family and delaying the first child."
    ),
    Finding.LATE_REGISTRATION: _("Screen her now, and accompany her closely after the wedding."),
    Finding.LOW_LILA: _(
        "Delay pregnancy until the upper-arm circumference reaches 23.5 cm: extra meals rich in "
        "protein, a check at the puskesmas."
    ),
    Finding.ANAEMIA: _(
        "Delay pregnancy until the haemoglobin is normal: iron tablets (tablet tambah darah) and a "
        "check at the puskesmas."
    ),
    Finding.THIN: _("Gain weight before pregnancy: balanced meals, a check at the puskesmas."),
    Finding.SMOKING: _(
        "Stop smoking, and keep the home free of smoke before and during pregnancy."
    ),
}

# Findings that call for delaying the first pregnancy.
DELAY_PREGNANCY: frozenset[Finding] = frozenset(
    {
        Finding.BRIDE_UNDER_LEGAL_AGE,
        Finding.BRIDE_UNDER_IDEAL_AGE,
        Finding.LOW_LILA,
        Finding.ANAEMIA,
    }
)


def age_on(born: dt.date, on: dt.date) -> int:
    """Completed years on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def marriage_findings(
    *, bride_born: dt.date, groom_born: dt.date | None, wedding_on: dt.date
) -> list[Finding]:
    """What the ages at the wedding tell: below the legal minimum, else below the ideal age."""
    found = []
    bride = age_on(bride_born, wedding_on)
    if bride < LEGAL_MIN_AGE:
        found.append(Finding.BRIDE_UNDER_LEGAL_AGE)
    elif bride < IDEAL_BRIDE_AGE:
        found.append(Finding.BRIDE_UNDER_IDEAL_AGE)
    if groom_born is not None:
        groom = age_on(groom_born, wedding_on)
        if groom < LEGAL_MIN_AGE:
            found.append(Finding.GROOM_UNDER_LEGAL_AGE)
        elif groom < IDEAL_GROOM_AGE:
            found.append(Finding.GROOM_UNDER_IDEAL_AGE)
    return found


def registered_late(registered_on: dt.date, wedding_on: dt.date) -> bool:
    return add_months(registered_on, REGISTER_MONTHS_AHEAD) > wedding_on


def bmi(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """The body-mass index, to one decimal."""
    metres = height_cm / 100
    return (weight_kg / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def screening_findings(
    *,
    weight_kg: Decimal,
    height_cm: Decimal,
    lila_cm: Decimal,
    hb_g_dl: Decimal | None,
    smokes: bool,
    hb_threshold: Decimal,
) -> list[Finding]:
    """What one screening finds (haemoglobin may not be measured yet)."""
    found = []
    if lila_cm < LILA_RISK_CM:
        found.append(Finding.LOW_LILA)
    if hb_g_dl is not None and hb_g_dl < hb_threshold:
        found.append(Finding.ANAEMIA)
    if bmi(weight_kg, height_cm) < THIN_BMI:
        found.append(Finding.THIN)
    if smokes:
        found.append(Finding.SMOKING)
    return found
