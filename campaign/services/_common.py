"""Shared helpers for the campaign services: transition checks and the audit rule."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from members import audit
from members.models import Branch, Role, User


def check_transition(
    *,
    current: str,
    target: str,
    transitions: Mapping[str, set[str]],
    labels: Mapping[str, str],
    what: str,
) -> None:
    """Refuse a state change the transition map does not allow, in words a person understands."""
    if target not in transitions.get(current, set()):
        raise ValidationError(
            _("%(what)s当前是“%(current)s”，不能改为“%(target)s”。")
            % {"what": what, "current": labels[current], "target": labels[target]},
            code="bad_transition",
        )


def is_officer(user: User) -> bool:
    return user.has_role(Role.SECRETARY) or user.has_role(Role.LEADER)


def record(*, by: User, action: str, obj: models.Model | None = None, detail: str = "") -> None:
    """Changes by the secretary or a leader go to the audit trail; members' own drafts do not."""
    if is_officer(by):
        audit.record(by=by, action=action, obj=obj, detail=detail)


def require_same_branch(*, user: User | None, branch: Branch, message: str) -> None:
    if user is not None and user.branch_id != branch.pk:
        raise ValidationError(message, code="other_branch")


def party_members(branch: Branch) -> models.QuerySet[User]:
    """Active people of the branch with the member role: they pledge and are evaluated."""
    # One row per person: a person is in the member group at most once.
    return User.objects.filter(branch=branch, is_active=True, groups__name=Role.MEMBER)
