"""Factories for campaign rows. Campaigns and rounds go through the services, like the app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from campaign import services
from campaign.models import Campaign, EvaluationRound, LeaderReview, Pledge, Standard
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
