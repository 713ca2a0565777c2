"""党员先锋岗: posts, the plaque's transitions (挂牌/摘牌/重新挂牌), holders over time,
quarterly stars against the 四优 items, the database's own rules, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign import services
from campaign.models import PlaqueEvent, PostHolder, PostReview, VanguardPost
from members.models import AuditEntry, Role
from tests.factories import make_branch, make_department, make_person

from .factories import FORTRESS_DAY, make_campaign, make_holder, make_post

DAY2 = FORTRESS_DAY + dt.timedelta(days=30)


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def post(branch, secretary):
    return make_post(branch, secretary, name="药品配送岗", hung=False)


def db_refuses(**changes) -> None:
    """An UPDATE that breaks a constraint is refused by the database itself."""
    post = changes.pop("post")
    with pytest.raises(IntegrityError), transaction.atomic():
        VanguardPost.objects.filter(pk=post.pk).update(**changes)


# --- Posts ------------------------------------------------------------------------------------


def test_the_secretary_creates_a_post_and_the_audit_says_so(branch, secretary, post):
    assert (post.name, post.plaque, post.plaque_on) == ("药品配送岗", "none", None)
    assert AuditEntry.objects.filter(actor=secretary, action="设立党员先锋岗").exists()


def test_only_the_secretary_creates_posts(branch, leader, member, staff):
    for person in (leader, member, staff):
        with pytest.raises(ValidationError, match="只有本支部的支部书记可以管理党员先锋岗"):
            make_post(branch, person, hung=False)


def test_a_department_of_another_branch_and_a_duplicate_name_are_refused(branch, secretary, post):
    other = make_department(make_branch())
    with pytest.raises(ValidationError, match="请选择本支部的部门"):
        make_post(branch, secretary, department=other)
    with pytest.raises(ValidationError, match="已经有名为“药品配送岗”的先锋岗了"):
        make_post(branch, secretary, name="药品配送岗")


def test_editing_a_post_records_old_and_new(secretary, post):
    data = {
        "name": "药品配送岗（一线）",
        "department": post.department,
        "duties": post.duties,
        "promise": "准时送达",
    }
    services.post_update(post=post, data=data, by=secretary)
    entry = AuditEntry.objects.get(action="修改党员先锋岗")
    assert "岗位名称：药品配送岗 → 药品配送岗（一线）" in entry.detail
    assert "服务承诺" in entry.detail and "岗位职责" not in entry.detail


# --- The plaque -------------------------------------------------------------------------------


def test_hang_remove_and_hang_again_keeps_the_history(secretary, post):
    services.post_hang_plaque(post=post, on=FORTRESS_DAY, by=secretary)
    assert (post.plaque, post.plaque_on) == ("hung", FORTRESS_DAY)
    services.post_remove_plaque(post=post, on=DAY2, reason="年度考核不合格", by=secretary)
    post.refresh_from_db()
    assert (post.plaque, post.removal_reason) == ("removed", "年度考核不合格")
    services.post_hang_plaque(post=post, on=DAY2 + dt.timedelta(days=1), by=secretary)
    post.refresh_from_db()
    assert (post.plaque, post.removal_reason) == ("hung", "")
    history = list(post.plaque_events.order_by("happened_on", "pk").values_list("action", "reason"))
    assert history == [("hang", ""), ("remove", "年度考核不合格"), ("hang", "")]
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert ["先锋岗挂牌", "先锋岗摘牌", "重新挂牌"] == [a for a in actions if "牌" in a]


def test_refused_plaque_transitions_are_explained(secretary, post):
    with pytest.raises(ValidationError, match="这个先锋岗当前是“未挂牌”，不能改为“已摘牌”"):
        services.post_remove_plaque(post=post, on=FORTRESS_DAY, reason="x", by=secretary)
    services.post_hang_plaque(post=post, on=FORTRESS_DAY, by=secretary)
    with pytest.raises(ValidationError, match="这个先锋岗当前是“已挂牌”，不能改为“已挂牌”"):
        services.post_hang_plaque(post=post, on=FORTRESS_DAY, by=secretary)
    assert services.plaque_actions(post=post, by=secretary) == {"remove"}


def test_removing_the_plaque_needs_a_reason_and_a_sane_date(secretary, post):
    services.post_hang_plaque(post=post, on=FORTRESS_DAY, by=secretary)
    with pytest.raises(ValidationError, match="请填写摘牌原因"):
        services.post_remove_plaque(post=post, on=DAY2, reason="  ", by=secretary)
    with pytest.raises(ValidationError, match="日期不能早于"):
        services.post_remove_plaque(
            post=post, on=FORTRESS_DAY - dt.timedelta(1), reason="x", by=secretary
        )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="日期不能晚于今天"):
        services.post_remove_plaque(post=post, on=tomorrow, reason="x", by=secretary)
    post.refresh_from_db()
    assert post.plaque == "hung"


def test_the_database_refuses_a_removal_without_reason(secretary, post):
    db_refuses(post=post, plaque="removed", plaque_on=FORTRESS_DAY, removal_reason="")
    db_refuses(post=post, plaque="hung", plaque_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaqueEvent.objects.create(post=post, action="remove", happened_on=FORTRESS_DAY)


# --- Holders ----------------------------------------------------------------------------------


def test_members_hold_a_post_over_time(secretary, member, leader, post):
    first = make_holder(post, member, secretary)
    make_holder(post, leader, secretary)
    assert set(PostHolder.objects.current().filter(post=post).values_list("member", flat=True)) == {
        member.pk,
        leader.pk,
    }
    services.post_release(holder=first, ends_on=DAY2, by=secretary)
    again = make_holder(post, member, secretary, starts_on=DAY2 + dt.timedelta(days=1))
    assert post.holders.filter(member=member).count() == 2  # the history is kept
    assert list(PostHolder.objects.current().filter(member=member)) == [again]
    assert AuditEntry.objects.filter(action="先锋岗党员离岗").count() == 1


def test_holding_rules(branch, secretary, member, staff, post):
    make_holder(post, member, secretary)
    with pytest.raises(ValidationError, match="已经在这个先锋岗上了"):
        make_holder(post, member, secretary, starts_on=DAY2)
    with pytest.raises(ValidationError, match="只能安排本支部的党员上岗"):
        make_holder(post, staff, secretary)
    outsider = make_person(make_branch(), (Role.MEMBER,))
    with pytest.raises(ValidationError, match="只能安排本支部的党员上岗"):
        make_holder(post, outsider, secretary)


def test_a_new_holding_may_not_overlap_the_last_one(secretary, member, post):
    holder = make_holder(post, member, secretary)
    services.post_release(holder=holder, ends_on=DAY2, by=secretary)
    with pytest.raises(ValidationError, match="上岗日期须晚于"):
        make_holder(post, member, secretary, starts_on=DAY2)


def test_leaving_before_starting_is_refused_by_service_and_database(secretary, member, post):
    holder = make_holder(post, member, secretary)
    with pytest.raises(ValidationError, match="离岗日期不能早于"):
        services.post_release(holder=holder, ends_on=FORTRESS_DAY - dt.timedelta(1), by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostHolder.objects.filter(pk=holder.pk).update(ends_on=FORTRESS_DAY - dt.timedelta(1))


def test_the_database_keeps_one_open_holding_per_member_and_post(secretary, member, post):
    make_holder(post, member, secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostHolder.objects.create(post=post, member=member, starts_on=DAY2)


# --- Quarterly stars --------------------------------------------------------------------------


def siyou(campaign):
    return list(campaign.member_standards.items.order_by("order"))


def test_a_quarterly_review_against_the_siyou_items(campaign, secretary, post):
    items = siyou(campaign)
    assert [i.name for i in items][:2] == ["政治素质优", "岗位技能优"]
    review = services.post_review_save(
        post=post,
        campaign=campaign,
        year=2011,
        quarter=2,
        stars=5,
        note="急难险重任务冲在前",
        item_stars={items[0]: 5, items[2]: 4},
        by=secretary,
    )
    assert review.stars == 5 and review.period_label == "2011年第2季度"
    assert dict(review.scores.values_list("standard__name", "stars")) == {
        "政治素质优": 5,
        "工作业绩优": 4,
    }
    entry = AuditEntry.objects.get(action="先锋岗季度评星")
    assert "政治素质优：5★" in entry.detail


def test_saving_the_same_quarter_again_corrects_it_with_old_and_new(campaign, secretary, post):
    items = siyou(campaign)
    args = {"post": post, "campaign": campaign, "year": 2011, "quarter": 2, "by": secretary}
    services.post_review_save(**args, stars=3, note="", item_stars={items[0]: 3})
    services.post_review_save(**args, stars=4, note="进步明显", item_stars={items[1]: 4})
    review = PostReview.objects.get()
    assert review.stars == 4
    assert dict(review.scores.values_list("standard__name", "stars")) == {"岗位技能优": 4}
    detail = AuditEntry.objects.get(action="修改先锋岗季度评星").detail
    assert "星级：3 → 4" in detail
    assert "政治素质优：3 → （空）" in detail and "岗位技能优：（空） → 4" in detail


@pytest.mark.parametrize("stars", [0, 6, "5", None, True])
def test_stars_outside_one_to_five_are_refused(campaign, secretary, post, stars):
    with pytest.raises(ValidationError, match="星级须为 1 至 5 星"):
        services.post_review_save(
            post=post, campaign=campaign, year=2011, quarter=2, stars=stars, note="", by=secretary
        )
    assert not PostReview.objects.exists()


def test_item_stars_must_be_of_the_campaigns_member_standards(campaign, secretary, post):
    foreign = campaign.branch_standards.items.first()  # 四强, not 四优
    with pytest.raises(ValidationError, match="只能对照本次活动的党员标准"):
        services.post_review_save(
            post=post,
            campaign=campaign,
            year=2011,
            quarter=2,
            stars=4,
            note="",
            item_stars={foreign: 4},
            by=secretary,
        )
    with pytest.raises(ValidationError, match="政治素质优须为 1 至 5 星"):
        services.post_review_save(
            post=post,
            campaign=campaign,
            year=2011,
            quarter=2,
            stars=4,
            note="",
            item_stars={siyou(campaign)[0]: 6},
            by=secretary,
        )


@pytest.mark.parametrize(
    ("year", "quarter", "message"),
    [
        (2011, 5, "请选择第 1 至第 4 季度"),
        (2011, 0, "请选择第 1 至第 4 季度"),
        (2013, 1, "只能评定活动期间的季度"),
        (timezone.localdate().year + 1, 1, "这个季度还没有开始"),
    ],
)
def test_the_quarter_must_exist_have_started_and_fall_in_the_campaign(
    campaign, secretary, post, year, quarter, message
):
    with pytest.raises(ValidationError, match=message):
        services.post_review_save(
            post=post, campaign=campaign, year=year, quarter=quarter, stars=3, note="", by=secretary
        )


def test_the_database_refuses_bad_stars_and_a_second_review_of_a_quarter(campaign, secretary, post):
    review = services.post_review_save(
        post=post, campaign=campaign, year=2011, quarter=2, stars=3, note="", by=secretary
    )
    for stars in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            PostReview.objects.filter(pk=review.pk).update(stars=stars)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostReview.objects.create(
            post=post,
            campaign=campaign,
            year=2011,
            quarter=2,
            stars=4,
            reviewed_on=FORTRESS_DAY,
        )


def test_only_the_secretary_reviews(campaign, leader, member, post):
    for person in (leader, member):
        with pytest.raises(ValidationError, match="只有支部书记可以为先锋岗评星"):
            services.post_review_save(
                post=post, campaign=campaign, year=2011, quarter=2, stars=3, note="", by=person
            )
