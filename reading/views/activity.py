"""The activity, its overview, phase 1 (recommend, second, select) and the statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.views import form_error, paginate, post_action, refuse

from .. import exports, selectors, services
from ..access import (
    get_activity_for_user,
    get_recommendation_for_user,
    manage_reading_required,
    participate_reading_required,
    view_reading_required,
    view_reading_summary_required,
)
from ..forms import ActivityForm, RecommendationForm, SelectionForm
from ..models import ReadingActivity, Recommendation
from ..rules import is_participant


@view_reading_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = ReadingActivity.objects.in_branch(request.user.branch)
    return render(request, "reading/activity_list.html", {"page": paginate(request, activities)})


@view_reading_required
@require_GET
def forum_current(request: HttpRequest) -> HttpResponse:
    """The nav's 读书论坛: the forum that is open (ReadingActivity.objects.forum_for), or the list
    when there is no activity."""
    activity = ReadingActivity.objects.forum_for(request.user.branch)
    if activity is None:
        return redirect("reading:activity_list")
    return redirect("reading:reflection_list", activity.pk)


@manage_reading_required
@idempotent
def activity_create(request: HttpRequest) -> HttpResponse:
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                branch=request.user.branch, by=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("读书活动已创建。"))
            return redirect(activity)
    return render(request, "reading/activity_form.html", {"form": form})


@manage_reading_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            activity.refresh_from_db()
            form_error(form, exc)
        else:
            messages.success(request, _("已保存活动设置。"))
            return redirect(activity)
    return render(request, "reading/activity_form.html", {"form": form, "activity": activity})


@view_reading_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    user = request.user
    context = {
        "activity": activity,
        "selections": list(activity.selections.all()),
        "participant": is_participant(activity, user),
        "my_recommendation": Recommendation.objects.filter(activity=activity, member=user).first(),
        "my_distributions": selectors.my_distributions(activity=activity, user=user),
    }
    return render(request, "reading/activity_detail.html", context)


@view_reading_summary_required
@require_GET
def participant_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    show = request.GET.get("show", "")
    people = selectors.participants_overview(activity=activity, show=show, viewer=request.user)
    return render(
        request,
        "reading/participant_list.html",
        {"activity": activity, "page": paginate(request, people), "show": show},
    )


@view_reading_summary_required
@require_GET
@cached_page(per="roles")
def activity_stats(request: HttpRequest, pk: int) -> HttpResponse:
    """活动统计: every number links to the list behind it."""
    activity = get_activity_for_user(request, pk)
    n = selectors.activity_stats(activity=activity, viewer=request.user)
    if wants_export(request):
        return exports.stats_ledger(request, activity=activity, n=n)

    def url(name: str, query: str = "") -> str:
        return reverse(f"reading:{name}", args=[activity.pk]) + query

    # The lists behind the numbers show the hidden items the viewer may see: say how many.
    posts = _("%(x)d 篇（%(a)d 人）") % {"x": n["posts"], "a": n["authors"]}
    if n["hidden_posts"]:
        posts += _("，其中 %(h)d 篇已隐藏") % {"h": n["hidden_posts"]}
    comments = _("%(x)d 条") % {"x": n["comments"]}
    if n["hidden_comments"]:
        comments += _("，其中 %(h)d 条已隐藏") % {"h": n["hidden_comments"]}
    stats = [
        (
            _("推荐书目"),
            _("%(x)d / %(y)d 人") % {"x": n["recommended"], "y": n["people"]},
            url("participant_list", "?show=recommended"),
        ),
        (
            _("未推荐"),
            n["people"] - n["recommended"],
            url("participant_list", "?show=not_recommended"),
        ),
        (_("附议"), _("%(x)d 次") % {"x": n["seconds"]}, url("recommendation_list")),
        (_("选定书目"), _("%(x)d 本") % {"x": n["books"]}, url("activity_detail", "#books")),
        (
            _("购书"),
            _("%(x)d 册，%(c)s 元（预算 %(b)s 元）")
            % {"x": n["copies"], "c": n["cost"], "b": n["budget"]},
            url("purchase_list"),
        ),
        (
            _("已发放"),
            _("%(x)d / %(y)d 册") % {"x": n["issued"], "y": n["expected_handouts"]},
            url("distribution_list", "?show=issued"),
        ),
        (
            _("已确认领取"),
            _("%(x)d 册") % {"x": n["confirmed"]},
            url("distribution_list", "?show=confirmed"),
        ),
        (
            _("未领或未确认"),
            _("%(x)d 册") % {"x": n["expected_handouts"] - n["confirmed"]},
            url("distribution_list", "?show=unconfirmed"),
        ),
        (
            _("全部读完"),
            _("%(x)d / %(y)d 人") % {"x": n["finished_people"], "y": n["people"]},
            url("progress_list", "?show=finished"),
        ),
        (_("读后感"), posts, url("reflection_list")),
        (_("评论"), comments, url("comment_list")),
        (_("精华"), _("%(x)d 篇") % {"x": n["featured"]}, url("reflection_showcase")),
    ]
    return render(
        request, "reading/activity_stats.html", {"activity": activity, "stats": stats, "n": n}
    )


# --- Phase 1 ------------------------------------------------------------------------------------


@participate_reading_required
def recommendation_edit(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    if not activity.recommending_open:
        try:
            services.require_phase(activity=activity, action="recommend")
        except ValidationError as exc:
            refuse(request, exc)
        return redirect("reading:recommendation_list", activity.pk)
    mine = Recommendation.objects.filter(activity=activity, member=request.user).first()
    form = RecommendationForm(request.POST or None, instance=mine)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_save(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("推荐已保存；推荐阶段结束前可以随时修改。") if mine else _("感谢您推荐好书！"),
            )
            return redirect("reading:recommendation_list", activity.pk)
    return render(
        request,
        "reading/recommendation_form.html",
        {"form": form, "activity": activity, "mine": mine},
    )


@view_reading_required
@require_GET
@cached_page(per="person")
def recommendation_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """推荐书目: the recommendations tallied into books, most recommended first."""
    activity = get_activity_for_user(request, activity_pk)
    export = wants_export(request)
    groups = selectors.recommendation_tally(activity=activity, details=export)
    if export:
        return exports.tally_ledger(request, activity=activity, groups=groups)
    # ?book=<a recommendation>: that book alone, with every recommendation of it.
    book = request.GET.get("book", "")
    book_pk = int(book) if book.isdigit() else None
    shown = [g for g in groups if g.holds(book_pk)] if book_pk else groups
    # One page of books at a time, most recommended first: a company's activity has hundreds.
    page = paginate(request, shown)
    selectors.tally_details(page.object_list, everything=book_pk is not None)
    endorsed = selectors.endorsed_ids(activity=activity, user=request.user)
    context = {
        "activity": activity,
        "groups": groups,
        "page": page,
        "book": book_pk,
        "total": sum(g.count for g in groups),
        "endorsed": endorsed,
        "endorse_left": services.MAX_ENDORSEMENTS - len(endorsed),
        "can_endorse": activity.recommending_open
        and request.user.has_perm("reading.participate_reading"),
    }
    return render(request, "reading/recommendation_list.html", context)


@participate_reading_required
@require_POST
def recommendation_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    """附议, or take it back with `withdraw=1`."""
    recommendation = get_recommendation_for_user(request, pk)
    back = reverse("reading:recommendation_list", args=[recommendation.activity_id])
    if request.POST.get("withdraw"):
        return post_action(
            request,
            lambda: services.endorsement_remove(recommendation=recommendation, by=request.user),
            back=back,
            done=_("已撤回附议。"),
        )
    return post_action(
        request,
        lambda: services.endorsement_add(recommendation=recommendation, by=request.user),
        back=back,
        done=_("已附议 %(book)s。") % {"book": recommendation},
    )


@manage_reading_required
def selection_create(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """选定书目 (支委会决定): pick the books from the tally; this closes phase 1."""
    activity = get_activity_for_user(request, activity_pk)
    if activity.is_selected:
        messages.info(request, _("本次活动的书目已经选定。"))
        return redirect(activity)
    groups = selectors.recommendation_tally(activity=activity, details=False)
    by_pk = {g.first.pk: g.first for g in groups}
    choices = [
        (
            g.first.pk,
            _("《%(title)s》 %(author)s · %(n)d 人推荐，%(s)d 人附议")
            % {
                "title": g.first.display_title,
                "author": g.first.author,
                "n": g.count,
                "s": g.seconds,
            },
        )
        for g in groups
    ]
    form = SelectionForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        picked = [by_pk[int(v)] for v in form.cleaned_data["books"]]
        try:
            services.activity_select_books(
                activity=activity,
                recommendations=picked,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("书目已选定，推荐阶段结束。"))
            return redirect(activity)
    return render(
        request,
        "reading/selection_form.html",
        {"form": form, "activity": activity, "groups": groups},
    )
