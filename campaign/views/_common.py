"""Shared pieces of the campaign views: permission decorators, pagination, the current campaign."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from config.views import form_error, paginate, refuse  # noqa: F401 - re-exported

from .. import selectors
from ..models import Campaign

manage_campaign = permission_required("campaign.manage_campaign", raise_exception=True)
view_campaign = permission_required("campaign.view_campaign", raise_exception=True)
make_pledge = permission_required("campaign.make_pledge", raise_exception=True)
review_members = permission_required("campaign.review_members", raise_exception=True)


def current_campaign(request: HttpRequest) -> Campaign | None:
    if not hasattr(request, "_current_campaign"):
        request._current_campaign = selectors.current_campaign(request.user.branch)
    return request._current_campaign


def no_campaign(request: HttpRequest, title: str) -> HttpResponse:
    """The empty state of every page that needs a running campaign."""
    return render(request, "campaign/no_campaign.html", {"title": title})


def _get_campaign_for_user(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("current_phase", "branch"),
        pk=pk,
        branch=request.user.branch,
    )
