"""Journeys of issue 11, point 5, that no app owns: first-run setup, a member kept out of the
secretary's pages, a signed-out visitor. Each page reached is checked by `journey.check` (axe-core,
headings, no sideways scroll) at phone width, and no console error may appear."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import Pledge
from members.middleware import FirstRunMiddleware
from members.models import Branch, User
from tests.browser import DESKTOP, PHONE, open_phone_menu
from tests.campaign.factories import make_campaign, make_pledge
from tests.conftest import login
from tests.reading.factories import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_run_setup_on_a_phone_ends_signed_in(page, journey):
    # The live server's middleware remembers that accounts existed in an earlier test.
    FirstRunMiddleware.forget()
    page.set_viewport_size(PHONE)
    journey.goto("/")
    expect(page.get_by_role("heading", name="欢迎使用创先争优活动平台")).to_be_visible()
    journey.check("setup @390px")
    page.get_by_role("button", name="建立支部和书记账号").click()
    # Nothing typed: each field says what is missing, and nothing is created.
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert not Branch.objects.exists()
    journey.check("setup with errors @390px")
    page.get_by_label("支部名称").fill("新特参茸药业党支部")
    page.get_by_label("所属单位").fill("国药控股党委")
    page.get_by_label("姓名").fill("王志刚")
    page.get_by_label("登录名").fill("WangZG")
    page.locator("input[name=password1]").fill("Hongqi-2011-05")
    page.locator("input[name=password2]").fill("Hongqi-2011-05")
    page.get_by_role("button", name="建立支部和书记账号").click()
    expect(page.get_by_text("您已登录")).to_be_visible()
    journey.check("secretary's first home @390px")
    assert User.objects.get().is_secretary
    page.set_viewport_size(DESKTOP)
    journey.check("secretary's first home @1280px")


SECRETARY_PAGES = [
    ("members:person_list", {}),
    ("members:person_import", {}),
    ("members:audit_log", {}),
    ("campaign:pledge_queue", {}),
    ("campaign:pledge_missing", {}),
    ("campaign:nomination_list", {}),
]


def test_a_member_cannot_reach_the_secretarys_pages(
    page, journey, live_server, branch, secretary, member
):
    campaign = make_campaign(secretary)
    make_pledge(campaign, member, status=Pledge.Status.SUBMITTED)
    activity = make_activity(branch)
    page.set_viewport_size(PHONE)
    login(page, live_server, member)
    journey.check("member's home @390px")
    # The menu offers none of the secretary's pages.
    open_phone_menu(page)
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="人员管理")).to_have_count(0)
    expect(nav.get_by_role("link", name="操作记录")).to_have_count(0)
    pages = [(name, kwargs) for name, kwargs in SECRETARY_PAGES]
    pages += [
        ("reading:purchase_list", {"activity_pk": activity.pk}),
        ("reading:purchase_create", {"activity_pk": activity.pk}),
    ]
    for name, kwargs in pages:
        journey.goto(reverse(name, kwargs=kwargs), status=403)
        expect(page.get_by_role("heading", level=1)).to_contain_text("没有权限")
        expect(page.get_by_role("link", name="返回首页")).to_be_visible()
    journey.check("403 page @390px")
    # The export of a list is the list: refused too.
    journey.goto(reverse("members:person_list") + "?format=xlsx", status=403)


def test_a_signed_out_visitor_sees_only_the_sign_in_page(page, journey, live_server, member):
    page.set_viewport_size(PHONE)
    for url in ["/", reverse("members:directory"), reverse("campaign:pledge_wall")]:
        journey.goto(url)
        expect(page).to_have_url(re.compile(re.escape(reverse("login")) + r"\?next="))
        expect(page.get_by_role("button", name="登录")).to_be_visible()
    journey.check("login @390px")
    page.locator("input[name=username]").fill(member.username)
    page.locator("input[name=password]").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    journey.check("login refused @390px")
    journey.goto("/no-such-page/", status=404)
    journey.check("404 @390px")


def test_the_journey_checks_catch_sideways_scroll_and_console_errors(page, live_server):
    from tests.browser import Journey

    guard = Journey(page, live_server)
    page.set_viewport_size(PHONE)
    page.set_content(
        '<html lang="zh-hans"><head><title>t</title></head><body><main><h1>标题</h1>'
        '<div style="width:900px">太宽</div></main></body></html>'
    )
    with pytest.raises(AssertionError, match="scrolls sideways at 390px"):
        guard.check("wide")
    page.evaluate("console.error('坏了')")
    with pytest.raises(AssertionError, match="坏了"):
        guard.assert_no_errors()
