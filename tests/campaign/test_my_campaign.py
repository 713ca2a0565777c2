"""My campaign page: pledges, comments, result, honours and what is left to do now."""

from django.urls import reverse

from campaign import services
from campaign.models import Phase, Pledge

from .factories import make_campaign, make_pledge, member_items


def test_member_page_lists_pledges_and_tasks(member_client, secretary, member):
    campaign = make_campaign(secretary)
    services.phase_set_current(phase=campaign.phases.get(kind=Phase.Kind.COMPETE), by=secretary)
    make_pledge(campaign, member, status=Pledge.Status.PUBLISHED, goal="我的目标一")
    response = member_client.get(reverse("campaign:my_campaign"))
    html = response.content.decode()
    assert "我的目标一" in html
    assert f"已提交 1 / {len(member_items(campaign))} 项" in html
    assert "记录践诺情况" in html


def test_staff_page_has_no_pledges_but_the_vote(staff_client, secretary, staff):
    from .factories import make_round

    campaign = make_campaign(secretary)
    round_ = make_round(campaign, secretary)
    html = staff_client.get(reverse("campaign:my_campaign")).content.decode()
    assert "我的公开承诺" not in html
    assert round_.name in html and reverse("campaign:round_vote", args=[round_.pk]) in html


def test_no_campaign_is_an_empty_state(member_client):
    response = member_client.get(reverse("campaign:my_campaign"))
    assert response.status_code == 200 and "没有进行中的创先争优活动" in response.content.decode()


def test_anonymous_goes_to_login(client, member):
    response = client.get(reverse("campaign:my_campaign"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
