"""Who reaches the 战斗堡垒 pages: one access helper per object,
`get_<object>_for_user(request, pk)`, which answers 404 for anything outside the user's branch
(and for what the user may not know exists) and 403 for a role that may not act. The rules
themselves are in campaign/rules_fortress.py, which services and selectors ask too.

- posts (and their holders, stars, totals): everyone of the branch who reads the campaign;
- deeds: rules_fortress.may_see_deed (staff: 宣传 deeds only; members: confirmed ones; the
  author: his or her own; the secretary and leaders: all);
- problems, 增收节支 records one by one: the secretary and leaders;
- decisions and integrity records: the secretary, leaders and party members (not staff);
- rectification items: everyone who reads the campaign, the public face only unless
  rules_fortress.sees_rectification_internals (selectors_fortress.rectification_detail).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import (
    Decision,
    Deed,
    DeedPhoto,
    IntegrityRecord,
    Measure,
    PostHolder,
    Problem,
    Rectification,
    SavingRecord,
    VanguardPost,
)
from .rules_fortress import (
    manages_fortress,
    may_see_deed,
    may_update_measures,
    reads_fortress,
    reads_team_record,
    sees_internals,
    sees_rectification_internals,
)


def _branch_id(request: HttpRequest) -> int | None:
    return request.user.branch_id


def check_reads(request: HttpRequest) -> None:
    """A list page of posts, deeds or rectification items: everyone of a branch who reads the
    campaign."""
    if not reads_fortress(request.user, _branch_id(request)):
        raise PermissionDenied


def check_manages(request: HttpRequest) -> None:
    """A page that changes posts, reviews, deeds, 增收节支, problems or decisions: the secretary."""
    if not manages_fortress(request.user, _branch_id(request)):
        raise PermissionDenied


def check_sees_internals(request: HttpRequest) -> None:
    """Problems, 增收节支 records, the rectification list with internals: the secretary and
    leaders."""
    if not sees_internals(request.user, _branch_id(request)):
        raise PermissionDenied


def get_post_for_user(request: HttpRequest, pk: int) -> VanguardPost:
    post = get_object_or_404(
        VanguardPost.objects.select_related("department", "branch"),
        pk=pk,
        branch=request.user.branch,
    )
    check_reads(request)
    return post


def get_managed_post_for_user(request: HttpRequest, pk: int) -> VanguardPost:
    post = get_post_for_user(request, pk)
    check_manages(request)
    return post


def get_holder_for_user(request: HttpRequest, pk: int) -> PostHolder:
    """A holding to end (离岗): the secretary's."""
    holder = get_object_or_404(
        PostHolder.objects.select_related("post", "member"),
        pk=pk,
        post__branch=request.user.branch,
    )
    check_manages(request)
    return holder


def get_deed_for_user(request: HttpRequest, pk: int) -> Deed:
    """A deed (and its photos) the user may read; a deed the user may not read is a 404."""
    deed = get_object_or_404(
        Deed.objects.select_related(
            "campaign", "member__department", "post", "recorded_by", "confirmed_by"
        ),
        pk=pk,
        campaign__branch=request.user.branch,
    )
    if not may_see_deed(request.user, deed):
        raise Http404
    return deed


def get_deed_photo_for_user(request: HttpRequest, pk: int) -> DeedPhoto:
    """A deed's photo, seen by whoever may see the deed (config/media.py, campaign:deed_photo)."""
    photo = get_object_or_404(
        DeedPhoto.objects.select_related("deed__campaign"),
        pk=pk,
        deed__campaign__branch=request.user.branch,
    )
    if not may_see_deed(request.user, photo.deed):
        raise Http404
    return photo


def get_saving_for_user(request: HttpRequest, pk: int) -> SavingRecord:
    entry = get_object_or_404(
        SavingRecord.objects.select_related("campaign", "post", "department", "verified_by"),
        pk=pk,
        campaign__branch=request.user.branch,
    )
    check_sees_internals(request)
    return entry


def get_problem_for_user(request: HttpRequest, pk: int) -> Problem:
    problem = get_object_or_404(
        Problem.objects.select_related("campaign", "rectification", "recorded_by"),
        pk=pk,
        campaign__branch=request.user.branch,
    )
    check_sees_internals(request)
    return problem


def get_rectification_for_user(request: HttpRequest, pk: int) -> Rectification:
    """Any item of the branch to a reader (the page shows the public face unless
    rules_fortress.sees_rectification_internals)."""
    item = get_object_or_404(
        Rectification.objects.select_related("responsible", "campaign", "accepted_by"),
        pk=pk,
        branch=request.user.branch,
    )
    check_reads(request)
    return item


def get_measure_for_user(request: HttpRequest, pk: int) -> Measure:
    """A measure to update (and its evidence photo, campaign:measure_photo): the responsible
    leader of its item and the secretary; other readers of the branch get a 404 (they see
    measures through the item's public face)."""
    measure = get_object_or_404(
        Measure.objects.select_related("rectification", "owner"),
        pk=pk,
        rectification__branch=request.user.branch,
    )
    if not sees_rectification_internals(request.user, measure.rectification):
        raise Http404
    return measure


def get_updatable_measure_for_user(request: HttpRequest, pk: int) -> Measure:
    measure = get_measure_for_user(request, pk)
    if not may_update_measures(request.user, measure.rectification):
        raise PermissionDenied
    return measure


def check_reads_team_record(request: HttpRequest) -> None:
    """The leadership team's decisions and integrity records: the secretary, the leaders and the
    party members of the branch (rules_fortress.reads_team_record)."""
    if not reads_team_record(request.user, _branch_id(request)):
        raise PermissionDenied


def get_decision_for_user(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related("recorded_by"), pk=pk, branch=request.user.branch
    )
    check_reads_team_record(request)
    return decision


def get_integrity_for_user(request: HttpRequest, pk: int) -> IntegrityRecord:
    entry = get_object_or_404(IntegrityRecord, pk=pk, branch=request.user.branch)
    check_reads_team_record(request)
    return entry
