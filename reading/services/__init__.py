"""Writes of the reading activity. Views call these; each checks its phase rule first.

Phase rules are one table (_common.PHASE_RULES): an action outside its phases is refused with a
message a member understands. Every action of the secretary is written to the audit trail. The
actor is always `by=`; every function is keyword-only.
"""

from ._common import MAX_ENDORSEMENTS, MIN_REASON_LENGTH, PHASE_RULES, require_phase
from .activity import (
    ACTIVITY_FIELDS,
    activity_create,
    activity_select_books,
    activity_update,
    check_phase_dates,
    endorsement_add,
    endorsement_remove,
    isbn_check,
    recommendation_save,
)
from .forum import (
    comment_create,
    comment_hide,
    comment_restore,
    like_toggle,
    reflection_create,
    reflection_feature,
    reflection_hide,
    reflection_restore,
    reflection_unfeature,
    reflection_update,
    require_editable,
)
from .supply import (
    copies_left,
    distribution_check_voidable,
    distribution_confirm,
    distribution_confirm_for,
    distribution_issue,
    distribution_void,
    progress_update,
    purchase_check_editable,
    purchase_check_open,
    purchase_record,
    purchase_update,
    purchase_void,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "MAX_ENDORSEMENTS",
    "MIN_REASON_LENGTH",
    "PHASE_RULES",
    "activity_create",
    "activity_select_books",
    "activity_update",
    "check_phase_dates",
    "comment_create",
    "comment_hide",
    "comment_restore",
    "copies_left",
    "distribution_check_voidable",
    "distribution_confirm",
    "distribution_confirm_for",
    "distribution_issue",
    "distribution_void",
    "endorsement_add",
    "endorsement_remove",
    "isbn_check",
    "like_toggle",
    "progress_update",
    "purchase_check_editable",
    "purchase_check_open",
    "purchase_record",
    "purchase_update",
    "purchase_void",
    "recommendation_save",
    "reflection_create",
    "reflection_feature",
    "reflection_hide",
    "reflection_restore",
    "reflection_unfeature",
    "reflection_update",
    "require_editable",
    "require_phase",
]
