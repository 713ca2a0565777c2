"""领导点评 pages: the 点评登记表, writing a comment, and who has not been commented on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.views import form_error, paginate

from .. import exports, selectors, services
from ..access import current_campaign, no_campaign, review_members_required
from ..forms import BRANCH_CHOICE, ReviewFilter, ReviewForm
from ..models import LeaderReview


@review_members_required
@require_GET
@cached_page(per="person")
def review_list(request: HttpRequest) -> HttpResponse:
    """点评登记表: every comment of the running campaign."""
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("点评登记表"))
    filterset = ReviewFilter(
        request.GET or None,
        queryset=selectors.review_register(campaign=campaign),
        branch=request.user.branch,
    )
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("点评登记表"),
            columns=exports.REVIEWS,
            items=filterset.qs,
            period=(campaign.starts_on, campaign.ends_on),
            scope=exports.campaign_scope(campaign, filterset),
            notes=exports.review_notes(),
        )
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "score_scale": LeaderReview.score_scale(),
    }
    for review in context["page"]:  # 修改 / 作废, as the service allows (no query per row)
        review.actions = services.review_corrections(review=review, by=request.user)
    return render(request, "campaign/review_list.html", context)


@review_members_required
@idempotent
def review_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("领导点评"))
    form = ReviewForm(request.POST or None, branch=request.user.branch, reviewer=request.user)
    subject = request.GET.get("subject")
    if request.method == "GET" and form.offers(subject):
        form.fields["subject"].initial = subject
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_create(
                campaign=campaign,
                subject=data["subject"],
                rating=data["rating"],
                comment=data["comment"],
                reviewed_on=data["reviewed_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已登记对 %(s)s 的点评。") % {"s": review.subject_label})
            return redirect("campaign:review_list")
    subject_pk = form["subject"].value()
    pledges = []
    if form.offers(subject_pk):  # anything else typed into the field is no person's pk
        pledges = selectors.published_pledges_of(
            campaign=campaign, owner_id=None if subject_pk == BRANCH_CHOICE else subject_pk
        )
    context = {"form": form, "campaign": campaign, "pledges": pledges}
    return render(request, "campaign/review_form.html", context)


@review_members_required
@require_GET
def review_coverage(request: HttpRequest) -> HttpResponse:
    """Every member must be commented on: who is still missing."""
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("点评覆盖情况"))
    people = selectors.review_coverage(campaign=campaign)
    missing = [p for p in people if p.n_reviews == 0]
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("点评覆盖情况"),
            columns=exports.REVIEW_COVERAGE,
            items=people,
            period=(campaign.starts_on, campaign.ends_on),
            scope=campaign.name,
            notes=exports.review_coverage_notes(total=len(people), missing=len(missing)),
        )
    context = {
        "campaign": campaign,
        "missing": missing,
        "total": len(people),
        "page": paginate(request, people),
    }
    return render(request, "campaign/review_coverage.html", context)
