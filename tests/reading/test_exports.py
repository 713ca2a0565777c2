"""导出Excel of the reading activity's 台账: the tally, purchases, the hand-out ledger, progress,
the 读后感 list and the statistics. Each file holds what the page shows its reader (same filters,
every row, not one page), with real cell types, the activity's dates as period, and nothing the
page hides from that reader: private progress and hidden posts stay out of a leader's file."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from config.dates import cn_date
from members.models import AuditEntry, Role
from reading import services
from reading.models import Distribution, Endorsement, Like, Purchase, ReadingProgress
from tests.exports import read_export
from tests.factories import make_person

from .factories import (
    make_activity,
    make_comment,
    make_distribution,
    make_members,
    make_purchase,
    make_recommendation,
    make_reflection,
    select_books,
)

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

MONEY = "#,##0.00"
HOSTILE = '=HYPERLINK("http://x","点此")'
LEDGERS = (
    "recommendation_list",
    "purchase_list",
    "distribution_list",
    "progress_list",
    "reflection_list",
    "activity_stats",
)


def export(client, name, activity, **query):
    return client.get(reverse(f"reading:{name}", args=[activity.pk]), {**query, "format": "xlsx"})


def page(client, name, activity, **query):
    response = client.get(reverse(f"reading:{name}", args=[activity.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def period_of(activity):
    return f"{cn_date(activity.recommend_start)}—{cn_date(activity.discuss_end)}"


@pytest.fixture
def activity(branch, secretary):
    activity = make_activity(branch, "discuss", title="“学习型党组织”读书月")
    select_books(activity, secretary)
    return activity


def test_only_the_secretary_and_leaders_see_the_button_and_export(
    personas, activity, secretary_client, leader_client
):
    for name in LEDGERS:
        for client in (secretary_client, leader_client):
            assert "format=xlsx" in page(client, name, activity)
            assert export(client, name, activity).status_code == 200
        # Members and staff read the tally, progress and the forum, but take no ledger away.
        for role in ("member", "staff"):
            response = personas[role].get(reverse(f"reading:{name}", args=[activity.pk]))
            if response.status_code == 200:
                assert "format=xlsx" not in response.content.decode()
            assert export(personas[role], name, activity).status_code == 403
        assert export(personas["anonymous"], name, activity).status_code == 302


def test_an_activity_of_another_branch_is_not_exported(secretary_client):
    from tests.factories import make_branch

    elsewhere = make_activity(make_branch(name="别的支部"), "discuss")
    for name in LEDGERS:
        assert export(secretary_client, name, elsewhere).status_code == 404


def test_the_tally_has_one_row_per_book_with_its_counts(secretary_client, branch, leader):
    activity = make_activity(branch, "recommend")
    a, b, c, d = make_members(branch, 4)
    first = make_recommendation(activity, a, title="你在为谁工作", author="陈安之", isbn="")
    make_recommendation(activity, b, title="《你在为谁工作》", author="陈安之")
    other = make_recommendation(activity, c, title="责任胜于能力", author="吉姆", reason=HOSTILE)
    Endorsement.objects.create(recommendation=first, member=d)
    Endorsement.objects.create(recommendation=first, member=c)
    Endorsement.objects.create(recommendation=other, member=a)

    response = export(secretary_client, "recommendation_list", activity)
    sheet = read_export(response, branch=branch, ledger="推荐书目")
    assert activity.title in sheet.title and period_of(activity) in sheet.title
    assert sheet.headers[:6] == ["书名", "作者", "出版社", "ISBN", "推荐人数", "附议人数"]
    assert len(sheet.rows) == 2  # the two recommendations of the same book are one row
    assert sheet.column("书名") == ["你在为谁工作", "责任胜于能力"]
    assert sheet.column("推荐人数") == [2, 1]
    assert sheet.column("附议人数") == [2, 1]
    assert sheet.cell_type("推荐人数") == "n"
    assert sheet.cell_type("书名") == "s"
    assert sheet.column("推荐人")[0] == f"{a.full_name}、{b.full_name}"
    details = response_sheet(response, 1)
    assert HOSTILE in details  # the reason is stored as text, not as a formula
    assert AuditEntry.objects.filter(action="导出Excel", detail__contains="推荐书目").exists()


def response_sheet(response, index):
    """The text of another worksheet of the same file."""
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content)).worksheets[index]
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    return "\n".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)


def test_purchases_are_amounts_with_two_decimals_and_a_total_row(
    leader_client, activity, branch, secretary
):
    one, two = activity.selections.all()
    make_purchase(one, 16, unit_price=Decimal("28.5"), purchased_on=dt.date(2011, 5, 16))
    make_purchase(two, 3, unit_price=Decimal("39.90"), supplier=HOSTILE, recorded_by=secretary)

    sheet = read_export(
        export(leader_client, "purchase_list", activity), branch=branch, ledger="采购台账"
    )
    assert period_of(activity) in sheet.title
    assert sheet.headers[:6] == [
        "书目",
        "数量（册）",
        "单价（元）",
        "金额（元）",
        "供应商",
        "采购日期",
    ]
    assert len(sheet.rows) == 3  # two purchases and the total
    assert sheet.column("金额（元）") == pytest.approx([456.00, 119.70, 575.70])
    assert sheet.column("单价（元）")[0] == pytest.approx(28.50)
    for row in range(3):
        assert sheet.cell_type("金额（元）", row) == "n"
        assert sheet.number_format("金额（元）", row) == MONEY
    assert sheet.number_format("单价（元）") == MONEY
    assert sheet.rows[2][:2] == ["合计", 19]
    assert sheet.column("采购日期")[0] == dt.datetime(2011, 5, 16)
    assert sheet.number_format("采购日期") == 'yyyy"年"m"月"d"日"'
    assert sheet.column("供应商")[1] == HOSTILE and sheet.cell_type("供应商", 1) == "s"
    assert sheet.column("登记人")[1] == secretary.full_name
    assert "余 424.30 元" in sheet.text()  # budget 1000.00


def test_the_hand_out_ledger_holds_every_member_the_filter_keeps(
    secretary_client, activity, branch, secretary, settings
):
    settings.PAGE_SIZE = 2
    one, two = activity.selections.all()
    people = make_members(branch, 4)  # and the secretary: five members
    for person in people:
        make_distribution(one, person, issued_by=secretary)
    services.distribution_confirm(
        distribution=one.distributions.get(member=people[0]), by=people[0]
    )

    sheet = read_export(export(secretary_client, "distribution_list", activity), branch=branch)
    assert sheet.headers[:6] == ["姓名", "部门", "书目", "发放日期", "经手人", "领取情况"]
    assert len(sheet.rows) == 5 * 2  # five members × two books, though a page holds two
    states = sheet.column("领取情况")
    assert states.count("已领取") == 1 and states.count("待确认") == 3
    assert states.count("未发放") == 6
    issued = [r for r in sheet.rows if r[sheet.headers.index("领取情况")] != "未发放"]
    assert all(r[sheet.headers.index("发放日期")] is not None for r in issued)
    row = states.index("已领取")
    assert isinstance(sheet.column("确认领取时间")[row], dt.datetime)
    assert sheet.column("经手人")[row] == secretary.full_name

    confirmed = read_export(
        export(secretary_client, "distribution_list", activity, show="confirmed", page=2)
    )
    assert len(confirmed.rows) == 2  # the one member who confirmed, both books
    assert set(confirmed.column("姓名")) == {people[0].full_name}
    assert "已确认领取" in confirmed.title


def test_voided_purchases_stay_in_the_ledger_but_not_in_the_total(leader_client, activity):
    one, _two = activity.selections.all()
    make_purchase(one, 10, unit_price=Decimal("20"))
    wrong = make_purchase(one, 99, unit_price=Decimal("20"))
    Purchase.objects.filter(pk=wrong.pk).update(voided_at=timezone.now(), void_reason="重复登记")

    sheet = read_export(export(leader_client, "purchase_list", activity))
    assert sheet.column("状态") == ["有效", "已作废：重复登记", None]
    assert sheet.rows[2][:2] == ["合计", 10]
    assert sheet.column("金额（元）")[2] == pytest.approx(200.00)
    assert "合计不含已作废的采购。" in sheet.text()


def test_a_voided_hand_out_follows_the_members_row_in_the_ledger(
    secretary_client, activity, branch, secretary
):
    one, _two = activity.selections.all()
    again, once = make_members(branch, 2)
    for person in (again, once):
        wrong = make_distribution(one, person, issued_by=secretary)
        Distribution.objects.filter(pk=wrong.pk).update(
            voided_at=timezone.now(), void_reason="发错了人"
        )
    make_distribution(one, again, issued_by=secretary)

    sheet = read_export(export(secretary_client, "distribution_list", activity))
    h = sheet.headers

    def book_one(person):
        return [
            (r[h.index("领取情况")], r[h.index("状态")])
            for r in sheet.rows
            if r[0] == person.full_name and r[h.index("书目")] == str(one)
        ]

    assert book_one(again) == [("待确认", "有效"), ("待确认", "已作废：发错了人")]
    assert book_one(once) == [("未发放", None), ("待确认", "已作废：发错了人")]
    assert len(sheet.rows) == 3 * 2 + 2  # three members × two books, and the two 作废


@pytest.fixture
def progress(activity, branch, member):
    """周静 keeps her progress private; 吴公开 shares it; the member persona shares 37%."""
    one, two = activity.selections.all()
    quiet = make_person(branch, (Role.MEMBER,), full_name="周静")
    open_ = make_person(branch, (Role.MEMBER,), full_name="吴公开")
    for book in (one, two):
        ReadingProgress.objects.create(
            selection=book, member=quiet, status="finished", percent=100, visible_to_members=False
        )
    ReadingProgress.objects.create(selection=one, member=open_, status="reading", percent=64)
    ReadingProgress.objects.create(selection=one, member=member, status="reading", percent=37)
    return {"quiet": quiet, "open": open_}


def _cells(sheet, name):
    """(book, status, percent) of one person's rows."""
    rows = [r for r in sheet.rows if r[0] == name]
    h = sheet.headers
    return [(r[h.index("书目")], r[h.index("状态")], r[h.index("已读百分比")]) for r in rows]


def test_a_leader_exports_only_the_progress_the_page_shows_him(
    leader_client, activity, progress, branch
):
    board = page(leader_client, "progress_list", activity)
    assert "周静" in board and "读完 · 100%" not in board  # the page hides her progress

    sheet = read_export(export(leader_client, "progress_list", activity), branch=branch)
    assert "公开" not in sheet.headers
    assert _cells(sheet, "周静") == [
        ("《你在为谁工作》", "—", None),
        ("《责任胜于能力》", "—", None),
    ]
    assert "读完" not in sheet.column("状态")
    assert 100 not in sheet.column("已读百分比")
    assert _cells(sheet, "吴公开")[0] == ("《你在为谁工作》", "在读", 64)
    row = sheet.column("姓名").index("吴公开")
    assert sheet.cell_type("已读百分比", row) == "n"
    assert isinstance(sheet.column("更新时间")[row], dt.datetime)
    assert period_of(activity) in sheet.title


def test_the_secretary_exports_private_progress_marked_as_such(
    secretary_client, activity, progress, branch
):
    sheet = read_export(export(secretary_client, "progress_list", activity), branch=branch)
    assert _cells(sheet, "周静") == [
        ("《你在为谁工作》", "读完", 100),
        ("《责任胜于能力》", "读完", 100),
    ]
    rows = [r for r in sheet.rows if r[0] == "周静"]
    assert {r[sheet.headers.index("公开")] for r in rows} == {"未公开"}
    assert ("《责任胜于能力》", "未登记", None) in _cells(sheet, "吴公开")

    finished = read_export(export(secretary_client, "progress_list", activity, show="finished"))
    assert set(finished.column("姓名")) == {"周静"}
    assert "全部读完" in finished.title


def test_a_leader_cannot_ask_for_the_secretary_filter(leader_client, activity, progress):
    # The page ignores `show` for anyone but the secretary; so does the file.
    sheet = read_export(export(leader_client, "progress_list", activity, show="finished"))
    assert "吴公开" in sheet.column("姓名")


@pytest.fixture
def forum(activity, branch, secretary, staff, member):
    one, two = activity.selections.all()
    author = make_person(branch, (Role.MEMBER,), full_name="吴公开")
    shown = make_reflection(activity, author, one, title="岗位就是责任")
    make_comment(shown, staff, "写得好")
    make_comment(shown, member, "很受启发")
    rude = make_comment(shown, member, "广告")
    services.comment_hide(comment=rude, reason="与读书无关", by=secretary)
    Like.objects.create(reflection=shown, person=staff)
    services.reflection_feature(reflection=shown, reason="联系岗位实际", by=secretary)
    other = make_reflection(activity, member, two, title=HOSTILE)
    hidden = make_reflection(activity, author, two, title="被隐藏的读后感")
    services.reflection_hide(reflection=hidden, reason="含有客户个人信息", by=secretary)
    return {"shown": shown, "other": other, "hidden": hidden}


def test_a_leader_exports_the_forum_without_hidden_posts(leader_client, activity, forum, branch):
    sheet = read_export(
        export(leader_client, "reflection_list", activity), branch=branch, ledger="读后感"
    )
    assert sheet.headers == ["标题", "作者", "部门", "书目", "发表日期", "评论数", "点赞数", "精华"]
    assert len(sheet.rows) == 2
    assert "被隐藏的读后感" not in sheet.text() and "含有客户个人信息" not in sheet.text()
    row = sheet.column("标题").index("岗位就是责任")
    assert sheet.column("评论数")[row] == 2  # the hidden comment is not counted for him
    assert sheet.column("点赞数")[row] == 1
    assert sheet.cell_type("评论数", row) == "n"
    assert sheet.column("精华")[row] == "精华"
    assert sheet.column("发表日期")[row] == dt.datetime.combine(
        timezone.localdate(forum["shown"].created_at), dt.time()
    )
    assert sheet.number_format("发表日期", row) == 'yyyy"年"m"月"d"日"'
    hostile = sheet.column("标题").index(HOSTILE)
    assert sheet.cell_type("标题", hostile) == "s"


def test_a_leaders_own_hidden_post_is_on_his_page_but_not_in_his_file(
    leader_client, activity, leader, secretary
):
    mine = make_reflection(activity, leader, title="我被隐藏的读后感")
    services.reflection_hide(reflection=mine, reason="含有客户个人信息", by=secretary)
    assert "我被隐藏的读后感" in page(leader_client, "reflection_list", activity)
    sheet = read_export(export(leader_client, "reflection_list", activity))
    assert "我被隐藏的读后感" not in sheet.text()


def test_the_secretary_exports_hidden_posts_with_the_reason(
    secretary_client, activity, forum, branch
):
    sheet = read_export(export(secretary_client, "reflection_list", activity), branch=branch)
    assert len(sheet.rows) == 3
    row = sheet.column("标题").index("被隐藏的读后感")
    assert sheet.column("状态")[row] == "已隐藏：含有客户个人信息"
    shown = sheet.column("标题").index("岗位就是责任")
    assert sheet.column("评论数")[shown] == 3


def test_the_forum_export_keeps_the_search(secretary_client, activity, forum):
    one, two = activity.selections.all()
    sheet = read_export(export(secretary_client, "reflection_list", activity, book=two.pk))
    assert set(sheet.column("书目")) == {str(two)}
    assert len(sheet.rows) == 2 and str(two) in sheet.title
    featured = read_export(export(secretary_client, "reflection_list", activity, featured="on"))
    assert featured.column("标题") == ["岗位就是责任"]
    found = read_export(export(secretary_client, "reflection_list", activity, q="岗位"))
    assert found.column("标题") == ["岗位就是责任"] and "搜索“岗位”" in found.title


def test_the_statistics_export_holds_the_figures_of_the_page(
    leader_client, activity, forum, branch
):
    one, _two = activity.selections.all()
    make_purchase(one, 10, unit_price=Decimal("28.5"))
    sheet = read_export(
        export(leader_client, "activity_stats", activity), branch=branch, ledger="活动统计"
    )
    assert sheet.headers == ["项目", "数值", "单位"]
    figures = dict(zip(sheet.column("项目"), sheet.column("数值"), strict=True))
    assert figures["购书"] == 10
    assert figures["购书金额"] == pytest.approx(285.00)
    assert figures["预算余额"] == pytest.approx(715.00)
    row = sheet.column("项目").index("购书金额")
    assert sheet.cell_type("数值", row) == "n" and sheet.number_format("数值", row) == MONEY
    assert figures["选定书目"] == 2
    assert figures["读后感"] == 2  # the hidden post is not counted for a leader
    assert "其中已隐藏的读后感" not in figures
    assert figures["精华"] == 1
    assert period_of(activity) in sheet.title


def _grow_activity(activity, branch, secretary, staff, n):
    """n more members, each recommending, handed both books, reading and posting."""
    one, two = activity.selections.all()
    for person in make_members(branch, n):
        rec = make_recommendation(activity, person)
        Endorsement.objects.create(recommendation=rec, member=secretary)
        make_purchase(one, 2)
        for book in (one, two):
            make_distribution(book, person, issued_by=secretary)
            ReadingProgress.objects.create(
                selection=book, member=person, status="reading", percent=50
            )
        post = make_reflection(activity, person, one)
        make_comment(post, staff)
        Like.objects.create(reflection=post, person=staff)


def _queries(client, name, activity):
    with CaptureQueriesContext(connection) as ctx:
        response = export(client, name, activity)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", LEDGERS)
def test_an_export_runs_the_same_queries_for_3_rows_and_for_30(
    secretary_client, activity, branch, secretary, staff, name
):
    _grow_activity(activity, branch, secretary, staff, 3)
    export(secretary_client, name, activity)  # warm-up
    small = _queries(secretary_client, name, activity)
    _grow_activity(activity, branch, secretary, staff, 27)
    assert _queries(secretary_client, name, activity) == small


def test_the_hand_out_export_of_many_rows_is_a_few_queries(
    secretary_client, activity, branch, secretary, staff, django_assert_max_num_queries
):
    _grow_activity(activity, branch, secretary, staff, 12)
    with django_assert_max_num_queries(12):
        response = export(secretary_client, "distribution_list", activity)
    assert len(read_export(response).rows) == 13 * 2
