"""A refused form (CSRF) and a form sent after the session ended: what happened, in the layout."""

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import client_for
from tests.reading.factories import make_activity, make_reflection, select_books

pytestmark = pytest.mark.django_db

DJANGO_WORDING = ("DEBUG", "CSRF", "Forbidden", "禁止访问", "CSRF验证失败", "请设置选项")


@pytest.fixture
def reflection(branch, secretary, member):
    activity = make_activity(branch, "discuss")
    select_books(activity, secretary)
    return make_reflection(activity, member)


def test_a_refused_form_shows_a_plain_page_in_the_layout(member, reflection):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page = reflection.get_absolute_url()
    response = client.post(
        f"{page}comment/", {"body": "写得实在"}, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期，刚才提交的内容没有保存" in html
    assert "暂存在这台电脑的浏览器里" in html
    assert f'href="{page}"' in html and "回到原页面" in html
    assert 'class="navbar' in html  # the site's layout
    for word in DJANGO_WORDING:
        assert word not in html, word
    assert "DJANGO_CSRF_TRUSTED_ORIGINS" not in html


def test_signed_out_the_refusal_offers_to_sign_in_again_back_to_the_page(member, reflection):
    client = Client(enforce_csrf_checks=True)
    page = reflection.get_absolute_url()
    response = client.post(
        f"{page}comment/", {"body": "写得实在"}, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "您的登录已经失效" in html and "重新登录" in html
    assert f"/accounts/login/?next={page}" in html


def test_an_address_mismatch_is_named_for_the_administrator(member, reflection):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(reflection.get_absolute_url())
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        f"{reflection.get_absolute_url()}comment/",
        {"body": "写得实在", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="http://192.168.1.20:8000",
    )
    assert response.status_code == 403
    assert "DJANGO_CSRF_TRUSTED_ORIGINS" in response.content.decode()


def test_a_form_sent_after_the_session_ended_lands_on_login_with_a_message(member, reflection):
    client = client_for(member)
    page = reflection.get_absolute_url()
    client.logout()
    response = client.post(
        f"{page}comment/",
        {"body": "半小时写的评论"},
        HTTP_REFERER=f"http://testserver{page}",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/accounts/login/?next={page}"
    html = response.content.decode()
    assert "您的登录已经失效，刚才提交的内容没有保存" in html
    assert "回到原页面会自动恢复" in html


def test_a_post_without_a_referer_goes_home_after_sign_in(member, reflection):
    response = Client().post(f"{reflection.get_absolute_url()}comment/", {"body": "x"})
    assert response["Location"] == "/accounts/login/?next=/"


def test_a_stale_session_cookie_is_called_an_ended_session(member):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = client.get("/reading/", follow=True)
    assert "登录已经失效（例如长时间没有操作），请重新登录。" in response.content.decode()
    fresh = Client().get("/reading/", follow=True)
    assert "登录已经失效" not in fresh.content.decode()
