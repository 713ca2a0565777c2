"""My campaign: my pledges, comments on me, my evaluation result, my honours, my tasks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.models import Role

from .. import selectors
from ..access import current_campaign, no_campaign
from ..models import EvaluationRound
from ..tasks import campaign_tasks


@require_GET
def my_campaign(request: HttpRequest) -> HttpResponse:
    user = request.user
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("我的创先争优"))
    context = {
        "campaign": campaign,
        "is_member": user.has_role(Role.MEMBER),
        **selectors.my_campaign(user=user, campaign=campaign),
        "min_ballots": EvaluationRound.MIN_BALLOTS,
        "tasks": campaign_tasks(user=user, campaign=campaign),
        "rounds": selectors.open_rounds_for(user=user),
    }
    return render(request, "campaign/my_campaign.html", context)
