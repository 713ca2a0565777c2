"""评选表彰 pages: nominations with their evidence, the steps to 上报, and the honours list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.idempotency import idempotent

from .. import selectors, services
from ..forms import AwardForm, NominationForm, NomineeForm, StepForm
from ..models import Nomination
from ._common import (
    current_campaign,
    form_error,
    manage_campaign,
    no_campaign,
    paginate,
    refuse,
    view_campaign,
)


def _get_nomination_for_user(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.select_related(
            "campaign__branch", "nominee__department", "nominated_by"
        ),
        pk=pk,
        campaign__branch=request.user.branch,
    )


@manage_campaign
@require_GET
def nomination_list(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("评选推荐"))
    nominations = selectors.nominations_for(campaign)
    return render(
        request,
        "campaign/nomination_list.html",
        {"campaign": campaign, "page": paginate(request, nominations)},
    )


def _without_self(picker: NomineeForm, request: HttpRequest) -> NomineeForm:
    """Nobody nominates himself (the service refuses it too): leave him out of the choices."""
    own = str(request.user.pk)
    picker.people.pop(own, None)
    picker.fields["nominee"].choices = [
        choice for choice in picker.fields["nominee"].choices if choice[0] != own
    ]
    return picker


@manage_campaign
@idempotent
def nomination_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("提名"))
    picker = _without_self(NomineeForm(request.GET or None, branch=request.user.branch), request)
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


@manage_campaign
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get_nomination_for_user(request, pk)
    context = {
        "nomination": nomination,
        "pledges": nomination.evidence_pledges.select_related("standard"),
        "reviews": nomination.evidence_reviews.select_related("reviewer"),
        "results": nomination.evidence_results.select_related("round"),
        "step_form": StepForm(),
        "award_form": AwardForm(initial={"awarding_body": nomination.campaign.branch.parent_org}),
    }
    return render(request, "campaign/nomination_detail.html", context)


def _step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    nomination = _get_nomination_for_user(request, pk)
    form = StepForm(request.POST)
    try:
        if action in ("recommend", "report"):
            if not form.is_valid():
                raise ValidationError(_("请填写正确的日期。"))
            step = (
                services.nomination_recommend
                if action == "recommend"
                else services.nomination_report
            )
            step(nomination=nomination, on=form.cleaned_data["on"], by=request.user)
        elif action == "withdraw":
            services.nomination_withdraw(nomination=nomination, by=request.user)
        else:
            services.nomination_decline(nomination=nomination, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已更新为“%(s)s”。") % {"s": nomination.get_status_display()})
    return redirect(nomination)


@manage_campaign
@require_POST
def nomination_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "recommend")


@manage_campaign
@require_POST
def nomination_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "report")


@manage_campaign
@require_POST
def nomination_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "withdraw")


@manage_campaign
@require_POST
def nomination_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "decline")


@manage_campaign
def nomination_award(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get_nomination_for_user(request, pk)
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


@view_campaign
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    honours = selectors.honours_for_branch(request.user.branch)
    return render(request, "campaign/honour_list.html", {"page": paginate(request, honours)})
