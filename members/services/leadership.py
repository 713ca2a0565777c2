"""领导班子分工: a leader's responsibilities."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..models import Responsibility, User


@transaction.atomic
def responsibility_save(*, responsibility: Responsibility, by: User) -> Responsibility:
    created = responsibility.pk is None
    responsibility.full_clean()
    responsibility.save()
    audit.record(by=by, action=_("添加分工") if created else _("编辑分工"), obj=responsibility)
    return responsibility


@transaction.atomic
def responsibility_delete(*, responsibility: Responsibility, by: User) -> None:
    audit.record(by=by, action=_("删除分工"), obj=responsibility)
    responsibility.delete()
