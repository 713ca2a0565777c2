"""Filter forms on a phone: collapsed behind 筛选 until asked for or until a filter is set."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import expect_opened
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_filter_form_is_collapsed_on_a_phone(page, live_server, secretary, browser_log):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, secretary)
    page.goto(f"{live_server.url}/members/people/")
    form = page.locator("#filter-form")
    expect(form).to_be_hidden()
    toggle = page.get_by_role("button", name="筛选", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect_opened(form)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("搜索").fill("王")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"/members/people/\?q="))
    expect(form).to_be_visible()
    expect(page.get_by_role("button", name="筛选（已设置）")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/members/people/")
    expect(form).to_be_visible()
    expect(page.get_by_role("button", name="筛选", exact=True)).to_be_hidden()
    assert browser_log["csp"] == []
