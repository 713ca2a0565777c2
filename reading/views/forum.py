"""Phase 3: the 读书论坛 — posts, revisions, comments, likes, 精华, hiding, showcase and 宣传."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.idempotency import idempotent

from .. import selectors, services
from ..forms import CommentForm, FeatureForm, ForumSearchForm, ReasonForm, ReflectionForm
from ..models import Feature, Like
from ..text import plain_excerpt
from .common import (
    _get_activity_for_user,
    _get_comment_for_user,
    _get_own_reflection,
    _get_reflection_for_user,
    can_comment,
    can_manage,
    can_participate,
    can_see_summary,
    can_view,
    form_error,
    paginate,
    refuse,
)


@can_view
@require_GET
def reflection_list(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    search = ForumSearchForm(request.GET or None, activity=activity)
    filters = search.cleaned_data if search.is_valid() else {}
    posts = selectors.forum(
        activity,
        request.user,
        q=(filters.get("q") or "").strip(),
        selection=filters.get("book"),
        featured=bool(filters.get("featured")),
    )
    return render(
        request,
        "reading/reflection_list.html",
        {
            "activity": activity,
            "search": search,
            "page": paginate(request, posts),
            "can_post": services.is_participant(activity, request.user)
            and activity.phase == activity.Phase.DISCUSS,
        },
    )


@can_participate
@idempotent
def reflection_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    if activity.phase != activity.Phase.DISCUSS:
        try:
            services.require_phase(activity, "post")
        except ValidationError as exc:
            refuse(request, exc)
        return redirect("reading:reflection_list", activity.pk)
    form = ReflectionForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_create(
                activity=activity, author=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("读后感已发表。"))
            return redirect(reflection)
    return render(request, "reading/reflection_form.html", {"form": form, "activity": activity})


@can_view
@require_GET
@idempotent  # issues the token of the comment form
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_reflection_for_user(request, pk)
    user = request.user
    context = {
        "activity": reflection.activity,
        "reflection": reflection,
        "feature": Feature.objects.visible_to(user).filter(reflection=reflection).first(),
        "comments": selectors.reflection_comments(reflection, user),
        "like_count": Like.objects.filter(reflection=reflection).count(),
        "liked": Like.objects.filter(reflection=reflection, person=user).exists(),
        "revision_count": selectors.reflection_revisions(reflection, user).count(),
        "comment_form": CommentForm(),
    }
    return render(request, "reading/reflection_detail.html", context)


@can_participate
def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_own_reflection(request, pk)
    try:
        services.require_editable(reflection)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(reflection)
    feature = Feature.objects.visible_to(request.user).filter(reflection=reflection).first()
    form = ReflectionForm(request.POST or None, instance=reflection, activity=reflection.activity)
    if request.method == "POST" and form.is_valid():
        reflection.refresh_from_db()  # the form wrote into the instance; the service compares
        try:
            services.reflection_update(reflection=reflection, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存修改，修改前的版本保留在修改记录中。"))
            if feature:
                feature.refresh_from_db()
                if feature.in_review:
                    messages.info(
                        request, _("这篇是精华读后感：精华推荐暂停展示，待支部书记重新确认。")
                    )
            return redirect(reflection)
    return render(
        request,
        "reading/reflection_form.html",
        {
            "form": form,
            "activity": reflection.activity,
            "reflection": reflection,
            "feature": feature,
        },
    )


@can_view
@require_GET
def reflection_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_reflection_for_user(request, pk)
    revisions = selectors.reflection_revisions(reflection, request.user).select_related("edited_by")
    return render(
        request,
        "reading/reflection_revisions.html",
        {"activity": reflection.activity, "reflection": reflection, "revisions": revisions},
    )


@can_comment
@require_POST
@idempotent
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_reflection_for_user(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写评论内容（不超过2000字）。"))
        return redirect(reflection)
    try:
        comment = services.comment_create(
            reflection=reflection, author=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(reflection)
    messages.success(request, _("评论已发表。"))
    return redirect(comment)


@can_comment
@require_POST
def like(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_reflection_for_user(request, pk)
    try:
        liked = services.like_toggle(reflection=reflection, person=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已点赞。") if liked else _("已取消点赞。"))
    return redirect(reflection)


@can_manage
def feature(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_reflection_for_user(request, pk)
    current = Feature.objects.visible_to(request.user).filter(reflection=reflection).first()
    if request.method == "POST" and request.POST.get("remove"):
        try:
            services.reflection_unfeature(reflection=reflection, by=request.user)
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, _("已取消精华。"))
        return redirect(reflection)
    form = FeatureForm(request.POST or None, initial={"reason": current.reason if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_feature(
                reflection=reflection, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已设为精华，展示在精华推荐页和宣传稿中。"))
            return redirect(reflection)
    return render(
        request,
        "reading/feature_form.html",
        {
            "form": form,
            "reflection": reflection,
            "activity": reflection.activity,
            "current": current,
        },
    )


def _moderate(request: HttpRequest, obj, *, hide, restore, back, what: str) -> HttpResponse:  # noqa: ANN001
    """Hide with a reason (GET shows the form), or restore with `restore=1`."""
    if request.method == "POST" and request.POST.get("restore"):
        try:
            restore()
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, _("已恢复显示。"))
        return redirect(back)
    form = ReasonForm(request.POST or None, label=_("隐藏原因（作者会看到）"))
    if request.method == "POST" and form.is_valid():
        try:
            hide(form.cleaned_data["reason"])
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已隐藏；作者会看到隐藏原因。"))
            return redirect(back)
    return render(
        request,
        "reading/hide_form.html",
        {
            "form": form,
            "obj": obj,
            "what": what,
            "back": back,
            "activity": getattr(obj, "activity", None) or obj.reflection.activity,
        },
    )


@can_manage
def reflection_hide(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = _get_reflection_for_user(request, pk)
    by = request.user
    return _moderate(
        request,
        reflection,
        back=reflection.get_absolute_url(),
        what=_("读后感"),
        hide=lambda reason: services.reflection_hide(reflection=reflection, reason=reason, by=by),
        restore=lambda: services.reflection_restore(reflection=reflection, by=by),
    )


@can_manage
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _get_comment_for_user(request, pk)
    by = request.user
    return _moderate(
        request,
        comment,
        back=comment.get_absolute_url(),
        what=_("评论"),
        hide=lambda reason: services.comment_hide(comment=comment, reason=reason, by=by),
        restore=lambda: services.comment_restore(comment=comment, by=by),
    )


@can_see_summary
@require_GET
def comment_list(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    page = paginate(request, selectors.activity_comments(activity, request.user))
    return render(request, "reading/comment_list.html", {"activity": activity, "page": page})


@can_view
@require_GET
def showcase(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    page = paginate(request, selectors.showcase(activity, request.user))
    in_review = []
    if request.user.has_perm("reading.manage_reading"):
        in_review = selectors.features_in_review(activity, request.user)
    return render(
        request,
        "reading/showcase.html",
        {"activity": activity, "page": page, "in_review": in_review},
    )


@can_view
@require_GET
def publicity(request: HttpRequest, pk: int) -> HttpResponse:
    """宣传: a plain-text block to paste into the branch's chat group, and a printable page."""
    activity = _get_activity_for_user(request, pk)
    posts = list(selectors.showcase(activity, request.user))
    lines = [f"【读书论坛·精华推荐】{activity.title}", ""]
    selections = list(activity.selections.all())
    if selections:
        lines.append("本次共读：" + "、".join(str(s) for s in selections))
        lines.append("")
    for n, post in enumerate(posts, 1):
        lines += [
            f"{n}. “{post.title}”——{post.author.full_name}"
            f"（{post.author.department or ''}，读{post.selection}）",
            f"推荐理由：{post.feature.reason.strip()}",
            f"内容摘要：{plain_excerpt(post.body, 150)}",
        ]
        if post.excerpt:
            page = f"（第{post.excerpt_page}页）" if post.excerpt_page else ""
            lines.append(f"摘抄：{plain_excerpt(post.excerpt, 80)}{page}")
        lines.append("")
    if not posts:
        lines.append("暂无精华读后感。")
    return render(
        request,
        "reading/publicity.html",
        {"activity": activity, "posts": posts, "text": "\n".join(lines).strip()},
    )
