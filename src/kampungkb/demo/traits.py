"""What a synthetic person is like: marriage and birth timing, name, schooling, work, phone.

Each function draws from the generator's ``random.Random`` and from nothing else, so that the
population stays a pure function of the seed. The shares are plausible for rural Kalimantan and
Lombok (Susenas/SDKI orders of magnitude), not estimates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from kampungkb.demo import names
from kampungkb.families.models import Education, MaritalStatus, Sex, age_on

# Occupations as written on the family card (Dukcapil).
FARMER = "Petani/Pekebun"
FISHER = "Nelayan/Perikanan"
LABOURER = "Buruh Harian Lepas"
TRADER = "Pedagang"
CIVIL_SERVANT = "Pegawai Negeri Sipil"
HOMEMAKER = "Mengurus Rumah Tangga"
SELF_EMPLOYED = "Wiraswasta"
STUDENT = "Pelajar/Mahasiswa"
NOT_WORKING = "Belum/Tidak Bekerja"

_PHONE_PREFIXES = (
    "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0857", "0858", "0877", "0878",
    "0895", "0896", "0831", "0838", "0881",
)  # fmt: skip


@dataclass(frozen=True)
class Setting:
    """What differs between the two kabupaten of the demo."""

    kabupaten: str
    cultures: tuple[tuple[str, float], ...]
    # Share of women married before 19 (the legal minimum since UU 16/2019).
    early_marriage: float
    hajj: float
    male_work: tuple[tuple[str, float], ...]
    # Where people who moved in were first registered: culture -> (kecamatan code, place).
    origins: dict[str, tuple[tuple[str, str], ...]]


KUTAI_KARTANEGARA = Setting(
    kabupaten="64.02",
    cultures=(("kutai", 0.45), ("banjar", 0.25), ("bugis", 0.15), ("jawa", 0.15)),
    early_marriage=0.05,
    hajj=0.07,
    # Kota Bangun lies on the Mahakam and its lakes: many fishers.
    male_work=(
        (FARMER, 0.27),
        (FISHER, 0.24),
        (LABOURER, 0.17),
        (TRADER, 0.08),
        (SELF_EMPLOYED, 0.14),
        (CIVIL_SERVANT, 0.04),
        (NOT_WORKING, 0.06),
    ),
    origins={
        "kutai": (
            ("64.02.06", "Tenggarong"),
            ("64.02.01", "Muara Muntai"),
            ("64.02.09", "Kenohan"),
            ("64.02.19", "Kota Bangun Darat"),
            ("64.72.03", "Samarinda"),
        ),
        "banjar": (
            ("63.08.05", "Amuntai"),
            ("63.71.02", "Banjarmasin"),
            ("64.72.04", "Samarinda"),
        ),
        "bugis": (
            ("73.13.06", "Sengkang"),
            ("73.08.21", "Watampone"),
            ("64.72.02", "Samarinda"),
        ),
        "jawa": (
            ("35.07.13", "Malang"),
            ("33.10.24", "Klaten"),
            ("64.02.03", "Loa Janan"),
        ),
    },
)

LOMBOK_TIMUR = Setting(
    kabupaten="52.03",
    cultures=(("sasak", 1.0),),
    early_marriage=0.08,
    hajj=0.12,
    male_work=(
        (FARMER, 0.38),
        (FISHER, 0.02),
        (LABOURER, 0.27),
        (TRADER, 0.10),
        (SELF_EMPLOYED, 0.13),
        (CIVIL_SERVANT, 0.05),
        (NOT_WORKING, 0.05),
    ),
    origins={
        "sasak": (
            ("52.03.05", "Masbagik"),
            ("52.03.09", "Aikmel"),
            ("52.03.02", "Sakra"),
            ("52.03.12", "Pringgasela"),
            ("52.03.07", "Selong"),
            ("52.03.13", "Suralaga"),
            ("52.02.01", "Praya"),
            ("52.02.09", "Kopang"),
            ("52.71.02", "Mataram"),
        ),
    },
)

SETTINGS = {s.kabupaten: s for s in (KUTAI_KARTANEGARA, LOMBOK_TIMUR)}


def pick(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


# --- dates -------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day in [first, last]; ``first`` when the range is empty."""
    span = (last - first).days
    return first + dt.timedelta(days=rng.randint(0, span)) if span > 0 else first


def birth_for_age(rng: random.Random, age: int, today: dt.date) -> dt.date:
    """A birth date of someone aged exactly ``age`` today."""
    return between(rng, add_years(today, -age - 1) + dt.timedelta(days=1), add_years(today, -age))


def married_at(rng: random.Random, birth: dt.date, age: int, today: dt.date) -> dt.date:
    """A wedding day while the person was ``age`` (never after today)."""
    first = add_years(birth, age)
    return between(rng, first, min(add_years(birth, age + 1) - dt.timedelta(days=1), today))


def first_marriage_age(rng: random.Random, setting: Setting, *, at_most: int = 99) -> int:
    """A woman's age at first marriage: mostly 19-25, ``setting.early_marriage`` before 19.
    ``at_most`` (>= 14) limits it, for a woman who is that old now."""
    early = (14, 15, 16, 17, 18)
    early_weights = (1, 2, 4, 6, 8)
    if at_most < 19:
        n = max(1, at_most - 13)
        return rng.choices(early[:n], weights=early_weights[:n])[0]
    while True:
        if rng.random() < setting.early_marriage:
            age = rng.choices(early, weights=early_weights)[0]
        elif rng.random() < 0.82:
            age = rng.choices(range(19, 26), weights=(10, 13, 14, 13, 11, 9, 7))[0]
        else:
            age = rng.randint(26, 34)
        if age <= at_most:
            return age


def husband_gap(rng: random.Random) -> int:
    """How many years older the husband is: mostly 2-6."""
    r = rng.random()
    if r < 0.74:
        return rng.randint(2, 6)
    if r < 0.86:
        return rng.randint(0, 1)
    return rng.randint(7, 12)


def desired_children(rng: random.Random, birth_year: int) -> int:
    """Completed family size (0-5): older cohorts had more children (TFR ~5 in 1970, ~2.3 now)."""
    if birth_year < 1960:
        weights = (3, 5, 12, 20, 25, 35)
    elif birth_year < 1975:
        weights = (4, 8, 22, 30, 21, 15)
    else:
        weights = (5, 13, 36, 28, 12, 6)
    return rng.choices(range(6), weights=weights)[0]


def birth_gap_days(rng: random.Random) -> int:
    """Spacing between births: mostly 2-5 years, some closer, a few longer."""
    r = rng.random()
    if r < 0.16:
        months = rng.randint(13, 23)
    elif r < 0.88:
        months = rng.randint(24, 60)
    else:
        months = rng.randint(61, 96)
    return months * 30 + rng.randint(0, 29)


def birth_schedule(
    rng: random.Random,
    *,
    married_on: dt.date,
    mother_birth: dt.date,
    wanted: int,
    until: dt.date | None = None,
) -> list[dt.date]:
    """The births a marriage would bring, possibly beyond today (the caller cuts at today and
    reads the first future one as an ongoing pregnancy). ``until`` ends the marriage."""
    births: list[dt.date] = []
    day = married_on + dt.timedelta(days=rng.randint(300, 900))
    while len(births) < wanted:
        if age_on(mother_birth, day) > 44 or (until is not None and day > until):
            break
        births.append(day)
        day += dt.timedelta(days=birth_gap_days(rng))
    return births


# --- names ---------------------------------------------------------------------------------------


def full_name(
    rng: random.Random,
    *,
    culture: names.Culture,
    sex: str,
    birth_year: int,
    noble: bool,
    hajj: bool,
) -> str:
    male = sex == Sex.MALE
    modern_share = 0.0 if birth_year < 1982 else 0.35 if birth_year < 1990 else 0.85
    if rng.random() < modern_share:
        first = rng.choice(names.MODERN_MALE_FIRST if male else names.MODERN_FEMALE_FIRST)
        given = first
        if rng.random() < 0.8:
            second = rng.choice(names.MODERN_MALE_SECOND if male else names.MODERN_FEMALE_SECOND)
            if second != first:
                given = f"{first} {second}"
    else:
        given = rng.choice(culture.male if male else culture.female)
    parts = []
    if hajj:
        parts.append(names.HAJJ_MALE if male else names.HAJJ_FEMALE)
    if noble and culture.noble is not None:
        parts.append(culture.noble[0] if male else culture.noble[1])
    parts.append(given)
    return " ".join(parts)


# --- schooling, work, phone ----------------------------------------------------------------------

# Last schooling of adults by birth cohort (born up to the year given), then the youngest.
_COHORT_EDUCATION: tuple[tuple[int, tuple[tuple[str, float], ...]], ...] = (
    (
        1955,
        (
            (Education.NONE, 35),
            (Education.PRIMARY_INCOMPLETE, 30),
            (Education.PRIMARY, 25),
            (Education.JUNIOR_SECONDARY, 6),
            (Education.SENIOR_SECONDARY, 4),
        ),
    ),
    (
        1970,
        (
            (Education.NONE, 14),
            (Education.PRIMARY_INCOMPLETE, 20),
            (Education.PRIMARY, 36),
            (Education.JUNIOR_SECONDARY, 15),
            (Education.SENIOR_SECONDARY, 12),
            (Education.DIPLOMA_3, 1),
            (Education.BACHELOR, 2),
        ),
    ),
    (
        1985,
        (
            (Education.NONE, 5),
            (Education.PRIMARY_INCOMPLETE, 8),
            (Education.PRIMARY, 32),
            (Education.JUNIOR_SECONDARY, 24),
            (Education.SENIOR_SECONDARY, 25),
            (Education.DIPLOMA_1_2, 1),
            (Education.DIPLOMA_3, 2),
            (Education.BACHELOR, 3),
        ),
    ),
)
_YOUNG_ADULT_EDUCATION: tuple[tuple[str, float], ...] = (
    (Education.NONE, 1),
    (Education.PRIMARY_INCOMPLETE, 3),
    (Education.PRIMARY, 14),
    (Education.JUNIOR_SECONDARY, 24),
    (Education.SENIOR_SECONDARY, 45),
    (Education.DIPLOMA_3, 4),
    (Education.BACHELOR, 8),
    (Education.MASTER, 1),
)
_HIGHER = (Education.DIPLOMA_3, Education.BACHELOR, Education.MASTER, Education.DOCTORATE)


def education(rng: random.Random, *, birth: dt.date, today: dt.date) -> str:
    age = age_on(birth, today)
    if age < 7:
        return Education.NONE
    if age < 13:
        return Education.PRIMARY_INCOMPLETE
    if age < 16:
        return Education.PRIMARY
    if age < 19:
        return Education.PRIMARY if rng.random() < 0.15 else Education.JUNIOR_SECONDARY
    table = next((t for last, t in _COHORT_EDUCATION if birth.year <= last), None)
    schooling = pick(rng, table or _YOUNG_ADULT_EDUCATION)
    if age < 22 and schooling in _HIGHER:
        return Education.SENIOR_SECONDARY  # still studying
    return schooling


def occupation(
    rng: random.Random,
    *,
    setting: Setting,
    sex: str,
    age: int,
    marital_status: str,
    schooling: str,
) -> str:
    if age < 5:
        return NOT_WORKING
    if age < 16:
        return STUDENT
    if age < 19 and marital_status == MaritalStatus.SINGLE:
        return STUDENT if rng.random() < 0.8 else NOT_WORKING
    higher = schooling in _HIGHER
    if age < 25 and marital_status == MaritalStatus.SINGLE and rng.random() < 0.35:
        return STUDENT
    if age >= 65:
        if rng.random() < 0.55:
            return NOT_WORKING if sex == Sex.MALE else HOMEMAKER
        return FARMER
    if higher and rng.random() < 0.45:
        return CIVIL_SERVANT
    if sex == Sex.MALE:
        return pick(rng, setting.male_work)
    homemaker = 0.65 if marital_status == MaritalStatus.MARRIED else 0.25
    if rng.random() < homemaker:
        return HOMEMAKER
    return pick(
        rng,
        (
            (FARMER, 0.35),
            (TRADER, 0.3),
            (LABOURER, 0.15),
            (SELF_EMPLOYED, 0.15),
            (NOT_WORKING, 0.05),
        ),
    )


def phone(rng: random.Random, *, age: int) -> str:
    """A mobile number (08xx) for some adults; younger adults more often."""
    share = 0.6 if 17 <= age <= 45 else 0.35 if 46 <= age <= 64 else 0.1 if age >= 65 else 0.0
    if rng.random() >= share:
        return ""
    digits = rng.choice((7, 8))
    return rng.choice(_PHONE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(digits))
