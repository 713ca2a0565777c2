"""Who may see and do what in the reading activity: predicates that models, selectors, services,
views and templates all ask. Below the services: imports no services and no reading models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from members.models import Role, User

if TYPE_CHECKING:
    from .models import ReadingActivity


def moderates(user: User) -> bool:
    """The secretary (支部书记) sees every post, comment, revision and progress row of the branch;
    the visibility rules of the reading app (the `visible_to` methods) start from this."""
    return user.has_perm("reading.manage_reading")


def sees_members_progress(user: User) -> bool:
    """Progress shared "其他党员可见" is for party members and the leadership, not for staff."""
    return moderates(user) or user.has_role(Role.MEMBER) or user.has_role(Role.LEADER)


def is_participant(activity: ReadingActivity, user: User) -> bool:
    """Party members (党员干部) of the activity's branch take part; staff read and comment.

    The one-person form of `User.objects.party_members(activity.branch)`: active, in the branch,
    with the member role (tests/reading/test_rules.py holds the two to the same answer).
    """
    return user.is_active and user.branch_id == activity.branch_id and user.has_role(Role.MEMBER)
