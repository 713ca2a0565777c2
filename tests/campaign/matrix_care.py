"""Expected status per URL name, method and persona for the 关爱慰问 pages (issue 13, point 5).

Columns: anonymous, staff, member, leader, secretary. POST is sent with no data. The secretary
recorded a visit to the staff member (so the leader, not its recorder, may not correct it); the
member reported two colleagues in hospital, both still open: one for recording a visit, one for
closing. Visits and reports are the secretary's and the leaders' (403 for everyone else); anyone
of the branch sends the report form (a POST with no data shows it again with its errors).
"""

from typing import Any

A = 302  # anonymous: to the sign-in page
OFFICERS_PAGE = (A, 403, 403, 200, 200)
OFFICERS = {"GET": OFFICERS_PAGE, "POST": (A, 403, 403, 405, 405)}
OFFICERS_FORM = {"GET": OFFICERS_PAGE, "POST": OFFICERS_PAGE}
SECRETARY_FORM = {"GET": (A, 403, 403, 403, 200), "POST": (A, 403, 403, 403, 200)}
BRANCH_FORM = {"GET": (A, 200, 200, 200, 200), "POST": (A, 200, 200, 200, 200)}

EXPECTED: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    "campaign:care_visit_list": OFFICERS,
    "campaign:care_visit_create": OFFICERS_FORM,
    "campaign:care_visit_detail": OFFICERS,
    "campaign:care_visit_edit": SECRETARY_FORM,
    "campaign:care_report_list": OFFICERS,
    "campaign:care_report_create": BRANCH_FORM,
    "campaign:care_report_visit": OFFICERS_FORM,
    "campaign:care_report_close": SECRETARY_FORM,
}


def url_kwargs(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from campaign import services
    from tests.campaign.factories import FORTRESS_DAY

    branch, secretary, leader = ctx["branch"], ctx["secretary"], ctx["leader"]
    visit = services.care_visit_create(
        branch=branch,
        data={
            "person": ctx["staff"],
            "reason": "hospital",
            "visited_on": FORTRESS_DAY,
            "gifts": "鲜花、水果",
            "notes": "阑尾炎手术后恢复良好",
        },
        visitors=[secretary, leader],
        by=secretary,
    )
    to_visit, to_close = (
        services.illness_report_create(
            branch=branch,
            data={"person": ctx["staff"], "hospital": "自治区人民医院", "note": "住院观察"},
            by=ctx["member"],
        )
        for _ in range(2)
    )
    return {
        "campaign:care_visit_detail": {"pk": visit.pk},
        "campaign:care_visit_edit": {"pk": visit.pk},
        "campaign:care_report_visit": {"pk": to_visit.pk},
        "campaign:care_report_close": {"pk": to_close.pk},
    }
