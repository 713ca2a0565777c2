"""领导点评: who may comment, scores, the 点评登记表, coverage, comments a member sees."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign import services
from campaign.models import LeaderReview
from members.models import AuditEntry

from .factories import make_campaign, make_review


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.mark.parametrize(
    ("rating", "score"), [("good", 10), ("fairly_good", 7), ("average", 5), ("poor", 2)]
)
def test_ratings_score_10_7_5_2(campaign, leader, member, rating, score):
    review = make_review(campaign, leader, member, rating=rating)
    assert review.score == score


def test_leader_comments_through_the_view(leader_client, campaign, leader, member):
    data = {
        "subject": str(member.pk),
        "rating": "good",
        "comment": "很好",
        "reviewed_on": "2011-03-01",
    }
    response = leader_client.post(reverse("campaign:review_create"), data)
    assert response.status_code == 302
    review = LeaderReview.objects.get()
    assert (review.reviewer, review.subject, review.score) == (leader, member, 10)
    assert AuditEntry.objects.filter(actor=leader, action="领导点评").exists()


def test_comment_on_the_branch(secretary_client, campaign):
    data = {
        "subject": "branch",
        "rating": "fairly_good",
        "comment": "支部工作扎实",
        "reviewed_on": "2011-03-01",
    }
    secretary_client.post(reverse("campaign:review_create"), data)
    assert LeaderReview.objects.get().subject is None


def test_invalid_comment_saves_nothing_and_keeps_input(leader_client, campaign, member):
    data = {
        "subject": str(member.pk),
        "rating": "",
        "comment": "写了一半",
        "reviewed_on": "2011-03-01",
    }
    response = leader_client.post(reverse("campaign:review_create"), data)
    assert response.status_code == 200
    assert response.context["form"]["comment"].value() == "写了一半"
    assert not LeaderReview.objects.exists()


def test_only_leaders_and_secretary_comment(member_client, staff_client, campaign, member, leader):
    data = {
        "subject": str(leader.pk),
        "rating": "good",
        "comment": "x",
        "reviewed_on": "2011-03-01",
    }
    assert member_client.post(reverse("campaign:review_create"), data).status_code == 403
    assert staff_client.post(reverse("campaign:review_create"), data).status_code == 403
    with pytest.raises(ValidationError, match="只有领导班子成员和支部书记"):
        services.review_create(
            campaign=campaign,
            by=member,
            subject=leader,
            rating="good",
            comment="x",
            reviewed_on=dt.date(2011, 3, 1),
        )
    assert not LeaderReview.objects.exists()


def test_nobody_comments_on_himself(campaign, leader):
    with pytest.raises(ValidationError):
        services.review_create(
            campaign=campaign,
            by=leader,
            subject=leader,
            rating="good",
            comment="x",
            reviewed_on=dt.date(2011, 3, 1),
        )


def test_register_lists_every_comment_with_score(
    secretary_client, campaign, leader, member, secretary
):
    make_review(campaign, leader, member, comment="配送零差错", rating="fairly_good")
    make_review(campaign, secretary, None, comment="支部好")
    html = secretary_client.get(reverse("campaign:review_list")).content.decode()
    assert "配送零差错" in html and "支部好" in html and ">7<" in html


def test_register_filters_by_rating(leader_client, campaign, leader, member, secretary):
    make_review(campaign, leader, member, comment="一般般", rating="average")
    make_review(campaign, leader, secretary, comment="很好很好", rating="good")
    html = leader_client.get(reverse("campaign:review_list") + "?rating=average").content.decode()
    assert "一般般" in html and "很好很好" not in html


def test_coverage_shows_members_not_yet_commented(
    leader_client, campaign, leader, member, secretary
):
    make_review(campaign, leader, member)
    response = leader_client.get(reverse("campaign:review_coverage"))
    assert {p.pk for p in response.context["missing"]} == {leader.pk, secretary.pk}


def test_member_sees_comments_on_himself_only(member_client, campaign, leader, member, secretary):
    make_review(campaign, leader, member, comment="关于我的点评")
    make_review(campaign, leader, secretary, comment="关于书记的点评")
    html = member_client.get(reverse("campaign:my_campaign")).content.decode()
    assert "关于我的点评" in html and "关于书记的点评" not in html


def test_double_submitted_comment_is_saved_once(leader_client, campaign, member):
    from tests.hardening.test_idempotency import token_on

    url = reverse("campaign:review_create")
    token = token_on(leader_client.get(url))
    data = {
        "subject": str(member.pk),
        "rating": "good",
        "comment": "重复提交",
        "reviewed_on": "2011-03-01",
        "_once": token,
    }
    first = leader_client.post(url, data)
    second = leader_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert LeaderReview.objects.count() == 1
