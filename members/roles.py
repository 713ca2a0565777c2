"""Roles are Django groups. This module is the one place that says what each role may do.

Later apps add their permissions to ROLE_PERMISSIONS; `sync_role_groups` runs after every migrate.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission

from .models import Role

# Apps whose every model permission the secretary holds (the admin works for the secretary).
SECRETARY_APPS = ("members", "campaign", "reading")

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.SECRETARY: {"members.manage_people", "members.view_directory"},
    Role.LEADER: {"members.view_directory"},
    Role.MEMBER: {"members.view_directory"},
    Role.STAFF: {"members.view_directory"},
}


def sync_role_groups(**kwargs: Any) -> None:
    """Create the four role groups and give each exactly its permissions."""
    by_key = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = {by_key[k] for k in ROLE_PERMISSIONS.get(role, set()) if k in by_key}
        if role == Role.SECRETARY:
            wanted |= {p for k, p in by_key.items() if k.split(".")[0] in SECRETARY_APPS}
        group.permissions.set(wanted)
