"""Recording, correcting and deleting child measurements: the z-scores the service stores, the
audit, the refill mark, the scope, and every refusal leaving nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from kampungkb.core import hooks
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Person, Relation, Sex
from kampungkb.families.services import PersonData, person_add, person_record_death
from kampungkb.stunting import growth_services
from kampungkb.stunting.growth_services import (
    measurement_delete,
    measurement_record,
    measurement_update,
)
from kampungkb.stunting.models import ChildMeasurement
from kampungkb.stunting.tests.growth_world import Kids, kids_fixture  # noqa: F401 - the "kids" fixture
from kampungkb.testing.world import RT, RT_2, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dt.date]]:
    """The ``area_changed`` announcements of the test (the indicators' listener set aside)."""
    calls: list[tuple[str, dt.date]] = []
    listener: Callable[[str, dt.date], None] = lambda code, since: calls.append((code, since))  # noqa: E731
    monkeypatch.setattr(hooks, "_area_listeners", [listener])
    return calls


def _record(child: Person, actor: Any = None, **changes: Any) -> ChildMeasurement:
    values: dict[str, Any] = {
        "measured_on": dt.date(2026, 7, 2),
        "weight_kg": D("8.80"),
        "length_or_height_cm": D("73.0"),
        "position": "lying",
        "oedema": False,
        "place": " Posyandu Melati ",
    }
    values.update(changes)
    return measurement_record(child=child, actor=actor, **values)


def _state() -> tuple[int, int, list[tuple[Any, ...]]]:
    rows = list(
        ChildMeasurement.objects.order_by("pk").values_list(
            "pk", "measured_on", "weight_kg", "length_or_height_cm", "haz", "waz", "whz"
        )
    )
    return ChildMeasurement.objects.count(), AuditEvent.objects.count(), rows


# -- Recording -------------------------------------------------------------------------------------


def test_record_computes_and_stores_the_z_scores(
    kids: Kids, world: World, changed: list[tuple[str, dt.date]]
) -> None:
    cadre = world.user("cadre")
    m = _record(kids.bayu, cadre)
    m.refresh_from_db()
    assert (m.age_days, m.haz, m.waz, m.whz) == (533, D("-3.29"), D("-1.87"), D("-0.39"))
    assert (m.haz_flagged, m.waz_flagged, m.whz_flagged) == (False, False, False)
    assert (m.place, m.recorded_by, m.weight_kg, m.length_or_height_cm) == (
        "Posyandu Melati",
        cadre,
        D("8.80"),
        D("73.0"),
    )
    event = AuditEvent.objects.get(action="measurement.record", object_id=str(m.pk))
    assert (event.actor, event.area_code, event.after["haz"]) == (cadre, RT, "-3.29")
    assert changed == [(RT, dt.date(2026, 7, 1))]


def test_the_fixture_measurements_carry_their_z_scores(kids: Kids) -> None:
    got = {
        (m.child.full_name, m.measured_on.isoformat()): (m.haz, m.waz, m.whz)
        for m in ChildMeasurement.objects.select_related("child")
    }
    assert got == {
        ("Bayu", "2026-03-10"): (D("-3.16"), D("-1.84"), D("-0.33")),
        ("Bayu", "2026-06-05"): (D("-3.38"), D("-1.93"), D("-0.38")),
        ("Bayu", "2026-06-20"): (D("-3.35"), D("-1.91"), D("-0.38")),
        ("Ayu", "2026-04-10"): (D("-6.71"), D("-0.34"), D("5.33")),
        ("Ayu", "2026-05-15"): (D("-0.57"), D("-0.28"), D("0.03")),
        ("Ayu", "2026-06-12"): (D("-0.59"), D("-0.26"), D("0.09")),
        ("Dimas", "2026-05-20"): (D("-2.79"), None, None),
        ("Dimas", "2026-06-03"): (D("-2.57"), D("-2.64"), D("-1.84")),
        ("Zaki", "2026-06-10"): (D("-2.31"), D("-1.32"), D("-0.25")),
    }
    ayu = kids.measurement(kids.ayu, "2026-04-10")
    assert (ayu.haz_flagged, ayu.waz_flagged, ayu.whz_flagged) == (True, False, True)


def test_a_child_measured_standing_under_2_is_scored_with_07_cm_more(kids: Kids) -> None:
    lying = _record(kids.bayu, length_or_height_cm=D("73.7"))
    standing = _record(
        kids.bayu,
        measured_on=dt.date(2026, 7, 3),
        length_or_height_cm=D("73.0"),
        position="standing",
    )
    # One day apart: the same length once corrected, the z-score within a hundredth.
    assert (lying.haz, standing.haz) == (D("-3.02"), D("-3.03"))
    assert (lying.whz, standing.whz) == (D("-0.59"), D("-0.59"))


def test_oedema_leaves_the_weight_z_scores_empty(kids: Kids) -> None:
    m = _record(kids.bayu, oedema=True)
    assert (m.haz, m.waz, m.whz, m.oedema) == (D("-3.29"), None, None, True)


def test_a_measurement_before_a_death_may_be_recorded(kids: Kids) -> None:
    person_record_death(person=kids.bayu, died_on=dt.date(2026, 7, 5), actor=None)
    kids.bayu.refresh_from_db()
    assert _record(kids.bayu).haz == D("-3.29")


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"measured_on": dt.date(2099, 1, 1)}, "measured_on", "growth.measured_in_future"),
        ({"measured_on": dt.date(2025, 1, 14)}, "measured_on", "growth.before_birth"),
        ({"weight_kg": D("0.4")}, "weight_kg", "growth.weight_range"),
        ({"weight_kg": D("50.01")}, "weight_kg", "growth.weight_range"),
        ({"weight_kg": "sembilan"}, "weight_kg", "growth.weight_range"),
        ({"weight_kg": D("8.805")}, "weight_kg", "max_decimal_places"),
        ({"length_or_height_cm": D("34.9")}, "length_or_height_cm", "growth.length_range"),
        ({"length_or_height_cm": D("130.1")}, "length_or_height_cm", "growth.length_range"),
        ({"length_or_height_cm": D("73.05")}, "length_or_height_cm", "max_decimal_places"),
        ({"position": "sitting"}, "position", "invalid_choice"),
        ({"measured_on": dt.date(2026, 6, 20)}, "measured_on", "growth.measured_twice"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    kids: Kids, changes: dict[str, Any], field: str, code: str
) -> None:
    before = _state()
    with pytest.raises(ValidationError) as error:
        _record(kids.bayu, **changes)
    assert [e.code for e in error.value.error_dict[field]] == [code]
    assert _state() == before


def test_a_child_of_5_is_refused(kids: Kids) -> None:
    rizky = Person.objects.get(full_name="Rizky Pratama")  # born 2015
    before = _state()
    with pytest.raises(ValidationError) as error:
        _record(rizky, length_or_height_cm=D("120.0"), weight_kg=D("22"))
    assert error.value.error_dict["measured_on"][0].code == "growth.not_under_five"
    assert _state() == before


def test_the_fifth_birthday_is_the_first_day_refused(kids: Kids, world: World) -> None:
    sari = person_add(
        family=world.family_no_nik,
        data=PersonData(
            full_name="Sari",
            sex=Sex.FEMALE,
            birth_date=dt.date(2021, 7, 1),
            relation_to_head=Relation.GRANDCHILD,
        ),
        actor=None,
    )
    last_day = _record(
        sari, measured_on=dt.date(2026, 6, 30), weight_kg=D("17"), length_or_height_cm=D("108")
    )
    assert (last_day.age_days, last_day.haz) == (1825, D("-0.44"))
    before = _state()
    with pytest.raises(ValidationError) as error:
        _record(sari, measured_on=dt.date(2026, 7, 1), length_or_height_cm=D("108"))
    assert error.value.error_dict["measured_on"][0].code == "growth.not_under_five"
    assert _state() == before


def test_after_the_death_is_refused(kids: Kids) -> None:
    person_record_death(person=kids.bayu, died_on=dt.date(2026, 7, 1), actor=None)
    kids.bayu.refresh_from_db()
    before = _state()
    with pytest.raises(ValidationError) as error:
        _record(kids.bayu)
    assert error.value.error_dict["measured_on"][0].code == "growth.child_died"
    assert _state() == before


def test_a_child_off_the_register_is_refused(kids: Kids) -> None:
    Person.objects.filter(pk=kids.bayu.pk).update(is_active=False)
    kids.bayu.refresh_from_db()
    before = _state()
    with pytest.raises(ValidationError) as error:
        _record(kids.bayu)
    assert error.value.error_dict["child"][0].code == "growth.child_inactive"
    assert _state() == before


@pytest.mark.parametrize(
    "username", ["cadre_rt", "partner", "viewer", "other_cadre", "other_district"]
)
def test_outside_the_writers_area_is_not_found(kids: Kids, world: World, username: str) -> None:
    before = _state()
    with pytest.raises(Http404):
        _record(kids.dimas, world.user(username))  # RT 002: not the RT cadre's
    assert _state() == before


@pytest.mark.parametrize("username", ["admin", "district", "pkb", "cadre"])
def test_the_villages_writers_may_record(kids: Kids, world: World, username: str) -> None:
    assert _record(kids.dimas, world.user(username)).recorded_by == world.user(username)


def test_the_rt_cadre_records_in_her_rt(kids: Kids, world: World) -> None:
    assert _record(kids.bayu, world.user("cadre_rt")).child == kids.bayu


# -- Correcting and deleting ----------------------------------------------------------------------


def test_update_computes_the_z_scores_again(
    kids: Kids, world: World, changed: list[tuple[str, dt.date]]
) -> None:
    m = kids.measurement(kids.bayu, "2026-06-20")
    cadre = world.user("cadre")
    measurement_update(
        measurement=m,
        measured_on=dt.date(2026, 5, 28),
        weight_kg=D("8.70"),
        length_or_height_cm=D("75.5"),
        position="lying",
        oedema=False,
        place="Posyandu Melati",
        actor=cadre,
    )
    m.refresh_from_db()
    assert (m.measured_on, m.age_days, m.haz, m.waz, m.whz) == (
        dt.date(2026, 5, 28),
        498,
        D("-1.95"),
        D("-1.78"),
        D("-1.21"),
    )
    event = AuditEvent.objects.get(action="measurement.update")
    assert event.before == {
        "measured_on": "2026-06-20",
        "age_days": 521,
        "length_or_height_cm": "72.5",
        "haz": "-3.35",
        "waz": "-1.91",
        "whz": "-0.38",
    }
    assert (event.after["haz"], event.area_code) == ("-1.95", RT)
    # The earlier of the two months is refilled.
    assert changed == [(RT, dt.date(2026, 5, 1))]


def test_an_update_refused_changes_nothing(kids: Kids, world: World) -> None:
    m = kids.measurement(kids.bayu, "2026-06-20")
    before = _state()
    with pytest.raises(ValidationError):
        measurement_update(
            measurement=m,
            measured_on=dt.date(2026, 6, 5),  # Bayu's other June measurement
            weight_kg=D("8.70"),
            length_or_height_cm=D("72.5"),
            position="lying",
            actor=world.user("cadre"),
        )
    assert _state() == before
    with pytest.raises(Http404):
        measurement_update(
            measurement=m,
            measured_on=m.measured_on,
            weight_kg=D("9.70"),
            length_or_height_cm=D("72.5"),
            position="lying",
            actor=world.user("other_cadre"),
        )
    assert _state() == before


def test_delete_audits_the_values_and_marks_the_month(
    kids: Kids, world: World, changed: list[tuple[str, dt.date]]
) -> None:
    m = kids.measurement(kids.dimas, "2026-06-03")
    pk = m.pk
    measurement_delete(measurement=m, actor=world.user("cadre"))
    assert not ChildMeasurement.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="measurement.delete")
    assert (event.object_id, event.area_code, event.before["weight_kg"]) == (str(pk), RT_2, "9.00")
    assert event.after["weight_kg"] is None
    assert changed == [(RT_2, dt.date(2026, 6, 1))]


def test_delete_outside_the_area_is_not_found(kids: Kids, world: World) -> None:
    m = kids.measurement(kids.dimas, "2026-06-03")
    before = _state()
    for username in ("cadre_rt", "other_cadre", "viewer"):
        with pytest.raises(Http404):
            measurement_delete(measurement=m, actor=world.user(username))
    assert _state() == before


def test_a_second_measurement_of_the_day_written_at_the_same_moment_is_refused(kids: Kids) -> None:
    # The check before writing has passed for both writers; the database's constraint decides.
    first = kids.measurement(kids.bayu, "2026-06-20")
    twin = ChildMeasurement(
        child=kids.bayu,
        measured_on=first.measured_on,
        weight_kg=first.weight_kg,
        length_or_height_cm=first.length_or_height_cm,
        position=first.position,
        age_days=first.age_days,
    )
    before = _state()
    with pytest.raises(ValidationError) as error:
        growth_services._save(twin)
    assert error.value.error_dict["measured_on"][0].code == "growth.measured_twice"
    assert _state() == before
