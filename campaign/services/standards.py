"""Standard sets: a branch's own editable copy of the templates loaded by 0002_fill_standards."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Branch, User

from ..models import Standard, StandardSet
from ._common import record


def _load_templates() -> None:
    """The template texts live in the data migration; load them again if they are gone (a
    database flushed by transactional tests, or templates deleted in the admin)."""
    migration = importlib.import_module("campaign.migrations.0002_fill_standards")
    migration.fill(global_apps, None)


@transaction.atomic
def standards_install_defaults(*, branch: Branch) -> dict[str, StandardSet]:
    """Give the branch a copy of every template set it does not have yet; returns sets by code."""
    if not StandardSet.objects.filter(branch__isnull=True).exists():
        _load_templates()
    existing = {s.code: s for s in StandardSet.objects.filter(branch=branch)}
    templates = StandardSet.objects.filter(branch__isnull=True).prefetch_related("items")
    for template in templates:
        if template.code in existing:
            continue
        copy = StandardSet.objects.create(
            branch=branch,
            code=template.code,
            name=template.name,
            applies_to=template.applies_to,
            description=template.description,
            order=template.order,
        )
        Standard.objects.bulk_create(
            Standard(standard_set=copy, name=i.name, description=i.description, order=i.order)
            for i in template.items.all()
        )
        existing[copy.code] = copy
    return existing


def standards_install_missing(*, branch: Branch) -> int:
    """The secretary's "补齐默认标准": how many template sets the branch was given now."""
    before = StandardSet.objects.filter(branch=branch).count()
    return len(standards_install_defaults(branch=branch)) - before


@transaction.atomic
def standard_save(*, standard: Standard, data: dict[str, Any], by: User) -> Standard:
    """Create or edit one item of a branch's set."""
    if standard.standard_set.branch_id != by.branch_id:
        raise ValidationError(_("只能修改本支部的标准。"))
    clash = Standard.objects.filter(standard_set=standard.standard_set, name=data["name"]).exclude(
        pk=standard.pk
    )
    if clash.exists():
        raise ValidationError({"name": _("这套标准中已有同名条目。")})
    created = standard.pk is None
    for field, value in data.items():
        setattr(standard, field, value)
    standard.full_clean()
    standard.save()
    record(by=by, action=_("新增标准条目") if created else _("修改标准条目"), obj=standard)
    return standard


@transaction.atomic
def standard_set_update(
    *, standard_set: StandardSet, data: dict[str, Any], by: User
) -> StandardSet:
    if standard_set.branch_id != by.branch_id:
        raise ValidationError(_("只能修改本支部的标准。"))
    for field, value in data.items():
        setattr(standard_set, field, value)
    standard_set.full_clean()
    standard_set.save()
    record(by=by, action=_("修改标准"), obj=standard_set)
    return standard_set
