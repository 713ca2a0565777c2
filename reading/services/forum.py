"""Phase 3, the 读书论坛: posts, revisions, comments, likes, 精华 and hiding."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import audit
from members.models import User

from ..models import (
    Comment,
    Feature,
    Like,
    ReadingActivity,
    Reflection,
    Revision,
    Selection,
)
from ._common import require_activity_branch, require_participant, require_phase

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
    by: User,
    selection: Selection,
    title: str,
    body: str,
    excerpt: str = "",
    excerpt_page: int | None = None,
) -> Reflection:
    require_participant(activity=activity, user=by)
    require_phase(activity=activity, action="post")
    if selection.activity_id != activity.pk:
        raise ValidationError({"selection": _("请选择本次活动选定的书目。")})
    _clean_reflection(title, body, excerpt, excerpt_page)
    return Reflection.objects.create(
        activity=activity,
        author=by,
        selection=selection,
        title=title.strip(),
        body=body,
        excerpt=excerpt,
        excerpt_page=excerpt_page,
    )


def require_editable(*, reflection: Reflection) -> None:
    """A hidden post stays as the secretary decided: its author may not edit it until restored."""
    if reflection.hidden:
        raise ValidationError(
            _("这篇读后感已被支部书记隐藏，隐藏期间不能修改。隐藏原因：%(reason)s。")
            % {"reason": reflection.hidden_reason}
        )


def _lock(reflection: Reflection) -> None:
    """Lock the post's row and take its moderation state as it is now, not as the caller read it."""
    now = (
        Reflection.objects.select_for_update().only("hidden", "hidden_reason").get(pk=reflection.pk)
    )
    reflection.hidden, reflection.hidden_reason = now.hidden, now.hidden_reason


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
    """The author edits; the text before the edit is kept as a Revision.

    Refused while the post is hidden. A 精华 goes back to review: the 推荐理由 was written for the
    old text, so the feature leaves the showcase and the 宣传 page until the secretary confirms it.
    """
    if reflection.author_id != by.pk:
        raise ValidationError(_("只能修改自己的读后感。"))
    _lock(reflection)
    require_editable(reflection=reflection)
    if selection.activity_id != reflection.activity_id:
        raise ValidationError({"selection": _("请选择本次活动选定的书目。")})
    _clean_reflection(title, body, excerpt, excerpt_page)
    new = {
        "selection_id": selection.pk,
        "title": title.strip(),
        "body": body,
        "excerpt": excerpt,
        "excerpt_page": excerpt_page,
    }
    if all(getattr(reflection, k) == v for k, v in new.items()):
        return reflection
    Revision.objects.create(
        reflection=reflection,
        title=reflection.title,
        body=reflection.body,
        excerpt=reflection.excerpt,
        excerpt_page=reflection.excerpt_page,
        edited_by=by,
    )
    for key, value in new.items():
        setattr(reflection, key, value)
    reflection.save()
    feature = Feature.objects.select_for_update(of=("self",)).filter(reflection=reflection).first()
    if feature is not None and feature.status == Feature.Status.PUBLISHED:
        feature.status = Feature.Status.REVIEW
        feature.save(update_fields=["status", "updated_at"])
        audit.record(
            by=by,
            action=_("精华待复核"),
            obj=reflection,
            detail=f"作者修改了精华读后感，暂停展示，待支部书记重新确认。推荐理由：{feature.reason}",
        )
    return reflection


@transaction.atomic
def comment_create(*, reflection: Reflection, by: User, body: str) -> Comment:
    require_activity_branch(activity=reflection.activity, by=by)
    if reflection.hidden:
        raise ValidationError(_("这篇读后感已被隐藏，不能评论。"))
    if not (body or "").strip():
        raise ValidationError({"body": _("请填写评论内容。")})
    return Comment.objects.create(reflection=reflection, author=by, body=body)


@transaction.atomic
def like_toggle(*, reflection: Reflection, by: User) -> bool:
    """Like, or take the like back. Returns whether the person now likes the post."""
    require_activity_branch(activity=reflection.activity, by=by)
    if reflection.hidden:
        raise ValidationError(_("这篇读后感已被隐藏。"))
    deleted, _rows = Like.objects.filter(reflection=reflection, person=by).delete()
    if deleted:
        return False
    Like.objects.get_or_create(reflection=reflection, person=by)
    return True


@transaction.atomic
def reflection_feature(*, reflection: Reflection, reason: str, by: User) -> Feature:
    """Feature a post, change the reason, or confirm a feature the author's edit sent to review."""
    require_activity_branch(activity=reflection.activity, by=by)
    _lock(reflection)
    if reflection.hidden:
        raise ValidationError(_("已隐藏的读后感不能设为精华。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写推荐理由。")})
    feature = Feature.objects.select_for_update(of=("self",)).filter(reflection=reflection).first()
    if feature is None:
        action = _("设为精华")
        feature = Feature(reflection=reflection)
    elif feature.status == Feature.Status.REVIEW:
        action = _("确认精华")
    else:
        action = _("修改推荐理由")
    feature.reason, feature.featured_by, feature.status = reason, by, Feature.Status.PUBLISHED
    feature.save()
    audit.record(by=by, action=action, obj=reflection, detail=reason)
    return feature


@transaction.atomic
def reflection_unfeature(*, reflection: Reflection, by: User) -> None:
    require_activity_branch(activity=reflection.activity, by=by)
    deleted, _rows = Feature.objects.filter(reflection=reflection).delete()
    if not deleted:
        raise ValidationError(_("这篇读后感不是精华。"))
    audit.record(by=by, action=_("取消精华"), obj=reflection)


def _hide(obj: Reflection | Comment, reason: str, by: User) -> None:
    if obj.hidden:
        raise ValidationError(_("已经隐藏了。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写隐藏原因，作者会看到。")})
    obj.hidden, obj.hidden_reason, obj.hidden_at, obj.hidden_by = (
        True,
        reason.strip(),
        timezone.now(),
        by,
    )
    obj.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by", "updated_at"])


def _seal_revisions(reflection: Reflection) -> None:
    """What a post said before it was hidden stays with the secretary, also after a restore."""
    Revision.objects.filter(reflection=reflection, sealed=False).update(sealed=True)


def _restore(obj: Reflection | Comment) -> None:
    if not obj.hidden:
        raise ValidationError(_("没有被隐藏。"))
    obj.hidden, obj.hidden_reason, obj.hidden_at, obj.hidden_by = False, "", None, None
    obj.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by", "updated_at"])


@transaction.atomic
def reflection_hide(*, reflection: Reflection, reason: str, by: User) -> Reflection:
    """Soft delete: the text stays, only its author and the secretary see it, with the reason.
    Its revisions are sealed (secretary only) and a 精华 is taken back."""
    require_activity_branch(activity=reflection.activity, by=by)
    _lock(reflection)
    _hide(reflection, reason, by)
    _seal_revisions(reflection)
    Feature.objects.filter(reflection=reflection).delete()
    audit.record(by=by, action=_("隐藏读后感"), obj=reflection, detail=reason)
    return reflection


@transaction.atomic
def reflection_restore(*, reflection: Reflection, by: User) -> Reflection:
    require_activity_branch(activity=reflection.activity, by=by)
    _lock(reflection)
    _restore(reflection)
    _seal_revisions(reflection)  # none are made while hidden; this holds even if one was
    audit.record(by=by, action=_("恢复读后感"), obj=reflection)
    return reflection


@transaction.atomic
def comment_hide(*, comment: Comment, reason: str, by: User) -> Comment:
    require_activity_branch(activity=comment.reflection.activity, by=by)
    _hide(comment, reason, by)
    audit.record(by=by, action=_("隐藏评论"), obj=comment, detail=reason)
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, by: User) -> Comment:
    require_activity_branch(activity=comment.reflection.activity, by=by)
    _restore(comment)
    audit.record(by=by, action=_("恢复评论"), obj=comment)
    return comment
