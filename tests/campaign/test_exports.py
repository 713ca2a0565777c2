"""导出Excel of the campaign's 台账: each list page's file holds what its filters show (every row,
not one page), with the page's permission, real cell types, and nothing the page hides: unpublished
pledges stay off the wall, results below the ballot floor stay unpublished, and no voter is named.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import BallotMark, Campaign, LeaderReview, Nomination, Pledge
from config.spreadsheets import DATE_FORMAT
from members.models import AuditEntry, Role
from tests.exports import read_export
from tests.factories import make_department, make_person

from .factories import all_levels, make_campaign, make_pledge, make_review, make_round

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

SAT, FAIR, BASIC, DIS = BallotMark.Level.values
PERIOD = "2010年6月1日—2012年6月30日"  # the campaign's dates (tests/campaign/factories.py)


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def _items(campaign):
    return list(campaign.member_standards.items.all())


def _void(obj, reason="录错了"):
    type(obj).objects.filter(pk=obj.pk).update(voided_at=timezone.now(), void_reason=reason)


# --- 公开承诺 ---------------------------------------------------------------------------------


def test_the_wall_export_holds_every_published_pledge_the_filters_keep(
    secretary_client, campaign, branch, leader, settings
):
    settings.PAGE_SIZE = 2
    delivery = make_department(branch, "配送部")
    members = [make_person(branch, full_name=f"配送员{n}", department=delivery) for n in range(4)]
    for person in members:
        make_pledge(campaign, person, status=Pledge.Status.PUBLISHED, deadline=dt.date(2011, 9, 30))
    leader.department = delivery
    leader.save()
    judged = make_pledge(
        campaign, leader, status=Pledge.Status.JUDGED, goal='=HYPERLINK("http://x","点此")'
    )
    judged.progress.create(happened_on=dt.date(2011, 3, 1), content="送药下乡")
    judged.progress.create(happened_on=dt.date(2011, 4, 1), content="夜间值守")
    make_pledge(campaign, make_person(branch, full_name="别的部门"), status=Pledge.Status.PUBLISHED)
    make_pledge(
        campaign,
        make_person(branch, department=delivery),
        status=Pledge.Status.SUBMITTED,
        goal="尚未审核的目标",
    )
    url = reverse("campaign:pledge_wall")
    page = secretary_client.get(url, {"department": delivery.pk}).content.decode()
    assert f"department={delivery.pk}&amp;format=xlsx" in page and "导出Excel" in page

    response = secretary_client.get(url, {"department": delivery.pk, "format": "xlsx", "page": 2})
    export = read_export(response, branch=branch, ledger="承诺墙")
    assert campaign.name in export.title and "部门：配送部" in export.title
    assert PERIOD in export.title
    assert export.headers[:5] == ["承诺主体", "承诺人", "部门", "领导班子成员", "标准条目"]
    assert len(export.rows) == 5  # all five, though a page holds two
    assert set(export.column("部门")) == {"配送部"}
    text = export.text()
    assert "别的部门" not in text and "尚未审核的目标" not in text  # not on the wall
    row = export.column("承诺人").index(leader.full_name)
    assert export.column("领导班子成员")[row] == "是"
    assert export.column("践诺次数")[row] == 2 and export.cell_type("践诺次数", row) == "n"
    assert export.column("兑现情况")[row] == "已兑现"
    assert export.column("争创目标")[row] == '=HYPERLINK("http://x","点此")'
    assert export.cell_type("争创目标", row) == "s"
    first = export.column("承诺人").index("配送员0")
    assert export.column("完成时限")[first] == dt.datetime(2011, 9, 30)
    assert export.number_format("完成时限", first) == DATE_FORMAT
    assert export.column("状态")[first] == "已亮诺" and export.cell_type("状态", first) == "s"
    assert export.column("领导班子成员")[first] == "否"
    assert AuditEntry.objects.filter(action="导出Excel", detail__startswith="承诺墙").exists()


def test_the_wall_and_honours_are_exported_by_the_secretary_and_leaders_only(
    campaign, secretary_client, leader_client, member_client, staff_client
):
    for name in ("campaign:pledge_wall", "campaign:honour_list"):
        url = reverse(name)
        for client in (secretary_client, leader_client):
            assert "format=xlsx" in client.get(url).content.decode()
            assert client.get(url, {"format": "xlsx"}).status_code == 200
        for client in (member_client, staff_client):
            page = client.get(url)
            assert page.status_code == 200 and "format=xlsx" not in page.content.decode()
            assert client.get(url, {"format": "xlsx"}).status_code == 403


def test_the_queue_export_holds_submitted_and_returned_pledges_never_drafts(
    secretary_client, campaign, branch, member
):
    items = _items(campaign)
    make_pledge(campaign, member, standard=items[0], status=Pledge.Status.DRAFT, goal="草稿目标")
    make_pledge(
        campaign,
        member,
        standard=items[1],
        status=Pledge.Status.RETURNED,
        return_reason="目标不具体",
        submitted_on=dt.date(2010, 7, 1),
    )
    published = make_pledge(campaign, member, standard=items[2], status=Pledge.Status.PUBLISHED)
    published.progress.create(happened_on=dt.date(2011, 3, 1), content="送药下乡")
    wrong = published.progress.create(happened_on=dt.date(2011, 3, 2), content="记错了")
    _void(wrong)
    url = reverse("campaign:pledge_queue")
    assert "format=xlsx" in secretary_client.get(url).content.decode()

    export = read_export(secretary_client.get(url, {"format": "xlsx"}), branch=branch)
    assert export.headers[-1] == "退回原因"
    assert sorted(export.column("状态")) == ["已亮诺", "已退回"]
    assert "草稿目标" not in export.text()
    returned = export.column("状态").index("已退回")
    assert export.column("退回原因")[returned] == "目标不具体"
    assert export.column("提交日期")[returned] == dt.datetime(2010, 7, 1)
    # A voided 践诺 is not counted, as on the wall.
    assert export.column("践诺次数")[export.column("状态").index("已亮诺")] == 1

    returned_only = secretary_client.get(url, {"status": "returned", "format": "xlsx"})
    export = read_export(returned_only, ledger="承诺审核")
    assert export.column("状态") == ["已退回"] and "状态：已退回" in export.title


def test_the_missing_list_export_counts_what_each_member_still_owes(
    secretary_client, campaign, branch, member, leader
):
    items = _items(campaign)
    for item in items:
        make_pledge(campaign, leader, standard=item, status=Pledge.Status.SUBMITTED)
    make_pledge(campaign, member, standard=items[0], status=Pledge.Status.SUBMITTED)
    make_pledge(campaign, member, standard=items[1], status=Pledge.Status.DRAFT)
    url = reverse("campaign:pledge_missing")
    assert "format=xlsx" in secretary_client.get(url).content.decode()

    export = read_export(secretary_client.get(url, {"format": "xlsx"}), ledger="未承诺名单")
    assert export.headers == ["姓名", "部门", "已提交", "应提交", "草稿/退回"]
    names = export.column("姓名")
    assert leader.full_name not in names  # he has pledged on every item
    row = names.index(member.full_name)
    assert export.rows[row][2:] == [1, len(items), 1]
    assert export.cell_type("已提交", row) == "n"
    assert f"{len(items)} 个条目" in export.text()


# --- 领导点评 ---------------------------------------------------------------------------------


def test_the_review_register_export_holds_leader_person_date_score_and_comment(
    leader_client, campaign, branch, leader, secretary, member
):
    make_review(
        campaign,
        leader,
        member,
        rating=LeaderReview.Rating.FAIRLY_GOOD,
        comment="带头践诺\n群众认可",
        reviewed_on=dt.date(2011, 5, 16),
    )
    make_review(campaign, secretary, None, rating=LeaderReview.Rating.GOOD)
    _void(make_review(campaign, leader, secretary, comment="点错了人"), reason="对象选错")
    url = reverse("campaign:review_list")
    assert "format=xlsx" in leader_client.get(url).content.decode()

    export = read_export(leader_client.get(url, {"format": "xlsx"}), branch=branch)
    assert export.headers == [
        "点评日期",
        "点评对象",
        "部门",
        "点评人",
        "评价等次",
        "得分",
        "点评意见",
        "作废",
    ]
    assert len(export.rows) == 3
    row = export.column("点评对象").index(member.full_name)
    assert export.rows[row][3:7] == [leader.full_name, "较好", 7, "带头践诺\n群众认可"]
    assert export.column("点评日期")[row] == dt.datetime(2011, 5, 16)
    assert export.cell_type("得分", row) == "n"
    assert "党支部" in export.column("点评对象")
    voided = export.column("点评意见").index("点错了人")
    assert export.column("得分")[voided] is None
    assert export.column("作废")[voided] == "已作废：对象选错"
    assert "评价等次：好 10 分" in export.text()

    fairly_good = leader_client.get(url, {"rating": "fairly_good", "format": "xlsx"})
    export = read_export(fairly_good, ledger="点评登记表")
    assert export.column("点评对象") == [member.full_name] and "评价等次：较好" in export.title


def test_the_coverage_export_lists_every_member_with_the_number_of_comments(
    leader_client, campaign, branch, leader, secretary, member
):
    make_review(campaign, leader, member)
    make_review(campaign, secretary, member)
    url = reverse("campaign:review_coverage")
    assert "format=xlsx" in leader_client.get(url).content.decode()

    export = read_export(leader_client.get(url, {"format": "xlsx"}), ledger="点评覆盖情况")
    counts = dict(zip(export.column("姓名"), export.column("点评次数"), strict=True))
    assert counts == {member.full_name: 2, leader.full_name: 0, secretary.full_name: 0}
    row = export.column("姓名").index(leader.full_name)
    assert export.column("情况")[row] == "未点评" and export.cell_type("点评次数", row) == "n"
    assert "3 名党员中还有 2 名没有被点评" in export.text()


def test_members_and_staff_export_no_review_or_management_ledger(
    campaign, member_client, staff_client
):
    names = [
        "campaign:pledge_queue",
        "campaign:pledge_missing",
        "campaign:review_list",
        "campaign:review_coverage",
        "campaign:nomination_list",
    ]
    for client in (member_client, staff_client):
        for name in names:
            assert client.get(reverse(name), {"format": "xlsx"}).status_code == 403
    assert not AuditEntry.objects.filter(action="导出Excel").exists()


def test_leaders_export_no_management_ledger(campaign, leader_client):
    for name in ("campaign:pledge_queue", "campaign:pledge_missing", "campaign:nomination_list"):
        assert leader_client.get(reverse(name), {"format": "xlsx"}).status_code == 403


# --- 群众评议 ---------------------------------------------------------------------------------


def _closed_round(campaign, secretary, branch, member, leader):
    """The branch rated by five named voters (20% satisfied: flagged), the member by five (100%),
    the leader by only four: below the ballot floor."""
    voters = [make_person(branch, (Role.STAFF,), full_name=f"投票职工{n}") for n in range(5)]
    round_ = make_round(campaign, secretary, chosen=voters)
    subjects = {
        "branch": round_.subjects.get(is_branch=True),
        "member": round_.subjects.get(person=member),
        "leader": round_.subjects.get(person=leader),
    }
    plan = {
        "branch": [DIS, DIS, SAT, DIS, BASIC],
        "member": [SAT, SAT, SAT, SAT, FAIR],
        "leader": [SAT, SAT, SAT, SAT],
    }
    for key, levels in plan.items():
        for voter, level in zip(voters, levels, strict=False):
            subject = subjects[key]
            services.ballot_cast(subject=subject, by=voter, levels=all_levels(subject, level))
    services.round_close(round_=round_, by=secretary)
    return round_, voters


def test_the_results_export_holds_what_the_page_shows_and_no_voter(
    secretary_client, campaign, secretary, branch, member, leader
):
    round_, voters = _closed_round(campaign, secretary, branch, member, leader)
    url = reverse("campaign:round_results", args=[round_.pk])
    assert "format=xlsx" in secretary_client.get(url).content.decode()

    response = secretary_client.get(url, {"format": "xlsx"})
    export = read_export(response, branch=branch, ledger="群众评议结果")
    assert round_.name in export.title and "2010年12月20日—2010年12月31日" in export.title
    assert export.headers == ["评议对象", "部门", "票数", "满意率（%）", "结果"]
    by_label = {row[0]: row for row in export.rows}
    assert by_label["党支部"][2:] == [5, 20, "列入整改"]
    assert by_label[member.full_name][2:] == [5, 100, "达到警戒线"]
    assert by_label[leader.full_name][2:] == [4, None, "不足 5 票，不公布"]
    row = export.column("评议对象").index("党支部")
    assert export.cell_type("票数", row) == "n" and export.cell_type("满意率（%）", row) == "n"
    assert isinstance(export.column("满意率（%）")[row], int | float | Decimal)
    assert "参评 5 人" in export.text()

    breakdown = export.sheet.parent.worksheets[1]
    assert breakdown.title == "各项评价"
    header = [c.value for c in breakdown[2]]
    assert header == ["评议对象", "评议内容", "满意", "比较满意", "基本满意", "不满意"]
    rows = [list(r) for r in breakdown.iter_rows(min_row=3, values_only=True) if any(r)]
    assert {r[0] for r in rows} == {"党支部", member.full_name}  # not the thin subject
    branch_rows = [r for r in rows if r[0] == "党支部"]
    assert all(r[2:] == [1, 0, 1, 3] for r in branch_rows)
    assert all(isinstance(v, int) for r in rows for v in r[2:])

    # Anonymous: no voter's name, login or number anywhere in the file.
    workbook_text = "\n".join(
        str(v)
        for ws in export.sheet.parent.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    for voter in voters:
        for identity in (voter.full_name, voter.username, voter.employee_no):
            assert identity not in workbook_text


def test_only_the_secretary_exports_results_and_not_before_closing(
    campaign, secretary, secretary_client, leader_client, member_client
):
    round_ = make_round(campaign, secretary)
    url = reverse("campaign:round_results", args=[round_.pk])
    assert secretary_client.get(url, {"format": "xlsx"}).status_code == 302  # still open
    services.round_close(round_=round_, by=secretary)
    for client in (leader_client, member_client):
        assert client.get(url, {"format": "xlsx"}).status_code == 403
    assert secretary_client.get(url, {"format": "xlsx"}).status_code == 200


# --- 评选表彰 ---------------------------------------------------------------------------------


def test_the_nominations_and_honours_exports(
    secretary_client, leader_client, campaign, secretary, branch, member, leader
):
    delivery = make_department(branch, "配送部")
    member.department = delivery
    member.position = "配送员"
    member.save()
    pledge = make_pledge(campaign, member, status=Pledge.Status.PUBLISHED)
    review = make_review(campaign, leader, member)
    nomination = services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=member,
        reason="配送零差错",
        pledges=[pledge],
        reviews=[review],
        results=[],
        by=secretary,
    )
    services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_report(nomination=nomination, on=dt.date(2011, 1, 8), by=secretary)
    services.nomination_award(
        nomination=nomination,
        awarded_on=dt.date(2011, 1, 20),
        awarding_body="上级党委",
        by=secretary,
    )
    services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.SIQIANG_ORG,
        nominee=None,
        reason="四强党组织",
        pledges=[],
        reviews=[],
        results=[],
        by=secretary,
    )
    url = reverse("campaign:nomination_list")
    assert "format=xlsx" in secretary_client.get(url).content.decode()
    export = read_export(secretary_client.get(url, {"format": "xlsx"}), ledger="评选推荐")
    assert PERIOD in export.title
    assert len(export.rows) == 2
    row = export.column("被提名对象").index(member.full_name)
    assert export.column("表彰类别")[row] == "优秀共产党员"
    assert export.column("部门")[row] == "配送部"
    assert export.column("提名人")[row] == secretary.full_name
    assert export.column("支委会推荐日期")[row] == dt.datetime(2011, 1, 5)
    assert export.column("上报日期")[row] == dt.datetime(2011, 1, 8)
    assert export.column("依据（项）")[row] == 2 and export.cell_type("依据（项）", row) == "n"
    assert export.column("状态")[row] == "已表彰"
    assert export.column("提名日期")[row] == dt.datetime.combine(timezone.localdate(), dt.time())
    assert "党支部" in export.column("被提名对象")

    export = read_export(
        leader_client.get(reverse("campaign:honour_list"), {"format": "xlsx"}),
        branch=branch,
        ledger="表彰名单",
    )
    assert export.rows == [
        [
            "优秀共产党员",
            member.full_name,
            "配送部",
            "配送员",
            "上级党委",
            dt.datetime(2011, 1, 20),
            campaign.name,
        ]
    ]
    assert export.number_format("表彰日期") == DATE_FORMAT


# --- Query counts -----------------------------------------------------------------------------


def _world(branch, secretary, leader, n_members):
    campaign = make_campaign(secretary)
    department = make_department(branch)
    voters = [make_person(branch, (Role.STAFF,)) for _ in range(5)]
    people = [make_person(branch, department=department) for _ in range(n_members)]
    for person in people:
        for item in _items(campaign)[:2]:
            pledge = make_pledge(campaign, person, status=Pledge.Status.PUBLISHED, standard=item)
            pledge.progress.create(happened_on=pledge.deadline, content="做了")
        make_review(campaign, leader, person)
        nomination = services.nomination_create(
            campaign=campaign,
            kind=Nomination.Kind.EXCELLENT_MEMBER,
            nominee=person,
            reason="表现突出",
            pledges=list(person.pledges.all()),
            reviews=[],
            results=[],
            by=secretary,
        )
        services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
        services.nomination_report(nomination=nomination, on=dt.date(2011, 1, 8), by=secretary)
        services.nomination_award(
            nomination=nomination,
            awarded_on=dt.date(2011, 1, 20),
            awarding_body="上级党委",
            by=secretary,
        )
    round_ = make_round(campaign, secretary, chosen=voters)
    for subject in round_.subjects.all():
        for voter in voters:
            services.ballot_cast(subject=subject, by=voter, levels=all_levels(subject))
    services.round_close(round_=round_, by=secretary)
    return round_


EXPORTS = [
    "campaign:pledge_wall",
    "campaign:pledge_queue",
    "campaign:pledge_missing",
    "campaign:review_list",
    "campaign:review_coverage",
    "campaign:round_results",
    "campaign:nomination_list",
    "campaign:honour_list",
]


def _export_queries(client, name, round_):
    url = reverse(name, args=[round_.pk] if name.endswith("results") else [])
    client.get(url, {"format": "xlsx"})  # warm up per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    read_export(response)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", EXPORTS)
def test_each_export_runs_as_many_queries_for_3_members_as_for_15(
    secretary_client, branch, secretary, leader, name
):
    small = _export_queries(secretary_client, name, _world(branch, secretary, leader, 3))
    services.campaign_finish(campaign=Campaign.objects.get(status="active"), by=secretary)
    large = _export_queries(secretary_client, name, _world(branch, secretary, leader, 15))
    assert small == large, f"{name}: {small} queries for 3 members, {large} for 15"


def test_the_wall_export_of_many_rows_takes_a_few_queries(
    secretary_client, branch, secretary, leader, django_assert_max_num_queries
):
    _world(branch, secretary, leader, 12)
    url = reverse("campaign:pledge_wall")
    secretary_client.get(url, {"format": "xlsx"})
    with django_assert_max_num_queries(12):
        response = secretary_client.get(url, {"format": "xlsx"})
    assert len(read_export(response).rows) == 24
