"""Sign-in: equal work whoever signs in, a lockout per person and real client address behind the
proxy, and no client address or user agent kept anywhere in the database."""

import datetime as dt
import hashlib
import ipaddress

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config import settings as production
from config import signin
from members import otp
from members.models import Role, User
from members.services import hash_one_time_password
from tests.factories import PASSWORD, make_branch, make_person

LOGIN = "/accounts/login/"
ONE_TIME = "Kq7mXw3pRt9z"

# --- Equal work: a one-time password, a chosen one and an unknown name ---------------------------


@pytest.fixture
def pbkdf2_rounds(monkeypatch, settings):
    """The production hashers, with PBKDF2 counting the rounds it is asked for and running one.

    Counting the work, not timing it: every hash is made and checked under the same stand-in, so
    right passwords still verify, and the test takes milliseconds instead of seconds.
    """
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    rounds: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(name, password, salt, iterations, dklen=None):
        rounds.append(iterations)
        return real(name, password, salt, 1, dklen)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return rounds


def _work(rounds: list[int], username: str, password: str, *, expect: int) -> int:
    rounds.clear()
    response = Client().post(LOGIN, {"username": username, "password": password})
    assert response.status_code == expect
    return sum(rounds)


def test_a_failed_sign_in_costs_the_same_for_every_kind_of_account(pbkdf2_rounds, member, leader):
    User.objects.filter(pk=member.pk).update(
        password=hash_one_time_password(ONE_TIME), must_change_password=True
    )
    leader.set_password(PASSWORD)
    leader.save()
    default_rounds = 1_000_000  # Django 5.2's PBKDF2PasswordHasher

    one_time = _work(pbkdf2_rounds, "member", "wrong-password", expect=200)
    chosen = _work(pbkdf2_rounds, "leader", "wrong-password", expect=200)
    unknown = _work(pbkdf2_rounds, "nobody-here", "wrong-password", expect=200)
    assert one_time == chosen == unknown == default_rounds


def test_a_successful_sign_in_with_a_one_time_password_is_no_faster(pbkdf2_rounds, member, leader):
    User.objects.filter(pk=member.pk).update(
        password=hash_one_time_password(ONE_TIME), must_change_password=True
    )
    leader.set_password(PASSWORD)
    leader.save()
    one_time = _work(pbkdf2_rounds, "member", ONE_TIME, expect=302)
    chosen = _work(pbkdf2_rounds, "leader", PASSWORD, expect=302)
    assert chosen <= one_time <= chosen * 1.01  # 1,000 rounds + the rehash with the default


def test_making_one_time_passwords_stays_fast(pbkdf2_rounds):
    pbkdf2_rounds.clear()
    for _ in range(10):
        hash_one_time_password(ONE_TIME)
    assert pbkdf2_rounds == [1000] * 10
    pbkdf2_rounds.clear()
    make_password(PASSWORD)
    assert pbkdf2_rounds == [1_000_000]


# --- Lockout per person and address, with the address from the proxy --------------------------

PROXY = "10.0.0.2"


def _via_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded_for})


def _fail(client: Client, username: str = "member", times: int = 5) -> None:
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong-one"})
        assert response.status_code in (200, 429)  # the fifth failure locks at once


def _sign_in(client: Client, username: str = "member") -> int:
    return client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code


def test_the_lockout_combines_name_and_address(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_behind_the_proxy_one_address_cannot_lock_out_another(member, settings):
    settings.BEHIND_PROXY = True
    attacker = _via_proxy("203.0.113.5")
    _fail(attacker)
    assert _sign_in(attacker) == 429  # locked: same person, same forwarded address
    assert _sign_in(_via_proxy("198.51.100.7")) == 302  # the person, from elsewhere
    assert _sign_in(_via_proxy("203.0.113.5")) == 429  # still locked there


def test_behind_the_proxy_a_client_cannot_dodge_the_lockout_by_forging_the_header(member, settings):
    settings.BEHIND_PROXY = True
    # The proxy appends the address it saw; whatever the client put before it is the client's.
    for n in range(5):
        forged = _via_proxy(f"192.0.2.{n}, 203.0.113.5")
        _fail(forged, times=1)
    assert _sign_in(_via_proxy("192.0.2.99, 203.0.113.5")) == 429
    assert _sign_in(_via_proxy("203.0.113.5")) == 429


def test_not_behind_a_proxy_the_header_is_ignored(member, settings):
    settings.BEHIND_PROXY = False
    _fail(Client(REMOTE_ADDR="203.0.113.5", headers={"x-forwarded-for": "192.0.2.1"}))
    assert (
        _sign_in(Client(REMOTE_ADDR="203.0.113.5", headers={"x-forwarded-for": "192.0.2.2"})) == 429
    )
    assert (
        _sign_in(Client(REMOTE_ADDR="198.51.100.7", headers={"x-forwarded-for": "192.0.2.1"}))
        == 302
    )


def test_other_names_from_a_locked_address_still_sign_in(member, leader, settings):
    settings.BEHIND_PROXY = True
    client = _via_proxy("203.0.113.5")
    _fail(client, "member")
    assert _sign_in(client, "member") == 429
    assert _sign_in(_via_proxy("203.0.113.5"), "leader") == 302


# --- No client address and no user agent in the database ---------------------------------------

ADDRESS = "198.51.100.23"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/77.1"


def _every_value_in_the_database():
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is not None:
                        yield table, str(value)


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_no_table_keeps_the_client_address_or_user_agent(member, leader, settings, behind_proxy):
    settings.BEHIND_PROXY = behind_proxy
    if behind_proxy:
        headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": ADDRESS}
    else:
        headers = {"REMOTE_ADDR": ADDRESS}
    client = Client(HTTP_USER_AGENT=AGENT, **headers)
    _fail(client, "member", times=2)
    _fail(client, "no-such-person", times=1)
    assert _sign_in(client, "leader") == 302
    client.post(reverse("logout"))
    assert _sign_in(Client(HTTP_USER_AGENT=AGENT, **headers), "member") == 302

    assert AccessAttempt.objects.exists()  # the lockout still counts, by a key
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
    for attempt in AccessAttempt.objects.all():
        assert ipaddress.ip_address(attempt.ip_address) in ipaddress.ip_network("fd00::/8")
        assert attempt.user_agent == "" and attempt.http_accept == ""
    leaks = [
        (table, value)
        for table, value in _every_value_in_the_database()
        if ADDRESS in value or AGENT in value or "TestBrowser" in value
    ]
    assert leaks == []


def test_the_key_is_the_same_for_one_address_and_differs_between_addresses(member):
    _fail(Client(REMOTE_ADDR=ADDRESS), times=2)
    _fail(Client(REMOTE_ADDR="198.51.100.24"), times=1)
    counts = sorted(
        AccessAttempt.objects.filter(username="member").values_list(
            "failures_since_start", flat=True
        )
    )
    assert counts == [1, 2]


def test_attempts_older_than_the_cool_off_and_old_logs_are_purged(member, leader):
    old = timezone.now() - dt.timedelta(minutes=31)
    stale = AccessAttempt.objects.create(
        username="leader",
        ip_address="fd00::1",
        user_agent="",
        http_accept="",
        path_info=LOGIN,
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    AccessAttempt.objects.filter(pk=stale.pk).update(attempt_time=old)
    # Rows an earlier version wrote, with the address and user agent in them.
    for model in (AccessLog, AccessFailureLog):
        model.objects.create(
            username="leader", ip_address=ADDRESS, user_agent=AGENT, http_accept="", path_info=LOGIN
        )

    _fail(Client(), "member", times=1)  # any failed sign-in cleans up

    assert not AccessAttempt.objects.filter(pk=stale.pk).exists()
    assert AccessAttempt.objects.filter(username="member").count() == 1
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()


# --- Case-insensitive names, readable one-time passwords, unlocking ------------------------------


def test_a_wrong_password_shaped_like_a_generated_one_costs_the_same(pbkdf2_rounds, member, leader):
    """The one-time hasher also checks the typed password in its generated form: still padded."""
    User.objects.filter(pk=member.pk).update(
        password=hash_one_time_password(otp.generate()), must_change_password=True
    )
    leader.set_password(PASSWORD)
    leader.save()
    shaped = "ABCD EFGH JKMN PQRS"
    one_time = _work(pbkdf2_rounds, "member", shaped, expect=200)
    chosen = _work(pbkdf2_rounds, "leader", shaped, expect=200)
    unknown = _work(pbkdf2_rounds, "nobody-here", shaped, expect=200)
    assert one_time == chosen == unknown == 1_000_000


def test_a_generated_password_typed_differently_is_no_faster(pbkdf2_rounds, member, leader):
    password = otp.generate()
    User.objects.filter(pk=member.pk).update(
        password=hash_one_time_password(password), must_change_password=True
    )
    leader.set_password(PASSWORD)
    leader.save()
    one_time = _work(pbkdf2_rounds, "member", password.upper().replace("-", ""), expect=302)
    chosen = _work(pbkdf2_rounds, "leader", PASSWORD, expect=302)
    assert chosen <= one_time <= chosen * 1.01


def test_a_lockout_cannot_be_dodged_by_changing_the_case(member):
    client = Client()
    for typed in ["member", "MEMBER", "Member", "mEmber", "memBER"]:
        _fail(client, typed, times=1)
    for typed in ["member", "MEMBER", " Member "]:
        assert _sign_in(client, typed) == 429


def test_trying_during_the_lockout_neither_signs_in_nor_extends_it(member):
    client = Client()
    _fail(client)
    locked_at = AccessAttempt.objects.get(username="member").attempt_time
    AccessAttempt.objects.update(attempt_time=locked_at - dt.timedelta(minutes=20))
    ends = signin.lockout_ends("member")
    assert _sign_in(client) == 429
    _fail(client, times=2)
    assert signin.lockout_ends("member") == ends
    AccessAttempt.objects.update(attempt_time=locked_at - dt.timedelta(minutes=31))
    assert _sign_in(client) == 302  # the lock ended when it said it would


def test_only_the_secretary_of_the_branch_unlocks(member, leader):
    _fail(Client())
    url = reverse("members:person_unlock", args=[member.pk])
    other_branch = make_branch()
    outsider = make_person(other_branch, (Role.SECRETARY, Role.MEMBER))
    outsider_client = Client()
    outsider_client.force_login(outsider)
    assert outsider_client.post(url).status_code == 404
    leader_client = Client()
    leader_client.force_login(leader)
    assert leader_client.post(url).status_code == 403
    assert Client().post(url)["Location"].startswith(reverse("login"))
    assert signin.lockout_ends("member") is not None


def test_unlocking_one_person_leaves_another_locked(member, leader, secretary):
    _fail(Client(), "member")
    _fail(Client(), "leader")
    client = Client()
    client.force_login(secretary)
    client.post(reverse("members:person_unlock", args=[member.pk]))
    assert signin.lockout_ends("member") is None
    assert signin.lockout_ends("leader") is not None
