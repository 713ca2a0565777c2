"""Reads of the staff feedback pages that everyone of the branch sees: the 整改公示 board.

The board is de-identified by what it reads, not by what a template chooses to hide:

* only the columns the board shows are loaded (`BOARD_FIELDS`): no `sender_id`, no handler, no
  receipt digest, no declined reason, no photo;
* the sender's name comes as an annotation that the database fills for 实名 items only: for an
  对外匿名 or 完全匿名 item the row carries an empty string, and no User is loaded at all;
* a linked rectification item is read through `Rectification.objects.for_public()` (its public
  fields and its measures' public fields) and shown through its `public_face()`;
* internal notes (FeedbackNote, Rectification.internal_note) are never read.

Three queries whatever the number of rows: the items, their rectification items, the measures
(plus the paginator's count).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, CharField, F, Prefetch, QuerySet, Value, When
from django.db.models.functions import Coalesce

from members.models import Branch

from .models import Feedback, Rectification

# What the board shows of an item; everything else stays in the database.
BOARD_FIELDS = (
    "kind",
    "category",
    "text",
    "public_text",
    "submitted_on",
    "status",
    "public_reply",
    "accepted_on",
    "closed_on",
    "rectification",
)


def _sender_name() -> Case:
    """The sender's full name for a 实名 item; "" for every other item (and for a 实名 item
    whose sender was deleted)."""
    return Case(
        When(
            identity=Feedback.Identity.REAL,
            then=Coalesce(F("sender__full_name"), Value("")),
        ),
        default=Value(""),
        output_field=CharField(),
    )


def feedback_board(*, branch: Branch) -> QuerySet[Feedback]:
    """The branch's accepted items (已受理 … 已办结), newest first, each with `sender_name` and its
    rectification item's public face prefetched (show it through `with_faces`)."""
    return (
        Feedback.objects.in_branch(branch)
        .public()
        .only(*BOARD_FIELDS)
        .annotate(sender_name=_sender_name())
        .prefetch_related(Prefetch("rectification", queryset=Rectification.objects.for_public()))
        .order_by("-submitted_on", "id")
    )


def with_faces(items: Iterable[Feedback]) -> list[Feedback]:
    """The items of `feedback_board` (a page or every row), each with `face`: the public face of
    its rectification item, or None. No query beyond the page's own."""
    rows = list(items)
    for item in rows:
        item.face = item.rectification.public_face() if item.rectification_id else None
    return rows
