"""`make bench` (scripts/bench/): it measures real pages as their roles, and its write test posts
the way a browser does. The load itself (gunicorn, wrk) is not run here: `make bench` does that."""

import argparse
import importlib.util
import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from campaign import services as campaign_services
from reading.models import Comment
from tests.campaign.factories import make_campaign, make_post, make_round
from tests.reading.factories import make_activity, make_comment, make_reflection, select_books

BENCH = Path(settings.BASE_DIR) / "scripts" / "bench"

# Every page issue 11 names, as the keys of scripts/bench/probe.py.
PAGES = {
    "home_secretary",
    "home_leader",
    "home_member",
    "home_staff",
    "forum_first",
    "forum_last",
    "forum_search_short",
    "forum_search_long",
    "forum_search_new",
    "post_list",
    "post_detail",
    "rectification_list",
    "saving_summary",
    "feedback_list",
    "feedback_board",
    "feedback_satisfaction",
    "reflection",
    "showcase",
    "activity_stats",
    "tally",
    "handout",
    "progress",
    "pledge_wall",
    "pledge_queue",
    "pledge_missing",
    "review_list",
    "round_results",
    "person_list",
    "directory",
    "audit_log",
    "person_list_xlsx",
}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def probe():
    return _load("probe")


@pytest.fixture(scope="module")
def run():
    return _load("run")


@pytest.fixture
def company(branch, secretary, leader, member, staff):
    """A closed 群众评议 round and a reading activity in its 交流 phase with a post and comments."""
    campaign = make_campaign(secretary)
    round_ = make_round(campaign, secretary)
    campaign_services.round_close(round_=round_, by=secretary)
    activity = make_activity(branch, "discuss")
    books = select_books(activity, secretary)
    post = make_reflection(activity, member, books[0])
    for person in (staff, leader, member):
        make_comment(post, person)
    make_post(branch, secretary, name="药品配送岗")  # 战斗堡垒: a 党员先锋岗 to open
    return {"secretary": secretary, "leader": leader, "member": member, "staff": staff}


def test_every_page_answers_its_role_with_a_200(probe, company):
    users = {role: probe.role_user(role) for role in probe.PREFERRED}
    assert {role: user.username for role, user in users.items()} == {
        "secretary": "secretary",
        "leader": "leader",
        "member": "member",
        "staff": "staff",
    }
    sessions = {role: probe.new_session(user) for role, user in users.items()}
    pages = probe.pages(users)
    assert {page["key"] for page in pages} == PAGES
    for page in pages:
        answer = probe.count_queries(page["path"], sessions[page["role"]])
        assert answer["status"] == 200, (page, answer)
        assert answer["queries"] > 0 and answer["drawn_ms"] > 0
    export = next(page for page in pages if page["key"] == "person_list_xlsx")
    client = Client(headers={"host": probe.HOST})
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions["secretary"]
    assert client.get(export["path"])["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_the_new_word_search_asks_for_a_different_page_each_request(probe, company):
    """The row "搜索 (每次新词)": the warm-up and the measurement each ask for half of `paths`,
    none twice, so no request is served from the page cache; they are real searches."""
    users = {role: probe.role_user(role) for role in probe.PREFERRED}
    row = next(p for p in probe.pages(users) if p["key"] == "forum_search_new")
    words = [parse_qs(urlsplit(path).query)["q"][0] for path in row["paths"]]
    assert len(words) == len(set(words)) >= 2800
    assert all(2 <= len(w) <= 4 for w in words)
    assert len({urlsplit(path).path for path in row["paths"]}) == 1
    assert parse_qs(urlsplit(row["path"]).query)["q"] == ["责任"]  # counted on the short word


@pytest.fixture
def recorder():
    """A local HTTP server that answers 200 and notes each path asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


def test_wrk_asks_for_each_path_in_turn(run, recorder):
    """run.wrk with `paths` (report.lua + paths.lua): one connection asks for them in order, and
    the result says when it asked for more than there were. CI installs wrk (.ci/run)."""
    if shutil.which("wrk") is None:
        if os.environ.get("REQUIRE_WRK"):
            pytest.fail("wrk is not installed")
        pytest.skip("wrk is not installed (make bench installs it; CI does)")
    base, asked = recorder
    paths = ["/a?q=%E8%B4%A3%E4%BB%BB", "/b?q=2", "/c?q=3"]
    result = run.wrk(base, "/first", None, 1, 1, False, paths=paths)
    assert result["errors"] == 0 and result["requests"] > len(paths)
    # In turn (wrk may draw a first request before connecting: the turn starts anywhere).
    after = {paths[i]: paths[(i + 1) % len(paths)] for i in range(len(paths))}
    assert all(after[a] == b for a, b in zip(asked, asked[1:], strict=False)), asked[:10]
    assert set(asked) == set(paths)
    assert result["repeated"] is True
    asked.clear()
    assert run.wrk(base, "/first", None, 1, 1, False)["repeated"] is False
    assert set(asked) == {"/first"}


def test_the_write_test_posts_a_comment_as_a_browser_does(probe, run, company):
    prepared = probe.prepare(argparse.Namespace(writes=True))
    write = prepared["write"]
    assert len(write["sessions"]) == probe.WRITERS
    client = Client(enforce_csrf_checks=True, headers={"host": probe.HOST})
    client.cookies[settings.SESSION_COOKIE_NAME] = write["sessions"][0]
    page = client.get(write["path"])
    token = run.TOKEN.search(page.content.decode()).group(1)
    sent = {"csrfmiddlewaretoken": token, "_once": "a" * 22, "body": f"{write['marker']} 0-0"}
    response = client.post(write["comment_path"], sent)
    assert response.status_code == 302
    found = run.COMMENT_ID.search(response["Location"])
    assert Comment.objects.filter(pk=int(found.group(1)), body__startswith=write["marker"]).exists()


def test_the_check_counts_stored_comments_and_removes_them(probe, company, tmp_path):
    prepared = probe.prepare(argparse.Namespace(writes=True))
    write = prepared["write"]
    post_id, marker = write["reflection"], write["marker"]
    kept = Comment.objects.filter(reflection_id=post_id).count()
    stored = [
        Comment.objects.create(reflection_id=post_id, author=company["staff"], body=f"{marker} {n}")
        for n in range(3)
    ]
    # Two acknowledged and stored, one acknowledged but missing, one stored but not acknowledged.
    prepared["acknowledged_ids"] = [stored[0].pk, stored[1].pk, 10**9]
    path = tmp_path / "prepared.json"
    path.write_text(json.dumps(prepared))
    check = probe.writes(argparse.Namespace(file=str(path)))
    assert check["acknowledged"] == 3 and check["stored"] == 2 and check["rows"] == 3
    assert check["missing"] == [10**9]
    assert Comment.objects.filter(reflection_id=post_id).count() == kept
    model = probe.session_model()
    assert not model.objects.filter(session_key__in=write["sessions"]).exists()
    assert not model.objects.filter(session_key__in=prepared["sessions"].values()).exists()
    # Nor in the cache (cached_db): the sessions cannot sign anybody in any more.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in [*write["sessions"], *prepared["sessions"].values()]:
        assert not store(session_key=key).exists(key) and store(session_key=key).load() == {}


def test_the_database_is_shown_without_its_password(run):
    assert run.shown("postgres://bench:s3cret@db.example:5433/chuangxian") == (
        "postgres://bench@db.example:5433/chuangxian"
    )
    assert run.shown(f"sqlite:///{settings.BASE_DIR}/bench/scale.sqlite3") == "bench/scale.sqlite3"
    assert run.sqlite_path("sqlite:////tmp/x.sqlite3") == Path("/tmp/x.sqlite3")


def test_a_database_built_by_other_migrations_or_seed_code_is_stale(run, tmp_path, monkeypatch):
    """The bench rebuilds a database whose migrations or seed code changed since it was built
    (a stale one lacks the newest feature's rows, and its query counts mislead)."""
    monkeypatch.setattr(run, "FINGERPRINTS", tmp_path / "fingerprints.json")
    current = run.fingerprint(*run.DEMO_SOURCES)
    assert current == run.fingerprint(*run.DEMO_SOURCES)  # stable
    assert not run.stale("demo", current)  # nothing known yet: a database of unknown origin
    run.remember_fingerprint("demo", current)
    assert not run.stale("demo", current)
    assert run.stale("demo", "0123456789abcdef")
    assert run.fingerprint(*run.SCALE_SOURCES) != current  # each database has its own sources
