"""Correcting mistakes (issue 9 point 4): a 领导点评 or a 践诺 entry is edited by its author while
allowed, or voided (作废) with a reason that stays visible and takes it out of every count; the
secretary corrects the dates of a nomination's steps. Every correction is audited old → new."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaign import selectors, services
from campaign.forms import NominationDatesForm, NominationForm
from campaign.models import Honour, LeaderReview, Nomination, Pledge, PledgeProgress
from members.models import AuditEntry, Role
from tests.factories import make_branch, make_person

from .factories import make_campaign, make_pledge, make_review

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

S = Pledge.Status


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def outsider(db):
    """The secretary of another branch, with a campaign of its own: sees nothing of ours."""
    other = make_branch(name="另一个党支部")
    person = make_person(other, (Role.SECRETARY, Role.MEMBER), username="other_secretary")
    make_campaign(person)
    return _client(person)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _jpeg(color: str = "red") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), color).save(out, "JPEG")
    return SimpleUploadedFile("照片.jpg", out.getvalue(), content_type="image/jpeg")


def _audit(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


# --- 领导点评: edit ------------------------------------------------------------------------------


def test_author_edits_comment_and_the_audit_keeps_old_and_new(
    leader_client, campaign, leader, member
):
    review = make_review(campaign, leader, member, rating="good", comment="配送零差错")
    data = {"rating": "average", "comment": "仍需加强", "reviewed_on": "2010-06-01"}
    response = leader_client.post(reverse("campaign:review_edit", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.rating, review.comment, review.score) == ("average", "仍需加强", 5)
    entry = _audit("修改领导点评")
    assert entry.actor == leader
    assert "评价等次：好 → 一般" in entry.detail
    assert "点评意见：配送零差错 → 仍需加强" in entry.detail
    assert "点评日期" not in entry.detail  # unchanged fields are not listed


def test_edit_form_starts_from_the_comment(leader_client, campaign, leader, member):
    review = make_review(campaign, leader, member, rating="fairly_good", comment="原来的意见")
    form = leader_client.get(reverse("campaign:review_edit", args=[review.pk])).context["form"]
    assert form["comment"].value() == "原来的意见" and form["rating"].value() == "fairly_good"


def test_unchanged_edit_writes_no_audit(campaign, leader, member):
    review = make_review(campaign, leader, member)
    services.review_update(
        review=review,
        rating=review.rating,
        comment=review.comment,
        reviewed_on=review.reviewed_on,
        by=leader,
    )
    assert not AuditEntry.objects.filter(action="修改领导点评").exists()


def test_bad_edit_keeps_the_text_and_names_the_field(leader_client, campaign, leader, member):
    review = make_review(campaign, leader, member, comment="原来的意见")
    url = reverse("campaign:review_edit", args=[review.pk])
    response = leader_client.post(url, {"rating": "", "comment": "改了一半", "reviewed_on": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["comment"].value() == "改了一半"
    assert form.errors["rating"] and form.errors["reviewed_on"]
    # A refusal of the service (a date after today) lands at its field too.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {"rating": "good", "comment": "改了一半", "reviewed_on": tomorrow}
    response = leader_client.post(url, data)
    assert response.context["form"].errors["reviewed_on"] == ["点评日期不能晚于今天。"]
    assert response.context["form"]["comment"].value() == "改了一半"
    review.refresh_from_db()
    assert review.comment == "原来的意见"


def test_only_the_author_edits(client, campaign, leader, member, secretary, branch):
    review = make_review(campaign, leader, member)
    url = reverse("campaign:review_edit", args=[review.pk])
    other_leader = make_person(branch, (Role.LEADER, Role.MEMBER), username="leader2")
    data = {"rating": "poor", "comment": "改掉", "reviewed_on": "2010-06-01"}
    for user in (secretary, other_leader, member):
        assert _client(user).post(url, data).status_code == 403
    with pytest.raises(ValidationError, match="只有点评人本人可以修改"):
        services.review_update(
            review=review,
            rating="poor",
            comment="改掉",
            reviewed_on=dt.date(2010, 6, 1),
            by=secretary,
        )
    review.refresh_from_db()
    assert review.rating == "good"


def test_another_branch_gets_404(outsider, campaign, leader, member):
    review = make_review(campaign, leader, member)
    for name in ("campaign:review_edit", "campaign:review_void"):
        assert outsider.get(reverse(name, args=[review.pk])).status_code == 404
        assert outsider.post(reverse(name, args=[review.pk]), {"reason": "x"}).status_code == 404
    assert not LeaderReview.objects.get().is_voided


def test_no_edit_once_the_campaign_is_over(leader_client, campaign, leader, member, secretary):
    review = make_review(campaign, leader, member)
    services.campaign_finish(campaign=campaign, by=secretary)
    review.refresh_from_db()
    response = leader_client.get(reverse("campaign:review_edit", args=[review.pk]), follow=True)
    assert "活动不在进行中，点评不能再修改或作废" in _messages(response)
    with pytest.raises(ValidationError, match="活动不在进行中"):
        services.review_void(review=review, reason="写错了", by=secretary)


# --- 领导点评: 作废 ------------------------------------------------------------------------------


def test_void_needs_a_reason_then_stays_listed_struck_through(
    leader_client, secretary_client, campaign, leader, member
):
    review = make_review(campaign, leader, member, comment="对象写错了的点评")
    url = reverse("campaign:review_void", args=[review.pk])
    response = leader_client.post(url, {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert not LeaderReview.objects.get().is_voided
    assert leader_client.post(url, {"reason": "点评对象选错了"}).status_code == 302
    review.refresh_from_db()
    assert (
        review.is_voided and review.voided_by == leader and review.void_reason == "点评对象选错了"
    )
    entry = _audit("作废领导点评")
    assert entry.actor == leader and "点评对象选错了" in entry.detail
    html = secretary_client.get(reverse("campaign:review_list")).content.decode()
    assert "对象写错了的点评" in html and "已作废：" in html and "点评对象选错了" in html
    assert "<del>" in html
    # Voided once is voided: no edit, no second 作废, and the page no longer offers them.
    assert reverse("campaign:review_edit", args=[review.pk]) not in html
    with pytest.raises(ValidationError, match="已作废"):
        services.review_void(review=review, reason="再来一次", by=leader)
    response = leader_client.get(reverse("campaign:review_edit", args=[review.pk]), follow=True)
    assert "这条点评已作废" in _messages(response)


def test_secretary_voids_a_leaders_comment_member_may_not(
    secretary, member_client, campaign, leader, member
):
    review = make_review(campaign, leader, member)
    url = reverse("campaign:review_void", args=[review.pk])
    assert member_client.post(url, {"reason": "x"}).status_code == 403
    services.review_void(review=review, reason="重复登记", by=secretary)
    assert LeaderReview.objects.get().voided_by == secretary


def test_register_offers_edit_to_author_and_void_to_secretary(
    leader_client, secretary_client, campaign, leader, member
):
    review = make_review(campaign, leader, member)
    edit = reverse("campaign:review_edit", args=[review.pk])
    void = reverse("campaign:review_void", args=[review.pk])
    html = leader_client.get(reverse("campaign:review_list")).content.decode()
    assert edit in html and void in html
    html = secretary_client.get(reverse("campaign:review_list")).content.decode()
    assert edit not in html and void in html


def test_voided_comment_counts_in_no_coverage(leader_client, campaign, leader, member, secretary):
    kept = make_review(campaign, leader, secretary)
    voided = make_review(campaign, leader, member)
    services.review_void(review=voided, reason="点评对象选错了", by=leader)
    coverage = {p.pk: p.n_reviews for p in selectors.review_coverage(campaign=campaign)}
    assert coverage[member.pk] == 0 and coverage[secretary.pk] == 1
    assert selectors.campaign_counts(campaign=campaign)["reviewed"] == 1
    response = leader_client.get(reverse("campaign:review_coverage"))
    assert member.pk in {p.pk for p in response.context["missing"]}
    # Nor is it evidence for a nomination.
    form = NominationForm(campaign=campaign, nominee=member)
    assert list(form.fields["evidence_reviews"].queryset) == []
    with pytest.raises(ValidationError, match="已作废的点评不能作为依据"):
        services.nomination_create(
            campaign=campaign,
            kind=Nomination.Kind.EXCELLENT_MEMBER,
            nominee=member,
            reason="配送零差错",
            pledges=[],
            reviews=[voided],
            results=[],
            by=secretary,
        )
    assert kept.pk in set(
        NominationForm(campaign=campaign, nominee=secretary)
        .fields["evidence_reviews"]
        .queryset.values_list("pk", flat=True)
    )


def test_member_sees_a_voided_comment_on_him_with_its_reason(
    member_client, campaign, leader, member
):
    review = make_review(campaign, leader, member, comment="误登的点评")
    services.review_void(review=review, reason="点评对象选错了", by=leader)
    html = member_client.get(reverse("campaign:my_campaign")).content.decode()
    assert "误登的点评" in html and "已作废：" in html and "点评对象选错了" in html


def test_a_voided_record_always_has_a_reason(campaign, leader, member):
    review = make_review(campaign, leader, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaderReview.objects.filter(pk=review.pk).update(voided_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaderReview.objects.filter(pk=review.pk).update(void_reason="没有作废时间")


# --- 践诺: edit -------------------------------------------------------------------------------


@pytest.fixture
def pledge(campaign, member):
    return make_pledge(campaign, member, status=S.PUBLISHED)


def _entry(pledge, member, content="送药上门 3 次", **kwargs) -> PledgeProgress:
    return services.progress_add(
        pledge=pledge,
        happened_on=dt.date(2011, 3, 1),
        content=content,
        photo=kwargs.get("photo"),
        by=member,
    )


def test_author_edits_entry_and_replaces_the_photo(
    member_client, member, pledge, django_capture_on_commit_callbacks
):
    entry = _entry(pledge, member, photo=_jpeg("red"))
    old_name = entry.photo.name
    storage = entry.photo.storage
    assert storage.exists(old_name)
    data = {"happened_on": "2011-03-02", "content": "送药上门 4 次", "photo": _jpeg("blue")}
    url = reverse("campaign:progress_edit", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.content == "送药上门 4 次" and entry.happened_on == dt.date(2011, 3, 2)
    assert entry.photo.name != old_name and not storage.exists(old_name)
    audit = _audit("修改践诺记录")
    assert audit.actor == member
    assert "践诺情况：送药上门 3 次 → 送药上门 4 次" in audit.detail
    assert "日期：2011年3月1日 → 2011年3月2日" in audit.detail
    assert "照片：原照片 → 新照片" in audit.detail


def test_bad_entry_edit_keeps_the_text(member_client, member, pledge):
    entry = _entry(pledge, member)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    url = reverse("campaign:progress_edit", args=[entry.pk])
    response = member_client.post(url, {"happened_on": tomorrow, "content": "改了一半的内容"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["happened_on"] == ["日期不能晚于今天。"]
    assert form["content"].value() == "改了一半的内容"
    entry.refresh_from_db()
    assert entry.content == "送药上门 3 次"


def test_only_the_author_edits_an_entry(
    leader_client, secretary_client, staff_client, outsider, member, pledge
):
    entry = _entry(pledge, member)
    url = reverse("campaign:progress_edit", args=[entry.pk])
    data = {"happened_on": "2011-03-01", "content": "别人改的"}
    assert leader_client.post(url, data).status_code == 403
    assert secretary_client.post(url, data).status_code == 403
    assert staff_client.post(url, data).status_code == 403
    assert outsider.post(url, data).status_code == 404
    assert PledgeProgress.objects.get().content == "送药上门 3 次"


def test_no_edit_after_the_pledge_is_judged(member_client, member, pledge, secretary):
    entry = _entry(pledge, member)
    services.pledge_judge(pledge=pledge, verdict="fulfilled", note="", by=secretary)
    url = reverse("campaign:progress_edit", args=[entry.pk])
    response = member_client.post(url, {"happened_on": "2011-03-01", "content": "评定后改"})
    assert response.status_code == 200
    assert "承诺已评定" in str(response.context["form"].non_field_errors())
    assert response.context["form"]["content"].value() == "评定后改"
    assert PledgeProgress.objects.get().content == "送药上门 3 次"


# --- 践诺: 作废 --------------------------------------------------------------------------------


def test_voided_entry_stays_shown_and_leaves_the_counts(
    member_client, staff_client, campaign, member, pledge
):
    entry = _entry(pledge, member, content="记错了的践诺", photo=_jpeg())
    _entry(pledge, member, content="真实的践诺")
    photo_url = entry.photo.url
    assert staff_client.get(photo_url).status_code == 200
    url = reverse("campaign:progress_void", args=[entry.pk])
    assert member_client.post(url, {"reason": ""}).status_code == 200
    assert member_client.post(url, {"reason": "记到别的承诺上了"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_voided and entry.voided_by == member
    assert "记到别的承诺上了" in _audit("作废践诺记录").detail
    html = staff_client.get(pledge.get_absolute_url()).content.decode()
    assert "记错了的践诺" in html and "已作废：" in html and "记到别的承诺上了" in html
    assert photo_url not in html
    assert staff_client.get(photo_url).status_code == 404
    wall = {p.pk: p.progress_count for p in selectors.pledge_wall(campaign=campaign)}
    assert wall[pledge.pk] == 1
    mine = selectors.my_campaign(user=member, campaign=campaign)["pledges"]
    assert mine.get(pk=pledge.pk).progress_count == 1


def test_after_judging_only_the_secretary_voids(secretary, member, pledge, leader):
    entry = _entry(pledge, member)
    services.pledge_judge(pledge=pledge, verdict="partly", note="", by=secretary)
    entry.refresh_from_db()
    assert services.progress_corrections(entry=entry, by=member) == frozenset()
    assert services.progress_corrections(entry=entry, by=secretary) == {"void"}
    assert services.progress_corrections(entry=entry, by=leader) == frozenset()
    with pytest.raises(ValidationError, match="只能由支部书记作废"):
        services.progress_void(entry=entry, reason="x", by=member)
    services.progress_void(entry=entry, reason="与承诺无关", by=secretary)
    assert PledgeProgress.objects.get().is_voided


def test_pledge_page_offers_corrections_to_who_may(
    member_client, secretary_client, leader_client, member, pledge
):
    entry = _entry(pledge, member)
    edit = reverse("campaign:progress_edit", args=[entry.pk])
    void = reverse("campaign:progress_void", args=[entry.pk])
    html = member_client.get(pledge.get_absolute_url()).content.decode()
    assert edit in html and void in html
    html = secretary_client.get(pledge.get_absolute_url()).content.decode()
    assert edit not in html and void in html
    html = leader_client.get(pledge.get_absolute_url()).content.decode()
    assert edit not in html and void not in html


def test_pledge_page_queries_do_not_grow_with_entries(member_client, member, pledge, secretary):
    url = pledge.get_absolute_url()

    def count() -> int:
        member_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert member_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = _entry(pledge, member)
    services.progress_void(entry=first, reason="记错了", by=secretary)
    few = count()
    for n in range(8):
        entry = _entry(pledge, member, content=f"第 {n} 次")
        if n % 2:
            services.progress_void(entry=entry, reason="记错了", by=member)
    assert count() == few


def test_register_queries_do_not_grow_with_voided_comments(
    leader_client, campaign, leader, secretary, branch
):
    url = reverse("campaign:review_list")

    def count() -> int:
        leader_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert leader_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.review_void(review=make_review(campaign, leader, None), reason="重复", by=secretary)
    few = count()
    for n in range(8):
        person = make_person(branch, (Role.MEMBER,), username=f"m{n}")
        review = make_review(campaign, leader, person)
        services.review_void(review=review, reason="重复", by=leader if n % 2 else secretary)
    assert count() == few


# --- 评选表彰: correcting the dates -------------------------------------------------------------


def _reported(campaign, secretary, nominee) -> Nomination:
    nomination = services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=nominee,
        reason="配送零差错",
        pledges=[],
        reviews=[],
        results=[],
        by=secretary,
    )
    services.nomination_recommend(nomination=nomination, on=dt.date(2011, 1, 5), by=secretary)
    services.nomination_report(nomination=nomination, on=dt.date(2011, 1, 8), by=secretary)
    return nomination


def test_secretary_corrects_a_date_with_a_reason(secretary_client, campaign, secretary, member):
    nomination = _reported(campaign, secretary, member)
    url = reverse("campaign:nomination_dates_edit", args=[nomination.pk])
    form = secretary_client.get(url).context["form"]
    assert set(form.fields) == {"recommended_on", "reported_on", "reason"}
    assert form["reported_on"].value() == dt.date(2011, 1, 8)
    data = {"recommended_on": "2011-01-05", "reported_on": "2011-01-09", "reason": "按上报回执更正"}
    assert secretary_client.post(url, data).status_code == 302
    nomination.refresh_from_db()
    assert nomination.reported_on == dt.date(2011, 1, 9)
    assert nomination.recommended_on == dt.date(2011, 1, 5)
    entry = _audit("更正评选推荐日期")
    assert entry.actor == secretary
    assert entry.detail == "上报日期：2011年1月8日 → 2011年1月9日；更正原因：按上报回执更正"


def test_bad_dates_are_refused_at_the_field_and_the_reason_kept(
    secretary_client, campaign, secretary, member
):
    nomination = _reported(campaign, secretary, member)
    url = reverse("campaign:nomination_dates_edit", args=[nomination.pk])
    data = {"recommended_on": "2011-01-05", "reported_on": "2011-01-04", "reason": "填错了"}
    response = secretary_client.post(url, data)
    form = response.context["form"]
    assert form.errors["reported_on"] == ["上报日期不能早于支委会推荐日期。"]
    assert form["reason"].value() == "填错了"
    response = secretary_client.post(url, {**data, "reported_on": "9999-12-31"})
    assert "上报日期须在" in response.context["form"].errors["reported_on"][0]
    response = secretary_client.post(url, {**data, "reported_on": "2011-01-08", "reason": ""})
    assert response.context["form"].errors["reason"]
    with pytest.raises(ValidationError, match="日期没有改动"):
        services.nomination_dates_update(
            nomination=nomination,
            dates={"recommended_on": dt.date(2011, 1, 5), "reported_on": dt.date(2011, 1, 8)},
            reason="没改",
            by=secretary,
        )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.nomination_dates_update(
            nomination=nomination,
            dates={"recommended_on": dt.date(2011, 1, 5), "reported_on": tomorrow},
            reason="写错",
            by=secretary,
        )
    nomination.refresh_from_db()
    assert nomination.reported_on == dt.date(2011, 1, 8)
    assert not AuditEntry.objects.filter(action="更正评选推荐日期").exists()


def test_award_date_is_corrected_on_the_honour(campaign, secretary, member):
    nomination = _reported(campaign, secretary, member)
    services.nomination_award(
        nomination=nomination,
        awarded_on=dt.date(2011, 1, 20),
        awarding_body="上级党委",
        by=secretary,
    )
    form = NominationDatesForm(dates=services.nomination_dates(nomination=nomination))
    assert set(form.fields) == {"recommended_on", "reported_on", "awarded_on", "reason"}
    with pytest.raises(ValidationError) as refused:
        services.nomination_dates_update(
            nomination=nomination,
            dates={
                "recommended_on": dt.date(2011, 1, 5),
                "reported_on": dt.date(2011, 1, 8),
                "awarded_on": dt.date(2011, 1, 7),
            },
            reason="x",
            by=secretary,
        )
    assert refused.value.message_dict == {"awarded_on": ["表彰日期不能早于上报日期。"]}
    services.nomination_dates_update(
        nomination=nomination,
        dates={
            "recommended_on": dt.date(2011, 1, 5),
            "reported_on": dt.date(2011, 1, 8),
            "awarded_on": dt.date(2011, 1, 21),
        },
        reason="以表彰文件日期为准",
        by=secretary,
    )
    assert Honour.objects.get().awarded_on == dt.date(2011, 1, 21)
    assert "表彰日期：2011年1月20日 → 2011年1月21日" in _audit("更正评选推荐日期").detail


def test_who_may_correct_dates(
    secretary_client, leader_client, member_client, outsider, campaign, secretary, member, branch
):
    nomination = _reported(campaign, secretary, member)
    url = reverse("campaign:nomination_dates_edit", args=[nomination.pk])
    assert leader_client.get(url).status_code == 403
    assert member_client.get(url).status_code == 403
    assert outsider.get(url).status_code == 404
    detail = secretary_client.get(nomination.get_absolute_url()).content.decode()
    assert url in detail
    # Nothing dated yet: nothing to correct.
    fresh = services.nomination_create(
        campaign=campaign,
        kind=Nomination.Kind.SIYOU_MEMBER,
        nominee=member,
        reason="四优",
        pledges=[],
        reviews=[],
        results=[],
        by=secretary,
    )
    fresh_url = reverse("campaign:nomination_dates_edit", args=[fresh.pk])
    response = secretary_client.get(fresh_url, follow=True)
    assert "没有可更正的日期" in _messages(response)
    assert fresh_url not in secretary_client.get(fresh.get_absolute_url()).content.decode()


def test_nobody_corrects_the_dates_of_his_own_nomination(campaign, secretary, branch):
    deputy = make_person(branch, (Role.SECRETARY, Role.MEMBER), username="deputy")
    nomination = _reported(campaign, deputy, secretary)
    url = reverse("campaign:nomination_dates_edit", args=[nomination.pk])
    response = _client(secretary).get(url, follow=True)
    assert "日期须由其他支委更正" in _messages(response)
    data = {"recommended_on": "2011-01-06", "reported_on": "2011-01-08", "reason": "x"}
    _client(secretary).post(url, data)
    nomination.refresh_from_db()
    assert nomination.recommended_on == dt.date(2011, 1, 5)
    _client(deputy).post(url, data)
    nomination.refresh_from_db()
    assert nomination.recommended_on == dt.date(2011, 1, 6)
