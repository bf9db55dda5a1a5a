"""The JSON API: one NinjaAPI, one router per domain app. OpenAPI at /api/openapi.json.

Machines authenticate with ``Authorization: Bearer <token>`` (``kampungkb token create``); the
browser with its session (and CSRF token for writes). Every error that concerns the data sent
(a service's ``ValidationError`` or a request that does not match the schema) is answered 422 with
``{"errors": [{"field", "code", "message_id", "message_en"}]}``. See docs/api.md.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer, SessionAuth

from kampungkb.accounts.services import token_authenticate
from kampungkb.core.errors import Problem, messages_in_both_languages


class RequestProblem(Problem):
    MISSING = ("request.missing", "Wajib diisi.", "This field is required.")
    INVALID = (
        "request.invalid",
        "Nilai tidak valid ({detail}).",
        "Invalid value ({detail}).",
    )


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            # A request that presents a token is judged by it alone: a revoked or unknown token
            # is refused even when the same client also carries a session cookie.
            raise AuthenticationError
        request.user = user
        return user


class ActiveSession(SessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing for CSRF to protect; answering 401 (not a
        # CSRF 403) tells a machine that its credentials, not its form, are wrong.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

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


def _request_error(item: dict[str, Any]) -> dict[str, str]:
    # loc is (source, [body parameter name,] field...): keep the field path, joined with "_" as
    # the services name nested fields (``head_nik``).
    loc = [str(part) for part in item.get("loc", ())]
    path = loc[2:] if loc[:1] == ["body"] else loc[1:]
    field = "_".join(path) or "__all__"
    if item.get("type") == "missing":
        problem, params = RequestProblem.MISSING, {}
    else:
        problem, params = RequestProblem.INVALID, {"detail": item.get("msg", "")}
    return {
        "field": field,
        "code": problem.value,
        "message_id": problem.text("id", **params),
        "message_en": problem.text("en", **params),
    }


@api.exception_handler(RequestValidationError)
def request_validation_error(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors = [_request_error(item) for item in exc.errors]
    return api.create_response(request, {"errors": errors}, status=422)


def _register_routers() -> None:
    from kampungkb.accounts.api import router as accounts_router
    from kampungkb.activities.api import router as activities_router
    from kampungkb.cadres.api import router as cadres_router
    from kampungkb.contraception.api import router as contraception_router
    from kampungkb.families.api import router as families_router
    from kampungkb.indicators.api import router as indicators_router
    from kampungkb.kampung.api import router as kampung_router
    from kampungkb.participation.api import router as participation_router
    from kampungkb.partners.api import router as partners_router
    from kampungkb.regions.api import router as regions_router
    from kampungkb.reports.api import router as reports_router
    from kampungkb.stunting.api import router as stunting_router

    api.add_router("/areas", regions_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/", families_router)
    api.add_router("/", activities_router, tags=["Kegiatan / Activities"])
    api.add_router("/cadres", cadres_router, tags=["Kader / Cadres"])
    api.add_router("/", contraception_router, tags=["Layanan KB / FP services"])
    api.add_router("/", indicators_router)
    api.add_router("/kampung", kampung_router, tags=["Kampung KB"])
    api.add_router("/", partners_router)
    api.add_router("/participation", participation_router, tags=["Partisipasi / Participation"])
    api.add_router("/", reports_router, tags=["Laporan & indikator / Reports & indicators"])
    api.add_router("/stunting", stunting_router, tags=["Stunting"])


_register_routers()
