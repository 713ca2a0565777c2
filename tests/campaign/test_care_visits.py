"""Recording and correcting 关爱慰问 visits: the form (bad amounts and dates refused at their field
in Chinese, the input kept, nothing saved), the services' own checks, the audit trail of a
correction, the list's filter, the 台账's columns (情况记录 for the secretary only, formula-safe)
and the same queries for 3 and 40 rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import CareVisit, IllnessReport
from members.models import AuditEntry, Role
from tests.exports import read_export
from tests.factories import make_branch, make_department, make_person

from .factories import FORTRESS_DAY
from .test_care import NOTES, make_report, make_visit

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

VISITS = reverse("campaign:care_visit_list")
CREATE = reverse("campaign:care_visit_create")
REPORTS = reverse("campaign:care_report_list")


def _post(person, visitors, **data):
    values = {
        "person": str(person.pk),
        "reason": "hospital",
        "visited_on": "2011-02-22",
        "visitors": [str(p.pk) for p in visitors],
        "gifts": "鲜花、水果、营养品",
        "amount": "500",
        "notes": NOTES,
        "follow_up_on": "2011-03-08",
    }
    values.update(data)
    return {k: v for k, v in values.items() if v is not None}


def test_the_secretary_records_a_visit(secretary_client, branch, secretary, leader, staff):
    response = secretary_client.post(CREATE, _post(staff, [secretary, leader]))
    visit = CareVisit.objects.get()
    assert response["Location"] == reverse("campaign:care_visit_detail", args=[visit.pk])
    assert (visit.branch, visit.person, visit.reason) == (branch, staff, "hospital")
    assert visit.visited_on == dt.date(2011, 2, 22) and visit.follow_up_on == dt.date(2011, 3, 8)
    assert visit.amount == Decimal("500.00") and visit.gifts == "鲜花、水果、营养品"
    assert set(visit.visitors.all()) == {secretary, leader} and visit.recorded_by == secretary
    entry = AuditEntry.objects.get(action="登记关爱慰问", actor=secretary)
    assert entry.detail == "慰问人：李总、王书记"
    html = secretary_client.get(response["Location"]).content.decode()
    assert "已登记对王职工的慰问" in html and NOTES in html and "500.00 元" in html


def test_a_leader_records_a_visit_without_gifts_or_money(leader_client, leader, member):
    data = _post(member, [leader], reason="retirement", gifts="", amount="", notes="")
    data.pop("follow_up_on")
    assert leader_client.post(CREATE, data).status_code == 302
    visit = CareVisit.objects.get()
    assert visit.amount is None and visit.follow_up_on is None and visit.recorded_by == leader


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额须大于 0。"),
        ("-50", "金额须大于 0。"),
        ("五百元", "慰问金（元）请填写数字，例如 28.50。"),
        ("1000000000000", "单笔金额不能超过 99,999,999.99 元，请核对。"),
        ("12.345", "金额最多保留两位小数（精确到分）。"),
        ("NaN", "慰问金（元）请填写数字，例如 28.50。"),
    ],
)
def test_bad_amounts_are_refused_at_the_field(secretary_client, secretary, staff, amount, message):
    response = secretary_client.post(CREATE, _post(staff, [secretary], amount=amount))
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [message]
    html = response.content.decode()
    assert message in html and "鲜花、水果、营养品" in html and NOTES in html  # input kept
    assert not CareVisit.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"visited_on": "tomorrow"}, "visited_on", "慰问日期不能晚于今天。"),
        ({"visited_on": "2011-13-40"}, "visited_on", "慰问日期请按“年-月-日”填写"),
        ({"visited_on": ""}, "visited_on", "请填写慰问日期。"),
        ({"follow_up_on": "2011-02-21"}, "follow_up_on", "回访日期不能早于慰问日期。"),
        ({"follow_up_on": "9999-12-31"}, "follow_up_on", "回访日期须在 2000年1月1日 至"),
        ({"reason": ""}, "reason", "请选择慰问原因。"),
        ({"reason": "wedding"}, "reason", "所选慰问原因不在可选范围内，请重新选择。"),
        ({"person": ""}, "person", "请选择慰问对象。"),
        ({"visitors": []}, "visitors", "请选择慰问人。"),
        ({"gifts": "花" * 201}, "gifts", "慰问品最多 200 个字，现在是 201 个字。"),
        ({"notes": "记" * 2001}, "notes", "情况记录最多 2000 个字，现在是 2001 个字。"),
    ],
)
def test_bad_input_is_refused_at_its_field(
    secretary_client, secretary, staff, data, field, message
):
    if data.get("visited_on") == "tomorrow":
        data = {"visited_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}
    response = secretary_client.post(CREATE, {**_post(staff, [secretary]), **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not CareVisit.objects.exists()
    if field != "gifts":
        assert "鲜花、水果、营养品" in response.content.decode()


def test_a_follow_up_may_lie_ahead(secretary_client, secretary, staff):
    ahead = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = secretary_client.post(
        CREATE,
        _post(staff, [secretary], visited_on=timezone.localdate().isoformat(), follow_up_on=ahead),
    )
    assert response.status_code == 302 and CareVisit.objects.get().follow_up_on.isoformat() == ahead


def test_people_of_another_branch_are_refused(secretary_client, secretary, staff):
    outsider = make_person(make_branch(), (Role.LEADER,))
    response = secretary_client.post(CREATE, _post(outsider, [secretary, outsider]))
    errors = response.context["form"].errors
    assert errors["person"] == ["所选慰问对象不在可选范围内，请重新选择。"]
    assert errors["visitors"] == ["所选慰问人不在可选范围内，请重新选择。"]
    assert not CareVisit.objects.exists()


def test_the_services_refuse_what_the_forms_refuse(branch, secretary, member, staff):
    outsider = make_person(make_branch(), (Role.STAFF,))
    base = {"person": staff, "reason": "hospital", "visited_on": FORTRESS_DAY}
    cases = [
        ({"amount": Decimal("0")}, [secretary], secretary, "amount"),
        ({"amount": 12.5}, [secretary], secretary, "amount"),  # a float cannot hold cents
        ({"amount": "10000000000000"}, [secretary], secretary, "amount"),
        ({"follow_up_on": FORTRESS_DAY - dt.timedelta(days=1)}, [secretary], secretary, None),
        ({"visited_on": timezone.localdate() + dt.timedelta(days=1)}, [secretary], secretary, None),
        ({"person": outsider}, [secretary], secretary, "person"),
        ({}, [outsider], secretary, "visitors"),
        ({}, [], secretary, "visitors"),
        ({}, [member], member, None),  # a member may not record visits
    ]
    for data, visitors, by, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.care_visit_create(
                branch=branch, data={**base, **data}, visitors=visitors, by=by
            )
        if field:
            assert field in exc.value.message_dict, (data, exc.value)
    with pytest.raises(ValidationError) as exc:
        services.care_visit_create(
            branch=branch,
            data={**base, "follow_up_on": FORTRESS_DAY - dt.timedelta(days=1)},
            visitors=[secretary],
            by=secretary,
        )
    assert exc.value.message_dict == {"follow_up_on": ["回访日期不能早于慰问日期。"]}
    assert not CareVisit.objects.exists()


def test_a_correction_keeps_old_and_new_but_not_the_notes(
    secretary_client, branch, secretary, leader, staff
):
    visit = make_visit(branch, secretary, staff, [secretary])
    url = reverse("campaign:care_visit_edit", args=[visit.pk])
    form = secretary_client.get(url).context["form"]
    assert form["person"].value() == str(staff.pk) and form["notes"].value() == NOTES
    assert form["visitors"].value() == [str(secretary.pk)]
    data = _post(
        staff,
        [secretary, leader],
        visited_on=FORTRESS_DAY.isoformat(),
        gifts="水果",
        amount="500.00",
        notes="出院回家休养",
        follow_up_on="",
    )
    assert secretary_client.post(url, data).status_code == 302
    detail = AuditEntry.objects.get(action="修改关爱慰问").detail
    assert "慰问品：鲜花、水果 → 水果" in detail and "慰问人：王书记 → 李总、王书记" in detail
    assert "情况记录：已修改" in detail and NOTES not in detail and "出院回家" not in detail
    assert "慰问金" not in detail  # 500 and 500.00 are the same amount
    visit.refresh_from_db()
    assert visit.notes == "出院回家休养" and visit.gifts == "水果"
    # a visit answering a report keeps its person
    report = make_report(branch, staff, leader)
    answer = services.care_visit_create(
        branch=branch,
        data={"person": leader, "reason": "hospital", "visited_on": FORTRESS_DAY},
        visitors=[secretary],
        by=secretary,
        report=report,
    )
    edit = reverse("campaign:care_visit_edit", args=[answer.pk])
    response = secretary_client.post(edit, _post(staff, [secretary]))
    assert response.context["form"].errors["person"] == [
        "这次慰问答复了住院报告，慰问对象不能更改。"
    ]


def test_the_form_groups_people_with_the_team_first(secretary_client, branch, secretary, leader):
    delivery = make_department(branch, "配送部")
    make_person(branch, full_name="马玉兰", department=delivery, position="药品配送员")
    response = secretary_client.get(CREATE)
    form = response.context["form"]
    assert form.people_groups()[0].label == "领导班子及支委"
    person_groups = dict(form.fields["person"].choices[1:])
    assert [label for _pk, label in person_groups["配送部"]] == ["马玉兰（药品配送员）"]
    html = response.content.decode()
    assert '<optgroup label="配送部">' in html and 'name="visitors"' in html
    assert form["visited_on"].value() == timezone.localdate()


# --- The list, its filter and its 台账 ---------------------------------------------------------


@pytest.fixture
def three_visits(branch, secretary, leader, staff, member):
    someone = make_person(branch, (Role.STAFF,), full_name="杜红")
    make_visit(branch, secretary, staff, [secretary, leader], visited_on=dt.date(2011, 2, 22))
    make_visit(
        branch,
        secretary,
        someone,
        [secretary],
        reason="festival",
        visited_on=dt.date(2011, 1, 30),
        gifts='=HYPERLINK("http://x","点此")',
        amount=Decimal("300.00"),
    )
    make_visit(
        branch, leader, member, [leader], reason="retirement", visited_on=dt.date(2010, 12, 31)
    )


def _names(response) -> list[str]:
    return [v.person.full_name for v in response.context["page"]]


def test_the_filter_narrows_the_list(leader_client, three_visits):
    assert _names(leader_client.get(VISITS)) == ["王职工", "杜红", "陈党员"]
    assert _names(leader_client.get(f"{VISITS}?reason=festival")) == ["杜红"]
    assert _names(leader_client.get(f"{VISITS}?q=杜")) == ["杜红"]
    response = leader_client.get(f"{VISITS}?since=2011-01-01&until=2011-01-31")
    assert _names(response) == ["杜红"]
    assert response.context["totals"] == {"n": 1, "amount": Decimal("300.00")}
    assert "共 1 次慰问，慰问金合计 300.00 元" in response.content.decode()
    response = leader_client.get(f"{VISITS}?since=2011-99-01")
    assert response.status_code == 200 and response.context["filter"].form.errors["since"]


VISIT_COLUMNS = ["慰问日期", "慰问对象", "部门", "慰问原因", "慰问人", "慰问品", "慰问金（元）"]


def test_the_export_carries_the_notes_for_the_secretary_only(
    secretary_client, leader_client, branch, three_visits
):
    sheet = read_export(secretary_client.get(f"{VISITS}?format=xlsx"), branch=branch)
    assert sheet.headers == [*VISIT_COLUMNS, "情况记录", "回访日期", "登记人"]
    assert sheet.column("慰问对象") == ["王职工", "杜红", "陈党员"]
    assert sheet.column("慰问人")[0] == "李总、王书记"
    assert sheet.column("慰问金（元）") == [500, 300, 500]
    assert sheet.column("情况记录") == [NOTES] * 3
    assert sheet.column("慰问品")[1] == '=HYPERLINK("http://x","点此")'
    assert sheet.cell_type("慰问品", 1) == "s"  # text, never a formula
    assert "共 3 次慰问，慰问金合计 1300.00 元。" in sheet.text()
    sheet = read_export(leader_client.get(f"{VISITS}?format=xlsx&reason=festival"))
    assert sheet.headers == [*VISIT_COLUMNS, "回访日期", "登记人"]
    assert sheet.column("慰问对象") == ["杜红"]
    assert NOTES not in sheet.text() and "只在支部书记导出的台账中" in sheet.text()
    assert AuditEntry.objects.filter(action="导出Excel").count() == 2


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)  # warm up: per-process caches are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(branch, secretary, leader, n):
    department = make_department(branch)
    for i in range(n):
        person = make_person(branch, (Role.STAFF,), department=department)
        make_visit(branch, secretary, person, [secretary, leader, person])
        make_report(branch, person, person, days_ago=10)  # late
        make_report(branch, person, leader, days_ago=1)  # waiting
        answered = make_report(branch, person, secretary, days_ago=3)
        services.care_visit_create(
            branch=branch,
            data={"person": secretary, "reason": "hospital", "visited_on": FORTRESS_DAY},
            visitors=[leader],
            by=leader,
            report=answered,
        )
        if i % 2:
            closed = make_report(branch, person, person, days_ago=2)
            services.illness_report_close(report=closed, reason="已出院", by=secretary)


@pytest.mark.parametrize("which", ["visits", "export", "reports", "detail", "create", "report"])
def test_pages_run_the_same_queries_for_3_and_40_rows(
    secretary_client, branch, secretary, leader, which
):
    def url():
        visit = CareVisit.objects.order_by("pk").first()
        return {
            "visits": VISITS,
            "export": f"{VISITS}?format=xlsx",
            "reports": REPORTS,
            "detail": reverse("campaign:care_visit_detail", args=[visit.pk]),
            "create": CREATE,
            "report": reverse("campaign:care_report_create"),
        }[which]

    _grow(branch, secretary, leader, 3)
    small = _queries(secretary_client, url())
    _grow(branch, secretary, leader, 37)
    assert IllnessReport.objects.late().count() == 40
    large = _queries(secretary_client, url())
    assert small == large <= 10, (small, large)
