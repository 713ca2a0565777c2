"""`{% campaign_home_panel %}`: the current phase and what is expected of you now."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("campaign/_home_panel.html", takes_context=True)
def campaign_home_panel(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    campaign = selectors.current_campaign(user.branch)
    return {
        "campaign": campaign,
        "phase": campaign.current_phase if campaign else None,
        "tasks": selectors.tasks_for(user, campaign),
        "nav": context.get("nav", {}),
    }
