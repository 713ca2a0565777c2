"""Smaller holes: the SQLite files' permissions and a password change that changes nothing."""

import os
import sqlite3
import stat
from contextlib import closing

import pytest
from django.db.utils import ConnectionHandler
from django.test import Client
from django.urls import reverse

from members.models import User
from members.services import hash_one_time_password
from tests.factories import PASSWORD

# --- The SQLite database is readable by its owner only ----------------------------------------


@pytest.fixture
def loose_umask():
    """The usual umask, under which new files are 0644 (readable by every local account)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _connection(path, settings):
    from config.settings import _SQLITE_OPTIONS

    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                # The production SQLite options (whatever this run's database is): WAL, so that
                # -wal and -shm exist.
                "OPTIONS": _SQLITE_OPTIONS,
            }
        }
    )
    return handler["default"]


def test_new_sqlite_database_and_its_wal_and_shm_are_owner_only(
    db, tmp_path, settings, loose_umask
):
    path = tmp_path / "db.sqlite3"
    conn = _connection(path, settings)
    try:
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE person (name TEXT)")
            cursor.execute("INSERT INTO person VALUES ('陈党员')")
        files = [path, tmp_path / "db.sqlite3-wal", tmp_path / "db.sqlite3-shm"]
        assert all(f.exists() for f in files)
        assert {f.name: oct(_mode(f)) for f in files} == {f.name: "0o600" for f in files}
    finally:
        conn.close()


def test_existing_world_readable_files_are_fixed_on_connect(db, tmp_path, settings, loose_umask):
    path = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(path)) as old:  # as an older version left it: 0644, WAL open
        old.execute("PRAGMA journal_mode=WAL")
        old.execute("CREATE TABLE person (name TEXT)")
        old.execute("INSERT INTO person VALUES ('陈党员')")
        old.commit()
        wal, shm = tmp_path / "db.sqlite3-wal", tmp_path / "db.sqlite3-shm"
        assert _mode(path) == _mode(wal) == _mode(shm) == 0o644
        conn = _connection(path, settings)
        try:
            conn.ensure_connection()
            assert _mode(path) == _mode(wal) == _mode(shm) == 0o600
        finally:
            conn.close()


def test_in_memory_and_other_engines_are_left_alone(settings):
    from django.db import connection

    from config.db import sqlite_files

    assert sqlite_files(connection) == []  # the test database lives in memory


# --- The forced password change must change the password ---------------------------------------

ONE_TIME = "Kq7mXw3pRt9z"


def _sign_in(username: str, password: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def _change(client: Client, old: str, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_one_time_password_is_refused_as_the_new_password(member):
    User.objects.filter(pk=member.pk).update(
        password=hash_one_time_password(ONE_TIME), must_change_password=True
    )
    client = _sign_in("member", ONE_TIME)
    response = _change(client, ONE_TIME, ONE_TIME)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "新密码不能与原密码相同" in " ".join(errors["new_password1"])
    assert "新密码不能与原密码相同" in response.content.decode()
    member.refresh_from_db()
    assert member.must_change_password and member.check_password(ONE_TIME)
    # Still held at the form.
    assert client.get("/")["Location"] == reverse("password_change")

    response = _change(client, ONE_TIME, "Zhiqian-2011x")
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.must_change_password and member.check_password("Zhiqian-2011x")


def test_nobody_may_change_a_password_to_itself(member, member_client):
    response = _change(member_client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "新密码不能与原密码相同" in " ".join(response.context["form"].errors["new_password1"])


def test_a_wrong_old_password_gets_djangos_message_not_ours(member, member_client):
    response = _change(member_client, "not-the-password", "not-the-password")
    errors = response.context["form"].errors
    assert "old_password" in errors and "new_password1" not in errors
