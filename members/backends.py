"""The authentication backend: Django's ModelBackend, with permissions read from the roles.

Every page asks "who is this and what may they do". ModelBackend answers with four queries on
every request (the user, the user's branch, the user's own permissions, the groups' permissions).
Here the answer costs two (the user with the branch, the role groups), because:

- a person's permissions are those of the roles, and members/roles.py defines them in code (the
  role groups are synced from it after every migrate; the admin shows groups read-only);
- nobody holds permissions of their own: the admin does not offer `user_permissions`.

The secretary's "every permission of these apps" is read from the database once per process: the
permission table changes only when migrations run, and a process is restarted after a migrate.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from config.pagecache import remembered

from .models import Role, User
from .roles import ROLE_PERMISSIONS, SECRETARY_APPS


@cache
def _secretary_permissions() -> frozenset[str]:
    rows = Permission.objects.filter(content_type__app_label__in=SECRETARY_APPS).values_list(
        "content_type__app_label", "codename"
    )
    return frozenset(f"{app}.{codename}" for app, codename in rows)


def role_permissions(roles: frozenset[str]) -> set[str]:
    perms: set[str] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, set())
    if Role.SECRETARY in roles:
        perms |= _secretary_permissions()
    return perms


class RoleBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        # Kept between requests while the person, their branch and their roles are unchanged
        # (config/pagecache.py): deactivating someone or changing a password or a role writes
        # those tables, and the next request loads them afresh.
        user = remembered(f"user:{user_id}", lambda: self._load(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _load(user_id: Any) -> User | None:
        try:
            return (
                User._default_manager.select_related("branch")
                .prefetch_related("groups")
                .get(pk=user_id)
            )
        except (User.DoesNotExist, ValueError, TypeError):
            return None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if user_obj.is_superuser:
            return super().get_user_permissions(user_obj, obj)
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_group_permissions(user_obj, obj)
        return role_permissions(user_obj.role_names)
