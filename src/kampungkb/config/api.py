"""The JSON API: one NinjaAPI, one router per domain app. OpenAPI at /api/openapi.json.

Machines authenticate with ``Authorization: Bearer <token>`` (``kampungkb token create``); the
browser with its session (and CSRF token for writes)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from kampungkb.accounts.services import token_authenticate
from kampungkb.core.errors import messages_in_both_languages


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api = NinjaAPI(
    title="kampungkb API",
    version="1",
    description=(
        "Registers of areas, families, persons and couples of the Kampung KB family-planning "
        "programme. Every list is limited to the caller's areas; a record outside them is 404. "
        "Errors carry a code and a message in Bahasa Indonesia and English."
    ),
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"errors": messages_in_both_languages(exc)}, status=422)


def _register_routers() -> None:
    from kampungkb.accounts.api import router as accounts_router
    from kampungkb.families.api import router as families_router
    from kampungkb.regions.api import router as regions_router

    api.add_router("/areas", regions_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/", families_router)


_register_routers()
