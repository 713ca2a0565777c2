"""Roles are Django groups. This module is the one place that says what each role may do.

Later apps add their permissions to ROLE_PERMISSIONS; `sync_role_groups` runs after every migrate.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS

from .models import Role

# Apps whose every model permission the secretary holds (the admin works for the secretary).
SECRETARY_APPS = ("members", "campaign", "reading")

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.SECRETARY: {"members.manage_people", "members.view_directory"},
    Role.LEADER: {"members.view_directory"},
    Role.MEMBER: {"members.view_directory"},
    Role.STAFF: {"members.view_directory"},
}

# Reading (读书活动): everyone reads the forum and comments; party members recommend, read and
# post; leaders see the ledgers and the summary; the secretary (all reading perms) manages.
ROLE_PERMISSIONS[Role.LEADER] |= {
    "reading.view_reading",
    "reading.comment_reading",
    "reading.view_reading_summary",
}
ROLE_PERMISSIONS[Role.MEMBER] |= {
    "reading.view_reading",
    "reading.comment_reading",
    "reading.participate_reading",
}
ROLE_PERMISSIONS[Role.STAFF] |= {"reading.view_reading", "reading.comment_reading"}

# Campaign (创先争优): everyone reads the pledge wall and honours (votes by invitation, no perm);
# party members pledge; leaders also comment (领导点评); the secretary (all campaign perms) manages.
ROLE_PERMISSIONS[Role.LEADER] |= {
    "campaign.view_campaign",
    "campaign.make_pledge",
    "campaign.review_members",
}
ROLE_PERMISSIONS[Role.MEMBER] |= {"campaign.view_campaign", "campaign.make_pledge"}
ROLE_PERMISSIONS[Role.STAFF] |= {"campaign.view_campaign"}


def sync_role_groups(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Create the four role groups and give each exactly its permissions, in the database that
    was migrated (`migrate --database`, as seed_scale does for its own database)."""
    by_key = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = {by_key[k] for k in ROLE_PERMISSIONS.get(role, set()) if k in by_key}
        if role == Role.SECRETARY:
            wanted |= {p for k, p in by_key.items() if k.split(".")[0] in SECRETARY_APPS}
        group.permissions.set(wanted)
