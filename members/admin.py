from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Branch, Department, Responsibility, User


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "parent_org"]
    search_fields = ["name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "branch", "order"]
    list_filter = ["branch"]
    list_editable = ["order"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
        (_("角色与权限"), {"fields": ("is_active", "is_staff", "groups", "must_change_password")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "branch", "password1", "password2"),
            },
        ),
    )
