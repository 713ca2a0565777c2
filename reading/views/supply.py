"""Purchases, the hand-out ledger with receipt confirmation, and reading progress (phase 2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.idempotency import idempotent

from .. import selectors, services
from ..forms import IssueForm, ProgressForm, PurchaseForm
from ..models import ReadingProgress
from ..models.supply import sees_members_progress
from .common import (
    _get_activity_for_user,
    _get_distribution_for_user,
    _get_purchase_for_user,
    can_manage,
    can_participate,
    can_see_summary,
    can_view,
    form_error,
    paginate,
    refuse,
)


@can_see_summary
@require_GET
def purchase_list(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    return render(
        request,
        "reading/purchase_list.html",
        {"activity": activity, **selectors.purchases(activity)},
    )


@can_manage
@idempotent
def purchase_create(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    # Permission and state before the form sees request.FILES: an invoice photo that cannot be
    # kept is never decoded (decoding is the expensive part of an upload).
    try:
        services.purchase_check_open(activity=activity, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(activity)
    form = PurchaseForm(
        request.POST or None,
        request.FILES or None,
        activity=activity,
        initial={"purchased_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.purchase_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("采购已登记。"))
            return redirect("reading:purchase_list", activity.pk)
    return render(request, "reading/purchase_form.html", {"form": form, "activity": activity})


@can_see_summary
@require_GET
def purchase_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice photo, served through the app so that only the branch's leaders see it."""
    purchase = _get_purchase_for_user(request, pk)
    if not purchase.invoice:
        raise Http404
    return FileResponse(purchase.invoice.open("rb"), as_attachment=False)


@can_see_summary
@require_GET
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    show = request.GET.get("show", "")
    page = paginate(request, selectors.ledger_people(activity, show))
    rows = selectors.ledger_rows(activity, list(page.object_list))
    return render(
        request,
        "reading/ledger.html",
        {
            "activity": activity,
            "page": page,
            "rows": rows,
            "show": show,
            "selections": list(activity.selections.all()),
        },
    )


@can_manage
@idempotent
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    if not activity.is_selected:
        messages.error(request, _("书目尚未选定，选定后才能发放。"))
        return redirect(activity)
    form = IssueForm(
        request.POST or None,
        activity=activity,
        people=selectors.participants(activity),
        initial={"issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.distribution_issue(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已登记发放 %(n)d 册。") % {"n": len(rows)})
            return redirect("reading:ledger", activity.pk)
    return render(request, "reading/issue_form.html", {"form": form, "activity": activity})


@can_participate
@require_POST
def confirm_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = _get_distribution_for_user(request, pk)
    try:
        services.distribution_confirm(distribution=distribution, member=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已确认领取 %(book)s。") % {"book": distribution.selection})
    return redirect(distribution.selection.activity)


@can_view
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    user = request.user
    everything = user.has_perm("reading.manage_reading")
    show = request.GET.get("show", "") if everything else ""
    members_only = not sees_members_progress(user)
    rows = []
    if not members_only:
        people = list(selectors.progress_people(activity, show, viewer=user))
        rows = selectors.progress_rows(activity, people, viewer=user)
    if show == "behind":
        rows = [r for r in rows if r.behind]
    page = paginate(request, rows)
    forms = []
    if services.is_participant(activity, user) and activity.is_selected:
        mine = {
            p.selection_id: p
            for p in ReadingProgress.objects.filter(selection__activity=activity, member=user)
        }
        for s in activity.selections.all():
            instance = mine.get(s.pk)
            forms.append((s, ProgressForm(instance=instance, prefix=f"s{s.pk}")))
    return render(
        request,
        "reading/progress.html",
        {
            "activity": activity,
            "page": page,
            "forms": forms,
            "members_only": members_only,
            "show": show,
            "everything": everything,
            "pace": selectors.expected_percent(activity),
            "selections": list(activity.selections.all()),
        },
    )


@can_participate
@require_POST
def progress_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity_for_user(request, pk)
    selection = activity.selections.filter(pk=request.POST.get("selection") or 0).first()
    if selection is None:
        messages.error(request, _("请选择本次活动的书目。"))
        return redirect("reading:progress", activity.pk)
    form = ProgressForm(request.POST, prefix=f"s{selection.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("reading:progress", activity.pk)
    data = form.cleaned_data
    try:
        services.progress_update(
            selection=selection,
            member=request.user,
            status=data["status"],
            percent=data["percent"],
            visible_to_members=data["visible_to_members"],
        )
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已更新 %(book)s 的阅读进度。") % {"book": selection})
    return redirect("reading:progress", activity.pk)
