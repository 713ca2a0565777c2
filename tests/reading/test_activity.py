"""The activity: creating it, its phases, the summary with drill-down links, the home panel."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from members.models import AuditEntry
from reading import services
from reading.models import ReadingActivity

from .factories import (
    make_activity,
    make_comment,
    make_distribution,
    make_members,
    make_purchase,
    make_recommendation,
    make_reflection,
    phase_dates,
    select_books,
)

Phase = ReadingActivity.Phase


def form_data(**kw):
    dates = {k: v.isoformat() for k, v in phase_dates("recommend").items()}
    return {"title": "2011年读书活动", "books_to_pick": 2, "budget": "1200.00", **dates, **kw}


def test_the_secretary_creates_an_activity(secretary_client, branch):
    response = secretary_client.post(reverse("reading:activity_create"), form_data())
    activity = ReadingActivity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.branch == branch and activity.budget == Decimal("1200.00")
    assert activity.phase == Phase.RECOMMEND
    assert AuditEntry.objects.filter(action="创建读书活动").exists()


def test_phases_out_of_order_are_refused_at_the_field(secretary_client):
    dates = phase_dates("recommend")
    bad = form_data(read_start=(dates["recommend_end"] - dt.timedelta(days=1)).isoformat())
    response = secretary_client.post(reverse("reading:activity_create"), bad)
    assert "阅读阶段须在推荐阶段结束之后开始" in response.content.decode()
    assert not ReadingActivity.objects.exists()


def test_dates_in_order_are_a_database_constraint(branch):
    dates = phase_dates("recommend")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(branch, discuss_end=dates["discuss_start"] - dt.timedelta(days=1))


def test_members_cannot_create_activities(member_client, leader_client):
    for client in (member_client, leader_client):
        assert client.post(reverse("reading:activity_create"), form_data()).status_code == 403
    assert not ReadingActivity.objects.exists()


@pytest.mark.parametrize("phase", ["upcoming", "recommend", "read", "discuss", "finished"])
def test_the_phase_follows_the_dates(branch, phase):
    assert make_activity(branch, phase).phase == phase


def test_past_activities_stay_readable(member_client, branch, secretary, member):
    old = make_activity(branch, "finished")
    select_books(old, secretary)
    post = make_reflection(old, member, title="去年的读后感")
    make_activity(branch, "recommend")
    html = member_client.get(reverse("reading:activity_list")).content.decode()
    assert old.title in html
    assert member_client.get(post.get_absolute_url()).status_code == 200


def test_books_to_pick_cannot_change_after_the_selection(branch, secretary):
    activity = make_activity(branch, "read")
    select_books(activity, secretary)
    data = {k: getattr(activity, k) for k in services.ACTIVITY_FIELDS}
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, by=secretary, data={**data, "books_to_pick": 3})


def test_the_summary_numbers_link_to_their_lists(secretary_client, branch, secretary, staff):
    activity = make_activity(branch, "discuss")
    a, b, c = make_members(branch, 3)
    make_recommendation(activity, a)
    make_recommendation(activity, b)
    books = select_books(activity, secretary)
    make_purchase(books[0], quantity=3, unit_price=Decimal("28.50"))
    make_distribution(books[0], a, confirmed_at=timezone.now())
    make_distribution(books[0], b)
    post = make_reflection(activity, a)
    make_comment(post, staff)
    html = secretary_client.get(
        reverse("reading:activity_stats", args=[activity.pk])
    ).content.decode()
    # secretary is a party member too: 4 people.
    assert "2 / 4 人" in html and "3 册，85.50 元" in html and "2 / 8 册" in html
    for name, query in [
        ("participant_list", "?show=recommended"),
        ("participant_list", "?show=not_recommended"),
        ("recommendation_list", ""),
        ("purchase_list", ""),
        ("distribution_list", "?show=unconfirmed"),
        ("progress_list", "?show=finished"),
        ("reflection_list", ""),
        ("comment_list", ""),
        ("reflection_showcase", ""),
    ]:
        link = reverse(f"reading:{name}", args=[activity.pk]) + query
        assert f'href="{link}"' in html, link
        assert secretary_client.get(link).status_code == 200
    drill = secretary_client.get(
        reverse("reading:participant_list", args=[activity.pk]) + "?show=not_recommended"
    )
    assert c.full_name in drill.content.decode() and a.full_name not in drill.content.decode()


@pytest.mark.parametrize(
    "phase, expected",
    [
        ("recommend", "推荐一本好书"),
        ("read", "登记阅读进度"),
        ("discuss", "发表读后感"),
        ("finished", "精华推荐"),
    ],
)
def test_the_home_page_follows_the_current_phase(member_client, branch, secretary, phase, expected):
    activity = make_activity(branch, phase)
    if phase != "recommend":
        select_books(activity, secretary)
    html = member_client.get("/").content.decode()
    assert activity.title in html and expected in html


def test_staff_see_the_forum_but_not_the_member_actions_on_home(staff_client, branch, secretary):
    activity = make_activity(branch, "discuss")
    select_books(activity, secretary)
    html = staff_client.get("/").content.decode()
    assert "读书论坛" in html and "发表读后感" not in html


def test_home_offers_receipt_confirmation(member_client, branch, secretary, member):
    activity = make_activity(branch, "read")
    book = select_books(activity, secretary)[0]
    d = make_distribution(book, member)
    html = member_client.get("/").content.decode()
    assert reverse("reading:distribution_confirm", args=[d.pk]) in html
