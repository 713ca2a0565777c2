"""members/credentials.py: the one-time passwords between the service and the secretary."""

from __future__ import annotations

import io

from django.contrib.sessions.backends.base import SessionBase
from openpyxl import load_workbook

from members import credentials
from members.models import AuditEntry
from members.services import Credential

ROWS = [
    Credential("张建国", "XT0101", "abcDEF234567", "配送部"),
    Credential('=HYPERLINK("http://x")', "XT0102", "ghjKLM892345"),
]


def _session() -> SessionBase:
    return SessionBase()  # no session key: an in-memory session, nothing is saved


def test_the_passwords_are_shown_once_and_the_download_stays_until_taken():
    session = _session()
    credentials.stash(session, ROWS)
    rows, can_download = credentials.reveal(session)
    assert [r["username"] for r in rows] == ["XT0101", "XT0102"]
    assert can_download
    assert credentials.reveal(session) == (None, True)


def test_the_download_is_taken_once():
    session = _session()
    credentials.stash(session, ROWS)
    assert [r["password"] for r in credentials.take(session)] == ["abcDEF234567", "ghjKLM892345"]
    assert credentials.take(session) is None
    assert credentials.reveal(session) == (None, False)


def test_a_new_stash_replaces_the_old_one():
    session = _session()
    credentials.stash(session, ROWS)
    credentials.reveal(session)
    credentials.stash(session, ROWS[:1])
    rows, _ = credentials.reveal(session)
    assert [r["username"] for r in rows] == ["XT0101"]


def test_stale_passwords_are_dropped(monkeypatch):
    session = _session()
    now = 1_000_000.0
    monkeypatch.setattr(credentials.time, "time", lambda: now)
    credentials.stash(session, ROWS)
    now += credentials.CREDENTIALS_TTL + 1
    assert credentials.fetch(session) is None
    assert credentials.SESSION_KEY not in session
    assert credentials.take(session) is None


def test_the_workbook_holds_every_row_as_text_and_is_audited(secretary):
    rows = [c.as_dict() for c in ROWS]
    response = credentials.download(rows=rows, by=secretary)
    assert response["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(max_row=3)]
    assert values == [
        ["姓名", "部门", "登录名", "一次性密码"],
        ["张建国", "配送部", "XT0101", "abcDEF234567"],
        ['=HYPERLINK("http://x")', None, "XT0102", "ghjKLM892345"],
    ]
    assert sheet["A3"].data_type == "s"  # a name that looks like a formula stays text
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.detail) == (secretary, "下载一次性密码", "2 人")
