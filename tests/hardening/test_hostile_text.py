"""Hostile text in every user-text field of every form: nothing executes, nothing 500s.

Forms are discovered from the URL matrix, so the campaign and reading forms are covered as soon as
their URL names are in tests/<app>/matrix.py.
"""

from __future__ import annotations

import os
import time

import pytest
from django.contrib import admin
from django.urls import reverse

from .formfill import (
    ROLES,
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

# The members forms that must be found; the other apps' forms are found the same way.
MUST_COVER = {
    "members:person_create",
    "members:person_edit",
    "members:responsibility_create",
    "members:responsibility_edit",
    "members:person_list",  # search box (GET)
    "members:directory",  # search box (GET)
}


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


def test_every_form_takes_every_payload_and_shows_it_harmlessly(personas, ctx, capsys):
    urls, with_kwargs = pattern_urls(ctx)
    found = discover(personas, urls, with_kwargs)
    covered = {t.name for t in found.targets}
    assert MUST_COVER <= covered, f"forms not found: {MUST_COVER - covered}"

    problems: list[str] = []
    stats = Stats()
    only = os.environ.get("HOSTILE_FORMS", "")  # e.g. HOSTILE_FORMS=reading: while working on it
    timings = []
    signatures: dict[tuple, int] = {}  # saved payloads per form signature
    for target in found.targets:
        if only and not target.name.startswith(tuple(only.split(","))):
            continue
        client = personas[target.role]
        started, posts = time.monotonic(), stats.posts
        # The edit twin of a create form (same app, method and text fields: the same form class
        # and templates) gets every TWIN_STEP-th payload when its twin got and saved them all.
        signature = (
            target.name.split(":")[0],
            target.form.method,
            *sorted(f.name for f in target.form.text_fields),
        )
        twin_saved = signatures.get(signature, 0)
        payloads = PAYLOADS[::TWIN_STEP] if twin_saved >= len(PAYLOADS) // 2 else PAYLOADS
        stored = stats.stored
        for payload in payloads:
            fill_with(client, target, payload, problems=problems, stats=stats)
        saved_here = stats.stored - stored if target.form.method == "post" else len(payloads)
        signatures[signature] = max(signatures.get(signature, 0), saved_here)
        timings.append((time.monotonic() - started, stats.posts - posts, target.label))
        assert not problems, "\n".join(problems[:20])

    # Everything stored is now on some page: read them all, as every role, and the admin's lists.
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
        for took, posts, label in sorted(timings, reverse=True)[:5]:
            print(f"[hostile] slowest: {label}: {posts} submissions, {took:.1f} s")
