"""Reads for the campaign pages: one function per page, a constant number of queries each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils.translation import gettext as _

from config.queries import count_of
from members.models import Branch, User

from .models import (
    Campaign,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    Honour,
    LeaderReview,
    Nomination,
    Pledge,
    Standard,
)
from .models.voiding import valid_only

P = Pledge.Status
PENDING = (P.DRAFT, P.RETURNED)


def current_campaign(*, branch: Branch | None) -> Campaign | None:
    """The branch's running campaign (there is at most one), with its phase and standards."""
    if branch is None:
        return None
    member_items = count_of(
        Standard.objects.filter(standard_set=OuterRef("member_standards")), group="standard_set"
    )
    campaign = (
        Campaign.objects.filter(branch=branch, status=Campaign.Status.ACTIVE)
        .select_related("current_phase", "branch_standards", "member_standards", "team_standards")
        .annotate(n_member_items=member_items)
        .first()
    )
    if campaign is not None:
        campaign.branch = branch  # the branch in hand: campaign.branch costs no second query
    return campaign


def campaign_counts(*, campaign: Campaign) -> dict[str, int]:
    """The secretary's numbers for one campaign, in two queries."""
    by_status = dict(
        campaign.pledges.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    pledged = Exists(
        Pledge.objects.filter(campaign=campaign, owner=OuterRef("pk")).exclude(status__in=PENDING)
    )
    reviewed = Exists(
        LeaderReview.objects.valid().filter(campaign=campaign, subject=OuterRef("pk"))
    )
    # party_members yields one row per person, so plain counts are counts of people.
    people = User.objects.party_members(campaign.branch).aggregate(
        members=Count("pk"),
        pledged=Count("pk", filter=Q(pledged)),
        reviewed=Count("pk", filter=Q(reviewed)),
    )
    return {
        "members": people["members"],
        "pledged": people["pledged"],
        "reviewed": people["reviewed"],
        "submitted": by_status.get(P.SUBMITTED, 0),
        "approved": by_status.get(P.APPROVED, 0),
        "published": by_status.get(P.PUBLISHED, 0) + by_status.get(P.JUDGED, 0),
        "returned": by_status.get(P.RETURNED, 0),
    }


def pledge_wall(*, campaign: Campaign) -> QuerySet[Pledge]:
    return campaign.pledges.for_wall()


def pledge_queue(*, campaign: Campaign) -> QuerySet[Pledge]:
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


def pledge_coverage(*, campaign: Campaign) -> QuerySet[User]:
    """Members with their count of submitted pledges and of drafts still at home: correlated
    counts (one index lookup per member), not a join of every pledge grouped by member."""
    pledges = Pledge.objects.filter(campaign=campaign, owner=OuterRef("pk"))
    return (
        User.objects.party_members(campaign.branch)
        .select_related("department")
        .annotate(
            n_pledged=count_of(pledges.exclude(status__in=PENDING), group="owner"),
            n_drafts=count_of(pledges.filter(status__in=PENDING), group="owner"),
        )
        .order_by("n_pledged", "department__order", "full_name")
    )


def review_register(*, campaign: Campaign) -> QuerySet[LeaderReview]:
    return campaign.reviews.for_register()


def review_coverage(*, campaign: Campaign) -> QuerySet[User]:
    """Every member with the number of comments on him or her; nobody may stay at zero. A voided
    comment does not count."""
    return (
        User.objects.party_members(campaign.branch)
        .select_related("department")
        .annotate(
            n_reviews=Count(
                "reviews_received",
                filter=Q(reviews_received__campaign=campaign) & valid_only("reviews_received"),
            )
        )
        .order_by("n_reviews", "department__order", "full_name")
    )


def round_results(*, round_: EvaluationRound) -> QuerySet[EvaluationSubject]:
    """A closed round's subjects in the order of the results page (branch, then by department)."""
    return round_.subjects.for_results()


def with_breakdown(
    *, round_: EvaluationRound, subjects: Iterable[EvaluationSubject]
) -> list[EvaluationSubject]:
    """The subjects with their per-item level counts attached as `.breakdown`, read from what
    closing the round stored (EvaluationSubject.level_counts): the ballots are not counted again.
    One query (the round's items)."""
    subjects = list(subjects)
    every_item = list(round_.items.all())
    items = {
        kind: [item for item in every_item if item.applies_to == kind]
        for kind in ("branch", "member")
    }
    for subject in subjects:
        subject.round = round_
        subject.breakdown = [
            (item, subject.counts_of(item.pk)) for item in items[subject.applies_to]
        ]
    return subjects


def round_summary(*, round_: EvaluationRound) -> dict[str, Any]:
    """What the results page says above the list: who is 列入整改, how many are not public."""
    subjects = round_.subjects.all()
    public = subjects.public_q()
    counts = subjects.aggregate(total=Count("pk"), public=Count("pk", filter=public))
    return {
        "flagged": list(subjects.filter(needs_rectification=True).for_results()),
        "hidden": counts["total"] - counts["public"],
    }


def round_turnout(*, round_: EvaluationRound) -> dict[str, int]:
    """Evaluators, those who rated everyone they were given, and the turnout rows: one query over
    the round's turnout grouped by evaluator."""
    per_evaluator = round_.turnout.values("evaluator").annotate(
        n=Count("pk"), n_voted=Count("pk", filter=Q(has_voted=True))
    )
    totals = per_evaluator.aggregate(
        evaluators=Count("evaluator"),
        done=Sum(Case(When(n=F("n_voted"), then=Value(1)), default=Value(0))),
        rows=Sum("n"),
        voted=Sum("n_voted"),
    )
    return {key: value or 0 for key, value in totals.items()}


def ballots_for(*, user: User, round_: EvaluationRound) -> QuerySet[EvaluationTurnout]:
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


def open_rounds_for(*, user: User) -> QuerySet[EvaluationRound]:
    return (
        EvaluationRound.objects.filter(status=EvaluationRound.Status.OPEN, turnout__evaluator=user)
        .annotate(
            n_subjects=Count("turnout", filter=Q(turnout__evaluator=user)),
            n_left=Count("turnout", filter=Q(turnout__evaluator=user, turnout__has_voted=False)),
        )
        .order_by("ends_on")
    )


def honours_for_branch(*, branch: Branch) -> QuerySet[Honour]:
    return Honour.objects.filter(branch=branch).select_related("person__department", "campaign")


def nominations_for(*, campaign: Campaign) -> QuerySet[Nomination]:
    return (
        campaign.nominations.select_related("nominee__department", "nominated_by")
        .annotate(
            n_evidence=Count("evidence_pledges", distinct=True)
            + Count("evidence_reviews", distinct=True)
            + Count("evidence_results", distinct=True)
        )
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Stat:
    """One number on the campaign's progress board, with the page that explains it."""

    value: str
    label: str
    url: str


def campaign_stats(*, campaign: Campaign) -> list[Stat]:
    """The secretary's progress board of a campaign: six numbers in five queries."""
    counts = campaign_counts(campaign=campaign)
    queue = reverse("campaign:pledge_queue")
    return [
        Stat(
            f"{counts['pledged']}/{counts['members']}",
            _("党员已承诺"),
            reverse("campaign:pledge_missing"),
        ),
        Stat(str(counts["submitted"]), _("承诺待审核"), f"{queue}?status=submitted"),
        Stat(str(counts["approved"]), _("待亮诺"), f"{queue}?status=approved"),
        Stat(str(counts["published"]), _("已亮诺"), reverse("campaign:pledge_wall")),
        Stat(
            f"{counts['reviewed']}/{counts['members']}",
            _("党员已点评"),
            reverse("campaign:review_coverage"),
        ),
        Stat(str(campaign.rounds.count()), _("群众评议"), reverse("campaign:round_list")),
    ]


def next_standard(*, campaign: Campaign, scope: str, owner: User | None) -> int | None:
    """The first item of the scope's standards that the owner (or the branch, or the team) has
    not pledged on yet: where a new pledge form starts."""
    standard_set = campaign.standards_for(scope)
    if standard_set is None:
        return None
    taken = campaign.pledges.filter(owner=owner, scope=scope).values_list("standard", flat=True)
    return standard_set.items.exclude(pk__in=taken).values_list("pk", flat=True).first()


def pledges_expected(*, campaign: Campaign) -> int:
    """How many pledges each member owes: one per item of the campaign's member standards
    (counted by `current_campaign` already, when the campaign came from there)."""
    if campaign.member_standards_id is None:
        return 0
    counted = getattr(campaign, "n_member_items", None)
    return counted if counted is not None else campaign.member_standards.items.count()


def pledge_missing(*, campaign: Campaign, expected: int) -> QuerySet[User]:
    """Members who have not submitted a pledge on every item yet (drafts do not count)."""
    return pledge_coverage(campaign=campaign).filter(n_pledged__lt=expected)


def published_pledges_of(*, campaign: Campaign, owner_id: int | str | None) -> QuerySet[Pledge]:
    """A member's (with owner_id None: the branch's) published pledges, which a leader reads
    before commenting."""
    owner = {"owner__isnull": True} if owner_id is None else {"owner_id": owner_id}
    return campaign.pledges.published().filter(**owner).select_related("standard")


def my_campaign(*, user: User, campaign: Campaign) -> dict[str, Any]:
    """A person's own part of the campaign: pledges, comments on him or her, results of closed
    rounds (the page shows a number only where EvaluationSubject.result_is_public), honours."""
    return {
        "pledges": campaign.pledges.filter(owner=user)
        .select_related("standard")
        .prefetch_related("progress")
        .annotate(progress_count=Count("progress", filter=valid_only("progress"))),
        "expected": campaign.member_standards.items.all() if campaign.member_standards else [],
        "reviews": campaign.reviews.filter(subject=user).select_related("reviewer", "voided_by"),
        "results": user.evaluations.filter(
            round__campaign=campaign, round__status=EvaluationRound.Status.CLOSED
        ).select_related("round"),
        "honours": Honour.objects.filter(person=user).select_related("campaign"),
    }
