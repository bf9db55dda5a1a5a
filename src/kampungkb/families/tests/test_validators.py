"""Identity numbers: NIK and family card (KK) numbers, and birth dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lokal import wilayah

from kampungkb.families.models import Sex
from kampungkb.families.validators import (
    clean_number,
    make_nik,
    nik_birth_dates,
    nik_region_code,
    nik_sex,
    validate_birth_date,
    validate_kk,
    validate_nik,
)

PROPERTY = settings(max_examples=300, deadline=None, database=None)

KECAMATAN = sorted(code.replace(".", "") for code in wilayah._base() if code.count(".") == 2)
KNOWN = frozenset(KECAMATAN)
TODAY = timezone.localdate()

regions = st.sampled_from(KECAMATAN)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from([Sex.MALE, Sex.FEMALE])
serials = st.integers(min_value=1, max_value=9999)


def code_of(call, *args, **kwargs) -> str | None:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    (error,) = info.value.error_list
    return error.code


# make_nik / validate_nik: properties over real kecamatan, dates, sexes and serials.


def test_kecamatan_sample_is_the_national_list():
    assert len(KECAMATAN) == 7285
    assert "640208" in KNOWN and "520313" in KNOWN


@PROPERTY
@given(regions, birth_dates, sexes, serials)
def test_make_nik_is_valid_for_its_birth_date_and_sex(region, born, sex, serial):
    nik = make_nik(region, born, sex, serial)
    assert len(nik) == 16 and nik.isdigit()
    assert nik[:6] == region
    assert nik[12:] == f"{serial:04d}"
    validate_nik(nik, birth_date=born, sex=sex)
    validate_nik(nik)
    assert nik_sex(nik) == sex
    assert born in nik_birth_dates(nik)


@PROPERTY
@given(regions, birth_dates, sexes, serials)
def test_women_have_forty_added_to_the_day(region, born, sex, serial):
    day = int(make_nik(region, born, sex, serial)[6:8])
    assert day == born.day + (40 if sex == Sex.FEMALE else 0)


@PROPERTY
@given(regions, birth_dates, sexes, serials)
def test_a_valid_nik_is_the_nik_of_each_date_it_stands_for(region, born, sex, serial):
    nik = make_nik(region, born, sex, serial)
    for date in nik_birth_dates(nik):
        assert make_nik(region, date, nik_sex(nik), serial) == nik


@PROPERTY
@given(regions, st.from_regex(r"[0-9]{10}", fullmatch=True))
def test_any_accepted_nik_round_trips_through_make_nik(region, rest):
    nik = region + rest
    try:
        validate_nik(nik)
    except ValidationError:
        return
    dates = nik_birth_dates(nik)
    assert dates
    for date in dates:
        assert make_nik(nik[:6], date, nik_sex(nik), int(nik[12:])) == nik


@PROPERTY
@given(regions, birth_dates, sexes, serials)
def test_the_other_sex_is_refused(region, born, sex, serial):
    nik = make_nik(region, born, sex, serial)
    other = Sex.MALE if sex == Sex.FEMALE else Sex.FEMALE
    assert code_of(validate_nik, nik, birth_date=born, sex=other) == "family.nik_sex_mismatch"


@PROPERTY
@given(regions, birth_dates, birth_dates, sexes, serials)
def test_another_birth_date_is_refused(region, born, other, sex, serial):
    # The same day and month with the same two-digit year a century apart is the same NIK.
    assume((other.day, other.month, other.year % 100) != (born.day, born.month, born.year % 100))
    nik = make_nik(region, born, sex, serial)
    assert code_of(validate_nik, nik, birth_date=other, sex=sex) == "family.nik_birth_date_mismatch"


@PROPERTY
@given(regions, birth_dates, sexes)
def test_serial_0000_is_refused(region, born, sex):
    nik = make_nik(region, born, sex, 0)
    assert nik.endswith("0000")
    assert code_of(validate_nik, nik, birth_date=born, sex=sex) == "family.nik_serial"


@PROPERTY
@given(st.from_regex(r"[0-9]{6}", fullmatch=True), birth_dates, sexes, serials)
def test_an_unknown_region_is_refused(region, born, sex, serial):
    assume(region not in KNOWN)
    nik = make_nik(region, born, sex, serial)
    assert code_of(validate_nik, nik, birth_date=born, sex=sex) == "family.nik_region"


@PROPERTY
@given(
    regions,
    birth_dates,
    sexes,
    serials,
    st.integers(min_value=0, max_value=15),
    st.characters(exclude_characters="0123456789", exclude_categories=["Cs"]),
)
def test_a_non_digit_is_refused(region, born, sex, serial, position, char):
    nik = make_nik(region, born, sex, serial)
    bad = nik[:position] + char + nik[position + 1 :]
    assert code_of(validate_nik, bad, birth_date=born, sex=sex) == "family.nik_format"


@pytest.mark.parametrize("value", ["", "640208120388000", "64020812038800011", "6402081203880001 "])
def test_a_nik_of_the_wrong_length_is_refused(value):
    assert code_of(validate_nik, value) == "family.nik_format"


@pytest.mark.parametrize("zero", [0xFF10, 0x0660, 0x0966])  # fullwidth, Arabic-Indic, Devanagari
def test_non_ascii_digits_are_refused(zero):
    value = "6402081203880001".translate({ord(str(d)): zero + d for d in range(10)})
    assert value.isdigit() and not value.isascii()
    assert code_of(validate_nik, value) == "family.nik_format"


# The century comes from the recorded birth date.


def test_the_century_is_resolved_from_the_recorded_birth_date():
    old = make_nik("640208", dt.date(1905, 3, 4), Sex.MALE, 7)
    young = make_nik("640208", dt.date(2005, 3, 4), Sex.MALE, 7)
    assert old == young == "6402080403050007"
    assert nik_birth_dates(old) == [dt.date(1905, 3, 4), dt.date(2005, 3, 4)]
    validate_nik(old, birth_date=dt.date(1905, 3, 4), sex=Sex.MALE)
    validate_nik(old, birth_date=dt.date(2005, 3, 4), sex=Sex.MALE)
    code = code_of(validate_nik, old, birth_date=dt.date(1906, 3, 4), sex=Sex.MALE)
    assert code == "family.nik_birth_date_mismatch"


def test_birth_date_mismatch_message_shows_both_dates():
    nik = make_nik("640208", dt.date(1988, 3, 12), Sex.MALE, 1)
    with pytest.raises(ValidationError) as info:
        validate_nik(nik, birth_date=dt.date(1988, 3, 13))
    from django.utils import translation

    with translation.override("en"):
        assert info.value.messages == [
            "The birth date in the NIK (12-03-88) does not match the birth date 1988-03-13."
        ]


def test_sex_mismatch_message_names_both_sexes():
    nik = make_nik("640208", dt.date(1988, 3, 12), Sex.MALE, 1)
    with pytest.raises(ValidationError) as info:
        validate_nik(nik, sex=Sex.FEMALE)
    from django.utils import translation

    with translation.override("en"):
        assert info.value.messages == [
            "The NIK says Male but the record says Female "
            "(for women, 40 is added to the day of birth)."
        ]


# 29 February.


def test_feb_29_of_a_leap_year_in_both_centuries():
    nik = make_nik("640208", dt.date(2004, 2, 29), Sex.FEMALE, 9)
    assert nik == "6402086902040009"
    assert nik_birth_dates(nik) == [dt.date(1904, 2, 29), dt.date(2004, 2, 29)]
    validate_nik(nik, birth_date=dt.date(1904, 2, 29), sex=Sex.FEMALE)
    validate_nik(nik, birth_date=dt.date(2004, 2, 29), sex=Sex.FEMALE)


def test_feb_29_2000_has_one_century_since_1900_was_not_a_leap_year():
    nik = make_nik("640208", dt.date(2000, 2, 29), Sex.MALE, 9)
    assert nik == "6402082902000009"
    assert nik_birth_dates(nik) == [dt.date(2000, 2, 29)]
    validate_nik(nik, birth_date=dt.date(2000, 2, 29), sex=Sex.MALE)


@pytest.mark.parametrize("day", ["29", "69"])
def test_feb_29_of_a_common_year_is_not_a_date(day):
    assert code_of(validate_nik, f"640208{day}02010009") == "family.nik_date"


@pytest.mark.parametrize(
    "date_part",
    [
        "000190",  # day 0
        "320190",  # day 32
        "400190",  # day 40: neither a man's day nor a woman's
        "720190",  # day 72 = 32 + 40
        "800190",  # day 80
        "810190",  # day 81: not 41 + 40
        "990190",  # day 99
        "120090",  # month 0
        "121390",  # month 13
        "310490",  # 31 April
        "710490",  # 31 April for a woman
    ],
)
def test_an_impossible_date_is_refused(date_part):
    assert code_of(validate_nik, f"640208{date_part}0001") == "family.nik_date"


@pytest.mark.parametrize(
    ("day", "sex"), [("01", Sex.MALE), ("31", Sex.MALE), ("41", Sex.FEMALE), ("71", Sex.FEMALE)]
)
def test_day_boundaries(day, sex):
    nik = f"640208{day}01900001"
    validate_nik(nik, sex=sex)
    assert nik_sex(nik) == sex


def test_check_order_format_region_serial_date():
    assert code_of(validate_nik, "99020800000000") == "family.nik_format"
    assert code_of(validate_nik, "9902080000000000") == "family.nik_region"
    assert code_of(validate_nik, "6402080000000000") == "family.nik_serial"
    assert code_of(validate_nik, "6402080000000001") == "family.nik_date"


def test_unknown_region_message_names_the_code():
    with pytest.raises(ValidationError) as info:
        validate_nik("6402990101900001")
    from django.utils import translation

    with translation.override("id"):
        assert "64.02.99" in info.value.messages[0]
    assert nik_region_code("6402990101900001") == "64.02.99"


def test_a_province_or_kabupaten_code_is_not_a_kecamatan():
    assert code_of(validate_nik, "6400000101900001") == "family.nik_region"
    assert code_of(validate_nik, "6402000101900001") == "family.nik_region"


def test_an_unknown_sex_value_is_a_mismatch_not_a_crash():
    nik = make_nik("640208", dt.date(1988, 3, 12), Sex.MALE, 1)
    assert code_of(validate_nik, nik, sex="X") == "family.nik_sex_mismatch"


# KK numbers.


def test_a_kk_number_with_a_known_province_is_valid():
    validate_kk("6402081203150001")
    validate_kk("1101010101010001")


@pytest.mark.parametrize(
    "value", ["", "640208120315000", "64020812031500011", "64020812031500O1", "6402 81203150001"]
)
def test_a_kk_number_not_of_16_digits_is_refused(value):
    assert code_of(validate_kk, value) == "family.kk_format"


@pytest.mark.parametrize("province", ["00", "10", "39", "99"])
def test_a_kk_number_of_an_unknown_province_is_refused(province):
    with pytest.raises(ValidationError) as info:
        validate_kk(f"{province}02081203150001")
    assert info.value.error_list[0].code == "family.kk_region"
    from django.utils import translation

    with translation.override("en"):
        assert info.value.messages == [f"The province code {province} in the KK number is unknown."]


# Birth dates.


def test_birth_date_today_is_accepted():
    validate_birth_date(dt.date(2024, 5, 1), today=dt.date(2024, 5, 1))


def test_birth_date_in_the_future_is_refused():
    assert (
        code_of(validate_birth_date, dt.date(2024, 5, 2), today=dt.date(2024, 5, 1))
        == "family.birth_in_future"
    )


def test_birth_date_before_1900_is_refused():
    validate_birth_date(dt.date(1900, 1, 1), today=dt.date(2024, 5, 1))
    assert (
        code_of(validate_birth_date, dt.date(1899, 12, 31), today=dt.date(2024, 5, 1))
        == "family.birth_too_early"
    )


# clean_number.


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (" . - ", None),
        ("6402081203880001", "6402081203880001"),
        ("64.02.08 120388-0001", "6402081203880001"),
        ("6402\t0812\n03880001", "6402081203880001"),
        ("64O2", "64O2"),  # letters are kept for the validator to refuse
    ],
)
def test_clean_number(value, expected):
    assert clean_number(value) == expected


@PROPERTY
@given(st.from_regex(r"[0-9]{16}", fullmatch=True), st.lists(st.sampled_from([" ", ".", "-"])))
def test_clean_number_removes_any_separators(digits, separators):
    noisy = digits
    for i, sep in enumerate(separators):
        cut = (i * 5) % 17
        noisy = noisy[:cut] + sep + noisy[cut:]
    assert clean_number(noisy) == digits
