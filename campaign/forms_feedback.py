"""Forms of the staff feedback pages: sending feedback (with the identity modes explained on the
form) and following an item with its receipt code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm
from config.uploads import ImageUploadField
from members.models import Role, User

from .forms import DateInput
from .models import Feedback, Rectification, SatisfactionRating
from .models.feedback import TEXT_MAX

DUPLICATE_WINDOW_DAYS = 90  # a duplicate is of an item sent within three months before it

# What each identity mode means, in the words the form shows before anything is sent.
IDENTITY_HELP = {
    Feedback.Identity.REAL: _("处理人和公示栏都显示您的姓名。"),
    Feedback.Identity.HANDLERS: _("支部书记和负责处理的领导能看到您的姓名；公示栏和其他人看不到。"),
    Feedback.Identity.NONE: _(
        "不保存任何能认出您的信息（不记录账号、IP 地址，只记日期不记时间）。"
        "提交后会给您一个回执码，只显示一次，请抄下或截图，凭它查看处理结果和评价。"
        "为防止按提交时间推断身份，完全匿名的意见在当天结束后统一送达处理人。"
    ),
}


class FeedbackForm(PlainForm):
    identity = forms.ChoiceField(
        label=_("身份方式"), choices=Feedback.Identity.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=_("意见类型"), choices=Feedback.Kind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=Feedback.Category.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("意见内容"),
        max_length=TEXT_MAX,
        # No draft kept in the browser (static/js/drafts.js): its key names the signed-in
        # person, and a 完全匿名 item's text must not stay on a shared office computer.
        widget=forms.Textarea(attrs={"rows": 5, "data-draft": False}),
        help_text=_("请写清楚是什么事、在哪里、希望怎样改进（最多 %(n)d 字）。") % {"n": TEXT_MAX},
    )
    photo = ImageUploadField(
        label=_("照片（可选）"),
        required=False,
        help_text=_("JPG、PNG 或 WebP，不超过 5 MB；照片中的拍摄时间、位置等信息会被去除。"),
    )

    def __init__(self, *args: Any, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        identity = self.fields["identity"]
        if signed_in:
            identity.initial = Feedback.Identity.HANDLERS
        else:
            # Signed out, nothing could vouch for a name: 完全匿名 only.
            identity.choices = [(Feedback.Identity.NONE, Feedback.Identity.NONE.label)]
            identity.initial = Feedback.Identity.NONE
            identity.help_text = _("未登录时只能完全匿名提交；登录后可以实名或对外匿名提交。")
        self.identity_help = [
            (value, label, IDENTITY_HELP[value]) for value, label in identity.choices
        ]
        self.fields["kind"].initial = Feedback.Kind.COMPLAINT
        self.plain_messages()


class ReceiptForm(PlainForm):
    """The receipt code, sent in the body of a POST (never in an address a browser keeps)."""

    code = forms.CharField(
        label=_("回执码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("提交完全匿名意见时得到的 20 位回执码，例如 7K3M-…；大小写、横线可不区分。"),
    )


# --- Handling ---------------------------------------------------------------------------------


def _item_label(item: Feedback) -> str:
    excerpt = item.shown_text[:24] + ("…" if len(item.shown_text) > 24 else "")
    return f"{item.submitted_on:%Y-%m-%d} {item.get_kind_display()}·{excerpt}"


def _offer_handlers(field: forms.ModelChoiceField, branch_id: int) -> None:
    """The branch's active leaders and secretaries, by name."""
    field.queryset = (
        User.objects.filter(
            branch_id=branch_id, is_active=True, groups__name__in=[Role.LEADER, Role.SECRETARY]
        )
        .distinct()
        .order_by("full_name", "pk")
    )
    field.label_from_instance = lambda u: u.full_name


class AcceptForm(PlainForm):
    handler = forms.ModelChoiceField(
        label=_("负责处理的领导"),
        queryset=User.objects.none(),
        help_text=_("对外匿名的意见，只有支部书记和这位领导能看到提出人。"),
    )

    def __init__(self, *args: Any, branch_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_handlers(self.fields["handler"], branch_id)


class DeclineForm(PlainForm):
    reason = forms.CharField(
        label=_("不予采纳原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("提出人会看到这个原因。"),
    )


class DuplicateForm(PlainForm):
    of = forms.ModelChoiceField(label=_("与哪条意见重复"), queryset=Feedback.objects.none())

    def __init__(self, *args: Any, item: Feedback, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["of"]
        field.queryset = (
            Feedback.objects.in_branch(item.branch_id)
            .exclude(pk=item.pk)
            .exclude(status=Feedback.Status.DUPLICATE)
            .filter(
                category=item.category,
                submitted_on__gte=item.submitted_on - dt.timedelta(days=DUPLICATE_WINDOW_DAYS),
            )
            .only("id", "submitted_on", "kind", "text", "public_text")
            .order_by("-submitted_on", "id")
        )
        field.label_from_instance = _item_label


class ReplyForm(PlainForm):
    reply = forms.CharField(
        label=_("公开答复"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("提出人和整改公示栏都能看到。"),
    )


class CloseForm(PlainForm):
    reply = forms.CharField(
        label=_("办结答复"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不需要整改的（如建议已采纳、表扬已转达），写明处理结果后办结。"),
    )


class NoteForm(PlainForm):
    note = forms.CharField(
        label=_("内部备注"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("只有支部书记和领导能看到，提出人和公示栏看不到。"),
    )


class RedactForm(PlainForm):
    public_text = forms.CharField(
        label=_("公示内容"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("公示栏显示这段文字；可删去其中的人名等。提出人的原文不变。"),
    )


class RectifyForm(PlainForm):
    """Link the item to a rectification item of the branch; the secretary may instead open a
    new one here (title, what is to be fixed, responsible leader, deadline)."""

    rectification = forms.ModelChoiceField(
        label=_("列入已有的整改事项"), queryset=Rectification.objects.none(), required=False
    )
    title = forms.CharField(label=_("或新建整改事项：名称"), max_length=100, required=False)
    public_description = forms.CharField(
        label=_("整改事项说明"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("公开：职工在整改公示中看到。"),
    )
    responsible = forms.ModelChoiceField(
        label=_("责任领导"), queryset=User.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("整改时限"), required=False, widget=DateInput())

    def __init__(self, *args: Any, branch_id: int, may_create: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_create:
            _offer_handlers(self.fields["responsible"], branch_id)
        else:
            for name in ("title", "public_description", "responsible", "deadline"):
                del self.fields[name]
            self.fields["rectification"].required = True
            self.fields["rectification"].label = _("列入整改事项")
        field = self.fields["rectification"]
        field.queryset = (
            Rectification.objects.in_branch(branch_id)
            .filter(
                Q(status__in=Rectification.OPEN_STATUSES + (Rectification.Status.FIXED,))
                | Q(accepted_on__gte=timezone.localdate() - dt.timedelta(days=180))
            )
            .only("id", "title", "status", "deadline")
            .order_by("-opened_on", "-pk")
        )
        field.label_from_instance = lambda r: f"{r.title}（{r.get_status_display()}）"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "title" in self.fields and not data.get("rectification") and not data.get("title"):
            self.add_error("rectification", _("请选择已有的整改事项，或填写新整改事项的名称。"))
        return data


class RateForm(PlainForm):
    level = forms.ChoiceField(
        label=_("您对整改结果是否满意"),
        choices=SatisfactionRating.Level.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价说明（选不满意时必填）"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-draft": False}),
    )


class QueueFilter(django_filters.FilterSet):
    """The handler's list: by state, what stands out, kind and category."""

    FLAGS = (
        ("late", _("超过 3 天未受理")),
        ("overdue", _("整改逾期")),
        ("rating", _("待评价")),
        ("mine", _("交给我处理的")),
    )

    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Feedback.Status.choices, empty_label=_("全部状态")
    )
    flag = django_filters.ChoiceFilter(
        label=_("只看"), choices=FLAGS, empty_label=_("全部"), method="with_flag"
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Feedback.Kind.choices, empty_label=_("全部类型")
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Feedback.Category.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = Feedback
        fields = ["status", "flag", "kind", "category"]
        form = PlainForm

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def with_flag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "late":
            return queryset.filter(late_accept=True)
        if value == "overdue":
            return queryset.filter(overdue=True)
        if value == "rating":
            return queryset.filter(status=Feedback.Status.FIXED)
        if value == "mine":
            return queryset.filter(handler=self.viewer)
        return queryset
