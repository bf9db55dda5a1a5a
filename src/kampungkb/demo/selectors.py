"""Reads about the demo data: whether it is there, and its logins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kampungkb.core.models import AuditEvent

# The one audit event a seed writes; it also records what the seed created, for ``--reset``.
SEED_ACTION = "demo.seed"
SEED_OBJECT_TYPE = "demo.population"
# For the demo only: it is printed on screen and in the README. Never use the demo on real data.
DEMO_PASSWORD = "kampungkb-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # the role's label
    area: str  # the areas, readable
    created: bool  # False: a user of that name existed and was left as it was

    @property
    def password(self) -> str | None:
        return DEMO_PASSWORD if self.created else None


@dataclass(frozen=True)
class SeedInfo:
    seed: int
    today: dt.date
    at: dt.datetime
    counts: dict[str, int]
    logins: tuple[DemoLogin, ...]


def demo_seed_info() -> SeedInfo | None:
    """The demo data in this database, or None when there is none."""
    event = AuditEvent.objects.filter(action=SEED_ACTION).order_by("-at", "-id").first()
    if event is None:
        return None
    after: dict[str, Any] = event.after
    return SeedInfo(
        seed=after["seed"],
        today=dt.date.fromisoformat(after["today"]),
        at=event.at,
        counts=dict(after["counts"]),
        logins=tuple(DemoLogin(**login) for login in after["logins"]),
    )
