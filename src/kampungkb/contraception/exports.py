"""The rows of the follow-up lists (due, overdue, dropped out), shared by the pages and their CSV
and Excel exports, and the exports themselves. Exports hold names and phone numbers, so each is
audited; NIK is never exported."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kampungkb.contraception import selectors
from kampungkb.contraception.models import Episode, FollowUp
from kampungkb.core import tables
from kampungkb.core.audit import audit_record
from kampungkb.families.templatetags.family_register import area_label

# What the list rows need besides what the selectors load: the area's parents up to the
# village, for the RT/RW/village label.
ROW_RELATED = ("couple__wife__family__area__parent__parent",)


@dataclass(frozen=True)
class FollowUpRow:
    episode: Episode
    due_kind: Any  # a lazily translated label
    latest: FollowUp | None

    @property
    def couple(self) -> Any:
        return self.episode.couple

    @property
    def area(self) -> str:
        return area_label(self.episode.couple.wife.family.area)

    @property
    def phone(self) -> str:
        couple = self.episode.couple
        husband_phone = couple.husband.phone if couple.husband else ""
        return str(couple.wife.phone or husband_phone)


def with_row_relations(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.select_related(*ROW_RELATED)


def follow_up_rows(episodes: Iterable[Episode]) -> list[FollowUpRow]:
    """Rows for the episodes (already read), with their latest follow-up (one query)."""
    episodes = list(episodes)
    latest = selectors.latest_follow_ups([e.pk for e in episodes])
    return [
        FollowUpRow(
            episode=e,
            due_kind=selectors.DUE_KIND_LABELS[selectors.due_kind(e)],
            latest=latest.get(e.pk),
        )
        for e in episodes
    ]


COLUMNS = (
    _("Wife"),
    _("Husband"),
    _("Area"),
    _("Method"),
    _("Started on"),
    _("Due date"),
    _("What is due"),
    _("Drop-out from"),
    _("Phone"),
    _("Latest follow-up"),
    _("Follow-up date"),
)


def _values(row: FollowUpRow) -> list[Any]:
    episode = row.episode
    couple = episode.couple
    return [
        couple.wife.full_name,
        couple.husband.full_name if couple.husband else "",
        row.area,
        episode.method.name,
        episode.started_on,
        episode.next_due_on,
        str(row.due_kind),
        episode.drop_out_on,
        row.phone,
        row.latest.get_outcome_display() if row.latest else "",
        row.latest.done_on if row.latest else None,
    ]


def table(rows: Iterable[FollowUpRow]) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows, in Bahasa Indonesia whatever the user's language: exports go to
    the district's spreadsheets and reports."""
    with translation.override("id"):
        return [str(c) for c in COLUMNS], [_values(r) for r in rows]


def csv_response(filename: str, rows: Iterable[FollowUpRow]) -> HttpResponse:
    return tables.csv_response(filename, *table(rows))


def xlsx_response(filename: str, title: str, rows: Iterable[FollowUpRow]) -> HttpResponse:
    return tables.xlsx_response(filename, title, *table(rows))


def export_audit(
    *, actor: Any, list_name: str, file_format: str, area_code: str, rows: int, **params: Any
) -> None:
    """One audit event per export: who took which list of names, of which area, how many rows.
    The event's object is the exporting user (an export changes no record)."""
    audit_record(
        actor=actor,
        action=f"export.{list_name}",
        instance=actor,
        area_code=area_code,
        after={"format": file_format, "area": area_code, "rows": rows, **params},
    )
