"""Writes for users, role assignments and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy

from kampungkb.accounts.errors import AccountProblem
from kampungkb.accounts.models import ApiToken, Role, RoleAssignment, User
from kampungkb.core.audit import audit_record, snapshot
from kampungkb.regions.models import Area, Level

# The levels each role may be assigned at; None means the role may also be national (no area).
ROLE_LEVELS: dict[str, tuple[tuple[int, ...], bool]] = {
    Role.ADMIN: ((), True),
    Role.DISTRICT_OFFICER: ((Level.REGENCY,), False),
    Role.PKB_OFFICER: ((Level.VILLAGE,), False),
    Role.CADRE: ((Level.VILLAGE, Level.HAMLET, Level.NEIGHBOURHOOD), False),
    Role.PARTNER: (tuple(Level), True),
    Role.VIEWER: (tuple(Level), True),
}

_LEVEL_NAMES: dict[int, str] = {
    Level.REGENCY: "kabupaten/kota",
    Level.VILLAGE: "desa/kelurahan",
}


def _level_names(levels: tuple[int, ...]) -> str:
    return ", ".join(_LEVEL_NAMES.get(level, str(Level(level).label)) for level in levels)


# The level labels are translated when the message is shown, like the role's label.
_level_names_lazy = lazy(_level_names, str)


def _check_assignment(role: str, areas: Sequence[Area]) -> None:
    levels, national_ok = ROLE_LEVELS[role]
    label = Role(role).label
    if not areas and not national_ok:
        raise AccountProblem.ROLE_AREA_REQUIRED.on("areas", role=label)
    if role == Role.ADMIN:
        return
    for area in areas:
        if area.level not in levels:
            raise AccountProblem.ROLE_AREA_LEVEL.on(
                "areas", role=label, level=_level_names_lazy(levels)
            )
    if role == Role.PKB_OFFICER and len({a.parent_id for a in areas}) > 1:
        raise AccountProblem.PKB_ONE_DISTRICT.on("areas")


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str = "",
    role: str,
    areas: Sequence[Area] = (),
    phone: str = "",
    language: str = "id",
    actor: Any = None,
) -> User:
    """Create a user with one role in the given areas (a PKB officer's villages, a cadre's RT...)."""
    if User.objects.filter(username__iexact=username).exists():
        raise AccountProblem.USERNAME_TAKEN.on("username", username=username)
    role = Role(role)
    areas = list(dict.fromkeys(areas))  # the same area twice is one assignment
    _check_assignment(role, areas)
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        language=language,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if areas:
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=user, role=role, area=a) for a in areas]
        )
    else:
        RoleAssignment.objects.create(user=user, role=role, area=None)
    after = snapshot(user, ["username", "full_name", "phone", "language", "is_superuser"])
    after["assignments"] = [[role, a.code] for a in areas] or [[role, None]]
    audit_record(actor=actor, action="user.create", instance=user, after=after)
    return user


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "", actor: Any = None) -> tuple[ApiToken, str]:
    """A new API token for ``user``. Returns the token row and the secret, which is not stored."""
    secret = "kkb_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:12], key_hash=_hash(secret)
    )
    audit_record(
        actor=actor,
        action="token.create",
        instance=token,
        after={"user": user.username, "name": name},
    )
    return token, secret


def token_authenticate(secret: str) -> User | None:
    """The active user a token belongs to, or None. Records when the token was last used."""
    if not secret.startswith("kkb_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any = None) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="token.revoke", instance=token, after={"revoked": True})
    return token


@transaction.atomic
def user_set_language(*, user: User, language: str, actor: Any) -> User:
    """Save the language the user chose for the interface."""
    if language not in dict(settings.LANGUAGES):
        raise AccountProblem.LANGUAGE_UNKNOWN.on("language", code=language)
    if user.language != language:
        before = snapshot(user, ["language"])
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=actor,
            action="user.language",
            instance=user,
            before=before,
            after=snapshot(user, ["language"]),
        )
    return user


@transaction.atomic
def user_change_password(*, user: User, new_password: str, actor: Any) -> User:
    """Set a new password (already validated by the form). The audit event records that it
    changed, never the password or its hash."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor, action="user.password_change", instance=user, after={"password": "***"}
    )
    return user
