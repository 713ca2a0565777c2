from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.forms import PlainFormMixin
from config.uploads import ImageUploadField
from members.models import User

from .models import (
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Recommendation,
    Reflection,
    Selection,
)
from .services import ACTIVITY_FIELDS, MIN_REASON_LENGTH, check_phase_dates, isbn_check

# "978-7-5086-0001-7" with spaces around its hyphens and then some: 13 digits are stored.
ISBN_TYPED_MAX = 30
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = ReadingActivity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            **{
                name: DATE
                for name in (
                    "recommend_start",
                    "recommend_end",
                    "read_start",
                    "read_end",
                    "discuss_start",
                    "discuss_end",
                )
            },
        }

    def clean(self) -> dict[str, Any]:
        # The phases' order, in words, at the field (before the model's constraint check, which
        # would only name the constraint).
        data = super().clean()
        try:
            check_phase_dates(data=data)
        except forms.ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return data


class RecommendationForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["title", "author", "publisher", "isbn", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "isbn": _(
                "选填，10位或13位，可带短横线或空格，例如 978-7-5086-0001-7；系统会核对校验位。"
            ),
            "reason": _("至少 %(n)d 个字：这本书好在哪里，对工作有什么启发。")
            % {"n": MIN_REASON_LENGTH},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Typed with hyphens and spaces ("978-7-5086-0001-7"), stored as 13 (or 10) characters:
        # the length rule is isbn_check's, not the model column's 13.
        isbn = self.fields["isbn"]
        isbn.max_length = ISBN_TYPED_MAX
        isbn.validators = [v for v in isbn.validators if not isinstance(v, MaxLengthValidator)]
        isbn.validators.append(MaxLengthValidator(ISBN_TYPED_MAX))
        isbn.widget.attrs.update(
            maxlength=ISBN_TYPED_MAX, inputmode="numeric", autocomplete="off", spellcheck="false"
        )

    def clean_isbn(self) -> str:
        try:
            return isbn_check(self.cleaned_data["isbn"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["isbn"]) from exc

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if len(reason.strip()) < MIN_REASON_LENGTH:
            raise forms.ValidationError(
                _("推荐理由至少写 %(n)d 个字，现在是 %(m)d 个字。")
                % {"n": MIN_REASON_LENGTH, "m": len(reason.strip())}
            )
        return reason

    def validate_unique(self) -> None:
        # The service owns "one per member and activity" (the form has no activity/member).
        return None


class SelectionForm(PlainFormMixin, forms.Form):
    books = forms.MultipleChoiceField(label=_("选定书目"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(
        label=_("支委会决定"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明支委会何时研究、选定的理由；选定后推荐阶段结束，全体人员都能看到。"),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["books"].choices = choices


class PurchaseEditForm(PlainFormMixin, forms.ModelForm):
    """修改 a purchase (its book stays); PurchaseForm adds the book for a new one.

    `confirmed_overrun` is hidden: after the service refused a purchase over the budget, the page
    shows the overrun and a 仍然保存 button, and the field carries that overrun back. The service
    saves when the confirmed amount covers the overrun it computes then."""

    invoice = ImageUploadField(label=_("发票照片"), required=False)
    confirmed_overrun = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Purchase
        fields = ["quantity", "unit_price", "supplier", "purchased_on", "invoice"]
        widgets = {"purchased_on": DATE}

    over_budget = False

    def clean_confirmed_overrun(self) -> Decimal | None:
        # Anything but an amount is no confirmation (the warning is shown again), not an error.
        try:
            amount = Decimal(self.cleaned_data["confirmed_overrun"])
        except (InvalidOperation, TypeError):
            return None
        return amount if amount.is_finite() and amount > 0 else None

    def ask_to_confirm(self, exc: ValidationError) -> None:
        """The service's over-budget refusal: show it on top and let the next submit confirm it."""
        self.add_error(None, exc)
        data = self.data.copy()
        data[self.add_prefix("confirmed_overrun")] = exc.params["overrun"]
        self.data = data
        self.over_budget = True


class PurchaseForm(PurchaseEditForm):
    class Meta(PurchaseEditForm.Meta):
        fields = ["selection", *PurchaseEditForm.Meta.fields]

    def __init__(self, *args: Any, activity: ReadingActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selection"].queryset = activity.selections.select_related("activity__branch")
        self.fields["selection"].empty_label = None


class IssueForm(PlainFormMixin, forms.Form):
    selection = forms.ModelChoiceField(
        label=_("书目"), queryset=Selection.objects.none(), empty_label=None
    )
    members = forms.ModelMultipleChoiceField(
        label=_("领书人"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("已领过这本书的人会自动跳过。"),
    )
    issued_on = forms.DateField(label=_("发放日期"), widget=DATE)

    def __init__(
        self, *args: Any, activity: ReadingActivity, people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selection"].queryset = activity.selections.select_related("activity__branch")
        self.fields["members"].queryset = people
        self.fields["members"].label_from_instance = lambda u: u.full_name


class ProgressForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = ReadingProgress
        fields = ["status", "percent", "visible_to_members"]
        widgets = {"percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5})}
        help_texts = {"percent": _("选“读完”自动记为100%，选“未开始”记为0%。")}

    def validate_unique(self) -> None:
        return None


class ReflectionForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["selection", "title", "body", "excerpt", "excerpt_page"]
        widgets = {
            "title": forms.TextInput(attrs={"data-draft": ""}),  # kept with the body (drafts.js)
            "body": forms.Textarea(attrs={"rows": 12}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _(
                "空一行分段；**加粗**、*斜体*、以“- ”开头的列表、以“> ”开头的引用；"
                "链接只能以 http:// 或 https:// 开头。"
            ),
            "excerpt": _("选填：书中打动您的一段原文。"),
        }

    def __init__(self, *args: Any, activity: ReadingActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selection"].queryset = activity.selections.all()
        self.fields["selection"].empty_label = None
        self.fields["excerpt_page"].validators.append(MinValueValidator(1))
        self.fields["excerpt_page"].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("excerpt_page") and not (data.get("excerpt") or "").strip():
            self.add_error("excerpt", _("填写了页码，请同时填写摘抄的原文。"))
        return data


class CommentForm(PlainFormMixin, forms.Form):
    body = forms.CharField(
        label=_("评论"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(PlainFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label


class FeatureForm(PlainFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("推荐理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ForumSearchForm(PlainFormMixin, forms.Form):
    q = forms.CharField(label=_("搜索标题、正文或作者"), required=False, max_length=50)
    book = forms.TypedChoiceField(label=_("书目"), required=False, coerce=int, empty_value=None)
    featured = forms.BooleanField(label=_("只看精华"), required=False)

    def __init__(self, *args: Any, activity: ReadingActivity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["book"].choices = [("", _("全部书目"))] + [
            (s.pk, str(s)) for s in activity.selections.all()
        ]
