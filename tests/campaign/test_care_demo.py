"""The demo's 关爱慰问 (campaign/demo_care.py): the seed report's hospital visit answering a
colleague's report, a festival visit, one report late for a visit; a second run adds nothing."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from campaign.demo_care import seed_care
from campaign.models import CareVisit, IllnessReport
from members import demo as members_demo
from members.hooks import Demo
from members.models import AuditEntry


def _seeded() -> tuple[Demo, list[str]]:
    demo = Demo(password="Demo-pass-2011", story_today=members_demo.STORY_TODAY)
    members_demo.seed(demo)
    return demo, seed_care(demo.branch, demo.people, day=demo.day)


def test_the_demo_tells_the_seed_reports_story(db):
    demo, loaded = _seeded()
    assert loaded == ["关爱慰问 2 次", "住院报告 1 份待慰问"]
    hospital = CareVisit.objects.get(reason=CareVisit.Reason.HOSPITAL)
    assert hospital.person.full_name == "蒋大勇" and hospital.amount == Decimal("500.00")
    assert hospital.gifts and hospital.notes and hospital.visited_on == demo.day("2011-02-22")
    visitors = {p.username for p in hospital.visitors.all()}
    assert visitors == {"secretary", "leader", "xt004"}  # the leadership team
    report = hospital.reports.get()
    assert report.reported_by.full_name == "古丽娜尔" and report.reported_on < hospital.visited_on
    festival = CareVisit.objects.get(reason=CareVisit.Reason.FESTIVAL)
    assert festival.person.full_name == "杜红" and festival.amount == Decimal("300.00")
    late = IllnessReport.objects.late().get()
    assert late.person.full_name == "阿依古丽" and late.reported_by.username == "staff"
    assert (timezone.localdate() - late.reported_on).days == 9
    assert AuditEntry.objects.filter(action="登记关爱慰问").count() == 2


def test_a_second_run_adds_nothing(db):
    _seeded()
    before = (CareVisit.objects.count(), IllnessReport.objects.count(), AuditEntry.objects.count())
    _demo, loaded = _seeded()
    after = (CareVisit.objects.count(), IllnessReport.objects.count(), AuditEntry.objects.count())
    assert before == after == (2, 2, after[2]) and loaded == [
        "关爱慰问 2 次",
        "住院报告 1 份待慰问",
    ]
