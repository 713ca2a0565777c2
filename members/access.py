"""Who may open the members pages, and which person or responsibility a request may reach.

Permission decorators are named `<codename>_required`; `get_<object>_for_user` answers 404 for
anything outside the signed-in user's branch.
"""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Responsibility, User

manage_people_required = permission_required("members.manage_people", raise_exception=True)
view_directory_required = permission_required("members.view_directory", raise_exception=True)


def get_person_for_user(request: HttpRequest, pk: int) -> User:
    """A person of the signed-in user's branch; anyone else is a 404."""
    return get_object_or_404(
        User.objects.select_related("department", "branch").prefetch_related("groups"),
        pk=pk,
        branch=request.user.branch,
    )


def get_responsibility_for_user(request: HttpRequest, pk: int) -> Responsibility:
    """A responsibility of a leader of the signed-in user's branch; any other is a 404."""
    return get_object_or_404(
        Responsibility.objects.select_related("leader"), pk=pk, leader__branch=request.user.branch
    )
