"""战斗堡垒 in the shared to-do (members.hooks): each role's pending work with the page that does
it; nothing for whoever may not do it; the home page's queries stay the same for 3 rows as for 30
and within 12."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import Campaign
from campaign.models.vanguard import quarter_of
from members.hooks import tasks_for
from members.models import Role
from tests.factories import make_person

from .factories import (
    make_campaign,
    make_deed,
    make_holder,
    make_measure,
    make_post,
    make_problem,
    make_rectification,
)

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

TODAY = timezone.localdate()


@pytest.fixture
def campaign(secretary):
    """A campaign around today, so that the last quarter is one of its quarters."""
    campaign = make_campaign(secretary)
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=TODAY - dt.timedelta(days=300), ends_on=TODAY + dt.timedelta(days=300)
    )
    campaign.refresh_from_db()
    return campaign


def _item(campaign, secretary, leader, **data):
    problem = make_problem(campaign, secretary, found_on=TODAY, title=data.get("title", "问题"))
    return make_rectification(campaign, secretary, leader, problems=[problem], **data)


def _fortress(user):
    return {t.text: t for t in tasks_for(user) if t.section == "战斗堡垒"}


def test_the_secretary_confirms_deeds_and_rates_the_quarter(campaign, branch, secretary, member):
    post = make_post(branch, secretary, name="药品配送岗")
    make_holder(post, member, secretary)
    make_deed(campaign, member, member, post=post, happened_on=TODAY)
    tasks = _fortress(secretary)
    confirm = tasks["确认先锋事迹 1 条"]
    assert (
        confirm.urgent and str(confirm.url) == reverse("campaign:deed_list") + "?status=submitted"
    )
    year, quarter = quarter_of(TODAY)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    [review] = [t for k, t in tasks.items() if k.startswith("先锋岗季度评星")]
    assert review.text == f"先锋岗季度评星：{year}年第{quarter}季度还有 1 个岗位未评"
    url = reverse("campaign:post_review", args=[post.pk])
    assert str(review.url) == f"{url}?year={year}&quarter={quarter}"
    services.post_review_save(
        post=post, campaign=campaign, year=year, quarter=quarter, stars=5, note="", by=secretary
    )
    make_post(branch, secretary, name="仓储养护岗")
    make_post(branch, secretary, name="安全行车岗")
    [review] = [t for k, t in _fortress(secretary).items() if k.startswith("先锋岗季度评星")]
    assert "还有 2 个岗位未评" in review.text
    assert str(review.url) == reverse("campaign:post_list")
    # The member's own deed is not his to confirm; the leader neither.
    assert "确认先锋事迹 1 条" not in _fortress(member)


def test_a_member_on_a_post_is_asked_for_deeds(campaign, branch, secretary, member, staff):
    post = make_post(branch, secretary, name="药品配送岗")
    assert not _fortress(member)
    holder = make_holder(post, member, secretary)
    task = _fortress(member)["记录先锋事迹：您在“药品配送岗”"]
    assert str(task.url) == reverse("campaign:deed_create") + f"?post={post.pk}"
    assert not task.urgent
    second = make_post(branch, secretary, name="配送调度岗")
    make_holder(second, member, secretary)
    task = _fortress(member)["记录先锋事迹：您在 2 个先锋岗"]
    services.post_release(holder=holder, ends_on=TODAY - dt.timedelta(days=1), by=secretary)
    assert "记录先锋事迹：您在“配送调度岗”" in _fortress(member)
    assert not _fortress(staff)


def test_the_responsible_leader_updates_measures_due(campaign, secretary, leader, member, staff):
    item = _item(campaign, secretary, leader)
    task = _fortress(leader)["您负责的整改事项 1 项还没有整改措施，请制定措施"]
    assert str(task.url) == item.get_absolute_url() and not task.urgent
    make_measure(item, leader, staff, deadline=TODAY + dt.timedelta(days=3))
    late = make_measure(item, leader, leader, deadline=TODAY + dt.timedelta(days=5))
    make_measure(item, leader, member, deadline=TODAY + dt.timedelta(days=60))  # not due yet
    tasks = _fortress(leader)
    task = tasks["整改措施 2 项即将到期，请更新进度"]
    assert str(task.url) == item.get_absolute_url() and not task.urgent
    assert not any("还没有整改措施" in t for t in tasks)
    # The owner who is not responsible is told, not asked to update.
    owned = _fortress(staff)["您承担的整改措施 1 项即将到期，完成后请向责任领导报告"]
    assert str(owned.url) == item.get_absolute_url()
    from campaign.models import Measure

    Measure.objects.filter(pk=late.pk).update(deadline=TODAY - dt.timedelta(days=1))
    task = _fortress(leader)["整改措施 2 项到期，其中 1 项已逾期，请更新进度"]
    assert task.urgent
    other = _item(campaign, secretary, leader, title="统一信息系统")
    make_measure(other, leader, leader, deadline=TODAY)
    task = _fortress(leader)["整改措施 3 项到期，其中 1 项已逾期，请更新进度"]
    assert str(task.url) == reverse("campaign:rectification_list") + "?status=open"
    services.measure_progress(measure=late, percent=100, by=leader)
    assert "整改措施 2 项即将到期，请更新进度" in _fortress(leader)
    assert not any("整改" in t for t in _fortress(secretary))  # not hers to update


def test_the_secretary_sees_overdue_items(campaign, secretary, leader):
    item = _item(campaign, secretary, leader)
    assert not any("逾期" in t for t in _fortress(secretary))
    item.__class__.objects.filter(pk=item.pk).update(
        opened_on=TODAY - dt.timedelta(days=40), deadline=TODAY - dt.timedelta(days=1)
    )
    task = _fortress(secretary)["整改事项已逾期 1 项，请督促整改"]
    assert task.urgent
    assert str(task.url) == reverse("campaign:rectification_list") + "?overdue=yes"
    assert "整改事项已逾期 1 项，请督促整改" not in _fortress(leader)
    services.rectification_decline(rectification=item, reason="不具备条件", by=secretary)
    assert not any("逾期" in t for t in _fortress(secretary))


def test_the_home_page_links_the_tasks(campaign, branch, secretary, member):
    post = make_post(branch, secretary, name="药品配送岗")
    make_holder(post, member, secretary)
    client = Client()
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    href = reverse("campaign:deed_create") + f"?post={post.pk}"
    assert f'href="{href}"' in html and "记录先锋事迹：您在“药品配送岗”" in html
    assert "战斗堡垒" in html


# --- Query counts of the home page ------------------------------------------------------------


def _home_queries(user) -> int:
    client = Client()
    client.force_login(user)
    client.get(reverse("home"))  # warm up: per-process caches are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(campaign, branch, secretary, leader, member, n):
    for _ in range(n):
        post = make_post(branch, secretary)
        make_holder(post, member, secretary)
        other = make_person(branch, (Role.MEMBER,))
        make_holder(post, other, secretary)
        make_deed(campaign, member, member, post=post, happened_on=TODAY)
        item = _item(campaign, secretary, leader)
        make_measure(item, leader, member, deadline=TODAY)
        bare = _item(campaign, secretary, leader)
        bare.__class__.objects.filter(pk=bare.pk).update(
            opened_on=TODAY - dt.timedelta(days=9), deadline=TODAY - dt.timedelta(days=1)
        )


def test_the_home_page_runs_the_same_queries_for_3_and_30_rows(
    campaign, branch, secretary, leader, member, staff
):
    people = (secretary, leader, member, staff)
    _grow(campaign, branch, secretary, leader, member, 3)
    small = {p.username: _home_queries(p) for p in people}
    _grow(campaign, branch, secretary, leader, member, 27)
    large = {p.username: _home_queries(p) for p in people}
    assert small == large, (small, large)
    assert max(large.values()) <= 12, large
    # Every kind of the to-do was drawn: confirm, overdue, quarter; measures, bare items; owned
    # measures, deeds to record.
    assert (len(_fortress(secretary)), len(_fortress(leader)), len(_fortress(member))) == (3, 2, 2)
