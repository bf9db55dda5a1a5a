"""Shared fixtures: the small world (``kampungkb.testing.world``) built once per test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from kampungkb.accounts.services import token_create
from kampungkb.testing.browser import chromium, phone  # noqa: F401 (registered once, here)
from kampungkb.testing.world import World, build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        build_world()


@pytest.fixture
def world(db: None) -> World:
    build_world()  # no-op unless a transactional test flushed the database
    return World()


@pytest.fixture
def client_for(world: World) -> Iterator:
    """``client_for("cadre")``: a test client logged in as one of the world's users."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.user(username))
        return client

    yield make


@pytest.fixture
def api_as(world: World) -> Callable[..., Client]:
    """``api_as("cadre")``: an API client that authenticates with a new token of that user;
    ``api_as("cadre", "session")``: one signed in through the browser session instead."""

    def make(username: str, auth: str = "token") -> Client:
        if auth == "session":
            client = Client()
            client.force_login(world.user(username))
            return client
        _, secret = token_create(user=world.user(username))
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
