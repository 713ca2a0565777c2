"""Who may see and do what with the 战斗堡垒 records (vanguard posts, deeds, 增收节支, problems and
rectification, the leadership team's record): predicates that services, selectors, views and
templates all ask. Below the services: imports no services, no selectors, no views.

The roles, from issue 12:
- the secretary (`campaign.manage_campaign`) manages posts, holders, plaques, reviews, deeds,
  增收节支, problems, rectification items and decisions of the branch;
- the responsible leader of a rectification item updates its measures and reports it fixed;
- a member records deeds on the posts he or she holds now;
- leaders read everything of the branch (the team answers for it);
- staff and members read posts, deeds marked 宣传 (members also every confirmed deed) and the
  public face of rectification items; members also read the leadership team's decisions and
  integrity records; everything else is 403/404.

Every predicate also requires the object's branch to be the user's: several branches may share
a deployment. All but `holds_post` cost no query.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from members.models import Role, User

if TYPE_CHECKING:
    from .models import Deed, Rectification, VanguardPost


def _active_in(user: User, branch_id: int | None) -> bool:
    return bool(
        user.is_authenticated and user.is_active and branch_id and user.branch_id == branch_id
    )


def manages_fortress(user: User, branch_id: int | None) -> bool:
    """The secretary of the branch."""
    return _active_in(user, branch_id) and user.has_perm("campaign.manage_campaign")


def leads(user: User, branch_id: int | None) -> bool:
    """A member of the branch's leadership team (领导班子)."""
    return _active_in(user, branch_id) and user.has_role(Role.LEADER)


def reads_fortress(user: User, branch_id: int | None) -> bool:
    """Anyone of the branch who reads the campaign (staff included): posts, their holders and
    totals, deeds marked 宣传, the public face of rectification items."""
    return _active_in(user, branch_id) and user.has_perm("campaign.view_campaign")


def sees_internals(user: User, branch_id: int | None) -> bool:
    """Problems, rectification items with their internal notes and evidence, 增收节支 records one
    by one: the secretary and leaders (who also read the team's record, `reads_team_record`)."""
    return manages_fortress(user, branch_id) or leads(user, branch_id)


def reads_team_record(user: User, branch_id: int | None) -> bool:
    """The leadership team's decisions and integrity records (领导班子): the secretary and the
    leaders, and the party members of the branch, who read what their team decided; not staff."""
    return sees_internals(user, branch_id) or (
        _active_in(user, branch_id) and user.has_role(Role.MEMBER)
    )


def holds_post(user: User, post: VanguardPost, on: dt.date | None = None) -> bool:
    """Whether `user` holds `post` on `on` (today). One query."""
    from .models import PostHolder

    if not _active_in(user, post.branch_id):
        return False
    return PostHolder.objects.current(on).filter(post=post, member=user).exists()


def may_record_deed(user: User, *, branch_id: int, post: VanguardPost | None) -> bool:
    """The secretary records any member's deed (a post optional); a party member records his or
    her own deed on a post he or she holds now."""
    if manages_fortress(user, branch_id):
        return True
    return (
        post is not None
        and post.branch_id == branch_id
        and _active_in(user, branch_id)
        and user.has_role(Role.MEMBER)
        and holds_post(user, post)
    )


def may_see_deed(user: User, deed: Deed) -> bool:
    """Needs `deed.campaign` (select_related) for the branch."""
    branch_id = deed.campaign.branch_id
    if not reads_fortress(user, branch_id):
        return False
    if sees_internals(user, branch_id) or user.pk in (deed.member_id, deed.recorded_by_id):
        return True
    if deed.status != deed.Status.CONFIRMED:
        return False
    return deed.publicized or user.has_role(Role.MEMBER)


def may_edit_deed(user: User, deed: Deed) -> bool:
    """The secretary corrects any deed of the branch; its author his or her own until it is
    confirmed (待确认 or 已退回)."""
    branch_id = deed.campaign.branch_id
    if manages_fortress(user, branch_id):
        return True
    return (
        _active_in(user, branch_id)
        and deed.recorded_by_id == user.pk
        and deed.status != deed.Status.CONFIRMED
    )


def is_responsible(user: User, rectification: Rectification) -> bool:
    return _active_in(user, rectification.branch_id) and rectification.responsible_id == user.pk


def may_update_measures(user: User, rectification: Rectification) -> bool:
    """The responsible leader of the item, and the secretary."""
    return manages_fortress(user, rectification.branch_id) or is_responsible(user, rectification)


def sees_rectification_internals(user: User, rectification: Rectification) -> bool:
    """The internal note and the measures' owners and evidence: the secretary, the leaders and
    the responsible person; everyone else of the branch reads the public face."""
    return sees_internals(user, rectification.branch_id) or is_responsible(user, rectification)
