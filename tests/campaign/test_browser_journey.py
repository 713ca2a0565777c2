"""The campaign's chain in a real browser: a member's pledge on a phone, approval, 践诺 with a
photo, a leader's comment, an anonymous vote on a phone, results. Every page reached passes the
journey checks (axe-core, no sideways scroll, no console error: tests/browser.py)."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from campaign import services
from campaign.models import EvaluationSubject, LeaderReview, Phase, Pledge
from members.models import Role
from tests.browser import DESKTOP, PHONE
from tests.conftest import login
from tests.factories import make_person

from .factories import all_levels, make_campaign, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user, size=DESKTOP):
    page.context.clear_cookies()
    page.set_viewport_size(size)
    login(page, live_server, user)


def test_pledge_comment_vote_and_results(
    page, live_server, branch, secretary, leader, member, staff, browser_log, journey, tmp_path
):
    campaign = make_campaign(secretary)
    services.phase_set_current(phase=campaign.phases.get(kind=Phase.Kind.COMPETE), by=secretary)
    others = [make_person(branch, (Role.STAFF,)) for _ in range(4)]
    round_ = make_round(campaign, secretary, chosen=[staff, *others])
    branch_subject = round_.subjects.get(is_branch=True)
    for voter in others:  # four ballots already in: the staff member's makes five
        services.ballot_cast(subject=branch_subject, by=voter, levels=all_levels(branch_subject))

    # A member drafts and submits a pledge, starting from the home page.
    _as(page, live_server, member, PHONE)
    journey.check("member's home @390px")
    page.get_by_role("link", name="对照“四优”标准作出公开承诺").click()
    expect(page.locator("input[name=goal]")).to_be_visible()
    journey.check("new pledge @390px")
    page.fill("input[name=goal]", "全年药品配送零差错")
    page.fill("textarea[name=tasks]", "按规程配送，做好冷链药品交接")
    page.fill("textarea[name=measures]", "每月自查一次")
    page.fill("input[name=deadline]", "2011-12-31")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("承诺已提交，等待支部审核。")).to_be_visible()
    journey.check("submitted pledge @390px")
    pledge = Pledge.objects.get(owner=member)
    assert pledge.status == Pledge.Status.SUBMITTED

    # The secretary approves it from the review queue and publishes it.
    _as(page, live_server, secretary)
    page.get_by_role("link", name="审核公开承诺 1 条").click()
    expect(page.get_by_role("button", name="通过")).to_be_visible()
    journey.check("review queue")
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_text("已审核通过：")).to_be_visible()
    page.get_by_role("button", name="亮诺").click()
    expect(page.get_by_role("alert")).to_contain_text("已将 1 条已审核的承诺亮诺上墙。")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED

    # On a phone, the member records 践诺 with a photo; the photo really renders.
    photo = tmp_path / "践诺.jpg"
    Image.new("RGB", (64, 48), "red").save(photo, "JPEG")
    _as(page, live_server, member, PHONE)
    page.goto(f"{live_server.url}{pledge.get_absolute_url()}")
    page.get_by_role("link", name="记录践诺").click()
    expect(page.locator("input[name=happened_on]")).to_be_visible()
    journey.check("践诺 form @390px")
    page.fill("input[name=happened_on]", "2011-03-01")
    page.fill("textarea[name=content]", "冷链药品配送到位")
    page.set_input_files("input[name=photo]", str(photo))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("践诺情况已记录。")).to_be_visible()
    expect(page.get_by_role("img", name="践诺照片")).to_have_js_property("naturalWidth", 64)
    journey.check("pledge with 践诺 @390px")

    # A leader comments on the member from the pledge wall.
    _as(page, live_server, leader)
    page.goto(f"{live_server.url}/campaign/pledges/")
    page.get_by_role("link", name=member.full_name).first.click()
    page.get_by_role("link", name="点评", exact=True).click()
    page.check("input[name=rating][value=good]")
    page.fill("textarea[name=comment]", "配送工作认真负责")
    journey.check("点评 form")
    page.get_by_role("button", name="登记点评").click()
    expect(page.get_by_text("配送工作认真负责")).to_be_visible()
    journey.check("点评登记表")
    assert LeaderReview.objects.get().subject == member

    # A staff member votes in the round, from the reminder on the home page.
    _as(page, live_server, staff, PHONE)
    page.get_by_role("link", name="参加群众评议").click()
    expect(page.get_by_role("link", name="评议", exact=True).first).to_be_visible()
    journey.check("round to vote in @390px")
    page.get_by_role("link", name="评议", exact=True).first.click()
    expect(page.locator("form.ballot")).to_be_visible()
    journey.check("ballot @390px")
    for radio in page.locator("form.ballot input[type=radio][value=fairly_satisfied]").all():
        radio.check()
    page.get_by_role("button", name="提交评价").click()
    # The ballot is in; the voter goes straight on to the next person not yet rated (or back to
    # the list when everyone is rated).
    voted = page.get_by_text("下一位：").or_(page.get_by_text("全部评完"))
    expect(voted.first).to_be_visible()
    journey.check("after the ballot @390px")

    # The secretary closes the round and sees the results.
    _as(page, live_server, secretary)
    page.goto(f"{live_server.url}/campaign/rounds/{round_.pk}/")
    page.get_by_role("button", name="结束评议并计算结果").click()
    page.wait_for_url(f"**/campaign/rounds/{round_.pk}/results/")
    expect(page.get_by_text("100.0%").first).to_be_visible()
    journey.check("results")
    assert EvaluationSubject.objects.get(pk=branch_subject.pk).ballot_count == 5
    assert any("结束评议" in d for d in browser_log["dialogs"])
    assert browser_log["csp"] == []
