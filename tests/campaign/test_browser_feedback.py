"""Staff feedback (服务群众, issue 13) in a real browser: a staff member, signed out on a phone,
sends a 完全匿名 complaint from the QR poster's page and keeps the receipt code; once the day is
over the secretary accepts it, gives it to the leader and opens a rectification item from it with
two measures; the leader completes them on a phone and reports the item fixed; the sender, signed
out again, follows it with the code and rates it 满意; the 整改公示 board shows it 已办结 without
the sender's name. Every page reached passes the journey checks (axe-core, no sideways scroll, no
console error: tests/browser.py)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaign import services
from campaign.models import Feedback, Measure, Rectification, SatisfactionRating
from tests.browser import DESKTOP, PHONE, open_phone_menu
from tests.conftest import login

from .factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPLAINT = "食堂午饭菜量偏少，荤菜经常不够"
ITEM = "改进职工食堂伙食"
MEASURES = ("午餐增加一道荤菜", "建立伙食意见登记本")


@pytest.fixture(autouse=True)
def _patient_expect():
    """Another suite may share this machine: a page answering a POST (axe-core just run) may
    take longer than expect's default 5 s. Wait up to 20 s, then restore it."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def _as(page, live_server, user, size=DESKTOP):
    page.context.clear_cookies()
    page.set_viewport_size(size)
    login(page, live_server, user)


def _signed_out(page, size=PHONE):
    page.context.clear_cookies()
    page.set_viewport_size(size)


def _serve_menu(page, entry: str) -> None:
    """Open the navbar's 服务群众 dropdown and follow one of its entries."""
    nav = page.locator("#mainnav")
    nav.get_by_role("button", name="服务群众").click()
    nav.get_by_role("link", name=entry, exact=True).click()


def _action(page, summary: str):
    """Unfold one handling action of a feedback item (a <details> folded on a phone) by clicking
    its summary; wait until it is open before touching its form."""
    details = page.locator("details").filter(has=page.get_by_text(summary, exact=True))
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    return details


def test_anonymous_complaint_rectified_rated_and_on_the_board(
    page, live_server, branch, secretary, leader, staff, browser_log, journey
):
    campaign = make_campaign(secretary)
    today = timezone.localdate()

    # A staff member, signed out on a phone, opens the QR poster's address and complains about
    # the canteen, 完全匿名 (the only mode signed out).
    _signed_out(page)
    journey.goto(reverse("campaign:feedback_send", args=[branch.pk]))
    expect(page.get_by_role("heading", name="提意见", level=1)).to_be_visible()
    journey.check("send feedback, signed out @390px")
    expect(page.get_by_label("完全匿名")).to_be_checked()
    page.get_by_label("投诉", exact=True).check()
    page.get_by_label("食堂伙食", exact=True).check()
    page.get_by_label("意见内容").fill(COMPLAINT)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="意见已提交（完全匿名）", level=1)).to_be_visible()
    receipt = page.locator("#receipt-code")
    expect(receipt).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$"))
    code = receipt.inner_text().strip()
    journey.check("receipt @390px")
    assert Feedback.objects.count() == 0  # in the drop box until the day is over

    # The day is over: the day's drop box is written out as feedback.
    assert services.feedback_release(today=today + dt.timedelta(days=1)) == 1

    # The secretary, on a desktop, opens the item from 服务群众 → 群众意见处理 ...
    _as(page, live_server, secretary)
    journey.check("secretary's home")
    _serve_menu(page, "群众意见处理")
    expect(page.get_by_role("heading", name="群众意见", level=1)).to_be_visible()
    journey.check("feedback to handle")
    listed = page.locator("tbody tr").filter(has_text=COMPLAINT)
    expect(listed).to_contain_text("完全匿名")
    expect(listed).to_contain_text("待受理")
    expect(listed).to_contain_text("投诉 · 食堂伙食")
    listed.get_by_role("link", name=COMPLAINT).click()
    expect(page.get_by_role("heading", name="意见详情", level=1)).to_be_visible()
    journey.check("feedback item to accept")

    # ... accepts it (受理), giving it to the leader ...
    accept = _action(page, "受理")
    accept.get_by_label("负责处理的领导").select_option(label=leader.full_name)
    accept.get_by_role("button", name="确定").click()
    expect(page.get_by_role("alert")).to_contain_text("已受理，并交给负责领导处理。")
    journey.check("accepted feedback item")

    # ... and opens a new rectification item from it (列入整改事项).
    rectify = _action(page, "列入整改事项")
    rectify.get_by_label("或新建整改事项：名称").fill(ITEM)
    rectify.get_by_label("整改事项说明").fill("调整食堂菜谱，保证荤菜供应。")
    rectify.get_by_label("责任领导").select_option(label=leader.full_name)
    rectify.get_by_label("整改时限").fill((today + dt.timedelta(days=30)).isoformat())
    rectify.get_by_role("button", name="确定").click()
    expect(page.get_by_role("alert")).to_contain_text("已列入整改事项，整改进展会同步到这条意见。")
    expect(page.get_by_text(ITEM)).to_be_visible()
    journey.check("feedback item in rectification")

    # Two measures on the rectification item's page, due within the week.
    page.get_by_role("link", name="查看整改事项和措施").click()
    expect(page.get_by_role("heading", name=ITEM, level=1)).to_be_visible()
    journey.check("rectification item from the feedback")
    due = (today + dt.timedelta(days=5)).isoformat()
    for content in MEASURES:
        page.get_by_role("link", name="添加整改措施").click()
        expect(page.get_by_role("heading", name="添加整改措施", level=1)).to_be_visible()
        journey.check("new measure")
        page.get_by_label("整改措施").fill(content)
        page.get_by_label("责任人").select_option(label=leader.full_name)
        page.get_by_label("完成时限").fill(due)
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("alert")).to_contain_text("整改措施已添加。")
        expect(page.locator("tbody tr").filter(has_text=content)).to_be_visible()
        journey.check(f"item with the measure {content}")
    item = Rectification.objects.get(title=ITEM)
    feedback = Feedback.objects.get()
    assert (item.campaign, item.responsible) == (campaign, leader)
    assert (feedback.rectification, feedback.handler) == (item, leader)
    assert feedback.status == Feedback.Status.RECTIFYING

    # On a phone, the leader goes from the to-do to the item, completes both measures and
    # reports it fixed (a confirm dialog, accepted by browser_log).
    _as(page, live_server, leader, PHONE)
    journey.check("leader's home @390px")
    page.get_by_role("link", name="整改措施 2 项即将到期，请更新进度").click()
    expect(page.get_by_role("heading", name=ITEM, level=1)).to_be_visible()
    journey.check("item to carry out @390px")
    for n, content in enumerate(MEASURES, start=1):
        row = page.locator("tbody tr").filter(has_text=content)
        row.get_by_role("link", name="更新进度").click()
        expect(page.get_by_role("heading", name="更新整改进度", level=1)).to_be_visible()
        expect(page.get_by_text(content, exact=True)).to_be_visible()
        journey.check("measure progress @390px")
        page.get_by_label("完成进度").fill("100")
        page.get_by_label("佐证说明").fill(f"第{n}项已完成，附食堂菜谱")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("alert")).to_contain_text(f"进度已更新：{content}，100%。")
        journey.check(f"item after measure {n} is done @390px")
    expect(page.get_by_role("alert")).to_contain_text("全部措施已完成，可以报告已整改。")
    page.get_by_role("button", name="报告已整改").click()
    expect(page.get_by_role("alert")).to_contain_text("已报告整改完成，等待支部验收。")
    expect(page.locator("h1 + .badge")).to_have_text("已整改")
    journey.check("item reported fixed @390px")

    # The sender, signed out again on a phone, follows the item with the receipt code and rates
    # the result.
    _signed_out(page)
    journey.goto(reverse("campaign:feedback_track"))
    expect(page.get_by_role("heading", name="凭回执码查询", level=1)).to_be_visible()
    journey.check("track, signed out @390px")
    page.get_by_label("回执码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="您的意见", level=2)).to_be_visible()
    expect(page.get_by_text("已整改（待评价）")).to_be_visible()
    expect(page.get_by_text(COMPLAINT)).to_be_visible()
    journey.check("tracked item to rate @390px")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价（满意）。")
    expect(page.get_by_text("已办结")).to_be_visible()
    journey.check("rated item @390px")

    # Anyone of the branch, here the sender signed in on a phone, reads the 整改公示 board: the
    # item is 已办结 and no name of the sender is on it (the navbar names the viewer, so the
    # check is on the page's content, #main).
    _as(page, live_server, staff, PHONE)
    open_phone_menu(page)
    _serve_menu(page, "意见整改公示")
    expect(page.get_by_role("heading", name="意见建议整改公示", level=1)).to_be_visible()
    journey.check("feedback board @390px")
    shown = page.locator("article").filter(has_text=COMPLAINT)
    expect(shown).to_contain_text("已办结")
    expect(shown).to_contain_text(ITEM)
    expect(shown).not_to_contain_text("提出人")
    expect(page.locator("#main")).not_to_contain_text(staff.full_name)

    feedback.refresh_from_db()
    assert (feedback.sender, feedback.identity) == (None, Feedback.Identity.NONE)
    assert feedback.status == Feedback.Status.CLOSED
    assert feedback.closed_on == today
    ratings = SatisfactionRating.objects.filter(feedback=feedback)
    assert [r.level for r in ratings] == [SatisfactionRating.Level.SATISFIED]
    measures = Measure.objects.filter(rectification=item).order_by("order")
    assert [(m.content, m.percent) for m in measures] == [(c, 100) for c in MEASURES]
    assert any("报告已整改" in d for d in browser_log["dialogs"])
    assert browser_log["csp"] == []
