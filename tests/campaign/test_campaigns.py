"""Campaigns and phases: defaults, the transition map, the home panel for everyone."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaign import services
from campaign.models import Campaign, Phase
from members.models import AuditEntry

from .factories import END, START, make_campaign


def test_create_gives_default_standards_and_four_dated_phases(secretary):
    campaign = make_campaign(secretary, start=False)
    assert campaign.status == Campaign.Status.PLANNING
    assert campaign.branch_standards.name == "四强党组织"
    assert campaign.member_standards.name == "四优共产党员"
    assert campaign.team_standards.name == "四好领导班子"
    phases = list(campaign.phases.all())
    assert [p.name for p in phases] == ["动员部署", "全面争创", "整改提升", "总结表彰"]
    assert phases[0].starts_on == START and phases[-1].ends_on == END
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.starts_on == before.ends_on + dt.timedelta(days=1)
    assert AuditEntry.objects.filter(action="新建创先争优活动", actor=secretary).exists()


def test_start_sets_first_phase_and_only_one_campaign_runs(secretary):
    campaign = make_campaign(secretary)
    assert campaign.status == Campaign.Status.ACTIVE
    assert campaign.current_phase.name == "动员部署"
    second = make_campaign(secretary, start=False, name="第二个")
    with pytest.raises(ValidationError, match="已有一项进行中的活动"):
        services.campaign_start(campaign=second, by=secretary)


def test_transition_map_refuses_in_chinese(secretary):
    campaign = make_campaign(secretary)
    services.campaign_finish(campaign=campaign, by=secretary)
    with pytest.raises(ValidationError, match="已结束.*不能改为"):
        services.campaign_start(campaign=campaign, by=secretary)
    with pytest.raises(ValidationError, match="只有进行中的活动"):
        services.phase_set_current(phase=campaign.phases.last(), by=secretary)


def test_phase_set_current_moves_the_home_page(secretary, member_client, secretary_client):
    campaign = make_campaign(secretary)
    compete = campaign.phases.get(kind=Phase.Kind.COMPETE)
    response = secretary_client.post(reverse("campaign:phase_set_current", args=[compete.pk]))
    assert response.status_code == 302
    home = member_client.get(reverse("home")).content.decode()
    assert "全面争创" in home and compete.guidance[:10] in home
    assert "作出公开承诺" in home  # what is expected of the member now


def test_home_without_campaign_says_so(staff_client, secretary_client):
    assert "没有进行中的创先争优活动" in staff_client.get(reverse("home")).content.decode()
    assert "建立或启动活动" in secretary_client.get(reverse("home")).content.decode()


def test_create_view_invalid_dates_saves_nothing(secretary_client):
    data = {"name": "活动", "description": "", "starts_on": "2012-06-30", "ends_on": "2010-06-01"}
    response = secretary_client.post(reverse("campaign:campaign_create"), data)
    assert response.status_code == 200
    assert "结束日期须晚于开始日期" in response.content.decode()
    assert response.context["form"]["name"].value() == "活动"
    assert not Campaign.objects.exists()


def test_create_view_happy_path(secretary_client, secretary):
    data = {
        "name": "创先争优",
        "description": "",
        "starts_on": "2010-06-01",
        "ends_on": "2012-06-30",
    }
    response = secretary_client.post(reverse("campaign:campaign_create"), data)
    campaign = Campaign.objects.get()
    assert response.url == campaign.get_absolute_url()
    assert campaign.phases.count() == 4 and campaign.branch == secretary.branch


def test_phase_outside_campaign_dates_is_refused(secretary_client, secretary):
    campaign = make_campaign(secretary)
    phase = campaign.phases.first()
    data = {"name": "动员", "starts_on": "2009-01-01", "ends_on": "2010-07-01", "guidance": ""}
    response = secretary_client.post(reverse("campaign:phase_edit", args=[phase.pk]), data)
    assert "阶段日期须在活动起止日期之内" in response.content.decode()
    phase.refresh_from_db()
    assert phase.name == "动员部署"


def test_other_branch_campaign_is_404(secretary_client):
    from members.models import Role
    from tests.factories import make_branch, make_person

    other_secretary = make_person(make_branch(), (Role.SECRETARY,))
    campaign = make_campaign(other_secretary)
    assert secretary_client.get(campaign.get_absolute_url()).status_code == 404
