"""Audit events: what changed, by whom, in which area."""

from __future__ import annotations

import decimal

import pytest

from kampungkb.core.audit import audit_record, snapshot
from kampungkb.core.models import AuditEvent
from kampungkb.regions.models import Area
from kampungkb.testing.world import RT, VILLAGE


@pytest.fixture
def rt(world) -> Area:
    return world.area(RT)


def test_snapshot_holds_every_concrete_field_by_attribute_name(rt):
    assert snapshot(rt) == {
        "code": RT,
        "name": "001",
        "level": 6,
        "kind": "rt",
        "parent_id": f"{VILLAGE}.001",
        "postal_code": "",
        "latitude": None,
        "longitude": None,
        "is_active": True,
    }


def test_snapshot_of_chosen_fields(rt):
    assert snapshot(rt, ["code", "name"]) == {"code": RT, "name": "001"}


def test_snapshot_values_are_json_safe(world):
    family = world.family
    family.area.latitude = decimal.Decimal("-0.123456")
    values = snapshot(family)
    assert values["area_id"] == RT
    assert values["head_id"] == family.head_id
    assert "created_at" not in values and "updated_at" not in values
    assert snapshot(family, ["created_at"]) == {"created_at": family.created_at.isoformat()}
    assert snapshot(family.area, ["latitude"]) == {"latitude": "-0.123456"}
    head = family.head
    assert snapshot(head, ["birth_date"]) == {"birth_date": "1988-03-12"}


def test_audit_record_without_before_keeps_the_whole_snapshot(world, rt):
    actor = world.user("cadre")
    event = audit_record(actor=actor, action="area.test", instance=rt, area_code=rt.code)
    event.refresh_from_db()
    assert event.actor == actor
    assert event.action == "area.test"
    assert event.object_type == "regions.area"
    assert event.object_id == RT
    assert event.area_code == RT
    assert event.before == {}
    assert event.after == snapshot(rt)


def test_audit_record_keeps_only_changed_keys(world, rt):
    before = snapshot(rt)
    rt.name = "RT Satu"
    rt.postal_code = "75561"
    event = audit_record(actor=None, action="area.rename", instance=rt, before=before)
    assert event.before == {"name": "001", "postal_code": ""}
    assert event.after == {"name": "RT Satu", "postal_code": "75561"}


def test_audit_record_with_nothing_changed_keeps_no_keys(world, rt):
    event = audit_record(actor=None, action="area.touch", instance=rt, before=snapshot(rt))
    assert event.before == {}
    assert event.after == {}


def test_audit_record_with_explicit_after(world, rt):
    event = audit_record(actor=None, action="x", instance=rt, after={"note": "hello"})
    assert event.before == {}
    assert event.after == {"note": "hello"}


def test_audit_record_key_added_after_counts_as_changed(world, rt):
    event = audit_record(
        actor=None, action="x", instance=rt, before={"a": 1}, after={"a": 1, "b": 2}
    )
    assert event.before == {"b": None}
    assert event.after == {"b": 2}


@pytest.mark.parametrize("actor", [None, "anonymous", "unsaved"])
def test_audit_record_without_a_saved_actor_records_the_system(world, rt, actor):
    from django.contrib.auth.models import AnonymousUser

    from kampungkb.accounts.models import User

    value = {"anonymous": AnonymousUser(), "unsaved": User(username="x"), None: None}[actor]
    event = audit_record(actor=value, action="x", instance=rt)
    assert event.actor_id is None


def test_audit_events_are_listed_newest_first(world, rt):
    first = audit_record(actor=None, action="first", instance=rt)
    second = audit_record(actor=None, action="second", instance=rt)
    events = list(AuditEvent.objects.filter(action__in=["first", "second"]))
    assert events == [second, first]
    assert str(second).endswith("second regions.area#" + RT)


def test_snapshot_never_holds_a_password_hash(world):
    user = world.user("cadre")
    assert "password" not in snapshot(user)
    assert snapshot(user, ["username", "password"]) == {"username": "cadre"}
