"""My campaign: my pledges, comments on me, my evaluation result, my honours, my tasks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from members.models import Role

from .. import selectors
from ..access import current_campaign, no_campaign
from ..models import EvaluationRound, Pledge
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
        # The 修改被退回的承诺 task with several returned pledges lists only those.
        "only_returned": request.GET.get("status") == "returned",
        # The leaders draft and keep the leadership team's 四好 pledges (the secretary reviews).
        "team_pledges": (
            campaign.pledges.filter(scope=Pledge.Scope.TEAM).select_related("standard")
            if user.has_role(Role.LEADER)
            else None
        ),
    }
    return render(request, "campaign/my_campaign.html", context)
