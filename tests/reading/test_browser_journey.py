"""The whole chain in a real browser: recommend, second, select, buy, hand out, confirm, read,
post a 读后感, comment, feature — and the post shows on the showcase page. Members and staff use
phones (390 px); every page reached passes the journey checks (tests/browser.py)."""

import pytest
from playwright.sync_api import expect

from members.models import Role
from reading.models import Distribution, ReadingActivity, ReadingProgress, Reflection
from tests.browser import DESKTOP, PHONE, open_phone_menu
from tests.conftest import login
from tests.factories import make_person

from .factories import make_activity, phase_dates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "这本书讲清楚了工作不只是为了工资，更是为了自己的成长，值得每位党员干部读一读。"


def switch(page, live_server, user, size=PHONE):
    page.context.clear_cookies()
    page.set_viewport_size(size)
    login(page, live_server, user)


def recommend(page, title, author):
    page.get_by_role("link", name="推荐一本好书").first.click()
    page.fill("input[name=title]", title)
    page.fill("input[name=author]", author)
    page.fill("input[name=publisher]", "中国长安出版社")
    page.fill("textarea[name=reason]", REASON)
    page.get_by_role("button", name="提交推荐").click()
    page.wait_for_url("**/recommendations/")


def test_the_reading_activity_from_recommendation_to_showcase(
    page, live_server, branch, secretary, member, staff, browser_log, journey
):
    other = make_person(branch, (Role.MEMBER,), username="xt006", full_name="马玉兰")
    activity = make_activity(branch, "recommend", title="创先争优读书活动")

    # Phase 1: two members recommend, one seconds the other.
    switch(page, live_server, member)
    journey.check("member's home @390px")
    recommend(page, "《你在为谁工作》", "陈安之")
    journey.check("recommendations @390px")
    switch(page, live_server, other)
    recommend(page, "责任胜于能力", "孙学敏")
    page.get_by_role("button", name="附议").click()
    expect(page.get_by_text("已附议")).to_have_count(1)
    expect(page.get_by_text("1 人推荐 · 1 人附议")).to_have_count(1)

    # The secretary picks both books with the committee's decision.
    switch(page, live_server, secretary, DESKTOP)
    page.goto(f"{live_server.url}/reading/{activity.pk}/")
    journey.check("activity")
    page.get_by_role("link", name="选定书目").first.click()
    expect(page.locator("input[name=books]").first).to_be_visible()
    journey.check("selection form")
    boxes = page.locator("input[name=books]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.fill("textarea[name=note]", "支委会研究决定，选定推荐和附议最多的两本书。")
    page.get_by_role("button", name="选定并公布").click()
    expect(page.get_by_text("书目已选定，推荐阶段结束。")).to_be_visible()
    assert browser_log["dialogs"] == ["选定后推荐阶段结束，不能再改。确定选定？"]

    # Purchase and hand-out.
    page.get_by_role("link", name="登记采购").first.click()
    page.fill("input[name=quantity]", "3")
    page.fill("input[name=unit_price]", "28.00")
    page.fill("input[name=supplier]", "新华书店")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("合计 84.00 元")).to_be_visible()
    journey.check("purchases")
    page.get_by_role("link", name="发放台账").click()
    expect(page.get_by_role("link", name="登记发放")).to_be_visible()
    journey.check("hand-out ledger")
    page.get_by_role("link", name="登记发放").click()
    page.get_by_label(member.full_name, exact=True).check()
    page.get_by_role("button", name="登记发放").click()
    expect(page.get_by_text("已登记发放 1 册。")).to_be_visible()
    assert Distribution.objects.get().member == member

    # The member confirms receipt from the home page and updates progress.
    switch(page, live_server, member)
    page.get_by_role("button", name="确认已领取 《你在为谁工作》").click()
    expect(page.get_by_text("已确认领取").first).to_be_visible()
    assert Distribution.objects.get().confirmed_at is not None
    # Choosing the books early does not move the phase (nor its badge): reading starts on its date.
    expect(page.get_by_text("第一阶段：推荐好书").first).to_be_visible()
    ReadingActivity.objects.filter(pk=activity.pk).update(**phase_dates("read"))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="登记阅读进度").click()
    card = page.locator(".card", has_text="《你在为谁工作》").first
    card.locator("select").select_option("reading")
    card.locator("input[type=number]").fill("60")
    card.get_by_role("button", name="更新进度").click()
    expect(page.get_by_text("已更新")).to_be_visible()
    journey.check("reading progress @390px")
    assert ReadingProgress.objects.get().percent == 60

    # Time passes: the discussion phase (交流) begins.
    dates = phase_dates("discuss")
    ReadingActivity.objects.filter(pk=activity.pk).update(**dates)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="发表读后感").click()
    page.fill("input[name=title]", "把工作当成自己的事业")
    page.fill("textarea[name=body]", "读完这本书，我想明白了**为谁工作**。\n\n第二段体会。")
    page.get_by_role("button", name="发表").click()
    expect(page.get_by_text("读后感已发表。")).to_be_visible()
    post = Reflection.objects.get()
    expect(page.locator(".reflection-body strong")).to_have_text("为谁工作")
    journey.check("读后感 @390px")

    # Staff read and comment.
    switch(page, live_server, staff)
    open_phone_menu(page)
    page.get_by_role("link", name="读书论坛").first.click()
    expect(page.get_by_role("link", name="把工作当成自己的事业")).to_be_visible()
    journey.check("forum @390px")
    page.get_by_role("link", name="把工作当成自己的事业").click()
    page.fill("textarea[name=body]", "写得实在，向您学习！")
    page.get_by_role("button", name="发表评论").click()
    expect(page.get_by_text("评论已发表。")).to_be_visible()
    journey.check("读后感 with a comment @390px")

    # The secretary features it; it shows on the showcase page.
    switch(page, live_server, secretary, DESKTOP)
    page.goto(f"{live_server.url}{post.get_absolute_url()}")
    page.get_by_role("link", name="设为精华").click()
    page.fill("textarea[name=reason]", "联系岗位实际，体会真切。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已设为精华")).to_be_visible()
    page.get_by_role("link", name="精华推荐").click()
    # Auto-waiting assertions: the showcase page may still be loading right after the click.
    page.wait_for_url(f"**/reading/{activity.pk}/showcase/")
    showcase = page.locator(".showcase-item")
    expect(showcase).to_have_count(1)
    expect(showcase).to_contain_text("把工作当成自己的事业")
    expect(showcase).to_contain_text("联系岗位实际，体会真切。")
    expect(showcase).to_contain_text("评论 1")
    journey.check("showcase")
    assert browser_log["csp"] == []
