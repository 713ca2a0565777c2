"""Rules about people and branches that every app checks the same way."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Branch, User


def require_same_branch(*, user: User | None, branch: Branch, message: str | None = None) -> None:
    """Refuse when `user` (if any) belongs to another branch than `branch`.

    Views already answer 404 for objects of other branches; services check again so that a
    script, the admin or a future API cannot act across branches either.
    """
    if user is not None and user.branch_id != branch.pk:
        raise ValidationError(message or _("不能操作其他支部的内容。"), code="other_branch")
