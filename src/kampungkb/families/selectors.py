"""Reads of the family register. Every read goes through ``scoped``: one selector serves the
page, the API and exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kampungkb.accounts.scope import Capability, get_scoped_or_404, scoped
from kampungkb.families.models import (
    PUS_MAX_AGE,
    PUS_MIN_AGE,
    Couple,
    CoupleStatus,
    Family,
    Person,
    Pregnancy,
)
from kampungkb.regions.selectors import subtree_q


def years_before(on: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February falls back to 28 February."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def _digits(query: str) -> str:
    return query.replace(" ", "").replace(".", "").replace("-", "")


def family_list(
    *,
    user: Any,
    query: str = "",
    area_code: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Family]:
    """Families the user may see, newest first, searchable by a member's name, NIK or KK."""
    qs = scoped(user, Family.objects.all())
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if area_code:
        qs = qs.filter(subtree_q("area_id", [area_code]))
    query = query.strip()
    if query:
        digits = _digits(query)
        if digits.isdigit() and len(digits) >= 4:
            member_match = Person.objects.filter(family=OuterRef("pk"), nik__startswith=digits)
            qs = qs.filter(Q(kk_number__startswith=digits) | Exists(member_match))
        else:
            name_match = Person.objects.filter(family=OuterRef("pk"))
            for word in query.split():
                name_match = name_match.filter(full_name__icontains=word)
            qs = qs.filter(Exists(name_match))
    return (
        qs.select_related("head", "area")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("-created_at", "-pk")
    )


def family_get(*, user: Any, pk: int, capability: Capability | None = None) -> Family:
    return get_scoped_or_404(
        user, Family.objects.select_related("head", "area", "area__parent"), capability, pk=pk
    )


def family_members(family: Family) -> list[Person]:
    """Members, the head first, then by birth date; the deceased and moved-out last."""
    members = list(family.members.select_related("mother", "father"))
    members.sort(key=lambda p: (not p.is_active, p.pk != family.head_id, p.birth_date))
    return members


def family_couples(family: Family) -> QuerySet[Couple]:
    """Couples with a wife or husband in the family, with their pregnancies."""
    return (
        Couple.objects.filter(Q(wife__family=family) | Q(husband__family=family))
        .select_related("wife", "husband", "wife__family", "husband__family")
        .prefetch_related(
            Prefetch("pregnancies", queryset=Pregnancy.objects.order_by("-recorded_on"))
        )
        .order_by("status", "-married_on")
    )


def person_list(*, user: Any, query: str = "", area_code: str | None = None) -> QuerySet[Person]:
    qs = scoped(user, Person.objects.all()).filter(is_active=True)
    if area_code:
        qs = qs.filter(subtree_q("family__area_id", [area_code]))
    query = query.strip()
    if query:
        digits = _digits(query)
        if digits.isdigit() and len(digits) >= 4:
            qs = qs.filter(nik__startswith=digits)
        else:
            for word in query.split():
                qs = qs.filter(full_name__icontains=word)
    return qs.select_related("family", "family__area").order_by("full_name", "pk")


def person_get(*, user: Any, pk: int, capability: Capability | None = None) -> Person:
    return get_scoped_or_404(
        user, Person.objects.select_related("family", "family__area"), capability, pk=pk
    )


def pus_q(on: dt.date, prefix: str = "") -> Q:
    """Couples that are a PUS on ``on``: married then and the wife aged 15-49 then and alive."""
    p = prefix
    return (
        (Q(**{f"{p}married_on__isnull": True}) | Q(**{f"{p}married_on__lte": on}))
        & (Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": on}))
        & Q(**{f"{p}wife__birth_date__lte": years_before(on, PUS_MIN_AGE)})
        & Q(**{f"{p}wife__birth_date__gt": years_before(on, PUS_MAX_AGE + 1)})
        & (Q(**{f"{p}wife__died_on__isnull": True}) | Q(**{f"{p}wife__died_on__gt": on}))
    )


def couple_list(
    *,
    user: Any,
    area_code: str | None = None,
    pus_on: dt.date | None = None,
    current_only: bool = False,
) -> QuerySet[Couple]:
    qs = scoped(user, Couple.objects.all())
    if area_code:
        qs = qs.filter(subtree_q("wife__family__area_id", [area_code]))
    if current_only:
        qs = qs.filter(status=CoupleStatus.MARRIED)
    if pus_on is not None:
        qs = qs.filter(pus_q(pus_on))
    return qs.select_related("wife", "husband", "wife__family").order_by("-pk")


def couple_get(*, user: Any, pk: int, capability: Capability | None = None) -> Couple:
    return get_scoped_or_404(
        user,
        Couple.objects.select_related("wife", "husband", "wife__family", "wife__family__area"),
        capability,
        pk=pk,
    )
