"""Forms of the 查找问题 → 整改 pages: problems, rectification items, their measures, the
transitions that need a reason, and the filters of the two lists.

Plain forms, not ModelForms: a ModelForm writes the cleaned values onto its instance, and the
services compare the instance's old values with the new ones for the audit trail. The rules
(deadline not before the opening, responsible leader of the branch, percent 0–100, a reason for
不予整改) are the services'; their refusals reach the field through config.views.form_error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm, PlainFormMixin
from config.uploads import ImageUploadField
from members.models import Branch, Role, User

from .forms import DateInput
from .models import Campaign, Problem, Rectification

TEXT_MAX = 2000  # the longest description or note a form takes
REASON_MAX = 300  # as Rectification.decline_reason / reopen_reason


def responsible_choices(branch: Branch) -> QuerySet[User]:
    """Who may be an item's 责任领导: the branch's leaders and secretary (the service checks it
    again)."""
    return (
        User.objects.in_branch(branch)
        .active()
        .filter(groups__name__in=[Role.LEADER, Role.SECRETARY])
        .distinct()
        .order_by("full_name", "pk")
    )


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- Problems ---------------------------------------------------------------------------------


class ProblemForm(PlainFormMixin, forms.Form):
    source = forms.ChoiceField(
        label=_("问题来源"),
        choices=Problem.Source.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
    )
    area = forms.ChoiceField(
        label=_("问题方面"),
        choices=Problem.Area.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
    )
    title = forms.CharField(label=_("问题概述"), max_length=100)
    description = forms.CharField(label=_("问题描述"), max_length=TEXT_MAX, widget=_textarea(4))
    found_on = forms.DateField(label=_("查找日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_on"].initial = timezone.localdate()
        self.fields["title"].help_text = _("一句话说明问题，例如：配送成本偏高。")


# --- Rectification items --------------------------------------------------------------------


class RectificationForm(PlainFormMixin, forms.Form):
    """An item's content: what everyone reads, the internal note, who answers for it, by when."""

    title = forms.CharField(label=_("整改事项"), max_length=100)
    public_description = forms.CharField(
        label=_("整改事项说明"),
        max_length=TEXT_MAX,
        widget=_textarea(3),
        help_text=_("公开内容：党员和群众都能看到。"),
    )
    internal_note = forms.CharField(
        label=_("内部备注（可选）"),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(2),
        help_text=_("不公开：只有支部书记和领导班子成员能看到。"),
    )
    responsible = forms.ModelChoiceField(label=_("责任领导"), queryset=User.objects.none())
    deadline = forms.DateField(label=_("整改时限"), widget=DateInput())

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = responsible_choices(branch)
        self.fields["responsible"].label_from_instance = lambda person: person.full_name


class ProblemRectifyForm(RectificationForm):
    """One or more problems become a new item, or join an item that is not closed yet."""

    field_order = ["problems", "rectification"]

    problems = forms.ModelMultipleChoiceField(
        label=_("要整改的问题"),
        queryset=Problem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    rectification = forms.ModelChoiceField(
        label=_("并入已有的整改事项（可选）"),
        queryset=Rectification.objects.none(),
        required=False,
        help_text=_("选择后，问题并入这个整改事项，下面的内容不用填写。"),
    )

    NEW_ITEM_FIELDS = ("title", "public_description", "internal_note", "responsible", "deadline")

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, branch=campaign.branch, **kwargs)
        self.fields["problems"].queryset = (
            Problem.objects.filter(campaign=campaign)
            .without_rectification()
            .select_related("campaign")
            .order_by("-found_on", "-pk")
        )
        self.fields["problems"].label_from_instance = lambda p: (
            f"{p.title}（{p.get_source_display()} · {p.get_area_display()}）"
        )
        self.fields["rectification"].queryset = (
            Rectification.objects.filter(branch=campaign.branch)
            .exclude(status__in=Rectification.CLOSED_STATUSES)
            .order_by("deadline", "pk")
        )
        self.fields["rectification"].empty_label = _("不并入，确定新的整改事项")
        # A new item's fields are checked by the service, and only when no item is chosen.
        for name in self.NEW_ITEM_FIELDS:
            self.fields[name].required = False
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=30)

    @property
    def new_item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.NEW_ITEM_FIELDS]


class ReasonForm(PlainFormMixin, forms.Form):
    """The reason of a transition that needs one (不予整改, 重新整改); `status` is the target."""

    status = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=REASON_MAX, widget=_textarea(2))

    def __init__(self, *args: Any, status: str, label: str, help_text: str, **kwargs: Any) -> None:
        # Two of these forms share the detail page: their ids must not collide.
        kwargs.setdefault("auto_id", f"id_{status}_%s")
        super().__init__(*args, initial={"status": status}, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


def decline_form(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        status=Rectification.Status.DECLINED,
        label=_("不予整改原因"),
        help_text=_("必填。所有能看到这个整改事项的人都会看到原因；不予整改不计为已整改。"),
    )


def reopen_form(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        status=Rectification.Status.IN_PROGRESS,
        label=_("重新整改原因"),
        help_text=_("必填。验收不通过的原因，责任领导会看到。"),
    )


# --- Measures -----------------------------------------------------------------------------------


class MeasureForm(PlainFormMixin, forms.Form):
    content = forms.CharField(label=_("整改措施"), max_length=200)
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none())
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput())

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.in_branch(branch)
            .active()
            .select_related("department")
            .order_by("department__order", "full_name", "pk")
        )
        self.fields["owner"].label_from_instance = lambda p: (
            f"{p.full_name}（{p.department}）" if p.department_id else p.full_name
        )


class MeasureProgressForm(PlainFormMixin, forms.Form):
    """The responsible leader's one short form on a phone: how far, and the evidence."""

    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    evidence_note = forms.CharField(
        label=_("佐证说明（可选）"), max_length=TEXT_MAX, required=False, widget=_textarea(3)
    )
    evidence_photo = ImageUploadField(label=_("佐证照片（可选）"), required=False)

    def __init__(self, *args: Any, replaces_photo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["percent"].help_text = _("填 0 到 100 的整数；全部措施到 100 才能报告已整改。")
        if replaces_photo:
            self.fields["evidence_photo"].label = _("更换佐证照片（可选）")


# --- Lists --------------------------------------------------------------------------------------

NOT_RECTIFIED = "none"
OVERDUE_YES, OVERDUE_NO = "yes", "no"
OPEN, FIXED = "open", "done"  # the statistics' classes, as filter values


class ProblemFilter(django_filters.FilterSet):
    # max_length: SQLite refuses LIKE patterns over 50,000 bytes with an error (a 500).
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=50)
    source = django_filters.ChoiceFilter(
        label=_("问题来源"), choices=Problem.Source.choices, empty_label=_("全部来源")
    )
    area = django_filters.ChoiceFilter(
        label=_("问题方面"), choices=Problem.Area.choices, empty_label=_("全部方面")
    )
    status = django_filters.ChoiceFilter(
        label=_("整改状态"),
        choices=[(NOT_RECTIFIED, _("未列入整改")), *Rectification.Status.choices],
        empty_label=_("全部"),
        method="by_status",
    )

    class Meta:
        model = Problem
        fields = ["q", "source", "area", "status"]
        form = PlainForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("问题概述或描述")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == NOT_RECTIFIED:
            return queryset.filter(rectification__isnull=True)
        return queryset.filter(rectification__status=value)


class PublicRectificationFilter(django_filters.FilterSet):
    """What staff and members filter by: nothing that is not on the public face."""

    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[
            (OPEN, _("未完成（待整改、整改中）")),
            (FIXED, _("已整改（含已验收）")),
            *Rectification.Status.choices,
        ],
        empty_label=_("全部状态"),
        method="by_status",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("是否逾期"),
        choices=[(OVERDUE_YES, _("已逾期")), (OVERDUE_NO, _("未逾期"))],
        empty_label=_("全部"),
        method="by_overdue",
    )

    class Meta:
        model = Rectification
        fields = ["status", "overdue"]
        form = PlainForm

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A status, or a class of the statistics: 未完成 or 已整改 (不予整改 is neither)."""
        if value == OPEN:
            return queryset.filter(status__in=Rectification.OPEN_STATUSES)
        if value == FIXED:
            return queryset.filter(status__in=Rectification.FIXED_STATUSES)
        return queryset.filter(status=value)

    def by_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """On the `overdue` annotation of selectors_fortress.rectification_list."""
        if value == OVERDUE_YES:
            return queryset.filter(overdue=True)
        if value == OVERDUE_NO:
            return queryset.filter(overdue=False)
        return queryset


class RectificationFilter(PublicRectificationFilter):
    """The internal list (secretary, leaders): also by responsible leader."""

    responsible = django_filters.ModelChoiceFilter(
        label=_("责任领导"), queryset=User.objects.none(), empty_label=_("全部责任领导")
    )

    class Meta(PublicRectificationFilter.Meta):
        fields = ["status", "responsible", "overdue"]

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["responsible"].queryset = responsible_choices(branch)
        self.form.fields["responsible"].label_from_instance = lambda person: person.full_name
