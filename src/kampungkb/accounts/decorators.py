"""View decorators: signed in, the HTTP methods a page answers, and a capability the user holds
somewhere (else the page is not found). Each view then checks the record's own area."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from kampungkb.accounts.scope import Capability, scope_for

View = Callable[..., HttpResponse]


def needs(capability: Capability, methods: list[str] | None = None) -> Callable[[View], View]:
    """Signed in, holding ``capability`` in some area, and (if given) only these HTTP methods."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not scope_for(request.user).can(capability):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(require_http_methods(methods)(wrapper) if methods else wrapper)

    return decorate


def personal_page(view: View) -> View:
    """Signed in, with a role that sees named persons; anyone else (a partner, a researcher)
    finds nothing here."""
    return needs(Capability.VIEW_PERSONS)(view)


def page(view: View) -> View:
    """A personal page that only reads (GET)."""
    return personal_page(require_GET(view))


def form_page(view: View) -> View:
    """A personal page with a form (GET and POST)."""
    return personal_page(require_http_methods(["GET", "POST"])(view))
