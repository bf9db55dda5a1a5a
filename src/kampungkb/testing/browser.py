"""Fixtures for browser tests: Debian's Chromium driven by Playwright against the live server.

Playwright's own browser downloads are not used (deployments and CI have no internet besides the
package registries); the system Chromium at /usr/bin/chromium is. Browser tests carry the
``browser`` marker and run in their own step of ``make test``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("KAMPUNGKB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A cheap Android phone: the pages are built for it.
PHONE = {"viewport": {"width": 390, "height": 780}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` as root once to install it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in the main thread; Django's ORM refuses to run
    # while a loop is running unless told it is safe (it is: the test thread is the only ORM
    # user). Only browser tests start this fixture, so the other tests keep Django's check.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A page in a fresh phone-sized browser context, with the live server as base URL."""
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", **PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
