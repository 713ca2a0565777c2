"""Who may do what with staff feedback (issue 13). Services, selectors and views ask these.

- Sending: anyone (signed out: 完全匿名 only).
- Handling (受理 / 不予采纳 / 重复 / 答复 / 内部备注 / 整改): the secretary, and the leader an
  item was given to when it was accepted (`Feedback.handler`).
- Reading the handler's list and internal notes: the secretary and the leaders.
- A 对外匿名 sender's name: the secretary and the item's handler only; a 完全匿名 sender has none.
- The sender reads his or her own named items; a 完全匿名 item only with its receipt code.
"""

from __future__ import annotations

from members.models import User

from .models import Feedback
from .rules_fortress import leads, manages_fortress, sees_internals


def reads_feedback_queue(user: User, branch_id: int | None) -> bool:
    """The handler's list, every item's text and internal notes: the secretary and leaders."""
    return sees_internals(user, branch_id)


def handles(user: User, item: Feedback) -> bool:
    """May act on the item: the secretary, or the leader it was given to."""
    return manages_fortress(user, item.branch_id) or (
        leads(user, item.branch_id) and item.handler_id == user.pk
    )


def sees_sender(user: User, item: Feedback) -> bool:
    """May read who sent it: anyone who reads the item for 实名; the secretary and the item's
    handler for 对外匿名; nobody for 完全匿名."""
    if item.identity == Feedback.Identity.NONE:
        return False
    if item.identity == Feedback.Identity.REAL:
        return True
    return manages_fortress(user, item.branch_id) or (
        leads(user, item.branch_id) and item.handler_id == user.pk
    )


def may_open(user: User, item: Feedback) -> bool:
    """The item's page: its named sender, the secretary and the leaders."""
    if not user.is_authenticated:
        return False
    return reads_feedback_queue(user, item.branch_id) or (
        item.sender_id is not None and item.sender_id == user.pk
    )


def may_rate_as_sender(user: User, item: Feedback) -> bool:
    """A named item's sender rates it signed in; a 完全匿名 one is rated with its code."""
    return (
        user.is_authenticated
        and item.identity != Feedback.Identity.NONE
        and item.sender_id == user.pk
    )
