"""The audit trail: every change by the secretary or a leader goes through `record`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

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
    entry = _entry(by=by, action=action, obj=obj, detail=detail)
    entry.save(force_insert=True)
    return entry


def record_many(
    *, by: User | None, action: str, entries: Iterable[tuple[models.Model, str]]
) -> None:
    """`record` for many objects at once, each with its detail: one INSERT per 500 entries (an
    import that changes 5,000 people)."""
    AuditEntry.objects.bulk_create(
        [_entry(by=by, action=action, obj=obj, detail=detail) for obj, detail in entries],
        batch_size=500,
    )


def _entry(*, by: User | None, action: str, obj: models.Model | None, detail: str) -> AuditEntry:
    return AuditEntry(
        branch_id=getattr(by, "branch_id", None),
        actor=by if by is not None and by.pk else None,
        action=action[:50],
        object_type=str(obj._meta.verbose_name)[:50] if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail,
    )


def record_export(*, request: Any, ledger: str, scope: str = "", rows: int = 0, **_kw: Any) -> None:
    """导出Excel is recorded: a file of people's data has left the app (config.exports)."""
    detail = _("%(ledger)s，%(rows)s 行") % {
        "ledger": " · ".join(filter(None, [ledger, scope])),
        "rows": rows,
    }
    record(by=request.user, action=_("导出Excel"), detail=detail)
