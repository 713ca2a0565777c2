"""公开承诺 pages: the wall everyone reads, drafting, the secretary's review queue, 践诺, 评定."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.idempotency import idempotent
from config.views import safe_next
from members.models import Role

from .. import selectors, services
from ..forms import (
    JudgeForm,
    PledgeForm,
    PledgeQueueFilter,
    PledgeWallFilter,
    ProgressForm,
    ReturnForm,
)
from ..models import Campaign, Pledge
from ._common import (
    current_campaign,
    form_error,
    make_pledge,
    manage_campaign,
    no_campaign,
    paginate,
    refuse,
    view_campaign,
)


def _get_pledge_for_user(request: HttpRequest, pk: int) -> Pledge:
    """A published pledge is visible to everyone of the branch; an unpublished one only to its
    owner and to the secretary (for the branch's and the team's own pledges: the secretary)."""
    pledge = get_object_or_404(
        Pledge.objects.select_related(
            "campaign__branch", "owner__department", "standard__standard_set", "approved_by"
        ),
        pk=pk,
        campaign__branch=request.user.branch,
    )
    user = request.user
    if not user.has_perm("campaign.view_campaign"):
        raise PermissionDenied
    if not (pledge.is_public or pledge.owner_id == user.pk or user.is_secretary):
        raise Http404
    return pledge


def _may_edit(request: HttpRequest, pledge: Pledge) -> bool:
    """A member edits only his or her own pledge; the secretary the branch's and the team's."""
    if pledge.scope == Pledge.Scope.MEMBER:
        return pledge.owner_id == request.user.pk
    return request.user.is_secretary


@view_campaign
@require_GET
def pledge_wall(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("承诺墙"))
    filterset = PledgeWallFilter(
        request.GET or None, queryset=selectors.pledge_wall(campaign), branch=request.user.branch
    )
    page = paginate(request, filterset.qs)
    return render(
        request,
        "campaign/pledge_wall.html",
        {"campaign": campaign, "filter": filterset, "page": page},
    )


@make_pledge
@idempotent
def pledge_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("作出公开承诺"))
    scope = request.GET.get("scope", Pledge.Scope.MEMBER)
    if scope not in Pledge.Scope.values:
        raise Http404
    if scope != Pledge.Scope.MEMBER and not request.user.is_secretary:
        raise PermissionDenied
    if scope == Pledge.Scope.MEMBER and not request.user.has_role(Role.MEMBER):
        raise PermissionDenied
    owner = request.user if scope == Pledge.Scope.MEMBER else None
    standard_set = campaign.standards_for(scope)
    taken = campaign.pledges.filter(owner=owner, scope=scope).values_list("standard", flat=True)
    form = PledgeForm(request.POST or None, standard_set=standard_set)
    if request.method == "GET":
        form.fields["standard"].initial = (
            standard_set.items.exclude(pk__in=taken).values_list("pk", flat=True).first()
            if standard_set
            else None
        )
        form.fields["deadline"].initial = campaign.ends_on
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_create(
                campaign=campaign, scope=scope, owner=owner, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("承诺草稿已保存。检查无误后请点“提交审核”。"))
            return redirect(pledge)
    context = {
        "form": form,
        "campaign": campaign,
        "scope": Pledge.Scope(scope),
        "standard_set": standard_set,
    }
    return render(request, "campaign/pledge_form.html", context)


@view_campaign
@require_GET
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    is_owner = _may_edit(request, pledge)
    context = {
        "pledge": pledge,
        "progress": pledge.progress.select_related("recorded_by"),
        "may_edit": is_owner and pledge.is_editable,
        "may_record": is_owner and pledge.status == Pledge.Status.PUBLISHED,
        "return_form": ReturnForm(),
    }
    return render(request, "campaign/pledge_detail.html", context)


@make_pledge
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    if not _may_edit(request, pledge):
        raise PermissionDenied
    if not pledge.is_editable:
        messages.error(request, _("只有草稿或已退回的承诺可以修改。"))
        return redirect(pledge)
    form = PledgeForm(
        request.POST or None,
        instance=pledge,
        standard_set=pledge.campaign.standards_for(pledge.scope),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_update(pledge=pledge, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("承诺已保存。"))
            return redirect(pledge)
    context = {
        "form": form,
        "pledge": pledge,
        "campaign": pledge.campaign,
        "scope": Pledge.Scope(pledge.scope),
    }
    return render(request, "campaign/pledge_form.html", context)


@make_pledge
@require_POST
def pledge_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    if not _may_edit(request, pledge):
        raise PermissionDenied
    try:
        services.pledge_submit(pledge=pledge, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("承诺已提交，等待支部审核。"))
    return redirect(pledge)


@manage_campaign
@require_GET
def pledge_queue(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("承诺审核"))
    filterset = PledgeQueueFilter(
        request.GET or None, queryset=selectors.pledge_queue(campaign), branch=request.user.branch
    )
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "counts": selectors.campaign_counts(campaign),
    }
    return render(request, "campaign/pledge_queue.html", context)


def _secretary_step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    try:
        step(pledge=pledge, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, done % {"pledge": pledge})
    return redirect(safe_next(request, pledge.get_absolute_url()))


@manage_campaign
@require_POST
def pledge_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _secretary_step(request, pk, services.pledge_approve, _("已审核通过：%(pledge)s。"))


@manage_campaign
@require_POST
def pledge_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _secretary_step(request, pk, services.pledge_publish, _("已亮诺：%(pledge)s。"))


@manage_campaign
@require_POST
def pledge_publish_all(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        messages.error(request, _("当前没有进行中的活动。"))
        return redirect("campaign:campaign_list")
    count = services.pledge_publish_approved(campaign=campaign, by=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条已审核的承诺亮诺上墙。") % {"n": count})
    else:
        messages.info(request, _("没有待亮诺的承诺。"))
    return redirect("campaign:pledge_queue")


@manage_campaign
@require_POST
def pledge_return(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_return(
                pledge=pledge, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已退回，承诺人会看到退回原因。"))
            return redirect(pledge)
    context = {
        "pledge": pledge,
        "progress": pledge.progress.select_related("recorded_by"),
        "return_form": form,
    }
    return render(request, "campaign/pledge_detail.html", context)


@manage_campaign
def pledge_judge(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    form = JudgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_judge(
                pledge=pledge,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已评定：%(v)s。") % {"v": pledge.get_verdict_display()})
            return redirect(pledge)
    return render(request, "campaign/pledge_judge.html", {"form": form, "pledge": pledge})


@make_pledge
@idempotent
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge_for_user(request, pk)
    if not _may_edit(request, pledge):
        raise PermissionDenied
    # Permission and state before the form sees request.FILES: a photo that cannot be kept is
    # never decoded (decoding is the expensive part of an upload).
    try:
        services.progress_check_open(pledge=pledge)
    except ValidationError as exc:
        if request.method != "POST":
            refuse(request, exc)
            return redirect(pledge)
        form = ProgressForm(request.POST)  # what was typed stays; the photo is not read
        form_error(form, exc)
        return render(request, "campaign/progress_form.html", {"form": form, "pledge": pledge})
    form = ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_add(pledge=pledge, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("践诺情况已记录。"))
            return redirect(pledge)
    return render(request, "campaign/progress_form.html", {"form": form, "pledge": pledge})


@manage_campaign
@require_GET
def pledge_missing(request: HttpRequest) -> HttpResponse:
    """Who has not pledged (or not on every item) yet."""
    campaign: Campaign | None = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("未承诺名单"))
    expected = campaign.member_standards.items.count() if campaign.member_standards else 0
    people = selectors.pledge_coverage(campaign).filter(n_pledged__lt=expected)
    context = {"campaign": campaign, "page": paginate(request, people), "expected": expected}
    return render(request, "campaign/pledge_missing.html", context)
