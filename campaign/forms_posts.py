"""Forms of the 党员先锋岗 pages: the posts filter, a post (设立/修改), 挂牌/摘牌, 安排上岗,
离岗 and the quarterly review (季度评星). Services (campaign/services/vanguard.py) hold the
rules; these forms check the input a person can fix at the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm, PlainFormMixin
from members.models import Branch, Department, User

from .forms import DateInput
from .models import Campaign, PlaqueEvent, PostReview, Standard, VanguardPost
from .models.vanguard import quarter_bounds, quarter_of

STAR_CHOICES = [(n, "★" * n + "☆" * (5 - n) + f" {n}星") for n in PostReview.STARS]


def _departments(branch: Branch) -> Any:
    return Department.objects.filter(branch=branch).order_by("order", "name", "pk")


class PostFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("部门"), queryset=Department.objects.none(), empty_label=_("全部部门")
    )
    plaque = django_filters.ChoiceFilter(
        label=_("挂牌状态"), choices=VanguardPost.Plaque.choices, empty_label=_("全部")
    )

    class Meta:
        model = VanguardPost
        fields = ["department", "plaque"]
        form = PlainForm

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = _departments(branch)


class PostForm(PlainFormMixin, forms.ModelForm):
    """设立 or 修改 a post; the service checks the name is free and the department the branch's."""

    class Meta:
        model = VanguardPost
        fields = ["name", "department", "duties", "promise", "order"]
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 3}),
            "promise": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": _("例如：药品配送岗。"),
            "duties": _("这个岗位做什么、做到什么标准。"),
            "promise": _("向服务对象作出的承诺，挂牌时公开，例如：以诚待人，热情服务。"),
            "order": _("列表中的先后，数字小的在前。"),
        }

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(branch)
        self.fields["order"].required = False  # empty: 0 (the service's default)


class PlaqueForm(PlainFormMixin, forms.Form):
    """挂牌 (a date) or 摘牌 (a date and the reason everyone reading the post sees). `action`
    carries what the page offered, so that a page left open does not do the other thing."""

    action = forms.ChoiceField(choices=PlaqueEvent.Action.choices, widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(
        label=_("摘牌原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("看到这个先锋岗的人都能看到摘牌原因。"),
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].initial = action
        self.fields["on"].initial = timezone.localdate()
        if action == PlaqueEvent.Action.HANG:
            del self.fields["reason"]
            self.fields["on"].label = _("挂牌日期")
        else:
            self.fields["on"].label = _("摘牌日期")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "action" in self.errors:  # a hidden field: say it where it shows
            self.add_error(None, _("页面已过期，请返回先锋岗页面重新操作。"))
        return data


class AssignForm(PlainFormMixin, forms.Form):
    member = forms.ModelChoiceField(
        label=_("党员"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("只能安排本支部的党员上岗，请从列表中选择。")},
    )
    starts_on = forms.DateField(label=_("上岗日期"), widget=DateInput())

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            User.objects.party_members(branch)
            .select_related("department")
            .order_by("department__order", "full_name", "pk")
        )
        self.fields["member"].label_from_instance = lambda p: (
            f"{p.full_name}（{p.department}）" if p.department_id else p.full_name
        )
        self.fields["starts_on"].initial = timezone.localdate()


class ReleaseForm(PlainFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("离岗日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()


def review_periods(campaign: Campaign, today: dt.date | None = None) -> list[tuple[int, int]]:
    """The quarters of the campaign that have begun, newest first: what may be reviewed."""
    today = today or timezone.localdate()
    year, quarter = quarter_of(campaign.starts_on)
    last = quarter_of(min(today, campaign.ends_on))
    periods = []
    while (year, quarter) <= last:
        periods.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return periods[::-1]


def period_value(year: int, quarter: int) -> str:
    return f"{year}-{quarter}"


def period_label(year: int, quarter: int) -> str:
    first, last = quarter_bounds(year, quarter)
    return _("%(year)d年第%(quarter)d季度（%(m1)d—%(m2)d月）") % {
        "year": year,
        "quarter": quarter,
        "m1": first.month,
        "m2": last.month,
    }


class ReviewForm(PlainFormMixin, forms.Form):
    """季度评星: one review per post and quarter (saving again corrects it); overall stars and a
    note, and optionally stars for each item of the campaign's 四优 standards."""

    period = forms.ChoiceField(label=_("季度"))
    stars = forms.TypedChoiceField(
        label=_("星级"),
        coerce=int,
        choices=STAR_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("对照“四优”标准，综合评定本季度的表现。"),
    )
    note = forms.CharField(
        label=_("评语"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    ITEM_PREFIX = "item_"

    def __init__(
        self,
        *args: Any,
        periods: list[tuple[int, int]],
        items: list[Standard],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (period_value(y, q), period_label(y, q)) for y, q in periods
        ]
        self.items = items
        for item in items:
            self.fields[f"{self.ITEM_PREFIX}{item.pk}"] = forms.TypedChoiceField(
                label=_("%(item)s（分项评星）") % {"item": item.name},
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", _("不单独评星")), *STAR_CHOICES],
            )
        self.plain_messages()

    def clean_period(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["period"].split("-")
        return int(year), int(quarter)

    def item_stars(self) -> dict[Standard, int]:
        stars = {}
        for item in self.items:
            value = self.cleaned_data.get(f"{self.ITEM_PREFIX}{item.pk}")
            if value is not None:
                stars[item] = value
        return stars
