"""先锋事迹: who records a deed on which post, 待确认 → 已确认 / 已退回, 宣传, tags, photos, and who
reads which deed (the predicate and the list's filter agree)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from campaign import selectors_fortress as selectors
from campaign import services
from campaign.models import Deed, DeedPhoto
from campaign.rules_fortress import may_edit_deed, may_see_deed
from config.uploads import clean_image
from members.models import AuditEntry, Role
from tests.factories import make_person

from .factories import FORTRESS_DAY, make_campaign, make_deed, make_holder, make_post

D = Deed.Status


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def post(branch, secretary, member):
    post = make_post(branch, secretary, name="药品配送岗")
    make_holder(post, member, secretary)
    return post


def photo(name: str = "x.jpg"):
    """What config.uploads.ImageUploadField hands a service: a checked, re-encoded image."""
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, "JPEG")
    return clean_image(SimpleUploadedFile(name, buf.getvalue(), "image/jpeg"))


# --- Recording --------------------------------------------------------------------------------


def test_a_member_records_a_deed_on_his_post_and_waits_for_confirmation(campaign, member, post):
    deed = make_deed(
        campaign, member, member, post=post, tags=["urgent", "praise"], photos=[photo()]
    )
    assert (deed.status, deed.recorded_by, deed.confirmed_by) == (D.SUBMITTED, member, None)
    assert deed.tag_labels == ["急难险重任务", "客户表扬"]
    [stored] = deed.photos.all()
    assert stored.photo.name.startswith("deeds/") and stored.photo.name.endswith(".jpg")
    # A member's own record is not an officer's action: nothing in the audit trail.
    assert not AuditEntry.objects.filter(action="记录先锋事迹").exists()


def test_a_member_records_only_on_a_post_he_holds_now(branch, campaign, secretary, member, post):
    other = make_post(branch, secretary, name="仓储岗")
    with pytest.raises(ValidationError, match="只能为自己目前所在的先锋岗记录事迹"):
        make_deed(campaign, member, member, post=other)
    with pytest.raises(ValidationError, match="只能为自己目前所在的先锋岗记录事迹"):
        make_deed(campaign, member, member, post=None)
    [holding] = post.holders.all()
    services.post_release(holder=holding, ends_on=FORTRESS_DAY, by=secretary)
    with pytest.raises(ValidationError, match="只能为自己目前所在的先锋岗记录事迹"):
        make_deed(campaign, member, member, post=post)


def test_a_member_records_only_his_own_deed_and_not_before_his_holding(
    campaign, member, leader, post
):
    with pytest.raises(ValidationError, match="党员只能记录自己的先锋事迹"):
        make_deed(campaign, leader, member, post=post)
    with pytest.raises(ValidationError, match="事迹日期不能早于 2011年5月16日"):
        make_deed(campaign, member, member, post=post, happened_on=FORTRESS_DAY - dt.timedelta(1))


def test_staff_record_no_deed(campaign, staff, post):
    with pytest.raises(ValidationError):
        make_deed(campaign, staff, staff, post=post)


def test_the_secretary_records_any_members_deed_confirmed_at_once(campaign, secretary, leader):
    deed = make_deed(campaign, leader, secretary, post=None, tags=[])
    assert (deed.status, deed.confirmed_by, deed.post) == (D.CONFIRMED, secretary, None)
    assert AuditEntry.objects.filter(actor=secretary, action="记录先锋事迹").exists()


def test_bad_content_is_refused(campaign, member, post):
    with pytest.raises(ValidationError, match="请填写标题"):
        make_deed(campaign, member, member, post=post, title=" ")
    with pytest.raises(ValidationError, match="请从列出的标签中选择"):
        make_deed(campaign, member, member, post=post, tags=["<script>"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="事迹日期不能晚于今天"):
        make_deed(campaign, member, member, post=post, happened_on=tomorrow)
    with pytest.raises(ValidationError, match="一条事迹最多 6 张照片"):
        make_deed(campaign, member, member, post=post, photos=[photo() for _ in range(7)])
    assert not Deed.objects.exists()


# --- Confirming, returning, 宣传 --------------------------------------------------------------


def test_confirm_return_resubmit(campaign, secretary, member, post):
    deed = make_deed(campaign, member, member, post=post)
    assert services.deed_actions(deed=deed, by=secretary) == {"edit", "confirm", "return"}
    services.deed_return(deed=deed, reason="请补充客户名称", by=secretary)
    assert (deed.status, deed.return_reason) == (D.RETURNED, "请补充客户名称")
    services.deed_update(
        deed=deed,
        happened_on=deed.happened_on,
        title=deed.title,
        body="冒雪将急需药品送到某医院，客户来电表扬。",
        tags=["urgent"],
        by=member,
    )
    assert (deed.status, deed.return_reason) == (D.SUBMITTED, "")
    services.deed_confirm(deed=deed, by=secretary)
    assert (deed.status, deed.confirmed_by) == (D.CONFIRMED, secretary)
    assert not may_edit_deed(member, deed)
    actions = AuditEntry.objects.filter(actor=secretary).values_list("action", flat=True)
    assert {"退回先锋事迹", "确认先锋事迹"} <= set(actions)


def test_refused_deed_transitions_are_explained(campaign, secretary, member, post):
    deed = make_deed(campaign, member, member, post=post)
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.deed_return(deed=deed, reason="", by=secretary)
    services.deed_confirm(deed=deed, by=secretary)
    with pytest.raises(ValidationError, match="这条事迹当前是“已确认”，不能改为“已确认”"):
        services.deed_confirm(deed=deed, by=secretary)
    with pytest.raises(ValidationError, match="这条事迹当前是“已确认”，不能改为“已退回”"):
        services.deed_return(deed=deed, reason="x", by=secretary)
    with pytest.raises(ValidationError, match="只有支部书记可以确认先锋事迹"):
        services.deed_confirm(deed=make_deed(campaign, member, member, post=post), by=member)


def test_only_a_confirmed_deed_is_publicized(campaign, secretary, member, post):
    deed = make_deed(campaign, member, member, post=post)
    with pytest.raises(ValidationError, match="确认后才能宣传"):
        services.deed_publicize(deed=deed, publicized=True, by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deed.objects.filter(pk=deed.pk).update(publicized=True)
    services.deed_confirm(deed=deed, by=secretary)
    services.deed_publicize(deed=deed, publicized=True, by=secretary)
    assert deed.publicized and "unpublicize" in services.deed_actions(deed=deed, by=secretary)
    with pytest.raises(ValidationError, match="只有支部书记可以设置宣传"):
        services.deed_publicize(deed=deed, publicized=False, by=member)
    assert AuditEntry.objects.filter(action="宣传先锋事迹").count() == 1


def test_a_return_without_reason_is_refused_by_the_database(campaign, member, post):
    deed = make_deed(campaign, member, member, post=post)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deed.objects.filter(pk=deed.pk).update(status=D.RETURNED, return_reason="")


def test_the_secretarys_correction_keeps_old_and_new(campaign, secretary, member, post):
    deed = make_deed(campaign, member, member, post=post)
    services.deed_update(
        deed=deed,
        happened_on=deed.happened_on,
        title="风雪送药",
        body=deed.body,
        tags=["urgent", "praise"],
        by=secretary,
    )
    detail = AuditEntry.objects.get(action="修改先锋事迹").detail
    assert "标题：雪夜送药 → 风雪送药" in detail
    assert "标签：急难险重任务 → 急难险重任务、客户表扬" in detail
    assert sorted(deed.tags.values_list("tag", flat=True)) == ["praise", "urgent"]


def test_photos_are_added_and_removed_within_the_limit(campaign, secretary, member, post):
    deed = make_deed(campaign, member, member, post=post, photos=[photo() for _ in range(5)])
    services.deed_photo_add(deed=deed, photo=photo(), caption="送药途中", by=member)
    with pytest.raises(ValidationError, match="最多 6 张照片"):
        services.deed_photo_add(deed=deed, photo=photo(), by=member)
    services.deed_confirm(deed=deed, by=secretary)
    first = deed.photos.first()
    with pytest.raises(ValidationError, match="只有记录人本人"):
        services.deed_photo_remove(photo=first, by=member)
    services.deed_photo_remove(photo=first, by=secretary)
    assert DeedPhoto.objects.filter(deed=deed).count() == 5


# --- Tags and who reads what ------------------------------------------------------------------


def test_deeds_filter_by_tag(campaign, secretary, member, post):
    praised = make_deed(campaign, member, secretary, post=post, tags=["praise", "service"])
    make_deed(campaign, member, secretary, post=post, tags=["urgent"])
    listed = selectors.deed_list(campaign=campaign, viewer=secretary, tag="praise")
    assert list(listed) == [praised]
    assert list(Deed.objects.tagged("service")) == [praised]


def test_who_reads_which_deed(branch, campaign, secretary, leader, member, staff, post):
    colleague = make_person(branch, (Role.MEMBER,))
    make_holder(post, colleague, secretary)
    waiting = make_deed(campaign, colleague, colleague, post=post, title="待确认")
    confirmed = make_deed(campaign, colleague, secretary, post=post, title="已确认")
    public = make_deed(campaign, colleague, secretary, post=post, title="宣传")
    services.deed_publicize(deed=public, publicized=True, by=secretary)
    expected = {
        secretary: {waiting, confirmed, public},
        leader: {waiting, confirmed, public},
        colleague: {waiting, confirmed, public},
        member: {confirmed, public},
        staff: {public},
    }
    for person, deeds in expected.items():
        listed = set(selectors.deed_list(campaign=campaign, viewer=person))
        assert listed == deeds, person
        for deed in (waiting, confirmed, public):
            assert may_see_deed(person, deed) == (deed in deeds), (person, deed)
