"""Who may see and do what with 关爱慰问 (campaign.models.care): predicates that services,
selectors, views and templates all ask. Below the services: imports no services, no selectors,
no views.

The roles, from issue 13 (point 5):
- the secretary and the leaders read every visit and every 住院报告 of the branch, health details
  included (a visit's 情况记录, a report's hospital and 情况说明), and record visits;
- a visit is corrected by the secretary, or by whoever recorded it while he or she still reads
  visits (a leader);
- only the secretary closes a 住院报告 (with a reason, e.g. 已出院，家属谢绝探望);
- anyone of the branch reports "同事住院" to the secretary, and reads nothing of the others'
  reports; staff and members get 403 for the pages of visits and reports;
- the 台账 (.xlsx) of visits carries the 情况记录 column for the secretary only: a leader's copy
  leaves it out (`exports_care_notes`), since a file travels further than a page.

Every predicate also requires the object's branch to be the user's: several branches may share a
deployment. None costs a query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from members.models import User

from .rules_fortress import leads, manages_fortress

if TYPE_CHECKING:
    from .models import CareVisit, IllnessReport


def _active_in(user: User, branch_id: int | None) -> bool:
    return bool(
        user.is_authenticated and user.is_active and branch_id and user.branch_id == branch_id
    )


def manages_care(user: User, branch_id: int | None) -> bool:
    """The secretary of the branch."""
    return manages_fortress(user, branch_id)


def sees_care(user: User, branch_id: int | None) -> bool:
    """Visits and 住院报告 with their health details: the secretary and the leaders."""
    return manages_care(user, branch_id) or leads(user, branch_id)


def may_record_visit(user: User, branch_id: int | None) -> bool:
    """The secretary or a leader records a visit (also one answering a 住院报告)."""
    return sees_care(user, branch_id)


def may_edit_visit(user: User, visit: CareVisit) -> bool:
    """The secretary corrects any visit of the branch; its recorder his or her own."""
    if manages_care(user, visit.branch_id):
        return True
    return sees_care(user, visit.branch_id) and visit.recorded_by_id == user.pk


def may_report_illness(user: User, branch_id: int | None) -> bool:
    """Anyone signed in of the branch tells the secretary that a colleague is in hospital."""
    return _active_in(user, branch_id)


def may_close_report(user: User, report: IllnessReport) -> bool:
    return manages_care(user, report.branch_id)


def exports_care_notes(user: User, branch_id: int | None) -> bool:
    """Whether the visits' 台账 carries the 情况记录 column: the secretary's only."""
    return manages_care(user, branch_id)
