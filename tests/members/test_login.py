from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_is_chinese_and_signs_in(member):
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert "登录名" in page and "密码" in page
    response = client.post(reverse("login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_gives_a_chinese_message(member):
    response = Client().post(reverse("login"), {"username": "member", "password": "wrong-one"})
    assert response.status_code == 200
    assert "登录名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(member):
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "member", "password": "wrong-one"})
    response = client.post(reverse("login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_is_sent_to_login_with_next(member):
    response = Client().get(reverse("members:directory"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('members:directory')}"


def test_error_pages_use_the_site_layout(member_client, settings):
    settings.DEBUG = False
    response = member_client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "页面不存在" in content and "创先争优" in content


def test_server_error_page_shows_no_traceback(rf):
    from config.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "系统出错了" in content and "Traceback" not in content
