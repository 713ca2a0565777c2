"""Forms of the 关爱慰问 pages: a visit (the person visited from a select grouped by department,
the visitors as the grouped checkboxes of the 领导班子 pages, 领导班子 and 支委 first), a
"同事住院" report, closing a report, and the filter of the visit list.

The rules (a date not in the future, 回访 not before the visit, 慰问金 > 0 to the cent, people
of the branch) are the services'; the forms call the same checks so that the message stands at
the field, and a refusal from the service comes back there too (config.views.form_error)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm, PlainFormMixin
from members.models import Branch, User

from .forms import DateInput
from .forms_leadership import PeopleChoiceField, PeopleFormMixin, branch_people
from .models import CareVisit, IllnessReport
from .services.care import (
    CLOSE_REASON_MAX,
    GIFTS_MAX,
    HOSPITAL_MAX,
    NOTES_MAX,
    check_care_amount,
    check_visit_dates,
)


class PersonChoiceField(forms.ChoiceField):
    """One person of the branch, from a select grouped by department (a phone's picker shows the
    groups); cleans to the User, or None when left empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people: dict[str, User] = {}

    def offer(self, people: Iterable[User]) -> None:
        self.people = {str(p.pk): p for p in people}
        groups: dict[str, list[tuple[str, str]]] = {}
        for pk, person in self.people.items():
            department = str(person.department) if person.department_id else str(_("未分部门"))
            label = (
                f"{person.full_name}（{person.position}）" if person.position else person.full_name
            )
            groups.setdefault(department, []).append((pk, label))
        self.choices = [("", _("请选择")), *groups.items()]

    def clean(self, value: Any) -> User | None:
        pk = super().clean(value)
        return self.people.get(pk) if pk else None


def _people(branch: Branch, current: User | None = None) -> list[User]:
    """The branch's active people (one query), with `current` kept when no longer active (a
    retired colleague visited before)."""
    people = branch_people(branch)
    if current is not None and all(p.pk != current.pk for p in people):
        current.in_team = False
        people.append(current)
    return people


# --- Visits -------------------------------------------------------------------------------------


class CareVisitForm(PeopleFormMixin, PlainFormMixin, forms.Form):
    people_field = "visitors"

    person = PersonChoiceField(label=_("慰问对象"))
    reason = forms.ChoiceField(
        label=_("慰问原因"), choices=CareVisit.Reason.choices, widget=forms.RadioSelect
    )
    visited_on = forms.DateField(label=_("慰问日期"), widget=DateInput())
    visitors = PeopleChoiceField(
        label=_("慰问人"),
        help_text=_("领导班子成员和支委在最前面；其他人员按部门展开后勾选。"),
    )
    gifts = forms.CharField(
        label=_("慰问品（可选）"),
        max_length=GIFTS_MAX,
        required=False,
        help_text=_("例如：鲜花、水果、营养品"),
    )
    amount = forms.DecimalField(
        label=_("慰问金（元）（可选）"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        help_text=_("大于 0，精确到分，例如 500.00；没有慰问金的不填。"),
    )
    notes = forms.CharField(
        label=_("情况记录（可选）"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("病情、家庭困难等情况和本人的诉求。只有支部书记和领导班子成员能看到。"),
    )
    follow_up_on = forms.DateField(
        label=_("回访日期（可选）"),
        required=False,
        widget=DateInput(),
        help_text=_("需要再次看望的，填计划回访的日期，不能早于慰问日期。"),
    )

    FIELDS = ("reason", "visited_on", "gifts", "amount", "notes", "follow_up_on")

    def __init__(
        self,
        *args: Any,
        branch: Branch,
        visit: CareVisit | None = None,
        report: IllnessReport | None = None,
        **kwargs: Any,
    ) -> None:
        if not kwargs.get("initial"):
            if visit is not None:
                kwargs["initial"] = {name: getattr(visit, name) for name in self.FIELDS}
                kwargs["initial"]["person"] = str(visit.person_id)
            elif report is not None:
                kwargs["initial"] = {
                    "person": str(report.person_id),
                    "reason": CareVisit.Reason.HOSPITAL,
                }
        super().__init__(*args, **kwargs)
        people = _people(branch, visit.person if visit is not None else None)
        self.fields["person"].offer(people)
        visitors: PeopleChoiceField = self.fields["visitors"]
        visitors.offer(people)
        if visit is not None:
            visitors.initial = [str(p.pk) for p in visit.visitors.all()]
        else:
            self.fields["visited_on"].initial = timezone.localdate()

    def clean_amount(self) -> Any:
        try:
            return check_care_amount(self.cleaned_data.get("amount"))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["amount"]) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            check_visit_dates(
                visited_on=data.get("visited_on"), follow_up_on=data.get("follow_up_on")
            )
        except forms.ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
        return data

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("visitors")
        return data


class CareVisitFilter(django_filters.FilterSet):
    # max_length: SQLite refuses LIKE patterns over 50,000 bytes with an error (a 500).
    q = django_filters.CharFilter(label=_("慰问对象"), method="search", max_length=50)
    reason = django_filters.ChoiceFilter(
        label=_("慰问原因"), choices=CareVisit.Reason.choices, empty_label=_("全部原因")
    )
    since = django_filters.DateFilter(
        label=_("慰问日期从"), field_name="visited_on", lookup_expr="gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=_("慰问日期到"), field_name="visited_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = CareVisit
        fields = ["q", "reason", "since", "until"]
        form = PlainForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("姓名")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(person__full_name__icontains=value) if value else queryset


# --- 住院报告 -----------------------------------------------------------------------------------


class IllnessReportForm(PlainFormMixin, forms.Form):
    person = PersonChoiceField(label=_("住院同事"))
    hospital = forms.CharField(
        label=_("医院/病区（可选）"),
        max_length=HOSPITAL_MAX,
        required=False,
        help_text=_("例如：自治区人民医院骨科三病区"),
    )
    note = forms.CharField(
        label=_("情况说明（可选）"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("您知道的情况，例如什么时候住的院。只有支部书记和领导班子成员能看到。"),
    )

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].offer(branch_people(branch))


class ReportCloseForm(PlainFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("关闭原因"),
        max_length=CLOSE_REASON_MAX,
        help_text=_("例如：已出院，家属谢绝探望。"),
    )
