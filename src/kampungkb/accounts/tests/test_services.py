"""Creating users with their role assignments, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from kampungkb.accounts.models import ApiToken, Role, RoleAssignment, User
from kampungkb.accounts.services import token_authenticate, token_create, token_revoke, user_create
from kampungkb.core.models import AuditEvent
from kampungkb.testing.world import KAB, KEC, OTHER_VILLAGE, PASSWORD, RT, RW, VILLAGE, VILLAGE_2


def make(world, role: str, codes: tuple[str, ...] = (), username: str = "baru", **kwargs) -> User:
    return user_create(
        username=username,
        password=PASSWORD,
        role=role,
        areas=[world.area(c) for c in codes],
        actor=world.user("admin"),
        **kwargs,
    )


def assignments(user: User) -> set[tuple[str, str | None]]:
    return set(user.assignments.values_list("role", "area_id"))


def codes_of(error: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# user_create: accepted assignments.


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        (Role.DISTRICT_OFFICER, (KAB,)),
        (Role.PKB_OFFICER, (VILLAGE,)),
        (Role.PKB_OFFICER, (VILLAGE, VILLAGE_2)),
        (Role.CADRE, (VILLAGE,)),
        (Role.CADRE, (RW,)),
        (Role.CADRE, (RT,)),
        (Role.PARTNER, ()),
        (Role.PARTNER, ("64",)),
        (Role.PARTNER, (KEC,)),
        (Role.VIEWER, ()),
        (Role.VIEWER, (KAB,)),
    ],
)
def test_user_create_accepts_the_levels_of_each_role(world, role, codes):
    user = make(world, role, codes)
    expected = {(role, c) for c in codes} or {(role, None)}
    assert assignments(user) == expected
    assert not user.is_superuser and not user.is_staff


def test_user_create_admin_is_a_national_superuser(world):
    user = make(world, Role.ADMIN)
    assert user.is_superuser and user.is_staff
    assert assignments(user) == {(Role.ADMIN, None)}


def test_user_create_stores_the_profile_and_a_hashed_password(world):
    user = make(world, Role.CADRE, (RT,), full_name="Siti Kader", phone="0812", language="en")
    user.refresh_from_db()
    assert (user.username, user.full_name, user.phone, user.language) == (
        "baru",
        "Siti Kader",
        "0812",
        "en",
    )
    assert user.password != PASSWORD
    assert user.check_password(PASSWORD)
    assert str(user) == "Siti Kader"


def test_user_create_writes_an_audit_event(world):
    admin = world.user("admin")
    user = make(world, Role.PKB_OFFICER, (VILLAGE, VILLAGE_2), full_name="Pak PKB")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == admin
    assert event.object_type == "accounts.user"
    assert event.before == {}
    assert event.after == {
        "username": "baru",
        "full_name": "Pak PKB",
        "phone": "",
        "language": "id",
        "is_superuser": False,
        "assignments": [[Role.PKB_OFFICER, VILLAGE], [Role.PKB_OFFICER, VILLAGE_2]],
    }
    assert "password" not in event.after


def test_user_create_national_audit_event(world):
    user = make(world, Role.VIEWER)
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.after["assignments"] == [[Role.VIEWER, None]]


def test_user_create_by_the_system(world):
    user = user_create(username="sistem", password=PASSWORD, role=Role.VIEWER)
    assert AuditEvent.objects.get(object_id=str(user.pk), action="user.create").actor is None


def test_user_create_the_same_area_twice_is_one_assignment(world):
    user = make(world, Role.PKB_OFFICER, (VILLAGE, VILLAGE))
    assert assignments(user) == {(Role.PKB_OFFICER, VILLAGE)}


# user_create: refusals.


def assert_refused(world, role, codes, field, code, username="baru") -> ValidationError:
    users, links, events = (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(ValidationError) as info:
        make(world, role, codes, username=username)
    assert codes_of(info.value) == {field: [code]}
    assert User.objects.count() == users
    assert RoleAssignment.objects.count() == links
    assert AuditEvent.objects.count() == events
    return info.value


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.PKB_OFFICER, Role.CADRE])
def test_user_create_refuses_a_field_role_without_an_area(world, role):
    error = assert_refused(world, role, (), "areas", "account.role_area_required")
    with translation.override("en"):
        assert error.messages == [f"The role {Role(role).label} needs an area."]


@pytest.mark.parametrize(
    ("role", "codes", "level"),
    [
        (Role.DISTRICT_OFFICER, ("64",), "kabupaten/kota"),
        (Role.DISTRICT_OFFICER, (KEC,), "kabupaten/kota"),
        (Role.DISTRICT_OFFICER, (VILLAGE,), "kabupaten/kota"),
        (Role.PKB_OFFICER, (KEC,), "desa/kelurahan"),
        (Role.PKB_OFFICER, (RW,), "desa/kelurahan"),
        (Role.PKB_OFFICER, (VILLAGE, RW), "desa/kelurahan"),
        (Role.CADRE, (KEC,), "desa/kelurahan, Hamlet/RW, Neighbourhood (RT)"),
        (Role.CADRE, (KAB,), "desa/kelurahan, Hamlet/RW, Neighbourhood (RT)"),
    ],
)
def test_user_create_refuses_an_area_of_the_wrong_level(world, role, codes, level):
    error = assert_refused(world, role, codes, "areas", "account.role_area_level")
    with translation.override("en"):
        assert error.messages == [
            f"The role {Role(role).label} must be assigned to an area at the level of {level}."
        ]


def test_user_create_refuses_pkb_villages_in_two_kecamatan(world):
    error = assert_refused(
        world, Role.PKB_OFFICER, (VILLAGE, "64.02.01.2001"), "areas", "account.pkb_one_district"
    )
    with translation.override("id"):
        assert error.messages == ["Desa binaan seorang PKB harus berada dalam satu kecamatan."]
    with translation.override("en"):
        assert error.messages == [
            "The villages of an extension officer (PKB) must lie in one kecamatan."
        ]


def test_user_create_refuses_pkb_villages_in_two_provinces(world):
    assert_refused(
        world, Role.PKB_OFFICER, (VILLAGE, OTHER_VILLAGE), "areas", "account.pkb_one_district"
    )


@pytest.mark.parametrize("username", ["cadre", "CADRE", "Cadre"])
def test_user_create_refuses_a_duplicate_username(world, username):
    error = assert_refused(
        world, Role.VIEWER, (), "username", "account.username_taken", username=username
    )
    with translation.override("en"):
        assert error.messages == [f"The username {username} is already taken."]
    with translation.override("id"):
        assert error.messages == [f"Nama pengguna {username} sudah dipakai."]


def test_user_create_refuses_an_invalid_username(world):
    users = User.objects.count()
    with pytest.raises(ValidationError) as info:
        make(world, Role.VIEWER, username="bad name!")
    assert list(info.value.error_dict) == ["username"]
    assert User.objects.count() == users


def test_user_create_refuses_an_unknown_role(world):
    with pytest.raises(ValueError):
        make(world, "king")


# Tokens.


def test_token_create_stores_only_a_hash(world):
    user = world.user("district")
    token, secret = token_create(user=user, name="ODK server", actor=world.user("admin"))
    token.refresh_from_db()
    assert secret.startswith("kkb_") and len(secret) > 40
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in token.key_hash
    assert token.prefix == secret[:12]
    assert (token.user, token.name, token.last_used_at, token.revoked_at) == (
        user,
        "ODK server",
        None,
        None,
    )
    assert str(token) == f"{secret[:12]}... (District)"
    event = AuditEvent.objects.get(action="token.create")
    assert event.actor == world.user("admin")
    assert event.after == {"user": "district", "name": "ODK server"}
    assert secret not in str(event.after)


def test_token_create_gives_different_secrets(world):
    user = world.user("district")
    _, first = token_create(user=user)
    _, second = token_create(user=user)
    assert first != second


def test_token_authenticate(world):
    user = world.user("pkb")
    token, secret = token_create(user=user)
    before = timezone.now()
    assert token_authenticate(secret) == user
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before


def test_token_authenticate_updates_last_used_at_at_most_every_five_minutes(
    world, django_assert_num_queries
):
    token, secret = token_create(user=world.user("pkb"))
    recently = timezone.now() - dt.timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recently)
    with django_assert_num_queries(1):
        token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at == recently
    long_ago = timezone.now() - dt.timedelta(minutes=6)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    with django_assert_num_queries(2):
        token_authenticate(secret)
    token.refresh_from_db()
    assert token.last_used_at > long_ago


@pytest.mark.parametrize("secret", ["", "kkb_", "kkb_wrong", "Bearer kkb_x", "nokkb"])
def test_token_authenticate_refuses_unknown_secrets(world, secret):
    token_create(user=world.user("pkb"))
    assert token_authenticate(secret) is None


def test_token_authenticate_refuses_a_secret_with_its_hash(world):
    token, _ = token_create(user=world.user("pkb"))
    assert token_authenticate(token.key_hash) is None
    assert token_authenticate("kkb_" + token.key_hash) is None


def test_token_revoke(world):
    token, secret = token_create(user=world.user("pkb"))
    token_revoke(token=token, actor=world.user("admin"))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(secret) is None
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor, event.object_id, event.after) == (
        world.user("admin"),
        str(token.pk),
        {"revoked": True},
    )


def test_token_of_an_inactive_user_does_not_authenticate(world):
    user = world.user("pkb")
    _, secret = token_create(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert token_authenticate(secret) is None


def test_tokens_are_independent(world):
    first, first_secret = token_create(user=world.user("pkb"))
    _, second_secret = token_create(user=world.user("cadre"))
    token_revoke(token=first, actor=None)
    assert token_authenticate(first_secret) is None
    assert token_authenticate(second_secret) == world.user("cadre")
