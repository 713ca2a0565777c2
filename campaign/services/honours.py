"""评选表彰: nominated → 支委会 recommended → 上报 → awarded (or not), each step audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.dates import check_date_range
from members.models import Role, User

from ..models import Campaign, EvaluationSubject, Honour, LeaderReview, Nomination, Pledge
from ._common import check_transition, record

N = Nomination.Status
NOMINATION_TRANSITIONS: dict[str, set[str]] = {
    N.NOMINATED: {N.RECOMMENDED, N.WITHDRAWN},
    N.RECOMMENDED: {N.REPORTED, N.WITHDRAWN},
    N.REPORTED: {N.AWARDED, N.NOT_AWARDED},
    N.AWARDED: set(),
    N.NOT_AWARDED: set(),
    N.WITHDRAWN: set(),
}


def _move(nomination: Nomination, target: str) -> None:
    check_transition(
        current=nomination.status,
        target=target,
        transitions=NOMINATION_TRANSITIONS,
        labels=dict(N.choices),
        what=_("这项推荐"),
    )
    nomination.status = target


def nomination_actions(*, nomination: Nomination, by: User) -> frozenset[str]:
    """What `by` can do with the nomination now, read off NOMINATION_TRANSITIONS: "recommend"
    (or "recommend_by_other" when the nominee is `by`), "report", "withdraw", "award",
    "decline"."""
    targets = NOMINATION_TRANSITIONS[nomination.status]
    actions = {
        action
        for target, action in (
            (N.RECOMMENDED, "recommend"),
            (N.REPORTED, "report"),
            (N.WITHDRAWN, "withdraw"),
            (N.AWARDED, "award"),
            (N.NOT_AWARDED, "decline"),
        )
        if target in targets
    }
    if "recommend" in actions and _is_nominee(nomination, by):
        actions.remove("recommend")
        actions.add("recommend_by_other")
    return frozenset(actions)


def _is_nominee(nomination: Nomination, by: User) -> bool:
    return nomination.nominee_id is not None and nomination.nominee_id == by.pk


@transaction.atomic
def nomination_create(
    *,
    campaign: Campaign,
    kind: str,
    nominee: User | None,
    reason: str,
    pledges: Iterable[Pledge],
    reviews: Iterable[LeaderReview],
    results: Iterable[EvaluationSubject],
    by: User,
) -> Nomination:
    """Evidence must be the nominee's own (the branch's, for an organisation) in this campaign."""
    if kind in Nomination.ORG_KINDS:
        nominee = None
    elif nominee is None:
        raise ValidationError({"nominee": _("请选择被提名的党员。")})
    elif nominee.branch_id != campaign.branch_id or not nominee.has_role(Role.MEMBER):
        raise ValidationError({"nominee": _("只能提名本支部的党员。")})
    elif nominee.pk == by.pk:
        raise ValidationError({"nominee": _("不能提名自己，请由其他支委提名。")}, code="self")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写推荐理由。")})
    pledges, reviews, results = list(pledges), list(reviews), list(results)
    owner_id = nominee.pk if nominee else None
    if any(p.campaign_id != campaign.pk or p.owner_id != owner_id for p in pledges):
        raise ValidationError({"evidence_pledges": _("只能选择被提名对象本次活动中的承诺。")})
    if any(r.campaign_id != campaign.pk or r.subject_id != owner_id for r in reviews):
        raise ValidationError({"evidence_reviews": _("只能选择对被提名对象的点评。")})
    if any(s.round.campaign_id != campaign.pk or s.person_id != owner_id for s in results):
        raise ValidationError({"evidence_results": _("只能选择被提名对象的评议结果。")})
    nomination = Nomination.objects.create(
        campaign=campaign, kind=kind, nominee=nominee, reason=reason.strip(), nominated_by=by
    )
    nomination.evidence_pledges.set(pledges)
    nomination.evidence_reviews.set(reviews)
    nomination.evidence_results.set(results)
    record(by=by, action=_("提名评选表彰"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_recommend(*, nomination: Nomination, on: dt.date, by: User) -> Nomination:
    if _is_nominee(nomination, by):
        raise ValidationError(_("不能为自己登记支委会推荐，请由其他支委登记。"), code="self")
    check_date_range(field="on", value=on)
    _move(nomination, N.RECOMMENDED)
    nomination.recommended_on = on
    nomination.save(update_fields=["status", "recommended_on", "updated_at"])
    record(by=by, action=_("支委会推荐"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_report(*, nomination: Nomination, on: dt.date, by: User) -> Nomination:
    check_date_range(field="on", value=on)
    _move(nomination, N.REPORTED)
    nomination.reported_on = on
    nomination.save(update_fields=["status", "reported_on", "updated_at"])
    record(by=by, action=_("上报评选推荐"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by: User) -> Nomination:
    _move(nomination, N.WITHDRAWN)
    nomination.save(update_fields=["status", "updated_at"])
    record(by=by, action=_("撤回评选推荐"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_decline(*, nomination: Nomination, by: User) -> Nomination:
    _move(nomination, N.NOT_AWARDED)
    nomination.save(update_fields=["status", "updated_at"])
    record(by=by, action=_("登记未获表彰"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_award(
    *,
    nomination: Nomination,
    awarded_on: dt.date,
    awarding_body: str,
    title: str = "",
    by: User,
) -> Honour:
    """Record the honour the awarding body gave; the nomination becomes 已表彰."""
    if not awarding_body.strip():
        raise ValidationError({"awarding_body": _("请填写表彰单位。")})
    check_date_range(field="awarded_on", value=awarded_on)
    if nomination.reported_on and awarded_on < nomination.reported_on:
        raise ValidationError({"awarded_on": _("表彰日期不能早于上报日期。")})
    _move(nomination, N.AWARDED)
    nomination.save(update_fields=["status", "updated_at"])
    honour = Honour.objects.create(
        branch=nomination.campaign.branch,
        campaign=nomination.campaign,
        nomination=nomination,
        title=title.strip() or nomination.get_kind_display(),
        person=nomination.nominee,
        awarded_on=awarded_on,
        awarding_body=awarding_body.strip(),
    )
    record(by=by, action=_("登记表彰"), obj=honour)
    return honour
