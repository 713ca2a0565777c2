"""Issue 9, point 9 (campaign side): the 修改被退回的承诺 task opens the pledge, and the leaders
keep the leadership team's 四好 pledges, as the README says."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign import services
from campaign.models import Pledge
from campaign.tasks import campaign_tasks

from .factories import make_campaign, make_pledge

S = Pledge.Status


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def _returned_task(user, campaign):
    return next(t for t in campaign_tasks(user=user, campaign=campaign) if "被退回" in t.text)


def test_one_returned_pledge_task_opens_its_form(campaign, member):
    pledge = make_pledge(campaign, member, status=S.RETURNED, return_reason="措施不具体")
    make_pledge(campaign, member, status=S.SUBMITTED)
    task = _returned_task(member, campaign)
    assert task.url == reverse("campaign:pledge_edit", args=[pledge.pk])
    assert "1 条" in task.text


def test_several_returned_pledges_task_opens_the_list_of_them(campaign, member, member_client):
    first = make_pledge(campaign, member, status=S.RETURNED, goal="第一条目标")
    make_pledge(campaign, member, status=S.RETURNED, goal="第二条目标")
    other = make_pledge(campaign, member, status=S.SUBMITTED, goal="已提交的目标")
    task = _returned_task(member, campaign)
    assert task.url == reverse("campaign:my_campaign") + "?status=returned#my-pledges"
    html = member_client.get(task.url).content.decode()
    assert "只显示被退回的承诺" in html
    assert f'<a href="{first.get_absolute_url()}">' in html
    # The other rows are there but hidden, so the page's counts stay right.
    row = html[: html.index(other.get_absolute_url())].rsplit("<tr", 1)[1]
    assert "hidden" in row


def test_a_leader_drafts_submits_and_edits_a_team_pledge(campaign, leader, leader_client):
    url = reverse("campaign:pledge_create") + "?scope=team"
    assert leader_client.get(url).status_code == 200
    standard = campaign.standards_for(Pledge.Scope.TEAM).items.first()
    response = leader_client.post(
        url,
        {
            "standard": standard.pk,
            "goal": "班子团结协作",
            "tasks": "每月召开班子会",
            "measures": "会议纪要存档",
            "deadline": "2011-12-31",
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(scope=Pledge.Scope.TEAM)
    assert pledge.owner is None and pledge.may_edit(leader)
    assert leader_client.get(pledge.get_absolute_url()).status_code == 200
    assert leader_client.get(reverse("campaign:pledge_edit", args=[pledge.pk])).status_code == 200
    assert services.pledge_actions(pledge=pledge, by=leader) == {"edit", "submit"}
    home = leader_client.get(reverse("campaign:my_campaign")).content.decode()
    assert "领导班子承诺（四好）" in home and "班子团结协作" in home


def test_the_branch_pledge_stays_the_secretarys(campaign, leader, member, leader_client):
    assert leader_client.get(reverse("campaign:pledge_create") + "?scope=branch").status_code == 403
    branch_pledge = make_pledge(campaign, None, status=S.DRAFT)
    assert not branch_pledge.may_edit(leader)
    team = make_pledge(campaign, None, scope=Pledge.Scope.TEAM)
    assert team.may_edit(leader) and not team.may_edit(member)
    standard = campaign.standards_for(Pledge.Scope.TEAM).items.last()
    data = {"standard": standard, "goal": "g", "tasks": "t", "measures": "m"}
    with pytest.raises(ValidationError, match="班子成员或支部书记"):
        services.pledge_create(
            campaign=campaign,
            scope=Pledge.Scope.TEAM,
            owner=None,
            data={**data, "deadline": campaign.ends_on},
            by=member,
        )


def test_a_member_does_not_see_the_team_section(campaign, member_client):
    html = member_client.get(reverse("campaign:my_campaign")).content.decode()
    assert "新增班子承诺" not in html
