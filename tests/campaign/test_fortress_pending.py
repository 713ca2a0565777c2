"""Each role's pending 战斗堡垒 work, for the shared to-do: the quarter's stars still to give, deeds
to confirm, measures due; and the lists stay empty for whoever may not read them."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign import selectors_fortress as selectors
from campaign import services
from members.models import Role
from tests.factories import make_branch, make_person

from .factories import (
    make_campaign,
    make_deed,
    make_holder,
    make_measure,
    make_post,
    make_rectification,
)


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def test_the_last_finished_quarter_of_the_campaign_is_to_review(branch, campaign, secretary):
    hung = make_post(branch, secretary, name="药品配送岗")
    reviewed = make_post(branch, secretary, name="仓储岗")
    make_post(branch, secretary, name="未挂牌岗", hung=False)
    services.post_review_save(
        post=reviewed, campaign=campaign, year=2011, quarter=2, stars=4, note="", by=secretary
    )
    quarter, posts = selectors.posts_to_review(campaign=campaign, today=dt.date(2011, 7, 5))
    assert quarter == (2011, 2) and list(posts) == [hung]
    quarter, posts = selectors.posts_to_review(campaign=campaign, today=dt.date(2011, 1, 5))
    assert quarter == (2010, 4) and set(posts) == {hung, reviewed}
    # Long after the campaign: no quarter of it is left to review.
    quarter, posts = selectors.posts_to_review(campaign=campaign, today=dt.date(2014, 1, 5))
    assert quarter is None and not posts.exists()


def test_deeds_to_confirm_and_posts_held(branch, campaign, secretary, member):
    post = make_post(branch, secretary)
    make_holder(post, member, secretary)
    waiting = make_deed(campaign, member, member, post=post)
    make_deed(campaign, member, secretary, post=post)  # confirmed at once
    assert list(selectors.deeds_to_confirm(campaign=campaign)) == [waiting]
    assert list(selectors.posts_held_by(user=member)) == [post]
    assert not selectors.posts_held_by(user=secretary).exists()


def test_measures_due_for_the_responsible_leader_and_the_owner(
    campaign, secretary, leader, member, staff
):
    item = make_rectification(campaign, secretary, leader)
    soon = make_measure(item, leader, member, deadline=item.opened_on + dt.timedelta(days=3))
    make_measure(item, leader, member, deadline=item.opened_on + dt.timedelta(days=20))
    done = make_measure(item, leader, member, deadline=item.opened_on + dt.timedelta(days=1))
    services.measure_progress(measure=done, percent=100, by=leader)
    assert list(selectors.measures_due(user=leader)) == [soon]
    assert list(selectors.measures_due(user=member)) == [soon]
    assert not selectors.measures_due(user=staff).exists()
    services.rectification_decline(rectification=item, reason="不具备条件", by=secretary)
    assert not selectors.measures_due(user=leader).exists()


def test_outsiders_read_nothing(branch, campaign, secretary, leader, member):
    post = make_post(branch, secretary)
    make_holder(post, member, secretary)
    make_deed(campaign, member, secretary, post=post)
    make_rectification(campaign, secretary, leader)
    outsider = make_person(make_branch(), (Role.SECRETARY, Role.MEMBER))
    assert not selectors.deed_list(campaign=campaign, viewer=outsider).exists()
    assert list(selectors.rectification_list(branch=branch, viewer=outsider)) == []
    assert selectors.post_detail(post=post, viewer=outsider)["deeds"].count() == 0
