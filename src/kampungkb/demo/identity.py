"""NIK and family card (KK) numbers for the synthetic population.

A NIK is the kecamatan of first registration, the birth date (day + 40 for women) and a serial;
a KK number is the issuing kecamatan, the issue date and a serial. Serials count up from 0001 per
region and date, as Dukcapil's do, skipping numbers already in the database, so every number is
valid (``validate_nik``) and unique.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kampungkb.families.validators import make_nik

MAX_SERIAL = 9999


class SerialsExhausted(Exception):
    """More than 9,999 numbers for one region and date: the population is far too large."""


class NumberBook:
    """Hands out 16-digit numbers ``prefix + serial``, never one that is taken."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)
        self._next: dict[str, int] = {}

    def take(self, prefix: str) -> str:
        serial = self._next.get(prefix, 1)
        while f"{prefix}{serial:04d}" in self._taken:
            serial += 1
        if serial > MAX_SERIAL:
            raise SerialsExhausted(prefix)
        number = f"{prefix}{serial:04d}"
        self._taken.add(number)
        self._next[prefix] = serial + 1
        return number


def region6(code: str) -> str:
    """``64.02.08`` (or a longer code under it) -> ``640208``."""
    return code[:8].replace(".", "")


class IdentityBook:
    def __init__(self, *, taken_niks: Iterable[str] = (), taken_kks: Iterable[str] = ()) -> None:
        self._niks = NumberBook(taken_niks)
        self._kks = NumberBook(taken_kks)

    def nik(self, *, kecamatan: str, birth_date: dt.date, sex: str) -> str:
        # make_nik with serial 0 gives the 12-digit prefix followed by "0000".
        return self._niks.take(make_nik(region6(kecamatan), birth_date, sex, 0)[:12])

    def kk(self, *, kecamatan: str, issued_on: dt.date) -> str:
        return self._kks.take(f"{region6(kecamatan)}{issued_on:%d%m%y}")
