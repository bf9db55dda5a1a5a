"""The activity and poktan lists as CSV or Excel files (their columns hold no person's name, so
they are not audited), and the lists of names: an activity's attendees and a poktan's members.
Those hold names, so each export is audited (``contraception.exports.export_audit``); NIK is never
exported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kampungkb.activities.models import Activity, AgeGroup, AttendanceCount, Poktan, PoktanMember
from kampungkb.contraception.exports import export_audit
from kampungkb.core import tables
from kampungkb.families.models import Person
from kampungkb.families.templatetags.family_register import area_label

ACTIVITY_COLUMNS = (
    _("Date"),
    _("Title"),
    _("Kind"),
    _("Area"),
    _("Place"),
    _("Family function"),
    _("Organiser"),
    _("Partners"),
    _("Funding source"),
    _("Funding amount (Rp)"),
    _("Named men"),
    _("Named women"),
    _("Counted men"),
    _("Counted women"),
    _("Total attendance"),
)

POKTAN_COLUMNS = (
    _("Name"),
    _("Type"),
    _("Area"),
    _("Established on"),
    _("Active"),
    _("Current members"),
    _("Last session"),
)


def activity_rows(activities: Iterable[Activity]) -> list[list[Any]]:
    return [
        [
            a.held_on,
            a.title,
            a.get_kind_display(),
            area_label(a.area),
            a.place,
            a.get_family_function_display(),
            a.organiser,
            ", ".join(p.name for p in a.partners.all()),
            a.get_funding_source_display(),
            a.funding_amount,
            a.named_m,  # type: ignore[attr-defined]
            a.named_f,  # type: ignore[attr-defined]
            a.counted_m,  # type: ignore[attr-defined]
            a.counted_f,  # type: ignore[attr-defined]
            a.attendance_total,  # type: ignore[attr-defined]
        ]
        for a in activities
    ]


def poktan_rows(groups: Iterable[Poktan]) -> list[list[Any]]:
    return [
        [
            p.name,
            p.get_kind_display(),
            area_label(p.area),
            p.established_on,
            str(_("yes") if p.is_active else _("no")),
            p.member_count,  # type: ignore[attr-defined]
            p.last_session_on,  # type: ignore[attr-defined]
        ]
        for p in groups
    ]


def _respond(
    file_format: str, filename: str, title: Any, columns: Iterable[Any], rows: Any
) -> HttpResponse:
    # Headers and labels in Bahasa Indonesia whatever the user's language: the files go to the
    # district's spreadsheets and reports.
    with translation.override("id"):
        header = [str(c) for c in columns]
        values = rows()
        sheet_title = str(title)
    if file_format == "csv":
        return tables.csv_response(filename, header, values)
    return tables.xlsx_response(filename, sheet_title, header, values)


def activity_export(
    file_format: str, filename: str, activities: QuerySet[Activity]
) -> HttpResponse:
    return _respond(
        file_format, filename, _("Activities"), ACTIVITY_COLUMNS, lambda: activity_rows(activities)
    )


def poktan_export(file_format: str, filename: str, groups: QuerySet[Poktan]) -> HttpResponse:
    return _respond(file_format, filename, _("Poktan"), POKTAN_COLUMNS, lambda: poktan_rows(groups))


# -- Lists of names (audited) ---------------------------------------------------------------------

ATTENDEE_COLUMNS = (
    _("Name"),
    _("Sex"),
    _("Age"),
    _("Age group"),
    _("Area"),
    _("Count"),
)

MEMBER_COLUMNS = (
    _("Name"),
    _("Sex"),
    _("Age"),
    _("Joined on"),
    _("Left on"),
    _("Area"),
)

# The lower bound of each age group, oldest first.
_AGE_GROUP_FROM = ((50, AgeGroup.OLDER), (25, AgeGroup.ADULT), (15, AgeGroup.YOUTH))


def age_group(age: int) -> AgeGroup:
    """The attendance age group (0-14, 15-24, 25-49, 50+) of an age in years."""
    for lowest, group in _AGE_GROUP_FROM:
        if age >= lowest:
            return group
    return AgeGroup.CHILD


def _age(person: Person, on: dt.date) -> int:
    """The age on a date, or at death when the person died before it."""
    if person.died_on is not None and person.died_on < on:
        on = person.died_on
    return person.age_on(on)


def attendee_rows(
    activity: Activity, attendees: Iterable[Person], counts: Iterable[AttendanceCount]
) -> list[list[Any]]:
    """One row per named attendee (age on the activity's date, count 1), then one row per sex and
    age group of the attendees counted without names (count as recorded, none when 0): the count
    column adds up to the attendance."""
    rows: list[list[Any]] = []
    for person in attendees:
        age = _age(person, activity.held_on)
        rows.append(
            [
                person.full_name,
                person.get_sex_display(),
                age,
                str(age_group(age).label),
                area_label(person.family.area),
                1,
            ]
        )
    counted = str(_("Counted without names"))
    for count in counts:
        if count.count:
            rows.append(
                [
                    counted,
                    count.get_sex_display(),
                    None,
                    count.get_age_group_display(),
                    area_label(activity.area),
                    count.count,
                ]
            )
    return rows


def member_rows(members: Iterable[PoktanMember], *, today: dt.date) -> list[list[Any]]:
    return [
        [
            m.person.full_name,
            m.person.get_sex_display(),
            _age(m.person, today),
            m.joined_on,
            m.left_on,
            area_label(m.person.family.area),
        ]
        for m in members
    ]


def _audited(
    *,
    file_format: str,
    filename: str,
    title: Any,
    columns: Iterable[Any],
    rows: Any,
    actor: Any,
    list_name: str,
    area_code: str,
    **params: Any,
) -> HttpResponse:
    with translation.override("id"):
        header = [str(c) for c in columns]
        values = rows()
        sheet_title = str(title)
    export_audit(
        actor=actor,
        list_name=list_name,
        file_format=file_format,
        area_code=area_code,
        rows=len(values),
        **params,
    )
    if file_format == "csv":
        return tables.csv_response(filename, header, values)
    return tables.xlsx_response(filename, sheet_title, header, values)


def attendee_export(
    *,
    file_format: str,
    activity: Activity,
    attendees: QuerySet[Person],
    actor: Any,
) -> HttpResponse:
    """The activity's attendance list; one audit event ``export.activity_attendees``."""
    counts = list(activity.counts.all())
    return _audited(
        file_format=file_format,
        filename=f"kampungkb-daftar-hadir-{activity.pk}-{activity.held_on.isoformat()}",
        title=_("Attendance list"),
        columns=ATTENDEE_COLUMNS,
        rows=lambda: attendee_rows(activity, attendees, _in_grid_order(counts)),
        actor=actor,
        list_name="activity_attendees",
        area_code=activity.area_id,
        activity=activity.pk,
    )


def _in_grid_order(counts: Iterable[AttendanceCount]) -> list[AttendanceCount]:
    """Men then women, each by age group from the youngest (as on the page)."""
    ages = list(AgeGroup.values)
    return sorted(counts, key=lambda c: (c.sex != "M", ages.index(c.age_group)))


def member_export(
    *,
    file_format: str,
    poktan: Poktan,
    members: QuerySet[PoktanMember],
    actor: Any,
    today: dt.date,
) -> HttpResponse:
    """The poktan's members (current first, then former); one audit event
    ``export.poktan_members``."""
    return _audited(
        file_format=file_format,
        filename=f"kampungkb-anggota-poktan-{poktan.pk}-{today.isoformat()}",
        title=_("Poktan members"),
        columns=MEMBER_COLUMNS,
        rows=lambda: member_rows(members, today=today),
        actor=actor,
        list_name="poktan_members",
        area_code=poktan.area_id,
        poktan=poktan.pk,
    )
