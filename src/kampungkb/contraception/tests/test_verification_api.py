"""Verifying cadres' home visits through the API (decision 0028): only a supervisor (PKB officer,
district, admin) of the family's area verifies or rejects, never a visit they recorded; all or
none of the visits sent change; anything outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from kampungkb.contraception import services
from kampungkb.contraception.models import FollowUp
from kampungkb.families.models import Couple
from kampungkb.testing.world import USERS, World

ApiFor = Callable[[str], Client]
ALL_USERS = tuple(USERS)
SUPERVISORS = ("admin", "district", "pkb")
URL = "/api/followups/verify"


def send(client: Client, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json")


def record(world: World, wife: str, day: int, by: str, outcome: str = "visited") -> FollowUp:
    return services.followup_record(
        couple=Couple.objects.get(wife__full_name=wife),
        episode=None,
        done_on=dt.date(2025, 3, day),
        outcome=outcome,
        actor=world.user(by),
    )


@pytest.fixture
def visits(world: World) -> list[FollowUp]:
    """Two home visits of Siti Aminah recorded by the village cadre in March 2025."""
    return [record(world, "Siti Aminah", 3, "cadre"), record(world, "Siti Aminah", 6, "cadre")]


@pytest.fixture
def other_visit(world: World) -> FollowUp:
    """A home visit of Baiq Nurul (Lombok Timur) by the cadre there."""
    return record(world, "Baiq Nurul", 4, "other_cadre")


def states() -> list[tuple[Any, ...]]:
    return list(
        FollowUp.objects.order_by("pk").values_list(
            "pk", "verification", "verified_by", "verified_at", "verification_note"
        )
    )


def the_error(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    return error


@pytest.mark.parametrize("username", ALL_USERS)
def test_verify_by_role(
    api_as: ApiFor, world: World, visits: list[FollowUp], username: str
) -> None:
    before = states()
    response = send(api_as(username), {"ids": [v.pk for v in visits], "verification": "verified"})
    assert response.status_code == (200 if username in SUPERVISORS else 404)
    if response.status_code != 200:
        assert states() == before
        return
    rows = FollowUp.objects.order_by("pk")
    assert response.json() == {
        "changed": 2,
        "follow_ups": [
            {
                "id": row.pk,
                "couple_id": row.couple_id,
                "episode_id": None,
                "due_on": None,
                "done_on": row.done_on.isoformat(),
                "outcome": "visited",
                "barrier": "",
                "note": "",
                "verification": "verified",
                "verified_by": username,
                "verified_at": DjangoJSONEncoder().default(row.verified_at),
                "verification_note": "",
            }
            for row in rows
        ],
    }
    assert {(r.verification, r.verified_by) for r in rows} == {("verified", world.user(username))}
    # Sent again, nothing changes.
    again = send(api_as(username), {"ids": [v.pk for v in visits], "verification": "verified"})
    assert again.json()["changed"] == 0


def test_reject_with_a_reason(api_as: ApiFor, world: World, visits: list[FollowUp]) -> None:
    body = {"ids": [visits[1].pk], "verification": "rejected", "note": " Tidak ada di rumah "}
    response = send(api_as("pkb"), body)
    assert response.status_code == 200
    [row] = response.json()["follow_ups"]
    assert (row["id"], row["verification"], row["verified_by"], row["verification_note"]) == (
        visits[1].pk,
        "rejected",
        "pkb",
        "Tidak ada di rumah",
    )
    assert FollowUp.objects.get(pk=visits[0].pk).verification == "pending"


@pytest.mark.parametrize(
    ("body", "field", "code", "message_id", "message_en"),
    [
        (
            {"verification": "rejected", "note": " "},
            "note",
            "contraception.verification_reason_required",
            "Tuliskan alasan penolakan kunjungan.",
            "Write why the visit is rejected.",
        ),
        (
            {"verification": "pending"},
            "verification",
            "contraception.verification_unknown",
            "Kunjungan diverifikasi atau ditolak.",
            "A visit is verified or rejected.",
        ),
        (
            {"verification": "verified", "ids": []},
            "ids",
            "contraception.nothing_to_verify",
            "Pilih sedikitnya satu kunjungan.",
            "Choose at least one visit.",
        ),
    ],
)
def test_refusals_are_bilingual_and_write_nothing(
    api_as: ApiFor,
    visits: list[FollowUp],
    body: dict[str, Any],
    field: str,
    code: str,
    message_id: str,
    message_en: str,
) -> None:
    before = states()
    error = the_error(send(api_as("district"), {"ids": [v.pk for v in visits]} | body))
    assert error == {
        "field": field,
        "code": code,
        "message_id": message_id,
        "message_en": message_en,
    }
    assert states() == before


def test_a_visit_of_ones_own_is_refused_and_none_changes(
    api_as: ApiFor, world: World, visits: list[FollowUp]
) -> None:
    own = record(world, "Siti Aminah", 7, "pkb")
    before = states()
    body = {"ids": [visits[0].pk, own.pk], "verification": "verified"}
    error = the_error(send(api_as("pkb"), body))
    assert error == {
        "field": "__all__",
        "code": "contraception.verify_own_visit",
        "message_id": "Kunjungan yang Anda catat sendiri diverifikasi oleh orang lain.",
        "message_en": "A visit you recorded yourself is verified by someone else.",
    }
    assert states() == before
    # Someone else verifies it.
    assert send(api_as("district"), body).json()["changed"] == 2


def test_out_of_scope_visits_are_not_found(
    api_as: ApiFor, visits: list[FollowUp], other_visit: FollowUp
) -> None:
    before = states()
    mixed = {"ids": [visits[0].pk, other_visit.pk], "verification": "verified"}
    assert send(api_as("district"), mixed).status_code == 404
    assert send(api_as("other_district"), mixed).status_code == 404
    missing = {"ids": [visits[0].pk, other_visit.pk + 1000], "verification": "verified"}
    assert send(api_as("admin"), missing).status_code == 404
    assert states() == before
    # The supervisor of Lombok Timur verifies its own area's visit only.
    own = {"ids": [other_visit.pk], "verification": "verified"}
    assert send(api_as("other_district"), own).json()["changed"] == 1
    assert FollowUp.objects.get(pk=visits[0].pk).verification == "pending"


def test_a_schema_refusal_writes_nothing(api_as: ApiFor, visits: list[FollowUp]) -> None:
    before = states()
    error = the_error(send(api_as("pkb"), {"ids": [visits[0].pk], "verification": "ok"}))
    assert (error["field"], error["code"]) == ("verification", "request.invalid")
    error = the_error(send(api_as("pkb"), {"verification": "verified"}))
    assert (error["field"], error["code"]) == ("ids", "request.missing")
    assert states() == before
