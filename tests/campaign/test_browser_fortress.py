"""The 战斗堡垒 chain in a real browser: the secretary sets up a 党员先锋岗 and puts two members
on it, one of them records a 先锋事迹 with a photo on a phone, the secretary turns a problem found
into a rectification item with two measures, the responsible leader completes them on a phone and
reports the item fixed, and the secretary accepts it (验收). Every page reached passes the journey
checks (axe-core, no sideways scroll, no console error: tests/browser.py)."""

import datetime as dt

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from campaign.models import Deed, Measure, PostHolder, Problem, Rectification, VanguardPost
from members.models import Role
from tests.browser import DESKTOP, PHONE, open_phone_menu
from tests.conftest import login
from tests.factories import make_department, make_person

from .factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST = "药品配送岗"
DEED = "雪夜送药"
PROBLEM = "配送成本偏高"
ITEM = "降低配送成本"
MEASURES = ("重新规划配送线路", "建立油耗台账")


@pytest.fixture(autouse=True)
def _patient_expect():
    """Another suite may share this machine: a page answering a POST (a photo re-encoded, axe-core
    just run) may take longer than expect's default 5 s. Wait up to 20 s, then restore it."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def _as(page, live_server, user, size=DESKTOP):
    page.context.clear_cookies()
    page.set_viewport_size(size)
    login(page, live_server, user)


def _fortress_menu(page, entry: str) -> None:
    """Open the navbar's 战斗堡垒 dropdown and follow one of its entries (the breadcrumb is a
    navigation landmark too: the menu is #mainnav)."""
    nav = page.locator("#mainnav")
    nav.get_by_role("button", name="战斗堡垒").click()
    nav.get_by_role("link", name=entry, exact=True).click()


def test_post_deed_problem_measures_and_acceptance(
    page, live_server, branch, secretary, leader, member, browser_log, journey, tmp_path
):
    campaign = make_campaign(secretary)
    make_department(branch, "物流配送部")
    colleague = make_person(branch, (Role.MEMBER,), full_name="赵党员")
    today = timezone.localdate()

    # The secretary, on a desktop, sets up the post from the 战斗堡垒 menu.
    _as(page, live_server, secretary)
    journey.check("secretary's home")
    _fortress_menu(page, "党员先锋岗")
    expect(page.get_by_role("heading", name="党员先锋岗", level=1)).to_be_visible()
    journey.check("posts")
    page.get_by_role("link", name="新建先锋岗").click()
    expect(page.get_by_role("heading", name="新建先锋岗", level=1)).to_be_visible()
    journey.check("new post")
    page.get_by_label("岗位名称").fill(POST)
    page.get_by_label("部门").select_option(label="物流配送部")
    page.get_by_label("岗位职责").fill("按时准确配送药品，做好冷链交接")
    page.get_by_label("服务承诺").fill("以诚待人，以信立身，热情服务，乐于奉献")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已设立党员先锋岗“{POST}”")
    expect(page.get_by_role("heading", name=POST, level=1)).to_be_visible()
    journey.check("new post's page")
    page.get_by_role("button", name="挂牌", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已挂牌。")
    journey.check("post with its plaque")

    # Two members on the post, one after the other.
    for person in (member, colleague):
        page.get_by_role("link", name="安排上岗").click()
        expect(page.get_by_role("heading", name="安排上岗", level=1)).to_be_visible()
        journey.check("assign a member")
        page.get_by_label("党员").select_option(label=person.full_name)
        page.get_by_role("button", name="安排上岗").click()
        expect(page.get_by_role("alert")).to_contain_text(f"已安排{person.full_name}上岗。")
        journey.check(f"post after assigning {person.full_name}")
    holders = page.locator("tbody tr").filter(has_text="在岗")
    expect(holders.filter(has_text=member.full_name)).to_be_visible()
    expect(holders.filter(has_text=colleague.full_name)).to_be_visible()
    post = VanguardPost.objects.get(branch=branch, name=POST)
    assert post.plaque == VanguardPost.Plaque.HUNG
    assert set(PostHolder.objects.current().filter(post=post).values_list("member", flat=True)) == {
        member.pk,
        colleague.pk,
    }

    # On a phone, the member records a deed from the to-do on the home page, with a photo.
    photo = tmp_path / "事迹.jpg"
    Image.new("RGB", (64, 48), "red").save(photo, "JPEG")
    _as(page, live_server, member, PHONE)
    journey.check("member's home @390px")
    page.get_by_role("link", name=f"记录先锋事迹：您在“{POST}”").click()
    expect(page.get_by_role("heading", name="记录先锋事迹", level=1)).to_be_visible()
    journey.check("new deed @390px")
    expect(page.get_by_label("先锋岗")).to_have_value(str(post.pk))
    page.get_by_label("标题").fill(DEED)
    page.get_by_label("事迹经过").fill("冒雪将急需药品送到医院，客户来电表扬。")
    page.get_by_label("急难险重任务").check()
    page.get_by_label("照片").set_input_files(str(photo))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("先锋事迹已提交，等待支部书记确认。")
    expect(page.get_by_role("heading", name=DEED, level=1)).to_be_visible()
    expect(page.get_by_role("img", name=DEED)).to_have_js_property("naturalWidth", 64)
    journey.check("deed with its photo @390px")
    # The deed is in the list, from the phone menu, waiting for the secretary.
    open_phone_menu(page)
    _fortress_menu(page, "先锋事迹")
    expect(page.get_by_role("heading", name="先锋事迹", level=1)).to_be_visible()
    listed = page.locator("tbody tr").filter(has_text=DEED)
    expect(listed).to_contain_text("（1 张照片）")
    expect(listed).to_contain_text("待确认")
    journey.check("deeds @390px")
    deed = Deed.objects.get(member=member)
    assert (deed.campaign, deed.post, deed.title) == (campaign, post, DEED)
    assert deed.status == Deed.Status.SUBMITTED
    assert deed.photos.count() == 1

    # The secretary records a problem found against the group's strategy ...
    _as(page, live_server, secretary)
    _fortress_menu(page, "查找问题")
    expect(page.get_by_role("heading", name="查找问题", level=1)).to_be_visible()
    journey.check("problems")
    page.get_by_role("link", name="登记问题").click()
    expect(page.get_by_role("heading", name="登记问题", level=1)).to_be_visible()
    journey.check("new problem")
    page.get_by_label("对照集团战略").check()
    page.get_by_label("经营管理").check()
    page.get_by_label("问题概述").fill(PROBLEM)
    page.get_by_label("问题描述").fill("对照“整合、转型、创新、跨越”战略，配送环节成本偏高。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已登记问题：{PROBLEM}。")
    expect(page.get_by_role("heading", name=PROBLEM, level=1)).to_be_visible()
    journey.check("problem")

    # ... turns it into a rectification item the leader answers for ...
    page.get_by_role("link", name="列入整改").click()
    expect(page.get_by_role("heading", name="列入整改", level=1)).to_be_visible()
    journey.check("rectify a problem")
    expect(page.get_by_label(PROBLEM)).to_be_checked()
    page.get_by_label("整改事项", exact=True).fill(ITEM)
    page.get_by_label("整改事项说明").fill("优化配送路线，降低油耗。")
    page.get_by_label("责任领导").select_option(label=leader.full_name)
    page.get_by_role("button", name="列入整改").click()
    expect(page.get_by_role("alert")).to_contain_text(f"已确定整改事项：{ITEM}。")
    expect(page.get_by_role("heading", name=ITEM, level=1)).to_be_visible()
    journey.check("new rectification item")

    # ... with two measures the leader carries out, due within the week.
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
    problem = Problem.objects.get(title=PROBLEM)
    assert (problem.campaign, problem.source) == (campaign, Problem.Source.STRATEGY)
    assert problem.rectification == item
    assert (item.responsible, item.status) == (leader, Rectification.Status.PENDING)
    assert item.measures.count() == 2

    # On a phone, the leader goes from the to-do to the item and completes both measures.
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
        page.get_by_label("佐证说明").fill(f"第{n}项已完成，附配送记录")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("alert")).to_contain_text(f"进度已更新：{content}，100%。")
        journey.check(f"item after measure {n} is done @390px")
    expect(page.get_by_role("alert")).to_contain_text("全部措施已完成，可以报告已整改。")
    page.get_by_role("button", name="报告已整改").click()
    expect(page.get_by_role("alert")).to_contain_text("已报告整改完成，等待支部验收。")
    expect(page.locator("h1 + .badge")).to_have_text("已整改")
    journey.check("item reported fixed @390px")

    # The secretary accepts it from the 整改 list.
    _as(page, live_server, secretary)
    _fortress_menu(page, "整改")
    expect(page.get_by_role("heading", name="整改事项", level=1)).to_be_visible()
    journey.check("rectification items")
    page.get_by_role("link", name=ITEM).click()
    expect(page.get_by_role("heading", name=ITEM, level=1)).to_be_visible()
    journey.check("item to accept")
    page.get_by_role("button", name="验收").click()
    expect(page.get_by_role("alert")).to_contain_text("整改事项已验收。")
    expect(page.locator("h1 + .badge")).to_have_text("已验收")
    expect(page.get_by_text(f"验收人：{secretary.full_name}")).to_be_visible()
    journey.check("accepted item")

    item.refresh_from_db()
    assert item.status == Rectification.Status.ACCEPTED
    assert (item.accepted_by, item.accepted_on) == (secretary, today)
    measures = Measure.objects.filter(rectification=item).order_by("order")
    assert [(m.content, m.percent, m.completed_on) for m in measures] == [
        (content, 100, today) for content in MEASURES
    ]
    assert all(m.evidence_note.endswith("已完成，附配送记录") for m in measures)
    assert any("报告已整改" in d for d in browser_log["dialogs"])
    assert browser_log["csp"] == []
