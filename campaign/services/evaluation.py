"""群众评议: rounds (draft → open → closed) and anonymous ballots.

See campaign/models/evaluation.py for why nothing here links a ballot to its evaluator. Casting a
ballot is never written to the audit trail; opening and closing a round are.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Role, User

from ..models import (
    Ballot,
    BallotMark,
    Campaign,
    EvaluationItem,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    satisfaction_rate,
)
from ._common import check_transition, party_members, record

R = EvaluationRound.Status
ROUND_TRANSITIONS: dict[str, set[str]] = {R.DRAFT: {R.OPEN}, R.OPEN: {R.CLOSED}, R.CLOSED: set()}

BRANCH_ITEMS = [
    "对党组织开展创先争优活动的基本评价",
    "推动中心工作和重点任务完成情况",
    "承诺践诺情况",
    "为群众办实事做好事解难事情况",
    "加强党组织和党员队伍建设情况",
]
ROUND_FIELDS = ("name", "starts_on", "ends_on", "threshold", "evaluator_scope")


def _move(round_: EvaluationRound, target: str) -> None:
    check_transition(
        current=round_.status,
        target=target,
        transitions=ROUND_TRANSITIONS,
        labels=dict(R.choices),
        what=_("这轮评议"),
    )
    round_.status = target


def _check_round_data(campaign: Campaign, data: Mapping[str, Any], chosen: Iterable[User]) -> None:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if data["evaluator_scope"] == EvaluationRound.EvaluatorScope.CHOSEN and not list(chosen):
        raise ValidationError({"chosen_evaluators": _("请至少指定一名参评人员。")})
    if any(person.branch_id != campaign.branch_id for person in chosen):
        raise ValidationError({"chosen_evaluators": _("只能指定本支部的人员。")})


@transaction.atomic
def round_create(
    *, campaign: Campaign, data: Mapping[str, Any], chosen: Iterable[User], by: User
) -> EvaluationRound:
    """A draft round with the five branch items and the items of the campaign's member standards."""
    chosen = list(chosen)
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，不能安排群众评议。"))
    _check_round_data(campaign, data, chosen)
    round_ = EvaluationRound.objects.create(campaign=campaign, **{f: data[f] for f in ROUND_FIELDS})
    round_.chosen_evaluators.set(chosen)
    items = [
        EvaluationItem(round=round_, applies_to=EvaluationItem.AppliesTo.BRANCH, name=name, order=n)
        for n, name in enumerate(BRANCH_ITEMS, 1)
    ]
    if campaign.member_standards is not None:
        items += [
            EvaluationItem(
                round=round_, applies_to=EvaluationItem.AppliesTo.MEMBER, name=s.name, order=n
            )
            for n, s in enumerate(campaign.member_standards.items.all(), 1)
        ]
    EvaluationItem.objects.bulk_create(items)
    record(by=by, action=_("新建群众评议"), obj=round_)
    return round_


@transaction.atomic
def round_update(
    *, round_: EvaluationRound, data: Mapping[str, Any], chosen: Iterable[User], by: User
) -> EvaluationRound:
    chosen = list(chosen)
    if round_.status != R.DRAFT:
        raise ValidationError(_("评议已经开始，不能再修改设置。"))
    _check_round_data(round_.campaign, data, chosen)
    for field in ROUND_FIELDS:
        setattr(round_, field, data[field])
    round_.save()
    round_.chosen_evaluators.set(chosen)
    record(by=by, action=_("修改群众评议"), obj=round_)
    return round_


def _evaluators(round_: EvaluationRound) -> list[User]:
    if round_.evaluator_scope == EvaluationRound.EvaluatorScope.CHOSEN:
        people = round_.chosen_evaluators.filter(is_active=True)
    else:
        people = User.objects.filter(
            branch=round_.campaign.branch_id,
            is_active=True,
            groups__name__in=[Role.MEMBER, Role.STAFF],
        )
    return list(people.distinct().order_by("pk"))


@transaction.atomic
def round_open(*, round_: EvaluationRound, by: User) -> EvaluationRound:
    """Fix the subjects (the branch and each member) and every evaluator's turnout rows."""
    if round_.campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，不能开始评议。"))
    _move(round_, R.OPEN)
    evaluators = _evaluators(round_)
    if not evaluators:
        raise ValidationError(_("没有参评人员，不能开始评议。"))
    members = list(party_members(round_.campaign.branch).order_by("pk"))
    subjects = [EvaluationSubject(round=round_, is_branch=True)]
    subjects += [EvaluationSubject(round=round_, person=m) for m in members]
    EvaluationSubject.objects.bulk_create(subjects)
    subjects = list(round_.subjects.all())
    EvaluationTurnout.objects.bulk_create(
        EvaluationTurnout(round=round_, evaluator=e, subject=s)
        for e in evaluators
        for s in subjects
        if s.person_id != e.pk  # nobody evaluates him- or herself
    )
    round_.opened_on = timezone.localdate()
    round_.save(update_fields=["status", "opened_on", "updated_at"])
    record(
        by=by,
        action=_("开始群众评议"),
        obj=round_,
        detail=_("参评 %(e)d 人，评议对象 %(s)d 个") % {"e": len(evaluators), "s": len(subjects)},
    )
    return round_


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def ballot_cast(
    *,
    subject: EvaluationSubject,
    evaluator: User,
    levels: Mapping[int, str],
    change_token: str | None = None,
) -> str:
    """Cast or change one evaluator's ballot on one subject; returns the change token.

    The token goes back to the evaluator's browser only. A first ballot flips the turnout row and
    creates a Ballot holding the token's hash; a later call with that token replaces the marks.
    """
    round_ = subject.round
    if round_.status != R.OPEN:
        raise ValidationError(_("这轮评议不在进行中，不能投票。"))
    turnout = (
        EvaluationTurnout.objects.select_for_update(of=("self",))
        .filter(subject=subject, evaluator=evaluator)
        .first()
    )
    if turnout is None:
        raise ValidationError(_("您不是这一对象的参评人员。"))
    items = list(round_.items.filter(applies_to=subject.applies_to))
    missing = [item.name for item in items if levels.get(item.pk) not in BallotMark.Level.values]
    if missing:
        raise ValidationError(_("请对每一项作出评价：%(items)s。") % {"items": "、".join(missing)})
    today = timezone.localdate()
    if turnout.has_voted:
        ballot = None
        if change_token:
            ballot = Ballot.objects.filter(
                subject=subject, change_key_hash=token_hash(change_token)
            ).first()
        if ballot is None:
            raise ValidationError(
                _(
                    "您已对“%(subject)s”投过票。为保证匿名，系统不记录哪张选票是您的，"
                    "只能在当初投票的浏览器上修改。"
                )
                % {"subject": subject.label}
            )
        ballot.cast_on = today
        ballot.save(update_fields=["cast_on"])
        ballot.marks.all().delete()
        token = change_token
    else:
        token = secrets.token_hex(16)
        ballot = Ballot.objects.create(
            subject=subject, cast_on=today, change_key_hash=token_hash(token)
        )
        turnout.has_voted = True
        turnout.save(update_fields=["has_voted"])
    BallotMark.objects.bulk_create(
        BallotMark(ballot=ballot, item=item, level=levels[item.pk]) for item in items
    )
    return token


def round_tally(round_: EvaluationRound) -> list[EvaluationSubject]:
    """Count every subject: ballots, marks, satisfaction; flag those below the threshold."""
    satisfied = Q(ballots__marks__level__in=BallotMark.SATISFIED_LEVELS)
    counted = round_.subjects.annotate(
        n_ballots=Count("ballots", distinct=True),
        n_marks=Count("ballots__marks"),
        n_satisfied=Count("ballots__marks", filter=satisfied),
    )
    subjects = []
    for subject in counted:
        subject.ballot_count = subject.n_ballots
        subject.mark_count = subject.n_marks
        subject.satisfied_count = subject.n_satisfied
        subject.satisfaction = satisfaction_rate(subject.n_satisfied, subject.n_marks)
        # Below the 5-ballot floor nothing is published, so nothing is flagged either.
        subject.needs_rectification = (
            subject.ballot_count >= EvaluationRound.MIN_BALLOTS
            and subject.satisfaction is not None
            and subject.satisfaction < round_.threshold
        )
        subjects.append(subject)
    EvaluationSubject.objects.bulk_update(
        subjects,
        ["ballot_count", "mark_count", "satisfied_count", "satisfaction", "needs_rectification"],
    )
    return subjects


@transaction.atomic
def round_close(*, round_: EvaluationRound, by: User) -> EvaluationRound:
    """Close the round and store each subject's result."""
    _move(round_, R.CLOSED)
    subjects = round_tally(round_)
    round_.closed_on = timezone.localdate()
    round_.save(update_fields=["status", "closed_on", "updated_at"])
    flagged = sum(1 for s in subjects if s.needs_rectification)
    record(
        by=by,
        action=_("结束群众评议"),
        obj=round_,
        detail=_("列入整改 %(n)d 个") % {"n": flagged},
    )
    return round_
