"""Forms of the 先锋事迹 (deeds) and 增收节支 (savings) pages. Services validate the rules; forms
validate the input (the amount through the service's own check_amount)."""

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
from members.models import Branch, Department, User

from .forms import DateInput
from .models import Campaign, Deed, SavingRecord, VanguardPost
from .models.vanguard import quarter_bounds, quarter_of
from .services import check_amount

BODY_MAX = 5000
BASIS_MAX = 2000


def _post_label(post: VanguardPost) -> str:
    return f"{post.name}（{post.department}）"


# --- Photos -------------------------------------------------------------------------------------


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(ImageUploadField):
    """Several photos in one file input, each checked and re-encoded by config.uploads. How many
    were chosen is checked first: too many are refused before any of them is decoded."""

    widget = MultipleImageInput

    def __init__(self, *, max_count: int, **kwargs: Any) -> None:
        self.max_count = max_count
        kwargs.setdefault(
            "help_text",
            _("可一次选多张，最多 %(n)d 张；JPG、PNG 或 WebP，每张不超过 5 MB，大照片会自动缩小。")
            % {"n": max_count},
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_count:
            raise forms.ValidationError(
                _("最多还能上传 %(max)d 张照片，这次选了 %(n)d 张。"),
                code="too_many_photos",
                params={"max": self.max_count, "n": len(files)},
            )
        cleaned, errors = [], []
        for n, upload in enumerate(files, start=1):
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as exc:
                prefix = _("第 %(n)d 张照片：") % {"n": n} if len(files) > 1 else ""
                errors.extend(f"{prefix}{message}" for message in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


# --- 先锋事迹 ----------------------------------------------------------------------------------


class DeedEditForm(PlainFormMixin, forms.Form):
    """What the author (until it is confirmed) or the secretary corrects; photos are added here
    and removed one by one on the same page."""

    happened_on = forms.DateField(label=_("事迹日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(
        label=_("事迹经过"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    tags = forms.MultipleChoiceField(
        label=_("标签（可选）"),
        choices=Deed.Tag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, photo_room: int = Deed.MAX_PHOTOS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if photo_room > 0:
            extra = {}
            if photo_room < Deed.MAX_PHOTOS:  # some photos are there already
                extra["help_text"] = _(
                    "还能添加 %(n)d 张；JPG、PNG 或 WebP，每张不超过 5 MB，大照片会自动缩小。"
                ) % {"n": photo_room}
            self.fields["photos"] = PhotosField(
                label=_("添加照片（可选）") if extra else _("照片（可选）"),
                required=False,
                max_count=photo_room,
                **extra,
            )
            self.plain_messages()


class DeedForm(DeedEditForm):
    """A new deed. A member records his or her own, on a post he or she holds now (`posts`);
    the secretary (`secretary=True`) records any party member's deed, on any post or none."""

    member = forms.ModelChoiceField(label=_("党员"), queryset=User.objects.none())
    post = forms.ModelChoiceField(label=_("先锋岗"), queryset=VanguardPost.objects.none())

    field_order = ["member", "post", "happened_on", "title", "body", "tags", "photos"]

    def __init__(
        self,
        *args: Any,
        branch: Branch,
        posts: QuerySet[VanguardPost],
        secretary: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        post = self.fields["post"]
        post.queryset = posts
        post.label_from_instance = _post_label
        if secretary:
            member = self.fields["member"]
            member.queryset = (
                User.objects.party_members(branch)
                .select_related("department")
                .order_by("department__order", "full_name", "pk")
            )
            member.label_from_instance = lambda u: (
                f"{u.full_name}（{u.department}）" if u.department_id else u.full_name
            )
            post.required = False
            post.label = _("先锋岗（可选）")
            post.empty_label = _("不属于先锋岗")
        else:
            del self.fields["member"]
            post.help_text = _("只列出您目前所在的先锋岗。")
        self.fields["happened_on"].initial = timezone.localdate()
        self.plain_messages()


class DeedFilter(django_filters.FilterSet):
    post = django_filters.ModelChoiceFilter(
        label=_("先锋岗"), queryset=VanguardPost.objects.none(), empty_label=_("全部先锋岗")
    )
    tag = django_filters.ChoiceFilter(
        label=_("标签"), choices=Deed.Tag.choices, empty_label=_("全部标签"), method="with_tag"
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Deed.Status.choices, empty_label=_("全部状态")
    )
    publicized = django_filters.BooleanFilter(
        label=_("只看宣传"), method="only_publicized", widget=forms.CheckboxInput
    )

    class Meta:
        model = Deed
        fields = ["post", "tag", "status", "publicized"]
        form = PlainForm

    def __init__(self, *args: Any, branch: Branch, all_states: bool, **kwargs: Any) -> None:
        """`all_states`: whether the viewer reads more than 宣传 deeds (staff read only those,
        so their form has neither the status nor the 宣传 filter)."""
        super().__init__(*args, **kwargs)
        posts = VanguardPost.objects.filter(branch=branch).select_related("department")
        self.filters["post"].queryset = posts
        if not all_states:
            del self.filters["status"], self.filters["publicized"]

    @property
    def form(self) -> forms.Form:
        form = super().form
        if "post" in form.fields:
            form.fields["post"].label_from_instance = _post_label
        return form

    def with_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return (
            queryset.filter(pk__in=Deed.objects.tagged(value).values("pk")) if value else queryset
        )

    def only_publicized(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(publicized=True) if value else queryset


# --- 增收节支 ----------------------------------------------------------------------------------


class SavingForm(PlainFormMixin, forms.Form):
    """One 增收节支 record; the service checks post/department (one of them, and that they fit)."""

    post = forms.ModelChoiceField(
        label=_("先锋岗"),
        queryset=VanguardPost.objects.none(),
        required=False,
        help_text=_("选了先锋岗，部门自动取该岗位所在的部门。"),
    )
    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("不属于某个先锋岗的记录，请选择部门。"),
    )
    happened_on = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("类别"), choices=SavingRecord.Kind.choices, widget=forms.RadioSelect
    )
    item = forms.CharField(label=_("项目"), max_length=100)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        help_text=_("大于 0，精确到分，例如 1250.50。"),
    )
    basis = forms.CharField(
        label=_("测算依据"),
        max_length=BASIS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明怎样算出这个金额，例如“每月节约油费 1000 元 × 3 个月”。"),
    )
    verified_by = forms.ModelChoiceField(label=_("核实人"), queryset=User.objects.none())

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        post = self.fields["post"]
        post.queryset = VanguardPost.objects.filter(branch=branch).select_related("department")
        post.label_from_instance = _post_label
        post.empty_label = _("不属于先锋岗")
        self.fields["department"].queryset = Department.objects.filter(branch=branch)
        people = self.fields["verified_by"]
        people.queryset = (
            User.objects.filter(branch=branch, is_active=True)
            .select_related("department")
            .order_by("department__order", "full_name", "pk")
        )
        people.label_from_instance = lambda u: (
            f"{u.full_name}（{u.department}）" if u.department_id else u.full_name
        )
        self.fields["happened_on"].initial = timezone.localdate()
        self.plain_messages()

    def clean_amount(self) -> Any:
        try:
            return check_amount(self.cleaned_data["amount"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["amount"]) from exc


def campaign_quarters(campaign: Campaign, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The quarters of the campaign up to today, newest first: ("2011-2", "2011年第2季度")."""
    last = min(campaign.ends_on, today or timezone.localdate())
    year, quarter = quarter_of(campaign.starts_on)
    quarters = []
    while quarter_bounds(year, quarter)[0] <= last:
        quarters.append((f"{year}-{quarter}", _("%(y)d年第%(q)d季度") % {"y": year, "q": quarter}))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters[::-1]


def parse_quarter(value: str) -> tuple[int, int] | None:
    """ "2011-2" -> (2011, 2); anything else None."""
    year, _sep, quarter = (value or "").partition("-")
    if not (year.isdigit() and quarter in {"1", "2", "3", "4"}):
        return None
    return int(year), int(quarter)


class SavingFilter(django_filters.FilterSet):
    post = django_filters.ModelChoiceFilter(
        label=_("先锋岗"), queryset=VanguardPost.objects.none(), empty_label=_("全部先锋岗")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("部门"), queryset=Department.objects.none(), empty_label=_("全部部门")
    )
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=SavingRecord.Kind.choices, empty_label=_("增收和节支")
    )
    quarter = django_filters.ChoiceFilter(
        label=_("季度"), choices=[], empty_label=_("全部季度"), method="in_quarter"
    )

    class Meta:
        model = SavingRecord
        fields = ["post", "department", "kind", "quarter"]
        form = PlainForm

    def __init__(self, *args: Any, branch: Branch, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["post"].queryset = VanguardPost.objects.filter(branch=branch)
        self.filters["department"].queryset = Department.objects.filter(branch=branch)
        self.filters["quarter"].extra["choices"] = campaign_quarters(campaign)

    def in_quarter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        period = parse_quarter(value)
        if period is None:
            return queryset
        first, last = quarter_bounds(*period)
        return queryset.filter(Q(happened_on__gte=first) & Q(happened_on__lte=last))
