"""群众评议: rounds (draft → open → closed) and anonymous ballots.

See campaign/models/evaluation.py for why nothing here links a ballot to its evaluator. Casting a
ballot is never written to the audit trail; opening and closing a round are.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Role, User

from .. import sealing
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
from ._common import check_dates, check_transition, record

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
    check_dates(starts_on=data["starts_on"], ends_on=data["ends_on"])
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


def round_actions(*, round_: EvaluationRound) -> frozenset[str]:
    """What the round page offers now, read off ROUND_TRANSITIONS: "edit" and "open" before the
    round opens, "close" while it is open, "results" after."""
    targets = ROUND_TRANSITIONS[round_.status]
    actions = {"edit", "open"} if R.OPEN in targets else set()
    if R.CLOSED in targets:
        actions.add("close")
    if round_.is_closed:
        actions.add("results")
    return frozenset(actions)


def round_check_editable(*, round_: EvaluationRound) -> None:
    """A round's settings change only before it opens. Views call it before showing the form."""
    if round_.status != R.DRAFT:
        raise ValidationError(_("评议已经开始，不能再修改设置。"), code="round_started")


@transaction.atomic
def round_update(
    *, round_: EvaluationRound, data: Mapping[str, Any], chosen: Iterable[User], by: User
) -> EvaluationRound:
    chosen = list(chosen)
    round_check_editable(round_=round_)
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
    members = list(User.objects.party_members(round_.campaign.branch).order_by("pk"))
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


def ballot_check_open(*, round_: EvaluationRound) -> None:
    """Votes are cast (and changed) only while the round is open. The ballot page asks first."""
    if round_.status != R.OPEN:
        raise ValidationError(_("这轮评议不在进行中，不能投票。"), code="round_not_open")


def ballot_cast(*, subject: EvaluationSubject, by: User, levels: Mapping[int, str]) -> None:
    """Seal (or re-seal, to change it) the vote of `by` on one subject.

    Nothing but the evaluator's own turnout row is written: the flag and the sealed levels. The
    ballot itself is written, anonymously and in random order, when the round closes.
    """
    with transaction.atomic():
        turnout = (
            EvaluationTurnout.objects.select_for_update(of=("self",))
            .select_related("round")
            .filter(subject=subject, evaluator=by)
            .first()
        )
        if turnout is None:
            raise ValidationError(_("您不是这一对象的参评人员。"))
        ballot_check_open(round_=turnout.round)
        items = sealing.items_for(subject)
        missing = [i.name for i in items if levels.get(i.pk) not in BallotMark.Level.values]
        if missing:
            raise ValidationError(
                _("请对每一项作出评价：%(items)s。") % {"items": "、".join(missing)}
            )
        if turnout.has_voted and turnout.sealed is None:
            # Cast before votes were sealed (an upgrade during an open round): already a ballot.
            raise ValidationError(
                _("您对“%(subject)s”的评价已经计入，不能再修改。") % {"subject": subject.label}
            )
        turnout.sealed = sealing.seal(turnout=turnout, items=items, levels=levels)
        turnout.has_voted = True
        turnout.save(update_fields=["sealed", "has_voted"])


def write_ballots(votes: Iterable[tuple[EvaluationSubject, Mapping[int, str]]]) -> int:
    """Write anonymous ballots in an order shuffled by the OS's CSPRNG, so that neither ids nor
    physical order (rowid, ctid) follow the order of voting. Call inside the closing transaction.
    """
    votes = list(votes)
    secrets.SystemRandom().shuffle(votes)
    ballots = [Ballot(subject=subject) for subject, _levels in votes]
    Ballot.objects.bulk_create(ballots, batch_size=500)
    BallotMark.objects.bulk_create(
        (
            BallotMark(ballot=ballot, item_id=item_pk, level=level)
            for ballot, (_subject, levels) in zip(ballots, votes, strict=True)
            for item_pk, level in sorted(levels.items())
        ),
        batch_size=1000,
    )
    return len(ballots)


def _unseal_round(round_: EvaluationRound) -> list[tuple[EvaluationSubject, dict[int, str]]]:
    items = list(round_.items.all())
    by_kind = {
        kind: [i for i in items if i.applies_to == kind] for kind in EvaluationItem.AppliesTo
    }
    sealed = (
        EvaluationTurnout.objects.select_for_update(of=("self",))
        .filter(round=round_, sealed__isnull=False)
        .select_related("subject")
    )
    votes, broken = [], 0
    for turnout in sealed:
        try:
            votes.append(
                (turnout.subject, sealing.unseal(turnout, by_kind[turnout.subject.applies_to]))
            )
        except sealing.SealError:
            broken += 1
    if broken:
        raise ValidationError(
            _(
                "有 %(n)d 份评价无法解封：服务器密钥（SECRET_KEY）在评议期间被更换。"
                "请把原来的密钥配置为 DJANGO_SECRET_KEY_FALLBACKS 后再结束评议。"
            )
            % {"n": broken}
        )
    return votes


def _scrub_after_close() -> None:
    """SQLite: secure_delete zeroed the erased sealed values in the pages; checkpoint and
    truncate the WAL, which still holds the pages as they were. (PostgreSQL keeps dead tuples
    and WAL until it reuses the space; those hold ciphertexts only: see the README.)"""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def round_tally(round_: EvaluationRound) -> list[EvaluationSubject]:
    """Count every subject: ballots, marks, satisfaction; flag those below the threshold."""
    satisfied = Q(ballots__marks__level__in=BallotMark.SATISFIED_LEVELS)
    counted = round_.subjects.annotate(
        n_ballots=Count("ballots", distinct=True),
        n_marks=Count("ballots__marks"),
        n_satisfied=Count("ballots__marks", filter=satisfied),
    )
    levels: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        BallotMark.objects.filter(ballot__subject__round=round_)
        .values_list("ballot__subject_id", "item_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for subject_id, item_id, level, n in rows:
        levels[subject_id][str(item_id)][level] = n
    subjects = []
    for subject in counted:
        subject.level_counts = {item: dict(n) for item, n in levels[subject.pk].items()}
        subject.ballot_count = subject.n_ballots
        subject.mark_count = subject.n_marks
        subject.satisfied_count = subject.n_satisfied
        subject.satisfaction = satisfaction_rate(subject.n_satisfied, subject.n_marks)
        # Below the ballot floor nothing is published, so nothing is flagged either.
        subject.needs_rectification = (
            subject.has_enough_ballots
            and subject.satisfaction is not None
            and subject.satisfaction < round_.threshold
        )
        subjects.append(subject)
    EvaluationSubject.objects.bulk_update(
        subjects,
        [
            "ballot_count",
            "mark_count",
            "satisfied_count",
            "satisfaction",
            "needs_rectification",
            "level_counts",
        ],
    )
    return subjects


@transaction.atomic
def round_close(*, round_: EvaluationRound, by: User) -> EvaluationRound:
    """Close the round: write the sealed votes out as anonymous ballots, store each result."""
    _move(round_, R.CLOSED)
    write_ballots(_unseal_round(round_))
    # Erase every sealed value of the round in one statement, in this same transaction.
    EvaluationTurnout.objects.filter(round=round_).update(sealed=None)
    transaction.on_commit(_scrub_after_close)
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
