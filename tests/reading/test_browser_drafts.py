"""Long texts survive an ended session or a refused form: the draft comes back, at phone width.

static/js/drafts.js keeps what is typed in a `data-draft` field in localStorage, puts it back when
the form opens again empty, forgets it once the form was saved, and on sign-out.
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from reading.models import Comment, Reflection
from tests.browser import open_phone_menu
from tests.conftest import PASSWORD

from .factories import make_reflection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "读完这本书，我想明白了为谁工作。\n\n第二段：立足岗位，把每一单配送做细做实。"
NO_DRAFTS = "() => !Object.keys(localStorage).some((k) => k.startsWith('cx-draft:'))"
SOME_DRAFT = "() => Object.keys(localStorage).some((k) => k.startsWith('cx-draft:'))"


def sign_in(page, user):
    """On the login page the browser was sent to: sign in and follow `next`."""
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_a_reflection_survives_an_ended_session(phone, live_server, member, activity, browser_log):
    page = phone
    form_url = f"{live_server.url}/reading/{activity.pk}/forum/new/"
    page.goto(form_url)
    sign_in(page, member)
    page.fill("input[name=title]", "把工作当成自己的事业")
    page.fill("textarea[name=body]", BODY)
    page.wait_for_function(SOME_DRAFT)

    # Half an hour later the session has ended (expired: its row and its cached copy are gone,
    # as the cached_db engine deletes them); the member sends the form.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()
    assert not Session.objects.exists()
    page.get_by_role("button", name="发表").click()
    page.wait_for_url("**/accounts/login/**")
    expect(page.get_by_role("alert")).to_contain_text("您的登录已经失效，刚才提交的内容没有保存")
    assert not Reflection.objects.exists()

    # Signed in again, the member is back on the form with the text in it.
    sign_in(page, member)
    expect(page).to_have_url(form_url)
    expect(page.locator("textarea[name=body]")).to_have_value(BODY)
    expect(page.locator("input[name=title]")).to_have_value("把工作当成自己的事业")
    expect(page.get_by_text("已恢复您上次没有提交的内容。").first).to_be_visible()
    page.get_by_role("button", name="发表").click()
    expect(page.get_by_text("读后感已发表。")).to_be_visible()
    page.wait_for_function(NO_DRAFTS)
    assert Reflection.objects.get().body.replace("\r\n", "\n") == BODY

    # Saved: the next new post starts empty.
    page.goto(form_url)
    expect(page.locator("textarea[name=body]")).to_have_value("")
    expect(page.locator("input[name=title]")).to_have_value("")
    expect(page.get_by_text("已恢复您上次没有提交的内容。")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert browser_log["csp"] == []


def test_a_refused_comment_comes_back_and_a_mistake_keeps_the_draft(
    phone, live_server, member, staff, activity, browser_log
):
    page = phone
    post = make_reflection(activity, member)
    post_url = f"{live_server.url}{post.get_absolute_url()}"
    page.goto(post_url)
    sign_in(page, staff)
    expect(page).to_have_url(post_url)
    page.fill("textarea[name=body]", "写得实在，向您学习！")
    page.wait_for_function(SOME_DRAFT)

    # All cookies gone (the browser was cleaned): the form is refused on a page that says so.
    page.context.clear_cookies()
    page.get_by_role("button", name="发表评论").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("页面已过期，刚才提交的内容没有保存")
    page.get_by_role("link", name="重新登录").click()
    sign_in(page, staff)
    expect(page).to_have_url(post_url)
    expect(page.locator("textarea[name=body]")).to_have_value("写得实在，向您学习！")
    page.get_by_role("button", name="发表评论").click()
    expect(page.get_by_text("评论已发表。")).to_be_visible()
    page.wait_for_function(NO_DRAFTS)
    assert Comment.objects.get().body == "写得实在，向您学习！"
    expect(page.locator("textarea[name=body]")).to_have_value("")
    assert browser_log["csp"] == []


def test_sign_out_and_another_person_leave_no_draft_behind(
    phone, live_server, member, staff, activity, browser_log
):
    page = phone
    post = make_reflection(activity, member)
    post_url = f"{live_server.url}{post.get_absolute_url()}"
    page.goto(post_url)
    sign_in(page, staff)
    page.fill("textarea[name=body]", "还没写完的评论")
    page.wait_for_function(SOME_DRAFT)

    # Sign-out from the phone menu removes the draft from the shared computer.
    open_phone_menu(page)
    page.get_by_role("button", name=staff.full_name).click()
    sign_out = page.get_by_role("button", name="退出登录")
    expect(sign_out).to_be_visible()
    sign_out.click()
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_function(NO_DRAFTS)

    # A draft left by a session that just ended is not shown to the next person.
    page.goto(post_url)
    sign_in(page, staff)
    page.fill("textarea[name=body]", "另一条没写完的评论")
    page.wait_for_function(SOME_DRAFT)
    page.context.clear_cookies()
    page.goto(post_url)
    sign_in(page, member)
    expect(page).to_have_url(post_url)
    expect(page.locator("textarea[name=body]")).to_have_value("")
    page.wait_for_function(NO_DRAFTS)
    assert browser_log["csp"] == []
