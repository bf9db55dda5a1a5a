"""Login, logout and password change: Django's auth views with our pages and the user's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from kampungkb.accounts.models import Role
from kampungkb.accounts.services import user_create
from kampungkb.core.models import AuditEvent
from kampungkb.testing.world import USERS, VILLAGE

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PASSWORD_CHANGE = reverse("accounts:password_change")
PASSWORD_CHANGE_DONE = reverse("accounts:password_change_done")
HOME = reverse("web:home")


def html(response) -> str:
    return response.content.decode()


# Login page and language


def test_login_page_is_in_indonesian_by_default(world, client) -> None:
    response = client.get(LOGIN)
    page = html(response)
    assert response.status_code == 200
    assert '<html lang="id">' in page
    assert "<h1>Masuk</h1>" in page
    assert '<label for="id_username">Nama pengguna</label>' in page
    assert '<label for="id_password">Kata sandi</label>' in page
    assert '<button type="submit">Masuk</button>' in page


def test_login_page_is_in_english_after_switching(world, client) -> None:
    switched = client.post(reverse("accounts:set_language"), {"language": "en", "next": LOGIN})
    assert switched.status_code == 302
    assert switched["Location"] == LOGIN
    page = html(client.get(LOGIN))
    assert '<html lang="en">' in page
    assert "<h1>Log in</h1>" in page
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password">Password</label>' in page


def test_login_page_has_the_language_switcher(world, client) -> None:
    page = html(client.get(LOGIN))
    assert f'action="{reverse("accounts:set_language")}"' in page
    assert '<option value="id" selected>Bahasa Indonesia</option>' in page
    assert '<option value="en">English (Inggris)</option>' in page


def test_login_with_a_wrong_password_shows_an_error(world, client) -> None:
    response = client.post(LOGIN, {"username": "cadre", "password": "not-the-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecilnya."
    ]
    assert "Nama pengguna atau kata sandi salah." in html(response)
    assert "_auth_user_id" not in client.session


def test_login_with_an_unknown_user_shows_the_same_error(world, client) -> None:
    response = client.post(LOGIN, {"username": "nobody", "password": world.password})
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecilnya."
    ]


@pytest.mark.parametrize("username", tuple(USERS))
def test_every_user_logs_in_and_lands_on_home(world, client, username) -> None:
    response = client.post(LOGIN, {"username": username, "password": world.password})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.session["_auth_user_id"] == str(world.user(username).pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"


def test_login_follows_next(world, client) -> None:
    target = reverse("regions:area", args=[VILLAGE])
    response = client.post(
        f"{LOGIN}?next={target}",
        {"username": "cadre", "password": world.password, "next": target},
    )
    assert response["Location"] == target


def test_login_does_not_follow_next_to_another_site(world, client) -> None:
    response = client.post(
        LOGIN, {"username": "cadre", "password": world.password, "next": "https://example.com/"}
    )
    assert response["Location"] == HOME


def test_login_makes_the_users_saved_language_active(world, client) -> None:
    user_create(
        username="kader_en",
        password=world.password,
        full_name="Kader English",
        role=Role.CADRE,
        areas=[world.area(VILLAGE)],
        language="en",
    )
    assert "<h1>Masuk</h1>" in html(client.get(LOGIN))
    response = client.post(LOGIN, {"username": "kader_en", "password": world.password})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    home = html(client.get(HOME))
    assert '<html lang="en">' in home
    assert "<h1>Welcome, Kader English</h1>" in home


def test_signed_in_user_visiting_login_goes_home(client_for) -> None:
    response = client_for("cadre").get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == HOME


# Logout


def test_logout_signs_out_and_says_so(client_for) -> None:
    client = client_for("cadre")
    response = client.post(LOGOUT, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    assert "_auth_user_id" not in client.session
    assert "Anda sudah keluar." in html(response)
    assert client.get(HOME).status_code == 302


def test_logout_needs_post(client_for) -> None:
    client = client_for("cadre")
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session


def test_the_menu_has_logout_and_password_change(client_for) -> None:
    page = html(client_for("cadre").get(HOME))
    assert f'<form method="post" action="{LOGOUT}">' in page
    assert f'<a href="{PASSWORD_CHANGE}">Ganti kata sandi</a>' in page


# Password change


def test_anonymous_password_change_goes_to_login(world, client) -> None:
    response = client.get(PASSWORD_CHANGE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={PASSWORD_CHANGE}"


@pytest.mark.parametrize("username", tuple(USERS))
def test_every_user_opens_password_change(client_for, username) -> None:
    response = client_for(username).get(PASSWORD_CHANGE)
    page = html(response)
    assert response.status_code == 200
    assert "<h1>Ganti kata sandi</h1>" in page
    assert '<label for="id_old_password">Kata sandi lama</label>' in page
    assert '<label for="id_new_password1">Kata sandi baru</label>' in page
    assert '<label for="id_new_password2">Ulangi kata sandi baru</label>' in page


def test_password_change_works(world, client_for) -> None:
    client = client_for("cadre")
    new = "mahakam-sungai-2025"
    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": world.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == PASSWORD_CHANGE_DONE
    user = world.user("cadre")
    assert user.check_password(new)
    assert not user.check_password(world.password)
    # The session survives the change (Django updates the session hash).
    done = client.get(PASSWORD_CHANGE_DONE)
    assert done.status_code == 200
    assert "<h1>Kata sandi sudah diganti</h1>" in html(done)


def test_password_change_refuses_a_wrong_current_password(world, client_for) -> None:
    client = client_for("cadre")
    new = "mahakam-sungai-2025"
    response = client.post(
        PASSWORD_CHANGE, {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "old_password": ["Kata sandi lama Anda salah. Silakan masukkan lagi."]
    }
    assert world.user("cadre").check_password(world.password)


def test_password_change_refuses_different_new_passwords(world, client_for) -> None:
    response = client_for("cadre").post(
        PASSWORD_CHANGE,
        {
            "old_password": world.password,
            "new_password1": "mahakam-sungai-2025",
            "new_password2": "mahakam-sungai-2026",
        },
    )
    assert response.context["form"].errors == {
        "new_password2": ["Kedua kata sandi baru tidak sama."]
    }
    assert world.user("cadre").check_password(world.password)


def test_password_change_applies_the_password_rules(world, client_for) -> None:
    response = client_for("cadre").post(
        PASSWORD_CHANGE,
        {"old_password": world.password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert list(response.context["form"].errors) == ["new_password2"]
    assert world.user("cadre").check_password(world.password)


def test_password_change_done_needs_login(world, client) -> None:
    assert client.get(PASSWORD_CHANGE_DONE).status_code == 302


def test_switching_language_saves_it_on_the_account_with_an_audit_event(world, client_for) -> None:
    client = client_for("cadre")
    response = client.post(
        reverse("accounts:set_language"), {"language": "en", "next": "/families/"}
    )
    assert response.status_code == 302 and response["Location"] == "/families/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert world.user("cadre").language == "en"
    event = AuditEvent.objects.get(action="user.language")
    assert (event.before, event.after) == ({"language": "id"}, {"language": "en"})


def test_switching_language_ignores_an_unknown_language_and_a_foreign_next(
    world, client_for
) -> None:
    client = client_for("cadre")
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": "https://example.com/"}
    )
    assert response["Location"] == reverse("web:home")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert world.user("cadre").language == "id"
    assert not AuditEvent.objects.filter(action="user.language").exists()


def test_anonymous_language_switch_sets_only_the_cookie(world, client) -> None:
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": LOGIN})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not AuditEvent.objects.filter(action="user.language").exists()


def test_language_switch_needs_post(world, client) -> None:
    assert client.get(reverse("accounts:set_language")).status_code == 405


def test_password_change_is_audited_without_the_password(world, client_for) -> None:
    client = client_for("pkb")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": world.password,
            "new_password1": "Kader-Sehat-2026!",
            "new_password2": "Kader-Sehat-2026!",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == world.user("pkb")
    assert event.after == {"password": "***"}
    assert "Kader-Sehat" not in str(event.before) + str(event.after)
