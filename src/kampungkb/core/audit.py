"""Writing audit events. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from kampungkb.core.models import AuditEvent


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


# Timestamps every save touches: left out unless asked for (the audit event has its own time).
_BOOKKEEPING = frozenset({"created_at", "updated_at"})
# Secrets an audit trail must never hold, even when asked for.
_SECRETS = frozenset({"password", "key_hash"})


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values, JSON-safe, keyed by attribute name (``family_id``)."""
    if fields is None:
        fields = [
            f.attname for f in instance._meta.concrete_fields if f.attname not in _BOOKKEEPING
        ]
    names = [name for name in fields if name not in _SECRETS]
    return {name: _json_value(getattr(instance, name)) for name in names}


def audit_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    area_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change. Only changed keys are kept when both sides are given."""
    before = before or {}
    after = after if after is not None else snapshot(instance)
    if before:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        area_code=area_code,
        before=before,
        after=after,
    )
