"""20 clients × 50 posts against a real server on a file-based SQLite database: 1,000 rows.

pytest-django's live_server shares an in-memory SQLite database, which shows no lock contention, so
this starts gunicorn (as `make run` does) in a subprocess on the production settings (test_settings:
the same database options, plain static files) and a database file of its own.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
CLIENTS, POSTS = 20, 50


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A person at a browser: cookies, CSRF token, no automatic redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - our own server
        req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=60) as response:
                return (
                    response.status,
                    response.headers.get("Location", ""),
                    response.read().decode(),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")

    def csrf(self, html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def login(self, username: str) -> None:
        _, _, html = self.request("/accounts/login/")
        status, _, _ = self.request(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(html)},
        )
        assert status == 302, f"login failed: {status}"


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "concurrency.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    run = {"cwd": BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 120}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run, check=False)
    assert migrate.returncode == 0, migrate.stderr
    seed = (
        "from members.models import Role;from tests.factories import make_branch, make_person;"
        "b = make_branch(name='并发测试支部');"
        "make_person(b, (Role.SECRETARY, Role.MEMBER), username='secretary');"
        "print(make_person(b, (Role.LEADER, Role.MEMBER), username='leader').pk)"
    )
    seeded = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", seed], **run, check=False
    )
    assert seeded.returncode == 0, seeded.stderr
    port = _free_port()
    # The access log format of `make run`: this test checks it names no client address.
    makefile = (BASE_DIR / "Makefile").read_text()
    log_format = re.search(r"--access-logformat '([^']+)'", makefile).group(1)
    log = open(tmp_path / "gunicorn.log", "w")  # closed below
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, as `make run` starts it
        [
            str(gunicorn),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
            "--access-logformat",
            log_format,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
    yield {
        "base": base,
        "db": db,
        "leader": int(seeded.stdout.strip().splitlines()[-1]),
        "log": tmp_path / "gunicorn.log",
    }
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_twenty_clients_fifty_posts_each_make_a_thousand_rows(server, capsys):
    errors: list[str] = []
    durations: list[float] = []
    lock = threading.Lock()
    ready = threading.Barrier(CLIENTS)

    def client(n: int) -> None:
        browser = Browser(server["base"])
        try:
            browser.login("secretary")
            _, _, html = browser.request("/members/leadership/new/")
            token = browser.csrf(html)
            ready.wait()  # everyone starts posting at once
            for i in range(POSTS):
                data = {
                    "csrfmiddlewaretoken": token,
                    "_once": secrets.token_urlsafe(16),  # one page view per post
                    "leader": server["leader"],
                    "title": f"客户{n}",
                    "business_area": f"第{i}条",
                    "party_duty": "一岗双责",
                    "order": i % 100,
                }
                started = time.monotonic()
                status, location, body = browser.request("/members/leadership/new/", data)
                with lock:
                    durations.append(time.monotonic() - started)
                if status != 302 or location != "/members/leadership/":
                    with lock:
                        errors.append(f"client {n} post {i}: {status} {location} {body[:200]}")
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            with lock:
                errors.append(f"client {n}: {exc!r}")

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    assert not errors, "\n".join(errors[:10])
    with closing(sqlite3.connect(server["db"])) as db:
        rows = db.execute("SELECT count(*) FROM members_responsibility").fetchone()[0]
        per_client = db.execute(
            "SELECT count(DISTINCT title), count(DISTINCT title || business_area) "
            "FROM members_responsibility"
        ).fetchone()
        audit = db.execute("SELECT count(*) FROM members_auditentry").fetchone()[0]
    assert rows == CLIENTS * POSTS
    assert per_client == (CLIENTS, CLIENTS * POSTS)
    assert audit == CLIENTS * POSTS  # every save was audited in the same transaction
    log = server["log"].read_text()
    assert "database is locked" not in log and "Traceback" not in log
    # (the last lines may still be in gunicorn's buffer)
    assert log.count("POST /members/leadership/new/") > CLIENTS * POSTS // 2, "no access log?"
    assert "127.0.0.1" not in log.replace(server["base"], ""), (
        "the access log names client addresses"
    )
    durations.sort()
    with capsys.disabled():
        print(
            f"\n[concurrency] {rows} rows from {CLIENTS}×{POSTS} posts in {took:.1f} s; "
            f"median {durations[len(durations) // 2] * 1000:.0f} ms, "
            f"p99 {durations[int(len(durations) * 0.99)] * 1000:.0f} ms, "
            f"max {durations[-1] * 1000:.0f} ms"
        )
