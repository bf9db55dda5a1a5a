"""`kampungkb token create USERNAME`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kampungkb.accounts.models import ApiToken, User
from kampungkb.accounts.services import token_authenticate
from kampungkb.core.models import AuditEvent


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_token_create_prints_a_token_that_authenticates(world):
    output = run("create", "district", "--name", "DHIS2")
    secret = output.strip()
    assert output == secret + "\n"
    assert secret.startswith("kkb_")
    assert token_authenticate(secret) == world.user("district")
    token = ApiToken.objects.get(user__username="district")
    assert token.name == "DHIS2"
    assert AuditEvent.objects.get(action="token.create").actor is None


def test_token_create_without_a_name(world):
    secret = run("create", "cadre").strip()
    assert ApiToken.objects.get(prefix=secret[:12]).name == ""


@pytest.mark.parametrize("username", ["nobody", "DISTRICT"])
def test_token_create_for_an_unknown_user_is_a_bilingual_error(world, username):
    with pytest.raises(CommandError) as info:
        run("create", username)
    assert str(info.value) == (
        f"Pengguna {username} tidak ditemukan. / User {username} was not found."
    )
    assert not ApiToken.objects.exists()


def test_token_create_for_an_inactive_user_is_refused(world):
    User.objects.filter(username="district").update(is_active=False)
    with pytest.raises(CommandError, match="User district was not found"):
        run("create", "district")
    assert not ApiToken.objects.exists()


def test_token_needs_an_action(world):
    with pytest.raises(CommandError):
        call_command("token")
