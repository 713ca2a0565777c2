"""党员先锋岗 pages: the posts list (and its 台账), a post's page, and the secretary's forms:
设立/修改, 挂牌/摘牌, 安排上岗, 离岗 and the quarterly review (季度评星)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.views import form_error, paginate

from .. import exports, selectors_fortress, services
from ..access import current_campaign, no_campaign, view_campaign_required
from ..access_fortress import (
    check_manages,
    check_reads,
    get_holder_for_user,
    get_managed_post_for_user,
    get_post_for_user,
)
from ..forms_posts import (
    AssignForm,
    PlaqueForm,
    PostFilter,
    PostForm,
    ReleaseForm,
    ReviewForm,
    period_value,
    review_periods,
)
from ..models import PlaqueEvent, PostHolder, PostReview, VanguardPost
from ..models.vanguard import quarter_of
from ..rules_fortress import manages_fortress, sees_internals

# The post's page lists its latest deeds; the deeds list (filtered by the post) has them all.
DEEDS_SHOWN = 10


@view_campaign_required
@require_GET
@cached_page(per="person")
def post_list(request: HttpRequest) -> HttpResponse:
    """Every post of the branch: department, holders, plaque, latest stars, 增收节支 of the running
    campaign (of all time when none runs). Everyone of the branch reads it; the secretary and
    leaders take it away as 台账."""
    check_reads(request)
    branch = request.user.branch
    campaign = current_campaign(request)
    filterset = PostFilter(
        request.GET or None,
        queryset=selectors_fortress.post_list(branch=branch, campaign=campaign),
        branch=branch,
    )
    may_export = exports.may_export_public_ledger(request.user)
    if wants_export(request):
        if not may_export:
            raise PermissionDenied
        return ledger_response(
            request,
            ledger=_("党员先锋岗台账"),
            columns=exports.POSTS,
            items=filterset.qs,
            period=(campaign.starts_on, campaign.ends_on) if campaign else None,
            scope=exports.campaign_scope(campaign, filterset)
            if campaign
            else exports.filters_text(filterset),
            notes=exports.post_notes(campaign),
        )
    page = paginate(request, filterset.qs)
    for post in page:  # the holders prefetched with the page, as one line
        post.holder_names = "、".join(h.member.full_name for h in post.current_holders)
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": page,
        "manages": manages_fortress(request.user, branch.pk),
        "may_export": may_export,
    }
    return render(request, "campaign/post_list.html", context)


def _holder_state(holder: PostHolder, today: Any) -> str:
    if holder.ends_on is not None and holder.ends_on < today:
        return "ended"
    if holder.starts_on > today:
        return "coming"
    return "on"


@view_campaign_required
@require_GET
@cached_page(per="person")
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request, pk)
    user = request.user
    context = selectors_fortress.post_detail(post=post, viewer=user)
    today = timezone.localdate()
    for holder in context["holders"]:
        holder.state = _holder_state(holder, today)
    # On the post first, then those to come, then the history (each as the selector orders it).
    order = {"on": 0, "coming": 1, "ended": 2}
    context["holders"] = sorted(context["holders"], key=lambda h: order[h.state])
    # The page lists the deeds without their photos (the deed's page has them): no photo query.
    deeds = list(
        context["deeds"].prefetch_related(None).prefetch_related("tags")[: DEEDS_SHOWN + 1]
    )
    actions = services.plaque_actions(post=post, by=user)
    context.update(
        {
            "deeds": deeds[:DEEDS_SHOWN],
            "more_deeds": len(deeds) > DEEDS_SHOWN,
            "manages": manages_fortress(user, post.branch_id),
            "savings": {
                "totals": context["totals"],
                "quarters": context["totals_by_quarter"],
                # The records one by one (a link to them): the secretary and leaders.
                "internals": sees_internals(user, post.branch_id),
            },
            "plaque_actions": actions,
            "hang_form": PlaqueForm(action=PlaqueEvent.Action.HANG) if "hang" in actions else None,
        }
    )
    return render(request, "campaign/post_detail.html", context)


def _post_form(request: HttpRequest, form: PostForm, post: VanguardPost | None) -> HttpResponse:
    return render(request, "campaign/post_form.html", {"form": form, "post": post})


@view_campaign_required
@idempotent
def post_create(request: HttpRequest) -> HttpResponse:
    check_manages(request)
    branch = request.user.branch
    form = PostForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(branch=branch, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("已设立党员先锋岗“%(post)s”。下一步：安排党员上岗，挂牌。") % {"post": post},
            )
            return redirect(post)
    return _post_form(request, form, None)


@view_campaign_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_managed_post_for_user(request, pk)
    form = PostForm(request.POST or None, instance=post, branch=post.branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(post=post, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("先锋岗已保存。"))
            return redirect(post)
    return _post_form(request, form, post)


@view_campaign_required
def post_plaque(request: HttpRequest, pk: int) -> HttpResponse:
    """挂牌 (also 重新挂牌) or 摘牌 with its reason, as the post's state allows; the post's page
    has the 挂牌 form inline (a date and one tap)."""
    post = get_managed_post_for_user(request, pk)
    offered = services.plaque_actions(post=post, by=request.user)
    action = PlaqueEvent.Action.REMOVE if "remove" in offered else PlaqueEvent.Action.HANG
    if request.method == "POST":
        action = request.POST.get("action", action)
        if action not in PlaqueEvent.Action.values:
            action = PlaqueEvent.Action.HANG
    form = PlaqueForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == PlaqueEvent.Action.REMOVE:
                services.post_remove_plaque(
                    post=post, on=data["on"], reason=data["reason"], by=request.user
                )
            else:
                services.post_hang_plaque(post=post, on=data["on"], by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            done = _("已摘牌。") if action == PlaqueEvent.Action.REMOVE else _("已挂牌。")
            messages.success(request, done)
            return redirect(post)
    if action == PlaqueEvent.Action.REMOVE:
        title = _("摘牌")
    else:
        title = _("重新挂牌") if post.plaque == VanguardPost.Plaque.REMOVED else _("挂牌")
    context = {"form": form, "post": post, "action": action, "title": title}
    return render(request, "campaign/post_plaque.html", context)


@view_campaign_required
@idempotent
def post_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """安排上岗: a party member of the branch on the post from a date."""
    post = get_managed_post_for_user(request, pk)
    form = AssignForm(request.POST or None, branch=post.branch)
    if request.method == "POST" and form.is_valid():
        try:
            holder = services.post_assign(
                post=post,
                member=form.cleaned_data["member"],
                starts_on=form.cleaned_data["starts_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已安排%(name)s上岗。") % {"name": holder.member.full_name})
            return redirect(post)
    return render(request, "campaign/post_assign.html", {"form": form, "post": post})


@view_campaign_required
def holder_release(request: HttpRequest, pk: int) -> HttpResponse:
    """离岗: the holding ends on a date and stays in the post's history."""
    holder = get_holder_for_user(request, pk)
    post = holder.post
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_release(
                holder=holder, ends_on=form.cleaned_data["ends_on"], by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(name)s已离岗。") % {"name": holder.member.full_name})
            return redirect(post)
    return render(
        request, "campaign/post_release.html", {"form": form, "holder": holder, "post": post}
    )


def _chosen_period(request: HttpRequest, periods: list[tuple[int, int]]) -> tuple[int, int] | None:
    """?year=&quarter= if the campaign has that quarter, else the current quarter, else the
    latest one."""
    try:
        asked = (int(request.GET.get("year", "")), int(request.GET.get("quarter", "")))
    except ValueError:
        asked = None
    for wanted in (asked, quarter_of(timezone.localdate())):
        if wanted in periods:
            return wanted
    return periods[0] if periods else None


def _review_initial(post: VanguardPost, period: tuple[int, int] | None) -> dict[str, Any]:
    """The quarter's review as the form's initial values (a correction starts from it)."""
    if period is None:
        return {}
    initial: dict[str, Any] = {"period": period_value(*period)}
    review = (
        PostReview.objects.filter(post=post, year=period[0], quarter=period[1])
        .prefetch_related("scores")
        .first()
    )
    if review is not None:
        initial.update({"stars": review.stars, "note": review.note})
        initial.update(
            {f"{ReviewForm.ITEM_PREFIX}{s.standard_id}": s.stars for s in review.scores.all()}
        )
        initial["existing"] = review
    return initial


def _at_period(exc: ValidationError) -> ValidationError:
    """The service names the year and the quarter; the form has one field for both."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {
            "period" if field in ("year", "quarter") else field: errors
            for field, errors in exc.error_dict.items()
        }
    )


@view_campaign_required
def post_review(request: HttpRequest, pk: int) -> HttpResponse:
    """季度评星 of a post, ?year=&quarter= (default: the current quarter). One review per post
    and quarter: saving a quarter already reviewed corrects it (audited, old → new)."""
    post = get_managed_post_for_user(request, pk)
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("季度评星"))
    periods = review_periods(campaign)
    items = list(campaign.member_standards.items.all()) if campaign.member_standards_id else []
    initial: dict[str, Any] = {}
    if request.method == "GET":
        initial = _review_initial(post, _chosen_period(request, periods))
    existing = initial.pop("existing", None)
    form = ReviewForm(request.POST or None, initial=initial, periods=periods, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        year, quarter = data["period"]
        try:
            review = services.post_review_save(
                post=post,
                campaign=campaign,
                year=year,
                quarter=quarter,
                stars=data["stars"],
                note=data["note"],
                item_stars=form.item_stars(),
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, _at_period(exc))
        else:
            messages.success(
                request,
                _("已保存%(post)s %(period)s的评星：%(stars)s。")
                % {"post": post, "period": review.period_label, "stars": "★" * review.stars},
            )
            return redirect(post)
    context = {
        "form": form,
        "post": post,
        "campaign": campaign,
        "existing": existing,
        "reviews": post.reviews.order_by("-year", "-quarter"),
    }
    return render(request, "campaign/post_review.html", context)
