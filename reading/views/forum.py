"""Phase 3: the 读书论坛 — posts, revisions, comments, likes, 精华, hiding, showcase and 宣传."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.views import form_error, paginate, post_action, refuse

from .. import exports, selectors, services
from ..access import (
    comment_reading_required,
    get_activity_for_user,
    get_comment_for_user,
    get_own_reflection_for_user,
    get_reflection_for_user,
    manage_reading_required,
    participate_reading_required,
    view_reading_required,
    view_reading_summary_required,
)
from ..forms import CommentForm, FeatureForm, ForumSearchForm, ReasonForm, ReflectionForm
from ..models import Comment, Feature, Like, Reflection
from ..publicity import publicity_text
from ..rules import is_participant


@view_reading_required
@require_GET
@cached_page(per="person")
def reflection_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    search = ForumSearchForm(request.GET or None, activity=activity)
    filters = search.cleaned_data if search.is_valid() else {}
    q = (filters.get("q") or "").strip()
    posts = selectors.forum(
        activity=activity,
        viewer=request.user,
        q=q,
        selection=filters.get("book"),
        featured=bool(filters.get("featured")),
    )
    if wants_export(request):
        return exports.reflection_ledger(
            request, activity=activity, posts=posts, filters=exports.forum_filters(search)
        )
    return render(
        request,
        "reading/reflection_list.html",
        {
            "activity": activity,
            "search": search,
            "page": selectors.forum_page(
                paginate(request, selectors.forum_ids(posts, searched=bool(q))),
                viewer=request.user,
            ),
            "can_post": is_participant(activity, request.user)
            and activity.phase == activity.Phase.DISCUSS,
        },
    )


@participate_reading_required
@idempotent
def reflection_create(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    if activity.phase != activity.Phase.DISCUSS:
        try:
            services.require_phase(activity=activity, action="post")
        except ValidationError as exc:
            refuse(request, exc)
        return redirect("reading:reflection_list", activity.pk)
    form = ReflectionForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_create(
                activity=activity, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("读后感已发表。"))
            return redirect(reflection)
    return render(request, "reading/reflection_form.html", {"form": form, "activity": activity})


@view_reading_required
@require_GET
@idempotent  # issues the token of the comment form
@cached_page(per="person")
def reflection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request, pk)
    user = request.user
    context = {
        "activity": reflection.activity,
        "reflection": reflection,
        "feature": Feature.objects.filter(reflection=reflection).shown_to(user).first(),
        "comments": selectors.reflection_comments(reflection=reflection, viewer=user),
        "like_count": Like.objects.filter(reflection=reflection).count(),
        "liked": Like.objects.filter(reflection=reflection, person=user).exists(),
        "revision_count": selectors.reflection_revisions(
            reflection=reflection, viewer=user
        ).count(),
        "comment_form": CommentForm(),
    }
    return render(request, "reading/reflection_detail.html", context)


@participate_reading_required
def reflection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_own_reflection_for_user(request, pk)
    try:
        services.require_editable(reflection=reflection)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(reflection)
    feature = Feature.objects.filter(reflection=reflection).shown_to(request.user).first()
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


@view_reading_required
@require_GET
def reflection_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request, pk)
    revisions = selectors.reflection_revisions(
        reflection=reflection, viewer=request.user
    ).select_related("edited_by")
    return render(
        request,
        "reading/reflection_revisions.html",
        {"activity": reflection.activity, "reflection": reflection, "revisions": revisions},
    )


@comment_reading_required
@require_POST
@idempotent
def comment_create(request: HttpRequest, reflection_pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request, reflection_pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写评论内容（不超过2000字）。"))
        return redirect(reflection)
    try:
        comment = services.comment_create(
            reflection=reflection, by=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(reflection)
    messages.success(request, _("评论已发表。"))
    return redirect(comment)


@comment_reading_required
@require_POST
def reflection_like(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request, pk)
    return post_action(
        request,
        lambda: services.like_toggle(reflection=reflection, by=request.user),
        back=reflection.get_absolute_url(),
        done=lambda liked: _("已点赞。") if liked else _("已取消点赞。"),
    )


@manage_reading_required
def reflection_feature(request: HttpRequest, pk: int) -> HttpResponse:
    """Feature a post with a reason (or confirm one in review); `remove=1` takes the 精华 back."""
    reflection = get_reflection_for_user(request, pk)
    if request.method == "POST" and request.POST.get("remove"):
        return post_action(
            request,
            lambda: services.reflection_unfeature(reflection=reflection, by=request.user),
            back=reflection.get_absolute_url(),
            done=_("已取消精华。"),
        )
    current = Feature.objects.filter(reflection=reflection).shown_to(request.user).first()
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


def _moderate(
    request: HttpRequest,
    obj: Reflection | Comment,
    *,
    hide: Callable[[str], object],
    restore: Callable[[], object],
    back: str,
    what: str,
) -> HttpResponse:
    """Hide with a reason (GET shows the form), or restore with `restore=1`."""
    if request.method == "POST" and request.POST.get("restore"):
        return post_action(request, restore, back=back, done=_("已恢复显示。"))
    form = ReasonForm(request.POST or None, label=_("隐藏原因（作者会看到）"))
    if request.method == "POST" and form.is_valid():
        try:
            hide(form.cleaned_data["reason"])
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已隐藏；作者会看到隐藏原因。"))
            return redirect(back)
    activity = obj.activity if isinstance(obj, Reflection) else obj.reflection.activity
    return render(
        request,
        "reading/hide_form.html",
        {"form": form, "obj": obj, "what": what, "back": back, "activity": activity},
    )


@manage_reading_required
def reflection_hide(request: HttpRequest, pk: int) -> HttpResponse:
    reflection = get_reflection_for_user(request, pk)
    by = request.user
    return _moderate(
        request,
        reflection,
        back=reflection.get_absolute_url(),
        what=_("读后感"),
        hide=lambda reason: services.reflection_hide(reflection=reflection, reason=reason, by=by),
        restore=lambda: services.reflection_restore(reflection=reflection, by=by),
    )


@manage_reading_required
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request, pk)
    by = request.user
    return _moderate(
        request,
        comment,
        back=comment.get_absolute_url(),
        what=_("评论"),
        hide=lambda reason: services.comment_hide(comment=comment, reason=reason, by=by),
        restore=lambda: services.comment_restore(comment=comment, by=by),
    )


@view_reading_summary_required
@require_GET
def comment_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    page = paginate(request, selectors.activity_comments(activity=activity, viewer=request.user))
    return render(request, "reading/comment_list.html", {"activity": activity, "page": page})


@view_reading_required
@require_GET
@cached_page(per="person")
def reflection_showcase(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """精华推荐; the secretary also sees the 精华 waiting for review after an edit."""
    activity = get_activity_for_user(request, activity_pk)
    page = paginate(request, selectors.showcase(activity=activity, viewer=request.user))
    in_review = []
    if request.user.has_perm("reading.manage_reading"):
        in_review = selectors.features_in_review(activity=activity, viewer=request.user)
    return render(
        request,
        "reading/reflection_showcase.html",
        {"activity": activity, "page": page, "in_review": in_review},
    )


@view_reading_required
@require_GET
def reflection_publicity(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """宣传: a plain-text block to paste into the branch's chat group, and a printable page."""
    activity = get_activity_for_user(request, activity_pk)
    posts = list(selectors.showcase(activity=activity, viewer=request.user))
    text = publicity_text(activity=activity, selections=activity.selections.all(), posts=posts)
    return render(
        request,
        "reading/reflection_publicity.html",
        {"activity": activity, "posts": posts, "text": text},
    )
