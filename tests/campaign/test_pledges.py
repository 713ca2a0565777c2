"""公开承诺: transitions, who may do what, the wall, 践诺 with a photo, who has not pledged."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaign import services
from campaign.models import Pledge, PledgeProgress
from members.models import AuditEntry, Role
from tests.factories import make_person

from .factories import make_campaign, make_pledge, member_items

S = Pledge.Status


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def _form(campaign, **overrides):
    data = {
        "standard": member_items(campaign)[0].pk,
        "goal": "全年配送零差错",
        "tasks": "按规程配送",
        "measures": "每月自查",
        "deadline": "2011-12-31",
    }
    return {**data, **overrides}


def test_full_flow_through_the_services(campaign, member, secretary):
    data = {
        "standard": member_items(campaign)[0],
        "goal": "零差错",
        "tasks": "配送",
        "measures": "自查",
        "deadline": dt.date(2011, 12, 31),
    }
    pledge = services.pledge_create(
        campaign=campaign, scope=Pledge.Scope.MEMBER, owner=member, data=data, by=member
    )
    services.pledge_submit(pledge=pledge, by=member)
    services.pledge_return(pledge=pledge, reason="措施不具体", by=secretary)
    assert pledge.status == S.RETURNED and pledge.return_reason == "措施不具体"
    services.pledge_submit(pledge=pledge, by=member)
    services.pledge_approve(pledge=pledge, by=secretary)
    services.pledge_publish(pledge=pledge, by=secretary)
    services.progress_add(
        pledge=pledge, happened_on=dt.date(2011, 3, 1), content="做到了", photo=None, by=member
    )
    services.pledge_judge(
        pledge=pledge, verdict=Pledge.Verdict.PARTLY, note="还差一点", by=secretary
    )
    pledge.refresh_from_db()
    assert pledge.status == S.JUDGED and pledge.get_verdict_display() == "部分兑现"
    actions = set(AuditEntry.objects.filter(actor=secretary).values_list("action", flat=True))
    assert {"退回公开承诺", "审核通过公开承诺", "亮诺", "评定承诺兑现情况"} <= actions


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (S.DRAFT, "pledge_approve"),
        (S.DRAFT, "pledge_publish"),
        (S.SUBMITTED, "pledge_publish"),
        (S.PUBLISHED, "pledge_approve"),
        (S.JUDGED, "pledge_publish"),
        (S.APPROVED, "pledge_submit"),
    ],
)
def test_bad_transitions_are_refused_in_chinese(campaign, member, secretary, status, step):
    pledge = make_pledge(campaign, member, status=status)
    with pytest.raises(ValidationError, match="这条承诺当前是"):
        getattr(services, step)(pledge=pledge, by=secretary)
    pledge.refresh_from_db()
    assert pledge.status == status


def test_return_needs_a_reason(campaign, member, secretary):
    pledge = make_pledge(campaign, member, status=S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.pledge_return(pledge=pledge, reason="  ", by=secretary)


def test_progress_only_on_a_published_pledge(campaign, member):
    pledge = make_pledge(campaign, member, status=S.APPROVED)
    with pytest.raises(ValidationError, match="亮诺后"):
        services.progress_add(
            pledge=pledge, happened_on=dt.date(2011, 1, 1), content="x", photo=None, by=member
        )


def test_member_drafts_and_submits_through_the_views(member_client, campaign, member):
    response = member_client.post(reverse("campaign:pledge_create"), _form(campaign))
    pledge = Pledge.objects.get()
    assert response.url == pledge.get_absolute_url()
    assert pledge.owner == member and pledge.status == S.DRAFT
    member_client.post(reverse("campaign:pledge_submit", args=[pledge.pk]))
    pledge.refresh_from_db()
    assert pledge.status == S.SUBMITTED and pledge.submitted_on


def test_invalid_pledge_keeps_input_and_saves_nothing(member_client, campaign):
    data = _form(campaign, goal="", deadline="2030-01-01")
    response = member_client.post(reverse("campaign:pledge_create"), data)
    assert response.status_code == 200
    assert response.context["form"]["tasks"].value() == "按规程配送"
    assert not Pledge.objects.exists()


def test_deadline_outside_campaign_is_refused_at_the_field(member_client, campaign):
    response = member_client.post(
        reverse("campaign:pledge_create"), _form(campaign, deadline="2030-01-01")
    )
    assert "完成时限须在活动期间" in str(response.context["form"].errors["deadline"])
    assert not Pledge.objects.exists()


def test_second_pledge_on_the_same_item_is_refused(member_client, campaign, member):
    make_pledge(campaign, member, standard=member_items(campaign)[0])
    response = member_client.post(reverse("campaign:pledge_create"), _form(campaign))
    assert "已经有承诺了" in response.content.decode()
    assert Pledge.objects.count() == 1


def test_a_member_edits_only_own_drafts(client, campaign, member, branch):
    other = make_person(branch, (Role.MEMBER,))
    theirs = make_pledge(campaign, other)
    client.force_login(member)
    # Another member's draft is not even visible.
    assert client.get(reverse("campaign:pledge_edit", args=[theirs.pk])).status_code == 404
    mine = make_pledge(campaign, member, status=S.SUBMITTED)
    response = client.post(
        reverse("campaign:pledge_edit", args=[mine.pk]), _form(campaign, goal="改了")
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.goal != "改了"


def test_staff_cannot_pledge(staff_client, campaign):
    assert staff_client.post(reverse("campaign:pledge_create"), _form(campaign)).status_code == 403
    assert not Pledge.objects.exists()


def test_secretary_drafts_the_branch_pledge_on_siqiang(secretary_client, campaign):
    item = campaign.branch_standards.items.first()
    url = reverse("campaign:pledge_create") + "?scope=branch"
    response = secretary_client.post(url, _form(campaign, standard=item.pk))
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert pledge.scope == Pledge.Scope.BRANCH and pledge.owner is None
    assert pledge.standard.standard_set.code == "siqiang"


def test_member_cannot_draft_for_the_branch(member_client, campaign):
    url = reverse("campaign:pledge_create") + "?scope=branch"
    assert member_client.get(url).status_code == 403


def test_wall_shows_only_published_and_marks_leaders(staff_client, campaign, member, leader):
    make_pledge(campaign, member, status=S.PUBLISHED, goal="公开的目标")
    make_pledge(campaign, member, status=S.SUBMITTED, goal="未审核的目标")
    make_pledge(campaign, leader, status=S.PUBLISHED, goal="领导的目标")
    html = staff_client.get(reverse("campaign:pledge_wall")).content.decode()
    assert "公开的目标" in html and "领导的目标" in html
    assert "未审核的目标" not in html
    assert html.count("领导班子成员</span>") == 1


def test_unpublished_pledge_is_404_for_others(staff_client, leader_client, campaign, member):
    pledge = make_pledge(campaign, member, status=S.SUBMITTED)
    url = reverse("campaign:pledge_detail", args=[pledge.pk])
    assert staff_client.get(url).status_code == 404
    assert leader_client.get(url).status_code == 404


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "JPEG")
    return SimpleUploadedFile("我的照片.jpg", out.getvalue(), content_type="image/jpeg")


def test_progress_with_photo_gets_a_random_name(member_client, campaign, member):
    pledge = make_pledge(campaign, member, status=S.PUBLISHED)
    data = {"happened_on": "2011-03-01", "content": "配送到位", "photo": _jpeg()}
    response = member_client.post(reverse("campaign:progress_add", args=[pledge.pk]), data)
    assert response.status_code == 302
    entry = PledgeProgress.objects.get()
    assert entry.photo.name.startswith("pledges/") and "我的照片" not in entry.photo.name


def test_progress_rejects_a_non_image(member_client, campaign, member):
    pledge = make_pledge(campaign, member, status=S.PUBLISHED)
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    data = {"happened_on": "2011-03-01", "content": "配送到位", "photo": fake}
    response = member_client.post(reverse("campaign:progress_add", args=[pledge.pk]), data)
    assert response.status_code == 200 and "不是有效的图片" in response.content.decode()
    assert not PledgeProgress.objects.exists()


def test_secretary_returns_with_reason_shown_to_the_member(
    secretary_client, member_client, campaign, member
):
    pledge = make_pledge(campaign, member, status=S.SUBMITTED)
    url = reverse("campaign:pledge_return", args=[pledge.pk])
    assert secretary_client.post(url, {"reason": ""}).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == S.SUBMITTED
    secretary_client.post(url, {"reason": "请写明每月做什么"})
    html = member_client.get(reverse("campaign:my_campaign")).content.decode()
    assert "请写明每月做什么" in html


def test_who_has_not_pledged(secretary_client, campaign, member, leader, secretary):
    for item in member_items(campaign):
        make_pledge(campaign, leader, status=S.SUBMITTED, standard=item)
    make_pledge(campaign, member, status=S.DRAFT)
    page = secretary_client.get(reverse("campaign:pledge_missing"))
    names = {p.full_name for p in page.context["page"]}
    assert names == {member.full_name, secretary.full_name}


def test_publish_all_publishes_only_approved(secretary_client, campaign, member, leader):
    approved = make_pledge(campaign, member, status=S.APPROVED)
    submitted = make_pledge(campaign, leader, status=S.SUBMITTED)
    secretary_client.post(reverse("campaign:pledge_publish_all"))
    approved.refresh_from_db()
    submitted.refresh_from_db()
    assert approved.status == S.PUBLISHED and approved.published_on
    assert submitted.status == S.SUBMITTED


def test_queue_puts_pledges_waiting_for_review_first(secretary_client, campaign, member, leader):
    make_pledge(campaign, member, status=S.PUBLISHED)
    make_pledge(campaign, leader, status=S.APPROVED)
    waiting = make_pledge(campaign, member, status=S.SUBMITTED)
    page = secretary_client.get(reverse("campaign:pledge_queue")).context["page"]
    assert [p.status for p in page] == [S.SUBMITTED, S.APPROVED, S.PUBLISHED]
    assert page[0] == waiting
