"""seed_scale's 战斗堡垒 (issue 12): its sizes in proportion, and every row as the services would
leave it (plaque history, holders, stars, deeds, 增收节支, rectification states, measures, votes,
audit entries). A company of 60 in a file of its own, seeded once for the module."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign import scale_fortress
from campaign import selectors_fortress as selectors
from campaign.models import (
    Campaign,
    Decision,
    Deed,
    IntegrityRecord,
    Measure,
    PlaqueEvent,
    PostHolder,
    PostReview,
    Problem,
    Rectification,
    SavingRecord,
    VanguardPost,
)
from campaign.models.vanguard import quarter_bounds
from members.hooks import Scale, tasks_for
from members.models import AuditEntry, User
from members.scale import sqlite_database

PEOPLE = 60
SIZES = scale_fortress.sizes(Scale.sized(people=PEOPLE, password_hash="", rng=None))


@pytest.fixture(scope="module")
def scale_file(tmp_path_factory, django_db_setup, django_db_blocker):
    path = tmp_path_factory.mktemp("fortress") / "scale.sqlite3"
    with django_db_blocker.unblock():
        call_command(
            "seed_scale",
            database_path=path,
            people=PEOPLE,
            password="Scale-pass-2011",
            verbosity=0,
        )
    return path


@pytest.fixture
def db_alias(scale_file, django_db_blocker):
    with django_db_blocker.unblock(), sqlite_database(scale_file) as alias:
        yield alias


def test_the_sizes_are_in_proportion(db_alias):
    assert SIZES["posts"] == 6 and SIZES["deeds"] == 36
    assert VanguardPost.objects.count() == SIZES["posts"]
    assert Deed.objects.count() == SIZES["deeds"]
    assert SavingRecord.objects.count() == SIZES["savings"]
    assert Problem.objects.count() == SIZES["problems"]
    assert Rectification.objects.count() == SIZES["items"]
    assert Measure.objects.count() == SIZES["measures"]
    assert Decision.objects.count() == SIZES["decisions"]
    assert IntegrityRecord.objects.count() == SIZES["integrity"]
    full = scale_fortress.sizes(Scale(password_hash="", rng=None))
    assert full == scale_fortress.FULL_SIZES


def test_plaques_and_holders_are_their_history(db_alias):
    for post in VanguardPost.objects.all():
        events = list(PlaqueEvent.objects.filter(post=post).order_by("happened_on", "pk"))
        if not events:
            assert (post.plaque, post.plaque_on) == ("none", None)
            continue
        last = events[-1]
        assert post.plaque == {"hang": "hung", "remove": "removed"}[last.action]
        assert post.plaque_on == last.happened_on
        assert post.removal_reason == last.reason
        assert [e.action for e in events][::2] == ["hang"] * len(events[::2])
    assert VanguardPost.objects.filter(plaque="removed").exclude(removal_reason="").exists()
    member = User.objects.get(username="member")
    assert selectors.posts_held_by(user=member).exists()
    ended = PostHolder.objects.exclude(ends_on=None)
    assert not ended.filter(ends_on__lt=F("starts_on")).exists()


def test_stars_are_given_per_quarter_while_a_post_is_hung(db_alias):
    today = timezone.localdate()
    reviews = PostReview.objects.select_related("campaign", "post")
    assert reviews.exists()
    for review in reviews:
        first, last = quarter_bounds(review.year, review.quarter)
        assert review.campaign.starts_on <= last and first <= review.campaign.ends_on
        assert last < today and review.reviewed_on <= today
        hangs = PlaqueEvent.objects.filter(post=review.post, action="hang", happened_on__lte=last)
        assert hangs.exists()
        assert review.scores.count() == 4
    campaign = Campaign.objects.get(status="active")
    quarter, _posts = selectors.posts_to_review(campaign=campaign)
    assert quarter is not None


def test_deeds_are_by_holders_within_their_campaign(db_alias):
    today = timezone.localdate()
    deeds = Deed.objects.select_related("campaign").annotate(n_tags=Count("tags"))
    for deed in deeds:
        assert deed.campaign.starts_on <= deed.happened_on <= min(deed.campaign.ends_on, today)
        held = PostHolder.objects.filter(
            Q(ends_on=None) | Q(ends_on__gte=deed.happened_on),
            post=deed.post_id,
            member=deed.member_id,
            starts_on__lte=deed.happened_on,
        )
        assert held.exists(), deed.pk
        assert deed.n_tags >= 1
        assert (deed.confirmed_by_id is not None) == (deed.status == "confirmed")
    assert Deed.objects.filter(publicized=True).exists()
    assert Deed.objects.filter(tags__tag="praise").exists()


def test_savings_add_up_to_the_cent(db_alias):
    for entry in SavingRecord.objects.select_related("post"):
        assert entry.amount > 0 and entry.amount.as_tuple().exponent == -2
        if entry.post:
            assert entry.department_id == entry.post.department_id
    for campaign in Campaign.objects.all():
        valid = SavingRecord.objects.valid().filter(campaign=campaign)
        summed = sum((r.amount for r in valid), Decimal("0.00"))
        assert selectors.saving_summary(campaign=campaign)["totals"]["total"] == summed


def test_rectification_items_are_in_every_state_with_their_measures(db_alias):
    today = timezone.localdate()
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert {"in_progress", "accepted"} <= statuses
    for item in Rectification.objects.all():
        percents = list(item.measures.values_list("percent", flat=True))
        if item.status in Rectification.FIXED_STATUSES:
            assert percents and min(percents) == 100
            assert item.opened_on <= item.fixed_on <= today
        if item.status == "pending":
            assert set(percents) <= {0}
        if item.status == "accepted":
            assert item.accepted_by_id != item.responsible_id
            assert item.fixed_on <= item.accepted_on <= today
        assert item.problems.exists()
    for measure in Measure.objects.select_related("rectification"):
        assert (measure.completed_on is not None) == (measure.percent == 100)
        assert measure.deadline >= measure.rectification.opened_on
        if measure.completed_on:
            assert measure.completed_on <= today
    stats = selectors.rectification_stats(branch=Rectification.objects.first().branch)
    assert stats["total"] == SIZES["items"]


def test_votes_fit_the_room(db_alias):
    for decision in Decision.objects.annotate(n=Count("attendees")):
        if decision.method == "consensus":
            assert decision.votes_for is None
        else:
            assert decision.votes_for + decision.votes_against + decision.abstentions <= decision.n
    assert not IntegrityRecord.objects.annotate(n=Count("participants")).filter(n=0).exists()


def test_the_audit_trail_and_the_to_do(db_alias):
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "设立党员先锋岗",
        "先锋岗挂牌",
        "安排先锋岗党员",
        "先锋岗季度评星",
        "确认先锋事迹",
        "登记增收节支",
        "确定整改事项",
        "更新整改进度",
        "验收整改事项",
        "记录班子决策",
        "记录廉洁自律",
    } <= actions
    assert not AuditEntry.objects.filter(created_at__gt=timezone.now()).exists()
    sec = User.objects.get(username="sec")
    sections = [t.section for t in tasks_for(sec)]
    assert "战斗堡垒" in sections
    client = Client()
    client.force_login(sec)
    for url in [
        reverse("home"),
        reverse("campaign:decision_list"),
        reverse("campaign:integrity_list"),
        reverse("campaign:decision_detail", args=[Decision.objects.first().pk]),
        reverse("campaign:decision_create"),
    ]:
        assert client.get(url).status_code == 200, url
