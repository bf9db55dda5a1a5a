"""Monthly cadre meetings: the agenda generated from a small fixture (exact figures), opening a
meeting, attendance, minutes freezing the agenda, action items and carry-over, refusals that
write nothing, scope, and the monthly field-control report.

The fixtures here are shared with ``test_meetings_pages.py`` (imported there)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from kampungkb.activities import services as activity_services
from kampungkb.activities.models import Activity, ActivityKind, Attendance, FamilyFunction
from kampungkb.activities.services import ActivityData, poktan_session_data
from kampungkb.cadres import meetings_selectors as selectors
from kampungkb.cadres import meetings_services as services
from kampungkb.cadres.models import ActionItem, ActionStatus, Cadre, CadreRole, Meeting
from kampungkb.cadres.tests.conftest import person, register
from kampungkb.contraception import services as contraception_services
from kampungkb.contraception.models import VisitKind
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Couple
from kampungkb.families.services import HousingData, family_housing_update
from kampungkb.indicators.models import Fact, Target
from kampungkb.regions.models import Area, Level
from kampungkb.testing.contraception_factories import (  # noqa: F401 (fixture)
    clock_fixture,
    method,
)
from kampungkb.testing.factories import CoupleFactory, PregnancyFactory
from kampungkb.testing.world import KEC, OTHER_VILLAGE, RT, VILLAGE, VILLAGE_2, World

JAN = dt.date(2026, 1, 1)
FEB = dt.date(2026, 2, 1)
MAR = dt.date(2026, 3, 1)


def open_meeting(world: World, month: dt.date, held_on: dt.date, **fields: Any) -> Meeting:
    return services.meeting_open(
        village=world.area(fields.pop("village", VILLAGE)),
        month=month,
        held_on=held_on,
        actor=fields.pop("actor", None),
        **fields,
    )


@pytest.fixture(name="cadres")
def cadres_fixture(world: World, ppkbd: Cadre) -> dict[str, Cadre]:
    """Siti Aminah (PPKBD) and Sutrisno (Posyandu cadre) serve Kota Bangun Ulu."""
    sutrisno = register("Sutrisno", role=CadreRole.POSYANDU, area=world.area(VILLAGE))
    return {"siti": ppkbd, "sutrisno": sutrisno}


@pytest.fixture(name="january")
def january_fixture(world: World, cadres: dict[str, Cadre]) -> Meeting:
    """January's meeting of Kota Bangun Ulu: a problem raised, Siti's task still open, a task of
    the midwife done."""
    meeting = open_meeting(world, JAN, dt.date(2026, 1, 20), place="Balai desa")
    services.minutes_save(
        meeting=meeting,
        minutes="Rapat rutin Januari.",
        problems="Stok pil kosong di Posyandu.",
        decisions="Lapor ke PKB.",
        actor=None,
    )
    services.action_item_add(
        meeting=meeting,
        description="Kunjungi akseptor drop-out",
        owner=cadres["siti"],
        due_on=dt.date(2026, 2, 15),
        actor=None,
    )
    done = services.action_item_add(
        meeting=meeting, description="Catat ibu hamil baru", owner_name="Bidan Rina", actor=None
    )
    services.action_item_close(
        item=done, status=ActionStatus.DONE, closed_on=dt.date(2026, 1, 25), actor=None
    )
    return meeting


def _record(couple: Couple, on: dt.date, code: str) -> None:
    contraception_services.visit_record(
        couple=couple,
        visited_on=on,
        method=method(code),
        kind=VisitKind.START,
        consent_recorded=True,
        actor=None,
    )


@pytest.fixture(name="figures")
def figures_fixture(world: World, clock: Any) -> None:
    """February 2026 in Kota Bangun Ulu: PPM targets PA 40 and PB 12; facts PA 30 in February,
    PB 2 in January and 3 in February; a user who dropped out on 5 February and one overdue from
    5 February; two pregnancies recorded in February (and one in January, one in Lombok Timur)."""
    Target.objects.create(area_id=VILLAGE, year=2026, kind="PA", value=40)
    Target.objects.create(area_id=VILLAGE, year=2026, kind="PB", value=12)
    Fact.objects.create(indicator="PA", area_code=VILLAGE, level=4, period=FEB, numerator=30)
    Fact.objects.create(indicator="PB", area_code=VILLAGE, level=4, period=JAN, numerator=2)
    Fact.objects.create(indicator="PB", area_code=VILLAGE, level=4, period=FEB, numerator=3)
    Fact.objects.create(indicator="PB", area_code=VILLAGE_2, level=4, period=FEB, numerator=9)
    _record(CoupleFactory.create(), dt.date(2025, 10, 1), "PIL")  # dropped out on 5 February
    _record(CoupleFactory.create(), dt.date(2026, 1, 1), "PIL")  # overdue from 5 February
    for recorded_on in (dt.date(2026, 2, 10), dt.date(2026, 2, 27), dt.date(2026, 1, 15)):
        PregnancyFactory.create(recorded_on=recorded_on, expected_on=dt.date(2026, 10, 1))
    PregnancyFactory.create(
        couple=Couple.objects.get(wife__full_name="Baiq Nurul"),
        recorded_on=dt.date(2026, 2, 12),
        expected_on=dt.date(2026, 10, 1),
    )


def expected_february(january: Meeting) -> dict[str, Any]:
    item = january.action_items.get(status__in=["open", "carried"])
    return {
        "village": VILLAGE,
        "month": "2026-02",
        "achievements": [
            {"code": "PA", "target": 40, "actual": 30, "percent": "75.0"},
            {"code": "PB", "target": 12, "actual": 5, "percent": "41.7"},
        ],
        "new_users": 3,
        "dropouts": 1,
        "overdue": 1,
        "overdue_on": "2026-02-28",
        "new_pregnancies": 2,
        "open_items": [
            {
                "id": item.pk,
                "description": "Kunjungi akseptor drop-out",
                "owner": "Siti Aminah",
                "due_on": "2026-02-15",
                "status": item.status,
            }
        ],
        "problems_last_month": "Stok pil kosong di Posyandu.",
        # Target families: Sutrisno's, the two couples of the users and the three couples
        # expecting (PUS or pregnant); no house is recorded, so none is known to be at risk.
        "at_risk": {"target": 6, "at_risk": 0, "reasons": {}, "house_not_recorded": 6},
    }


# -- The agenda -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["admin", "district", "pkb", "cadre"])
def test_agenda_figures_are_exact(
    world: World, figures: None, january: Meeting, username: str
) -> None:
    agenda = selectors.agenda_for(user=world.user(username), village_code=VILLAGE, month=FEB)
    assert agenda == expected_february(january)


def test_agenda_without_data_shows_nothing_filled(world: World) -> None:
    agenda = selectors.agenda_for(user=world.user("pkb"), village_code=VILLAGE_2, month=FEB)
    assert agenda == {
        "village": VILLAGE_2,
        "month": "2026-02",
        "achievements": [
            {"code": "PA", "target": None, "actual": None, "percent": None},
            {"code": "PB", "target": None, "actual": None, "percent": None},
        ],
        "new_users": None,
        "dropouts": 0,
        "overdue": 0,
        "overdue_on": "2026-02-28",
        "new_pregnancies": 0,
        "open_items": [],
        "problems_last_month": "",
        "at_risk": {"target": 0, "at_risk": 0, "reasons": {}, "house_not_recorded": 0},
    }


def test_agenda_counts_the_families_at_risk_by_reason(
    world: World, figures: None, january: Meeting
) -> None:
    family_housing_update(
        family=world.family,
        data=HousingData(water_source="unprotected_well", latrine="none", has_septic_tank=False),
        actor=None,
    )
    agenda = selectors.agenda_for(user=world.user("pkb"), village_code=VILLAGE, month=FEB)
    assert agenda["at_risk"] == {
        "target": 6,
        "at_risk": 1,
        "reasons": {"unsafe_water": 1, "no_decent_latrine": 1},
        "house_not_recorded": 5,
    }


def test_minutes_freeze_the_agenda_as_discussed(
    world: World, figures: None, january: Meeting
) -> None:
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    assert february.agenda == {}
    services.minutes_save(
        meeting=february,
        minutes="Rapat Februari.",
        problems="",
        decisions="",
        actor=world.user("pkb"),
    )
    frozen = expected_february(january)
    assert Meeting.objects.get(pk=february.pk).agenda == frozen
    # The facts are filled again later: the record keeps what was discussed.
    Fact.objects.filter(indicator="PA", area_code=VILLAGE, period=FEB).update(numerator=33)
    services.minutes_save(
        meeting=february, minutes="Rapat Februari (koreksi).", problems="", decisions="", actor=None
    )
    february.refresh_from_db()
    assert february.agenda == frozen
    assert february.minutes == "Rapat Februari (koreksi)."
    live = selectors.meeting_agenda(Meeting(village_id=VILLAGE, month=FEB), user=world.user("pkb"))
    assert live["achievements"][0]["actual"] == 33
    assert selectors.meeting_agenda(february, user=world.user("pkb")) == frozen


# -- Opening a meeting and attendance --------------------------------------------------------------


def test_meeting_open_creates_the_cadre_meeting_activity(world: World) -> None:
    meeting = open_meeting(
        world,
        dt.date(2026, 2, 17),
        dt.date(2026, 2, 24),
        place="Balai desa",
        actor=world.user("cadre"),
    )
    assert (meeting.village_id, meeting.month) == (VILLAGE, FEB)
    activity = meeting.activity
    assert (activity.kind, activity.area_id, activity.held_on, activity.place) == (
        ActivityKind.CADRE_MEETING,
        VILLAGE,
        dt.date(2026, 2, 24),
        "Balai desa",
    )
    assert activity.title == "Rapat bulanan kader 02-2026"
    assert activity.organiser == "Kader Kota Bangun Ulu"
    assert activity.target_groups == ["cadres"]
    assert meeting.recorded_by == world.user("cadre")
    assert AuditEvent.objects.filter(action="meeting.open", object_id=str(meeting.pk)).count() == 1


def _nothing_written(before: tuple[int, int, int, int]) -> None:
    assert (
        Meeting.objects.count(),
        Activity.objects.count(),
        ActionItem.objects.count(),
        Attendance.objects.count(),
    ) == before


def _counts() -> tuple[int, int, int, int]:
    return (
        Meeting.objects.count(),
        Activity.objects.count(),
        ActionItem.objects.count(),
        Attendance.objects.count(),
    )


def _refused(write: Callable[[], Any], code: str | None) -> None:
    before = _counts()
    events = AuditEvent.objects.count()
    if code is None:
        with pytest.raises(Http404):
            write()
    else:
        with pytest.raises(ValidationError) as raised:
            write()
        codes = (
            [e.code for errors in raised.value.error_dict.values() for e in errors]
            if hasattr(raised.value, "error_dict")
            else [e.code for e in raised.value.error_list]
        )
        assert codes == [code]
    _nothing_written(before)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"village": RT}, "cadre.meeting_village_level"),
        ({"actor": "other_cadre"}, None),
        ({"actor": "cadre_rt"}, None),
        ({"held_on": dt.date(2026, 3, 1)}, "cadre.meeting_date_outside_month"),
        (
            {"month": dt.date(2999, 1, 1), "held_on": dt.date(2999, 1, 5)},
            "cadre.meeting_month_in_future",
        ),
        ({"held_on": dt.date(2026, 2, 3)}, "cadre.meeting_exists"),
    ],
)
def test_meeting_open_refusals_write_nothing(
    world: World, cadres: dict[str, Cadre], fields: dict[str, Any], code: str | None
) -> None:
    open_meeting(world, FEB, dt.date(2026, 2, 2))
    values = {"month": FEB, "held_on": dt.date(2026, 2, 24), **fields}
    if "actor" in values:
        values["actor"] = world.user(values["actor"])
    _refused(
        lambda: open_meeting(world, values.pop("month"), values.pop("held_on"), **values), code
    )


def test_attendance_ticks_the_village_cadres(world: World, cadres: dict[str, Cadre]) -> None:
    meeting = open_meeting(world, FEB, dt.date(2026, 2, 24))
    siti, sutrisno = cadres["siti"].person_id, cadres["sutrisno"].person_id
    services.meeting_attendance_set(meeting=meeting, present=[siti, sutrisno], actor=None)
    change = services.meeting_attendance_set(
        meeting=meeting, present=[siti], actor=world.user("pkb")
    )
    assert (change.added, change.removed) == ([], [sutrisno])
    assert [r.present for r in selectors.meeting_attendance(meeting)] == [True, False]
    assert [(r.name, r.roles) for r in selectors.meeting_attendance(meeting)] == [
        ("Siti Aminah", ["PPKBD (Pembantu Pembina KB Desa)"]),
        ("Sutrisno", ["Kader Posyandu"]),
    ]
    assert list(selectors.cadre_meetings(cadres["siti"], user=world.user("cadre"))) == [meeting]
    assert list(selectors.cadre_meetings(cadres["sutrisno"], user=world.user("cadre"))) == []


def test_attendance_refusals_write_nothing(world: World, cadres: dict[str, Cadre]) -> None:
    meeting = open_meeting(world, FEB, dt.date(2026, 2, 24))
    rahmawati = person("Rahmawati").pk
    _refused(
        lambda: services.meeting_attendance_set(
            meeting=meeting, present=[cadres["siti"].person_id, rahmawati], actor=None
        ),
        "cadre.attendee_not_cadre",
    )
    _refused(
        lambda: services.meeting_attendance_set(
            meeting=meeting, present=[], actor=world.user("other_district")
        ),
        None,
    )


# -- Minutes, action items and carry-over -----------------------------------------------------------


def test_minutes_refusals_write_nothing(world: World, cadres: dict[str, Cadre]) -> None:
    meeting = open_meeting(world, FEB, dt.date(2026, 2, 24))
    for actor, minutes, code in [
        (None, "  ", "cadre.minutes_required"),
        (world.user("other_cadre"), "Notulen", None),
        (world.user("viewer"), "Notulen", None),
    ]:
        _refused(
            partial(
                services.minutes_save,
                meeting=meeting,
                minutes=minutes,
                problems="x",
                decisions="y",
                actor=actor,
            ),
            code,
        )
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.agenda, meeting.minutes_saved_at) == ("", {}, None)


def test_action_item_add_update_close(world: World, cadres: dict[str, Cadre]) -> None:
    meeting = open_meeting(world, FEB, dt.date(2026, 2, 24))
    pkb = world.user("pkb")
    item = services.action_item_add(
        meeting=meeting,
        description=" Data PUS baru ",
        owner=cadres["sutrisno"],
        owner_name="ignored",
        due_on=dt.date(2026, 3, 10),
        actor=pkb,
    )
    assert (item.description, item.owner, item.owner_name, item.status) == (
        "Data PUS baru",
        cadres["sutrisno"],
        "",
        "open",
    )
    services.action_item_update(
        item=item, description="Data PUS baru RT 2", owner_name="Pak RT", actor=pkb
    )
    item.refresh_from_db()
    assert (item.description, item.owner_id, item.owner_label, item.due_on) == (
        "Data PUS baru RT 2",
        None,
        "Pak RT",
        None,
    )
    services.action_item_close(
        item=item, status=ActionStatus.DROPPED, closed_on=dt.date(2026, 2, 24), actor=pkb
    )
    item.refresh_from_db()
    assert (item.status, item.closed_on) == ("dropped", dt.date(2026, 2, 24))
    actions = list(
        AuditEvent.objects.filter(object_id=str(item.pk), object_type__icontains="action")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["action_item.add", "action_item.update", "action_item.close"]


def test_action_item_refusals_write_nothing(
    world: World, cadres: dict[str, Cadre], other_ppkbd: Cadre
) -> None:
    meeting = open_meeting(world, FEB, dt.date(2026, 2, 24))
    closed = services.action_item_add(meeting=meeting, description="A", owner_name="B", actor=None)
    services.action_item_close(
        item=closed, status="done", closed_on=dt.date(2026, 2, 25), actor=None
    )
    item = services.action_item_add(meeting=meeting, description="C", owner_name="D", actor=None)

    def add(**fields: Any) -> Callable[[], Any]:
        values: dict[str, Any] = {
            "meeting": meeting,
            "description": "Tugas",
            "owner_name": "Bu Kades",
        }
        values.update(fields)
        values.setdefault("actor", None)
        return lambda: services.action_item_add(**values)

    _refused(add(description=" "), "cadre.action_description_required")
    _refused(add(owner_name=""), "cadre.action_owner_required")
    _refused(add(owner=other_ppkbd), "cadre.action_owner_other_village")
    _refused(add(due_on=dt.date(2026, 2, 23)), "cadre.action_due_before_meeting")
    _refused(add(actor=world.user("other_district")), None)
    _refused(
        lambda: services.action_item_update(
            item=closed, description="A2", owner_name="B", actor=None
        ),
        "cadre.action_not_open",
    )
    close = services.action_item_close
    _refused(
        lambda: close(item=item, status="open", closed_on=dt.date(2026, 2, 25), actor=None),
        "cadre.action_close_status",
    )
    _refused(
        lambda: close(item=item, status="done", closed_on=dt.date(2026, 2, 23), actor=None),
        "cadre.action_closed_before_meeting",
    )
    _refused(
        lambda: close(item=item, status="done", closed_on=dt.date(2999, 1, 1), actor=None),
        "cadre.date_in_future",
    )
    _refused(
        lambda: close(item=closed, status="done", closed_on=dt.date(2026, 2, 25), actor=None),
        "cadre.action_not_open",
    )
    _refused(
        lambda: close(
            item=item, status="done", closed_on=dt.date(2026, 2, 25), actor=world.user("viewer")
        ),
        None,
    )
    item.refresh_from_db()
    assert (item.status, item.closed_on) == ("open", None)


def test_carry_over_brings_last_months_open_items(
    world: World, figures: None, january: Meeting
) -> None:
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    old = january.action_items.get(status="open")
    assert list(selectors.carry_candidates(february)) == [old]
    carried = services.carry_over(meeting=february, actor=world.user("cadre"))
    assert len(carried) == 1
    new = carried[0]
    assert (new.meeting, new.description, new.owner, new.due_on, new.status, new.carried_from) == (
        february,
        "Kunjungi akseptor drop-out",
        old.owner,
        dt.date(2026, 2, 15),
        "open",
        old,
    )
    old.refresh_from_db()
    assert (old.status, old.closed_on) == ("carried", dt.date(2026, 2, 24))
    # February's agenda still shows the task reviewed (now carried).
    agenda = selectors.agenda_for(user=world.user("cadre"), village_code=VILLAGE, month=FEB)
    assert agenda == expected_february(january)
    assert agenda["open_items"][0]["status"] == "carried"
    # Nothing left to carry: refused, nothing written.
    _refused(lambda: services.carry_over(meeting=february, actor=None), "cadre.nothing_to_carry")
    # The carried task is open in February, so March's agenda reviews it.
    march = selectors.agenda_for(user=world.user("cadre"), village_code=VILLAGE, month=MAR)
    assert [(i["id"], i["status"]) for i in march["open_items"]] == [(new.pk, "open")]


def test_carry_over_refused_out_of_scope(world: World, january: Meeting) -> None:
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    _refused(lambda: services.carry_over(meeting=february, actor=world.user("other_cadre")), None)
    assert january.action_items.filter(status="open").count() == 1


# -- Scope of the reads -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "seen"),
    [
        ("admin", True),
        ("district", True),
        ("pkb", True),
        ("cadre", True),
        ("cadre_rt", False),
        ("partner", False),
        ("viewer", False),
        ("other_district", False),
        ("other_cadre", False),
    ],
)
def test_meeting_reads_are_scoped(
    world: World, january: Meeting, username: str, seen: bool
) -> None:
    user = world.user(username)
    item = january.action_items.first()
    assert item is not None
    if seen:
        assert selectors.meeting_get(user=user, pk=january.pk) == january
        assert selectors.action_item_get(user=user, pk=item.pk) == item
    else:
        with pytest.raises(Http404):
            selectors.meeting_get(user=user, pk=january.pk)
        with pytest.raises(Http404):
            selectors.action_item_get(user=user, pk=item.pk)
    kec = world.area(KEC)
    rows = {
        r.village.code: r.meeting for r in selectors.meeting_rows(user=user, area=kec, month=JAN)
    }
    assert (rows.get(VILLAGE) == january) is seen


def test_meeting_rows_list_every_village_held_or_not(world: World, january: Meeting) -> None:
    # The PKB officer's villages of the kecamatan: Kota Bangun Ulu met, Kota Bangun Ilir did not.
    rows = selectors.meeting_rows(user=world.user("pkb"), area=world.area(KEC), month=JAN)
    assert [(r.village.code, r.meeting is not None) for r in rows] == [
        (VILLAGE, True),
        (VILLAGE_2, False),
    ]
    district = selectors.meeting_rows(user=world.user("district"), area=world.area(KEC), month=JAN)
    villages = Area.objects.filter(parent_id=KEC, level=Level.VILLAGE, is_active=True)
    assert len(district) == villages.count() > 2
    assert [r.village.code for r in district if r.meeting] == [VILLAGE]
    held = rows[0].meeting
    assert held is not None
    assert (held.attendees, held.open_items) == (0, 1)  # type: ignore[attr-defined]


# -- The monthly field-control report ----------------------------------------------------------------


@pytest.fixture(name="field_month")
def field_month_fixture(world: World, cadres: dict[str, Cadre]) -> None:
    """February 2026 in Kota Bangun: the cadre meeting of Kota Bangun Ulu with Siti present, a
    counselling session there and one in Kota Bangun Ilir, two poktan of which one met, and
    activities of January (not counted)."""
    meeting = open_meeting(world, FEB, dt.date(2026, 2, 24))
    services.meeting_attendance_set(meeting=meeting, present=[cadres["siti"].person_id], actor=None)
    village = world.area(VILLAGE)
    bkb = activity_services.poktan_create(kind="bkb", name="BKB Melati", area=village, actor=None)
    activity_services.poktan_create(kind="bkr", name="BKR Mawar", area=village, actor=None)
    activity_services.activity_create(
        data=poktan_session_data(bkb, held_on=dt.date(2026, 2, 11)), actor=None
    )
    activity_services.activity_create(
        data=poktan_session_data(bkb, held_on=dt.date(2026, 1, 14)), actor=None
    )
    for area, held_on in [
        (VILLAGE, dt.date(2026, 2, 5)),
        (VILLAGE_2, dt.date(2026, 2, 6)),
        (VILLAGE, dt.date(2026, 1, 30)),
        (OTHER_VILLAGE, dt.date(2026, 2, 6)),
    ]:
        activity_services.activity_create(
            data=ActivityData(
                kind=ActivityKind.COUNSELLING,
                title="Penyuluhan KB",
                held_on=held_on,
                family_function=FamilyFunction.REPRODUCTION,
                organiser="PKB",
                area=world.area(area),
            ),
            actor=None,
        )


def test_field_control_report(world: World, field_month: None) -> None:
    report = selectors.field_control(area=world.area(KEC), month=dt.date(2026, 2, 14))
    figures = {
        r.area.code: [getattr(r, f) for f in r.FIGURES]
        for r in report.rows
        if r.area and any(getattr(r, f) for f in r.FIGURES)
    }
    assert report.month == FEB
    assert len(report.rows) == Area.objects.filter(parent_id=KEC, is_active=True).count()
    assert figures == {VILLAGE: [2, 1, 2, 1, 1, 1, 1], VILLAGE_2: [0, 0, 0, 0, 0, 1, 0]}
    assert [getattr(report.total, f) for f in report.total.FIGURES] == [2, 1, 2, 1, 1, 2, 1]
    january = selectors.field_control(area=world.area(KEC), month=JAN)
    assert [getattr(january.total, f) for f in january.total.FIGURES] == [2, 0, 2, 1, 0, 1, 1]


def test_field_control_counts_cadres_on_the_roster_in_the_month(
    world: World, cadres: dict[str, Cadre]
) -> None:
    later = register(
        "Rahmawati", role=CadreRole.PKK, area=world.area(VILLAGE), started_on=dt.date(2026, 3, 2)
    )
    assert later.started_on == dt.date(2026, 3, 2)
    feb = selectors.field_control(area=world.area(VILLAGE), month=FEB)
    mar = selectors.field_control(area=world.area(VILLAGE), month=MAR)
    assert (feb.total.cadres, mar.total.cadres) == (2, 3)


def test_field_control_query_count(
    world: World, field_month: None, django_assert_num_queries: Any
) -> None:
    kec = world.area(KEC)
    with django_assert_num_queries(5):
        report = selectors.field_control(area=kec, month=FEB)
    assert report.total.meetings == 1


def test_deleting_the_activity_deletes_the_meeting(world: World, january: Meeting) -> None:
    """An activity recorded in error is deleted on the activities pages: its meeting goes with
    it, and a task carried from it stays in the next month (no longer pointing back)."""
    february = open_meeting(world, FEB, dt.date(2026, 2, 24))
    (carried,) = services.carry_over(meeting=february, actor=None)
    activity_services.activity_delete(activity=january.activity, actor=world.user("pkb"))
    assert not Meeting.objects.filter(pk=january.pk).exists()
    assert not ActionItem.objects.filter(meeting_id=january.pk).exists()
    carried.refresh_from_db()
    assert (carried.meeting, carried.carried_from, carried.status) == (february, None, "open")
