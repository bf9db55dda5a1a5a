"""Validation of identity numbers: NIK (16 digits) and family card (KK) numbers.

NIK = PPKKCC (kecamatan of first registration) + DDMMYY birth date (day + 40 for women) + serial
(never 0000). The year has two digits; the century comes from the recorded birth date.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from lokal import wilayah
from lokal.provinces import PROVINCES

from kampungkb.families.errors import FamilyProblem
from kampungkb.families.models import Sex

_SIXTEEN = re.compile(r"[0-9]{16}")
_SEPARATORS = re.compile(r"[\s.\-]")


def clean_number(value: str | None) -> str | None:
    """Digits only, separators removed; None for an empty value (a record without a number)."""
    if value is None:
        return None
    value = _SEPARATORS.sub("", str(value))
    return value or None


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def nik_region_code(nik: str) -> str:
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def nik_sex(nik: str) -> str:
    return Sex.FEMALE if int(nik[6:8]) > 40 else Sex.MALE


def nik_birth_dates(nik: str) -> list[dt.date]:
    """The birth dates a NIK can stand for (one per century that makes it a real date)."""
    # Women have 40 added to the day: 41-71. Subtract, not modulo: day 81 is no one's birthday.
    day = int(nik[6:8]) - 40 if int(nik[6:8]) > 40 else int(nik[6:8])
    month, yy = int(nik[8:10]), int(nik[10:12])
    dates = (_real_date(century + yy, month, day) for century in (1900, 2000))
    return [d for d in dates if d is not None]


def validate_nik(nik: str, *, birth_date: dt.date | None = None, sex: str | None = None) -> None:
    """Raise ValidationError (code ``family.nik_*``) when the NIK cannot belong to this person."""
    if not _SIXTEEN.fullmatch(nik):
        raise FamilyProblem.NIK_FORMAT.error()
    region = nik_region_code(nik)
    if nik[:2] not in PROVINCES or wilayah.wilayah_name(region) is None:
        raise FamilyProblem.NIK_REGION.error(region=region)
    if nik[12:] == "0000":
        raise FamilyProblem.NIK_SERIAL.error()
    candidates = nik_birth_dates(nik)
    if not candidates:
        raise FamilyProblem.NIK_DATE.error()
    if birth_date is not None and birth_date not in candidates:
        raise FamilyProblem.NIK_BIRTH_DATE_MISMATCH.error(
            nik_date=f"{nik[6:8]}-{nik[8:10]}-{nik[10:12]}", birth_date=birth_date.isoformat()
        )
    if sex is not None and nik_sex(nik) != sex:
        raise FamilyProblem.NIK_SEX_MISMATCH.error(
            nik_sex=Sex(nik_sex(nik)).label, sex=Sex(sex).label if sex in Sex.values else sex
        )


def validate_kk(kk: str) -> None:
    if not _SIXTEEN.fullmatch(kk):
        raise FamilyProblem.KK_FORMAT.error()
    if kk[:2] not in PROVINCES:
        raise FamilyProblem.KK_REGION.error(province=kk[:2])


def validate_birth_date(birth_date: dt.date, *, today: dt.date) -> None:
    if birth_date > today:
        raise FamilyProblem.BIRTH_IN_FUTURE.error()
    if birth_date.year < 1900:
        raise FamilyProblem.BIRTH_TOO_EARLY.error()


def make_nik(region6: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """Compose a NIK (used by the demo seed and tests)."""
    day = birth_date.day + (40 if sex == Sex.FEMALE else 0)
    return f"{region6}{day:02d}{birth_date:%m%y}{serial:04d}"


__all__ = [
    "ValidationError",
    "clean_number",
    "make_nik",
    "nik_birth_dates",
    "validate_birth_date",
    "validate_kk",
    "validate_nik",
]
