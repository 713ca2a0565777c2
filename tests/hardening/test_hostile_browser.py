"""In a real browser, pages showing stored hostile text open no dialog and break no CSP rule."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.urls import resolve

from tests.conftest import login

from .formfill import Stats, crawl, discover, fill_with, pattern_urls
from .payloads import ENCODED, EVENT_HANDLERS, LINKS, SCRIPT_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A sample of the payloads that would run if anything were let through (the full corpus goes
# through every form in test_hostile_text.py; this is the browser's second opinion).
ACTIVE = (SCRIPT_TAGS + EVENT_HANDLERS + LINKS + ENCODED)[::5]
PER_URL_NAME = 1  # pages of one kind (e.g. person pages) show what all of them show
MAX_PAGES = 35


def test_no_stored_payload_opens_a_dialog_or_breaks_the_csp(
    page, live_server, personas, ctx, secretary, browser_log
):
    urls, with_kwargs = pattern_urls(ctx)
    found = discover(personas, urls, with_kwargs)
    stats = Stats()
    for target in found.targets:
        if target.form.method != "post":
            continue
        for payload in ACTIVE:
            fill_with(personas[target.role], target, payload, problems=[], stats=stats)
    assert stats.stored > 0

    visited: list[str] = []
    crawl(
        personas["secretary"],
        found.all_pages["secretary"],
        limit=400,
        problems=[],
        who="s",
        pages=visited,
    )
    chosen: list[str] = []
    per_name: dict[str, int] = defaultdict(int)
    for url in visited:
        name = resolve(url.split("?")[0]).view_name
        if per_name[name] < PER_URL_NAME and len(chosen) < MAX_PAGES:
            per_name[name] += 1
            chosen.append(url)

    login(page, live_server, secretary)
    for url in chosen:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        # Hovering and focusing is how on* handlers in a page would fire.
        page.mouse.move(200, 300)
        page.keyboard.press("Tab")
    assert browser_log["dialogs"] == [], f"a payload ran: {browser_log['dialogs'][:5]}"
    assert browser_log["csp"] == [], browser_log["csp"][:5]
    assert len(chosen) >= 10
    print(f"[browser] {len(chosen)} pages in Chromium, {stats.stored} records holding payloads")
