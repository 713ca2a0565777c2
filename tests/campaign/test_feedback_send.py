"""Sending staff feedback (issue 13): the three identity modes, the drop box and its release, the
receipt code, the rate limit, bad input, and who may open an item."""

from __future__ import annotations

import datetime as dt
import io
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from campaign import services
from campaign.models import Feedback, FeedbackDrop
from config.settings import RATE_LIMITS
from tests.factories import make_branch, make_person

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _set_up(secretary):
    """An app past its first-run setup (someone exists)."""


def _url(branch) -> str:
    return reverse("campaign:feedback_send", args=[branch.pk])


def _data(**overrides) -> dict:
    data = {
        "identity": "none",
        "kind": "complaint",
        "category": "canteen",
        "text": "食堂午餐的蔬菜不新鲜，配菜太少。",
    }
    data.update(overrides)
    return data


def _png(size=(40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile("canteen.png", out.getvalue(), "image/png")


def _release() -> int:
    return services.feedback_release(today=TODAY + dt.timedelta(days=1))


# --- The form ---------------------------------------------------------------------------------


def test_signed_out_the_page_offers_only_complete_anonymity(client, branch):
    html = client.get(_url(branch)).content.decode()
    assert 'value="none"' in html and 'value="real"' not in html and 'value="handlers"' not in html
    assert "未登录时只能完全匿名提交" in html
    # what 完全匿名 means is on the form before anything is sent
    assert "不保存任何能认出您的信息" in html and "当天结束后统一送达处理人" in html
    # no draft of the text is kept in the browser
    assert re.search(r"<textarea[^>]*>", html) and not re.search(r"<textarea[^>]*data-draft", html)


def test_signed_in_the_page_explains_all_three_modes(staff_client, branch):
    html = staff_client.get(_url(branch)).content.decode()
    for text in ("处理人和公示栏都显示您的姓名", "公示栏和其他人看不到", "回执码"):
        assert text in html
    assert 'value="handlers"' in html and 'value="real"' in html


def test_a_signed_in_person_of_another_branch_is_treated_as_signed_out(branch):
    stranger = make_person(make_branch(name="别的支部"))
    client = Client()
    client.force_login(stranger)
    assert 'value="real"' not in client.get(_url(branch)).content.decode()
    response = client.post(_url(branch), _data(identity="real"))
    assert response.status_code == 200 and not Feedback.objects.exists()


# --- 完全匿名 --------------------------------------------------------------------------------


def test_anonymous_feedback_waits_in_the_drop_box_and_the_code_follows_it(client, branch):
    response = client.post(_url(branch), {**_data(), "photo": _png()})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = response.context["code"]
    assert code in response.content.decode()
    assert len(code.replace("-", "")) == 20
    drop = FeedbackDrop.objects.get()
    assert drop.day == TODAY and not Feedback.objects.exists()
    # nothing of the text or the code is in clear in the drop box
    assert "蔬菜".encode() not in bytes(drop.sealed) and code not in drop.receipt_digest
    assert services.receipt_lookup(code) == drop
    assert services.receipt_lookup(code.lower().replace("-", " ")) == drop  # typed loosely

    # Not released on the day it was sent.
    assert services.feedback_release(today=TODAY) == 0
    assert _release() == 1
    item = Feedback.objects.get()
    assert not FeedbackDrop.objects.exists()
    assert item.identity == "none" and item.sender is None
    assert item.submitted_on == TODAY and item.text == _data()["text"]
    assert item.public_text == item.text and item.status == "new"
    assert item.photo and item.photo.name.endswith(".png")
    assert services.receipt_lookup(code) == item


def test_a_signed_in_sender_choosing_complete_anonymity_is_not_recorded(staff_client, branch):
    session_before = dict(staff_client.session.items())
    response = staff_client.post(_url(branch), _data(identity="none"))
    assert response.status_code == 200 and "code" in response.context
    # no flash message, no one-time token, nothing written to the session
    assert dict(staff_client.session.items()) == session_before
    _release()
    assert Feedback.objects.get().sender is None


def test_a_form_sent_twice_makes_one_item(client, branch):
    page = client.get(_url(branch))
    token = page.context["request"].once_token
    first = client.post(_url(branch), {**_data(), "_once": token})
    again = client.post(_url(branch), {**_data(), "_once": token})
    assert "code" in first.context
    assert "这张表单已经提交过" in again.content.decode()
    assert FeedbackDrop.objects.count() == 1


def test_release_is_shuffled_and_keeps_each_code(client, branch):
    codes = {}
    for n in range(12):  # from 12 addresses: one address may send 10 an hour
        sender = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        response = sender.post(_url(branch), _data(text=f"第 {n} 条意见"))
        codes[n] = response.context["code"]
    assert _release() == 12
    for n, code in codes.items():
        assert services.receipt_lookup(code).text == f"第 {n} 条意见"


# --- 实名 / 对外匿名 -------------------------------------------------------------------------


@pytest.mark.parametrize("identity", ["real", "handlers"])
def test_named_feedback_is_saved_at_once_with_its_sender(staff_client, staff, branch, identity):
    response = staff_client.post(_url(branch), _data(identity=identity))
    item = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.sender == staff and item.identity == identity and item.receipt_digest is None
    assert not FeedbackDrop.objects.exists()
    detail = staff_client.get(item.get_absolute_url())
    assert "意见已提交" in detail.content.decode()
    mine = staff_client.get(reverse("campaign:feedback_mine")).content.decode()
    assert "食堂午餐的蔬菜不新鲜" in mine


def test_signed_out_a_named_mode_is_refused(client, branch):
    response = client.post(_url(branch), _data(identity="real"))
    assert response.status_code == 200
    assert not Feedback.objects.exists() and not FeedbackDrop.objects.exists()


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"text": ""}, "text", "请填写意见内容。"),
        ({"text": "   "}, "text", "请填写意见内容。"),
        ({"text": "字" * 10_000}, "text", "意见内容最多 2000 个字"),
        ({"kind": "spam"}, "kind", "不在可选范围内"),
        ({"category": ""}, "category", "请选择类别"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(client, branch, overrides, field, message):
    data = _data(**overrides)
    response = client.post(_url(branch), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert form[field].value() == data[field]
    assert not FeedbackDrop.objects.exists() and not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("x.png", b"not an image at all", "image/png"),
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "image/svg"),
        ("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    ],
)
def test_a_photo_that_is_not_an_image_is_refused(client, branch, name, content, kind):
    upload = SimpleUploadedFile(name, content, kind)
    response = client.post(_url(branch), {**_data(), "photo": upload})
    assert response.status_code == 200 and response.context["form"].errors["photo"]
    assert response.context["form"]["text"].value() == _data()["text"]
    assert not FeedbackDrop.objects.exists()


# --- Rate limit -------------------------------------------------------------------------------


def test_the_public_page_is_rate_limited_per_address(client, branch):
    limit = int(RATE_LIMITS["feedback-send"].split("/")[0])
    for n in range(limit):
        assert client.post(_url(branch), _data(text=f"第 {n} 条")).status_code == 200
    response = client.post(_url(branch), _data(text="再来一条"))
    assert response.status_code == 429
    assert "提交太频繁了" in response.content.decode()
    assert response.context["form"]["text"].value() == "再来一条"
    assert FeedbackDrop.objects.count() == limit
    # another address is not affected
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(_url(branch), _data()).status_code == 200


def test_the_limit_is_kept_under_an_hmac_of_the_address_not_the_address(client, branch):
    from django.core.cache import cache

    client.post(_url(branch), _data())
    keys = " ".join(str(k) for k in cache._cache)  # LocMemCache's store
    assert "127.0.0.1" not in keys


REDIS = os.environ.get("REDIS_URL", "")


@pytest.mark.skipif(not REDIS, reason="REDIS_URL is not set (.ci/run sets it when Redis answers)")
def test_the_limit_holds_across_server_processes(branch, settings):
    """Two processes share the count through Redis: the limit is not per gunicorn worker."""
    import subprocess
    import sys

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"test-{os.getpid()}",  # the keys expire within the hour
        }
    }
    # (Django's setting_changed handler reconnects the cache)
    limit = int(RATE_LIMITS["feedback-send"].split("/")[0])
    script = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='config.test_settings';"
        "django.setup();"
        "from django.conf import settings;"
        "from django.test import RequestFactory;"
        "from config.ratelimit import over_limit;"
        f"settings.CACHES['default']={settings.CACHES['default']!r};"
        "r=RequestFactory().post('/', REMOTE_ADDR='10.1.2.3');"
        "print(sum(over_limit(r, group='feedback-send') "
        f"for _ in range({limit // 2})))"
    )
    env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
    for _ in range(2):  # two other processes use up the limit between them
        out = subprocess.run(  # noqa: S603 - our own script, run by our own interpreter
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        assert out.stdout.strip() == "0", out.stderr
    # this process now finds the address over the limit
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert client.post(_url(branch), _data()).status_code == 429


# --- Receipt codes ----------------------------------------------------------------------------


def test_receipt_codes_are_long_random_and_forgive_typing():
    codes = {services.receipt_new() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert services.receipt_digest(code) == services.receipt_digest(
        code.lower().replace("-", "").replace("0", "o")
    )
    assert services.receipt_lookup("short") is None
    assert services.receipt_lookup("") is None


def test_the_track_page_finds_an_item_by_code_only_in_the_body(client, branch):
    code = client.post(_url(branch), _data()).context["code"]
    track = reverse("campaign:feedback_track")
    waiting = client.post(track, {"code": code})
    assert "no-store" in waiting["Cache-Control"]
    assert "当天结束后统一送达处理人" in waiting.content.decode()
    _release()
    found = client.post(track, {"code": code}).content.decode()
    assert "食堂午餐的蔬菜不新鲜" in found and "待受理" in found
    wrong = client.post(track, {"code": "ABCD-EFGH-JKMN-PQRS-TVWX"})
    assert "没有找到这个回执码" in wrong.content.decode()
    # a GET with a code in the address finds nothing: codes do not travel in URLs
    assert code not in client.get(track, {"code": code}).content.decode()


def test_a_secret_key_rotation_keeps_receipts_working(client, branch, settings):
    code = client.post(_url(branch), _data()).context["code"]
    _release()
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old]
    assert services.receipt_lookup(code) is not None


# --- Who opens an item ------------------------------------------------------------------------


def test_an_item_opens_for_its_sender_and_handlers_only(
    staff_client, secretary_client, leader_client, member_client, branch
):
    staff_client.post(_url(branch), {**_data(identity="handlers"), "photo": _png()})
    item = Feedback.objects.get()
    for client, status in [
        (staff_client, 200),
        (secretary_client, 200),
        (leader_client, 200),
        (member_client, 404),
        (Client(), 302),  # signed out: the sign-in page
    ]:
        assert client.get(item.get_absolute_url()).status_code == status
        assert client.get(item.photo.url).status_code == status


def test_behind_the_proxy_the_limit_counts_the_clients_address(branch, settings):
    settings.BEHIND_PROXY = True
    limit = int(RATE_LIMITS["feedback-send"].split("/")[0])
    proxy = "10.0.0.1"
    for n in range(limit):
        client = Client(REMOTE_ADDR=proxy, headers={"x-forwarded-for": "198.51.100.7"})
        assert client.post(_url(branch), _data(text=f"第 {n} 条")).status_code == 200
    same = Client(REMOTE_ADDR=proxy, headers={"x-forwarded-for": "198.51.100.7"})
    assert same.post(_url(branch), _data()).status_code == 429
    other = Client(REMOTE_ADDR=proxy, headers={"x-forwarded-for": "198.51.100.8"})
    assert other.post(_url(branch), _data()).status_code == 200
