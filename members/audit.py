"""The audit trail: every change by the secretary or a leader goes through `record`."""

from __future__ import annotations

from django.db import models

from .models import AuditEntry, User


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one entry. `action` is a short Chinese verb phrase, e.g. "停用账号"."""
    branch_id = getattr(actor, "branch_id", None)
    return AuditEntry.objects.create(
        branch_id=branch_id,
        actor=actor if actor is not None and actor.pk else None,
        action=action[:50],
        object_type=str(obj._meta.verbose_name)[:50] if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail,
    )
