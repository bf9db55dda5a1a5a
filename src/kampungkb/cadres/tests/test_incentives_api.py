"""The incentive ledger through the API (decision 0028): rules, the monthly proposal through its
maker-checker cycle, the trace of every amount, the visits to verify and the cadre's login.

Each endpoint is tried by every role of the world: the PKB officer computes and proposes, only a
district officer who did not propose approves, returns and records payments; a caller without
the capability, or outside the area, is answered 404 and nothing changes. Amounts are exact with
``earning_ppkbd`` (Rp 225.000 in March 2025)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from kampungkb.activities.models import Activity
from kampungkb.cadres import incentives_services
from kampungkb.cadres.models import (
    Cadre,
    IncentiveBatch,
    IncentiveEvent,
    IncentiveItem,
    IncentiveLine,
    IncentiveRule,
    Meeting,
)
from kampungkb.cadres.tests.conftest import (
    INCENTIVE_MONTH,
    person,
)
from kampungkb.contraception import services as contraception_services
from kampungkb.contraception.models import Episode, FollowUp
from kampungkb.testing.world import KAB, OTHER_KAB, RT, USERS, VILLAGE, VILLAGE_2, World

ApiFor = Callable[[str], Client]
ALL_USERS = tuple(USERS)
# Who holds each capability in Kota Bangun Ulu (accounts.scope.ROLE_CAPABILITIES).
READERS = ("admin", "district", "pkb", "cadre")  # view_persons: the proposals and their lines
MAKERS = ("admin", "district", "pkb")  # supervise_cadres: verify, compute, propose, reopen
CHECKERS = ("admin", "district")  # approve_incentives: rules, approve, return, pay
AGGREGATE = ("partner", "viewer")
MARCH = "2025-03"


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(url, body or {}, content_type="application/json")


def status_for(username: str, allowed: tuple[str, ...], ok: int = 200) -> int:
    return ok if username in allowed else 404


def batch_row(batch: IncentiveBatch) -> tuple[Any, ...]:
    """What a refused write must leave as it was."""
    batch.refresh_from_db()
    return (
        batch.status,
        batch.revision,
        batch.total,
        batch.proposed_by_id,
        batch.decided_by_id,
        batch.return_reason,
        IncentiveLine.objects.count(),
        IncentiveLine.objects.filter(paid_on__isnull=False).count(),
        IncentiveEvent.objects.count(),
    )


def the_error(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    return error


@pytest.fixture
def batch(world: World, earning_ppkbd: Cadre) -> IncentiveBatch:
    """March 2025 of Kota Bangun Ulu computed by the PKB officer (a draft)."""
    return incentives_services.batch_compute(
        village=world.area(VILLAGE), month=INCENTIVE_MONTH, actor=world.user("pkb")
    )


def proposed(world: World, batch: IncentiveBatch) -> IncentiveBatch:
    return incentives_services.batch_propose(batch=batch, actor=world.user("pkb"))


def approved(world: World, batch: IncentiveBatch) -> IncentiveBatch:
    return incentives_services.batch_approve(
        batch=proposed(world, batch), actor=world.user("district")
    )


def reject(world: World, *days: int) -> None:
    """Reject verified visits of March (the records change after the computation)."""
    contraception_services.followups_verify(
        follow_ups=list(FollowUp.objects.filter(done_on__in=[dt.date(2025, 3, d) for d in days])),
        verification="rejected",
        note="Keluarga pindah",
        actor=world.user("pkb"),
    )


# -- Rules ------------------------------------------------------------------------------------------

RULE_BODY = {
    "area": KAB,
    "role": "ppkbd",
    "valid_from": "2025-06",
    "base_honorarium": 150_000,
    "per_home_visit": 12_500,
    "per_referral": 30_000,
    "per_meeting": 20_000,
    "per_training": 50_000,
    "max_home_visits": 8,
    "max_referrals": None,
    "max_total": 400_000,
    "referral_window_days": 60,
    "note": "Perbup 3/2025",
}


def rule_out(rule: IncentiveRule, in_use: bool = False) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "area": KAB,
        "area_name": "Kabupaten Kutai Kartanegara",
        "role": rule.role,
        "valid_from": rule.valid_from.strftime("%Y-%m"),
        "base_honorarium": rule.base_honorarium,
        "per_home_visit": rule.per_home_visit,
        "per_referral": rule.per_referral,
        "per_meeting": rule.per_meeting,
        "per_training": rule.per_training,
        "max_home_visits": rule.max_home_visits,
        "max_referrals": rule.max_referrals,
        "max_total": rule.max_total,
        "referral_window_days": rule.referral_window_days,
        "note": rule.note,
        "in_use": in_use,
    }


def rule_values(rule: IncentiveRule) -> dict[str, Any]:
    return dict(IncentiveRule.objects.filter(pk=rule.pk).values().get())


@pytest.mark.parametrize("username", ALL_USERS)
def test_rule_list_by_role(
    api_as: ApiFor, world: World, incentive_rule: IncentiveRule, username: str
) -> None:
    client = api_as(username)
    response = client.get("/api/cadres/incentive-rules")
    assert response.status_code == 200
    # The rules of the district of the caller's areas, or above them (a village officer reads
    # the rates that pay its cadres); a rule holds no personal data.
    sees = username not in ("other_district", "other_cadre")
    assert response.json() == {
        "items": [rule_out(incentive_rule)] if sees else [],
        "count": 1 if sees else 0,
    }
    # For one of its areas, the rules that pay the cadres there.
    for_village = client.get("/api/cadres/incentive-rules", {"area": VILLAGE})
    if username in ("cadre_rt", "other_district", "other_cadre"):
        assert for_village.status_code == 404
    else:
        assert [r["id"] for r in for_village.json()["items"]] == [incentive_rule.pk]
    if username == "district":
        other = client.get("/api/cadres/incentive-rules", {"area": VILLAGE_2})
        assert [r["id"] for r in other.json()["items"]] == [incentive_rule.pk]


def test_rule_list_for_another_district(api_as: ApiFor, incentive_rule: IncentiveRule) -> None:
    assert api_as("other_district").get("/api/cadres/incentive-rules").json()["items"] == []
    response = api_as("other_district").get("/api/cadres/incentive-rules", {"area": OTHER_KAB})
    assert response.json()["items"] == []


@pytest.mark.parametrize("username", ALL_USERS)
def test_rule_create_by_role(api_as: ApiFor, world: World, username: str) -> None:
    response = send(api_as(username), "post", "/api/cadres/incentive-rules", RULE_BODY)
    assert response.status_code == status_for(username, CHECKERS, 201)
    if response.status_code != 201:
        assert IncentiveRule.objects.count() == 0
        return
    rule = IncentiveRule.objects.get()
    assert response.json() == rule_out(rule)
    assert (rule.valid_from, rule.max_total, rule.recorded_by) == (
        dt.date(2025, 6, 1),
        400_000,
        world.user(username),
    )


@pytest.mark.parametrize(
    ("change", "field", "code", "message_en"),
    [
        (
            {"area": VILLAGE},
            "area",
            "cadre.rule_area_level",
            "Incentive rules are set for a district.",
        ),
        (
            {"valid_from": "2025-01", "role": ""},
            "valid_from",
            "cadre.rule_exists",
            "There is already a rule for this role in force from 01-2025.",
        ),
        (
            {"valid_from": "2025-13"},
            "valid_from",
            "cadre.month_invalid",
            "The month is written YYYY-MM, for example 2025-03.",
        ),
    ],
)
def test_rule_create_refusals_are_bilingual(
    api_as: ApiFor,
    incentive_rule: IncentiveRule,
    change: dict[str, Any],
    field: str,
    code: str,
    message_en: str,
) -> None:
    before = rule_values(incentive_rule)
    error = the_error(
        send(api_as("district"), "post", "/api/cadres/incentive-rules", RULE_BODY | change)
    )
    assert (error["field"], error["code"], error["message_en"]) == (field, code, message_en)
    assert error["message_id"] and error["message_id"] != error["message_en"]
    assert IncentiveRule.objects.count() == 1
    assert rule_values(incentive_rule) == before


def test_rule_of_another_district_is_not_found(
    api_as: ApiFor, incentive_rule: IncentiveRule
) -> None:
    client = api_as("other_district")
    before = rule_values(incentive_rule)
    url = f"/api/cadres/incentive-rules/{incentive_rule.pk}"
    assert send(client, "put", url, RULE_BODY).status_code == 404
    assert send(client, "patch", url, {"per_meeting": 1}).status_code == 404
    assert send(client, "post", "/api/cadres/incentive-rules", RULE_BODY).status_code == 404
    assert rule_values(incentive_rule) == before
    assert IncentiveRule.objects.count() == 1


@pytest.mark.parametrize("username", ALL_USERS)
def test_rule_update_by_role(api_as: ApiFor, incentive_rule: IncentiveRule, username: str) -> None:
    before = rule_values(incentive_rule)
    url = f"/api/cadres/incentive-rules/{incentive_rule.pk}"
    response = send(api_as(username), "put", url, RULE_BODY | {"valid_from": "2025-01"})
    assert response.status_code == status_for(username, CHECKERS)
    incentive_rule.refresh_from_db()
    if response.status_code != 200:
        assert rule_values(incentive_rule) == before
        return
    assert response.json() == rule_out(incentive_rule)
    assert (incentive_rule.role, incentive_rule.per_home_visit, incentive_rule.max_total) == (
        "ppkbd",
        12_500,
        400_000,
    )


def test_rule_patch_keeps_what_is_not_sent(api_as: ApiFor, incentive_rule: IncentiveRule) -> None:
    url = f"/api/cadres/incentive-rules/{incentive_rule.pk}"
    response = send(
        api_as("district"), "patch", url, {"per_meeting": 25_000, "max_home_visits": None}
    )
    assert response.status_code == 200
    incentive_rule.refresh_from_db()
    assert response.json() == rule_out(incentive_rule)
    assert (
        incentive_rule.per_meeting,
        incentive_rule.max_home_visits,
        incentive_rule.base_honorarium,
        incentive_rule.valid_from,
        incentive_rule.note,
    ) == (25_000, None, 100_000, dt.date(2025, 1, 1), "Perbup 12/2024")
    # A value the schema refuses writes nothing either.
    for body in ({"per_meeting": -1}, {"per_meeting": None}):
        error = the_error(send(api_as("district"), "patch", url, body))
        assert (error["field"], error["code"]) == ("per_meeting", "request.invalid")
    incentive_rule.refresh_from_db()
    assert incentive_rule.per_meeting == 25_000


def test_a_rule_in_use_is_refused(
    api_as: ApiFor, world: World, batch: IncentiveBatch, incentive_rule: IncentiveRule
) -> None:
    approved(world, batch)
    listed = api_as("district").get("/api/cadres/incentive-rules").json()["items"]
    assert listed == [rule_out(incentive_rule, in_use=True)]
    before = rule_values(incentive_rule)
    url = f"/api/cadres/incentive-rules/{incentive_rule.pk}"
    error = the_error(send(api_as("district"), "patch", url, {"per_meeting": 1}))
    assert (error["field"], error["code"]) == ("__all__", "cadre.rule_in_use")
    assert error["message_en"] == (
        "This rule already pays approved incentives; set a new rule from a later month."
    )
    assert error["message_id"].startswith("Aturan ini sudah dipakai")
    assert rule_values(incentive_rule) == before


# -- The proposal -----------------------------------------------------------------------------------


def line_out(line: IncentiveLine, **changes: Any) -> dict[str, Any]:
    values = {
        "id": line.pk,
        "cadre_id": line.cadre_id,
        "name": "Siti Aminah",
        "role": "ppkbd",
        "area": VILLAGE,
        "rule_id": line.rule_id,
        "home_visits": 3,
        "referrals": 1,
        "meetings": 1,
        "trainings": 1,
        "base_amount": 100_000,
        "visits_amount": 30_000,
        "referrals_amount": 25_000,
        "meetings_amount": 20_000,
        "trainings_amount": 50_000,
        "capped_amount": 0,
        "total": 225_000,
        "paid_on": None,
        "payment_reference": "",
        "paid_by": None,
    }
    return values | changes


def iso(moment: dt.datetime | None) -> str | None:
    """A datetime as the API writes it."""
    return None if moment is None else DjangoJSONEncoder().default(moment)


def batch_out(batch: IncentiveBatch, **changes: Any) -> dict[str, Any]:
    batch.refresh_from_db()
    values = {
        "id": batch.pk,
        "village": VILLAGE,
        "village_name": "Kota Bangun Ulu",
        "month": MARCH,
        "status": batch.status,
        "revision": batch.revision,
        "total": batch.total,
        "cadre_count": 1,
        "computed_at": iso(batch.computed_at),
        "proposed_by": batch.proposed_by.username if batch.proposed_by else None,
        "proposed_at": iso(batch.proposed_at),
        "decided_by": batch.decided_by.username if batch.decided_by else None,
        "decided_at": iso(batch.decided_at),
        "return_reason": batch.return_reason,
    }
    return values | changes


def events(body: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["revision"], e["action"], e["total"], e["reason"], e["actor"]) for e in body]


@pytest.mark.parametrize("username", ALL_USERS)
def test_compute_by_role(api_as: ApiFor, world: World, earning_ppkbd: Cadre, username: str) -> None:
    response = send(
        api_as(username),
        "post",
        "/api/cadres/incentives/compute",
        {"village": VILLAGE, "month": MARCH},
    )
    assert response.status_code == status_for(username, MAKERS)
    if response.status_code != 200:
        assert (IncentiveBatch.objects.count(), IncentiveLine.objects.count()) == (0, 0)
        return
    body = response.json()
    batch = IncentiveBatch.objects.get()
    [line] = IncentiveLine.objects.all()
    assert body == batch_out(batch, status="draft", revision=1, total=225_000) | {
        "lines": [line_out(line)],
        "events": [
            {
                "revision": 1,
                "action": "computed",
                "total": 225_000,
                "reason": "",
                "actor": username,
                "at": iso(IncentiveEvent.objects.get().at),
            }
        ],
        "drift": None,
    }
    assert IncentiveItem.objects.count() == 8


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"village": KAB, "month": MARCH}, "village", "cadre.incentive_village_level"),
        ({"village": VILLAGE, "month": "2099-01"}, "month", "cadre.incentive_month_in_future"),
        ({"village": VILLAGE, "month": "2025-00"}, "month", "cadre.month_invalid"),
        ({"village": VILLAGE, "month": "March"}, "month", "request.invalid"),
        ({"village": VILLAGE}, "month", "request.missing"),
    ],
)
def test_compute_refusals_are_bilingual(
    api_as: ApiFor, earning_ppkbd: Cadre, body: dict[str, Any], field: str, code: str
) -> None:
    error = the_error(send(api_as("district"), "post", "/api/cadres/incentives/compute", body))
    assert (error["field"], error["code"]) == (field, code)
    assert error["message_id"] and error["message_en"]
    assert (IncentiveBatch.objects.count(), IncentiveEvent.objects.count()) == (0, 0)


def test_compute_outside_the_area_is_not_found(api_as: ApiFor, earning_ppkbd: Cadre) -> None:
    body = {"village": VILLAGE, "month": MARCH}
    assert (
        send(api_as("other_district"), "post", "/api/cadres/incentives/compute", body).status_code
        == 404
    )
    # The PKB officer of Kota Bangun Ulu and Ilir does not compute for the whole kecamatan.
    other = {"village": VILLAGE_2, "month": MARCH}
    assert send(api_as("pkb"), "post", "/api/cadres/incentives/compute", other).status_code == 200
    assert list(IncentiveBatch.objects.values_list("village_id", flat=True)) == [VILLAGE_2]


@pytest.mark.parametrize("username", ALL_USERS)
def test_batch_list_and_detail_by_role(
    api_as: ApiFor, batch: IncentiveBatch, username: str
) -> None:
    client = api_as(username)
    listed = client.get("/api/cadres/incentives")
    if username in AGGREGATE:
        assert listed.status_code == 404
    else:
        expected = [batch_out(batch)] if username in READERS else []
        assert listed.json() == {"items": expected, "count": len(expected)}
    detail = client.get(f"/api/cadres/incentives/{batch.pk}")
    assert detail.status_code == status_for(username, READERS)
    if username in READERS:
        assert detail.json()["total"] == 225_000
        assert [line["total"] for line in detail.json()["lines"]] == [225_000]


def test_batch_list_filters(api_as: ApiFor, batch: IncentiveBatch) -> None:
    client = api_as("district")

    def ids(**params: str) -> list[int]:
        response = client.get("/api/cadres/incentives", params)
        assert response.status_code == 200, response.content
        return [b["id"] for b in response.json()["items"]]

    assert ids(month=MARCH) == [batch.pk]
    assert ids(month="2025-04") == []
    assert ids(status="draft") == [batch.pk]
    assert ids(status="approved") == []
    assert ids(area=VILLAGE) == [batch.pk]
    assert ids(area=VILLAGE_2) == []
    assert client.get("/api/cadres/incentives", {"area": OTHER_KAB}).status_code == 404
    error = the_error(client.get("/api/cadres/incentives", {"status": "done"}))
    assert (error["field"], error["code"]) == ("status", "request.invalid")
    error = the_error(client.get("/api/cadres/incentives", {"month": "2025-3"}))
    assert (error["field"], error["code"], error["message_en"]) == (
        "month",
        "cadre.month_invalid",
        "The month is written YYYY-MM, for example 2025-03.",
    )


def test_batch_list_query_count(
    api_as: ApiFor, world: World, batch: IncentiveBatch, django_assert_num_queries: Any
) -> None:
    approved(world, batch)
    incentives_services.batch_compute(
        village=world.area(VILLAGE_2), month=INCENTIVE_MONTH, actor=world.user("admin")
    )
    client = api_as("district")
    client.get("/api/cadres/incentives")  # the token's first use is noted once
    # The token with its user, the scope, the count, the page with villages and signatures.
    with django_assert_num_queries(4):
        items = client.get("/api/cadres/incentives").json()["items"]
    assert [(b["village"], b["decided_by"], b["cadre_count"]) for b in items] == [
        (VILLAGE, "district", 1),
        (VILLAGE_2, None, 0),
    ]


def test_drift_when_the_records_change(api_as: ApiFor, world: World, batch: IncentiveBatch) -> None:
    reject(world, 3, 4)  # two of the four verified visits: 2 paid instead of 3
    body = api_as("pkb").get(f"/api/cadres/incentives/{batch.pk}").json()
    assert body["drift"] == {
        "stored_total": 225_000,
        "fresh_total": 215_000,
        "changed": ["Siti Aminah"],
    }
    before = batch_row(batch)
    error = the_error(send(api_as("pkb"), "post", f"/api/cadres/incentives/{batch.pk}/propose"))
    assert error["code"] == "cadre.incentive_stale"
    assert error["message_en"] == (
        "The records changed since the incentives were computed (total now Rp 215.000, stored "
        "Rp 225.000). Compute again and check before proposing or approving."
    )
    assert error["message_id"].startswith("Data kegiatan berubah sejak insentif dihitung")
    assert batch_row(batch) == before
    # Computed again, it matches the records.
    again = send(
        api_as("pkb"),
        "post",
        "/api/cadres/incentives/compute",
        {"village": VILLAGE, "month": MARCH},
    ).json()
    assert (again["id"], again["total"], again["drift"]) == (batch.pk, 215_000, None)
    assert [e["action"] for e in again["events"]] == ["computed", "computed"]


@pytest.mark.parametrize("username", ALL_USERS)
def test_propose_by_role(
    api_as: ApiFor, world: World, batch: IncentiveBatch, username: str
) -> None:
    before = batch_row(batch)
    response = send(api_as(username), "post", f"/api/cadres/incentives/{batch.pk}/propose")
    assert response.status_code == status_for(username, MAKERS)
    if response.status_code != 200:
        assert batch_row(batch) == before
        return
    body = response.json()
    assert (body["status"], body["proposed_by"], body["total"]) == ("proposed", username, 225_000)
    assert events(body["events"])[-1] == (1, "proposed", 225_000, "", username)


@pytest.mark.parametrize("username", ALL_USERS)
def test_approve_and_return_by_role(
    api_as: ApiFor, world: World, batch: IncentiveBatch, username: str
) -> None:
    proposed(world, batch)  # by the PKB officer
    before = batch_row(batch)
    client = api_as(username)
    returned = send(client, "post", f"/api/cadres/incentives/{batch.pk}/return", {"reason": "Cek"})
    assert returned.status_code == status_for(username, CHECKERS)
    if returned.status_code != 200:
        assert batch_row(batch) == before
        assert send(client, "post", f"/api/cadres/incentives/{batch.pk}/approve").status_code == 404
        assert batch_row(batch) == before
        return
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("returned", "Cek")
    proposed(world, batch)
    response = send(client, "post", f"/api/cadres/incentives/{batch.pk}/approve")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("approved", username)


def test_the_whole_cycle(api_as: ApiFor, world: World, earning_ppkbd: Cadre) -> None:
    pkb, district = api_as("pkb"), api_as("district")
    computed = send(
        pkb, "post", "/api/cadres/incentives/compute", {"village": VILLAGE, "month": MARCH}
    )
    assert (computed.status_code, computed.json()["total"]) == (200, 225_000)
    batch = IncentiveBatch.objects.get()
    url = f"/api/cadres/incentives/{batch.pk}"

    body = send(pkb, "post", f"{url}/propose").json()
    assert (body["status"], body["proposed_by"]) == ("proposed", "pkb")

    # The PKB officer (the maker) cannot approve: the capability is the district's.
    before = batch_row(batch)
    assert send(pkb, "post", f"{url}/approve").status_code == 404
    assert batch_row(batch) == before

    body = send(district, "post", f"{url}/approve").json()
    assert (body["status"], body["decided_by"], body["total"]) == ("approved", "district", 225_000)

    [line] = body["lines"]
    today = timezone.localdate()
    body = send(
        district,
        "post",
        f"{url}/pay",
        {"lines": [line["id"]], "paid_on": today.isoformat(), "reference": " TRF-0325 "},
    ).json()
    assert body["status"] == "paid"
    assert body["lines"] == [
        line_out(
            IncentiveLine.objects.get(),
            paid_on=today.isoformat(),
            payment_reference="TRF-0325",
            paid_by="district",
        )
    ]
    assert events(body["events"]) == [
        (1, "computed", 225_000, "", "pkb"),
        (1, "proposed", 225_000, "", "pkb"),
        (1, "approved", 225_000, "", "district"),
        (1, "paid", 225_000, "TRF-0325", "district"),
    ]
    assert district.get(url).json() == body
    listed = district.get("/api/cadres/incentives", {"status": "paid"}).json()["items"]
    assert [(b["id"], b["total"]) for b in listed] == [(batch.pk, 225_000)]


def test_the_proposer_does_not_approve(api_as: ApiFor, world: World, batch: IncentiveBatch) -> None:
    district = api_as("district")
    assert send(district, "post", f"/api/cadres/incentives/{batch.pk}/propose").status_code == 200
    before = batch_row(batch)
    for action, body in (("approve", None), ("return", {"reason": "Cek"})):
        error = the_error(
            send(district, "post", f"/api/cadres/incentives/{batch.pk}/{action}", body)
        )
        assert (error["field"], error["code"], error["message_en"]) == (
            "__all__",
            "cadre.incentive_four_eyes",
            "A proposal you made yourself is approved or returned by someone else.",
        )
        assert error["message_id"] == (
            "Usulan yang Anda ajukan sendiri disetujui atau dikembalikan oleh orang lain."
        )
        assert batch_row(batch) == before
    response = send(api_as("admin"), "post", f"/api/cadres/incentives/{batch.pk}/approve")
    assert (response.status_code, response.json()["decided_by"]) == (200, "admin")


def test_return_needs_a_reason(api_as: ApiFor, world: World, batch: IncentiveBatch) -> None:
    proposed(world, batch)
    before = batch_row(batch)
    url = f"/api/cadres/incentives/{batch.pk}/return"
    error = the_error(send(api_as("district"), "post", url, {"reason": "  "}))
    assert (error["field"], error["code"], error["message_id"], error["message_en"]) == (
        "reason",
        "cadre.incentive_reason_required",
        "Tuliskan alasannya.",
        "Write the reason.",
    )
    assert batch_row(batch) == before
    body = send(api_as("district"), "post", url, {"reason": "Kunjungan 7 Maret dicek"}).json()
    assert (body["status"], body["return_reason"]) == ("returned", "Kunjungan 7 Maret dicek")
    assert events(body["events"])[-1] == (
        1,
        "returned",
        225_000,
        "Kunjungan 7 Maret dicek",
        "district",
    )


def test_refusals_of_the_cycle_order(api_as: ApiFor, world: World, batch: IncentiveBatch) -> None:
    url = f"/api/cadres/incentives/{batch.pk}"
    before = batch_row(batch)
    refusals = [
        ("district", "approve", None, "cadre.incentive_not_proposed"),
        ("district", "pay", {"lines": [], "paid_on": "2025-04-01"}, "cadre.incentive_not_approved"),
        ("pkb", "reopen", {"reason": "Salah"}, "cadre.incentive_not_approved"),
    ]
    for username, action, body, code in refusals:
        error = the_error(send(api_as(username), "post", f"{url}/{action}", body))
        assert error["code"] == code, action
        assert error["message_id"].startswith("Usulan ini berstatus "), action
        assert error["message_en"].startswith("This proposal is "), action
        assert batch_row(batch) == before
    proposed(world, batch)
    before = batch_row(batch)
    error = the_error(send(api_as("pkb"), "post", f"{url}/propose"))
    assert error["code"] == "cadre.incentive_not_proposable"
    assert batch_row(batch) == before


def test_this_month_is_proposed_once_over(
    api_as: ApiFor, world: World, earning_ppkbd: Cadre
) -> None:
    month = timezone.localdate().strftime("%Y-%m")
    body = send(
        api_as("pkb"),
        "post",
        "/api/cadres/incentives/compute",
        {"village": VILLAGE, "month": month},
    ).json()
    batch = IncentiveBatch.objects.get(pk=body["id"])
    before = batch_row(batch)
    error = the_error(send(api_as("pkb"), "post", f"/api/cadres/incentives/{batch.pk}/propose"))
    assert error["code"] == "cadre.incentive_month_not_over"
    assert error["message_en"] == (
        f"The incentives of {batch.month:%m-%Y} are proposed once that month is over."
    )
    assert batch_row(batch) == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_reopen_by_role(api_as: ApiFor, world: World, batch: IncentiveBatch, username: str) -> None:
    approved(world, batch)
    before = batch_row(batch)
    url = f"/api/cadres/incentives/{batch.pk}/reopen"
    response = send(api_as(username), "post", url, {"reason": "Kunjungan ganda"})
    assert response.status_code == status_for(username, MAKERS)
    if response.status_code != 200:
        assert batch_row(batch) == before
        return
    body = response.json()
    assert (body["status"], body["revision"], body["total"], body["proposed_by"]) == (
        "draft",
        2,
        225_000,
        None,
    )
    assert events(body["events"])[-2:] == [
        (1, "reopened", 225_000, "Kunjungan ganda", username),
        (2, "computed", 225_000, "", username),
    ]
    # The approved revision's line stays as history; the detail shows the new one.
    old, new = IncentiveLine.objects.order_by("revision")
    assert [line["id"] for line in body["lines"]] == [new.pk]
    old_line = api_as("district").get(f"/api/cadres/incentive-lines/{old.pk}").json()
    assert (old_line["revision"], old_line["current"], old_line["total"]) == (1, False, 225_000)


def test_reopen_needs_a_reason_and_no_payment(
    api_as: ApiFor, world: World, batch: IncentiveBatch
) -> None:
    approved(world, batch)
    url = f"/api/cadres/incentives/{batch.pk}"
    before = batch_row(batch)
    error = the_error(send(api_as("pkb"), "post", f"{url}/reopen", {"reason": ""}))
    assert (error["field"], error["code"]) == ("reason", "cadre.incentive_reason_required")
    assert batch_row(batch) == before
    # Paid, it can no longer be reopened.
    send(
        api_as("district"),
        "post",
        f"{url}/pay",
        {"lines": [IncentiveLine.objects.get().pk], "paid_on": timezone.localdate().isoformat()},
    )
    before = batch_row(batch)
    error = the_error(send(api_as("pkb"), "post", f"{url}/reopen", {"reason": "Salah"}))
    assert error["code"] == "cadre.incentive_not_approved"
    assert batch_row(batch) == before


@pytest.mark.parametrize("username", ALL_USERS)
def test_pay_by_role(api_as: ApiFor, world: World, batch: IncentiveBatch, username: str) -> None:
    approved(world, batch)
    before = batch_row(batch)
    line = IncentiveLine.objects.get()
    body = {"lines": [line.pk], "paid_on": timezone.localdate().isoformat(), "reference": "T-1"}
    response = send(api_as(username), "post", f"/api/cadres/incentives/{batch.pk}/pay", body)
    assert response.status_code == status_for(username, CHECKERS)
    if response.status_code != 200:
        assert batch_row(batch) == before
        return
    line.refresh_from_db()
    assert (line.paid_on, line.payment_reference, line.paid_by) == (
        timezone.localdate(),
        "T-1",
        world.user(username),
    )
    assert response.json()["status"] == "paid"


def test_pay_refusals_write_nothing(api_as: ApiFor, world: World, batch: IncentiveBatch) -> None:
    approved(world, batch)
    client = api_as("district")
    url = f"/api/cadres/incentives/{batch.pk}/pay"
    line = IncentiveLine.objects.get()
    today = timezone.localdate()
    before = batch_row(batch)
    cases = [
        ({"lines": [], "paid_on": today.isoformat()}, "lines", "cadre.payment_lines_required"),
        (
            {"lines": [line.pk], "paid_on": (today + dt.timedelta(days=1)).isoformat()},
            "paid_on",
            "cadre.date_in_future",
        ),
        (
            {"lines": [line.pk], "paid_on": (today - dt.timedelta(days=1)).isoformat()},
            "paid_on",
            "cadre.payment_before_approval",
        ),
    ]
    for body, field, code in cases:
        error = the_error(send(client, "post", url, body))
        assert (error["field"], error["code"]) == (field, code)
        assert error["message_id"] and error["message_en"]
        assert batch_row(batch) == before
    # A line that is not this proposal's is not found.
    body = {"lines": [line.pk, line.pk + 1000], "paid_on": today.isoformat()}
    assert send(client, "post", url, body).status_code == 404
    assert batch_row(batch) == before
    # Paid once, it is no longer on the payment list.
    send(client, "post", url, {"lines": [line.pk], "paid_on": today.isoformat()})
    before = batch_row(batch)
    error = the_error(send(client, "post", url, {"lines": [line.pk], "paid_on": today.isoformat()}))
    assert error["code"] == "cadre.incentive_not_approved"  # the proposal is paid
    assert batch_row(batch) == before


# -- The trace of a line ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_line_detail_by_role(
    api_as: ApiFor,
    world: World,
    batch: IncentiveBatch,
    training: Activity,
    earning_ppkbd: Cadre,
    username: str,
) -> None:
    line = IncentiveLine.objects.get()
    response = api_as(username).get(f"/api/cadres/incentive-lines/{line.pk}")
    assert response.status_code == status_for(username, READERS)
    if response.status_code != 200:
        return
    visits = {f.done_on.day: f for f in FollowUp.objects.all()}
    couple = visits[3].couple_id
    episode = Episode.objects.get(couple_id=couple, is_new_user=True)
    meeting = Meeting.objects.get()

    def item(kind: str, day: int, amount: int, source: str, **ids: Any) -> dict[str, Any]:
        return {
            "kind": kind,
            "on": dt.date(2025, 3, day).isoformat(),
            "amount": amount,
            "counted": amount > 0,
            "follow_up_id": ids.get("follow_up"),
            "episode_id": ids.get("episode"),
            "activity_id": ids.get("activity"),
            "source": source,
        }

    def visit(day: int, amount: int) -> dict[str, Any]:
        pk = visits[day].pk
        return item("home_visit", day, amount, f"#{pk} ({couple})", follow_up=pk)

    assert response.json() == line_out(line) | {
        "batch_id": batch.pk,
        "revision": 1,
        "village": VILLAGE,
        "month": MARCH,
        "batch_status": "draft",
        "current": True,
        "items": [
            item("base", 1, 100_000, earning_ppkbd.get_role_display()),
            visit(3, 10_000),
            visit(4, 10_000),
            visit(6, 10_000),
            visit(7, 0),  # above the cap of 3 visits: traced, not paid
            item("meeting", 20, 20_000, meeting.activity.title, activity=meeting.activity_id),
            item(
                "referral",
                12,
                25_000,
                f"#{visits[6].pk} ({couple}) 2025-03-06",
                follow_up=visits[6].pk,
                episode=episode.pk,
            ),
            item("training", 10, 50_000, "Pelatihan kader KB", activity=training.pk),
        ],
    }
    assert sum(i["amount"] for i in response.json()["items"]) == 225_000


# -- Visits to verify -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ALL_USERS)
def test_visits_to_verify_by_role(
    api_as: ApiFor, world: World, earning_ppkbd: Cadre, username: str
) -> None:
    response = api_as(username).get(
        "/api/cadres/incentives/visits", {"village": VILLAGE, "month": MARCH}
    )
    assert response.status_code == status_for(username, MAKERS)
    if response.status_code != 200:
        return
    body = response.json()
    assert body["count"] == 6
    assert [(v["done_on"][-2:], v["verification"], v["verified_by"]) for v in body["items"]] == [
        ("03", "verified", "pkb"),
        ("04", "verified", "pkb"),
        ("06", "verified", "pkb"),
        ("07", "verified", "pkb"),
        ("10", "pending", None),
        ("11", "rejected", "pkb"),
    ]
    rejected = FollowUp.objects.get(done_on=dt.date(2025, 3, 11))
    assert body["items"][-1] == {
        "id": rejected.pk,
        "couple_id": rejected.couple_id,
        "wife_name": "Siti Aminah",
        "husband_name": "Sutrisno",
        "area": RT,
        "done_on": "2025-03-11",
        "outcome": "visited",
        "note": "",
        "recorded_by": "cadre",
        "verification": "rejected",
        "verified_by": "pkb",
        "verified_at": iso(rejected.verified_at),
        "verification_note": "Tidak ada di rumah",
    }
    assert not any("nik" in key for key in body["items"][0])


def test_visits_to_verify_params(api_as: ApiFor, earning_ppkbd: Cadre) -> None:
    client = api_as("pkb")
    april = client.get("/api/cadres/incentives/visits", {"village": VILLAGE, "month": "2025-04"})
    assert april.json() == {"items": [], "count": 0}
    error = the_error(client.get("/api/cadres/incentives/visits", {"month": MARCH}))
    assert (error["field"], error["code"]) == ("village", "request.missing")
    error = the_error(
        client.get("/api/cadres/incentives/visits", {"village": VILLAGE, "month": "03-2025"})
    )
    assert (error["field"], error["code"]) == ("month", "cadre.month_invalid")
    other = api_as("other_district").get(
        "/api/cadres/incentives/visits", {"village": VILLAGE, "month": MARCH}
    )
    assert other.status_code == 404


# -- The cadre's login ------------------------------------------------------------------------------


def cadre_body(cadre: Cadre, **fields: Any) -> dict[str, Any]:
    return {"started_on": cadre.started_on.isoformat(), "decree_number": "SK 12/2020"} | fields


def test_link_a_cadre_to_its_login(api_as: ApiFor, world: World, ppkbd: Cadre) -> None:
    client = api_as("pkb")
    url = f"/api/cadres/{ppkbd.pk}"
    assert client.get(url).json()["account"] is None
    linked = send(client, "put", url, cadre_body(ppkbd, account="cadre"))
    assert (linked.status_code, linked.json()["account"]) == (200, "cadre")
    # Left out, the link is kept; null unlinks.
    kept = send(client, "put", url, cadre_body(ppkbd, phone="0813"))
    assert (kept.json()["phone"], kept.json()["account"]) == ("0813", "cadre")
    ppkbd.refresh_from_db()
    assert ppkbd.account == world.user("cadre")
    listed = client.get("/api/cadres").json()["items"]
    assert [(c["id"], c["account"]) for c in listed] == [(ppkbd.pk, "cadre")]
    unlinked = send(client, "put", url, cadre_body(ppkbd, account=None))
    assert unlinked.json()["account"] is None
    ppkbd.refresh_from_db()
    assert ppkbd.account is None


@pytest.mark.parametrize("username", ["other_cadre", "nobody", "pkb"])
def test_a_login_of_another_village_is_refused(
    api_as: ApiFor, world: World, ppkbd: Cadre, username: str
) -> None:
    response = send(
        api_as("pkb"), "put", f"/api/cadres/{ppkbd.pk}", cadre_body(ppkbd, account=username)
    )
    error = the_error(response)
    assert (error["field"], error["code"], error["message_en"]) == (
        "account",
        "cadre.account_other_area",
        f"The account {username} does not work in this cadre's village.",
    )
    assert error["message_id"] == f"Akun {username} tidak bertugas di desa kader ini."
    ppkbd.refresh_from_db()
    assert (ppkbd.account, ppkbd.decree_number) == (None, "SK 12/2020")


def test_register_a_cadre_with_its_login(api_as: ApiFor, world: World, ppkbd: Cadre) -> None:
    services_body = {
        "person_id": person("Sutrisno").pk,
        "role": "kelompok_kb",
        "area": RT,
        "started_on": "2022-03-01",
    }
    # The cadre login already belongs to another person's cadre row.
    send(api_as("pkb"), "put", f"/api/cadres/{ppkbd.pk}", cadre_body(ppkbd, account="cadre"))
    error = the_error(
        send(api_as("pkb"), "post", "/api/cadres", services_body | {"account": "cadre"})
    )
    assert (error["field"], error["code"]) == ("account", "cadre.account_other_person")
    assert error["message_en"] == (
        "The account cadre is already linked to another cadre (Siti Aminah)."
    )
    assert Cadre.objects.count() == 1
    created = send(api_as("pkb"), "post", "/api/cadres", services_body | {"account": "cadre_rt"})
    assert (created.status_code, created.json()["account"]) == (201, "cadre_rt")
    assert Cadre.objects.get(pk=created.json()["id"]).account == world.user("cadre_rt")


def test_the_cadre_role_reads_its_village_and_writes_nothing(
    api_as: ApiFor, world: World, batch: IncentiveBatch
) -> None:
    client = api_as("cadre")
    assert client.get(f"/api/cadres/incentives/{batch.pk}").json()["total"] == 225_000
    before = batch_row(batch)
    url = f"/api/cadres/incentives/{batch.pk}"
    assert send(client, "post", f"{url}/propose").status_code == 404
    body = {"village": VILLAGE, "month": MARCH}
    assert send(client, "post", "/api/cadres/incentives/compute", body).status_code == 404
    assert send(client, "post", "/api/cadres/incentive-rules", RULE_BODY).status_code == 404
    assert batch_row(batch) == before
    assert IncentiveRule.objects.count() == 1
