"""In a real browser at 390 px: a 践诺 photo uploaded by its member renders on the pledge page (the
image really loads, naturalWidth > 0), an outsider gets 404 for it; the secretary's QR code of the
office address renders on the home page."""

import io

import pytest
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from campaign.models import Pledge, PledgeProgress
from members.models import Role, User
from tests.campaign.factories import make_campaign, make_pledge
from tests.conftest import login
from tests.factories import make_branch, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _as(page, live_server, user):
    page.context.clear_cookies()
    login(page, live_server, user)


def test_an_uploaded_pledge_photo_renders_and_outsiders_get_404(
    page, live_server, secretary, member, browser_log, tmp_path
):
    page.set_viewport_size(PHONE)
    pledge = make_pledge(make_campaign(secretary), member, status=Pledge.Status.PUBLISHED)
    photo = tmp_path / "践诺.jpg"
    Image.new("RGB", (64, 48), "red").save(photo, "JPEG")

    _as(page, live_server, member)
    page.goto(f"{live_server.url}{pledge.get_absolute_url()}")
    page.get_by_role("link", name="记录践诺").click()
    page.fill("input[name=happened_on]", "2011-03-01")
    page.fill("textarea[name=content]", "冷链药品配送到位")
    page.set_input_files("input[name=photo]", str(photo))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("践诺情况已记录。")).to_be_visible()
    image = page.get_by_role("img", name="践诺照片")
    expect(image).to_have_js_property("complete", True)
    expect(image).to_have_js_property("naturalWidth", 64)
    assert image.evaluate("img => img.naturalHeight") == 48
    url = PledgeProgress.objects.get().photo.url
    assert image.get_attribute("src") == url

    # Everyone of the branch sees the published pledge's photo; an outsider gets a 404.
    outsider = make_person(make_branch(name="另一个党支部"), (Role.MEMBER,), username="outsider")
    _as(page, live_server, outsider)
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None and response.status == 404
    assert browser_log["csp"] == []


def test_the_secretary_sees_the_qr_code_of_the_office_address(
    page, live_server, secretary, browser_log, settings
):
    settings.SITE_URL = "http://192.168.1.20:8000/"
    page.set_viewport_size(PHONE)
    _as(page, live_server, secretary)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="http://192.168.1.20:8000/")).to_be_visible()
    page.get_by_text("二维码与说明").click()
    qr = page.get_by_role("img", name="上面这个地址的二维码")
    expect(qr).to_be_visible()
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    assert browser_log["csp"] == []


def test_a_demo_photo_renders_for_a_newcomer(page, live_server, browser_log):
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    entry = PledgeProgress.objects.exclude(photo="").select_related("pledge").get()
    page.set_viewport_size(PHONE)
    login(page, live_server, User.objects.get(username="member"), "Demo-pass-2011")
    page.goto(f"{live_server.url}{entry.pledge.get_absolute_url()}")
    image = page.get_by_role("img", name="践诺照片")
    expect(image).to_have_js_property("naturalWidth", 640)
    buffer = io.BytesIO(page.request.get(f"{live_server.url}{entry.photo.url}").body())
    with Image.open(buffer) as loaded:
        assert loaded.format == "JPEG"
    assert browser_log["csp"] == []
