"""党员先锋岗 pages: the list (and its 台账), a post's page, and the secretary's forms (设立/修改,
挂牌/摘牌, 安排上岗, 离岗, 季度评星): who reaches what, what each shows, refusals at the field with
the input kept and nothing saved, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import PlaqueEvent, PostHolder, PostReview, VanguardPost
from members.models import AuditEntry, Role
from tests.conftest import client_for
from tests.exports import read_export
from tests.factories import make_branch, make_department, make_person

from .factories import (
    FORTRESS_DAY,
    make_campaign,
    make_deed,
    make_holder,
    make_post,
    make_saving,
)

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

DAY = FORTRESS_DAY  # 2011-05-16, inside the factories' campaign (2010-06 … 2012-06)


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def dept(branch):
    return make_department(branch, "配送部")


@pytest.fixture
def post(branch, secretary, dept, campaign):
    return make_post(branch, secretary, name="药品配送岗", department=dept)


@pytest.fixture
def holder(post, member, secretary):
    return make_holder(post, member, secretary)


def url(name: str, *args) -> str:
    return reverse(f"campaign:{name}", args=args)


def errors_of(response, field: str) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- Who reaches which page -----------------------------------------------------------------

PAGES = ["post_detail", "post_edit", "post_plaque", "post_assign", "post_review"]
SECRETARY_ONLY = {"post_edit", "post_plaque", "post_assign", "post_review"}


@pytest.mark.parametrize("name", PAGES)
def test_each_post_page_per_role(name, personas, post, holder):
    target = url(name, post.pk)
    for role, client in personas.items():
        status = client.get(target).status_code
        if role == "anonymous":
            assert status == 302, (role, status)
        elif name in SECRETARY_ONLY and role != "secretary":
            assert status == 403, (role, status)
        else:
            assert status == 200, (role, status)


def test_list_and_release_per_role(personas, post, holder):
    for role, client in personas.items():
        listed = client.get(url("post_list")).status_code
        release = client.get(url("holder_release", holder.pk)).status_code
        created = client.get(url("post_create")).status_code
        if role == "anonymous":
            assert (listed, release, created) == (302, 302, 302)
        elif role == "secretary":
            assert (listed, release, created) == (200, 200, 200)
        else:
            assert (listed, release, created) == (200, 403, 403), role


def test_another_branch_gets_404_and_an_empty_list(post, holder):
    other = make_branch()
    outsider = client_for(make_person(other, (Role.SECRETARY, Role.MEMBER)))
    for name in PAGES:
        assert outsider.get(url(name, post.pk)).status_code == 404, name
        if name != "post_detail":  # a page without POST answers 405 before looking
            assert outsider.post(url(name, post.pk)).status_code == 404, name
    assert outsider.get(url("holder_release", holder.pk)).status_code == 404
    response = outsider.get(url("post_list"))
    assert response.status_code == 200
    assert "药品配送岗" not in response.text


def test_a_member_cannot_change_a_post(member_client, post, holder):
    member_client.post(url("post_plaque", post.pk), {"action": "remove", "on": DAY, "reason": "x"})
    member_client.post(url("holder_release", holder.pk), {"ends_on": DAY})
    post.refresh_from_db()
    holder.refresh_from_db()
    assert post.plaque == VanguardPost.Plaque.HUNG and holder.ends_on is None


# --- The list -------------------------------------------------------------------------------


def test_list_shows_department_holders_plaque_stars_and_total(
    staff_client, branch, secretary, member, post, holder, campaign
):
    services.post_review_save(
        post=post, campaign=campaign, year=2011, quarter=2, stars=4, note="", by=secretary
    )
    make_saving(campaign, secretary, post=post, amount="1234.56")
    make_saving(campaign, secretary, post=post, amount="1000.00", kind="income")
    make_post(branch, secretary, name="客户服务岗", hung=False)
    response = staff_client.get(url("post_list"))
    text = response.text
    for shown in ("药品配送岗", "配送部", member.full_name, "已挂牌", "2011年5月16日"):
        assert shown in text, shown
    assert "★★★★☆" in text and "2011年第2季度" in text
    assert "¥2,234.56" in text
    assert "未挂牌" in text and "客户服务岗" in text
    # Staff read the list; the secretary's button and the 台账 are not theirs.
    assert url("post_create") not in text
    assert "format=xlsx" not in text


def test_list_filters_by_department_and_plaque(secretary_client, branch, secretary, post):
    other_dept = make_department(branch, "仓储部")
    make_post(branch, secretary, name="仓储养护岗", department=other_dept, hung=False)
    response = secretary_client.get(url("post_list"), {"department": other_dept.pk})
    names = [p.name for p in response.context["page"]]
    assert names == ["仓储养护岗"]
    response = secretary_client.get(url("post_list"), {"plaque": "hung"})
    assert [p.name for p in response.context["page"]] == ["药品配送岗"]
    assert url("post_create") in response.text  # the secretary's 新建先锋岗


def test_export_is_the_filtered_ledger_for_the_secretary_and_leaders(
    secretary_client, leader_client, staff_client, member_client, branch, secretary, member,
    post, holder, campaign
):  # fmt: skip
    make_saving(campaign, secretary, post=post, amount="1234.56")
    services.post_remove_plaque(post=post, on=DAY, reason="岗位调整", by=secretary)
    make_post(branch, secretary, name="客户服务岗", hung=False)
    response = leader_client.get(url("post_list"), {"format": "xlsx", "plaque": "removed"})
    sheet = read_export(response, branch=branch, ledger="党员先锋岗台账")
    assert sheet.column("岗位名称") == ["药品配送岗"]
    assert sheet.column("在岗党员") == [member.full_name]
    assert sheet.column("挂牌状态") == ["已摘牌"]
    assert sheet.column("摘牌原因") == ["岗位调整"]
    assert [Decimal(str(v)) for v in sheet.column("增收节支合计（元）")] == [Decimal("1234.56")]
    assert "0.00" in sheet.number_format("增收节支合计（元）")
    assert "挂牌状态：已摘牌" in sheet.title
    every = read_export(secretary_client.get(url("post_list"), {"format": "xlsx"}))
    assert sorted(every.column("岗位名称")) == sorted(["药品配送岗", "客户服务岗"])
    assert staff_client.get(url("post_list"), {"format": "xlsx"}).status_code == 403
    assert member_client.get(url("post_list"), {"format": "xlsx"}).status_code == 403


# --- A post's page --------------------------------------------------------------------------


def test_detail_shows_history_reviews_deeds_and_totals(
    secretary_client, secretary, member, leader, post, holder, campaign
):
    services.post_release(holder=holder, ends_on=dt.date(2011, 8, 1), by=secretary)
    make_holder(post, leader, secretary, starts_on=dt.date(2011, 9, 1))
    services.post_remove_plaque(post=post, on=dt.date(2011, 10, 1), reason="服务投诉", by=secretary)
    items = list(campaign.member_standards.items.all())
    services.post_review_save(
        post=post,
        campaign=campaign,
        year=2011,
        quarter=2,
        stars=3,
        note="需加强沟通",
        item_stars={items[0]: 5},
        by=secretary,
    )
    make_saving(campaign, secretary, post=post, amount="100.10", happened_on=dt.date(2011, 5, 2))
    make_saving(campaign, secretary, post=post, amount="50.00", happened_on=dt.date(2011, 8, 2))
    make_deed(campaign, member, secretary, post=post, title="雪夜送药")
    text = secretary_client.get(url("post_detail", post.pk)).text
    for shown in (
        "按时准确配送药品",
        "以诚待人",
        "已摘牌",
        "服务投诉",
        "2011年8月1日",  # the member's end date
        "已离岗",
        leader.full_name,
        "2011年第2季度",
        "★★★☆☆",
        items[0].name,
        "★★★★★",
        "需加强沟通",
        "雪夜送药",
        "¥150.10",
        "2011年第3季度",
        "¥100.10",
    ):
        assert shown in text, shown
    assert "挂牌" in text and "摘牌" in text  # both events in the history
    # Secretary actions: edit, review, assign, release (the open holding), hang again.
    for action in ("post_edit", "post_review", "post_assign", "post_plaque"):
        assert url(action, post.pk) in text, action
    assert "重新挂牌" in text


def test_staff_read_the_post_and_only_publicized_deeds(
    staff_client, secretary, member, post, holder, campaign
):
    shown = make_deed(campaign, member, secretary, post=post, title="宣传的事迹")
    services.deed_publicize(deed=shown, publicized=True, by=secretary)
    make_deed(campaign, member, secretary, post=post, title="内部的事迹")
    make_saving(campaign, secretary, post=post, amount="10.00")
    text = staff_client.get(url("post_detail", post.pk)).text
    assert "宣传的事迹" in text
    assert "内部的事迹" not in text
    assert "¥10.00" in text  # totals are for everyone
    for action in ("post_edit", "post_review", "post_assign", "post_plaque"):
        assert url(action, post.pk) not in text
    assert url("holder_release", holder.pk) not in text


def test_a_member_sees_confirmed_deeds_and_own_submitted_ones(
    member_client, secretary, member, leader, post, holder, campaign
):
    make_deed(campaign, leader, secretary, post=post, title="领导的事迹")
    make_deed(campaign, member, member, post=post, title="我的待确认事迹")
    text = member_client.get(url("post_detail", post.pk)).text
    assert "领导的事迹" in text and "我的待确认事迹" in text and "待确认" in text


# --- 设立 / 修改 ------------------------------------------------------------------------------


def test_create_post(secretary_client, dept):
    data = {
        "name": "客户服务岗",
        "department": dept.pk,
        "duties": "接听客户电话",
        "promise": "有问必答",
        "order": 2,
    }
    response = secretary_client.post(url("post_create"), data)
    created = VanguardPost.objects.get(name="客户服务岗")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.plaque == VanguardPost.Plaque.NONE and created.department == dept
    assert AuditEntry.objects.filter(action="设立党员先锋岗").exists()


def test_create_refuses_a_duplicate_name_and_empty_fields(secretary_client, post, dept):
    data = {"name": "药品配送岗", "department": dept.pk, "duties": "配送", "promise": "承诺"}
    response = secretary_client.post(url("post_create"), data)
    assert response.status_code == 200
    assert any("已经有名为" in e for e in errors_of(response, "name"))
    assert 'value="药品配送岗"' in response.text and "承诺" in response.text
    response = secretary_client.post(url("post_create"), {"name": "新岗", "department": dept.pk})
    assert errors_of(response, "duties") == ["请填写岗位职责。"]
    assert errors_of(response, "promise") == ["请填写服务承诺。"]
    assert VanguardPost.objects.count() == 1


def test_edit_post_and_its_refusal(secretary_client, branch, secretary, post, dept):
    make_post(branch, secretary, name="客户服务岗", department=dept)
    data = {"name": "客户服务岗", "department": dept.pk, "duties": "改", "promise": "改"}
    response = secretary_client.post(url("post_edit", post.pk), data)
    assert any("已经有名为" in e for e in errors_of(response, "name"))
    post.refresh_from_db()
    assert post.name == "药品配送岗" and post.duties == "按时准确配送药品"
    data["name"] = "药品配送一岗"
    response = secretary_client.post(url("post_edit", post.pk), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.name == "药品配送一岗" and post.duties == "改"
    entry = AuditEntry.objects.get(action="修改党员先锋岗")
    assert "药品配送岗 → 药品配送一岗" in entry.detail


# --- 挂牌 / 摘牌 ------------------------------------------------------------------------------


def test_removal_needs_a_reason_then_hangs_again_inline(secretary_client, post):
    page = secretary_client.get(url("post_plaque", post.pk))
    assert page.context["action"] == "remove" and "摘牌原因" in page.text
    response = secretary_client.post(
        url("post_plaque", post.pk), {"action": "remove", "on": "2011-06-01", "reason": "  "}
    )
    assert errors_of(response, "reason") == ["请填写摘牌原因。"]
    assert 'value="2011-06-01"' in response.text
    post.refresh_from_db()
    assert post.plaque == VanguardPost.Plaque.HUNG
    assert PlaqueEvent.objects.filter(post=post).count() == 1
    response = secretary_client.post(
        url("post_plaque", post.pk), {"action": "remove", "on": "2011-06-01", "reason": "合并"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.plaque, post.removal_reason) == (VanguardPost.Plaque.REMOVED, "合并")
    # The post's page now offers 重新挂牌 inline: one date and one tap.
    detail = secretary_client.get(url("post_detail", post.pk))
    assert detail.context["hang_form"] is not None
    secretary_client.post(url("post_plaque", post.pk), {"action": "hang", "on": "2011-07-01"})
    post.refresh_from_db()
    assert post.plaque == VanguardPost.Plaque.HUNG and post.removal_reason == ""
    assert PlaqueEvent.objects.filter(post=post).count() == 3


def test_plaque_date_before_the_last_one_or_a_stale_page_is_refused(secretary_client, post):
    response = secretary_client.post(
        url("post_plaque", post.pk), {"action": "remove", "on": "2011-01-01", "reason": "合并"}
    )
    assert any("不能早于" in e for e in errors_of(response, "on"))
    # A 挂牌 form left open on a post hung meanwhile: refused, not turned into a 摘牌.
    response = secretary_client.post(url("post_plaque", post.pk), {"action": "hang", "on": DAY})
    assert response.status_code == 200
    assert any("不能改为" in str(e) for e in response.context["form"].non_field_errors())
    post.refresh_from_db()
    assert post.plaque == VanguardPost.Plaque.HUNG
    assert PlaqueEvent.objects.filter(post=post).count() == 1


# --- 安排上岗 / 离岗 --------------------------------------------------------------------------


def test_assign_a_member(secretary_client, branch, post):
    newcomer = make_person(branch, (Role.MEMBER,))
    response = secretary_client.post(
        url("post_assign", post.pk), {"member": newcomer.pk, "starts_on": "2011-06-01"}
    )
    assert response.status_code == 302
    assert PostHolder.objects.get(post=post, member=newcomer).starts_on == dt.date(2011, 6, 1)


def test_assign_refuses_a_non_member_and_one_already_on_the_post(
    secretary_client, staff, member, post, holder
):
    response = secretary_client.post(
        url("post_assign", post.pk), {"member": staff.pk, "starts_on": "2011-06-01"}
    )
    assert errors_of(response, "member") == ["只能安排本支部的党员上岗，请从列表中选择。"]
    assert 'value="2011-06-01"' in response.text
    response = secretary_client.post(
        url("post_assign", post.pk), {"member": member.pk, "starts_on": "2011-06-01"}
    )
    assert any("已经在这个先锋岗上了" in e for e in errors_of(response, "member"))
    response = secretary_client.post(
        url("post_assign", post.pk), {"member": member.pk, "starts_on": "9999-12-31"}
    )
    assert errors_of(response, "starts_on")
    assert PostHolder.objects.filter(post=post).count() == 1


def test_release_before_the_start_is_refused_then_done(secretary_client, post, holder):
    response = secretary_client.post(url("holder_release", holder.pk), {"ends_on": "2011-05-01"})
    assert response.status_code == 200
    assert any("不能早于" in e for e in errors_of(response, "ends_on"))
    assert 'value="2011-05-01"' in response.text
    holder.refresh_from_db()
    assert holder.ends_on is None
    response = secretary_client.post(url("holder_release", holder.pk), {"ends_on": "2011-07-01"})
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.ends_on == dt.date(2011, 7, 1)
    # Released already: said on top of the form, nothing changes.
    response = secretary_client.post(url("holder_release", holder.pk), {"ends_on": "2011-08-01"})
    assert any("已经离岗" in str(e) for e in response.context["form"].non_field_errors())
    holder.refresh_from_db()
    assert holder.ends_on == dt.date(2011, 7, 1)


# --- 季度评星 ---------------------------------------------------------------------------------


def review_data(campaign, **extra):
    return {"period": "2011-2", "stars": "4", "note": "配送及时", **extra}


def test_review_preselects_the_asked_quarter_and_saves(secretary_client, post, campaign):
    page = secretary_client.get(url("post_review", post.pk), {"year": 2011, "quarter": 2})
    assert page.context["form"]["period"].value() == "2011-2"
    items = list(campaign.member_standards.items.all())
    data = review_data(campaign, **{f"item_{items[0].pk}": "5"})
    response = secretary_client.post(url("post_review", post.pk), data)
    assert response.status_code == 302
    review = PostReview.objects.get(post=post, year=2011, quarter=2)
    assert (review.stars, review.note) == (4, "配送及时")
    assert [(s.standard, s.stars) for s in review.scores.all()] == [(items[0], 5)]


def test_review_preselects_the_current_quarter(branch, secretary, dept):
    post = make_post(branch, secretary, name="药品配送岗", department=dept)
    today = timezone.localdate()
    running = services.campaign_create(
        branch=branch,
        name="当年的活动",
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=400),
        by=secretary,
    )
    services.campaign_start(campaign=running, by=secretary)
    page = client_for(secretary).get(url("post_review", post.pk))
    quarter = (today.month - 1) // 3 + 1
    assert page.context["form"]["period"].value() == f"{today.year}-{quarter}"


@pytest.mark.parametrize("stars", ["0", "6", "三"])
def test_review_refuses_stars_outside_1_to_5(secretary_client, post, campaign, stars):
    response = secretary_client.post(
        url("post_review", post.pk), review_data(campaign, stars=stars, note="保留的评语")
    )
    assert response.status_code == 200
    assert errors_of(response, "stars") == ["所选星级不在可选范围内，请重新选择。"]
    assert "保留的评语" in response.text
    assert not PostReview.objects.exists()


def test_review_refuses_a_quarter_outside_the_campaign(secretary_client, post, campaign):
    response = secretary_client.post(
        url("post_review", post.pk), review_data(campaign, period="2009-1")
    )
    assert errors_of(response, "period") == ["所选季度不在可选范围内，请重新选择。"]
    assert not PostReview.objects.exists()


def test_review_again_corrects_it_through_the_service(secretary_client, post, campaign):
    secretary_client.post(url("post_review", post.pk), review_data(campaign))
    page = secretary_client.get(url("post_review", post.pk), {"year": 2011, "quarter": 2})
    assert page.context["existing"] is not None
    assert page.context["form"]["stars"].value() == 4  # the form starts from the review
    secretary_client.post(url("post_review", post.pk), review_data(campaign, stars="2"))
    review = PostReview.objects.get(post=post)
    assert review.stars == 2
    entry = AuditEntry.objects.get(action="修改先锋岗季度评星")
    assert "星级：4 → 2" in entry.detail


def test_review_needs_a_running_campaign(secretary_client, branch, secretary, dept):
    post = make_post(branch, secretary, name="药品配送岗", department=dept)
    response = secretary_client.get(url("post_review", post.pk))
    assert response.status_code == 200
    assert "季度评星" in response.text and "form" not in response.context


# --- Queries: the same for 3 rows as for 30 ---------------------------------------------------


def _world(n: int):
    """A branch of its own: n posts; the first with n holders (one released), n deeds (half
    宣传), n 增收节支 records over the quarters; every post with quarterly stars per item."""
    branch = make_branch()
    boss = make_person(branch, (Role.SECRETARY, Role.MEMBER))
    campaign = make_campaign(boss)
    posts = [make_post(branch, boss, department=make_department(branch)) for _ in range(n)]
    first = posts[0]
    people = [make_person(branch, (Role.MEMBER,)) for _ in range(n)]
    holdings = [make_holder(first, person, boss) for person in people]
    services.post_release(holder=holdings[-1], ends_on=DAY, by=boss)
    items = list(campaign.member_standards.items.all())
    quarters = [(2010, 3), (2010, 4), (2011, 1), (2011, 2), (2011, 3), (2011, 4)]
    for post in posts:
        if post is not first:
            make_holder(post, people[0], boss)
        for year, quarter in quarters[: min(n, 6)]:
            services.post_review_save(
                post=post,
                campaign=campaign,
                year=year,
                quarter=quarter,
                stars=4,
                note="好",
                item_stars={items[0]: 5, items[1]: 3},
                by=boss,
            )
        make_saving(campaign, boss, post=post)
    for i in range(n):
        deed = make_deed(campaign, people[i], boss, post=first, title=f"事迹{i}")
        if i % 2:
            services.deed_publicize(deed=deed, publicized=True, by=boss)
        make_saving(campaign, boss, post=first, happened_on=dt.date(2011, 1 + i % 12, 1))
    staff = make_person(branch, (Role.STAFF,))
    return {"secretary": client_for(boss), "staff": client_for(staff), "post": first}


def _pages(world) -> list[str]:
    return [url("post_list"), url("post_detail", world["post"].pk)]


def _queries(client, target: str) -> int:
    client.get(target)  # warm up: per-process caches are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["secretary", "staff"])
def test_queries_are_the_same_for_3_and_30_rows(db, django_assert_num_queries, role):
    small = _world(3)
    counts = [_queries(small[role], target) for target in _pages(small)]
    assert max(counts) <= 12, counts
    large = _world(30)
    for target, expected in zip(_pages(large), counts, strict=True):
        large[role].get(target)  # warm up
        with django_assert_num_queries(expected):
            response = large[role].get(target)
        assert response.status_code == 200
