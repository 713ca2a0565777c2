"""The filters of the 整改公示 board (campaign/views/feedback_board.py)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from config.forms import PlainForm

from .models import Feedback


class FeedbackBoardFilter(django_filters.FilterSet):
    # max_length: SQLite refuses LIKE patterns over 50,000 bytes with an error (a 500).
    q = django_filters.CharFilter(label=_("搜索"), method="search", max_length=50)
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        # The board's statuses only: 待受理, 不予采纳 and 重复 items are not on it.
        choices=[(s.value, s.label) for s in Feedback.PUBLIC_STATUSES],
        empty_label=_("全部状态"),
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=Feedback.Category.choices, empty_label=_("全部类别")
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Feedback.Kind.choices, empty_label=_("全部类型")
    )

    class Meta:
        model = Feedback
        fields = ["q", "status", "category", "kind"]
        form = PlainForm

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["placeholder"] = _("意见内容、答复")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The words the board shows, nothing else: the redacted copy where the secretary made
        one (a search must not find an item by a name that was taken out of it), else the
        sender's words; and the public reply."""
        value = value.strip()
        if not value:
            return queryset
        shown = Q(public_text__icontains=value) | (Q(public_text="") & Q(text__icontains=value))
        return queryset.filter(shown | Q(public_reply__icontains=value))
