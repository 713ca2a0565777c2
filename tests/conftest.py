import os

import pytest
from django.test import Client

from members.models import Role

from .factories import PASSWORD, make_branch, make_person

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and one-time tokens start afresh in every test (config/test_settings.py)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def page_cache_off(settings):
    """Every page drawn, none served again (config/pagecache.py): for the tests that count the
    queries of drawing a page."""
    settings.PAGE_CACHE = False


BRANCH_NAME = "国药控股新疆新特参茸药业有限公司党支部"
# The four personas: username -> (roles, full name). Tests that need them outside a function-scoped
# fixture (tests/hardening/test_hostile_text.py keeps one database for a whole module) use cast().
PERSONAS = {
    "secretary": ((Role.SECRETARY, Role.MEMBER), "王书记"),
    "leader": ((Role.LEADER, Role.MEMBER), "李总"),
    "member": ((Role.MEMBER,), "陈党员"),
    "staff": ((Role.STAFF,), "王职工"),
}


def make_persona(branch, name: str):
    roles, full_name = PERSONAS[name]
    return make_person(branch, roles, username=name, full_name=full_name)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cast() -> dict:
    """The branch and its four personas, made now: what the fixtures below make one by one."""
    branch = make_branch(name=BRANCH_NAME)
    return {"branch": branch, **{name: make_persona(branch, name) for name in PERSONAS}}


def personas_for(people: dict) -> dict[str, Client]:
    """Clients by role name, anonymous included."""
    return {
        "anonymous": Client(),
        **{name: client_for(people[name]) for name in ("staff", "member", "leader", "secretary")},
    }


@pytest.fixture
def branch(db):
    return make_branch(name=BRANCH_NAME)


@pytest.fixture
def secretary(branch):
    return make_persona(branch, "secretary")


@pytest.fixture
def leader(branch):
    return make_persona(branch, "leader")


@pytest.fixture
def member(branch):
    return make_persona(branch, "member")


@pytest.fixture
def staff(branch):
    return make_persona(branch, "staff")


@pytest.fixture
def secretary_client(secretary):
    return client_for(secretary)


@pytest.fixture
def leader_client(leader):
    return client_for(leader)


@pytest.fixture
def member_client(member):
    return client_for(member)


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def personas(secretary, leader, member, staff):
    """Clients by role name, anonymous included."""
    return personas_for(
        {"secretary": secretary, "leader": leader, "member": member, "staff": staff}
    )


# --- Browser tests (pytest-playwright with Debian's chromium) -----------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but REQUIRE_BROWSER is set")
        pytest.skip(
            f"browser tests need {CHROMIUM} (apt-get install chromium); .ci/run installs it"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_log(page):
    """What the page reported: CSP violations and dialogs (accepted, so data-confirm forms submit).

    Browser tests assert `browser_log["csp"] == []`; hostile-input tests also that no dialog other
    than our own confirmations opened.
    """
    log: dict[str, list[str]] = {"csp": [], "dialogs": []}
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and log["csp"].append(msg.text),
    )
    page.on("dialog", lambda dialog: (log["dialogs"].append(dialog.message), dialog.accept()))
    return log


@pytest.fixture
def journey(page, live_server):
    """A browser journey's checks (tests/browser.py); the test fails on any console error."""
    from tests.browser import Journey

    guard = Journey(page, live_server)
    yield guard
    guard.assert_no_errors()


def login(page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
