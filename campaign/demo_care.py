"""Demo data of 关爱慰问 (issue 13, point 5), part of seed_demo's campaign (campaign/demo.py).

From the seed report: "对于生病住院的员工，领导班子带着慰问品前来探望，详细询问病情及治疗情况"
(the branch's 践诺 of 2011年2月22日): a colleague reports that 蒋大勇 of the warehouse is in
hospital, and the leadership team visits him with gifts and a 慰问金, answering the report. Before
the Spring Festival the team visits 杜红, whose family has a hard time. And one hospitalization
reported nine days ago has had no visit yet: it stands out at the top of the 住院报告 list.

Everything goes through the services (campaign/services/care.py), as the secretary and the staff
would do it. Idempotent: a visit is found by its person and reason, a report by its person and
reporter (keys that do not move with the calendar); what exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from members.models import Branch, User

from . import services
from .models import CareVisit, IllnessReport

H = CareVisit.Reason

# The report that the visit answers, and the visit: the seed report's story.
HOSPITAL_REPORT = {
    "person": "xt028",  # 蒋大勇, 叉车司机 (仓储部)
    "reported_by": "xt011",  # 古丽娜尔, his 仓储主管
    "reported_on": "2011-02-20",
    "hospital": "新疆医科大学第一附属医院 骨科二病区",
    "note": "搬货时扭伤腰部，腰椎间盘突出，需住院治疗两周左右。",
}
VISITS: list[dict[str, Any]] = [
    {
        "person": "xt028",
        "reason": H.HOSPITAL,
        "visited_on": "2011-02-22",
        "visitors": ["secretary", "leader", "xt004"],
        "gifts": "鲜花、水果、营养品",
        "amount": Decimal("500.00"),
        "notes": "详细询问了病情和治疗情况：治疗效果好，预计月底出院。叮嘱他安心养病，"
        "仓储部的工作由同事分担。",
        "follow_up_on": "2011-03-08",
        "answers": HOSPITAL_REPORT,
    },
    {
        "person": "xt030",  # 杜红, 保洁 (综合办)
        "reason": H.FESTIVAL,
        "visited_on": "2011-01-30",
        "visitors": ["secretary", "xt003"],
        "gifts": "大米、面粉、清油",
        "amount": Decimal("300.00"),
        "notes": "春节前走访：丈夫长期患病，孩子上中学，家庭生活困难；已帮助申请困难职工补助。",
        "follow_up_on": None,
        "answers": None,
    },
]
# Reported nine days before the story's today and not visited: late (VISIT_WITHIN_DAYS).
LATE_REPORT = {
    "person": "xt023",  # 阿依古丽, 分拣员 (仓储部)
    "reported_by": "staff",  # 王小军
    "reported_on": "2011-05-07",
    "hospital": "自治区人民医院",
    "note": "下班路上摔伤，右腿骨折，住院治疗。",
}


def seed_care(
    branch: Branch, people: Mapping[str, User], *, day: Callable[[str], dt.date]
) -> list[str]:
    """The 关爱慰问 of the demo, for `branch` and its demo `people` (by username); `day` moves a
    date of the story to the demo's calendar (members.hooks.Demo.day). Returns phrases for
    seed_demo's closing line."""
    for spec in VISITS:
        _seed_visit(branch, people, day, spec)
    _seed_report(branch, people, day, LATE_REPORT)
    return [
        f"关爱慰问 {CareVisit.objects.filter(branch=branch).count()} 次",
        f"住院报告 {IllnessReport.objects.filter(branch=branch).not_visited().count()} 份待慰问",
    ]


def _seed_report(
    branch: Branch, people: Mapping[str, User], day: Callable[[str], dt.date], spec: dict
) -> IllnessReport:
    person, reporter = people[spec["person"]], people[spec["reported_by"]]
    found = IllnessReport.objects.filter(branch=branch, person=person, reported_by=reporter)
    report = found.order_by("pk").first()
    if report is None:
        report = services.illness_report_create(
            branch=branch,
            data={"person": person, "hospital": spec["hospital"], "note": spec["note"]},
            by=reporter,
            reported_on=day(spec["reported_on"]),
        )
    return report


def _seed_visit(
    branch: Branch, people: Mapping[str, User], day: Callable[[str], dt.date], spec: dict
) -> None:
    person = people[spec["person"]]
    report = _seed_report(branch, people, day, spec["answers"]) if spec["answers"] else None
    if CareVisit.objects.filter(branch=branch, person=person, reason=spec["reason"]).exists():
        return
    data = {
        "person": person,
        "reason": spec["reason"],
        "visited_on": day(spec["visited_on"]),
        "gifts": spec["gifts"],
        "amount": spec["amount"],
        "notes": spec["notes"],
        "follow_up_on": day(spec["follow_up_on"]) if spec["follow_up_on"] else None,
    }
    services.care_visit_create(
        branch=branch,
        data=data,
        visitors=[people[name] for name in spec["visitors"]],
        by=people["secretary"],
        report=report
        if report is not None and report.visit_id is None and not report.closed
        else None,
    )


__all__ = ["seed_care"]
