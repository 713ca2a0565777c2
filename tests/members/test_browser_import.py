"""The secretary's journey in a real browser: sign in, import a file, see the people listed; update
from the master sheet after a preview. Every page reached passes the journey checks."""

import pytest
from playwright.sync_api import expect

from members.models import User
from tests.browser import open_phone_menu
from tests.conftest import login
from tests.factories import make_person
from tests.members.test_import import GOOD, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_imports_people_and_sees_them(
    page, live_server, secretary, browser_log, tmp_path, journey
):
    upload = tmp_path / "people.xlsx"
    upload.write_bytes(xlsx(GOOD).read())

    login(page, live_server, secretary)
    page.get_by_role("button", name="支部管理").click()
    page.locator("#mainnav").get_by_role("link", name="批量导入").click()
    expect(page.locator("input[name=file]")).to_be_visible()
    journey.check("import form")
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="检查并导入").click()

    page.wait_for_url("**/people/credentials/")
    expect(page.locator("td.pw")).to_have_count(3)
    journey.check("one-time passwords")
    assert User.objects.filter(username="XT0006", must_change_password=True).exists()

    page.get_by_role("link", name="返回人员管理").click()
    table = page.locator("table")
    for name in ["马玉兰", "王小军", "杨帆"]:
        expect(table.get_by_text(name)).to_have_count(1)
    page.fill("input[name=q]", "玉兰")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**q=*")
    expect(page.locator("tbody tr")).to_have_count(1)
    journey.check("people list")
    assert browser_log["csp"] == []


def test_secretary_updates_people_from_the_list_after_a_preview(
    page, live_server, secretary, branch, browser_log, tmp_path, journey
):
    make_person(branch, username="XT0006", employee_no="XT0006", full_name="马玉兰", phone="")
    make_person(branch, username="XT0017", employee_no="XT0017", full_name="王小军")
    upload = tmp_path / "people.xlsx"
    upload.write_bytes(xlsx(GOOD).read())

    login(page, live_server, secretary)
    page.goto(f"{live_server.url}/members/people/import/")
    page.get_by_label("按名单更新").check()
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="检查并导入").click()

    expect(page.get_by_role("heading", name="核对名单更新")).to_be_visible()
    expect(page.locator(".import-summary")).to_contain_text("新增 1 人")
    expect(page.locator(".import-summary")).to_contain_text("更新 2 人")
    expect(page.locator("table.import-changed")).to_contain_text("手机：（空） → 13900000006")
    expect(page.locator("table.import-new")).to_contain_text("杨帆")
    journey.check("update preview")
    page.set_viewport_size({"width": 390, "height": 844})
    journey.check("update preview @390px")
    assert not User.objects.filter(username="XT0013").exists()

    page.get_by_role("button", name="确认更新").click()
    page.wait_for_url("**/people/credentials/")
    expect(page.locator(".alert-success")).to_contain_text("新增 1 人，更新 2 人的资料")
    expect(page.locator("td.pw")).to_have_count(1)
    assert User.objects.get(username="XT0006").phone == "13900000006"
    assert browser_log["csp"] == []


def test_phone_width_menu_opens(page, live_server, member, browser_log):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, member)
    open_phone_menu(page)
    page.locator("#mainnav").get_by_role("link", name="通讯录").click()
    page.wait_for_url("**/members/directory/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert browser_log["csp"] == []
