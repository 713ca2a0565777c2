"""Reads for the 关爱慰问 pages: one function per page, keyword-only, a constant number of queries
whatever the number of visits or reports (tests/campaign/test_care.py asserts it for 3 and 40
rows). Who may read them is campaign.rules_care; the callers have checked it. Never imports the
services.

The 7-day rule (VISIT_WITHIN_DAYS) is the model's (IllnessReport.objects.late()), asked here and
not re-derived.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.hooks import Task
from members.models import Branch, User

from .models import CareVisit, IllnessReport
from .rules_care import manages_care
from .selectors_fortress import MoneySum

ZERO = Decimal("0.00")


def visit_list(*, branch: Branch) -> QuerySet[CareVisit]:
    """Visits, newest first (the index carevisit_list_idx), with the person's department, the
    recorder and the visitors (prefetched, in name order)."""
    return (
        CareVisit.objects.filter(branch=branch)
        .select_related("person__department", "recorded_by")
        .prefetch_related(Prefetch("visitors", queryset=User.objects.order_by("full_name", "pk")))
        .order_by("-visited_on", "-pk")
    )


def visit_totals(visits: QuerySet[CareVisit]) -> dict[str, Any]:
    """How many visits the filters keep and their 慰问金, summed by the database: one query."""
    totals = visits.order_by().aggregate(n=Count("pk"), amount=MoneySum("amount"))
    return {"n": totals["n"], "amount": totals["amount"] or ZERO}


def visit_detail(*, visit: CareVisit) -> dict[str, Any]:
    """A visit's visitors (department order) and the 住院报告 it answers."""
    return {
        "visitors": list(
            visit.visitors.select_related("department").order_by(
                "department__order", "full_name", "pk"
            )
        ),
        "reports": list(visit.reports.select_related("reported_by").order_by("reported_on", "pk")),
    }


def _reports(branch: Branch) -> QuerySet[IllnessReport]:
    return IllnessReport.objects.filter(branch=branch).select_related(
        "person__department", "reported_by"
    )


def _waited(reports: QuerySet[IllnessReport], today: dt.date) -> list[IllnessReport]:
    rows = list(reports)
    for report in rows:
        report.days_waiting = (today - report.reported_on).days
    return rows


def report_board(*, branch: Branch, today: dt.date | None = None) -> dict[str, Any]:
    """The 住院报告 page: those not visited within VISIT_WITHIN_DAYS (`late`, longest waiting
    first), then the other open ones (`waiting`), then the handled ones (visited or closed,
    newest first: a queryset the view pages through). Three queries."""
    today = today or timezone.localdate()
    late = _reports(branch).late(today)
    waiting = _reports(branch).not_visited().exclude(pk__in=late.values("pk"))
    handled = (
        _reports(branch)
        .filter(Q(visit__isnull=False) | Q(closed=True))
        .select_related("visit")
        .order_by("-reported_on", "-pk")
    )
    return {
        "late": _waited(late.order_by("reported_on", "pk"), today),
        "waiting": _waited(waiting.order_by("reported_on", "pk"), today),
        "handled": handled,
    }


def late_count(*, branch: Branch, today: dt.date | None = None) -> int:
    """How many reports wait longer than VISIT_WITHIN_DAYS for a visit: one query."""
    return IllnessReport.objects.filter(branch=branch).late(today).count()


def reports_by(*, user: User, limit: int = 10) -> list[IllnessReport]:
    """The reporter's own latest reports (the report page shows them, without health details:
    nobody reads another's reports there)."""
    return list(
        IllnessReport.objects.filter(reported_by=user, branch_id=user.branch_id)
        .select_related("person")
        .order_by("-reported_on", "-pk")[:limit]
    )


def care_tasks(*, user: User, today: dt.date | None = None) -> list[Task]:
    """The secretary's 待办 of 关爱慰问: colleagues in hospital not visited within the week
    (urgent), and new reports to answer. One query; none for anyone else. For campaign/tasks.py."""
    if not manages_care(user, user.branch_id):
        return []
    today = today or timezone.localdate()
    late = IllnessReport.objects.late(today).filter(branch_id=user.branch_id)
    counts = (
        IllnessReport.objects.filter(branch_id=user.branch_id)
        .not_visited()
        .aggregate(n_open=Count("pk"), n_late=Count("pk", filter=Q(pk__in=late.values("pk"))))
    )
    url = reverse("campaign:care_report_list")
    tasks = []
    if counts["n_late"]:
        tasks.append(
            Task(
                _("%(n)d 位住院同事报告后超过一周还没有慰问") % {"n": counts["n_late"]},
                url,
                urgent=True,
            )
        )
    if counts["n_open"] > counts["n_late"]:
        tasks.append(
            Task(
                _("%(n)d 份同事住院报告待慰问") % {"n": counts["n_open"] - counts["n_late"]},
                url,
            )
        )
    return tasks
