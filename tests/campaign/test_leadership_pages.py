"""领导班子 pages: decisions (民主集中制) and integrity records. The secretary records and corrects;
leaders and party members read; staff and other branches do not. Bad input is refused at its field
in Chinese with the input kept and nothing saved; the lists export for the secretary and run the
same queries for 3 rows as for 30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import Decision, IntegrityRecord
from members.models import AuditEntry, Role
from tests.exports import read_export
from tests.factories import make_branch, make_department, make_person

from .factories import FORTRESS_DAY, make_campaign, make_decision

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

LIST = reverse("campaign:decision_list")
CREATE = reverse("campaign:decision_create")
INTEGRITY = reverse("campaign:integrity_list")
INTEGRITY_CREATE = reverse("campaign:integrity_create")


def _integrity(branch, secretary, people, **data):
    defaults = {
        "kind": IntegrityRecord.Kind.STUDY,
        "held_on": FORTRESS_DAY,
        "title": "学习《中国共产党党员领导干部廉洁从政若干准则》",
        "note": "逐条学习，班子成员交流体会",
    }
    return services.integrity_create(
        branch=branch, data={**defaults, **data}, participants=people, by=secretary
    )


def _post(people, **data):
    values = {
        "decided_on": "2011-05-10",
        "meeting": "领导班子会议",
        "topic": "将药品配送岗位确定为党员先锋岗",
        "attendees": [str(p.pk) for p in people],
        "proposal": "支部书记提议在配送一线设立党员先锋岗",
        "discussion": "班子成员逐一发表意见，一致赞成",
        "resolution": "药品配送岗挂牌上岗",
        "method": "show_of_hands",
        "votes_for": "2",
        "votes_against": "0",
        "abstentions": "0",
    }
    values.update(data)
    return {k: v for k, v in values.items() if v is not None}


# --- Who sees what -----------------------------------------------------------------------------


def test_leaders_and_members_read_decisions_staff_may_not(
    branch, secretary, leader, member_client, leader_client, staff_client
):
    decision = make_decision(
        branch, secretary, [secretary, leader], votes_for=2, votes_against=0, abstentions=0
    )
    for client in (member_client, leader_client):
        html = client.get(LIST).content.decode()
        assert decision.topic in html and "赞成 2 · 反对 0 · 弃权 0" in html
        assert CREATE not in html and "format=xlsx" not in html
        page = client.get(decision.get_absolute_url()).content.decode()
        assert "赞成 2 票，反对 0 票，弃权 0 票" in page and "王书记" in page
        assert reverse("campaign:decision_edit", args=[decision.pk]) not in page
    assert member_client.get(f"{LIST}?format=xlsx").status_code == 403
    assert staff_client.get(LIST).status_code == 403
    assert staff_client.get(decision.get_absolute_url()).status_code == 403
    assert staff_client.get(INTEGRITY).status_code == 403


def test_another_branchs_decision_is_not_found(secretary_client, secretary):
    elsewhere = make_branch()
    other = make_person(elsewhere, (Role.SECRETARY, Role.MEMBER))
    decision = make_decision(elsewhere, other, [other])
    entry = _integrity(elsewhere, other, [other])
    assert secretary_client.get(decision.get_absolute_url()).status_code == 404
    edit = reverse("campaign:decision_edit", args=[decision.pk])
    assert secretary_client.get(edit).status_code == 404
    edit = reverse("campaign:integrity_edit", args=[entry.pk])
    assert secretary_client.get(edit).status_code == 404


def test_the_leadership_page_links_to_the_record_and_back(
    member_client, staff_client, secretary_client
):
    page = reverse("members:leadership")
    html = member_client.get(page).content.decode()
    assert LIST in html and INTEGRITY in html
    html = staff_client.get(page).content.decode()
    assert LIST not in html and INTEGRITY not in html
    for url in (LIST, INTEGRITY):
        assert page in secretary_client.get(url).content.decode()


# --- Recording a decision ---------------------------------------------------------------------


def test_the_secretary_records_a_decision(secretary_client, secretary, leader, branch):
    response = secretary_client.post(CREATE, _post([secretary, leader]))
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert set(decision.attendees.all()) == {secretary, leader}
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (2, 0, 0)
    assert decision.branch == branch and decision.recorded_by == secretary
    assert AuditEntry.objects.filter(action="记录班子决策", actor=secretary).exists()


def test_a_consensus_needs_no_votes(secretary_client, secretary, leader):
    data = _post([secretary, leader], method="consensus", votes_for="", votes_against="")
    data.pop("abstentions")
    assert secretary_client.post(CREATE, data).status_code == 302
    decision = Decision.objects.get()
    assert decision.method == "consensus" and decision.votes_for is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"attendees": []}, "attendees", "请选择参会人员。"),
        ({"topic": ""}, "topic", "请填写议题。"),
        ({"topic": "议" * 101}, "topic", "议题最多 100 个字，现在是 101 个字。"),
        ({"method": "coin"}, "method", "所选决策方式不在可选范围内，请重新选择。"),
        ({"votes_against": ""}, "votes_for", "请同时填写赞成、反对和弃权票数（没有的填 0）。"),
        ({"votes_for": "3"}, "votes_for", "票数合计不能超过参会人数（2 人）。"),
        ({"votes_for": "-1"}, "votes_for", "赞成票不能小于 0。"),
        ({"votes_for": "两票"}, "votes_for", "赞成票请填写整数，例如 3。"),
        ({"method": "consensus"}, "method", "会议协商一致的决策不填写票数。"),
        ({"decided_on": "2011-13-40"}, "decided_on", "会议日期请按“年-月-日”填写"),
    ],
)
def test_bad_input_is_refused_at_its_field(
    secretary_client, secretary, leader, data, field, message
):
    response = secretary_client.post(CREATE, _post([secretary, leader], **data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert message.split("（")[0] in response.content.decode()
    assert not Decision.objects.exists()
    if field != "topic":  # what was typed is kept
        assert "将药品配送岗位确定为党员先锋岗" in response.content.decode()


def test_a_meeting_in_the_future_and_an_outsider_are_refused(secretary_client, secretary):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = secretary_client.post(CREATE, _post([secretary], decided_on=tomorrow.isoformat()))
    assert response.context["form"].errors["decided_on"] == ["会议日期不能晚于今天。"]
    outsider = make_person(make_branch(), (Role.LEADER,))
    response = secretary_client.post(CREATE, _post([secretary, outsider]))
    assert "所选参会人员不在可选范围内" in response.context["form"].errors["attendees"][0]
    assert not Decision.objects.exists()


def test_the_form_groups_people_with_the_team_first(secretary_client, branch, secretary, leader):
    delivery = make_department(branch, "配送部")
    make_person(branch, full_name="马玉兰", department=delivery, position="药品配送员")
    response = secretary_client.get(CREATE)
    groups = response.context["form"].people_groups()
    assert groups[0].label == "领导班子及支委" and groups[0].open
    assert {p.name for p in groups[0].people} == {"王书记", "李总"}
    assert [p.name for p in groups[-1].people] == ["马玉兰"] and groups[-1].label == "配送部"
    assert not groups[-1].open  # folded until someone in it is ticked
    html = response.content.decode()
    assert 'name="attendees"' in html and "药品配送员" in html


def test_a_correction_keeps_old_and_new_in_the_audit_trail(
    secretary_client, secretary, leader, member
):
    decision = make_decision(branch=secretary.branch, by=secretary, attendees=[secretary, leader])
    url = reverse("campaign:decision_edit", args=[decision.pk])
    form = secretary_client.get(url).context["form"]
    assert set(form["attendees"].value()) == {str(secretary.pk), str(leader.pk)}
    assert form["topic"].value() == "提高午餐费标准"
    data = _post(
        [secretary, leader, member],
        topic="提高午餐费标准",
        decided_on=decision.decided_on.isoformat(),
        votes_for="3",
    )
    assert secretary_client.post(url, data).status_code == 302
    detail = AuditEntry.objects.get(action="修改班子决策").detail
    assert "议题" not in detail and "赞成票：（空） → 3" in detail and "陈党员" in detail


def test_only_the_secretary_records(leader_client, member_client, secretary, leader, branch):
    decision = make_decision(branch, secretary, [secretary, leader])
    for client in (leader_client, member_client):
        assert client.post(CREATE, _post([leader])).status_code == 403
        edit = reverse("campaign:decision_edit", args=[decision.pk])
        assert client.post(edit, _post([leader])).status_code == 403
    assert Decision.objects.count() == 1


# --- Integrity records ------------------------------------------------------------------------


def test_integrity_records_are_listed_and_corrected(
    secretary_client, member_client, secretary, leader, branch
):
    data = {
        "kind": "pledge",
        "held_on": "2011-01-18",
        "title": "班子成员签订廉洁自律承诺书",
        "participants": [str(secretary.pk), str(leader.pk)],
        "note": "",
    }
    assert secretary_client.post(INTEGRITY_CREATE, data).status_code == 302
    entry = IntegrityRecord.objects.get()
    assert entry.kind == "pledge" and entry.participants.count() == 2
    html = member_client.get(INTEGRITY).content.decode()
    assert "班子成员签订廉洁自律承诺书" in html and "王书记" in html
    assert reverse("campaign:integrity_edit", args=[entry.pk]) not in html
    edit = reverse("campaign:integrity_edit", args=[entry.pk])
    assert edit in secretary_client.get(INTEGRITY).content.decode()
    assert (
        secretary_client.post(edit, {**data, "participants": [str(leader.pk)]}).status_code == 302
    )
    assert AuditEntry.objects.filter(action="修改廉洁自律记录").exists()
    assert list(entry.participants.all()) == [leader]


def test_integrity_errors_stay_at_their_fields(secretary_client, secretary):
    data = {"kind": "party", "held_on": "", "title": "", "note": "学习体会"}
    response = secretary_client.post(INTEGRITY_CREATE, data)
    errors = response.context["form"].errors
    assert errors["kind"] == ["所选类别不在可选范围内，请重新选择。"]
    assert errors["held_on"] == ["请填写日期。"]
    assert errors["title"] == ["请填写主题。"]
    assert errors["participants"] == ["请选择参加人员。"]
    assert "学习体会" in response.content.decode()
    assert not IntegrityRecord.objects.exists()


# --- Filters and exports ------------------------------------------------------------------------


def test_filters_narrow_the_list(leader_client, secretary, leader, branch):
    make_decision(branch, secretary, [secretary], topic="提高午餐费标准", method="consensus")
    make_decision(branch, secretary, [secretary], topic="增收节支目标分解")
    html = leader_client.get(f"{LIST}?q=午餐").content.decode()
    assert "提高午餐费标准" in html and "增收节支目标分解" not in html
    html = leader_client.get(f"{LIST}?method=consensus").content.decode()
    assert "提高午餐费标准" in html and "增收节支目标分解" not in html
    html = leader_client.get(f"{LIST}?year=2010").content.decode()
    assert "还没有记录班子决策" in html
    response = leader_client.get(f"{LIST}?year=20.5")
    assert response.status_code == 200 and response.context["filter"].form.errors["year"]


def test_the_secretary_exports_what_the_filters_keep(secretary_client, secretary, leader, branch):
    make_decision(
        branch,
        secretary,
        [secretary, leader],
        topic='=HYPERLINK("http://x","点此")',
        votes_for=1,
        votes_against=0,
        abstentions=1,
    )
    make_decision(branch, secretary, [secretary], topic="提高午餐费标准", method="consensus")
    sheet = read_export(secretary_client.get(f"{LIST}?format=xlsx"), branch=branch)
    assert sheet.column("议题") == ["提高午餐费标准", '=HYPERLINK("http://x","点此")']
    assert sheet.column("赞成票") == [None, 1] and sheet.column("参会人数") == [1, 2]
    assert sheet.column("参会人员")[1] == "李总、王书记"
    assert sheet.cell_type("议题", 1) == "s"  # text, never a formula
    sheet = read_export(secretary_client.get(f"{LIST}?format=xlsx&method=consensus"))
    assert sheet.column("议题") == ["提高午餐费标准"]
    _integrity(branch, secretary, [secretary, leader])
    sheet = read_export(secretary_client.get(f"{INTEGRITY}?format=xlsx"), ledger="廉洁自律台账")
    assert sheet.column("类别") == ["学习《廉政准则》《若干规定》"]
    assert sheet.column("参加人数") == [2]
    assert AuditEntry.objects.filter(action="导出Excel").count() == 3


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url):
    client.get(url)  # warm up: per-process caches are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(branch, secretary, n):
    people = [make_person(branch, (Role.MEMBER,)) for _ in range(n)]
    for _ in range(n):
        make_decision(branch, secretary, [secretary, *people], votes_for=None)
        _integrity(branch, secretary, [secretary, *people])
    return Decision.objects.order_by("pk").first()


@pytest.mark.parametrize("which", ["list", "detail", "create", "edit", "integrity", "i_edit"])
def test_pages_run_the_same_queries_for_3_and_30_rows(secretary_client, secretary, branch, which):
    def url():
        decision = Decision.objects.order_by("pk").first()
        entry = IntegrityRecord.objects.order_by("pk").first()
        return {
            "list": LIST,
            "detail": decision.get_absolute_url(),
            "create": CREATE,
            "edit": reverse("campaign:decision_edit", args=[decision.pk]),
            "integrity": INTEGRITY,
            "i_edit": reverse("campaign:integrity_edit", args=[entry.pk]),
        }[which]

    _grow(branch, secretary, 3)
    small = _queries(secretary_client, url())
    _grow(branch, secretary, 27)
    large = _queries(secretary_client, url())
    assert small == large <= 12, (small, large)


# --- The 战斗堡垒 menu --------------------------------------------------------------------------

MENU = [
    "campaign:post_list",
    "campaign:deed_list",
    "campaign:saving_summary",
    "campaign:rectification_list",
    "campaign:problem_list",
    "members:leadership",
    "campaign:decision_list",
    "campaign:integrity_list",
]


@pytest.mark.parametrize(
    ("persona", "hidden"),
    [
        ("staff", {"campaign:problem_list", "campaign:decision_list", "campaign:integrity_list"}),
        ("member", {"campaign:problem_list"}),
        ("leader", set()),
        ("secretary", set()),
    ],
)
def test_the_menu_offers_what_each_role_may_open(personas, secretary, persona, hidden):
    make_campaign(secretary)
    client = personas[persona]
    html = client.get(reverse("home")).content.decode()
    assert "战斗堡垒" in html
    for name in MENU:
        url = reverse(name)
        if name in hidden:
            assert f'href="{url}"' not in html, name
            assert client.get(url).status_code == 403, name
        else:
            assert f'href="{url}"' in html, name
            assert client.get(url).status_code == 200, name
