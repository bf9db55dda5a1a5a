"""Reads of the area hierarchy."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q, QuerySet

from kampungkb.regions.models import Area


def subtree_q(field: str, codes: Iterable[str]) -> Q:
    """A filter for rows whose area code (in ``field``) lies in the subtree of any of ``codes``.

    The subtree is the code itself and the codes that start with it and a dot, so a code never
    matches a longer code of the same level (as ``Scope.can`` decides); both conditions use the
    prefix indexes. ``codes`` that lie inside another listed code are dropped to keep the SQL
    short.
    """
    # A foreign key's column (``area_id``) takes no ``startswith``; the target's pk does, and
    # Django reads it from the same column without a join.
    lookup = f"{field[:-3]}__pk" if field.endswith("_id") else field
    q = Q(pk__in=[])
    for code in outermost_codes(codes):
        q |= Q(**{lookup: code}) | _below(lookup, code)
    return q


def _below(lookup: str, code: str) -> Q:
    """The codes that start with ``code`` and a dot. PostgreSQL matches the prefix with ``LIKE``
    on the ``varchar_pattern_ops`` indexes (its collation does not order punctuation by byte, so
    a range would be wrong there). SQLite never uses an index for ``LIKE`` (case-insensitive by
    default); codes are digits and dots compared byte by byte, so the prefix is the range from
    ``code.`` to ``code/`` ("/" follows "." in ASCII), which the index serves."""
    if connection.vendor == "sqlite":
        return Q(**{f"{lookup}__gte": code + "."}) & Q(**{f"{lookup}__lt": code + "/"})
    return Q(**{f"{lookup}__startswith": code + "."})


def outermost_codes(codes: Iterable[str]) -> list[str]:
    """The codes that lie inside no other of ``codes``, sorted."""
    kept: list[str] = []
    for code in sorted(set(codes)):
        if not any(code == k or code.startswith(k + ".") for k in kept):
            kept.append(code)
    return kept


def area_ancestors(area: Area) -> list[Area]:
    """The ancestors of an area, the province first (one query)."""
    codes = area.ancestor_codes()
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def area_children(area: Area | None, *, base: QuerySet[Area] | None = None) -> QuerySet[Area]:
    qs = base if base is not None else Area.objects.all()
    if area is None:
        return qs.filter(parent__isnull=True, is_active=True)
    return qs.filter(parent=area, is_active=True)


def area_search(
    query: str, *, base: QuerySet[Area] | None = None, limit: int = 50
) -> QuerySet[Area]:
    """Areas whose name contains the words of the query, or whose code starts with it."""
    qs = base if base is not None else Area.objects.all()
    query = query.strip()
    if not query:
        return qs.none()
    digits = query.replace(".", "")
    if digits.isdigit():
        return qs.filter(code__startswith=query).order_by("code")[:limit]
    for word in query.split():
        qs = qs.filter(name__icontains=word)
    return qs.select_related("parent").order_by("level", "name")[:limit]


def area_counts_by_level(base: QuerySet[Area] | None = None) -> dict[int, int]:
    qs = base if base is not None else Area.objects.all()
    rows = qs.order_by().values("level").annotate(n=Count("code"))
    return {row["level"]: row["n"] for row in rows}
