"""Factories for the reading app: activities in a given phase, books, posts."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from members.models import Branch, Role, User
from reading.models import (
    Comment,
    Distribution,
    Purchase,
    ReadingActivity,
    Recommendation,
    Reflection,
    Selection,
)
from tests.factories import make_person

_seq = itertools.count(1)

# Day offsets from today of (recommend start/end, read start/end, discuss start/end) per phase.
PHASE_OFFSETS = {
    "upcoming": (5, 10, 15, 30, 35, 60),
    "recommend": (-5, 5, 10, 30, 35, 60),
    "read": (-40, -30, -20, 10, 15, 40),
    "discuss": (-60, -50, -40, -10, -5, 20),
    "finished": (-120, -110, -100, -80, -70, -40),
}


def phase_dates(phase: str) -> dict[str, dt.date]:
    today = timezone.localdate()
    names = (
        "recommend_start",
        "recommend_end",
        "read_start",
        "read_end",
        "discuss_start",
        "discuss_end",
    )
    return {
        n: today + dt.timedelta(days=d) for n, d in zip(names, PHASE_OFFSETS[phase], strict=True)
    }


def make_activity(branch: Branch, phase: str = "recommend", **kwargs: Any) -> ReadingActivity:
    defaults: dict[str, Any] = {
        "title": f"读书活动{next(_seq)}",
        "books_to_pick": 2,
        "budget": Decimal("1000"),
        **phase_dates(phase),
    }
    return ReadingActivity.objects.create(branch=branch, **{**defaults, **kwargs})


def make_recommendation(activity: ReadingActivity, member: User, **kwargs: Any) -> Recommendation:
    n = next(_seq)
    defaults = {
        "title": f"好书{n}",
        "author": f"作者{n}",
        "publisher": "人民出版社",
        "reason": "这本书讲工作态度和责任心，对党员干部立足岗位、发挥作用很有启发。",
    }
    return Recommendation.objects.create(activity=activity, member=member, **{**defaults, **kwargs})


def select_books(
    activity: ReadingActivity, by: User, titles: tuple[str, ...] = ("你在为谁工作", "责任胜于能力")
):
    """Mark the activity selected with the given books, without phase checks (set-up only)."""
    books = [
        Selection.objects.create(activity=activity, title=t, author="作者", order=i)
        for i, t in enumerate(titles, 1)
    ]
    ReadingActivity.objects.filter(pk=activity.pk).update(
        selected_at=timezone.now(), selected_by=by, decision_note="支委会研究决定。"
    )
    activity.refresh_from_db()
    activity.__dict__.pop("phase", None)
    return books


def make_purchase(selection: Selection, quantity: int = 10, **kwargs: Any) -> Purchase:
    defaults = {
        "unit_price": Decimal("28.00"),
        "supplier": "新华书店",
        "purchased_on": timezone.localdate(),
    }
    return Purchase.objects.create(selection=selection, quantity=quantity, **{**defaults, **kwargs})


def make_distribution(selection: Selection, member: User, **kwargs: Any) -> Distribution:
    return Distribution.objects.create(
        selection=selection, member=member, issued_on=timezone.localdate(), **kwargs
    )


def make_reflection(
    activity: ReadingActivity, author: User, selection: Selection | None = None, **kwargs: Any
) -> Reflection:
    defaults = {"title": f"读后感{next(_seq)}", "body": "读了这本书，很受启发。\n\n第二段。"}
    return Reflection.objects.create(
        activity=activity,
        author=author,
        selection=selection or activity.selections.first(),
        **{**defaults, **kwargs},
    )


def make_comment(reflection: Reflection, author: User, body: str = "写得好！") -> Comment:
    return Comment.objects.create(reflection=reflection, author=author, body=body)


def make_members(branch: Branch, n: int) -> list[User]:
    return [make_person(branch, (Role.MEMBER,)) for _ in range(n)]
