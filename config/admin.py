"""Shared bases for the apps' admins.

The admin is the secretary's back office for looking things up. A write that has a rule (a phase,
a state, an anonymity guarantee, the audit trail) goes through the app's pages and their services,
never around them. So every registered admin is one of:

* `ReadOnlyAdmin` (and `ReadOnlyTabularInline`): the default; no add, no change, no delete;
* `AuditedAdmin`: reference data without rules; every add, change and delete is in the audit trail;
* an admin whose save calls the app's services (the person admin in members/admin.py).

tests/hardening/test_admin_rules.py fails when a registered model is editable without being on
its allow-list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from members import audit

# Columns the admin never shows, whatever the model: the sealed vote of an open evaluation round
# and anything that could tie a ballot back to a person.
NEVER_SHOWN = frozenset({"sealed", "change_key_hash"})


def _visible(names: Sequence[Any]) -> list[Any]:
    return [n for n in names if n not in NEVER_SHOWN]


class ReadOnlyMixin:
    """No add, no change, no delete: the admin only shows. Fields in NEVER_SHOWN are left out even
    when a subclass names them or the model grows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return _visible(super().get_fields(request, obj))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return _visible(super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)
        return [
            (name, {**options, "fields": _visible(options.get("fields", ()))})
            for name, options in fieldsets
        ]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [*(super().get_exclude(request, obj) or ()), *NEVER_SHOWN]


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    def get_list_display(self, request: HttpRequest) -> list[Any]:
        return _visible(super().get_list_display(request))


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


def _changed_fields(form: ModelForm) -> str:
    labels = []
    for name in form.changed_data:
        field = form.fields.get(name)
        labels.append(str(field.label) if field is not None and field.label else name)
    return "修改字段：" + "、".join(labels) if labels else ""


class AuditedAdmin(admin.ModelAdmin):
    """Reference data without rules (a branch's name, its departments). Editable, but every add,
    change and delete, including list_editable and the bulk delete action, writes an audit entry."""

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool
    ) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = _("后台修改%(what)s") if change else _("后台添加%(what)s")
            audit.record(
                by=request.user,
                action=action % {"what": obj._meta.verbose_name},
                obj=obj,
                detail=_changed_fields(form) if change else "",
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit.record(
                by=request.user,
                action=_("后台删除%(what)s") % {"what": obj._meta.verbose_name},
                obj=obj,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(
                    by=request.user,
                    action=_("后台删除%(what)s") % {"what": obj._meta.verbose_name},
                    obj=obj,
                )
            super().delete_queryset(request, queryset)
