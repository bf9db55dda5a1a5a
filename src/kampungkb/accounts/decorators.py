"""View decorators for pages that show named persons."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from kampungkb.accounts.scope import Capability, scope_for

View = Callable[..., HttpResponse]


def personal_page(view: View) -> View:
    """Signed in, with a role that sees named persons; anyone else (a partner, a researcher)
    finds nothing here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_for(request.user).can(Capability.VIEW_PERSONS):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def page(view: View) -> View:
    """A personal page that only reads (GET)."""
    return personal_page(require_GET(view))


def form_page(view: View) -> View:
    """A personal page with a form (GET and POST)."""
    return personal_page(require_http_methods(["GET", "POST"])(view))
