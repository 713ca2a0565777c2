"""Shared pieces of the campaign views: permission decorators, pagination, the current campaign."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..models import Campaign

manage_campaign = permission_required("campaign.manage_campaign", raise_exception=True)
view_campaign = permission_required("campaign.view_campaign", raise_exception=True)
make_pledge = permission_required("campaign.make_pledge", raise_exception=True)
review_members = permission_required("campaign.review_members", raise_exception=True)


def paginate(request: HttpRequest, queryset: QuerySet | list) -> Page:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


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


def form_error(form: Form, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def refuse(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))
