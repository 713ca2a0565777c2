"""关爱慰问 pages (issue 13, point 5): the visits (list with its filter and 台账, one visit,
recording and correcting one), the 住院报告 (the list the secretary and the leaders work from,
late ones first; recording the visit that answers one, with one tap; closing one with a reason),
and the short "同事住院" form anyone of the branch sends to the secretary.

Who may do what is campaign.rules_care: the secretary and the leaders read visits and reports,
health details included (an object of another branch is a 404 to them); everyone else gets 403
on those pages and only has the report form, with his or her own reports and none of their
health details. The visit 台账 carries the 情况记录 column for the secretary only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from config.exports import Column, ledger_response, money, wants_export
from config.idempotency import idempotent
from config.views import form_error, paginate
from members.models import User

from .. import selectors_care as selectors
from .. import services
from ..exports import filters_text
from ..forms_care import CareVisitFilter, CareVisitForm, IllnessReportForm, ReportCloseForm
from ..models import CareVisit, IllnessReport
from ..models.care import VISIT_WITHIN_DAYS
from ..rules_care import (
    exports_care_notes,
    manages_care,
    may_edit_visit,
    may_report_illness,
    sees_care,
)

View = Callable[..., HttpResponse]


def _required(rule: Callable[[User, int | None], bool]) -> Callable[[View], View]:
    """Ask `rule` of the user and his or her branch before the view (and before its method
    check): a role that may not act gets 403 for every method."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not rule(request.user, getattr(request.user, "branch_id", None)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


officers_required = _required(sees_care)  # the secretary and the leaders
secretary_required = _required(manages_care)
branch_required = _required(may_report_illness)  # anyone signed in of the branch


def _get_visit_for_user(request: HttpRequest, pk: int) -> CareVisit:
    """A visit of the user's branch (else 404) that the user may read (else 403)."""
    visit = get_object_or_404(
        CareVisit.objects.select_related("person__department", "recorded_by"),
        pk=pk,
        branch_id=request.user.branch_id,
    )
    if not sees_care(request.user, visit.branch_id):
        raise PermissionDenied
    return visit


def _get_report_for_user(request: HttpRequest, pk: int) -> IllnessReport:
    report = get_object_or_404(
        IllnessReport.objects.select_related("person__department", "reported_by"),
        pk=pk,
        branch_id=request.user.branch_id,
    )
    if not sees_care(request.user, report.branch_id):
        raise PermissionDenied
    return report


# --- The visits' 台账 -----------------------------------------------------------------------------


def _department(person: User) -> str:
    return str(person.department) if person.department_id else ""


def visit_columns(*, notes: bool) -> list[Column]:
    """The columns of the 关爱慰问台账; the 情况记录 (health details) only with `notes`."""
    columns = [
        Column(_lazy("慰问日期"), lambda v: v.visited_on),
        Column(_lazy("慰问对象"), lambda v: v.person.full_name),
        Column(_lazy("部门"), lambda v: _department(v.person)),
        Column(_lazy("慰问原因"), lambda v: v.get_reason_display()),
        Column(
            _lazy("慰问人"), lambda v: "、".join(p.full_name for p in v.visitors.all()), width=30
        ),
        Column(_lazy("慰问品"), lambda v: v.gifts, width=30),
        Column(_lazy("慰问金（元）"), lambda v: money(v.amount)),
        Column(_lazy("回访日期"), lambda v: v.follow_up_on),
        Column(_lazy("登记人"), lambda v: v.recorded_by.full_name if v.recorded_by_id else ""),
    ]
    if notes:
        columns.insert(7, Column(_lazy("情况记录"), lambda v: v.notes, width=50))
    return columns


def _export(request: HttpRequest, filterset: CareVisitFilter) -> HttpResponse:
    user = request.user
    with_notes = exports_care_notes(user, user.branch_id)
    totals = selectors.visit_totals(filterset.qs)
    notes = [
        _("共 %(n)d 次慰问，慰问金合计 %(amount)s 元。")
        % {"n": totals["n"], "amount": money(totals["amount"])}
    ]
    if not with_notes:
        notes.append(_("情况记录涉及个人健康等隐私，只在支部书记导出的台账中。"))
    return ledger_response(
        request,
        ledger=_("关爱慰问台账"),
        columns=visit_columns(notes=with_notes),
        items=filterset.qs,
        scope=filters_text(filterset),
        notes=notes,
    )


# --- Visits ---------------------------------------------------------------------------------------


@officers_required
@require_GET
def care_visit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset = CareVisitFilter(
        request.GET or None, queryset=selectors.visit_list(branch=user.branch)
    )
    if wants_export(request):
        return _export(request, filterset)
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "totals": selectors.visit_totals(filterset.qs),
        "n_late": selectors.late_count(branch=user.branch),
        "within_days": VISIT_WITHIN_DAYS,
    }
    return render(request, "campaign/care_visit_list.html", context)


def _visit_form(
    request: HttpRequest,
    *,
    visit: CareVisit | None = None,
    report: IllnessReport | None = None,
) -> HttpResponse:
    """The visit form: a new visit, one answering `report`, or a correction of `visit`."""
    user = request.user
    form = CareVisitForm(request.POST or None, branch=user.branch, visit=visit, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            if visit is None:
                saved = services.care_visit_create(
                    branch=user.branch,
                    data=form.data_for_service(),
                    visitors=form.cleaned_data["visitors"],
                    by=user,
                    report=report,
                )
            else:
                saved = services.care_visit_update(
                    visit=visit,
                    data=form.data_for_service(),
                    visitors=form.cleaned_data["visitors"],
                    by=user,
                )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            if visit is not None:
                messages.success(request, _("慰问记录已修改，修改前后的内容记入操作记录。"))
            elif report is not None:
                messages.success(
                    request,
                    _("已登记对%(name)s的慰问，住院报告已处理。")
                    % {"name": saved.person.full_name},
                )
            else:
                messages.success(
                    request, _("已登记对%(name)s的慰问。") % {"name": saved.person.full_name}
                )
            return redirect("campaign:care_visit_detail", pk=saved.pk)
    context = {"form": form, "visit": visit, "report": report}
    return render(request, "campaign/care_visit_form.html", context)


@officers_required
@idempotent
def care_visit_create(request: HttpRequest) -> HttpResponse:
    return _visit_form(request)


@officers_required
@require_GET
def care_visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _get_visit_for_user(request, pk)
    context = {
        "visit": visit,
        **selectors.visit_detail(visit=visit),
        "may_edit": may_edit_visit(request.user, visit),
    }
    return render(request, "campaign/care_visit_detail.html", context)


@officers_required
def care_visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _get_visit_for_user(request, pk)
    if not may_edit_visit(request.user, visit):
        raise PermissionDenied
    return _visit_form(request, visit=visit)


# --- 住院报告 ---------------------------------------------------------------------------------


@officers_required
@require_GET
def care_report_list(request: HttpRequest) -> HttpResponse:
    board = selectors.report_board(branch=request.user.branch)
    context = {
        "late": board["late"],
        "waiting": board["waiting"],
        "page": paginate(request, board["handled"]),
        "manages": manages_care(request.user, request.user.branch_id),
        "within_days": VISIT_WITHIN_DAYS,
    }
    return render(request, "campaign/care_report_list.html", context)


@branch_required
@idempotent
def care_report_create(request: HttpRequest) -> HttpResponse:
    """ "同事住院": a short form for anyone of the branch; the answer is a confirmation on the
    same page, with the sender's own reports (no health details, nobody else's)."""
    user = request.user
    form = IllnessReportForm(request.POST or None, branch=user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.illness_report_create(
                branch=user.branch, data=form.cleaned_data, by=user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("已把%(name)s住院的消息报告给支部书记，谢谢您对同事的关心！")
                % {"name": report.person.full_name},
            )
            return redirect("campaign:care_report_create")
    context = {
        "form": form,
        "mine": selectors.reports_by(user=user),
        "sees_care": sees_care(user, user.branch_id),
    }
    return render(request, "campaign/care_report_form.html", context)


def _handled(request: HttpRequest, report: IllnessReport) -> HttpResponse | None:
    """Where to go when the report was answered or closed meanwhile (another tab, a colleague)."""
    if report.visit_id is not None:
        messages.info(request, _("这份住院报告已经登记过慰问了。"))
        return redirect("campaign:care_visit_detail", pk=report.visit_id)
    if report.closed:
        messages.info(request, _("这份住院报告已经关闭了。"))
        return redirect("campaign:care_report_list")
    return None


@officers_required
@idempotent
def care_report_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the visit answering a report: the form comes with the person and 生病住院."""
    report = _get_report_for_user(request, pk)
    return _handled(request, report) or _visit_form(request, report=report)


@secretary_required
def care_report_close(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    if (done := _handled(request, report)) is not None:
        return done
    form = ReportCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.illness_report_close(
                report=report, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s的住院报告已关闭。") % {"name": report.person.full_name}
            )
            return redirect("campaign:care_report_list")
    return render(request, "campaign/care_report_close.html", {"form": form, "report": report})
