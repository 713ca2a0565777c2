"""Writes of the reading activity. Views and the admin call these; each checks its phase rule first.

Phase rules are one table (PHASE_RULES): an action outside its phases is refused with a message a
member understands. Every action of the secretary is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members import audit
from members.models import Branch, Role, User

from .models import (
    Comment,
    Distribution,
    Endorsement,
    Feature,
    Like,
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Recommendation,
    Reflection,
    Revision,
    Selection,
)
from .text import clean_isbn, isbn_is_valid

Phase = ReadingActivity.Phase
MAX_ENDORSEMENTS = 3
MIN_REASON_LENGTH = 20

# action -> phases in which it is allowed. Everything else is refused by _require_phase.
PHASE_RULES: dict[str, set[str]] = {
    "recommend": {Phase.RECOMMEND},
    "endorse": {Phase.RECOMMEND},
    "select": {Phase.RECOMMEND, Phase.READ},
    "progress": {Phase.READ, Phase.DISCUSS},
    "post": {Phase.DISCUSS},
}

_REFUSALS: dict[str, dict[str, str]] = {
    "recommend": {
        Phase.UPCOMING: "推荐阶段尚未开始，请于 %(start)s 以后再推荐。",
        "*": "推荐阶段已结束（支委会已选定书目或已过截止日期），不能再推荐或修改。",
    },
    "endorse": {
        Phase.UPCOMING: "推荐阶段尚未开始，暂不能附议。",
        "*": "推荐阶段已结束，不能再附议或撤回附议。",
    },
    "select": {
        Phase.UPCOMING: "推荐阶段尚未开始，还不能选定书目。",
        "*": "交流阶段已开始或活动已结束，不能再选定书目。",
    },
    "progress": {
        "*": "现在不是阅读或交流阶段，不能登记阅读进度。",
    },
    "post": {
        Phase.FINISHED: "本次读书活动的交流阶段已结束，不能再发表读后感。",
        "*": "交流阶段尚未开始（%(discuss)s 开始），届时再发表读后感。",
    },
}


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _require_phase(activity: ReadingActivity, action: str) -> None:
    phase = activity.phase_on(timezone.localdate())
    if phase in PHASE_RULES[action]:
        return
    refusals = _REFUSALS[action]
    message = refusals.get(phase, refusals["*"])
    raise ValidationError(
        _(message)
        % {
            "start": _cn_date(activity.recommend_start),
            "discuss": _cn_date(activity.discuss_start),
        }
    )


def is_participant(activity: ReadingActivity, user: User) -> bool:
    """Party members (党员干部) of the activity's branch take part; staff read and comment."""
    return user.is_active and user.branch_id == activity.branch_id and user.has_role(Role.MEMBER)


def _require_participant(activity: ReadingActivity, user: User) -> None:
    if not is_participant(activity, user):
        raise ValidationError(_("只有本支部党员参加推荐、领书、阅读和发表读后感。"))


def _require_same_branch(activity: ReadingActivity, user: User) -> None:
    if user.branch_id != activity.branch_id:
        raise ValidationError(_("不能操作其他支部的读书活动。"))


# --- Activity -----------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title", "description", "recommend_start", "recommend_end", "read_start", "read_end",
    "discuss_start", "discuss_end", "books_to_pick", "budget",
)


def _check_dates(data: dict[str, Any]) -> None:
    order = [
        ("recommend_start", "recommend_end", _("推荐阶段的结束日期不能早于开始日期。")),
        ("recommend_end", "read_start", _("阅读阶段须在推荐阶段结束之后开始。")),
        ("read_start", "read_end", _("阅读阶段的结束日期不能早于开始日期。")),
        ("read_end", "discuss_start", _("交流阶段须在阅读阶段结束之后开始。")),
        ("discuss_start", "discuss_end", _("交流阶段的结束日期不能早于开始日期。")),
    ]
    errors: dict[str, str] = {}
    for first, second, message in order:
        a, b = data.get(first), data.get(second)
        strict = first.endswith("_end")
        if a and b and (b <= a if strict else b < a):
            errors[second] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, branch: Branch, by: User, data: dict[str, Any]) -> ReadingActivity:
    _check_dates(data)
    activity = ReadingActivity.objects.create(
        branch=branch, created_by=by, **{k: data[k] for k in ACTIVITY_FIELDS if k in data}
    )
    audit.record(actor=by, action="创建读书活动", obj=activity)
    return activity


@transaction.atomic
def activity_update(*, activity: ReadingActivity, by: User, data: dict[str, Any]) -> ReadingActivity:
    _require_same_branch(activity, by)
    _check_dates(data)
    if activity.is_selected and data.get("books_to_pick", activity.books_to_pick) != activity.books_to_pick:
        raise ValidationError({"books_to_pick": _("书目已经选定，不能再修改选定书目数。")})
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    activity.save()
    activity.__dict__.pop("phase", None)
    audit.record(actor=by, action="修改读书活动", obj=activity)
    return activity


# --- Phase 1: recommend, second, select ----------------------------------------------------------


def _clean_recommendation(title: str, author: str, publisher: str, isbn: str, reason: str) -> str:
    errors: dict[str, str] = {}
    for name, value, label in (("title", title, "书名"), ("author", author, "作者"),
                               ("publisher", publisher, "出版社")):
        if not (value or "").strip():
            errors[name] = _("请填写%(label)s。") % {"label": label}
    if isbn and not isbn_is_valid(isbn):
        errors["isbn"] = _("ISBN 校验位不正确，请核对书背面的10位或13位ISBN。")
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        errors["reason"] = _("推荐理由至少写 %(n)d 个字。") % {"n": MIN_REASON_LENGTH}
    if errors:
        raise ValidationError(errors)
    return clean_isbn(isbn) if isbn else ""


@transaction.atomic
def recommendation_save(
    *,
    activity: ReadingActivity,
    member: User,
    title: str,
    author: str,
    publisher: str,
    isbn: str = "",
    reason: str,
) -> Recommendation:
    """Create the member's one recommendation, or update it while phase 1 is open."""
    _require_participant(activity, member)
    _require_phase(activity, "recommend")
    isbn = _clean_recommendation(title, author, publisher, isbn, reason)
    values = {"title": title.strip(), "author": author.strip(), "publisher": publisher.strip(),
              "isbn": isbn, "reason": reason}
    try:
        with transaction.atomic():
            recommendation, _created = Recommendation.objects.update_or_create(
                activity=activity, member=member, defaults=values
            )
    except IntegrityError as exc:  # two tabs saving at once
        raise ValidationError(_("您已经推荐过一本书，请修改原推荐。")) from exc
    return recommendation


@transaction.atomic
def endorsement_add(*, recommendation: Recommendation, member: User) -> Endorsement:
    activity = recommendation.activity
    _require_participant(activity, member)
    _require_phase(activity, "endorse")
    if recommendation.member_id == member.pk:
        raise ValidationError(_("不能附议自己的推荐。"))
    # Lock the member's row so that two quick clicks cannot both pass the limit.
    User.objects.select_for_update().filter(pk=member.pk).first()
    mine = Endorsement.objects.filter(member=member, recommendation__activity=activity)
    if mine.filter(recommendation=recommendation).exists():
        raise ValidationError(_("您已经附议过这条推荐。"))
    if mine.count() >= MAX_ENDORSEMENTS:
        raise ValidationError(
            _("每人最多附议 %(n)d 条推荐；可先撤回一条再附议。") % {"n": MAX_ENDORSEMENTS}
        )
    return Endorsement.objects.create(recommendation=recommendation, member=member)


@transaction.atomic
def endorsement_remove(*, recommendation: Recommendation, member: User) -> None:
    _require_phase(recommendation.activity, "endorse")
    deleted, _rows = Endorsement.objects.filter(recommendation=recommendation, member=member).delete()
    if not deleted:
        raise ValidationError(_("您没有附议这条推荐。"))


@transaction.atomic
def activity_select_books(
    *,
    activity: ReadingActivity,
    recommendations: Sequence[Recommendation],
    note: str,
    by: User,
) -> list[Selection]:
    """支委会决定: pick the books; this closes phase 1 and is shown to everyone."""
    _require_same_branch(activity, by)
    activity = ReadingActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_selected:
        raise ValidationError(_("本次活动的书目已经选定，不能重复选定。"))
    _require_phase(activity, "select")
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写支委会决定（选书理由与依据）。")})
    if len(recommendations) != activity.books_to_pick:
        raise ValidationError(
            {"books": _("本次活动须选定 %(n)d 本书，您选了 %(m)d 本。")
             % {"n": activity.books_to_pick, "m": len(recommendations)}}
        )
    if any(r.activity_id != activity.pk for r in recommendations):
        raise ValidationError(_("只能从本次活动的推荐书目中选定。"))
    selections = [
        Selection.objects.create(
            activity=activity, recommendation=r, title=r.title, author=r.author,
            publisher=r.publisher, isbn=r.isbn, order=n,
        )
        for n, r in enumerate(recommendations, 1)
    ]
    activity.decision_note = note
    activity.selected_at = timezone.now()
    activity.selected_by = by
    activity.save(update_fields=["decision_note", "selected_at", "selected_by", "updated_at"])
    audit.record(
        actor=by, action="选定读书书目", obj=activity,
        detail="、".join(str(s) for s in selections) + "\n" + note,
    )
    return selections


# --- Purchase and hand-out ----------------------------------------------------------------------


@transaction.atomic
def purchase_record(
    *,
    selection: Selection,
    quantity: int,
    unit_price: Decimal,
    supplier: str,
    purchased_on: dt.date,
    invoice: UploadedFile | None = None,
    by: User,
) -> Purchase:
    _require_same_branch(selection.activity, by)
    errors: dict[str, str] = {}
    if not quantity or quantity < 1:
        errors["quantity"] = _("数量须大于0。")
    if unit_price is None or unit_price <= 0:
        errors["unit_price"] = _("单价须大于0。")
    if not (supplier or "").strip():
        errors["supplier"] = _("请填写供应商。")
    if errors:
        raise ValidationError(errors)
    purchase = Purchase(
        selection=selection, quantity=quantity, unit_price=unit_price, supplier=supplier.strip(),
        purchased_on=purchased_on, recorded_by=by,
    )
    if invoice:
        purchase.invoice = invoice
    purchase.save()
    audit.record(
        actor=by, action="登记购书", obj=purchase,
        detail=f"{quantity} 册 × {unit_price} 元，{supplier}",
    )
    return purchase


def copies_left(selection: Selection) -> int:
    bought = selection.purchases.aggregate(n=Sum("quantity"))["n"] or 0
    return bought - selection.distributions.count()


@transaction.atomic
def distribution_issue(
    *,
    selection: Selection,
    members: Iterable[User],
    issued_on: dt.date,
    by: User,
) -> list[Distribution]:
    """Hand one copy to each member who has none yet; never more copies than were bought."""
    activity = selection.activity
    _require_same_branch(activity, by)
    Selection.objects.select_for_update().filter(pk=selection.pk).first()
    members = list(members)
    if not members:
        raise ValidationError({"members": _("请至少选择一人。")})
    for person in members:
        if not is_participant(activity, person):
            raise ValidationError({"members": _("%(name)s 不是本支部党员。") % {"name": person}})
    already = set(
        selection.distributions.filter(member__in=members).values_list("member_id", flat=True)
    )
    new = [p for p in members if p.pk not in already]
    if not new:
        raise ValidationError({"members": _("所选人员都已领过这本书。")})
    left = copies_left(selection)
    if len(new) > left:
        raise ValidationError(
            {"members": _("%(book)s 还剩 %(left)d 册，不够发给 %(n)d 人；请先登记采购。")
             % {"book": selection, "left": max(left, 0), "n": len(new)}}
        )
    rows = Distribution.objects.bulk_create(
        [Distribution(selection=selection, member=p, issued_on=issued_on, issued_by=by) for p in new]
    )
    audit.record(
        actor=by, action="发放图书", obj=selection,
        detail=f"{issued_on:%Y-%m-%d} 发给 " + "、".join(p.full_name for p in new),
    )
    return rows


@transaction.atomic
def distribution_confirm(*, distribution: Distribution, member: User) -> Distribution:
    if distribution.member_id != member.pk:
        raise ValidationError(_("只能确认自己领取的书。"))
    if distribution.confirmed_at is not None:
        raise ValidationError(_("您已经确认领取过这本书。"))
    distribution.confirmed_at = timezone.now()
    distribution.save(update_fields=["confirmed_at", "updated_at"])
    return distribution


# --- Phase 2: progress --------------------------------------------------------------------------


@transaction.atomic
def progress_update(
    *,
    selection: Selection,
    member: User,
    status: str,
    percent: int,
    visible_to_members: bool,
) -> ReadingProgress:
    """Update the one progress row of this member and book (created on first use)."""
    activity = selection.activity
    _require_participant(activity, member)
    _require_phase(activity, "progress")
    Status = ReadingProgress.Status
    if status not in Status.values:
        raise ValidationError({"status": _("请选择阅读状态。")})
    if percent is None or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("百分比须在 0 到 100 之间。")})
    if status == Status.NOT_STARTED:
        percent = 0
    elif status == Status.FINISHED:
        percent = 100
    elif percent == 100:
        status = Status.FINISHED
    progress, _created = ReadingProgress.objects.update_or_create(
        selection=selection, member=member,
        defaults={"status": status, "percent": percent, "visible_to_members": visible_to_members},
    )
    return progress


# --- Phase 3: the forum -------------------------------------------------------------------------


def _clean_reflection(title: str, body: str, excerpt: str, excerpt_page: int | None) -> None:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("请填写标题。")
    if not (body or "").strip():
        errors["body"] = _("请填写读后感正文。")
    if excerpt_page is not None and not (excerpt or "").strip():
        errors["excerpt"] = _("填写了页码，请同时填写摘抄的原文。")
    if excerpt_page is not None and excerpt_page < 1:
        errors["excerpt_page"] = _("页码须大于0。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reflection_create(
    *,
    activity: ReadingActivity,
    author: User,
    selection: Selection,
    title: str,
    body: str,
    excerpt: str = "",
    excerpt_page: int | None = None,
) -> Reflection:
    _require_participant(activity, author)
    _require_phase(activity, "post")
    if selection.activity_id != activity.pk:
        raise ValidationError({"selection": _("请选择本次活动选定的书目。")})
    _clean_reflection(title, body, excerpt, excerpt_page)
    return Reflection.objects.create(
        activity=activity, author=author, selection=selection, title=title.strip(), body=body,
        excerpt=excerpt, excerpt_page=excerpt_page,
    )


@transaction.atomic
def reflection_update(
    *,
    reflection: Reflection,
    by: User,
    selection: Selection,
    title: str,
    body: str,
    excerpt: str = "",
    excerpt_page: int | None = None,
) -> Reflection:
    """The author edits; the text before the edit is kept as a Revision."""
    if reflection.author_id != by.pk:
        raise ValidationError(_("只能修改自己的读后感。"))
    if selection.activity_id != reflection.activity_id:
        raise ValidationError({"selection": _("请选择本次活动选定的书目。")})
    _clean_reflection(title, body, excerpt, excerpt_page)
    new = {"selection_id": selection.pk, "title": title.strip(), "body": body, "excerpt": excerpt,
           "excerpt_page": excerpt_page}
    if all(getattr(reflection, k) == v for k, v in new.items()):
        return reflection
    Revision.objects.create(
        reflection=reflection, title=reflection.title, body=reflection.body,
        excerpt=reflection.excerpt, excerpt_page=reflection.excerpt_page, edited_by=by,
    )
    for key, value in new.items():
        setattr(reflection, key, value)
    reflection.save()
    return reflection


@transaction.atomic
def comment_create(*, reflection: Reflection, author: User, body: str) -> Comment:
    _require_same_branch(reflection.activity, author)
    if reflection.hidden:
        raise ValidationError(_("这篇读后感已被隐藏，不能评论。"))
    if not (body or "").strip():
        raise ValidationError({"body": _("请填写评论内容。")})
    return Comment.objects.create(reflection=reflection, author=author, body=body)


@transaction.atomic
def like_toggle(*, reflection: Reflection, person: User) -> bool:
    """Like, or take the like back. Returns whether the person now likes the post."""
    _require_same_branch(reflection.activity, person)
    if reflection.hidden:
        raise ValidationError(_("这篇读后感已被隐藏。"))
    deleted, _rows = Like.objects.filter(reflection=reflection, person=person).delete()
    if deleted:
        return False
    Like.objects.get_or_create(reflection=reflection, person=person)
    return True


@transaction.atomic
def reflection_feature(*, reflection: Reflection, reason: str, by: User) -> Feature:
    _require_same_branch(reflection.activity, by)
    if reflection.hidden:
        raise ValidationError(_("已隐藏的读后感不能设为精华。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写推荐理由。")})
    feature, created = Feature.objects.update_or_create(
        reflection=reflection, defaults={"reason": reason, "featured_by": by}
    )
    audit.record(actor=by, action="设为精华" if created else "修改推荐理由", obj=reflection,
                 detail=reason)
    return feature


@transaction.atomic
def reflection_unfeature(*, reflection: Reflection, by: User) -> None:
    _require_same_branch(reflection.activity, by)
    deleted, _rows = Feature.objects.filter(reflection=reflection).delete()
    if not deleted:
        raise ValidationError(_("这篇读后感不是精华。"))
    audit.record(actor=by, action="取消精华", obj=reflection)


def _hide(obj: Reflection | Comment, reason: str, by: User) -> None:
    if obj.hidden:
        raise ValidationError(_("已经隐藏了。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写隐藏原因，作者会看到。")})
    obj.hidden, obj.hidden_reason, obj.hidden_at, obj.hidden_by = True, reason.strip(), timezone.now(), by
    obj.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by", "updated_at"])


def _restore(obj: Reflection | Comment) -> None:
    if not obj.hidden:
        raise ValidationError(_("没有被隐藏。"))
    obj.hidden, obj.hidden_reason, obj.hidden_at, obj.hidden_by = False, "", None, None
    obj.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by", "updated_at"])


@transaction.atomic
def reflection_hide(*, reflection: Reflection, reason: str, by: User) -> Reflection:
    """Soft delete: the text stays, only its author and the secretary see it, with the reason."""
    _require_same_branch(reflection.activity, by)
    _hide(reflection, reason, by)
    Feature.objects.filter(reflection=reflection).delete()
    audit.record(actor=by, action="隐藏读后感", obj=reflection, detail=reason)
    return reflection


@transaction.atomic
def reflection_restore(*, reflection: Reflection, by: User) -> Reflection:
    _require_same_branch(reflection.activity, by)
    _restore(reflection)
    audit.record(actor=by, action="恢复读后感", obj=reflection)
    return reflection


@transaction.atomic
def comment_hide(*, comment: Comment, reason: str, by: User) -> Comment:
    _require_same_branch(comment.reflection.activity, by)
    _hide(comment, reason, by)
    audit.record(actor=by, action="隐藏评论", obj=comment, detail=reason)
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, by: User) -> Comment:
    _require_same_branch(comment.reflection.activity, by)
    _restore(comment)
    audit.record(actor=by, action="恢复评论", obj=comment)
    return comment
