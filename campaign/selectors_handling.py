"""Reads of the feedback handlers' pages (issue 13): the queue and one item with its notes.
Selectors never import services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from .models import Feedback, FeedbackNote, SatisfactionRating


def latest_rating() -> Subquery:
    """The level of an item's latest verdict (None before any)."""
    return Subquery(
        SatisfactionRating.objects.filter(feedback=OuterRef("pk"))
        .order_by("-attempt")
        .values("level")[:1]
    )


def queue(*, branch_id: int, today: dt.date | None = None) -> QuerySet[Feedback]:
    """The handler's list: items standing out (not accepted in 3 days, rectification overdue)
    first, then the newest; the handler, the rectification and the latest verdict with each
    row, in one query."""
    return (
        Feedback.objects.in_branch(branch_id)
        .with_flags(today)
        .select_related("handler", "rectification", "sender")
        .annotate(latest_rating=latest_rating())
        .order_by("-late_accept", "-overdue", "-submitted_on", "id")
    )


def item_detail(pk: object) -> Feedback:
    """One item with everything its page shows: notes with their authors, verdicts."""
    return (
        Feedback.objects.select_related("sender", "handler", "rectification", "duplicate_of")
        .with_flags()
        .prefetch_related(
            Prefetch("notes", queryset=FeedbackNote.objects.select_related("author")),
            Prefetch("ratings", queryset=SatisfactionRating.objects.order_by("attempt")),
        )
        .get(pk=pk)
    )


def queue_counts(*, branch_id: int, today: dt.date | None = None) -> dict[str, int]:
    """What the list's heading counts: 待受理, of them late, 整改逾期, 待评价 (one query)."""
    F = Feedback.Status
    return (
        Feedback.objects.in_branch(branch_id)
        .with_flags(today)
        .aggregate(
            # keys unlike the annotations' names: an aggregate named `overdue` filtering on the
            # annotation `overdue` would filter on itself (and count nothing)
            n_new=Count("pk", filter=Q(status=F.NEW)),
            n_late=Count("pk", filter=Q(late_accept=True)),
            n_overdue=Count("pk", filter=Q(overdue=True)),
            n_rating=Count("pk", filter=Q(status=F.FIXED)),
        )
    )


MIN_RATINGS = 5  # a rate over fewer verdicts is not shown: it would point at the few who rated


@dataclass(frozen=True)
class Rate:
    label: str
    rated: int
    satisfied: int

    @property
    def shown(self) -> bool:
        return self.rated >= MIN_RATINGS

    @property
    def percent(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.shown else None


def satisfaction(*, branch_id: int) -> dict[str, list[Rate]]:
    """满意率 (满意 + 基本满意 over rated items) by category and by kind, and overall. Only items
    that were fixed and rated count (a declined or merely answered item has no verdict); each
    item counts once, by its latest verdict. One query per grouping."""
    ok = list(SatisfactionRating.SATISFIED_LEVELS)
    rated = (
        Feedback.objects.in_branch(branch_id)
        .annotate(latest=latest_rating())
        .filter(latest__isnull=False)
    )

    def grouped(field: str, choices: dict[str, str]) -> list[Rate]:
        rows = {
            row[field]: row
            for row in rated.values(field)
            .annotate(n=Count("pk"), good=Count("pk", filter=Q(latest__in=ok)))
            .order_by()
        }
        return [
            Rate(str(label), rows.get(value, {}).get("n", 0), rows.get(value, {}).get("good", 0))
            for value, label in choices.items()
        ]

    total = rated.aggregate(n=Count("pk"), good=Count("pk", filter=Q(latest__in=ok)))
    return {
        "overall": [Rate(_("全部"), total["n"], total["good"])],
        "category": grouped("category", dict(Feedback.Category.choices)),
        "kind": grouped("kind", dict(Feedback.Kind.choices)),
    }
