from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import DateRangeValidator, PlainForm, PlainFormMixin

from .forms_auth import PASSWORD_HELP
from .imports import MAX_BYTES, TOO_BIG
from .models import USERNAME_TAKEN, Branch, Department, Responsibility, Role, User
from .validators import username_validator

CHOOSE = _("请选择")
PARTY_FOUNDED = dt.date(1921, 7, 1)


def username_taken(username: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another account has this sign-in name in any case (`XT0202` and `xt0202`)."""
    return User.objects.named(username).exclude(pk=exclude_pk).exists()


class SetupForm(PlainFormMixin, forms.Form):
    branch_name = forms.CharField(label=_("支部名称"), max_length=100)
    parent_org = forms.CharField(label=_("所属单位（上级党委）"), max_length=100, required=False)
    full_name = forms.CharField(label=_("书记姓名"), max_length=50)
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        validators=[username_validator],
        help_text=_("字母、数字和 @/./+/-/_；登录时不区分大小写"),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput, strip=False, help_text=PASSWORD_HELP
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error(
                "password2",
                forms.ValidationError(_("两次输入的密码不一致。"), code="password_mismatch"),
            )
        elif p1:
            user = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class DemoSetupForm(PlainFormMixin, forms.Form):
    demo_password = forms.CharField(
        label=_("演示账号的统一密码"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("至少 8 个字符；登录名 secretary、leader、member、staff 等都使用这个密码。"),
    )

    def clean_demo_password(self) -> str:
        password = self.cleaned_data["demo_password"]
        validate_password(password)
        return password


class PersonForm(PlainFormMixin, forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可多选：领导班子成员通常同时是党员。"),
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "username",
            "employee_no",
            "gender",
            "department",
            "position",
            "phone",
            "political_status",
            "joined_party_on",
        ]
        labels = {"username": _("登录名")}
        help_texts = {"username": _("一般与工号相同；字母、数字和 @/./+/-/_；登录时不区分大小写")}
        widgets = {"joined_party_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.fields["department"].queryset = Department.objects.filter(branch=branch)
        self.fields["department"].empty_label = CHOOSE
        self.fields["gender"].choices = [("", CHOOSE), *User.Gender.choices]
        self.fields["username"].validators = [username_validator]
        self.fields["username"].widget.attrs["autocapitalize"] = "none"
        self.fields["full_name"].required = True
        if self.instance.pk:
            self.initial.setdefault("roles", sorted(self.instance.role_names))

    def plain_messages(self) -> None:
        """The shared messages and bounds, except that one joined the party before 2000."""
        super().plain_messages()
        joined = self.fields["joined_party_on"]
        joined.validators = [v for v in joined.validators if not isinstance(v, DateRangeValidator)]
        joined.widget.attrs.update(
            min=PARTY_FOUNDED.isoformat(), max=timezone.localdate().isoformat()
        )

    def clean_joined_party_on(self) -> dt.date | None:
        joined = self.cleaned_data["joined_party_on"]
        if joined and not PARTY_FOUNDED <= joined <= timezone.localdate():
            raise forms.ValidationError(
                _("入党日期须在 1921年7月1日 至今天之间。"), code="date_out_of_range"
            )
        return joined

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username_taken(username, exclude_pk=self.instance.pk):
            raise forms.ValidationError(USERNAME_TAKEN, code="username_taken")
        return username

    def clean_employee_no(self) -> str:
        no = self.cleaned_data["employee_no"].strip()
        if no:
            clash = User.objects.filter(branch=self.branch, employee_no=no).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                raise forms.ValidationError(_("这个工号已被其他人使用。"), code="employee_no_taken")
        return no

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("political_status")
        joined = data.get("joined_party_on")
        if joined and status and status not in User.PARTY_STATUSES:
            self.add_error(
                "joined_party_on",
                forms.ValidationError(
                    _("只有党员和预备党员填写入党日期。"), code="joined_not_party"
                ),
            )
        return data

    def model_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ImportForm(PlainFormMixin, forms.Form):
    CREATE, UPDATE = "create", "update"

    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=[
            (CREATE, _("添加新人员：文件里的工号不能与已有人员重复，检查无误即导入")),
            (
                UPDATE,
                _(
                    "按名单更新：已有工号的人员更新资料，新工号的人员添加，名单中没有的人员不变；"
                    "先预览，确认后才保存"
                ),
            ),
        ],
        initial=CREATE,
        required=False,  # a form without the choice (an older page) adds people, as it always did
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("人员文件"),
        help_text=_("Excel（.xlsx）或 CSV，最大 5 MB、5000 人；请使用模板。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages={"empty": _("文件是空的。"), "required": _("请选择要导入的文件。")},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_BIG, code="too_big")
        return upload

    def clean_mode(self) -> str:
        return self.cleaned_data["mode"] or self.CREATE

    @property
    def updating(self) -> bool:
        """The secretary sends the updated list (preview first), not only new people."""
        return self.cleaned_data.get("mode") == self.UPDATE


class ResponsibilityForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Responsibility
        fields = ["leader", "title", "business_area", "party_duty", "order"]

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.in_branch(branch).with_role(Role.LEADER)
        self.fields["leader"].empty_label = CHOOSE


class DirectoryFilter(django_filters.FilterSet):
    """The read-only directory everyone sees: search by name or 工号.

    Never by phone, nor by 登录名: the directory shows neither, and a search would let anyone
    find out the sign-in name of a colleague whose 登录名 is not the 工号.
    """

    # max_length: SQLite refuses LIKE patterns over 50,000 bytes with an error (a 500).
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=100)
    department = django_filters.ModelChoiceFilter(
        label=_("部门"), queryset=Department.objects.none(), empty_label=_("全部部门")
    )
    political_status = django_filters.ChoiceFilter(
        label=_("政治面貌"), choices=User.PoliticalStatus.choices, empty_label=_("全部")
    )
    role = django_filters.ChoiceFilter(
        label=_("角色"), choices=Role.choices, method="by_role", empty_label=_("全部角色")
    )
    placeholder = _("姓名或工号")

    class Meta:
        model = User
        fields = ["q", "department", "political_status", "role"]
        form = PlainForm

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = Department.objects.filter(branch=branch)
        self.form.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def search_q(self, value: str) -> Q:
        return Q(full_name__icontains=value) | Q(employee_no__icontains=value)

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        value = value.strip()
        return queryset.filter(self.search_q(value)) if value else queryset

    def by_role(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        # A subquery, not a join: each person stays one row, so the list needs no DISTINCT (a
        # DISTINCT over every column sorted all 5,000 people for each page).
        return (
            queryset.filter(pk__in=User.objects.with_role(value).values("pk"))
            if value
            else queryset
        )


class PersonFilter(DirectoryFilter):
    """The secretary's people list: also search by 登录名 (any case) and phone, and deactivated
    accounts."""

    active = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[("1", _("在用")), ("0", _("已停用"))],
        method="by_active",
        empty_label=_("全部状态"),
    )
    placeholder = _("姓名、登录名、工号或手机")

    class Meta(DirectoryFilter.Meta):
        fields = [*DirectoryFilter.Meta.fields, "active"]

    def search_q(self, value: str) -> Q:
        return super().search_q(value) | Q(username__icontains=value) | Q(phone__contains=value)

    def by_active(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(is_active=value == "1") if value in {"0", "1"} else queryset
