"""Campaigns and phases: created with the four default phases, started, moved on, finished."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Branch, User

from ..models import Campaign, Phase
from ._common import check_dates, check_transition, record
from .standards import standards_install_defaults

CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    Campaign.Status.PLANNING: {Campaign.Status.ACTIVE},
    Campaign.Status.ACTIVE: {Campaign.Status.FINISHED},
    Campaign.Status.FINISHED: set(),
}

# name, kind, share of the campaign's days, what is expected of people in it
DEFAULT_PHASES: list[tuple[str, str, int, str]] = [
    (
        "动员部署",
        Phase.Kind.MOBILIZE,
        1,
        "学习活动方案，对照“四强”“四优”标准调查研究、查找差距，准备公开承诺。",
    ),
    (
        "全面争创",
        Phase.Kind.COMPETE,
        6,
        "党员对照“四优”标准作出公开承诺并亮诺，记录践诺情况；领导班子成员点评；开展群众评议。",
    ),
    (
        "整改提升",
        Phase.Kind.RECTIFY,
        2,
        "针对领导点评和群众评议中的问题制定整改措施，逐项落实。",
    ),
    (
        "总结表彰",
        Phase.Kind.COMMEND,
        1,
        "评定承诺兑现情况，评选推荐先进基层党组织和优秀共产党员，总结活动。",
    ),
]


def default_phase_dates(*, starts_on: dt.date, ends_on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Split the campaign's days over the default phases by their shares, back to back."""
    total_days = (ends_on - starts_on).days
    shares = [share for _, _, share, _ in DEFAULT_PHASES]
    spans: list[tuple[dt.date, dt.date]] = []
    start = starts_on
    used = 0
    for n, share in enumerate(shares):
        used += share
        end = (
            ends_on
            if n == len(shares) - 1
            else starts_on + dt.timedelta(days=total_days * used // sum(shares))
        )
        end = max(end, start)
        spans.append((start, end))
        start = min(end + dt.timedelta(days=1), ends_on)
    return spans


@transaction.atomic
def campaign_create(
    *,
    branch: Branch,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    by: User,
    description: str = "",
) -> Campaign:
    """A new campaign with the default standards (四强/四优/四好) and the four default phases."""
    check_dates(starts_on=starts_on, ends_on=ends_on, same_day=False)
    sets = standards_install_defaults(branch=branch)
    campaign = Campaign.objects.create(
        branch=branch,
        name=name,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        branch_standards=sets.get("siqiang"),
        member_standards=sets.get("siyou"),
        team_standards=sets.get("sihao"),
    )
    for order, ((phase_name, kind, _share, guidance), (start, end)) in enumerate(
        zip(DEFAULT_PHASES, default_phase_dates(starts_on=starts_on, ends_on=ends_on), strict=True),
        1,
    ):
        Phase.objects.create(
            campaign=campaign,
            name=phase_name,
            kind=kind,
            order=order,
            starts_on=start,
            ends_on=end,
            guidance=guidance,
        )
    record(by=by, action=_("新建创先争优活动"), obj=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, data: dict[str, Any], by: User) -> Campaign:
    if campaign.status == Campaign.Status.FINISHED:
        raise ValidationError(_("活动已结束，不能再修改。"))
    for field, value in data.items():
        setattr(campaign, field, value)
    check_dates(starts_on=campaign.starts_on, ends_on=campaign.ends_on, same_day=False)
    for field in ("branch_standards", "member_standards", "team_standards"):
        chosen = getattr(campaign, field)
        if chosen is not None and chosen.branch_id != campaign.branch_id:
            raise ValidationError({field: _("只能选择本支部的标准。")})
    campaign.save()
    record(by=by, action=_("修改创先争优活动"), obj=campaign)
    return campaign


def campaign_actions(*, campaign: Campaign) -> frozenset[str]:
    """What the campaign page offers now, read off CAMPAIGN_TRANSITIONS and the rules below:
    "start", "finish", "edit" (settings and phases) and "set_phase"."""
    targets = CAMPAIGN_TRANSITIONS[campaign.status]
    actions = {
        action
        for target, action in (
            (Campaign.Status.ACTIVE, "start"),
            (Campaign.Status.FINISHED, "finish"),
        )
        if target in targets
    }
    if campaign.status != Campaign.Status.FINISHED:  # campaign_update, phase_update
        actions.add("edit")
    if campaign.status == Campaign.Status.ACTIVE:  # phase_set_current
        actions.add("set_phase")
    return frozenset(actions)


def _set_status(*, campaign: Campaign, target: str, by: User, action: str) -> Campaign:
    check_transition(
        current=campaign.status,
        target=target,
        transitions=CAMPAIGN_TRANSITIONS,
        labels=dict(Campaign.Status.choices),
        what=_("活动"),
    )
    campaign.status = target
    campaign.save(update_fields=["status", "updated_at", "current_phase"])
    record(by=by, action=action, obj=campaign)
    return campaign


@transaction.atomic
def campaign_start(*, campaign: Campaign, by: User) -> Campaign:
    running = Campaign.objects.filter(branch=campaign.branch, status=Campaign.Status.ACTIVE)
    if running.exclude(pk=campaign.pk).exists():
        raise ValidationError(_("本支部已有一项进行中的活动，请先结束它再启动新的活动。"))
    if campaign.current_phase_id is None:
        campaign.current_phase = campaign.phases.order_by("order").first()
    return _set_status(
        campaign=campaign, target=Campaign.Status.ACTIVE, by=by, action=_("启动创先争优活动")
    )


@transaction.atomic
def campaign_finish(*, campaign: Campaign, by: User) -> Campaign:
    return _set_status(
        campaign=campaign, target=Campaign.Status.FINISHED, by=by, action=_("结束创先争优活动")
    )


@transaction.atomic
def phase_update(*, phase: Phase, data: dict[str, Any], by: User) -> Phase:
    if phase.campaign.status == Campaign.Status.FINISHED:
        raise ValidationError(_("活动已结束，不能再修改阶段。"))
    for field, value in data.items():
        setattr(phase, field, value)
    check_dates(starts_on=phase.starts_on, ends_on=phase.ends_on)
    campaign = phase.campaign
    if phase.starts_on < campaign.starts_on or phase.ends_on > campaign.ends_on:
        raise ValidationError(_("阶段日期须在活动起止日期之内。"))
    phase.save()
    record(by=by, action=_("修改活动阶段"), obj=phase)
    return phase


@transaction.atomic
def phase_set_current(*, phase: Phase, by: User) -> Phase:
    """Move the campaign to this phase: what the home page shows and asks of everyone."""
    campaign = phase.campaign
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("只有进行中的活动才能切换阶段，请先启动活动。"))
    if campaign.current_phase_id == phase.pk:
        raise ValidationError(_("活动已经处于“%(name)s”阶段。") % {"name": phase.name})
    campaign.current_phase = phase
    campaign.save(update_fields=["current_phase", "updated_at"])
    record(by=by, action=_("切换活动阶段"), obj=campaign, detail=phase.name)
    return phase
