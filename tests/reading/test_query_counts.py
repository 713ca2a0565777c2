"""The forum list, a post with comments, the tally and the hand-out ledger run the same number of
queries for 3 rows and for 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reading.models import Endorsement, Like

from .factories import (
    make_activity,
    make_comment,
    make_distribution,
    make_members,
    make_recommendation,
    make_reflection,
    select_books,
)

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def grow(client, url, add_rows):
    """Queries for 3 rows, then for 40 rows."""
    add_rows(3)
    client.get(url)  # warm-up (first-run check, session)
    small = count_queries(client, url)
    add_rows(37)
    return small, count_queries(client, url)


@pytest.fixture
def discussing(branch, secretary):
    activity = make_activity(branch, "discuss")
    select_books(activity, secretary)
    return activity


def test_forum_list(member_client, discussing, branch, staff):
    people = make_members(branch, 3)

    def add(n):
        for i in range(n):
            post = make_reflection(discussing, people[i % 3])
            make_comment(post, staff)
            Like.objects.create(reflection=post, person=staff)

    small, large = grow(
        member_client, reverse("reading:reflection_list", args=[discussing.pk]), add
    )
    assert small == large


def test_a_post_with_comments(member_client, discussing, member, branch):
    post = make_reflection(discussing, member)
    people = make_members(branch, 40)
    done = []

    def add(n):
        for person in people[len(done) : len(done) + n]:
            make_comment(post, person)
            Like.objects.create(reflection=post, person=person)
            done.append(person)

    small, large = grow(member_client, post.get_absolute_url(), add)
    assert small == large


def test_the_tally(member_client, branch):
    activity = make_activity(branch, "recommend")
    people = make_members(branch, 41)
    done = []

    def add(n):
        for person in people[len(done) : len(done) + n]:
            rec = make_recommendation(activity, person, title=f"书{len(done) % 7}")
            Endorsement.objects.create(recommendation=rec, member=people[-1])
            done.append(person)

    small, large = grow(
        member_client, reverse("reading:recommendation_list", args=[activity.pk]), add
    )
    assert small == large


def test_the_hand_out_ledger(secretary_client, branch, secretary, settings):
    settings.PAGE_SIZE = 50
    activity = make_activity(branch, "read")
    books = select_books(activity, secretary)

    def add(n):
        for person in make_members(branch, n):
            for book in books:
                make_distribution(book, person, issued_by=secretary)

    small, large = grow(
        secretary_client, reverse("reading:distribution_list", args=[activity.pk]), add
    )
    assert small == large


def test_the_progress_board_and_summary(secretary_client, branch, secretary):
    activity = make_activity(branch, "read")
    select_books(activity, secretary)
    for name in ("progress_list", "activity_stats", "participant_list"):
        url = reverse(f"reading:{name}", args=[activity.pk])
        make_members(branch, 3)
        secretary_client.get(url)
        small = count_queries(secretary_client, url)
        make_members(branch, 37)
        assert count_queries(secretary_client, url) == small, name
