"""Forms of the 领导班子 pages: a decision of the team (民主集中制) and an integrity record
(《廉政准则》《若干规定》 study, pledges signed), with the people who took part chosen from the
branch, grouped so that a phone shows a short list; and the filters of their lists.

The rules (votes fit the room, a consensus has no votes, dates not in the future, people of the
branch) are the services'; a refusal comes back next to the field it names (config.views.
form_error)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm, PlainFormMixin
from members.models import Branch, Role, User

from .forms import DateInput
from .models import Decision, IntegrityRecord

TEXT_MAX = 5000  # a long minute is a few pages; more is a paste gone wrong
VOTES_MAX = 999


# --- People who took part -----------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    value: str
    name: str
    note: str
    checked: bool


@dataclass(frozen=True)
class PeopleGroup:
    """One group of checkboxes: the leadership team and 支委 first, then one per department."""

    label: str
    people: list[Person]
    open: bool

    @property
    def n_checked(self) -> int:
        return sum(1 for p in self.people if p.checked)


def branch_people(branch: Branch) -> list[User]:
    """The active people of the branch, the leadership team and the 支委 marked (`in_team`), in
    department order: one query."""
    leader = User.groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=[Role.LEADER, Role.SECRETARY]
    )
    return list(
        User.objects.filter(branch=branch, is_active=True)
        .select_related("department")
        .annotate(in_team=Exists(leader))
        .order_by("department__order", "department__name", "full_name", "pk")
    )


class PeopleChoiceField(forms.MultipleChoiceField):
    """Checkboxes of the branch's people; cleans to the chosen User objects."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people: dict[str, User] = {}

    def offer(self, people: Iterable[User]) -> None:
        self.people = {str(p.pk): p for p in people}
        self.choices = [(pk, p.full_name) for pk, p in self.people.items()]

    def clean(self, value: Any) -> list[User]:
        chosen = super().clean(value)
        return [self.people[pk] for pk in dict.fromkeys(chosen)]


class PeopleFormMixin:
    """A form with one PeopleChoiceField named `people_field`, offered the branch's people and
    shown as groups (`people_groups`): 领导班子 first, then each department."""

    people_field: str
    fields: dict[str, forms.Field]

    def offer_people(self, branch: Branch, chosen: Iterable[User] = ()) -> None:
        people = branch_people(branch)
        field: PeopleChoiceField = self.fields[self.people_field]
        field.offer(people)
        if chosen:
            field.initial = [str(p.pk) for p in chosen]

    def people_groups(self) -> list[PeopleGroup]:
        bound = self[self.people_field]  # type: ignore[index]
        checked = {str(v) for v in (bound.value() or [])}
        field: PeopleChoiceField = self.fields[self.people_field]
        leaders: list[Person] = []
        by_department: dict[str, list[Person]] = {}
        for pk, person in field.people.items():
            department = str(person.department) if person.department_id else ""
            note = department if person.in_team else person.position
            entry = Person(pk, person.full_name, note, pk in checked)
            if person.in_team:
                leaders.append(entry)
            else:
                by_department.setdefault(department, []).append(entry)
        groups = [PeopleGroup(str(_("领导班子及支委")), leaders, open=True)] if leaders else []
        for department, people in by_department.items():
            label = department or str(_("未分部门"))
            groups.append(PeopleGroup(label, people, open=any(p.checked for p in people)))
        return groups


class YearFilter(django_filters.NumberFilter):
    """A year typed as a whole number (2011), within the app's dates."""

    field_class = forms.IntegerField

    def __init__(self, *, field_name: str) -> None:
        super().__init__(
            label=_("年度"),
            field_name=field_name,
            lookup_expr="year",
            min_value=2000,
            max_value=2100,
        )


# --- Decisions --------------------------------------------------------------------------------


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DecisionForm(PeopleFormMixin, PlainFormMixin, forms.Form):
    people_field = "attendees"

    decided_on = forms.DateField(label=_("会议日期"), widget=DateInput())
    meeting = forms.CharField(
        label=_("会议名称（可选）"),
        max_length=50,
        required=False,
        help_text=_("例如：领导班子会议、支委会、党政联席会"),
    )
    topic = forms.CharField(label=_("议题"), max_length=100)
    attendees = PeopleChoiceField(
        label=_("参会人员"), help_text=_("领导班子成员和支委在最前面；其他人员按部门展开后勾选。")
    )
    proposal = forms.CharField(label=_("提议"), max_length=TEXT_MAX, widget=_textarea())
    discussion = forms.CharField(
        label=_("讨论情况"),
        max_length=TEXT_MAX,
        widget=_textarea(4),
        help_text=_("班子成员充分发表意见的情况，包括不同意见。"),
    )
    resolution = forms.CharField(label=_("决定事项"), max_length=TEXT_MAX, widget=_textarea())
    method = forms.ChoiceField(
        label=_("决策方式"), choices=Decision.Method.choices, widget=forms.RadioSelect
    )
    votes_for = forms.IntegerField(
        label=_("赞成票"), required=False, min_value=0, max_value=VOTES_MAX
    )
    votes_against = forms.IntegerField(
        label=_("反对票"), required=False, min_value=0, max_value=VOTES_MAX
    )
    abstentions = forms.IntegerField(
        label=_("弃权票"), required=False, min_value=0, max_value=VOTES_MAX
    )

    VOTES = ("votes_for", "votes_against", "abstentions")

    def __init__(
        self, *args: Any, branch: Branch, decision: Decision | None = None, **kwargs: Any
    ) -> None:
        if decision is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                name: getattr(decision, name)
                for name in (
                    "decided_on",
                    "meeting",
                    "topic",
                    "proposal",
                    "discussion",
                    "resolution",
                    "method",
                    *self.VOTES,
                )
            }
        super().__init__(*args, **kwargs)
        self.offer_people(branch, decision.attendees.all() if decision is not None else ())
        if decision is None:
            self.fields["decided_on"].initial = timezone.localdate()

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("attendees")
        return data


class DecisionFilter(django_filters.FilterSet):
    # max_length: SQLite refuses LIKE patterns over 50,000 bytes with an error (a 500).
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=50)
    method = django_filters.ChoiceFilter(
        label=_("决策方式"), choices=Decision.Method.choices, empty_label=_("全部方式")
    )
    year = YearFilter(field_name="decided_on")

    class Meta:
        model = Decision
        fields = ["q", "method", "year"]
        form = PlainForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("议题、决定事项")
        self.form.fields["year"].widget.attrs["placeholder"] = _("例如 2011")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(topic__icontains=value) | Q(resolution__icontains=value) | Q(meeting__icontains=value)
        )


# --- Integrity records --------------------------------------------------------------------------


class IntegrityForm(PeopleFormMixin, PlainFormMixin, forms.Form):
    people_field = "participants"

    kind = forms.ChoiceField(
        label=_("类别"), choices=IntegrityRecord.Kind.choices, widget=forms.RadioSelect
    )
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(
        label=_("主题"),
        max_length=100,
        help_text=_("例如：学习《中国共产党党员领导干部廉洁从政若干准则》"),
    )
    participants = PeopleChoiceField(
        label=_("参加人员"), help_text=_("签订承诺书的，勾选签字的人员。")
    )
    note = forms.CharField(
        label=_("情况说明（可选）"),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(4),
        help_text=_("学习内容、交流发言、承诺书的主要内容等。"),
    )

    def __init__(
        self, *args: Any, branch: Branch, entry: IntegrityRecord | None = None, **kwargs: Any
    ) -> None:
        if entry is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                name: getattr(entry, name) for name in ("kind", "held_on", "title", "note")
            }
        super().__init__(*args, **kwargs)
        self.offer_people(branch, entry.participants.all() if entry is not None else ())
        if entry is None:
            self.fields["held_on"].initial = timezone.localdate()

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("participants")
        return data


class IntegrityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=50)
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=IntegrityRecord.Kind.choices, empty_label=_("全部类别")
    )
    year = YearFilter(field_name="held_on")

    class Meta:
        model = IntegrityRecord
        fields = ["q", "kind", "year"]
        form = PlainForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("主题、情况说明")
        self.form.fields["year"].widget.attrs["placeholder"] = _("例如 2011")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(note__icontains=value))
