"""The audit trail: every change by the secretary or a leader goes through `record`."""

from __future__ import annotations

from django.db import models

from .models import AuditEntry, User


def record(
    *,
    by: User | None,
    action: str,
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one entry: who (`by`, None for the system), a short Chinese verb phrase marked for
    translation (`action=_("停用账号")`), the object and a free detail. Every app writes its audit
    entries through here and nowhere else."""
    branch_id = getattr(by, "branch_id", None)
    return AuditEntry.objects.create(
        branch_id=branch_id,
        actor=by if by is not None and by.pk else None,
        action=action[:50],
        object_type=str(obj._meta.verbose_name)[:50] if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail,
    )
