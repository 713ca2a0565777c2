"""The activity and phase 1: recommendations, seconds (附议) and the selection."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_dates_in_range
from members import audit
from members.models import Branch, User

from ..models import (
    Endorsement,
    ReadingActivity,
    Recommendation,
    Selection,
)
from ..text import clean_isbn, isbn_is_valid
from ._common import (
    MAX_ENDORSEMENTS,
    MIN_REASON_LENGTH,
    require_activity_branch,
    require_participant,
    require_phase,
)

# --- Activity -----------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "description",
    "recommend_start",
    "recommend_end",
    "read_start",
    "read_end",
    "discuss_start",
    "discuss_end",
    "books_to_pick",
    "budget",
)


def check_phase_dates(*, data: dict[str, Any]) -> None:
    """Every phase date within config.dates' range, and the phases in order."""
    check_dates_in_range(dates={k: v for k, v in data.items() if k.endswith(("_start", "_end"))})
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
    check_phase_dates(data=data)
    activity = ReadingActivity.objects.create(
        branch=branch, created_by=by, **{k: data[k] for k in ACTIVITY_FIELDS if k in data}
    )
    audit.record(by=by, action=_("创建读书活动"), obj=activity)
    return activity


@transaction.atomic
def activity_update(
    *, activity: ReadingActivity, by: User, data: dict[str, Any]
) -> ReadingActivity:
    require_activity_branch(activity=activity, by=by)
    check_phase_dates(data=data)
    if (
        activity.is_selected
        and data.get("books_to_pick", activity.books_to_pick) != activity.books_to_pick
    ):
        raise ValidationError({"books_to_pick": _("书目已经选定，不能再修改选定书目数。")})
    for key in ACTIVITY_FIELDS:
        if key in data:
            setattr(activity, key, data[key])
    activity.save()
    activity.__dict__.pop("phase", None)
    audit.record(by=by, action=_("修改读书活动"), obj=activity)
    return activity


# --- Phase 1: recommend, second, select ----------------------------------------------------------


def isbn_check(isbn: str) -> str:
    """The ISBN as it is stored (digits and a final X) or "" for none; refused, at the field,
    unless it has 10 or 13 digits with the right check digit. Hyphens and spaces are fine."""
    digits = clean_isbn(isbn)
    if not digits:
        return ""
    if not re.fullmatch(r"\d+X?", digits):
        raise ValidationError(
            {"isbn": _("ISBN 只能填数字、短横线和空格（10位ISBN的最后一位可以是 X）。")},
            code="isbn_characters",
        )
    if len(digits) not in (10, 13):
        raise ValidationError(
            {
                "isbn": _(
                    "ISBN 应是10位或13位（可带短横线），现在是 %(n)d 位，请核对书背面的 ISBN。"
                )
                % {"n": len(digits)}
            },
            code="isbn_length",
        )
    if not isbn_is_valid(digits):
        raise ValidationError(
            {"isbn": _("ISBN 校验位不正确，请核对书背面的10位或13位ISBN。")}, code="isbn_check"
        )
    return digits


def _clean_recommendation(title: str, author: str, publisher: str, isbn: str, reason: str) -> str:
    errors: dict[str, str] = {}
    for name, value, label in (
        ("title", title, _("书名")),
        ("author", author, _("作者")),
        ("publisher", publisher, _("出版社")),
    ):
        if not (value or "").strip():
            errors[name] = _("请填写%(label)s。") % {"label": label}
    try:
        isbn = isbn_check(isbn)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        errors["reason"] = _("推荐理由至少写 %(n)d 个字。") % {"n": MIN_REASON_LENGTH}
    if errors:
        raise ValidationError(errors)
    return isbn


@transaction.atomic
def recommendation_save(
    *,
    activity: ReadingActivity,
    by: User,
    title: str,
    author: str,
    publisher: str,
    isbn: str = "",
    reason: str,
) -> Recommendation:
    """Create the member's one recommendation, or update it while phase 1 is open."""
    require_participant(activity=activity, user=by)
    require_phase(activity=activity, action="recommend")
    isbn = _clean_recommendation(title, author, publisher, isbn, reason)
    values = {
        "title": title.strip(),
        "author": author.strip(),
        "publisher": publisher.strip(),
        "isbn": isbn,
        "reason": reason,
    }
    try:
        with transaction.atomic():
            recommendation, _created = Recommendation.objects.update_or_create(
                activity=activity, member=by, defaults=values
            )
    except IntegrityError as exc:  # two tabs saving at once
        raise ValidationError(_("您已经推荐过一本书，请修改原推荐。")) from exc
    return recommendation


@transaction.atomic
def endorsement_add(*, recommendation: Recommendation, by: User) -> Endorsement:
    activity = recommendation.activity
    require_participant(activity=activity, user=by)
    require_phase(activity=activity, action="endorse")
    if recommendation.member_id == by.pk:
        raise ValidationError(_("不能附议自己的推荐。"))
    # Lock the member's row so that two quick clicks cannot both pass the limit.
    User.objects.select_for_update(of=("self",)).filter(pk=by.pk).first()
    mine = Endorsement.objects.filter(member=by, recommendation__activity=activity)
    if mine.filter(recommendation=recommendation).exists():
        raise ValidationError(_("您已经附议过这条推荐。"))
    if mine.count() >= MAX_ENDORSEMENTS:
        raise ValidationError(
            _("每人最多附议 %(n)d 条推荐；可先撤回一条再附议。") % {"n": MAX_ENDORSEMENTS}
        )
    return Endorsement.objects.create(recommendation=recommendation, member=by)


@transaction.atomic
def endorsement_remove(*, recommendation: Recommendation, by: User) -> None:
    require_phase(activity=recommendation.activity, action="endorse")
    deleted, _rows = Endorsement.objects.filter(recommendation=recommendation, member=by).delete()
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
    require_activity_branch(activity=activity, by=by)
    activity = ReadingActivity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    if activity.is_selected:
        raise ValidationError(_("本次活动的书目已经选定，不能重复选定。"))
    require_phase(activity=activity, action="select")
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写支委会决定（选书理由与依据）。")})
    if len(recommendations) != activity.books_to_pick:
        raise ValidationError(
            {
                "books": _("本次活动须选定 %(n)d 本书，您选了 %(m)d 本。")
                % {"n": activity.books_to_pick, "m": len(recommendations)}
            }
        )
    if any(r.activity_id != activity.pk for r in recommendations):
        raise ValidationError(_("只能从本次活动的推荐书目中选定。"))
    selections = [
        Selection.objects.create(
            activity=activity,
            recommendation=r,
            title=r.display_title,
            author=r.author,
            publisher=r.publisher,
            isbn=r.isbn,
            order=n,
        )
        for n, r in enumerate(recommendations, 1)
    ]
    activity.decision_note = note
    activity.selected_at = timezone.now()
    activity.selected_by = by
    activity.save(update_fields=["decision_note", "selected_at", "selected_by", "updated_at"])
    audit.record(
        by=by,
        action=_("选定读书书目"),
        obj=activity,
        detail="、".join(str(s) for s in selections) + "\n" + note,
    )
    return selections
