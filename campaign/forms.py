"""Forms of the campaign pages. Services validate the rules; forms validate the input."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm, PlainFormMixin
from config.uploads import ImageUploadField
from members.models import Branch, Department, Role, User

from .models import (
    BallotMark,
    Campaign,
    EvaluationItem,
    EvaluationRound,
    EvaluationSubject,
    LeaderReview,
    Nomination,
    Phase,
    Pledge,
    Standard,
    StandardSet,
)
from .services import check_dates


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DatesInOrderMixin:
    """Says "end after start" at the field with the services' own check (check_dates)."""

    same_day = True  # may the end date be the start date?

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            check_dates(
                starts_on=data.get("starts_on"), ends_on=data.get("ends_on"), same_day=self.same_day
            )
        except forms.ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return data


# --- Standards and campaigns ------------------------------------------------------------------


class StandardSetForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = StandardSet
        fields = ["name", "description"]


class StandardForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Standard
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CampaignForm(DatesInOrderMixin, PlainFormMixin, forms.ModelForm):
    same_day = False

    class Meta:
        model = Campaign
        fields = ["name", "description", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class CampaignEditForm(CampaignForm):
    class Meta(CampaignForm.Meta):
        fields = [
            *CampaignForm.Meta.fields,
            "branch_standards",
            "member_standards",
            "team_standards",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sets = StandardSet.objects.filter(branch=self.instance.branch_id)
        for field, applies in (
            ("branch_standards", StandardSet.AppliesTo.BRANCH),
            ("member_standards", StandardSet.AppliesTo.MEMBER),
            ("team_standards", StandardSet.AppliesTo.TEAM),
        ):
            self.fields[field].queryset = sets.filter(applies_to=applies)
        self.fields["branch_standards"].required = True
        self.fields["member_standards"].required = True


class PhaseForm(DatesInOrderMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "starts_on", "ends_on", "guidance"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }


# --- Pledges ----------------------------------------------------------------------------------


class PledgeForm(PlainFormMixin, forms.ModelForm):
    class Meta:
        model = Pledge
        fields = ["standard", "goal", "tasks", "measures", "deadline"]
        widgets = {
            "deadline": DateInput(),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "goal": _("要达到什么目标，例如：全年药品配送差错为零。"),
            "tasks": _("为实现目标要做的具体事情。"),
            "measures": _("怎么做、做到什么程度。"),
        }

    def __init__(self, *args: Any, standard_set: StandardSet | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = (
            Standard.objects.filter(standard_set=standard_set)
            if standard_set
            else Standard.objects.none()
        )
        self.fields["standard"].empty_label = _("请选择标准条目")


class ReturnForm(PlainFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class JudgeForm(PlainFormMixin, forms.Form):
    verdict = forms.ChoiceField(
        label=_("兑现情况"), choices=Pledge.Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("评定说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProgressForm(PlainFormMixin, forms.Form):
    happened_on = forms.DateField(label=_("日期"), widget=DateInput())
    content = forms.CharField(
        label=_("践诺情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    photo = ImageUploadField(label=_("照片（可选）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class ProgressEditForm(ProgressForm):
    """The author's correction of a 践诺 entry; a photo chosen here replaces the old one."""

    photo = ImageUploadField(label=_("更换照片（可选）"), required=False)


# --- Leaders' comments --------------------------------------------------------------------------

BRANCH_CHOICE = "branch"


class ReviewForm(PlainFormMixin, forms.Form):
    subject = forms.ChoiceField(label=_("点评对象"))
    rating = forms.ChoiceField(
        label=_("评价等次"),
        choices=LeaderReview.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("点评意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    reviewed_on = forms.DateField(label=_("点评日期"), widget=DateInput())

    def __init__(self, *args: Any, branch: Branch, reviewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = (
            User.objects.party_members(branch)
            .exclude(pk=reviewer.pk)
            .select_related("department")
            .order_by("department__order", "full_name")
        )
        self.people = {str(p.pk): p for p in people}
        self.fields["subject"].choices = [
            ("", _("请选择")),
            (BRANCH_CHOICE, _("党支部（党组织）")),
            *[
                (pk, f"{p.full_name}（{p.department or _('未分部门')}）")
                for pk, p in self.people.items()
            ],
        ]
        self.fields["reviewed_on"].initial = timezone.localdate()
        self.fields["rating"].help_text = f"{LeaderReview.score_scale()}。"

    def offers(self, value: str | None) -> bool:
        """Whether `value` (a raw subject: "branch" or a person's pk) is one of the choices."""
        return value == BRANCH_CHOICE or value in self.people

    def clean_subject(self) -> User | None:
        value = self.cleaned_data["subject"]
        return None if value == BRANCH_CHOICE else self.people[value]


class ReviewEditForm(PlainFormMixin, forms.Form):
    """The author's correction of a comment: the subject stays (a comment on the wrong person is
    voided and written again)."""

    rating = forms.ChoiceField(
        label=_("评价等次"),
        choices=LeaderReview.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("点评意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    reviewed_on = forms.DateField(label=_("点评日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].help_text = f"{LeaderReview.score_scale()}。"


class VoidForm(PlainFormMixin, forms.Form):
    """作废 a record entered by mistake: the reason is shown with it from then on."""

    reason = forms.CharField(
        label=_("作废原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("作废后记录仍然保留，划线显示并注明原因，不再计入统计。"),
    )


class ReviewFilter(django_filters.FilterSet):
    # max_length: SQLite refuses LIKE patterns over 50,000 bytes with an error (a 500).
    q = django_filters.CharFilter(label=_("点评对象"), method="search", max_length=50)
    rating = django_filters.ChoiceFilter(
        label=_("评价等次"), choices=LeaderReview.Rating.choices, empty_label=_("全部等次")
    )
    reviewer = django_filters.ModelChoiceFilter(
        label=_("点评人"), queryset=User.objects.none(), empty_label=_("全部点评人")
    )

    class Meta:
        model = LeaderReview
        fields = ["q", "rating", "reviewer"]
        form = PlainForm

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["reviewer"].queryset = User.objects.filter(
            branch=branch, groups__name__in=[Role.LEADER, Role.SECRETARY]
        ).distinct()
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if value in "党支部":
            return queryset.filter(Q(subject__isnull=True) | Q(subject__full_name__icontains=value))
        return queryset.filter(subject__full_name__icontains=value)


# --- Pledge lists -------------------------------------------------------------------------------


class PledgeWallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=100)
    scope = django_filters.ChoiceFilter(
        label=_("承诺主体"), choices=Pledge.Scope.choices, empty_label=_("全部")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("部门"),
        field_name="owner__department",
        queryset=Department.objects.none(),
        empty_label=_("全部部门"),
    )

    class Meta:
        model = Pledge
        fields = ["q", "scope", "department"]
        form = PlainForm

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = Department.objects.filter(branch=branch)
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名或承诺内容")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(owner__full_name__icontains=value)
            | Q(goal__icontains=value)
            | Q(tasks__icontains=value)
            | Q(standard__name__icontains=value)
        )


class PledgeQueueFilter(PledgeWallFilter):
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[c for c in Pledge.Status.choices if c[0] != Pledge.Status.DRAFT],
        empty_label=_("全部状态"),
    )

    class Meta(PledgeWallFilter.Meta):
        fields = ["q", "status", "scope", "department"]


# --- Evaluation -----------------------------------------------------------------------------


class RoundForm(DatesInOrderMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = EvaluationRound
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "threshold",
            "evaluator_scope",
            "chosen_evaluators",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "evaluator_scope": forms.RadioSelect,
            "chosen_evaluators": forms.CheckboxSelectMultiple,
        }
        help_texts = {"chosen_evaluators": _("选择“指定人员”时勾选；选“全体”时不用勾选。")}

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen_evaluators"].queryset = (
            User.objects.filter(branch=branch, is_active=True)
            .select_related("department")
            .order_by("department__order", "full_name")
        )
        self.fields["chosen_evaluators"].label_from_instance = lambda p: p.full_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("evaluator_scope") == EvaluationRound.EvaluatorScope.CHOSEN and not data.get(
            "chosen_evaluators"
        ):
            self.add_error("chosen_evaluators", _("请至少指定一名参评人员。"))
        return data


class BallotForm(PlainFormMixin, forms.Form):
    """One radio group per item of the subject's kind."""

    def __init__(self, *args: Any, items: list[EvaluationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.name,
                choices=BallotMark.Level.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                error_messages={"required": _("请选择一项评价。")},
            )

    def levels(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


# --- Commendation ---------------------------------------------------------------------------


class NominationForm(PlainFormMixin, forms.Form):
    """The nominee is chosen first (query string); the evidence offered is that nominee's own."""

    kind = forms.ChoiceField(label=_("表彰类别"))
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence_pledges = forms.ModelMultipleChoiceField(
        label=_("依据：承诺践诺"),
        queryset=Pledge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_reviews = forms.ModelMultipleChoiceField(
        label=_("依据：领导点评"),
        queryset=LeaderReview.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_results = forms.ModelMultipleChoiceField(
        label=_("依据：群众评议结果"),
        queryset=EvaluationSubject.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, campaign: Campaign, nominee: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = nominee is None
        self.fields["kind"].choices = [
            c for c in Nomination.Kind.choices if (c[0] in Nomination.ORG_KINDS) == org
        ]
        self.fields["evidence_pledges"].queryset = (
            campaign.pledges.published()
            .filter(Q(owner__isnull=True) if org else Q(owner=nominee))
            .select_related("standard")
        )
        self.fields["evidence_pledges"].label_from_instance = lambda p: (
            f"{p.standard.name}：{p.goal}（{p.get_verdict_display() or p.get_status_display()}）"
        )
        self.fields["evidence_reviews"].queryset = (
            campaign.reviews.valid()
            .filter(Q(subject__isnull=True) if org else Q(subject=nominee))
            .select_related("reviewer")
        )
        self.fields["evidence_reviews"].label_from_instance = lambda r: (
            f"{r.reviewer.full_name}：{r.get_rating_display()}（{r.reviewed_on:%Y-%m-%d}）"
        )
        self.fields["evidence_results"].queryset = (
            EvaluationSubject.objects.public_results()
            .filter(
                round__campaign=campaign, **({"is_branch": True} if org else {"person": nominee})
            )
            .select_related("round")
        )
        self.fields["evidence_results"].label_from_instance = lambda s: (
            f"{s.round.name}：满意率 {s.satisfaction}%（{s.ballot_count} 票）"
        )


class NomineeForm(PlainFormMixin, forms.Form):
    """Step one of a nomination: the branch or one member."""

    nominee = forms.ChoiceField(label=_("被提名对象"))

    def __init__(self, *args: Any, branch: Branch, exclude: User, **kwargs: Any) -> None:
        """`exclude`: the person nominating, who may not nominate him- or herself (the service
        refuses it too)."""
        super().__init__(*args, **kwargs)
        people = User.objects.party_members(branch).exclude(pk=exclude.pk).order_by("full_name")
        self.people = {str(p.pk): p for p in people}
        self.fields["nominee"].choices = [
            ("", _("请选择")),
            (BRANCH_CHOICE, _("党支部（先进基层党组织 / 四强党组织）")),
            *[(pk, p.full_name) for pk, p in self.people.items()],
        ]

    def clean_nominee(self) -> User | None:
        value = self.cleaned_data["nominee"]
        return None if value == BRANCH_CHOICE else self.people[value]


class StepForm(PlainFormMixin, forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class AwardForm(PlainFormMixin, forms.Form):
    title = forms.CharField(
        label=_("荣誉称号"), max_length=100, required=False, help_text=_("不填则用表彰类别。")
    )
    awarded_on = forms.DateField(label=_("表彰日期"), widget=DateInput())
    awarding_body = forms.CharField(
        label=_("表彰单位"), max_length=100, help_text=_("例如：国药控股股份有限公司党委。")
    )


class NominationDatesForm(PlainFormMixin, forms.Form):
    """Correct the dates of steps already taken; `dates` (services.nomination_dates) leaves only
    the fields of those steps, filled with their current dates."""

    recommended_on = forms.DateField(label=_("支委会推荐日期"), widget=DateInput())
    reported_on = forms.DateField(label=_("上报日期"), widget=DateInput())
    awarded_on = forms.DateField(label=_("表彰日期"), widget=DateInput())
    reason = forms.CharField(
        label=_("更正原因"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：登记时日期填错，以支委会会议记录为准。"),
    )

    DATE_FIELDS = ("recommended_on", "reported_on", "awarded_on")

    def __init__(self, *args: Any, dates: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if dates is not None:
            for field in self.DATE_FIELDS:
                if field in dates:
                    self.fields[field].initial = dates[field]
                else:
                    del self.fields[field]

    def dates(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.DATE_FIELDS if f in self.fields}
