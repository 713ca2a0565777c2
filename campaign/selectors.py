"""Reads for the campaign pages: one function per page, a constant number of queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import Branch, Role, User

from .models import (
    BallotMark,
    Campaign,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    Honour,
    LeaderReview,
    Nomination,
    Phase,
    Pledge,
)
from .services._common import party_members

P = Pledge.Status
PENDING = (P.DRAFT, P.RETURNED)


def current_campaign(branch: Branch | None) -> Campaign | None:
    """The branch's running campaign (there is at most one), with its phase and standards."""
    if branch is None:
        return None
    return (
        Campaign.objects.filter(branch=branch, status=Campaign.Status.ACTIVE)
        .select_related("current_phase", "branch_standards", "member_standards", "team_standards")
        .first()
    )


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    """The secretary's numbers for one campaign, in three queries."""
    by_status = dict(
        campaign.pledges.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    members = party_members(campaign.branch)
    pledged = members.filter(
        Exists(
            Pledge.objects.filter(campaign=campaign, owner=OuterRef("pk")).exclude(
                status__in=PENDING
            )
        )
    )
    reviewed = members.filter(
        Exists(LeaderReview.objects.filter(campaign=campaign, subject=OuterRef("pk")))
    )
    return {
        "members": members.count(),
        "pledged": pledged.count(),
        "reviewed": reviewed.count(),
        "submitted": by_status.get(P.SUBMITTED, 0),
        "approved": by_status.get(P.APPROVED, 0),
        "published": by_status.get(P.PUBLISHED, 0) + by_status.get(P.JUDGED, 0),
        "returned": by_status.get(P.RETURNED, 0),
    }


def pledge_wall(campaign: Campaign) -> QuerySet[Pledge]:
    return campaign.pledges.for_wall()


def pledge_queue(campaign: Campaign) -> QuerySet[Pledge]:
    """The secretary's review list: every non-draft pledge, submitted first."""
    return (
        campaign.pledges.exclude(status=P.DRAFT)
        .select_related("owner__department", "standard")
        .prefetch_related("owner__groups")
        .annotate(
            # What needs the secretary first: waiting for review, then for 亮诺.
            queue_order=Case(
                When(status=P.SUBMITTED, then=Value(0)),
                When(status=P.APPROVED, then=Value(1)),
                When(status=P.RETURNED, then=Value(2)),
                default=Value(3),
            )
        )
        .order_by("queue_order", "scope", "owner__full_name", "standard__order")
    )


def pledge_coverage(campaign: Campaign) -> QuerySet[User]:
    """Members with their count of submitted pledges and of drafts still at home."""
    mine = Q(pledges__campaign=campaign)
    return (
        party_members(campaign.branch)
        .select_related("department")
        .annotate(
            n_pledged=Count("pledges", filter=mine & ~Q(pledges__status__in=PENDING)),
            n_drafts=Count("pledges", filter=mine & Q(pledges__status__in=PENDING)),
        )
        .order_by("n_pledged", "department__order", "full_name")
    )


def review_register(campaign: Campaign) -> QuerySet[LeaderReview]:
    return campaign.reviews.for_register()


def review_coverage(campaign: Campaign) -> QuerySet[User]:
    """Every member with the number of comments on him or her; nobody may stay at zero."""
    return (
        party_members(campaign.branch)
        .select_related("department")
        .annotate(
            n_reviews=Count("reviews_received", filter=Q(reviews_received__campaign=campaign))
        )
        .order_by("n_reviews", "department__order", "full_name")
    )


def round_results(round_: EvaluationRound) -> list[EvaluationSubject]:
    """Subjects with their per-item level counts attached as `.breakdown` (two queries)."""
    subjects = list(round_.subjects.for_results())
    counts: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        BallotMark.objects.filter(ballot__subject__round=round_)
        .values_list("ballot__subject_id", "item_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for subject_id, item_id, level, n in rows:
        counts[subject_id][item_id][level] = n
    items = {
        kind: [item for item in round_.items.all() if item.applies_to == kind]
        for kind in ("branch", "member")
    }
    for subject in subjects:
        subject.round = round_
        subject.breakdown = [
            (item, [counts[subject.pk][item.pk].get(level, 0) for level in BallotMark.Level.values])
            for item in items[subject.applies_to]
        ]
    return subjects


def round_turnout(round_: EvaluationRound) -> dict[str, int]:
    evaluators = round_.turnout.values("evaluator").distinct().count()
    totals = round_.turnout.aggregate(rows=Count("pk"), voted=Count("pk", filter=Q(has_voted=True)))
    done = (
        round_.turnout.values("evaluator")
        .annotate(left=Count("pk", filter=Q(has_voted=False)))
        .filter(left=0)
        .count()
    )
    return {"evaluators": evaluators, "done": done, **totals}


def ballots_for(user: User, round_: EvaluationRound) -> QuerySet[EvaluationTurnout]:
    """An evaluator's subjects in a round with the has-voted and can-change flags (never the vote
    itself: the sealed value stays in the database)."""
    return (
        round_.turnout.filter(evaluator=user)
        .defer("sealed")
        .annotate(can_change=ExpressionWrapper(Q(sealed__isnull=False), BooleanField()))
        .select_related("subject__person__department")
        .order_by(
            "-subject__is_branch",
            "subject__person__department__order",
            "subject__person__full_name",
        )
    )


def open_rounds_for(user: User) -> QuerySet[EvaluationRound]:
    return (
        EvaluationRound.objects.filter(status=EvaluationRound.Status.OPEN, turnout__evaluator=user)
        .annotate(
            n_subjects=Count("turnout", filter=Q(turnout__evaluator=user)),
            n_left=Count("turnout", filter=Q(turnout__evaluator=user, turnout__has_voted=False)),
        )
        .order_by("ends_on")
    )


def honours_for_branch(branch: Branch) -> QuerySet[Honour]:
    return Honour.objects.filter(branch=branch).select_related("person__department", "campaign")


def nominations_for(campaign: Campaign) -> QuerySet[Nomination]:
    return (
        campaign.nominations.select_related("nominee__department", "nominated_by")
        .annotate(
            n_evidence=Count("evidence_pledges", distinct=True)
            + Count("evidence_reviews", distinct=True)
            + Count("evidence_results", distinct=True)
        )
        .order_by("-created_at", "-pk")
    )


# --- What is expected of a person now ---------------------------------------------------------


@dataclass(frozen=True)
class Task:
    text: str
    url: str
    urgent: bool = False


def tasks_for(user: User, campaign: Campaign | None) -> list[Task]:
    """ "What is expected of you now": a short list built from the rules, never from activity."""
    if campaign is None:
        return []
    phase: Phase | None = campaign.current_phase
    kind = phase.kind if phase else Phase.Kind.OTHER
    tasks: list[Task] = []
    if user.has_role(Role.MEMBER) and kind in (Phase.Kind.MOBILIZE, Phase.Kind.COMPETE):
        expected = campaign.member_standards.items.count() if campaign.member_standards else 0
        by_status = dict(
            campaign.pledges.filter(owner=user)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        done = sum(n for status, n in by_status.items() if status not in PENDING)
        if by_status.get(P.RETURNED):
            tasks.append(
                Task(
                    _("修改被退回的承诺 %(n)d 条后重新提交") % {"n": by_status[P.RETURNED]},
                    reverse("campaign:my_campaign"),
                    urgent=True,
                )
            )
        if done < expected:
            tasks.append(
                Task(
                    _("对照“四优”标准作出公开承诺：已提交 %(done)d / %(all)d 项")
                    % {"done": done, "all": expected},
                    reverse("campaign:pledge_create"),
                )
            )
        if by_status.get(P.PUBLISHED) and kind == Phase.Kind.COMPETE:
            tasks.append(Task(_("记录践诺情况"), reverse("campaign:my_campaign")))
    for round_ in open_rounds_for(user).filter(campaign=campaign):
        if round_.n_left:
            tasks.append(
                Task(
                    _("参加群众评议“%(name)s”：还有 %(n)d 个对象未评")
                    % {"name": round_.name, "n": round_.n_left},
                    reverse("campaign:round_vote", args=[round_.pk]),
                    urgent=True,
                )
            )
    if user.has_role(Role.LEADER) or user.has_role(Role.SECRETARY):
        missing = review_coverage(campaign).filter(n_reviews=0).exclude(pk=user.pk).count()
        if missing and kind != Phase.Kind.MOBILIZE:
            tasks.append(
                Task(
                    _("领导点评：还有 %(n)d 名党员未被点评") % {"n": missing},
                    reverse("campaign:review_coverage"),
                )
            )
    if user.has_role(Role.SECRETARY):
        waiting = campaign.pledges.filter(status=P.SUBMITTED).count()
        if waiting:
            tasks.append(
                Task(
                    _("审核公开承诺 %(n)d 条") % {"n": waiting},
                    reverse("campaign:pledge_queue") + "?status=submitted",
                    urgent=True,
                )
            )
        approved = campaign.pledges.filter(status=P.APPROVED).count()
        if approved:
            tasks.append(
                Task(
                    _("已审核待亮诺的承诺 %(n)d 条") % {"n": approved},
                    reverse("campaign:pledge_queue") + "?status=approved",
                )
            )
        if kind == Phase.Kind.COMMEND:
            tasks.append(
                Task(_("评定承诺兑现情况，组织评选表彰"), reverse("campaign:nomination_list"))
            )
    if not tasks:
        tasks.append(Task(_("阅读承诺墙，监督党员践诺"), reverse("campaign:pledge_wall")))
    return tasks
