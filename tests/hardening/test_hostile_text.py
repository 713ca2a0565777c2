"""Hostile text in every user-text field of every form: nothing executes, nothing 500s.

Forms are discovered from the URL matrix (tests/<app>/matrix.py) and each one is a test of its own,
`test_form_takes_every_payload[<url name>]`, so a failure names the form. The forms share one
database for the module: what they saved stays, and `test_every_page_shows_what_was_stored` reads
it all back as every role. These tests run in one xdist group (`make test` uses
`--dist loadgroup`); run alone or split up, the read-back first fills the forms it has not seen.
While working on one app: `pytest tests/hardening/test_hostile_text.py -k reading:`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.conftest import cast, personas_for

from .formfill import (
    ROLES,
    Discovery,
    Stats,
    check_response,
    crawl,
    discover,
    fill_with,
    pattern_urls,
)
from .htmlcheck import link_scheme, parse_forms, unsafe_markup
from .payloads import PAYLOADS

TWIN_STEP = 4

# Every URL name whose page offers a form with text fields (to the least privileged role that
# can use it). `test_every_form_is_listed` fails when a page gains or loses one: add or remove
# its name here, so the form gets a test of its own.
FORMS = (
    "campaign:post_create",
    "campaign:post_edit",
    "campaign:post_plaque",  # 摘牌 with its reason (the matrix's post is hung)
    "campaign:post_review",
    "campaign:deed_create",
    "campaign:deed_edit",
    "campaign:saving_create",
    "campaign:saving_edit",
    "campaign:saving_void",
    "campaign:measure_create",
    "campaign:measure_edit",
    "campaign:measure_progress",
    "campaign:problem_create",
    "campaign:problem_edit",
    "campaign:problem_list",  # search box (GET)
    "campaign:problem_rectify",
    "campaign:rectification_edit",
    "campaign:feedback_send",
    "campaign:feedback_track",
    "campaign:care_visit_create",
    "campaign:care_visit_edit",
    "campaign:care_visit_list",  # filter (GET)
    "campaign:care_report_create",
    "campaign:care_report_visit",
    "campaign:care_report_close",
    "campaign:feedback_board",  # filter (GET)
    "campaign:decision_create",
    "campaign:decision_edit",
    "campaign:decision_list",  # filter (GET)
    "campaign:integrity_create",
    "campaign:integrity_edit",
    "campaign:integrity_list",  # filter (GET)
    "campaign:campaign_create",
    "campaign:campaign_edit",
    "campaign:nomination_award",
    "campaign:nomination_dates_edit",
    "campaign:phase_edit",
    "campaign:pledge_create",
    "campaign:pledge_edit",
    "campaign:pledge_judge",
    "campaign:pledge_queue",  # search box (GET)
    "campaign:pledge_wall",  # search box (GET)
    "campaign:progress_add",
    "campaign:progress_edit",
    "campaign:progress_void",
    "campaign:review_create",
    "campaign:review_edit",
    "campaign:review_list",  # filter (GET)
    "campaign:review_void",
    "campaign:round_create",
    "campaign:round_edit",
    "campaign:standard_create",
    "campaign:standard_edit",
    "campaign:standard_set_edit",
    "members:directory",  # search box (GET)
    "members:person_create",
    "members:person_edit",
    "members:person_list",  # search box (GET)
    "members:responsibility_create",
    "members:responsibility_edit",
    "reading:activity_create",
    "reading:activity_edit",
    "reading:comment_hide",
    "reading:distribution_void",
    "reading:purchase_create",
    "reading:purchase_edit",
    "reading:purchase_void",
    "reading:reflection_create",
    "reading:reflection_edit",
    "reading:reflection_feature",
    "reading:reflection_hide",
    "reading:reflection_list",  # search box (GET)
)


def hostile_group(test):
    """The tests that share `hostile_run`: one xdist worker, and the django_db mark, which is
    what makes pytest-django set up the test database (see _django_db_marker below)."""
    return pytest.mark.django_db(pytest.mark.xdist_group("hostile_text")(test))


def test_the_corpus_has_at_least_60_payloads_of_every_kind():
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    joined = "\n".join(PAYLOADS).lower()
    for needle in (
        "<script",
        "onerror=",
        "javascript:",
        "data:text/html",
        "](javascript",
        "&#",
        "\u202e",
        "\u200b",
        "{{",
        "{%",
        "drop table",
        "\x00",
    ):
        assert needle in joined, needle
    assert max(map(len, PAYLOADS)) >= 100_000


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script src="/static/js/app.js">alert(1)</script>',
        '<img src="x" onerror="alert(1)">',
        "<div ONMOUSEOVER=x>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<img src="data:image/svg+xml,x">',
        '<form action="javascript:x"></form>',
        "<iframe src=/></iframe>",
        '<meta http-equiv="refresh" content="0">',
        "<base href=/x/>",
        '<p style="color:red">x</p>',
    ],
)
def test_the_checker_catches(html):
    assert unsafe_markup(html), html


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/app.js"></script>',
        '<script type="application/json" id="d">{"a": 1}</script>',
        '<a href="/members/">x</a><a href="#">y</a><a href="?page=2">z</a>',
        '<a href="https://example.com/">x</a><a href="http://example.com/">y</a>',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>",
        '<input value="&quot; onmouseover=&quot;alert(1)">',
    ],
)
def test_the_checker_lets_our_own_markup_pass(html):
    assert unsafe_markup(html) == []


def test_link_scheme_sees_what_a_browser_sees():
    assert link_scheme("java\nscript:alert(1)") == "javascript"
    assert link_scheme("\x01 javascript:x") == "javascript"
    assert link_scheme("/members/?a=b:c") is None
    assert link_scheme("HTTPS://x") == "https"


def test_the_form_parser_reads_what_a_browser_submits():
    html = (
        '<form method="post" action=""><input type="hidden" name="t" value="1">'
        '<input name="a" maxlength="5" class="form-control is-invalid">'
        "<textarea name=b>\nhello</textarea>"
        '<select name="c"><option value="">--</option>'
        '<option value="7" selected>x</option></select>'
        '<input type="checkbox" name="d" value="x" checked>'
        '<input type="checkbox" name="d" value="y">'
        '<div id="error_1_id_b"></div><input id="id_b" name="zz" type="number">'
        '<button type="submit" name="go" value="1">go</button></form>'
    )
    (form,) = parse_forms(html)
    by_name = {f.name: f for f in form.fields}
    assert [f.name for f in form.text_fields] == ["a", "b"]
    assert by_name["a"].maxlength == 5 and by_name["b"].value == "hello"
    assert by_name["c"].options == [("", False), ("7", True)]
    assert form.submit == ("go", "1")
    assert form.invalid_names() == {"a", "zz"}


@dataclass
class HostileRun:
    """The module's database: the personas, the matrix's objects, the forms found, and what the
    forms saved so far (filled in discovery order, as one test did it before the split)."""

    personas: dict
    found: Discovery
    media: Path
    rows_before: int  # rows in the database before any form was filled
    stats: Stats = field(default_factory=Stats)
    # saved payloads per form signature: the edit twin of a create form gets every TWIN_STEP-th
    signatures: dict[tuple, int] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)  # per URL name filled
    timings: list[tuple[float, int, str]] = field(default_factory=list)

    def fill(self, name: str) -> list[str]:
        """Every payload into every text field of the forms on page `name`, once."""
        if name in self.problems:
            return self.problems[name]
        problems = self.problems[name] = []
        # A savepoint: a form that breaks the transaction takes only its own rows with it.
        with transaction.atomic():
            self._fill(name, problems)
        return problems

    def _fill(self, name: str, problems: list[str]) -> None:
        stats = self.stats
        for target in self.found.targets:
            if target.name != name:
                continue
            client = self.personas[target.role]
            started, posts = time.monotonic(), stats.posts
            # The edit twin of a create form (same app, method and text fields: the same form
            # class and templates) gets every TWIN_STEP-th payload when its twin got and saved
            # them all.
            signature = (
                target.name.split(":")[0],
                target.form.method,
                *sorted(f.name for f in target.form.text_fields),
            )
            twin_saved = self.signatures.get(signature, 0)
            payloads = PAYLOADS[::TWIN_STEP] if twin_saved >= len(PAYLOADS) // 2 else PAYLOADS
            stored = stats.stored
            for payload in payloads:
                fill_with(client, target, payload, problems=problems, stats=stats)
            saved_here = stats.stored - stored if target.form.method == "post" else len(payloads)
            self.signatures[signature] = max(self.signatures.get(signature, 0), saved_here)
            self.timings.append((time.monotonic() - started, stats.posts - posts, target.label))
            if problems:  # as before the split: a form's first problems stop it
                break


def _rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models())


@pytest.fixture(autouse=True)
def _django_db_marker() -> None:
    """Replaces pytest-django's fixture of this name for this module: its version wraps every
    django_db test in a transaction rolled back at the test's end, so the next form's test would
    no longer see what this one saved. Here the module's tests share `hostile_run`'s transaction
    instead (test_every_page_shows_what_was_stored checks the rows are still there)."""


@pytest.fixture(scope="module")
def hostile_run(django_db_setup, django_db_blocker, tmp_path_factory):
    """One database for the module's form tests, rolled back at its end like a test's."""
    media = tmp_path_factory.mktemp("hostile-media")
    # Every payload into the public feedback forms from one address: no per-address limit here
    # (tests/campaign/test_feedback_send.py tests it).
    unlimited = {group: "100000/h" for group in settings.RATE_LIMITS}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, RATE_LIMITS=unlimited),
        transaction.atomic(),
    ):
        people = cast()
        personas = personas_for(people)
        urls, with_kwargs = pattern_urls(people)
        found = discover(personas, urls, with_kwargs)
        yield HostileRun(personas, found, media=media, rows_before=_rows())
        transaction.set_rollback(True)


@pytest.fixture
def hostile(hostile_run, settings):
    """The module's run, with its uploads in one folder for all its tests (pages read back later
    open the files saved earlier)."""
    settings.MEDIA_ROOT = hostile_run.media
    return hostile_run


@hostile_group
def test_every_form_is_listed(hostile):
    found = {t.name for t in hostile.found.targets}
    assert found - set(FORMS) == set(), "forms with no test: add them to FORMS"
    assert set(FORMS) - found == set(), "FORMS names pages without a form with text fields"


@hostile_group
@pytest.mark.parametrize("name", FORMS)
def test_form_takes_every_payload(hostile, name):
    problems = hostile.fill(name)
    assert not problems, "\n".join(problems[:20])
    # A field error that marks no field: the filler could not correct it (and so never saved a
    # payload through this form), and a screen reader cannot tell which control it is about.
    unmarked = sum(t.unmarked for t in hostile.found.targets if t.name == name)
    assert not unmarked, f"{name}: {unmarked} answers showed a field error on no marked field"


@hostile_group
def test_every_page_shows_what_was_stored(hostile, capsys):
    """Everything stored is now on some page: read them all, as every role, and the admin's
    lists (forms not filled yet in this process, e.g. under -k, are filled first)."""
    for target in hostile.found.targets:
        hostile.fill(target.name)
    personas, found, stats = hostile.personas, hostile.found, hostile.stats
    assert _rows() > hostile.rows_before, "what the forms saved is gone: nothing to read back"
    problems: list[str] = []
    pages = 0
    for role in ROLES:
        start = found.all_pages[role] or [reverse("home")]
        limit = 250 if role == "secretary" else 100
        pages += crawl(personas[role], start, limit=limit, problems=problems, who=role)
    secretary = personas["secretary"]
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for page in range(0, 6):
            response = secretary.get(url, {"p": page} if page else {})
            pages += 1
            check_response(response, f"admin GET {url}?p={page}", problems)
    assert not problems, "\n".join(problems[:20])
    assert stats.stored >= len(PAYLOADS) // 2, "most payloads should be saved somewhere"
    with capsys.disabled():
        print(
            f"\n[hostile] {len(PAYLOADS)} payloads, {len(found.targets)} forms "
            f"({', '.join(sorted(t.label for t in found.targets))}); {stats.posts} submissions, "
            f"{stats.stored} saved with a payload, {pages} pages read back; "
            f"fields that stored payloads: {', '.join(sorted(stats.fields))}"
        )
        for took, posts, label in sorted(hostile.timings, reverse=True)[:5]:
            print(f"[hostile] slowest: {label}: {posts} submissions, {took:.1f} s")
