"""Problems: codes with Bahasa Indonesia and English text, raised as ValidationErrors."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kampungkb.accounts.errors import AccountProblem
from kampungkb.core import errors
from kampungkb.core.errors import Problem, messages_in_both_languages, problem_for
from kampungkb.families.errors import FamilyProblem
from kampungkb.regions.errors import AreaProblem

ALL_PROBLEMS = [p for cls in (FamilyProblem, AccountProblem, AreaProblem) for p in cls]


@pytest.fixture
def registry() -> Iterator[dict[str, Problem]]:
    """The registry, restored after a test that defines problems of its own."""
    saved = dict(errors._REGISTRY)
    yield errors._REGISTRY
    errors._REGISTRY.clear()
    errors._REGISTRY.update(saved)


def test_problem_is_its_code():
    assert FamilyProblem.NIK_DUPLICATE == "family.nik_duplicate"
    assert FamilyProblem.NIK_DUPLICATE.value == "family.nik_duplicate"
    assert FamilyProblem("family.nik_duplicate") is FamilyProblem.NIK_DUPLICATE


def test_problem_text_in_each_language():
    problem = FamilyProblem.NIK_DUPLICATE
    assert problem.text("id", nik="123") == "NIK 123 sudah terdaftar."
    assert problem.text("en", nik="123") == "NIK 123 is already registered."
    assert problem.text("en-gb", nik="123") == "NIK 123 is already registered."


def test_problem_text_follows_the_active_language():
    with translation.override("en"):
        assert AreaProblem.NUMBER_RANGE.text() == "The number must be between 1 and 999."
    with translation.override("id"):
        assert AreaProblem.NUMBER_RANGE.text() == "Nomor harus antara 1 dan 999."


def test_problem_text_defaults_to_indonesian_without_an_active_language():
    with translation.override(None):
        assert AreaProblem.NUMBER_RANGE.text() == "Nomor harus antara 1 dan 999."


def test_problem_text_does_not_reformat_parameter_values():
    assert FamilyProblem.NOT_ALIVE.text("en", name="{x}") == "{x} is recorded as deceased."


def test_problem_error_is_rendered_in_the_language_active_when_shown():
    error = FamilyProblem.NIK_DUPLICATE.error(nik="6402081203880001")
    assert error.code == "family.nik_duplicate"
    with translation.override("en"):
        assert error.messages == ["NIK 6402081203880001 is already registered."]
    with translation.override("id"):
        assert error.messages == ["NIK 6402081203880001 sudah terdaftar."]


def test_problem_on_attaches_to_a_field():
    error = AccountProblem.USERNAME_TAKEN.on("username", username="siti")
    assert list(error.error_dict) == ["username"]
    (item,) = error.error_dict["username"]
    assert item.code == "account.username_taken"
    with translation.override("en"):
        assert error.message_dict == {"username": ["The username siti is already taken."]}


def test_problem_for_finds_registered_codes():
    assert problem_for("family.nik_format") is FamilyProblem.NIK_FORMAT
    assert problem_for("area.number_taken") is AreaProblem.NUMBER_TAKEN
    assert problem_for("nope.unknown") is None
    assert problem_for("") is None
    assert problem_for(None) is None


def test_every_problem_is_registered_under_its_code():
    for problem in ALL_PROBLEMS:
        assert problem_for(problem.value) is problem


def test_problem_codes_are_namespaced_by_app():
    prefixes = {FamilyProblem: "family.", AccountProblem: "account.", AreaProblem: "area."}
    for cls, prefix in prefixes.items():
        for problem in cls:
            assert problem.value.startswith(prefix), problem


@pytest.mark.parametrize("problem", ALL_PROBLEMS, ids=lambda p: p.value)
def test_every_problem_has_distinct_indonesian_and_english_text(problem: Problem):
    assert problem.text_id.strip() and problem.text_en.strip()
    assert problem.text_id != problem.text_en
    # Both texts take the same parameters, so either renders with the same keywords.
    fields = {
        name
        for text in (problem.text_id, problem.text_en)
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }
    params = dict.fromkeys(fields, "X")
    assert problem.text("id", **params) and problem.text("en", **params)
    for name in fields:
        assert "{" + name + "}" in problem.text_id and "{" + name + "}" in problem.text_en


def test_a_duplicate_code_in_another_class_is_refused(registry):
    with pytest.raises(ValueError, match=r"Duplicate problem code family\.nik_format"):

        class Clash(Problem):
            SAME = ("family.nik_format", "Lain.", "Other.")

    assert registry["family.nik_format"] is FamilyProblem.NIK_FORMAT


def test_a_duplicate_code_in_the_same_class_is_refused(registry):
    with pytest.raises(ValueError, match=r"Duplicate problem code test\.twice"):

        class Twice(Problem):
            FIRST = ("test.twice", "Satu.", "One.")
            SECOND = ("test.twice", "Dua.", "Two.")


def test_a_new_problem_class_registers_its_codes(registry):
    class Sample(Problem):
        THING = ("test.thing", "Benda {n}.", "Thing {n}.")

    assert problem_for("test.thing") is Sample.THING
    assert Sample.THING.text("en", n=2) == "Thing 2."


def test_messages_in_both_languages_for_field_errors():
    error = ValidationError(
        {
            "nik": [FamilyProblem.NIK_DUPLICATE.error(nik="123")],
            "kk_number": [FamilyProblem.KK_FORMAT.error()],
        }
    )
    assert messages_in_both_languages(error) == [
        {
            "field": "nik",
            "code": "family.nik_duplicate",
            "message_id": "NIK 123 sudah terdaftar.",
            "message_en": "NIK 123 is already registered.",
        },
        {
            "field": "kk_number",
            "code": "family.kk_format",
            "message_id": "Nomor KK harus terdiri dari 16 digit angka.",
            "message_en": "A family card (KK) number must be exactly 16 digits.",
        },
    ]


def test_messages_in_both_languages_for_a_non_field_error():
    error = FamilyProblem.ALREADY_PREGNANT.error()
    assert messages_in_both_languages(error) == [
        {
            "field": "__all__",
            "code": "family.already_pregnant",
            "message_id": "Kehamilan yang sedang berjalan sudah tercatat untuk pasangan ini.",
            "message_en": "An ongoing pregnancy is already recorded for this couple.",
        }
    ]


def test_messages_in_both_languages_for_a_plain_django_error_with_params():
    error = ValidationError(
        {"name": [ValidationError("Too long: %(n)s", code="max_length", params={"n": 5})]}
    )
    assert messages_in_both_languages(error) == [
        {
            "field": "name",
            "code": "max_length",
            "message_id": "Too long: 5",
            "message_en": "Too long: 5",
        }
    ]


def test_messages_in_both_languages_without_a_code():
    error = ValidationError("Something")
    assert messages_in_both_languages(error) == [
        {
            "field": "__all__",
            "code": "invalid",
            "message_id": "Something",
            "message_en": "Something",
        }
    ]


def test_messages_in_both_languages_keeps_the_active_language():
    with translation.override("en"):
        messages_in_both_languages(FamilyProblem.KK_FORMAT.error())
        assert translation.get_language() == "en"
