"""The members admin. A person's record, roles, account state and password change only through
members/services, as on the people pages: same checks, same audit trail, and a password set
here is one-time (the person must change it at the next sign-in)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, ReadOnlyPasswordHashField
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyTabularInline
from config.views import refuse

from . import services
from .forms import PersonForm
from .models import Branch, Department, Responsibility, User


@admin.register(Branch)
class BranchAdmin(AuditedAdmin):
    list_display = ["name", "parent_org"]
    search_fields = ["name"]

    # A branch is created by the first-run setup; deleting one would take all its records with it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "branch", "order"]
    list_filter = ["branch"]
    list_editable = ["order"]


class ResponsibilityInline(ReadOnlyTabularInline):
    """Edited on the 领导班子 page (responsibility_save / responsibility_delete)."""

    model = Responsibility


# Roles are defined in members/roles.py and synced after every migrate; nobody edits them here.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin, DjangoGroupAdmin):
    pass


class PersonAdminForm(PersonForm):
    """The people page's form (same fields, same checks) plus the account switch."""

    password = ReadOnlyPasswordHashField(
        label=_("密码"),
        help_text=_(
            "在这里设置的是一次性密码：本人下次登录时必须改成自己的密码；每次设置都记入操作记录。"
        ),
    )
    editor: User  # set per request by UserAdmin.get_form
    # Django's renderer, as every admin form: the admin's widgets have no Jinja2 templates.
    default_renderer = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, branch=kwargs["instance"].branch, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The one own-access rule (services.person_check_own_access), once for each field it is
        # about; its refusal names that field. A field already refused is not in `data`.
        checks = {"roles": "roles", "is_active": "active"}
        for field, argument in checks.items():
            if field not in data:
                continue
            try:
                services.person_check_own_access(
                    person=self.instance, by=self.editor, **{argument: data[field]}
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data

    def model_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PersonForm.Meta.fields}


class OneTimePasswordForm(AdminPasswordChangeForm):
    """The admin's "set password" form. The password always works (no "disable" switch) and is
    saved by UserAdmin.user_change_password through services.person_set_password."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].label = _("一次性密码")
        self.fields["password1"].required = True
        self.fields["password2"].required = True

    def save(self, commit: bool = True) -> User:
        # Guard: the admin view saves through services.person_set_password (one-time, audited);
        # a direct save would bypass both.
        raise RuntimeError("saved by services.person_set_password, with the audit entry")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonAdminForm
    change_password_form = OneTimePasswordForm
    list_display = [
        "full_name",
        "username",
        "employee_no",
        "department",
        "political_status",
        "is_active",
    ]
    list_filter = ["branch", "department", "political_status", "groups", "is_active"]
    search_fields = ["full_name", "username", "employee_no", "phone"]
    list_select_related = ["department"]
    ordering = ["full_name"]
    inlines = [ResponsibilityInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("个人信息"),
            {
                "fields": (
                    "full_name",
                    "gender",
                    "branch",
                    "department",
                    "position",
                    "employee_no",
                    "phone",
                    "political_status",
                    "joined_party_on",
                )
            },
        ),
        (
            _("角色与权限"),
            {
                "fields": (
                    "roles",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "must_change_password",
                ),
                "description": _("后台权限随“支部书记/支委”角色自动设置。"),
            },
        ),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    # Set by the services (is_staff follows the secretary role) or by signing in.
    readonly_fields = [
        "branch",
        "is_staff",
        "is_superuser",
        "must_change_password",
        "last_login",
        "date_joined",
    ]

    # People are added on the people pages (one-time password, default roles) and never deleted:
    # deactivating keeps every record.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user  # modelform_factory made a new class for this request
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # The form has already written its values onto `obj`: the services compare with the
        # stored row, so they get a fresh copy.
        person = User.objects.get(pk=obj.pk)
        data = form.model_data()
        roles = set(form.cleaned_data["roles"])
        if roles != set(person.role_names) or any(getattr(person, f) != v for f, v in data.items()):
            services.person_update(person=person, data=data, roles=roles, by=request.user)
        active = form.cleaned_data["is_active"]
        if active != person.is_active:
            services.person_set_active(person=person, active=active, by=request.user)
        obj.refresh_from_db()

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        person = self.get_object(request, unquote(id))
        if person is not None:
            try:
                services.person_check_own_password(person=person, by=request.user)
            except ValidationError as exc:
                refuse(request, exc)
                return redirect("password_change")
        if (
            request.method == "POST"
            and person is not None
            and self.has_change_permission(request, person)
        ):
            form = self.change_password_form(person, request.POST)
            if form.is_valid():
                services.person_set_password(
                    person=person, password=form.cleaned_data["password1"], by=request.user
                )
                self.log_change(request, person, [{"changed": {"fields": ["password"]}}])
                messages.success(
                    request,
                    _("已为 %(name)s 设置一次性密码：本人下次登录时必须修改。") % {"name": person},
                )
                return redirect(reverse("admin:members_user_change", args=[person.pk]))
        # GET, or a form with errors: Django's own page shows it (it validates the POST again).
        return super().user_change_password(request, id, form_url)
