"""Domain problems: error codes as enums with their messages in Bahasa Indonesia and English.

Each app declares its problems once:

    class FamilyProblem(Problem):
        NIK_DUPLICATE = "family.nik_duplicate", "NIK {nik} sudah terdaftar.", "NIK {nik} is already registered."

and raises them as Django ``ValidationError``s, so forms, ``full_clean`` and the API treat them like
any other validation error. The message is chosen by the active language when it is shown; the API
shows both (``messages_in_both_languages``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.core.exceptions import BadRequest, ValidationError
from django.utils import translation
from django.utils.functional import lazy

from kampungkb.core.periods import parse_month

_REGISTRY: dict[str, Problem] = {}


class Problem(StrEnum):
    text_id: str
    text_en: str

    def __new__(cls, code: str, text_id: str, text_en: str) -> Problem:
        member = str.__new__(cls, code)
        member._value_ = code
        member.text_id = text_id
        member.text_en = text_en
        return member

    def __init__(self, *args: Any) -> None:
        if self.value in _REGISTRY and _REGISTRY[self.value] is not self:
            raise ValueError(f"Duplicate problem code {self.value}")
        _REGISTRY[self.value] = self

    def text(self, language: str | None = None, **params: Any) -> str:
        language = language or translation.get_language() or "id"
        template = self.text_en if language.startswith("en") else self.text_id
        return template.format(**params)

    def lazy_text(self, **params: Any) -> str:
        return _lazy_text(self, params)

    def error(self, **params: Any) -> ValidationError:
        """The problem as a ValidationError, its message rendered in the language active when shown."""
        return ValidationError(self.lazy_text(**params), code=self.value, params=None)

    def on(self, field: str, **params: Any) -> ValidationError:
        """The problem attached to one field of a form or model."""
        return ValidationError({field: [self.error(**params)]})


def _text_now(problem: Problem, params: dict[str, Any]) -> str:
    return problem.text(**params)


_lazy_text = lazy(_text_now, str)


def problem_for(code: str | None) -> Problem | None:
    return _REGISTRY.get(code or "")


def messages_in_both_languages(error: ValidationError) -> list[dict[str, str]]:
    """Every message of a ValidationError with its field and code, in Bahasa Indonesia and English."""
    out: list[dict[str, str]] = []
    items = (
        error.error_dict.items()
        if hasattr(error, "error_dict")
        else [("__all__", error.error_list)]
    )
    for field, errors in items:
        for item in errors:
            texts = {}
            for language in ("id", "en"):
                with translation.override(language):
                    message = str(item.message)
                    if item.params:
                        message = message % item.params
                    texts[language] = message
            out.append(
                {
                    "field": field,
                    "code": item.code or "invalid",
                    "message_id": texts["id"],
                    "message_en": texts["en"],
                }
            )
    return out


class QueryProblem(Problem):
    """A page's address (its query string) holds a value the page does not accept."""

    MONTH = (
        "query.month",
        "Bulan harus ditulis TTTT-BB, misalnya 2025-06 (tertulis: {value}).",
        "The month must be written YYYY-MM, e.g. 2025-06 (given: {value}).",
    )
    MONTH_RANGE = (
        "query.month_range",
        "Bulan {value} di luar rentang tahun {first}-{last}.",
        "The month {value} is outside the years {first}-{last}.",
    )
    YEAR = (
        "query.year",
        "Tahun harus antara {first} dan {last} (tertulis: {value}).",
        "The year must be from {first} to {last} (given: {value}).",
    )
    INDICATOR = (
        "query.indicator",
        "Indikator {value} tidak tersedia di sini; pilihan: {choices}.",
        "The indicator {value} is not offered here; choices: {choices}.",
    )


class BadQuery(BadRequest):
    """A 400 answer that carries its problem, so the error page says it in both languages."""

    def __init__(self, problem: Problem, **params: Any) -> None:
        super().__init__(problem.text("en", **params))
        self.problem = problem
        self.params = params

    def texts(self) -> dict[str, str]:
        return {lang: self.problem.text(lang, **self.params) for lang in ("id", "en")}


def api_month(field: str, value: str | None) -> date | None:
    """An API query parameter ``YYYY-MM`` as the month's first day; None when absent or empty. A
    value that is not a month is a 422 on ``field`` in both languages."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise QueryProblem.MONTH.on(field, value=value[:20]) from exc


def query_month(value: str | None) -> date | None:
    """A page's ``?month=YYYY-MM`` as the month's first day; None when absent or empty. A value
    that is not a month is a 400 (``BadQuery``) saying so in both languages."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise BadQuery(QueryProblem.MONTH, value=value[:20]) from exc
