"""活动 pages: the list, creating and editing a campaign, its phases and its progress board."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.idempotency import idempotent
from config.views import form_error, paginate, post_action

from .. import selectors, services
from ..access import get_campaign_for_user, get_phase_for_user, manage_campaign_required
from ..forms import CampaignEditForm, CampaignForm, PhaseForm
from ..models import Campaign


@manage_campaign_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.in_branch(request.user.branch).select_related("current_phase")
    return render(request, "campaign/campaign_list.html", {"page": paginate(request, campaigns)})


@manage_campaign_required
@idempotent
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                branch=request.user.branch, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("活动已建立，默认四个阶段已排好日期；确认无误后点“启动活动”。")
            )
            return redirect(campaign)
    return render(request, "campaign/campaign_form.html", {"form": form})


@manage_campaign_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, pk)
    context = {
        "campaign": campaign,
        "actions": services.campaign_actions(campaign=campaign),
        "phases": campaign.phases.all(),
        "stats": selectors.campaign_stats(campaign=campaign),
    }
    return render(request, "campaign/campaign_detail.html", context)


@manage_campaign_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, pk)
    form = CampaignEditForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("活动信息已保存。"))
            return redirect(campaign)
    return render(request, "campaign/campaign_form.html", {"form": form, "campaign": campaign})


@manage_campaign_required
@require_POST
def campaign_start(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, pk)
    return post_action(
        request,
        lambda: services.campaign_start(campaign=campaign, by=request.user),
        back=campaign.get_absolute_url(),
        done=_("活动已启动，首页将向所有人显示当前阶段。"),
    )


@manage_campaign_required
@require_POST
def campaign_finish(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_campaign_for_user(request, pk)
    return post_action(
        request,
        lambda: services.campaign_finish(campaign=campaign, by=request.user),
        back=campaign.get_absolute_url(),
        done=_("活动已结束。"),
    )


@manage_campaign_required
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_phase_for_user(request, pk)
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(phase=phase, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("阶段“%(name)s”已保存。") % {"name": phase.name})
            return redirect(phase.campaign)
    return render(request, "campaign/phase_form.html", {"form": form, "phase": phase})


@manage_campaign_required
@require_POST
def phase_set_current(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_phase_for_user(request, pk)
    return post_action(
        request,
        lambda: services.phase_set_current(phase=phase, by=request.user),
        back=phase.campaign.get_absolute_url(),
        done=_("活动已进入“%(name)s”阶段。") % {"name": phase.name},
    )
