"""Who reaches the reading pages: one permission decorator per codename, and one access helper per
object that answers 404 for anything outside the user's branch."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Comment, Distribution, Purchase, ReadingActivity, Recommendation, Reflection

view_reading_required = permission_required("reading.view_reading", raise_exception=True)
comment_reading_required = permission_required("reading.comment_reading", raise_exception=True)
participate_reading_required = permission_required(
    "reading.participate_reading", raise_exception=True
)
view_reading_summary_required = permission_required(
    "reading.view_reading_summary", raise_exception=True
)
manage_reading_required = permission_required("reading.manage_reading", raise_exception=True)


def get_activity_for_user(request: HttpRequest, pk: int) -> ReadingActivity:
    return get_object_or_404(
        ReadingActivity.objects.select_related("branch"), pk=pk, branch=request.user.branch
    )


def get_recommendation_for_user(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("activity__branch", "member"),
        pk=pk,
        activity__branch=request.user.branch,
    )


def get_purchase_for_user(request: HttpRequest, pk: int) -> Purchase:
    return get_object_or_404(
        Purchase.objects.select_related("selection__activity"),
        pk=pk,
        selection__activity__branch=request.user.branch,
    )


def get_distribution_for_user(request: HttpRequest, pk: int) -> Distribution:
    """Only the person who received the book confirms it; anyone else gets a 404."""
    return get_object_or_404(
        Distribution.objects.select_related("selection__activity"), pk=pk, member=request.user
    )


def get_branch_distribution_for_user(request: HttpRequest, pk: int) -> Distribution:
    """A hand-out of the user's branch (the secretary confirming for a member); else 404."""
    return get_object_or_404(
        Distribution.objects.select_related("selection__activity", "member"),
        pk=pk,
        selection__activity__branch=request.user.branch,
    )


def get_reflection_for_user(request: HttpRequest, pk: int) -> Reflection:
    """A post of the user's branch; a hidden one only for its author and the secretary."""
    return get_object_or_404(
        Reflection.objects.select_related(
            "activity__branch", "author", "author__department", "selection"
        ).visible_to(request.user),
        pk=pk,
        activity__branch=request.user.branch,
    )


def get_own_reflection_for_user(request: HttpRequest, pk: int) -> Reflection:
    """The user's own post (to edit it); someone else's is refused with 403."""
    reflection = get_reflection_for_user(request, pk)
    if reflection.author_id != request.user.pk:
        raise PermissionDenied
    return reflection


def get_comment_for_user(request: HttpRequest, pk: int) -> Comment:
    """A comment as its post's page shows it (Comment.visible_to)."""
    return get_object_or_404(
        Comment.objects.visible_to(request.user).select_related(
            "reflection__activity__branch", "author"
        ),
        pk=pk,
        reflection__activity__branch=request.user.branch,
    )
