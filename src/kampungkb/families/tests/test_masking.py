"""Masking identity numbers in lists."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kampungkb.families.masking import mask_id

PROPERTY = settings(max_examples=300, deadline=None, database=None)


def test_mask_id_of_a_nik():
    assert mask_id("6402081203880001") == "640208******0001"


@pytest.mark.parametrize(
    ("value", "expected"), [(None, ""), ("", ""), ("12345", "*****"), ("1234567890", "**********")]
)
def test_mask_id_of_short_or_missing_numbers(value, expected):
    assert mask_id(value) == expected


def test_mask_id_of_eleven_characters_hides_one():
    assert mask_id("12345678901") == "123456*8901"


@PROPERTY
@given(st.from_regex(r"[0-9]{16}", fullmatch=True))
def test_mask_id_keeps_region_and_serial_and_hides_the_birth_date(number):
    masked = mask_id(number)
    assert len(masked) == 16
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert masked[6:12] == "******"


@PROPERTY
@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_mask_id_never_changes_the_length_and_shows_at_most_ten(number):
    masked = mask_id(number)
    assert len(masked) == len(number)
    shown = [i for i, c in enumerate(masked) if c != "*"]
    assert len(shown) <= 10
    for i in shown:
        assert masked[i] == number[i]
    if len(number) > 10:
        assert masked[6:-4] == "*" * (len(number) - 10)
