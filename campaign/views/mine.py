"""My campaign: my pledges, comments on me, my evaluation result, my honours, my tasks."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.models import Role

from .. import selectors
from ..models import EvaluationRound, Honour
from ._common import current_campaign, no_campaign


@require_GET
def my_campaign(request: HttpRequest) -> HttpResponse:
    user = request.user
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("我的创先争优"))
    pledges = (
        campaign.pledges.filter(owner=user)
        .select_related("standard")
        .prefetch_related("progress")
        .annotate(progress_count=Count("progress"))
    )
    results = user.evaluations.filter(
        round__campaign=campaign, round__status=EvaluationRound.Status.CLOSED
    ).select_related("round")
    context = {
        "campaign": campaign,
        "is_member": user.has_role(Role.MEMBER),
        "pledges": pledges,
        "expected": campaign.member_standards.items.all() if campaign.member_standards else [],
        "reviews": campaign.reviews.filter(subject=user).select_related("reviewer"),
        "results": results,
        "min_ballots": EvaluationRound.MIN_BALLOTS,
        "honours": Honour.objects.filter(person=user).select_related("campaign"),
        "tasks": selectors.tasks_for(user, campaign),
        "rounds": selectors.open_rounds_for(user),
    }
    return render(request, "campaign/my_campaign.html", context)
