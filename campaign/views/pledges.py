"""公开承诺 pages: the wall everyone reads, drafting, the secretary's review queue, 践诺, 评定."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.media import serve_upload
from config.pagecache import cached_page
from config.views import form_error, paginate, post_action, refuse

from .. import exports, selectors, services
from ..access import (
    check_pledge_scope,
    current_campaign,
    get_editable_pledge_for_user,
    get_pledge_for_user,
    get_progress_for_user,
    make_pledge_required,
    manage_campaign_required,
    no_campaign,
    view_campaign_required,
)
from ..forms import (
    JudgeForm,
    PledgeForm,
    PledgeQueueFilter,
    PledgeWallFilter,
    ProgressForm,
    ReturnForm,
)
from ..models import Pledge


@view_campaign_required
@require_GET
@cached_page(per="person")
def pledge_wall(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("承诺墙"))
    filterset = PledgeWallFilter(
        request.GET or None,
        queryset=selectors.pledge_wall(campaign=campaign),
        branch=request.user.branch,
    )
    may_export = exports.may_export_public_ledger(request.user)
    if wants_export(request):
        if not may_export:
            raise PermissionDenied
        return ledger_response(
            request,
            ledger=_("承诺墙"),
            columns=exports.PLEDGES,
            items=filterset.qs,
            period=(campaign.starts_on, campaign.ends_on),
            scope=exports.campaign_scope(campaign, filterset),
        )
    page = paginate(request, filterset.qs)
    return render(
        request,
        "campaign/pledge_wall.html",
        {"campaign": campaign, "filter": filterset, "page": page, "may_export": may_export},
    )


@make_pledge_required
@idempotent
def pledge_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("作出公开承诺"))
    scope = request.GET.get("scope", Pledge.Scope.MEMBER)
    check_pledge_scope(request, scope)
    owner = request.user if scope == Pledge.Scope.MEMBER else None
    standard_set = campaign.standards_for(scope)
    form = PledgeForm(request.POST or None, standard_set=standard_set)
    if request.method == "GET":
        form.fields["standard"].initial = selectors.next_standard(
            campaign=campaign, scope=scope, owner=owner
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


def _detail(request: HttpRequest, pledge: Pledge, return_form: ReturnForm) -> HttpResponse:
    progress = list(pledge.progress.select_related("recorded_by", "voided_by"))
    for entry in progress:  # 修改 / 作废, as the service allows
        entry.pledge = pledge
        entry.actions = services.progress_corrections(entry=entry, by=request.user)
    context: dict[str, Any] = {
        "pledge": pledge,
        "actions": services.pledge_actions(pledge=pledge, by=request.user),
        "progress": progress,
        "return_form": return_form,
    }
    return render(request, "campaign/pledge_detail.html", context)


@view_campaign_required
@require_GET
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_pledge_for_user(request, pk), ReturnForm())


@make_pledge_required
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_editable_pledge_for_user(request, pk)
    try:
        services.pledge_check_editable(pledge=pledge)
    except ValidationError as exc:
        refuse(request, exc)
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


@make_pledge_required
@require_POST
def pledge_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_editable_pledge_for_user(request, pk)
    return post_action(
        request,
        lambda: services.pledge_submit(pledge=pledge, by=request.user),
        back=pledge.get_absolute_url(),
        done=_("承诺已提交，等待支部审核。"),
    )


@manage_campaign_required
@require_GET
@cached_page(per="person")
def pledge_queue(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("承诺审核"))
    filterset = PledgeQueueFilter(
        request.GET or None,
        queryset=selectors.pledge_queue(campaign=campaign),
        branch=request.user.branch,
    )
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("承诺审核"),
            columns=exports.PLEDGE_QUEUE,
            items=exports.pledge_queue_rows(filterset.qs),
            period=(campaign.starts_on, campaign.ends_on),
            scope=exports.campaign_scope(campaign, filterset),
        )
    page = paginate(request, filterset.qs)
    for pledge in page:
        pledge.actions = services.pledge_actions(pledge=pledge, by=request.user)
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": page,
        "counts": selectors.campaign_counts(campaign=campaign),
    }
    return render(request, "campaign/pledge_queue.html", context)


@manage_campaign_required
@require_POST
def pledge_approve(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_pledge_for_user(request, pk)
    return post_action(
        request,
        lambda: services.pledge_approve(pledge=pledge, by=request.user),
        back=pledge.get_absolute_url(),
        done=_("已审核通过：%(pledge)s。") % {"pledge": pledge},
    )


@manage_campaign_required
@require_POST
def pledge_publish(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_pledge_for_user(request, pk)
    return post_action(
        request,
        lambda: services.pledge_publish(pledge=pledge, by=request.user),
        back=pledge.get_absolute_url(),
        done=_("已亮诺：%(pledge)s。") % {"pledge": pledge},
    )


def _published(count: int) -> str:
    if count:
        return _("已将 %(n)d 条已审核的承诺亮诺上墙。") % {"n": count}
    return _("没有待亮诺的承诺。")


@manage_campaign_required
@require_POST
def pledge_publish_all(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        messages.error(request, _("当前没有进行中的活动。"))
        return redirect("campaign:campaign_list")
    return post_action(
        request,
        lambda: services.pledge_publish_approved(campaign=campaign, by=request.user),
        back=reverse("campaign:pledge_queue"),
        done=_published,
    )


@manage_campaign_required
@require_POST
def pledge_return(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_pledge_for_user(request, pk)
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
    return _detail(request, pledge, form)


@manage_campaign_required
def pledge_judge(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_pledge_for_user(request, pk)
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


@make_pledge_required
@idempotent
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_editable_pledge_for_user(request, pk)
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


@view_campaign_required
@require_GET
def progress_photo(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A 践诺 photo, for whoever may see its pledge (config/media.py). A voided entry's photo is
    served no more: it may be the mistake."""
    entry = get_progress_for_user(request, pk)
    if entry.is_voided:
        raise Http404
    return serve_upload(request, entry.photo, name)


@manage_campaign_required
@require_GET
@cached_page(per="roles")
def pledge_missing(request: HttpRequest) -> HttpResponse:
    """Who has not pledged (or not on every item) yet."""
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("未承诺名单"))
    expected = selectors.pledges_expected(campaign=campaign)
    people = selectors.pledge_missing(campaign=campaign, expected=expected)
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("未承诺名单"),
            columns=exports.pledge_missing(expected),
            items=people,
            period=(campaign.starts_on, campaign.ends_on),
            scope=campaign.name,
            notes=exports.pledge_missing_notes(expected),
        )
    context = {"campaign": campaign, "page": paginate(request, people), "expected": expected}
    return render(request, "campaign/pledge_missing.html", context)
