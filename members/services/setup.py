"""First run: the branch and its secretary."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Branch, Role, User
from .people import set_roles


@transaction.atomic
def branch_setup(
    *, branch_name: str, parent_org: str, full_name: str, username: str, password: str
) -> User:
    """First run: create the branch and the secretary's account."""
    if User.objects.exists():
        raise ValidationError(_("系统已经初始化，不能重复设置。"), code="already_set_up")
    branch = Branch.objects.create(name=branch_name, parent_org=parent_org)
    user = User(
        branch=branch,
        username=username,
        full_name=full_name,
        political_status=User.PoliticalStatus.PARTY_MEMBER,
    )
    user.set_password(password)
    user.save()
    set_roles(person=user, roles={Role.SECRETARY, Role.MEMBER})
    return user
