"""评选表彰: nominated → 支委会 recommended → 上报 → awarded, evidence from the nominee only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign import services
from campaign.models import Honour, Nomination, Pledge

from .factories import make_campaign, make_pledge, make_review

K = Nomination.Kind


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def _nominate(campaign, secretary, nominee, **kwargs):
    defaults = {
        "kind": K.EXCELLENT_MEMBER,
        "reason": "配送零差错",
        "pledges": [],
        "reviews": [],
        "results": [],
    }
    return services.nomination_create(
        campaign=campaign, nominee=nominee, by=secretary, **{**defaults, **kwargs}
    )


def test_full_chain_to_an_honour(campaign, secretary, member, leader):
    pledge = make_pledge(campaign, member, status=Pledge.Status.PUBLISHED)
    review = make_review(campaign, leader, member)
    nomination = _nominate(campaign, secretary, member, pledges=[pledge], reviews=[review])
    services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_report(nomination=nomination, on=dt.date(2011, 1, 8), by=secretary)
    honour = services.nomination_award(
        nomination=nomination,
        awarded_on=dt.date(2011, 1, 20),
        awarding_body="上级党委",
        by=secretary,
    )
    assert honour.title == "优秀共产党员" and honour.person == member
    assert nomination.status == Nomination.Status.AWARDED
    assert list(nomination.evidence_pledges.all()) == [pledge]


def test_award_before_report_is_refused(campaign, secretary, member):
    nomination = _nominate(campaign, secretary, member)
    with pytest.raises(ValidationError, match="当前是“已提名”"):
        services.nomination_award(
            nomination=nomination,
            awarded_on=dt.date(2011, 1, 20),
            awarding_body="党委",
            by=secretary,
        )
    assert not Honour.objects.exists()


def test_evidence_must_be_the_nominees(campaign, secretary, member, leader):
    others = make_pledge(campaign, leader, status=Pledge.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        _nominate(campaign, secretary, member, pledges=[others])
    assert not Nomination.objects.exists()


def test_org_kinds_have_no_person(campaign, secretary, member):
    nomination = _nominate(campaign, secretary, member, kind=K.SIQIANG_ORG)
    assert nomination.nominee is None and nomination.nominee_label == campaign.branch.name


def test_create_view_two_steps(secretary_client, campaign, member):
    url = reverse("campaign:nomination_create") + f"?nominee={member.pk}"
    page = secretary_client.get(url)
    assert "form" in page.context
    response = secretary_client.post(url, {"kind": K.SIYOU_MEMBER, "reason": "四优"})
    nomination = Nomination.objects.get()
    assert response.url == nomination.get_absolute_url() and nomination.nominee == member


def test_create_view_without_reason_saves_nothing(secretary_client, campaign, member):
    url = reverse("campaign:nomination_create") + f"?nominee={member.pk}"
    response = secretary_client.post(url, {"kind": K.SIYOU_MEMBER, "reason": ""})
    assert response.status_code == 200 and not Nomination.objects.exists()


def test_honours_list_is_for_everyone_of_the_branch(staff_client, campaign, secretary, member):
    nomination = _nominate(campaign, secretary, member)
    services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_report(nomination=nomination, on=dt.date(2011, 1, 8), by=secretary)
    services.nomination_award(
        nomination=nomination,
        awarded_on=dt.date(2011, 1, 20),
        awarding_body="国药控股党委",
        title="2010年度优秀共产党员",
        by=secretary,
    )
    html = staff_client.get(reverse("campaign:honour_list")).content.decode()
    assert "2010年度优秀共产党员" in html and member.full_name in html and "2011年1月20日" in html


def test_award_view_requires_awarding_body(secretary_client, campaign, secretary, member):
    nomination = _nominate(campaign, secretary, member)
    services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_report(nomination=nomination, on=dt.date(2011, 1, 8), by=secretary)
    url = reverse("campaign:nomination_award", args=[nomination.pk])
    response = secretary_client.post(url, {"awarded_on": "2011-01-20", "awarding_body": ""})
    assert response.status_code == 200 and not Honour.objects.exists()
    secretary_client.post(url, {"awarded_on": "2011-01-20", "awarding_body": "党委"})
    assert Honour.objects.get().awarding_body == "党委"
