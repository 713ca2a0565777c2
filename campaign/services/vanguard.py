"""党员先锋岗: posts, their holders, the plaque (挂牌/摘牌), quarterly stars; 先锋事迹 (deeds)
with tags and photos (待确认 → 已确认, or 已退回 and back); 增收节支 records (Decimal yuan, 作废
with a reason).

Every function takes the actor as `by=`, checks who may act (campaign/rules_fortress.py) and what
the state allows (PLAQUE_TRANSITIONS, DEED_TRANSITIONS), then writes in one transaction; the
secretary's and leaders' changes go to the audit trail, edits with "field: old → new".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range
from members import audit
from members.models import Branch, Department, Role, User

from ..models import (
    Campaign,
    Deed,
    DeedPhoto,
    DeedTag,
    PlaqueEvent,
    PostHolder,
    PostReview,
    PostReviewScore,
    SavingRecord,
    Standard,
    VanguardPost,
)
from ..models.vanguard import AMOUNT_PLACES, MAX_AMOUNT, quarter_bounds
from ..rules_fortress import manages_fortress, may_edit_deed, may_record_deed
from ._common import check_not_voided, check_transition, describe_changes, lock, mark_voided, record
from ._fortress import check_campaign_running, forbid, past_date, text

PL = VanguardPost.Plaque
PLAQUE_TRANSITIONS: dict[str, set[str]] = {
    PL.NONE: {PL.HUNG},
    PL.HUNG: {PL.REMOVED},
    PL.REMOVED: {PL.HUNG},  # 重新挂牌
}
D = Deed.Status
DEED_TRANSITIONS: dict[str, set[str]] = {
    D.SUBMITTED: {D.CONFIRMED, D.RETURNED},
    D.RETURNED: {D.SUBMITTED},
    D.CONFIRMED: set(),
}
REASON_MAX = 300
CENT = Decimal(1).scaleb(-AMOUNT_PLACES)


def _check_manager(branch_id: int, by: User, message: str | None = None) -> None:
    if not manages_fortress(by, branch_id):
        raise forbid(message or _("只有本支部的支部书记可以管理党员先锋岗。"))


# --- Posts ----------------------------------------------------------------------------------


def _post_fields(
    *, branch: Branch, data: Mapping[str, Any], exclude_pk: int | None = None
) -> dict[str, Any]:
    name = text(data.get("name"), field="name", label=_("岗位名称"), max_length=50)
    department: Department | None = data.get("department")
    if department is None or department.branch_id != branch.pk:
        raise ValidationError({"department": _("请选择本支部的部门。")}, code="department")
    clash = VanguardPost.objects.filter(branch=branch, name=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("已经有名为“%(name)s”的先锋岗了。") % {"name": name}}, code="duplicate"
        )
    return {
        "name": name,
        "department": department,
        "duties": text(data.get("duties"), field="duties", label=_("岗位职责")),
        "promise": text(data.get("promise"), field="promise", label=_("服务承诺")),
        "order": _check_order(data.get("order")),
    }


def _check_order(value: Any) -> int:
    value = 0 if value in (None, "") else value
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32767:
        raise ValidationError({"order": _("排序须为 0 至 32767 之间的整数。")}, code="order")
    return value


@transaction.atomic
def post_create(*, branch: Branch, data: Mapping[str, Any], by: User) -> VanguardPost:
    """A new post (未挂牌): name, department, duties, 服务承诺."""
    _check_manager(branch.pk, by)
    post = VanguardPost.objects.create(branch=branch, **_post_fields(branch=branch, data=data))
    record(by=by, action=_("设立党员先锋岗"), obj=post)
    return post


@transaction.atomic
def post_update(*, post: VanguardPost, data: Mapping[str, Any], by: User) -> VanguardPost:
    lock(post)
    _check_manager(post.branch_id, by)
    fields = _post_fields(branch=post.branch, data=data, exclude_pk=post.pk)
    labels = {
        "name": _("岗位名称"),
        "department": _("部门"),
        "duties": _("岗位职责"),
        "promise": _("服务承诺"),
        "order": _("排序"),
    }
    detail = describe_changes(
        (labels[name], getattr(post, name), value) for name, value in fields.items()
    )
    if not detail:
        return post
    for name, value in fields.items():
        setattr(post, name, value)
    post.save()
    audit.record(by=by, action=_("修改党员先锋岗"), obj=post, detail=detail)
    return post


def plaque_actions(*, post: VanguardPost, by: User) -> frozenset[str]:
    """ "hang" (挂牌, also 重新挂牌) and "remove" (摘牌), read off PLAQUE_TRANSITIONS."""
    if not manages_fortress(by, post.branch_id):
        return frozenset()
    targets = PLAQUE_TRANSITIONS[post.plaque]
    return frozenset(
        action
        for target, action in ((PL.HUNG, "hang"), (PL.REMOVED, "remove"))
        if target in targets
    )


def _move_plaque(post: VanguardPost, target: str, *, on: dt.date) -> None:
    check_transition(
        current=post.plaque,
        target=target,
        transitions=PLAQUE_TRANSITIONS,
        labels=dict(PL.choices),
        what=_("这个先锋岗"),
    )
    past_date(on, field="on", label=_("日期"), not_before=post.plaque_on)
    post.plaque = target
    post.plaque_on = on


@transaction.atomic
def post_hang_plaque(*, post: VanguardPost, on: dt.date, by: User) -> VanguardPost:
    """挂牌, or 重新挂牌 after a 摘牌 (the reason of the 摘牌 stays in the history)."""
    lock(post)
    _check_manager(post.branch_id, by)
    again = post.plaque == PL.REMOVED
    _move_plaque(post, PL.HUNG, on=on)
    post.removal_reason = ""
    post.save(update_fields=["plaque", "plaque_on", "removal_reason", "updated_at"])
    PlaqueEvent.objects.create(post=post, action=PlaqueEvent.Action.HANG, happened_on=on, by=by)
    record(by=by, action=_("重新挂牌") if again else _("先锋岗挂牌"), obj=post)
    return post


@transaction.atomic
def post_remove_plaque(*, post: VanguardPost, on: dt.date, reason: str, by: User) -> VanguardPost:
    """摘牌, with the reason everyone reading the post sees."""
    lock(post)
    _check_manager(post.branch_id, by)
    reason = text(reason, field="reason", label=_("摘牌原因"), max_length=REASON_MAX)
    _move_plaque(post, PL.REMOVED, on=on)
    post.removal_reason = reason
    post.save(update_fields=["plaque", "plaque_on", "removal_reason", "updated_at"])
    PlaqueEvent.objects.create(
        post=post, action=PlaqueEvent.Action.REMOVE, happened_on=on, reason=reason, by=by
    )
    record(by=by, action=_("先锋岗摘牌"), obj=post, detail=reason)
    return post


# --- Holders ----------------------------------------------------------------------------------


@transaction.atomic
def post_assign(*, post: VanguardPost, member: User, starts_on: dt.date, by: User) -> PostHolder:
    """A party member of the branch takes the post from `starts_on`; his or her earlier holdings
    of the post stay as its history and may not overlap the new one."""
    lock(post)
    _check_manager(post.branch_id, by)
    if (
        member.branch_id != post.branch_id
        or not member.is_active
        or not member.has_role(Role.MEMBER)
    ):
        raise ValidationError({"member": _("只能安排本支部的党员上岗。")}, code="not_member")
    check_date_range(field="starts_on", value=starts_on, label=_("上岗日期"))
    earlier = PostHolder.objects.filter(post=post, member=member)
    if earlier.filter(ends_on__isnull=True).exists():
        raise ValidationError(
            {"member": _("%(name)s已经在这个先锋岗上了。") % {"name": member}}, code="holding"
        )
    if earlier.filter(ends_on__gte=starts_on).exists():
        raise ValidationError(
            {"starts_on": _("上岗日期须晚于%(name)s上次在这个岗位的离岗日期。") % {"name": member}},
            code="overlap",
        )
    holder = PostHolder.objects.create(
        post=post, member=member, starts_on=starts_on, assigned_by=by
    )
    record(by=by, action=_("安排先锋岗党员"), obj=holder)
    return holder


@transaction.atomic
def post_release(*, holder: PostHolder, ends_on: dt.date, by: User) -> PostHolder:
    """The member leaves the post on `ends_on`; the holding stays in the post's history."""
    lock(holder)
    _check_manager(holder.post.branch_id, by)
    if holder.ends_on is not None:
        raise ValidationError(_("这位党员已经离岗了。"), code="ended")
    past_date(ends_on, field="ends_on", label=_("离岗日期"), not_before=holder.starts_on)
    holder.ends_on = ends_on
    holder.save(update_fields=["ends_on", "updated_at"])
    record(by=by, action=_("先锋岗党员离岗"), obj=holder)
    return holder


# --- Quarterly review -------------------------------------------------------------------------


def _check_period(*, campaign: Campaign, year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("请选择第 1 至第 4 季度。")}, code="quarter")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("请填写正确的年度。")}, code="year")
    first, last = quarter_bounds(year, quarter)
    if first > timezone.localdate():
        raise ValidationError({"quarter": _("这个季度还没有开始，不能评星。")}, code="future")
    if last < campaign.starts_on or first > campaign.ends_on:
        raise ValidationError({"quarter": _("只能评定活动期间的季度。")}, code="outside_campaign")


def _check_stars(value: Any, *, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in PostReview.STARS:
        raise ValidationError(
            {field: _("%(label)s须为 1 至 5 星。") % {"label": label}}, code="stars"
        )
    return value


def _check_item_stars(
    *, campaign: Campaign, item_stars: Mapping[Standard, int]
) -> dict[Standard, int]:
    """Stars per item of the campaign's member standards (四优 by default), by Standard."""
    allowed = campaign.member_standards_id
    checked = {}
    for standard, stars in item_stars.items():
        if allowed is None or standard.standard_set_id != allowed:
            raise ValidationError(
                {"item_stars": _("只能对照本次活动的党员标准（四优）逐项评星。")},
                code="wrong_standard",
            )
        checked[standard] = _check_stars(stars, field="item_stars", label=standard.name)
    return checked


@transaction.atomic
def post_review_save(
    *,
    post: VanguardPost,
    campaign: Campaign,
    year: int,
    quarter: int,
    stars: int,
    note: str,
    item_stars: Mapping[Standard, int] | None = None,
    by: User,
) -> PostReview:
    """The quarter's stars of a post (one review per post and quarter): created, or corrected
    with old → new in the audit trail. `item_stars` rates items of the campaign's 四优 standards
    one by one; an item left out keeps no stars."""
    lock(post)
    _check_manager(post.branch_id, by, _("只有支部书记可以为先锋岗评星。"))
    if campaign.branch_id != post.branch_id:
        raise forbid(_("只能在本支部的活动中评星。"))
    _check_period(campaign=campaign, year=year, quarter=quarter)
    stars = _check_stars(stars, field="stars", label=_("星级"))
    note = text(note, field="note", label=_("评语"), required=False)
    items = _check_item_stars(campaign=campaign, item_stars=item_stars or {})
    review = PostReview.objects.filter(post=post, year=year, quarter=quarter).first()
    if review is None:
        review = PostReview.objects.create(
            post=post,
            campaign=campaign,
            year=year,
            quarter=quarter,
            stars=stars,
            note=note,
            reviewed_on=timezone.localdate(),
            reviewed_by=by,
        )
        PostReviewScore.objects.bulk_create(
            PostReviewScore(review=review, standard=standard, stars=n)
            for standard, n in items.items()
        )
        detail = "；".join(f"{s.name}：{n}★" for s, n in items.items())
        record(by=by, action=_("先锋岗季度评星"), obj=review, detail=detail)
        return review
    before = {score.standard_id: score for score in review.scores.select_related("standard")}
    changes: list[tuple[str, object, object]] = [
        (_("星级"), review.stars, stars),
        (_("评语"), review.note, note),
    ]
    every = {*items, *(score.standard for score in before.values())}
    for standard in sorted(every, key=lambda s: (s.order, s.pk)):
        old = before.get(standard.pk)
        changes.append((standard.name, old.stars if old else None, items.get(standard)))
    detail = describe_changes(changes)
    if not detail:
        return review
    review.stars, review.note = stars, note
    review.reviewed_on, review.reviewed_by = timezone.localdate(), by
    review.save()
    review.scores.exclude(standard__in=list(items)).delete()
    for standard, n in items.items():
        PostReviewScore.objects.update_or_create(
            review=review, standard=standard, defaults={"stars": n}
        )
    audit.record(by=by, action=_("修改先锋岗季度评星"), obj=review, detail=detail)
    return review


# --- Deeds ----------------------------------------------------------------------------------


def _check_tags(tags: Iterable[str]) -> list[str]:
    tags = list(dict.fromkeys(tags))
    if any(tag not in Deed.Tag.values for tag in tags):
        raise ValidationError({"tags": _("请从列出的标签中选择。")}, code="tag")
    return tags


def _deed_content(
    *, campaign: Campaign, happened_on: dt.date, title: str, body: str, not_before: dt.date
) -> dict[str, Any]:
    return {
        "happened_on": past_date(
            happened_on,
            field="happened_on",
            label=_("事迹日期"),
            not_before=max(campaign.starts_on, not_before),
        ),
        "title": text(title, field="title", label=_("标题"), max_length=100),
        "body": text(body, field="body", label=_("事迹经过")),
    }


def _check_photo_count(deed_photos: int, adding: int) -> None:
    if deed_photos + adding > Deed.MAX_PHOTOS:
        raise ValidationError(
            {"photos": _("一条事迹最多 %(max)d 张照片。") % {"max": Deed.MAX_PHOTOS}},
            code="too_many_photos",
        )


@transaction.atomic
def deed_create(
    *,
    campaign: Campaign,
    member: User,
    post: VanguardPost | None,
    happened_on: dt.date,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    photos: Sequence[UploadedFile] = (),
    by: User,
) -> Deed:
    """A member records his or her own deed on a post he or she holds now (待确认); the
    secretary records any member's deed, on a post or not (已确认 at once). `photos` come from
    config.uploads.ImageUploadField (checked, re-encoded)."""
    check_campaign_running(campaign, by=by)
    if post is not None and post.branch_id != campaign.branch_id:
        raise ValidationError({"post": _("请选择本支部的先锋岗。")}, code="post")
    secretary = manages_fortress(by, campaign.branch_id)
    if not secretary and member.pk != by.pk:
        raise forbid(_("党员只能记录自己的先锋事迹。"))
    if not may_record_deed(by, branch_id=campaign.branch_id, post=post):
        raise forbid(_("只能为自己目前所在的先锋岗记录事迹。"))
    if member.branch_id != campaign.branch_id or not member.has_role(Role.MEMBER):
        raise ValidationError({"member": _("只能记录本支部党员的事迹。")}, code="member")
    holding_start = campaign.starts_on
    if post is not None and not secretary:
        holding = PostHolder.objects.current().filter(post=post, member=member).first()
        holding_start = holding.starts_on if holding else holding_start
    content = _deed_content(
        campaign=campaign,
        happened_on=happened_on,
        title=title,
        body=body,
        not_before=holding_start,
    )
    tags = _check_tags(tags)
    _check_photo_count(0, len(photos))
    deed = Deed.objects.create(
        campaign=campaign,
        post=post,
        member=member,
        status=D.CONFIRMED if secretary else D.SUBMITTED,
        recorded_by=by,
        confirmed_by=by if secretary else None,
        **content,
    )
    DeedTag.objects.bulk_create(DeedTag(deed=deed, tag=tag) for tag in tags)
    for photo in photos:
        DeedPhoto.objects.create(deed=deed, photo=photo)
    record(by=by, action=_("记录先锋事迹"), obj=deed)
    return deed


def deed_actions(*, deed: Deed, by: User) -> frozenset[str]:
    """What `by` may do with the deed now: "edit", "confirm", "return", "publicize",
    "unpublicize" (the buttons a page shows). Needs deed.campaign."""
    actions: set[str] = set()
    if may_edit_deed(by, deed):
        actions.add("edit")
    if manages_fortress(by, deed.campaign.branch_id):
        targets = DEED_TRANSITIONS[deed.status]
        actions |= {
            a for t, a in ((D.CONFIRMED, "confirm"), (D.RETURNED, "return")) if t in targets
        }
        if deed.status == D.CONFIRMED:
            actions.add("unpublicize" if deed.publicized else "publicize")
    return frozenset(actions)


def _move_deed(deed: Deed, target: str) -> None:
    check_transition(
        current=deed.status,
        target=target,
        transitions=DEED_TRANSITIONS,
        labels=dict(D.choices),
        what=_("这条事迹"),
    )
    deed.status = target


@transaction.atomic
def deed_update(
    *,
    deed: Deed,
    happened_on: dt.date,
    title: str,
    body: str,
    tags: Iterable[str],
    by: User,
) -> Deed:
    """The author corrects a deed until it is confirmed (a returned deed goes back to 待确认);
    the secretary corrects any deed. The audit entry keeps old → new."""
    lock(deed)
    if not may_edit_deed(by, deed):
        raise forbid(_("只有记录人本人（确认之前）或支部书记可以修改这条事迹。"))
    campaign = deed.campaign
    not_before = campaign.starts_on
    if deed.post_id and not manages_fortress(by, campaign.branch_id):
        holding = PostHolder.objects.filter(post_id=deed.post_id, member_id=deed.member_id).first()
        not_before = holding.starts_on if holding else not_before
    content = _deed_content(
        campaign=campaign,
        happened_on=happened_on,
        title=title,
        body=body,
        not_before=not_before,
    )
    tags = _check_tags(tags)
    old_tags = list(deed.tags.values_list("tag", flat=True))
    labels = dict(Deed.Tag.choices)
    in_order = list(Deed.Tag.values)
    changes = [
        (_("事迹日期"), deed.happened_on, content["happened_on"]),
        (_("标题"), deed.title, content["title"]),
        (_("事迹经过"), deed.body, content["body"]),
        (
            _("标签"),
            "、".join(str(labels[t]) for t in in_order if t in old_tags),
            "、".join(str(labels[t]) for t in in_order if t in tags),
        ),
    ]
    resubmit = deed.status == D.RETURNED
    detail = describe_changes(changes)
    if not detail and not resubmit:
        return deed
    for name, value in content.items():
        setattr(deed, name, value)
    if resubmit:
        _move_deed(deed, D.SUBMITTED)
        deed.return_reason = ""
    deed.save()
    deed.tags.exclude(tag__in=tags).delete()
    DeedTag.objects.bulk_create(DeedTag(deed=deed, tag=tag) for tag in tags if tag not in old_tags)
    if detail:
        record(by=by, action=_("修改先锋事迹"), obj=deed, detail=detail)
    return deed


@transaction.atomic
def deed_confirm(*, deed: Deed, by: User) -> Deed:
    """The secretary confirms a member's deed (待确认 → 已确认)."""
    lock(deed)
    _check_manager(deed.campaign.branch_id, by, _("只有支部书记可以确认先锋事迹。"))
    _move_deed(deed, D.CONFIRMED)
    deed.confirmed_by = by
    deed.save(update_fields=["status", "confirmed_by", "updated_at"])
    record(by=by, action=_("确认先锋事迹"), obj=deed)
    return deed


@transaction.atomic
def deed_return(*, deed: Deed, reason: str, by: User) -> Deed:
    """Back to its author with the reason (待确认 → 已退回); the author corrects and resubmits."""
    lock(deed)
    _check_manager(deed.campaign.branch_id, by, _("只有支部书记可以退回先锋事迹。"))
    reason = text(reason, field="reason", label=_("退回原因"), max_length=REASON_MAX)
    _move_deed(deed, D.RETURNED)
    deed.return_reason = reason
    deed.save(update_fields=["status", "return_reason", "updated_at"])
    record(by=by, action=_("退回先锋事迹"), obj=deed, detail=reason)
    return deed


@transaction.atomic
def deed_publicize(*, deed: Deed, publicized: bool, by: User) -> Deed:
    """The secretary marks a confirmed deed 宣传 (staff read it), or takes the mark off."""
    lock(deed)
    _check_manager(deed.campaign.branch_id, by, _("只有支部书记可以设置宣传。"))
    if deed.status != D.CONFIRMED:
        raise ValidationError(
            _("这条事迹是“%(status)s”状态，确认后才能宣传。")
            % {"status": deed.get_status_display()},
            code="not_confirmed",
        )
    if deed.publicized == publicized:
        return deed
    deed.publicized = publicized
    deed.save(update_fields=["publicized", "updated_at"])
    record(by=by, action=_("宣传先锋事迹") if publicized else _("取消宣传先锋事迹"), obj=deed)
    return deed


@transaction.atomic
def deed_photo_add(*, deed: Deed, photo: UploadedFile, caption: str = "", by: User) -> DeedPhoto:
    """A photo checked by config.uploads (the form's ImageUploadField) added to a deed."""
    lock(deed)
    if not may_edit_deed(by, deed):
        raise forbid(_("只有记录人本人（确认之前）或支部书记可以添加照片。"))
    _check_photo_count(deed.photos.count(), 1)
    caption = text(caption, field="caption", label=_("照片说明"), max_length=100, required=False)
    entry = DeedPhoto.objects.create(deed=deed, photo=photo, caption=caption)
    record(by=by, action=_("添加事迹照片"), obj=deed)
    return entry


@transaction.atomic
def deed_photo_remove(*, photo: DeedPhoto, by: User) -> None:
    """The file is deleted once the removal is saved."""
    deed = photo.deed
    lock(deed)
    if not may_edit_deed(by, deed):
        raise forbid(_("只有记录人本人（确认之前）或支部书记可以删除照片。"))
    name, storage = photo.photo.name, photo.photo.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
    record(by=by, action=_("删除事迹照片"), obj=deed)


# --- 增收节支 ---------------------------------------------------------------------------------


def check_amount(value: object) -> Decimal:
    """An amount in yuan: a Decimal (or its text), > 0, at most MAX_AMOUNT, to the cent. A float
    is refused: it cannot hold cents exactly. Forms call it too."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int | str) and not isinstance(value, bool):
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            amount = Decimal("NaN")
    else:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise ValidationError({"amount": _("请填写金额（元），例如 1250.50。")}, code="invalid")
    if amount <= 0:
        raise ValidationError({"amount": _("金额须大于 0。")}, code="not_positive")
    if amount > MAX_AMOUNT:
        raise ValidationError(
            {"amount": _("单笔金额不能超过 %(max)s 元，请核对。") % {"max": f"{MAX_AMOUNT:,}"}},
            code="too_large",
        )
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": _("金额最多保留两位小数（精确到分）。")}, code="cents")
    return amount.quantize(CENT)


def _saving_fields(*, campaign: Campaign, data: Mapping[str, Any]) -> dict[str, Any]:
    post: VanguardPost | None = data.get("post")
    department: Department | None = data.get("department")
    if post is None and department is None:
        raise ValidationError(
            {"post": _("请选择先锋岗或部门（至少一项）。")}, code="post_or_department"
        )
    if post is not None:
        if post.branch_id != campaign.branch_id:
            raise ValidationError({"post": _("请选择本支部的先锋岗。")}, code="post")
        if department is None:
            department = post.department
        elif department.pk != post.department_id:
            raise ValidationError(
                {"department": _("所选部门与先锋岗所在部门不一致。")}, code="department_mismatch"
            )
    if department.branch_id != campaign.branch_id:
        raise ValidationError({"department": _("请选择本支部的部门。")}, code="department")
    kind = data.get("kind")
    if kind not in SavingRecord.Kind.values:
        raise ValidationError({"kind": _("请选择增收或节支。")}, code="kind")
    verified_by: User | None = data.get("verified_by")
    if verified_by is None or verified_by.branch_id != campaign.branch_id:
        raise ValidationError({"verified_by": _("请选择本支部的核实人。")}, code="verified_by")
    return {
        "post": post,
        "department": department,
        "kind": kind,
        "happened_on": past_date(
            data.get("happened_on"),
            field="happened_on",
            label=_("日期"),
            not_before=campaign.starts_on,
        ),
        "item": text(data.get("item"), field="item", label=_("项目"), max_length=100),
        "amount": check_amount(data.get("amount")),
        "basis": text(data.get("basis"), field="basis", label=_("测算依据")),
        "verified_by": verified_by,
    }


@transaction.atomic
def saving_create(*, campaign: Campaign, data: Mapping[str, Any], by: User) -> SavingRecord:
    """One 增收节支 record: post and/or department (a post's record carries its department),
    date, 增收/节支, item, amount (Decimal yuan), how it was computed, who verified it."""
    check_campaign_running(campaign, by=by)
    _check_manager(campaign.branch_id, by, _("只有支部书记可以登记增收节支。"))
    fields = _saving_fields(campaign=campaign, data=data)
    entry = SavingRecord.objects.create(campaign=campaign, recorded_by=by, **fields)
    record(by=by, action=_("登记增收节支"), obj=entry)
    return entry


@transaction.atomic
def saving_update(*, entry: SavingRecord, data: Mapping[str, Any], by: User) -> SavingRecord:
    """A correction, with old → new in the audit trail; a voided record stays as it is."""
    lock(entry)
    _check_manager(entry.campaign.branch_id, by, _("只有支部书记可以修改增收节支记录。"))
    check_not_voided(entry, what=_("这条增收节支记录"))
    fields = _saving_fields(campaign=entry.campaign, data=data)
    labels = {
        "post": _("先锋岗"),
        "department": _("部门"),
        "kind": _("类别"),
        "happened_on": _("日期"),
        "item": _("项目"),
        "amount": _("金额（元）"),
        "basis": _("测算依据"),
        "verified_by": _("核实人"),
    }
    kinds = dict(SavingRecord.Kind.choices)
    shown = {"kind": lambda v: kinds[v]}
    detail = describe_changes(
        (
            labels[name],
            shown.get(name, lambda v: v)(getattr(entry, name)),
            shown.get(name, lambda v: v)(value),
        )
        for name, value in fields.items()
    )
    if not detail:
        return entry
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    audit.record(by=by, action=_("修改增收节支记录"), obj=entry, detail=detail)
    return entry


@transaction.atomic
def saving_void(*, entry: SavingRecord, reason: str, by: User) -> SavingRecord:
    """作废: the record stays listed, struck through with its reason, and no total counts it."""
    lock(entry)
    _check_manager(entry.campaign.branch_id, by, _("只有支部书记可以作废增收节支记录。"))
    check_not_voided(entry, what=_("这条增收节支记录"))
    reason = mark_voided(entry, reason=reason, by=by)
    audit.record(
        by=by,
        action=_("作废增收节支记录"),
        obj=entry,
        detail=_("作废原因：%(reason)s") % {"reason": reason},
    )
    return entry


__all__ = [
    "DEED_TRANSITIONS",
    "PLAQUE_TRANSITIONS",
    "check_amount",
    "deed_actions",
    "deed_confirm",
    "deed_create",
    "deed_photo_add",
    "deed_photo_remove",
    "deed_publicize",
    "deed_return",
    "deed_update",
    "plaque_actions",
    "post_assign",
    "post_create",
    "post_hang_plaque",
    "post_release",
    "post_remove_plaque",
    "post_review_save",
    "post_update",
    "saving_create",
    "saving_update",
    "saving_void",
]
