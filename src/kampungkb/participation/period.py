"""The months a barrier page or request covers: ``from`` and ``to`` as ``YYYY-MM``, by default
the last 12 months up to this one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kampungkb.core.periods import add_months, month_end, month_start
from kampungkb.participation.errors import ParticipationProblem

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Period:
    first: dt.date  # the first day of the first month
    last: dt.date  # the last day of the last month

    @property
    def first_month(self) -> str:
        return self.first.strftime("%Y-%m")

    @property
    def last_month(self) -> str:
        return self.last.strftime("%Y-%m")


def period_of(first: dt.date | None, last: dt.date | None, *, today: dt.date) -> Period:
    """The months ``first``..``last`` (first days of months); a missing end is this month, a
    missing start twelve months back from the end. Reversed months raise ``PeriodOrderError``,
    which the page answers with a 400 and the API with a 422."""
    end = last or month_start(today)
    start = first or add_months(end, 1 - DEFAULT_MONTHS)
    if start > end:
        raise PeriodOrderError(start, end)
    return Period(first=start, last=month_end(end))


class PeriodOrderError(Exception):
    def __init__(self, first: dt.date, last: dt.date) -> None:
        super().__init__(f"{first} > {last}")
        self.params = {"first": first.strftime("%Y-%m"), "last": last.strftime("%Y-%m")}
        self.problem = ParticipationProblem.MONTH_ORDER
