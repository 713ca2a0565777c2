"""Each campaign rule has one home that forms, views and templates ask (issue 10): the date order,
the ballot floor, the transition maps behind the buttons, who edits a pledge."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign import services
from campaign.forms import CampaignForm, PhaseForm, RoundForm
from campaign.models import EvaluationRound, Nomination, Pledge, StandardSet

from .factories import make_campaign, make_pledge, make_round

S = Pledge.Status
DAY = dt.date(2011, 3, 1)


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


# --- End after start ----------------------------------------------------------------------------


def test_a_campaign_ends_after_the_day_it_starts_in_the_form_and_the_service(secretary):
    form = CampaignForm({"name": "x", "starts_on": DAY, "ends_on": DAY})
    assert not form.is_valid()
    assert form.errors["ends_on"] == ["结束日期须晚于开始日期。"]
    with pytest.raises(ValidationError, match="结束日期须晚于开始日期"):
        services.campaign_create(
            branch=secretary.branch, name="x", starts_on=DAY, ends_on=DAY, by=secretary
        )


def test_a_phase_or_round_may_end_on_its_first_day_but_not_before(campaign, branch):
    same_day = {"name": "x", "starts_on": DAY, "ends_on": DAY, "threshold": 80}
    earlier = {**same_day, "ends_on": DAY - dt.timedelta(days=1)}
    phase = campaign.phases.first()
    assert "ends_on" not in PhaseForm(same_day, instance=phase).errors
    assert PhaseForm(earlier, instance=phase).errors["ends_on"] == ["结束日期不能早于开始日期。"]
    scope = {"evaluator_scope": EvaluationRound.EvaluatorScope.EVERYONE}
    assert "ends_on" not in RoundForm({**same_day, **scope}, branch=branch).errors
    errors = RoundForm({**earlier, **scope}, branch=branch).errors
    assert errors["ends_on"] == ["结束日期不能早于开始日期。"]
    services.check_dates(starts_on=DAY, ends_on=DAY)
    with pytest.raises(ValidationError):
        services.check_dates(starts_on=DAY, ends_on=DAY, same_day=False)


# --- The ballot floor ---------------------------------------------------------------------------


def test_pages_state_the_ballot_floor_from_the_model(secretary_client, campaign, monkeypatch):
    monkeypatch.setattr(EvaluationRound, "MIN_BALLOTS", 7)
    html = secretary_client.get(reverse("campaign:round_list")).content.decode()
    assert "满 7 票才公布" in html and "满 5 票" not in html


# --- Buttons from the transition maps -----------------------------------------------------------


def test_pledge_actions_follow_the_map_and_the_person(campaign, member, secretary):
    draft = make_pledge(campaign, member, status=S.DRAFT)
    assert services.pledge_actions(pledge=draft, by=member) == {"edit", "submit"}
    assert services.pledge_actions(pledge=draft, by=secretary) == frozenset()
    submitted = make_pledge(campaign, member, status=S.SUBMITTED)
    assert services.pledge_actions(pledge=submitted, by=secretary) == {"approve", "return"}
    assert services.pledge_actions(pledge=submitted, by=member) == frozenset()
    published = make_pledge(campaign, member, status=S.PUBLISHED)
    assert services.pledge_actions(pledge=published, by=member) == {"record"}
    assert services.pledge_actions(pledge=published, by=secretary) == {"judge"}
    own = make_pledge(campaign, secretary, status=S.SUBMITTED)
    assert services.pledge_actions(pledge=own, by=secretary) == {"approve_by_other", "return"}


def test_the_secretary_keeps_the_branch_pledge(campaign, secretary, leader):
    pledge = make_pledge(campaign, None, status=S.RETURNED)
    assert pledge.may_edit(secretary) and not pledge.may_edit(leader)
    assert services.pledge_actions(pledge=pledge, by=secretary) == {"edit", "submit"}


def test_pledge_page_shows_the_allowed_buttons(secretary_client, campaign, member):
    pledge = make_pledge(campaign, member, status=S.APPROVED)
    html = secretary_client.get(pledge.get_absolute_url()).content.decode()
    assert "亮诺上墙" in html and "退回修改" in html
    assert "审核通过" not in html and "评定兑现情况" not in html


def test_nomination_actions_follow_the_map(campaign, secretary, member):
    nomination = services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=member,
        reason="配送零差错",
        pledges=[],
        reviews=[],
        results=[],
        by=secretary,
    )
    assert services.nomination_actions(nomination=nomination, by=secretary) == {
        "recommend",
        "withdraw",
    }
    assert services.nomination_actions(nomination=nomination, by=member) == {
        "recommend_by_other",
        "withdraw",
    }
    services.nomination_recommend(nomination=nomination, on=DAY, by=secretary)
    services.nomination_report(nomination=nomination, on=DAY, by=secretary)
    assert services.nomination_actions(nomination=nomination, by=secretary) == {
        "award",
        "decline",
    }


def test_campaign_and_round_actions(secretary, campaign):
    planned = make_campaign(secretary, start=False, name="下一期")
    assert services.campaign_actions(campaign=planned) == {"start", "edit"}
    assert services.campaign_actions(campaign=campaign) == {"finish", "edit", "set_phase"}
    round_ = make_round(campaign, secretary, open_=False)
    assert services.round_actions(round_=round_) == {"edit", "open"}
    services.round_open(round_=round_, by=secretary)
    assert services.round_actions(round_=round_) == {"close"}


# --- Rules that lived in views ------------------------------------------------------------------


def test_an_open_round_refuses_its_settings_page_with_the_service_reason(
    secretary_client, campaign, secretary
):
    round_ = make_round(campaign, secretary)
    response = secretary_client.get(reverse("campaign:round_edit", args=[round_.pk]), follow=True)
    assert "评议已经开始，不能再修改设置。" in response.content.decode()


def test_a_submitted_pledge_refuses_its_edit_page_with_the_service_reason(
    member_client, campaign, member
):
    pledge = make_pledge(campaign, member, status=S.SUBMITTED)
    response = member_client.get(reverse("campaign:pledge_edit", args=[pledge.pk]), follow=True)
    assert "只有草稿或已退回的承诺可以修改" in response.content.decode()


def test_a_new_standard_item_goes_last(secretary_client, branch):
    services.standards_install_defaults(branch=branch)
    standard_set = StandardSet.objects.get(branch=branch, code="siyou")
    url = reverse("campaign:standard_create", kwargs={"standard_set_pk": standard_set.pk})
    form = secretary_client.get(url).context["form"]
    assert form.initial["order"] == standard_set.items.count() + 1


def test_review_form_with_an_unknown_subject_is_shown_again(leader_client, campaign):
    data = {"subject": "abc", "rating": "good", "comment": "x", "reviewed_on": "2011-03-01"}
    response = leader_client.post(reverse("campaign:review_create"), data)
    assert response.status_code == 200 and response.context["form"].errors["subject"]
