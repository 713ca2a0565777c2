"""增收节支 pages: the records one by one (the secretary and leaders), entering and correcting
them and 作废 (the secretary), and the summary every reader of the branch sees: totals per post,
department, quarter and for the campaign, all summed by the database."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.views import form_error, paginate, refuse

from .. import exports, services
from .. import selectors_fortress as selectors
from ..access import current_campaign, manage_campaign_required, no_campaign, view_campaign_required
from ..access_fortress import check_reads, check_sees_internals, get_saving_for_user
from ..forms import VoidForm
from ..forms_deeds import SavingFilter, SavingForm
from ..models import SavingRecord
from ..rules_fortress import sees_internals

LIST = "campaign:saving_list"


def internals_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The secretary and leaders of the branch (access_fortress.check_sees_internals), checked
    before the method: as the other role-bound pages, a wrong role is a 403 whatever it sends."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check_sees_internals(request)
        return view(request, *args, **kwargs)

    return wrapper


@view_campaign_required
@internals_required
@require_GET
def saving_list(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("增收节支"))
    filterset = SavingFilter(
        request.GET or None,
        queryset=selectors.saving_list(campaign=campaign),
        branch=request.user.branch,
        campaign=campaign,
    )
    totals = selectors.saving_totals(records=filterset.qs)
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("增收节支台账"),
            columns=exports.SAVINGS,
            items=[*filterset.qs, exports.saving_total_row(totals)],
            period=(campaign.starts_on, campaign.ends_on),
            scope=exports.campaign_scope(campaign, filterset),
            notes=exports.saving_notes(totals),
        )
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "totals": totals,
    }
    return render(request, "campaign/saving_list.html", context)


@manage_campaign_required
@idempotent
def saving_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("登记增收节支"))
    form = SavingForm(request.POST or None, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.saving_create(
                campaign=campaign, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("已登记%(kind)s：%(item)s。")
                % {"kind": entry.get_kind_display(), "item": entry.item},
            )
            return redirect(LIST)
    return render(request, "campaign/saving_form.html", {"form": form, "campaign": campaign})


def _check_not_voided(request: HttpRequest, entry: SavingRecord) -> HttpResponse | None:
    if entry.is_voided:
        refuse(request, ValidationError(_("这条增收节支记录已作废，不能再修改或作废。")))
        return redirect(LIST)
    return None


@manage_campaign_required
def saving_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_saving_for_user(request, pk)
    if (refused := _check_not_voided(request, entry)) is not None:
        return refused
    initial = {
        "post": entry.post_id,
        "department": entry.department_id,
        "happened_on": entry.happened_on,
        "kind": entry.kind,
        "item": entry.item,
        "amount": entry.amount,
        "basis": entry.basis,
        "verified_by": entry.verified_by_id,
    }
    form = SavingForm(request.POST or None, branch=request.user.branch, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.saving_update(entry=entry, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("增收节支记录已修改。"))
            return redirect(LIST)
    context = {"form": form, "entry": entry, "campaign": entry.campaign}
    return render(request, "campaign/saving_form.html", context)


@manage_campaign_required
def saving_void(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_saving_for_user(request, pk)
    if (refused := _check_not_voided(request, entry)) is not None:
        return refused
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saving_void(entry=entry, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("记录已作废，台账上仍保留这条记录和作废原因，不再计入合计。")
            )
            return redirect(LIST)
    context = {
        "form": form,
        "title": _("作废增收节支记录"),
        "what": _("%(day)s · %(kind)s · %(where)s · %(amount)s")
        % {
            "day": entry.happened_on.strftime("%Y-%m-%d"),
            "kind": entry.get_kind_display(),
            "where": entry.post or entry.department,
            "amount": f"¥{entry.amount:,.2f}",
        },
        "text": f"{entry.item}：{entry.basis}",
        "parent_url": reverse(LIST),
        "parent_label": _("增收节支"),
    }
    return render(request, "campaign/void_form.html", context)


@view_campaign_required
@require_GET
@cached_page(per="roles")
def saving_summary(request: HttpRequest) -> HttpResponse:
    """Everyone of the branch reads the totals (as on the posts list); the secretary and leaders
    also follow each number to the records behind it, and export the summary."""
    check_reads(request)
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("增收节支汇总"))
    internal = sees_internals(request.user, request.user.branch_id)
    summary = selectors.saving_summary(campaign=campaign)
    if wants_export(request):
        if not internal:
            raise PermissionDenied
        return ledger_response(
            request,
            ledger=_("增收节支汇总"),
            columns=exports.SAVING_OVERVIEW,
            items=exports.saving_overview_rows(summary["totals"]),
            period=(campaign.starts_on, campaign.ends_on),
            scope=campaign.name,
            notes=exports.saving_notes(summary["totals"])[:1],
            extra_sheets=exports.saving_summary_sheets(
                branch=request.user.branch, campaign=campaign, summary=summary
            ),
        )
    # Each row's name, and the filter of the list behind it (saving_list?post=…).
    for row in summary["by_post"]:
        row["label"], row["key"] = row["post__name"], row["post"]
    for row in summary["by_department"]:
        row["label"], row["key"] = row["department__name"], row["department"]
    for row in summary["by_quarter"]:
        row["label"] = exports.quarter_label(row["year"], row["quarter"])
        row["key"] = f"{row['year']}-{row['quarter']}"
    totals = summary["totals"]
    groups = [
        # A record need not have a post: the post table has no campaign total under it. Every
        # record has a department and a date: those tables end with the campaign's total.
        {
            "title": _("按先锋岗"),
            "what": _("先锋岗"),
            "param": "post",
            "rows": summary["by_post"],
            "note": _("只含登记到先锋岗的记录。"),
        },
        {
            "title": _("按部门"),
            "what": _("部门"),
            "param": "department",
            "rows": summary["by_department"],
            "totals": totals,
        },
        {
            "title": _("按季度"),
            "what": _("季度"),
            "param": "quarter",
            "rows": summary["by_quarter"],
            "totals": totals,
        },
    ]
    context = {"campaign": campaign, "internal": internal, "groups": groups, **summary}
    return render(request, "campaign/saving_summary.html", context)
