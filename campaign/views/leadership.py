"""领导班子 pages: the team's decisions under democratic centralism and its integrity records
(《廉政准则》《若干规定》 study sessions, pledges signed). The secretary records and corrects them;
the leaders and the party members of the branch read them; staff do not (issue 12). Each
leader's 一岗双责 stays on members:leadership, which links here and back.

Both lists answer ``?format=xlsx`` (the secretary's 台账) with every row their filters keep."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.views import form_error, paginate

from .. import exports, services
from .. import selectors_fortress as selectors
from ..access_fortress import (
    check_manages,
    check_reads_team_record,
    get_decision_for_user,
    get_integrity_for_user,
)
from ..forms_leadership import DecisionFilter, DecisionForm, IntegrityFilter, IntegrityForm
from ..models import Decision
from ..rules_fortress import manages_fortress

View = Callable[..., HttpResponse]


def _checked(check: Callable[[HttpRequest], None]) -> Callable[[View], View]:
    """Ask `check` before the view (and before its method check): a wrong role gets 403 for
    every method, as the permission decorators of the other pages do."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            check(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


team_readers_required = _checked(check_reads_team_record)
secretary_required = _checked(check_manages)


def _may_manage(request: HttpRequest) -> bool:
    return manages_fortress(request.user, request.user.branch_id)


def _export(request: HttpRequest, **ledger: Any) -> HttpResponse:
    """The secretary's 台账 of a list; nobody else takes the team's record away."""
    if not _may_manage(request):
        raise PermissionDenied
    return ledger_response(request, notes=exports.leadership_notes(), **ledger)


# --- Decisions --------------------------------------------------------------------------------


@team_readers_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    filterset = DecisionFilter(
        request.GET or None, queryset=selectors.decision_list(branch=request.user.branch)
    )
    if wants_export(request):
        return _export(
            request,
            ledger=_("领导班子决策台账"),
            columns=exports.DECISIONS,
            items=filterset.qs,
            scope=exports.filters_text(filterset),
        )
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "may_manage": _may_manage(request),
    }
    return render(request, "campaign/decision_list.html", context)


@secretary_required
@idempotent
def decision_create(request: HttpRequest) -> HttpResponse:
    form = DecisionForm(request.POST or None, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(
                branch=request.user.branch,
                data=form.data_for_service(),
                attendees=form.cleaned_data["attendees"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已记录班子决策“%(t)s”。") % {"t": decision.topic})
            return redirect(decision)
    return render(request, "campaign/decision_form.html", {"form": form, "decision": None})


@team_readers_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request, pk)
    context = {
        "decision": decision,
        "attendees": decision.attendees.select_related("department").order_by(
            "department__order", "full_name", "pk"
        ),
        "voted": decision.method in Decision.VOTING_METHODS and decision.votes_for is not None,
        "may_manage": _may_manage(request),
    }
    return render(request, "campaign/decision_detail.html", context)


@secretary_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request, pk)
    form = DecisionForm(request.POST or None, branch=request.user.branch, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                decision=decision,
                data=form.data_for_service(),
                attendees=form.cleaned_data["attendees"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("班子决策已修改，修改前后的内容记入操作记录。"))
            return redirect(decision)
    return render(request, "campaign/decision_form.html", {"form": form, "decision": decision})


# --- Integrity records --------------------------------------------------------------------------


@team_readers_required
@require_GET
def integrity_list(request: HttpRequest) -> HttpResponse:
    filterset = IntegrityFilter(
        request.GET or None, queryset=selectors.integrity_list(branch=request.user.branch)
    )
    if wants_export(request):
        return _export(
            request,
            ledger=_("廉洁自律台账"),
            columns=exports.INTEGRITY,
            items=filterset.qs,
            scope=exports.filters_text(filterset),
        )
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "may_manage": _may_manage(request),
    }
    return render(request, "campaign/integrity_list.html", context)


@secretary_required
@idempotent
def integrity_create(request: HttpRequest) -> HttpResponse:
    form = IntegrityForm(request.POST or None, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.integrity_create(
                branch=request.user.branch,
                data=form.data_for_service(),
                participants=form.cleaned_data["participants"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("廉洁自律记录已保存。"))
            return redirect("campaign:integrity_list")
    return render(request, "campaign/integrity_form.html", {"form": form, "entry": None})


@secretary_required
def integrity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_integrity_for_user(request, pk)
    form = IntegrityForm(request.POST or None, branch=request.user.branch, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.integrity_update(
                entry=entry,
                data=form.data_for_service(),
                participants=form.cleaned_data["participants"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("廉洁自律记录已修改，修改前后的内容记入操作记录。"))
            return redirect("campaign:integrity_list")
    return render(request, "campaign/integrity_form.html", {"form": form, "entry": entry})
