"""Nobody judges his own case: the secretary's own pledge is approved and judged, and he is
nominated (评选表彰), by another 支委; the pages offer him no button for it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from campaign import services
from campaign.models import Nomination, Pledge
from members.models import Role
from tests.factories import make_person

from .factories import make_campaign, make_pledge

S = Pledge.Status


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def deputy(branch):
    """A second 支委, who may do for the secretary what he may not do for himself."""
    return make_person(branch, (Role.SECRETARY, Role.MEMBER), username="deputy", full_name="赵支委")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Services ---------------------------------------------------------------------------------


def test_secretary_cannot_approve_his_own_pledge(campaign, secretary, deputy):
    pledge = make_pledge(campaign, secretary, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="不能审核自己的承诺"):
        services.pledge_approve(pledge=pledge, by=secretary)
    pledge.refresh_from_db()
    assert pledge.status == S.SUBMITTED and pledge.approved_by is None

    services.pledge_approve(pledge=pledge, by=deputy)
    pledge.refresh_from_db()
    assert pledge.status == S.APPROVED and pledge.approved_by == deputy


@pytest.mark.parametrize("verdict", list(Pledge.Verdict.values))
def test_secretary_cannot_judge_his_own_pledge(campaign, secretary, deputy, verdict):
    pledge = make_pledge(campaign, secretary, status=S.PUBLISHED)
    with pytest.raises(ValidationError, match="不能评定自己承诺的兑现情况"):
        services.pledge_judge(pledge=pledge, verdict=verdict, note="", by=secretary)
    pledge.refresh_from_db()
    assert pledge.status == S.PUBLISHED and pledge.verdict == ""

    services.pledge_judge(pledge=pledge, verdict=verdict, note="", by=deputy)
    pledge.refresh_from_db()
    assert pledge.status == S.JUDGED and pledge.verdict == verdict


def test_the_branch_pledges_are_still_the_secretarys_to_approve_and_judge(campaign, secretary):
    pledge = make_pledge(campaign, None, status=S.SUBMITTED)
    services.pledge_approve(pledge=pledge, by=secretary)
    services.pledge_publish(pledge=pledge, by=secretary)
    services.pledge_judge(pledge=pledge, verdict=Pledge.Verdict.FULFILLED, note="", by=secretary)
    assert pledge.status == S.JUDGED


def _nominate(campaign, nominee, by):
    return services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=nominee,
        reason="带头践诺",
        pledges=[],
        reviews=[],
        results=[],
        by=by,
    )


def test_secretary_cannot_nominate_himself(campaign, secretary, deputy):
    with pytest.raises(ValidationError) as caught:
        _nominate(campaign, secretary, secretary)
    assert "不能提名自己" in " ".join(caught.value.message_dict["nominee"])
    assert not Nomination.objects.exists()

    nomination = _nominate(campaign, secretary, deputy)
    assert nomination.nominee == secretary and nomination.nominated_by == deputy


def test_nominee_cannot_record_the_committees_recommendation_of_himself(
    campaign, secretary, deputy
):
    nomination = _nominate(campaign, secretary, deputy)
    with pytest.raises(ValidationError, match="不能为自己登记支委会推荐"):
        services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=deputy)
    assert nomination.status == Nomination.Status.RECOMMENDED


# --- Pages ------------------------------------------------------------------------------------


def test_pledge_pages_offer_no_approval_of_ones_own(campaign, secretary, deputy, member):
    own = make_pledge(campaign, secretary, status=S.SUBMITTED)
    other = make_pledge(campaign, member, status=S.SUBMITTED)
    client = _client(secretary)
    approve_own = reverse("campaign:pledge_approve", args=[own.pk])
    approve_other = reverse("campaign:pledge_approve", args=[other.pk])

    page = client.get(own.get_absolute_url()).content.decode()
    assert approve_own not in page and "须由其他支委审核" in page
    queue = client.get(reverse("campaign:pledge_queue")).content.decode()
    assert approve_own not in queue and approve_other in queue
    assert approve_own in _client(deputy).get(own.get_absolute_url()).content.decode()

    response = client.post(approve_own, follow=True)
    assert "不能审核自己的承诺" in _messages(response)
    own.refresh_from_db()
    assert own.status == S.SUBMITTED


def test_judge_page_refuses_ones_own_pledge(campaign, secretary, deputy):
    own = make_pledge(campaign, secretary, status=S.PUBLISHED)
    client = _client(secretary)
    judge_url = reverse("campaign:pledge_judge", args=[own.pk])

    assert judge_url not in client.get(own.get_absolute_url()).content.decode()
    assert judge_url not in client.get(reverse("campaign:pledge_queue")).content.decode()
    page = client.get(judge_url).content.decode()
    assert "不能评定自己承诺的兑现情况" in page and 'name="verdict"' not in page

    response = client.post(judge_url, {"verdict": Pledge.Verdict.FULFILLED, "note": ""})
    assert response.status_code == 200
    assert "不能评定自己承诺的兑现情况" in response.content.decode()
    own.refresh_from_db()
    assert own.status == S.PUBLISHED and own.verdict == ""

    assert 'name="verdict"' in _client(deputy).get(judge_url).content.decode()


def test_nomination_pages_leave_the_secretary_out_of_his_own_choices(
    campaign, secretary, deputy, member
):
    client = _client(secretary)
    url = reverse("campaign:nomination_create")
    picker = client.get(url).context["picker"]
    choices = dict(picker.fields["nominee"].choices)
    assert str(secretary.pk) not in choices and str(member.pk) in choices
    response = client.get(f"{url}?nominee={secretary.pk}")
    assert response.context.get("form") is None  # no second step for himself

    deputys = dict(_client(deputy).get(url).context["picker"].fields["nominee"].choices)
    assert str(secretary.pk) in deputys


def test_nomination_page_hides_the_recommendation_of_oneself(campaign, secretary, deputy):
    nomination = _nominate(campaign, secretary, deputy)
    recommend = reverse("campaign:nomination_recommend", args=[nomination.pk])
    client = _client(secretary)
    page = client.get(nomination.get_absolute_url()).content.decode()
    assert recommend not in page and "须由其他支委登记" in page
    assert recommend in _client(deputy).get(nomination.get_absolute_url()).content.decode()

    response = client.post(recommend, {"on": "2011-01-05"}, follow=True)
    assert "不能为自己登记支委会推荐" in _messages(response)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED
