"""The accounts API and the two ways into the API: Bearer tokens and the browser session."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from kampungkb.accounts.models import ApiToken, User
from kampungkb.accounts.services import token_create, token_revoke
from kampungkb.core.models import AuditEvent
from kampungkb.families.models import Family
from kampungkb.testing.world import KAB, OTHER_VILLAGE, RT, USERS, VILLAGE, VILLAGE_2

ALL_CAPABILITIES = (
    "approve_incentives",
    "edit_areas",
    "edit_partners",
    "edit_programme",
    "edit_register",
    "edit_targets",
    "supervise_cadres",
    "view_aggregates",
    "view_persons",
)
PKB_CAPABILITIES = tuple(c for c in ALL_CAPABILITIES if c != "approve_incentives")
PERSONS_CAPABILITIES = ("edit_programme", "edit_register", "view_aggregates", "view_persons")


def every(capabilities: tuple[str, ...], *codes: str) -> dict[str, list[str]]:
    return {capability: list(codes) for capability in capabilities}


# username -> (roles with their areas, capabilities with their areas)
ME: dict[str, tuple[list[tuple[str, str | None]], dict[str, list[str]]]] = {
    "admin": ([("admin", None)], every(ALL_CAPABILITIES, "*")),
    "district": ([("district_officer", KAB)], every(ALL_CAPABILITIES, KAB)),
    "pkb": (
        [("pkb_officer", VILLAGE), ("pkb_officer", VILLAGE_2)],
        every(PKB_CAPABILITIES, VILLAGE, VILLAGE_2),
    ),
    "cadre": ([("cadre", VILLAGE)], every(PERSONS_CAPABILITIES, VILLAGE)),
    "cadre_rt": ([("cadre", RT)], every(PERSONS_CAPABILITIES, RT)),
    "partner": ([("partner", KAB)], {"view_aggregates": [KAB]}),
    "viewer": ([("viewer", None)], {"view_aggregates": ["*"]}),
    "other_district": (
        [("district_officer", "52.03")],
        every(ALL_CAPABILITIES, "52.03"),
    ),
    "other_cadre": (
        [("cadre", OTHER_VILLAGE)],
        every(PERSONS_CAPABILITIES, OTHER_VILLAGE),
    ),
}


def bearer(secret: str, **kwargs) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"}, **kwargs)


@pytest.mark.parametrize("username", tuple(USERS))
def test_me_by_token(world, username):
    _, secret = token_create(user=world.user(username))
    response = bearer(secret).get("/api/accounts/me")
    assert response.status_code == 200
    roles, capabilities = ME[username]
    assert response.json() == {
        "username": username,
        "full_name": username.replace("_", " ").title(),
        "language": "id",
        "roles": [{"role": role, "area": area} for role, area in roles],
        "capabilities": capabilities,
    }


def test_me_by_session(client_for):
    response = client_for("cadre").get("/api/accounts/me")
    assert response.status_code == 200
    assert response.json()["username"] == "cadre"


def test_token_use_is_recorded(world):
    token, secret = token_create(user=world.user("pkb"))
    assert bearer(secret).get("/api/accounts/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer kkb_not-a-real-token"},
        {"Authorization": "Bearer not-even-our-prefix"},
        {"Authorization": "Basic Y2FkcmU6cGFzc3dvcmQ="},
    ],
)
def test_no_or_unknown_credentials_are_unauthorized(world, headers):
    client = Client(headers=headers)
    assert client.get("/api/accounts/me").status_code == 401
    assert client.get("/api/families").status_code == 401


def test_revoked_token_is_unauthorized_and_writes_nothing(world):
    family = world.family
    token, secret = token_create(user=world.user("cadre"))
    token_revoke(token=token)
    client = bearer(secret)
    assert client.get("/api/accounts/me").status_code == 401
    response = client.post(
        f"/api/families/{family.pk}/deactivate",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401
    family.refresh_from_db()
    assert family.is_active is True


def test_token_of_an_inactive_user_is_unauthorized(world):
    _, secret = token_create(user=world.user("cadre"))
    User.objects.filter(username="cadre").update(is_active=False)
    assert bearer(secret).get("/api/accounts/me").status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(world):
    client = Client(headers={"Authorization": "Bearer kkb_revoked-or-unknown"})
    client.force_login(world.user("cadre"))
    assert client.get("/api/accounts/me").status_code == 401


def test_session_write_without_csrf_token_is_refused(world):
    family = world.family
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("cadre"))
    audits = AuditEvent.objects.count()
    response = client.post(
        f"/api/families/{family.pk}/deactivate",
        {"reason": "Pindah"},
        content_type="application/json",
    )
    assert response.status_code == 403
    family.refresh_from_db()
    assert family.is_active is True
    assert AuditEvent.objects.count() == audits


def test_session_write_with_csrf_token_works(world):
    family = world.family
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("cadre"))
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    response = client.post(
        f"/api/families/{family.pk}/deactivate",
        {"reason": "Pindah"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200
    family.refresh_from_db()
    assert (family.is_active, family.deactivated_reason) == (False, "Pindah")


def test_session_read_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("cadre"))
    assert client.get("/api/families").status_code == 200


def test_token_write_needs_no_csrf_token(world):
    family = world.family
    _, secret = token_create(user=world.user("cadre"))
    response = bearer(secret, enforce_csrf_checks=True).post(
        f"/api/families/{family.pk}/deactivate",
        {"reason": "Kartu diganti"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Family.objects.get(pk=family.pk).is_active is False


def test_tokens_are_stored_hashed(world):
    token, secret = token_create(user=world.user("cadre"))
    assert secret not in ApiToken.objects.filter(pk=token.pk).values_list("key_hash", flat=True)
    assert token.prefix == secret[:12]
