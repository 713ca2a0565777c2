"""关爱慰问 (issue 13, point 5): who sees what, the 住院报告 and the 7-day flag, recording a visit
from a report, closing one, and health details that never reach members, staff or the audit
trail. The visit form's input, the 台账 and the query counts: test_care_visits.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign import rules_care, selectors_care, services
from campaign.models import CareVisit, IllnessReport
from members.models import AuditEntry, Role
from tests.factories import make_branch, make_person
from tests.hardening.formfill import crawl

from .factories import FORTRESS_DAY

VISITS = reverse("campaign:care_visit_list")
VISIT_CREATE = reverse("campaign:care_visit_create")
REPORTS = reverse("campaign:care_report_list")
REPORT = reverse("campaign:care_report_create")

# Health details: they must stay with the secretary and the leaders.
NOTES = "术后恢复良好，血压偏高"
HOSPITAL = "新疆医科大学第一附属医院心内科"
NOTE = "右腿骨折，需住院两周"
CLOSE = "已出院，家属谢绝探望"
HEALTH = (NOTES, HOSPITAL, NOTE, CLOSE)


def make_visit(branch, by, person, visitors=None, **data) -> CareVisit:
    defaults = {
        "person": person,
        "reason": CareVisit.Reason.HOSPITAL,
        "visited_on": FORTRESS_DAY,
        "gifts": "鲜花、水果",
        "amount": Decimal("500.00"),
        "notes": NOTES,
        "follow_up_on": None,
    }
    return services.care_visit_create(
        branch=branch, data={**defaults, **data}, visitors=visitors or [by], by=by
    )


def make_report(branch, by, person, days_ago: int = 0, **data) -> IllnessReport:
    return services.illness_report_create(
        branch=branch,
        data={"person": person, "hospital": HOSPITAL, "note": NOTE, **data},
        by=by,
        reported_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def _visit_url(name: str, obj) -> str:
    return reverse(f"campaign:{name}", args=[obj.pk])


# --- Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "member"])
def test_staff_and_members_get_403_on_visit_and_report_pages(
    persona, personas, branch, secretary, leader, staff
):
    visit = make_visit(branch, secretary, staff, [secretary, leader])
    report = make_report(branch, leader, staff)
    client = personas[persona]
    urls = [
        VISITS,
        f"{VISITS}?format=xlsx",
        VISIT_CREATE,
        _visit_url("care_visit_detail", visit),
        _visit_url("care_visit_edit", visit),
        REPORTS,
        _visit_url("care_report_visit", report),
        _visit_url("care_report_close", report),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    assert client.get(REPORT).status_code == 200  # the one page they have
    assert CareVisit.objects.count() == 1 and not IllnessReport.objects.get().closed


def test_the_rules(branch, secretary, leader, member, staff):
    other_leader = make_person(branch, (Role.LEADER, Role.MEMBER))
    visit = make_visit(branch, leader, staff)
    report = make_report(branch, staff, member)
    outsider = make_person(make_branch(), (Role.SECRETARY, Role.MEMBER))
    for user, sees in [
        (secretary, True),
        (leader, True),
        (member, False),
        (staff, False),
        (outsider, False),
    ]:
        assert rules_care.sees_care(user, branch.pk) is sees, user
        assert rules_care.may_report_illness(user, branch.pk) is (user is not outsider)
    assert rules_care.may_edit_visit(secretary, visit) and rules_care.may_edit_visit(leader, visit)
    assert not rules_care.may_edit_visit(other_leader, visit)
    assert not rules_care.may_edit_visit(outsider, visit)
    assert rules_care.may_close_report(secretary, report)
    assert not rules_care.may_close_report(leader, report)
    assert rules_care.exports_care_notes(secretary, branch.pk)
    assert not rules_care.exports_care_notes(leader, branch.pk)
    leader.is_active = False
    assert not rules_care.sees_care(leader, branch.pk)
    assert not rules_care.may_edit_visit(leader, visit)


def test_objects_of_another_branch_are_not_found(secretary_client, leader_client):
    elsewhere = make_branch()
    other = make_person(elsewhere, (Role.SECRETARY, Role.MEMBER))
    visit = make_visit(elsewhere, other, other)
    report = make_report(elsewhere, other, other)
    for client in (secretary_client, leader_client):
        for name, obj in [
            ("care_visit_detail", visit),
            ("care_visit_edit", visit),
            ("care_report_visit", report),
        ]:
            assert client.get(_visit_url(name, obj)).status_code == 404, name
    assert secretary_client.get(_visit_url("care_report_close", report)).status_code == 404
    response = secretary_client.post(_visit_url("care_report_close", report), {"reason": CLOSE})
    assert response.status_code == 404
    assert not IllnessReport.objects.get().closed
    html = (
        secretary_client.get(VISITS).content.decode()
        + secretary_client.get(REPORTS).content.decode()
    )
    assert NOTES not in html and HOSPITAL not in html


def test_leaders_read_every_visit_and_correct_only_their_own(
    leader_client, secretary_client, branch, secretary, leader, staff
):
    by_secretary = make_visit(branch, secretary, staff, [secretary, leader])
    html = leader_client.get(_visit_url("care_visit_detail", by_secretary)).content.decode()
    assert NOTES in html and "王书记" in html and "李总" in html
    assert _visit_url("care_visit_edit", by_secretary) not in html
    assert leader_client.get(_visit_url("care_visit_edit", by_secretary)).status_code == 403
    by_leader = make_visit(branch, leader, staff, reason=CareVisit.Reason.HARDSHIP)
    edit = _visit_url("care_visit_edit", by_leader)
    assert edit in leader_client.get(_visit_url("care_visit_detail", by_leader)).content.decode()
    assert leader_client.get(edit).status_code == 200
    assert secretary_client.get(edit).status_code == 200  # the secretary corrects any visit


# --- 同事住院 ---------------------------------------------------------------------------------


def test_the_reporter_gets_a_confirmation_and_sees_only_his_own_reports(
    staff_client, branch, staff, member, leader
):
    make_report(branch, member, leader, note="别人报告的情况")
    colleague = make_person(branch, (Role.STAFF,), full_name="马师傅")
    data = {"person": str(colleague.pk), "hospital": HOSPITAL, "note": NOTE}
    response = staff_client.post(REPORT, data)
    assert response.status_code == 302 and response["Location"] == REPORT
    report = IllnessReport.objects.get(reported_by=staff)
    assert (report.person, report.hospital, report.note) == (colleague, HOSPITAL, NOTE)
    assert report.reported_on == timezone.localdate() and report.branch == branch
    html = staff_client.get(REPORT).content.decode()
    assert "已把马师傅住院的消息报告给支部书记" in html
    assert "我报告过的" in html and "已转告支部书记" in html
    assert HOSPITAL not in html and NOTE not in html and "别人报告的情况" not in html
    assert "李总" in html  # offered in the select, never as someone's report
    assert html.count("已转告支部书记") == 1
    assert f'href="{REPORTS}"' not in html  # no link to the reports list
    assert not AuditEntry.objects.exists()  # staff's reports are not secretary/leader actions


def test_a_report_names_a_person_of_the_branch(member_client):
    outsider = make_person(make_branch(), (Role.STAFF,))
    response = member_client.post(REPORT, {"person": str(outsider.pk), "hospital": HOSPITAL})
    assert response.context["form"].errors["person"] == ["所选住院同事不在可选范围内，请重新选择。"]
    assert HOSPITAL in response.content.decode()  # what was typed is kept
    response = member_client.post(REPORT, {"person": "", "hospital": "医" * 101})
    errors = response.context["form"].errors
    assert errors["person"] == ["请选择住院同事。"]
    assert errors["hospital"] == ["医院/病区最多 100 个字，现在是 101 个字。"]
    assert not IllnessReport.objects.exists()


# --- The 7-day flag -----------------------------------------------------------------------------


def test_a_report_not_visited_for_more_than_seven_days_stands_out(
    leader_client, branch, secretary, leader, staff, member
):
    people = {name: make_person(branch, (Role.STAFF,), full_name=name) for name in "甲乙丙丁戊"}
    late = make_report(branch, staff, people["甲"], days_ago=8)
    week = make_report(branch, staff, people["乙"], days_ago=7)
    recent = make_report(branch, staff, people["丙"], days_ago=6)
    visited = make_report(branch, staff, people["丁"], days_ago=8)
    services.care_visit_create(
        branch=branch,
        data={"person": people["丁"], "reason": "hospital", "visited_on": timezone.localdate()},
        visitors=[leader],
        by=leader,
        report=visited,
    )
    closed = make_report(branch, staff, people["戊"], days_ago=9)
    services.illness_report_close(report=closed, reason=CLOSE, by=secretary)
    assert list(IllnessReport.objects.late()) == [late]
    response = leader_client.get(REPORTS)
    assert [r.pk for r in response.context["late"]] == [late.pk]
    assert response.context["late"][0].days_waiting == 8
    assert [r.pk for r in response.context["waiting"]] == [week.pk, recent.pk]
    assert {r.pk for r in response.context["page"]} == {visited.pk, closed.pk}
    html = response.content.decode()
    assert (
        html.index("超过 7 天未慰问") < html.index("甲") < html.index("待慰问") < html.index("乙")
    )
    assert "list-group-item-danger" in html and CLOSE in html
    # the leader records a visit from a report; only the secretary closes one
    assert _visit_url("care_report_visit", late) in html
    assert _visit_url("care_report_close", late) not in html
    assert leader_client.get(VISITS).context["n_late"] == 1


def test_the_secretary_has_a_task_for_late_reports(branch, secretary, leader, staff):
    make_report(branch, staff, leader, days_ago=8)
    make_report(branch, staff, secretary, days_ago=1)
    tasks = selectors_care.care_tasks(user=secretary)
    assert [(t.text, t.urgent) for t in tasks] == [
        ("1 位住院同事报告后超过一周还没有慰问", True),
        ("1 份同事住院报告待慰问", False),
    ]
    assert all(t.url == REPORTS for t in tasks)
    assert selectors_care.care_tasks(user=leader) == []


# --- Recording a visit from a report, closing a report ----------------------------------------


def test_recording_a_visit_from_a_report_links_it(
    secretary_client, branch, secretary, leader, staff
):
    report = make_report(branch, staff, leader, days_ago=8)
    url = _visit_url("care_report_visit", report)
    response = secretary_client.get(url)
    form = response.context["form"]
    assert form["person"].value() == str(leader.pk) and form["reason"].value() == "hospital"
    assert form["visited_on"].value() == timezone.localdate()
    assert HOSPITAL in response.content.decode()  # the secretary reads the report
    data = {
        "person": str(leader.pk),
        "reason": "hospital",
        "visited_on": timezone.localdate().isoformat(),
        "visitors": [str(secretary.pk)],
        "gifts": "水果",
        "amount": "300",
    }
    response = secretary_client.post(url, data)
    visit = CareVisit.objects.get()
    assert response["Location"] == _visit_url("care_visit_detail", visit)
    report.refresh_from_db()
    assert report.visit == visit and not report.closed
    assert not IllnessReport.objects.late().exists()
    assert "答复住院报告" in AuditEntry.objects.get(action="登记关爱慰问").detail
    assert HOSPITAL in secretary_client.get(response["Location"]).content.decode()
    again = secretary_client.get(url)  # answered already: to the visit
    assert again.status_code == 302 and again["Location"] == response["Location"]
    with pytest.raises(ValidationError, match="已经登记过慰问"):
        services.care_visit_create(
            branch=branch,
            data={"person": leader, "reason": "hospital", "visited_on": FORTRESS_DAY},
            visitors=[secretary],
            by=secretary,
            report=report,  # not a second answer to the same report
        )
    assert CareVisit.objects.count() == 1


def test_a_visit_answering_a_report_is_for_its_person(secretary_client, branch, secretary, staff):
    report = make_report(branch, secretary, staff)
    data = {
        "person": str(secretary.pk),
        "reason": "hospital",
        "visited_on": timezone.localdate().isoformat(),
        "visitors": [str(secretary.pk)],
    }
    response = secretary_client.post(_visit_url("care_report_visit", report), data)
    assert response.context["form"].errors["person"] == [
        "这次慰问答复的是王职工的住院报告，慰问对象须为王职工。"
    ]
    assert not CareVisit.objects.exists()
    report.refresh_from_db()
    assert report.visit is None


def test_closing_a_report_needs_a_reason(
    secretary_client, leader_client, branch, secretary, staff, member
):
    report = make_report(branch, member, staff)
    url = _visit_url("care_report_close", report)
    for reason in ("", "   "):
        response = secretary_client.post(url, {"reason": reason})
        assert response.context["form"].errors["reason"] == ["请填写关闭原因。"]
    with pytest.raises(ValidationError) as exc:
        services.illness_report_close(report=report, reason=" ", by=secretary)
    assert exc.value.message_dict["reason"] == ["请写明关闭原因，例如：已出院，家属谢绝探望。"]
    response = secretary_client.post(url, {"reason": "原" * 201})
    assert response.context["form"].errors["reason"] == ["关闭原因最多 200 个字，现在是 201 个字。"]
    assert leader_client.post(url, {"reason": CLOSE}).status_code == 403
    report.refresh_from_db()
    assert not report.closed
    response = secretary_client.post(url, {"reason": CLOSE})
    assert response.status_code == 302 and response["Location"] == REPORTS
    report.refresh_from_db()
    assert report.closed and report.close_reason == CLOSE
    entry = AuditEntry.objects.get(action="关闭住院报告")
    assert CLOSE not in entry.detail
    # closed: nothing more to answer or close
    assert secretary_client.get(url)["Location"] == REPORTS
    assert secretary_client.get(_visit_url("care_report_visit", report))["Location"] == REPORTS
    with pytest.raises(ValidationError, match="已经关闭"):
        services.illness_report_close(report=report, reason=CLOSE, by=secretary)


# --- Health details -----------------------------------------------------------------------------


def test_health_details_never_reach_a_members_or_a_staff_page(
    personas, branch, secretary, leader, member, staff
):
    visit = make_visit(branch, secretary, member, [secretary, leader])
    report = make_report(branch, staff, member)
    services.care_visit_update(
        visit=visit,
        data={
            "person": member,
            "reason": "hospital",
            "visited_on": FORTRESS_DAY,
            "notes": NOTES + "（复查）",
        },
        visitors=[secretary],
        by=secretary,
    )
    closed = make_report(branch, member, staff)
    services.illness_report_close(report=closed, reason=CLOSE, by=secretary)
    for persona in ("member", "staff"):
        client = personas[persona]
        pages: list[str] = []
        problems: list[str] = []
        start = [reverse("home"), REPORT, VISITS, REPORTS]
        start.append(_visit_url("care_visit_detail", visit))
        start.append(_visit_url("care_report_visit", report))
        crawl(client, start, limit=60, problems=problems, who=persona, pages=pages)
        assert not problems and REPORT in pages and len(pages) >= 10, pages
        for url in [*pages, *start]:
            html = client.get(url).content.decode()
            for text in HEALTH:
                assert text not in html, (persona, url, text)
    # … and the audit trail names what was done, never the health details
    make_report(branch, leader, staff)
    assert AuditEntry.objects.filter(action="报告同事住院").count() == 1  # the leader's
    for entry in AuditEntry.objects.all():
        shown = f"{entry.action} {entry.object_repr} {entry.detail}"
        assert not any(text in shown for text in HEALTH), shown
    assert "情况记录：已修改" in AuditEntry.objects.get(action="修改关爱慰问").detail
