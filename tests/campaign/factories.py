"""Factories for campaign rows. Campaigns and rounds go through the services, like the app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from campaign import services
from campaign.models import (
    Campaign,
    Decision,
    Deed,
    EvaluationRound,
    LeaderReview,
    Pledge,
    Problem,
    SavingRecord,
    Standard,
    VanguardPost,
)
from members.models import User

START = dt.date(2010, 6, 1)
END = dt.date(2012, 6, 30)


def make_campaign(secretary: User, *, start: bool = True, name: str = "创先争优活动") -> Campaign:
    campaign = services.campaign_create(
        branch=secretary.branch, name=name, starts_on=START, ends_on=END, by=secretary
    )
    if start:
        services.campaign_start(campaign=campaign, by=secretary)
        campaign.refresh_from_db()
    return campaign


def member_items(campaign: Campaign) -> list[Standard]:
    return list(campaign.member_standards.items.all())


def make_pledge(
    campaign: Campaign,
    owner: User | None,
    *,
    status: str = Pledge.Status.DRAFT,
    standard: Standard | None = None,
    scope: str | None = None,
    **kwargs: Any,
) -> Pledge:
    scope = scope or (Pledge.Scope.MEMBER if owner else Pledge.Scope.BRANCH)
    if standard is None:
        taken = Pledge.objects.filter(campaign=campaign, owner=owner, scope=scope).values(
            "standard"
        )
        standard = campaign.standards_for(scope).items.exclude(pk__in=taken).first()
    defaults: dict[str, Any] = {
        "goal": "全年配送零差错",
        "tasks": "按规程配送药品",
        "measures": "每月自查",
        "deadline": dt.date(2011, 12, 31),
    }
    if status == Pledge.Status.JUDGED:
        defaults["verdict"] = Pledge.Verdict.FULFILLED
    return Pledge.objects.create(
        campaign=campaign,
        scope=scope,
        owner=owner,
        standard=standard,
        status=status,
        **{**defaults, **kwargs},
    )


def make_review(campaign: Campaign, reviewer: User, subject: User | None, **kwargs: Any):
    defaults = {"rating": LeaderReview.Rating.GOOD, "comment": "工作出色", "reviewed_on": START}
    return LeaderReview.objects.create(
        campaign=campaign, reviewer=reviewer, subject=subject, **{**defaults, **kwargs}
    )


def make_round(
    campaign: Campaign,
    secretary: User,
    *,
    open_: bool = True,
    threshold: int = 80,
    chosen: list[User] | None = None,
) -> EvaluationRound:
    data = {
        "name": "2010年度群众评议",
        "starts_on": dt.date(2010, 12, 20),
        "ends_on": dt.date(2010, 12, 31),
        "threshold": threshold,
        "evaluator_scope": EvaluationRound.EvaluatorScope.CHOSEN
        if chosen
        else EvaluationRound.EvaluatorScope.EVERYONE,
    }
    round_ = services.round_create(campaign=campaign, data=data, chosen=chosen or [], by=secretary)
    if open_:
        services.round_open(round_=round_, by=secretary)
    return round_


def all_levels(subject, level: str = "satisfied") -> dict[int, str]:
    return {item.pk: level for item in subject.round.items.filter(applies_to=subject.applies_to)}


# --- 战斗堡垒: posts, deeds, 增收节支, problems and rectification, decisions --------------------
# Through the services, like the app; `by` is the secretary unless a test says otherwise.

FORTRESS_DAY = dt.date(2011, 5, 16)  # the seed report's date, inside the factories' campaign


def make_post(
    branch, by: User, *, name: str | None = None, department=None, hung: bool = True, **data: Any
):
    from tests.factories import make_department

    post = services.post_create(
        branch=branch,
        data={
            "name": name or f"药品配送岗{VanguardPost.objects.count() + 1}",
            "department": department or make_department(branch),
            "duties": "按时准确配送药品",
            "promise": "以诚待人，以信立身，热情服务，乐于奉献",
            **data,
        },
        by=by,
    )
    if hung:
        services.post_hang_plaque(post=post, on=FORTRESS_DAY, by=by)
    return post


def make_holder(post, member: User, by: User, *, starts_on: dt.date = FORTRESS_DAY):
    return services.post_assign(post=post, member=member, starts_on=starts_on, by=by)


def make_deed(campaign: Campaign, member: User, by: User, *, post=None, **kwargs: Any):
    defaults: dict[str, Any] = {
        "happened_on": FORTRESS_DAY,
        "title": "雪夜送药",
        "body": "冒雪将急需药品送到医院，客户来电表扬。",
        "tags": [Deed.Tag.URGENT],
    }
    return services.deed_create(
        campaign=campaign, member=member, post=post, by=by, **{**defaults, **kwargs}
    )


def make_saving(campaign: Campaign, by: User, *, amount: str = "1000.00", **data: Any):
    defaults: dict[str, Any] = {
        "kind": SavingRecord.Kind.SAVING,
        "item": "优化配送路线",
        "basis": "每月节约油费 1000 元",
        "happened_on": FORTRESS_DAY,
        "verified_by": by,
        "amount": Decimal(amount),
    }
    return services.saving_create(campaign=campaign, data={**defaults, **data}, by=by)


def make_problem(campaign: Campaign, by: User, **data: Any):
    defaults: dict[str, Any] = {
        "source": Problem.Source.STRATEGY,
        "area": Problem.Area.MANAGEMENT,
        "title": "配送成本偏高",
        "description": "对照“整合、转型、创新、跨越”战略，配送环节成本偏高。",
        "found_on": FORTRESS_DAY,
    }
    return services.problem_create(campaign=campaign, data={**defaults, **data}, by=by)


def make_rectification(
    campaign: Campaign, by: User, responsible: User, *, problems=None, **data: Any
):
    problems = problems or [make_problem(campaign, by)]
    defaults: dict[str, Any] = {
        "title": "降低配送成本",
        "public_description": "优化配送路线，降低油耗。",
        "internal_note": "涉及人员调整，暂不公开",
        "responsible": responsible,
        "deadline": timezone.localdate() + dt.timedelta(days=30),
    }
    return services.problem_rectify(problems=problems, data={**defaults, **data}, by=by)


def make_measure(rectification, by: User, owner: User, **data: Any):
    defaults: dict[str, Any] = {
        "content": "重新规划配送线路",
        "owner": owner,
        "deadline": rectification.deadline,
    }
    return services.measure_add(rectification=rectification, data={**defaults, **data}, by=by)


def make_decision(branch, by: User, attendees: list[User], **data: Any):
    defaults: dict[str, Any] = {
        "decided_on": FORTRESS_DAY,
        "meeting": "领导班子会议",
        "topic": "提高午餐费标准",
        "proposal": "午餐费由每人每天 8 元提高到 10 元",
        "discussion": "班子成员逐一发表意见",
        "resolution": "自下月起执行",
        "method": Decision.Method.SHOW_OF_HANDS,
    }
    return services.decision_create(
        branch=branch, data={**defaults, **data}, attendees=attendees, by=by
    )
