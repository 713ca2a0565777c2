"""List pages run a constant number of queries: the same for 3 members as for 30."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import services
from campaign.models import Pledge
from members.models import Role
from tests.factories import make_person

from .factories import all_levels, make_campaign, make_pledge, make_review, make_round

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")


def _world(branch, secretary, leader, n_members):
    campaign = make_campaign(secretary)
    members = [make_person(branch, (Role.MEMBER,)) for _ in range(n_members)]
    voters = [make_person(branch, (Role.STAFF,)) for _ in range(5)]
    for person in members:
        for item in list(campaign.member_standards.items.all())[:2]:
            pledge = make_pledge(campaign, person, status=Pledge.Status.PUBLISHED, standard=item)
            pledge.progress.create(happened_on=pledge.deadline, content="做了")
        make_review(campaign, leader, person)
    round_ = make_round(campaign, secretary, chosen=voters)
    for subject in round_.subjects.all():
        for voter in voters:
            services.ballot_cast(subject=subject, by=voter, levels=all_levels(subject))
    services.round_close(round_=round_, by=secretary)
    return round_


PAGES = [
    ("campaign:pledge_wall", None),
    ("campaign:review_list", None),
    ("campaign:review_coverage", None),
    ("campaign:pledge_queue", None),
    ("campaign:round_results", "round"),
    ("home", None),
]


def _count(client, name, round_):
    url = reverse(name, args=[round_.pk] if name.endswith("results") else [])
    client.get(url)  # warm up: per-process caches (content types, permissions) are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "_arg"), PAGES)
def test_same_queries_for_3_and_30_members(branch, secretary, leader, name, _arg):
    client = Client()
    client.force_login(secretary)
    round_small = _world(branch, secretary, leader, 3)
    small = _count(client, name, round_small)
    # Reset and build the large world in the same branch under a fresh campaign.
    from campaign.models import Campaign

    services.campaign_finish(campaign=Campaign.objects.get(status="active"), by=secretary)
    round_large = _world(branch, secretary, leader, 30)
    large = _count(client, name, round_large)
    assert small == large, f"{name}: {small} queries for 3 members, {large} for 30"
