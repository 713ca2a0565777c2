"""One "what should I do now": every app contributes Tasks through the same hook (members.hooks),
the home page shows them as one 待办 list, and members imports no app above it."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import services as campaign_services
from members import hooks
from members.models import Role, User
from tests.campaign.factories import make_campaign
from tests.factories import make_person
from tests.reading.factories import (
    make_activity,
    make_distribution,
    make_members,
    make_recommendation,
    make_reflection,
    select_books,
)

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

MEMBERS = Path(__file__).resolve().parents[2] / "members"


def test_members_imports_no_app_above_it():
    """Dependencies point downwards: members finds campaign and reading through the hooks only."""
    for path in MEMBERS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in {"campaign", "reading"}, f"{path}: {name}"


def test_the_apps_take_part_in_installed_apps_order():
    assert [app.label for app in hooks.hooked_apps()] == ["members", "campaign", "reading"]


def _tasks(user):
    return hooks.tasks_for(User.objects.get(pk=user.pk))


def _texts(tasks):
    return [task.text for task in tasks]


@pytest.mark.django_db
def test_the_home_shows_one_list_of_every_apps_tasks_urgent_first(secretary, member, branch):
    campaign = make_campaign(secretary)
    campaign_services.phase_set_current(phase=campaign.phases.get(kind="compete"), by=secretary)
    activity = make_activity(branch, "read")
    book = select_books(activity, secretary)[0]
    distribution = make_distribution(book, member)

    tasks = _tasks(member)
    assert {task.section for task in tasks} == {"创先争优活动", "读书活动"}
    assert tasks[0].urgent and tasks[0].post  # 确认已领取 comes before the pledges
    assert tasks[0].url == reverse("reading:distribution_confirm", args=[distribution.pk])
    assert [task.urgent for task in tasks] == sorted((t.urgent for t in tasks), reverse=True)

    client = Client()
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert html.count('id="tasks-title"') == 1
    form = f'<form method="post" action="{tasks[0].url}">'
    assert form in html and "csrfmiddlewaretoken" in html
    for task in tasks:
        assert task.text in html


@pytest.mark.django_db
def test_home_and_tasks_for_give_the_same_tasks(secretary, leader, member, staff, branch):
    """An app that computes its home part itself builds its tasks as `tasks_for` does."""
    make_campaign(secretary)
    select_books(make_activity(branch, "discuss"), secretary)
    for person in (secretary, leader, member, staff):
        user = User.objects.get(pk=person.pk)
        for app in hooks.hooked_apps():
            assert app.home(user).tasks == app.tasks_for(user), (app.label, person.username)


@pytest.mark.django_db
def test_the_reading_tasks_follow_the_phase_and_the_role(secretary, member, staff, branch):
    assert "发起读书活动" in _texts(_tasks(secretary))
    assert "发起读书活动" not in _texts(_tasks(member))

    activity = make_activity(branch, "recommend")
    assert any(t.startswith("推荐一本好书") for t in _texts(_tasks(member)))
    make_recommendation(activity, member, title="你在为谁工作")
    assert any(t.startswith("修改推荐：您推荐了 《你在为谁工作》") for t in _texts(_tasks(member)))
    assert not any("推荐" in t for t in _texts(_tasks(staff)))

    # Recommending is over and nobody chose the books: the secretary is asked to.
    activity.delete()
    activity = make_activity(branch, "read")
    chosen = [t for t in _tasks(secretary) if t.text.startswith("推荐已截止")]
    assert chosen and chosen[0].url == reverse("reading:selection_create", args=[activity.pk])
    select_books(activity, secretary)
    assert "登记阅读进度" in _texts(_tasks(member))
    assert not any(t.startswith("推荐已截止") for t in _texts(_tasks(secretary)))
    assert "登记阅读进度" not in _texts(_tasks(staff))


@pytest.mark.django_db
def test_the_reading_panel_is_worked_out_in_python(secretary, staff, staff_client, branch):
    activity = make_activity(branch, "finished")
    select_books(activity, secretary)
    html = staff_client.get(reverse("home")).content.decode()
    for name in ("reflection_showcase", "reflection_list"):
        assert reverse(f"reading:{name}", args=[activity.pk]) in html
    assert reverse("reading:activity_stats", args=[activity.pk]) not in html
    assert "共读书目：《你在为谁工作》、《责任胜于能力》" in html


# --- Query counts ---------------------------------------------------------------------------


def _home_queries(user) -> int:
    client = Client()
    client.force_login(user)
    client.get(reverse("home"))  # warm up: per-process caches are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Queries of the home page on the demo before issue 10 (the campaign's and the reading panel's own
# template tags): secretary 20, leader 18, member 16, staff 11. The one 待办 list runs no more.
BEFORE = {"secretary": 20, "leader": 18, "member": 16, "staff": 11, "xt013": 16}


@pytest.mark.django_db
def test_the_home_page_runs_no_more_queries_than_before():
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    for username, before in BEFORE.items():
        assert _home_queries(User.objects.get(username=username)) <= before, username


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ["recommend", "read", "discuss"])
def test_the_home_page_runs_the_same_queries_for_3_and_40_members(phase, branch, secretary):
    make_campaign(secretary)
    activity = make_activity(branch, phase)
    books = select_books(activity, secretary) if phase != "recommend" else []
    me = make_person(branch, (Role.MEMBER,))
    for book in books:
        make_distribution(book, me)  # not confirmed yet: a task per book

    def grow(n):
        for person in make_members(branch, n):
            if phase == "recommend":
                make_recommendation(activity, person)
            for book in books:
                make_distribution(book, person)
            if phase == "discuss":
                make_reflection(activity, person, hidden=True, hidden_reason="含有个人信息")

    grow(2)
    small = {who.username: _home_queries(who) for who in (me, secretary)}
    grow(37)
    large = {who.username: _home_queries(who) for who in (me, secretary)}
    assert small == large


def test_a_demo_moment_is_never_after_now():
    demo = hooks.Demo(password="x" * 10, story_today=dt.date(2011, 5, 16))
    assert demo.at(demo.story_today, 23, 59) <= timezone.now()
