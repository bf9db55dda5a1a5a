"""The accounts API: who the caller is, with roles and what they may do where."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from kampungkb.accounts.schemas import MeOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="The caller: roles with their areas, capabilities")
def me(request: HttpRequest) -> Any:
    return request.user
