"""Who reaches the campaign pages: one permission decorator per codename, one access helper per
object that answers 404 for anything outside the user's branch, and the running campaign of the
request."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from members.models import Role

from . import selectors
from .models import (
    Campaign,
    EvaluationRound,
    EvaluationTurnout,
    LeaderReview,
    Nomination,
    Phase,
    Pledge,
    PledgeProgress,
    Standard,
    StandardSet,
)

manage_campaign_required = permission_required("campaign.manage_campaign", raise_exception=True)
view_campaign_required = permission_required("campaign.view_campaign", raise_exception=True)
make_pledge_required = permission_required("campaign.make_pledge", raise_exception=True)
review_members_required = permission_required("campaign.review_members", raise_exception=True)


def current_campaign(request: HttpRequest) -> Campaign | None:
    """The running campaign of the user's branch, looked up once per request."""
    if not hasattr(request, "_current_campaign"):
        request._current_campaign = selectors.current_campaign(branch=request.user.branch)
    return request._current_campaign


def no_campaign(request: HttpRequest, title: str) -> HttpResponse:
    """The empty state of every page that needs a running campaign."""
    return render(request, "campaign/no_campaign.html", {"title": title})


def get_campaign_for_user(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("current_phase", "branch"),
        pk=pk,
        branch=request.user.branch,
    )


def get_phase_for_user(request: HttpRequest, pk: int) -> Phase:
    return get_object_or_404(
        Phase.objects.select_related("campaign"), pk=pk, campaign__branch=request.user.branch
    )


def get_standard_set_for_user(request: HttpRequest, pk: int) -> StandardSet:
    return get_object_or_404(StandardSet, pk=pk, branch=request.user.branch)


def get_standard_for_user(request: HttpRequest, pk: int) -> Standard:
    return get_object_or_404(
        Standard.objects.select_related("standard_set"),
        pk=pk,
        standard_set__branch=request.user.branch,
    )


def get_pledge_for_user(request: HttpRequest, pk: int) -> Pledge:
    """A published pledge is visible to everyone of the branch; an unpublished one only to its
    owner and to the secretary (the team's also to the leaders who keep them, Pledge.may_edit)."""
    pledge = get_object_or_404(
        Pledge.objects.select_related(
            "campaign__branch", "owner__department", "standard__standard_set", "approved_by"
        ),
        pk=pk,
        campaign__branch=request.user.branch,
    )
    _check_pledge_visible(request, pledge)
    return pledge


def _check_pledge_visible(request: HttpRequest, pledge: Pledge) -> None:
    user = request.user
    if not user.has_perm("campaign.view_campaign"):
        raise PermissionDenied
    if not (pledge.is_public or pledge.may_edit(user) or user.is_secretary):
        raise Http404


def get_progress_for_user(request: HttpRequest, pk: int) -> PledgeProgress:
    """A 践诺 entry (and its photo): seen by whoever may see its pledge (get_pledge_for_user)."""
    entry = get_object_or_404(
        PledgeProgress.objects.select_related(
            "pledge__campaign", "pledge__standard", "pledge__owner", "recorded_by"
        ),
        pk=pk,
        pledge__campaign__branch=request.user.branch,
    )
    _check_pledge_visible(request, entry.pledge)
    return entry


def get_review_for_user(request: HttpRequest, pk: int) -> LeaderReview:
    """A 领导点评 of the user's branch (who may correct it is the service's rule)."""
    return get_object_or_404(
        LeaderReview.objects.select_related("campaign__branch", "reviewer", "subject"),
        pk=pk,
        campaign__branch=request.user.branch,
    )


def get_editable_pledge_for_user(request: HttpRequest, pk: int) -> Pledge:
    """A pledge the user writes and keeps (Pledge.may_edit); anyone else who sees it gets a 403."""
    pledge = get_pledge_for_user(request, pk)
    if not pledge.may_edit(request.user):
        raise PermissionDenied
    return pledge


def check_pledge_scope(request: HttpRequest, scope: str) -> None:
    """A member pledges for him- or herself; the leaders (and the secretary) for the leadership
    team (四好); only the secretary for the branch (四强)."""
    if scope not in Pledge.Scope.values:
        raise Http404
    if scope != Pledge.Scope.MEMBER and not Pledge.may_write(scope, request.user):
        raise PermissionDenied
    if scope == Pledge.Scope.MEMBER and not request.user.has_role(Role.MEMBER):
        raise PermissionDenied


def get_round_for_user(request: HttpRequest, pk: int) -> EvaluationRound:
    return get_object_or_404(
        EvaluationRound.objects.select_related("campaign__branch"),
        pk=pk,
        campaign__branch=request.user.branch,
    )


def get_turnout_for_user(request: HttpRequest, subject_pk: int) -> EvaluationTurnout:
    """The evaluator's own invitation for one subject; anyone not invited gets a 404."""
    return get_object_or_404(
        EvaluationTurnout.objects.select_related("round", "subject__person__department"),
        subject_id=subject_pk,
        evaluator=request.user,
    )


def get_nomination_for_user(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.select_related(
            "campaign__branch", "nominee__department", "nominated_by"
        ),
        pk=pk,
        campaign__branch=request.user.branch,
    )
