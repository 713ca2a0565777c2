"""评选表彰 pages: nominations with their evidence, the steps to 上报, and the honours list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.views import form_error, paginate, post_action

from .. import exports, selectors, services
from ..access import (
    current_campaign,
    get_nomination_for_user,
    manage_campaign_required,
    no_campaign,
    view_campaign_required,
)
from ..forms import AwardForm, NominationForm, NomineeForm, StepForm
from ..models import Nomination


@manage_campaign_required
@require_GET
def nomination_list(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("评选推荐"))
    nominations = selectors.nominations_for(campaign=campaign)
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("评选推荐"),
            columns=exports.NOMINATIONS,
            items=nominations,
            period=(campaign.starts_on, campaign.ends_on),
            scope=campaign.name,
        )
    return render(
        request,
        "campaign/nomination_list.html",
        {"campaign": campaign, "page": paginate(request, nominations)},
    )


@manage_campaign_required
@idempotent
def nomination_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("提名"))
    picker = NomineeForm(request.GET or None, branch=request.user.branch, exclude=request.user)
    if not picker.is_valid():
        return render(
            request, "campaign/nomination_form.html", {"picker": picker, "campaign": campaign}
        )
    nominee = picker.cleaned_data["nominee"]
    form = NominationForm(request.POST or None, campaign=campaign, nominee=nominee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_create(
                campaign=campaign,
                kind=data["kind"],
                nominee=nominee,
                reason=data["reason"],
                pledges=data["evidence_pledges"],
                reviews=data["evidence_reviews"],
                results=data["evidence_results"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已提名：%(n)s。") % {"n": nomination})
            return redirect(nomination)
    context = {"picker": picker, "form": form, "campaign": campaign, "nominee": nominee}
    return render(request, "campaign/nomination_form.html", context)


@manage_campaign_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request, pk)
    context = {
        "nomination": nomination,
        "actions": services.nomination_actions(nomination=nomination, by=request.user),
        "may_correct_dates": services.nomination_dates_correctable(
            nomination=nomination, by=request.user
        ),
        "pledges": nomination.evidence_pledges.select_related("standard"),
        "reviews": nomination.evidence_reviews.select_related("reviewer", "voided_by"),
        "results": nomination.evidence_results.select_related("round"),
        "step_form": StepForm(),
        "award_form": AwardForm(initial={"awarding_body": nomination.campaign.branch.parent_org}),
    }
    return render(request, "campaign/nomination_detail.html", context)


def _step_date(request: HttpRequest) -> dt.date:
    """The date a 支委会 recommended or the nomination was reported, from the step's form."""
    form = StepForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("请填写正确的日期。"), code="bad_date")
    return form.cleaned_data["on"]


def _now_status(nomination: Nomination) -> str:
    return _("已更新为“%(s)s”。") % {"s": nomination.get_status_display()}


def _dated_step(request: HttpRequest, pk: int, step: Callable[..., Nomination]) -> HttpResponse:
    nomination = get_nomination_for_user(request, pk)
    return post_action(
        request,
        lambda: step(nomination=nomination, on=_step_date(request), by=request.user),
        back=nomination.get_absolute_url(),
        done=_now_status,
    )


@manage_campaign_required
@require_POST
def nomination_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_step(request, pk, services.nomination_recommend)


@manage_campaign_required
@require_POST
def nomination_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _dated_step(request, pk, services.nomination_report)


@manage_campaign_required
@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request, pk)
    return post_action(
        request,
        lambda: services.nomination_withdraw(nomination=nomination, by=request.user),
        back=nomination.get_absolute_url(),
        done=_now_status,
    )


@manage_campaign_required
@require_POST
def nomination_decline(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request, pk)
    return post_action(
        request,
        lambda: services.nomination_decline(nomination=nomination, by=request.user),
        back=nomination.get_absolute_url(),
        done=_now_status,
    )


@manage_campaign_required
def nomination_award(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request, pk)
    form = AwardForm(
        request.POST or None, initial={"awarding_body": nomination.campaign.branch.parent_org}
    )
    if request.method == "POST" and form.is_valid():
        try:
            honour = services.nomination_award(
                nomination=nomination, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已登记表彰：%(h)s。") % {"h": honour})
            return redirect("campaign:honour_list")
    return render(
        request, "campaign/nomination_award.html", {"form": form, "nomination": nomination}
    )


@view_campaign_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    honours = selectors.honours_for_branch(branch=request.user.branch)
    may_export = exports.may_export_public_ledger(request.user)
    if wants_export(request):
        if not may_export:
            raise PermissionDenied
        return ledger_response(
            request,
            ledger=_("表彰名单"),
            columns=exports.HONOURS,
            items=exports.honour_rows(honours),
        )
    context = {"page": paginate(request, honours), "may_export": may_export}
    return render(request, "campaign/honour_list.html", context)
