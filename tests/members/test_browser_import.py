"""The secretary's journey in a real browser: sign in, import a file, see the people listed."""

import pytest
from playwright.sync_api import expect

from members.models import User
from tests.conftest import login
from tests.members.test_import import GOOD, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_imports_people_and_sees_them(
    page, live_server, secretary, browser_log, tmp_path
):
    upload = tmp_path / "people.xlsx"
    upload.write_bytes(xlsx(GOOD).read())

    login(page, live_server, secretary)
    page.get_by_role("button", name="支部管理").click()
    page.locator("#mainnav").get_by_role("link", name="批量导入").click()
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="检查并导入").click()

    page.wait_for_url("**/people/credentials/")
    expect(page.locator("td.pw")).to_have_count(3)
    assert User.objects.filter(username="XT0006", must_change_password=True).exists()

    page.get_by_role("link", name="返回人员管理").click()
    table = page.locator("table")
    for name in ["马玉兰", "王小军", "杨帆"]:
        expect(table.get_by_text(name)).to_have_count(1)
    page.fill("input[name=q]", "玉兰")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**q=*")
    expect(page.locator("tbody tr")).to_have_count(1)
    assert browser_log["csp"] == []


def test_phone_width_menu_opens(page, live_server, member, browser_log):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, member)
    page.get_by_role("button", name="菜单").click()
    page.locator("#mainnav").get_by_role("link", name="通讯录").click()
    page.wait_for_url("**/members/directory/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert browser_log["csp"] == []
