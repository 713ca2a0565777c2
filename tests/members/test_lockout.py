"""After five wrong passwords: the lockout page says until when and what to do, the person's page
shows the lock and its end, and the secretary lifts it with 解锁 or with a password reset."""

import datetime as dt

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config import signin
from members.models import AuditEntry
from tests.factories import PASSWORD

LOGIN = reverse("login")


def _lock(username: str = "member", client: Client | None = None) -> Client:
    client = client or Client()
    for _ in range(5):
        client.post(LOGIN, {"username": username, "password": "wrong-one"})
    return client


def _ends() -> dt.datetime:
    attempt = AccessAttempt.objects.get(username="member")
    return timezone.localtime(attempt.attempt_time + dt.timedelta(minutes=30))


def test_the_lockout_page_says_until_when_and_what_to_do(member):
    client = _lock()
    response = client.post(LOGIN, {"username": "member", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page
    assert "连续 5 次密码错误" in page and "30 分钟" in page
    assert f"{_ends():%H:%M}" in page
    assert "解锁" in page and "重置密码" in page
    assert "再试也不会延长" in page


def test_the_fifth_failure_already_shows_the_lockout_page(member):
    client = Client()
    for _ in range(4):
        assert client.post(LOGIN, {"username": "member", "password": "x"}).status_code == 200
    response = client.post(LOGIN, {"username": "member", "password": "x"})
    assert response.status_code == 429
    assert f"{_ends():%H:%M}" in response.content.decode()


def test_the_person_page_shows_the_lock_and_its_end(member, secretary_client):
    url = reverse("members:person_detail", args=[member.pk])
    assert "登录已锁定" not in secretary_client.get(url).content.decode()
    _lock()
    page = secretary_client.get(url).content.decode()
    assert "登录已锁定" in page
    ends = _ends()
    assert f"{ends.month}月{ends.day}日 {ends:%H:%M}" in page
    assert reverse("members:person_unlock", args=[member.pk]) in page


def test_the_person_page_no_longer_shows_an_expired_lock(member, secretary_client):
    _lock()
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    page = secretary_client.get(reverse("members:person_detail", args=[member.pk]))
    assert "登录已锁定" not in page.content.decode()


def test_a_lock_from_fewer_than_five_failures_is_not_shown(member, secretary_client):
    client = Client()
    for _ in range(4):
        client.post(LOGIN, {"username": "member", "password": "x"})
    assert signin.lockout_ends("member") is None


def test_the_secretary_unlocks_and_the_person_signs_in_at_once(member, secretary, secretary_client):
    client = _lock()
    response = secretary_client.post(reverse("members:person_unlock", args=[member.pk]))
    assert response["Location"] == reverse("members:person_detail", args=[member.pk])
    assert "已为 陈党员 解除登录锁定" in secretary_client.get(response["Location"]).content.decode()
    entry = AuditEntry.objects.get(action="解除登录锁定")
    assert entry.actor == secretary and entry.object_id == str(member.pk)
    assert "自动解除" in entry.detail
    assert client.post(LOGIN, {"username": "member", "password": PASSWORD}).status_code == 302


def test_unlocking_an_unlocked_account_says_so_and_records_nothing(member, secretary_client):
    response = secretary_client.post(reverse("members:person_unlock", args=[member.pk]))
    page = secretary_client.get(response["Location"]).content.decode()
    assert "没有被锁定" in page
    assert not AuditEntry.objects.filter(action="解除登录锁定").exists()


def test_unlock_is_post_only(member, secretary_client):
    _lock()
    response = secretary_client.get(reverse("members:person_unlock", args=[member.pk]))
    assert response.status_code == 405
    assert signin.lockout_ends("member") is not None


def test_a_password_reset_unlocks(member, secretary_client):
    client = _lock()
    secretary_client.post(reverse("members:person_reset_password", args=[member.pk]))
    password = secretary_client.get(reverse("members:credentials")).context["rows"][0]["password"]
    assert signin.lockout_ends("member") is None
    entry = AuditEntry.objects.get(action="重置密码")
    assert "已解除登录锁定" in entry.detail
    response = client.post(LOGIN, {"username": "member", "password": password})
    assert response.status_code == 302


def test_the_admins_one_time_password_unlocks_too(member, secretary):
    from members.services import person_set_password

    _lock()
    person_set_password(person=member, password="Neue-pass-2011", by=secretary)
    assert signin.lockout_ends("member") is None


def test_the_login_page_tells_the_rules(db, member):
    page = Client().get(LOGIN).content.decode()
    assert "登录名不区分大小写" in page and "支部书记可以为您解锁" in page
