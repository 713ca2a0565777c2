"""Purchases, the hand-out (发放) with receipt confirmation, and reading progress (phase 2)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import wants_export
from config.idempotency import idempotent
from config.media import serve_upload
from config.pagecache import cached_page
from config.views import form_error, paginate, post_action, refuse, safe_next
from members.models import User

from .. import exports, selectors, services
from ..access import (
    get_activity_for_user,
    get_branch_distribution_for_user,
    get_distribution_for_user,
    get_purchase_for_user,
    manage_reading_required,
    participate_reading_required,
    view_reading_required,
    view_reading_summary_required,
)
from ..forms import IssueForm, ProgressForm, PurchaseEditForm, PurchaseForm, ReasonForm
from ..models import Distribution, Purchase, ReadingActivity, ReadingProgress
from ..rules import is_participant, sees_members_progress


@view_reading_summary_required
@require_GET
def purchase_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    if wants_export(request):
        data = selectors.purchases(activity=activity)
        return exports.purchase_ledger(request, activity=activity, data=data)
    return render(
        request,
        "reading/purchase_list.html",
        {"activity": activity, **selectors.purchases(activity=activity)},
    )


@manage_reading_required
@idempotent
def purchase_create(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
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
            _purchase_refused(form, exc)
        else:
            messages.success(request, _("采购已登记。"))
            return redirect("reading:purchase_list", activity.pk)
    return render(request, "reading/purchase_form.html", {"form": form, "activity": activity})


def _purchase_refused(form: PurchaseEditForm, exc: ValidationError) -> None:
    """Over the budget: the warning with a 仍然保存 button; any other refusal at its field."""
    if getattr(exc, "code", None) == "over_budget":
        form.ask_to_confirm(exc)
    else:
        form_error(form, exc)


@manage_reading_required
@idempotent
def purchase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改 a purchase entered wrongly: amounts, supplier, date, invoice photo."""
    purchase = get_purchase_for_user(request, pk)
    activity = purchase.selection.activity
    back = reverse("reading:purchase_list", args=[activity.pk])
    # As for a new purchase: permission and state before the form reads request.FILES.
    try:
        services.purchase_check_editable(purchase=purchase, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(back)
    fields = PurchaseEditForm.Meta.fields
    form = PurchaseEditForm(
        request.POST or None,
        request.FILES or None,
        initial={name: getattr(purchase, name) for name in fields if name != "invoice"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.purchase_update(purchase=purchase, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _purchase_refused(form, exc)
        else:
            messages.success(request, _("采购记录已修改。"))
            return redirect(back)
    return render(
        request,
        "reading/purchase_form.html",
        {"form": form, "activity": activity, "purchase": purchase},
    )


@manage_reading_required
@idempotent
def purchase_void(request: HttpRequest, pk: int) -> HttpResponse:
    """作废 a purchase recorded by mistake, with a reason that stays on the list."""
    purchase = get_purchase_for_user(request, pk)
    by = request.user
    return _void_page(
        request,
        purchase,
        activity=purchase.selection.activity,
        back=reverse("reading:purchase_list", args=[purchase.selection.activity_id]),
        check=lambda: services.purchase_check_editable(purchase=purchase, by=by),
        void=lambda reason: services.purchase_void(purchase=purchase, reason=reason, by=by),
        done=_("采购记录已作废，不再计入合计和预算。"),
    )


def _void_page(
    request: HttpRequest,
    obj: Purchase | Distribution,
    *,
    activity: ReadingActivity,
    back: str,
    check: Callable[[], None],
    void: Callable[[str], object],
    done: str,
) -> HttpResponse:
    """GET: what is to be voided and a reason form; POST: the service. Refused up front (already
    作废, or not allowed) back to the list with the reason."""
    back = safe_next(request, back)
    try:
        check()
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(back)
    form = ReasonForm(request.POST or None, label=_("作废原因（会一直显示在这条记录旁边）"))
    if request.method == "POST" and form.is_valid():
        try:
            void(form.cleaned_data["reason"])
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "reading/void_form.html",
        {
            "form": form,
            "obj": obj,
            "handout": isinstance(obj, Distribution),
            "activity": activity,
            "back": back,
        },
    )


@view_reading_summary_required
@require_GET
def purchase_invoice(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The invoice photo, for whoever may see the purchases (config/media.py)."""
    return serve_upload(request, get_purchase_for_user(request, pk).invoice, name)


@view_reading_summary_required
@require_GET
@cached_page(per="roles")
def distribution_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """发放台账 page: who got which book, and who confirmed it."""
    activity = get_activity_for_user(request, activity_pk)
    show = request.GET.get("show", "")
    if wants_export(request):
        people = list(selectors.distribution_people(activity=activity, show=show))
        rows = selectors.distribution_rows(activity=activity, people=people)
        return exports.distribution_ledger(request, activity=activity, rows=rows, show=show)
    page = paginate(request, selectors.distribution_people(activity=activity, show=show))
    rows = selectors.distribution_rows(activity=activity, people=list(page.object_list))
    return render(
        request,
        "reading/distribution_list.html",
        {
            "activity": activity,
            "page": page,
            "rows": rows,
            "show": show,
            "selections": list(activity.selections.all()),
        },
    )


@manage_reading_required
@idempotent
def distribution_create(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """登记发放: hand one copy of a book to each chosen member."""
    activity = get_activity_for_user(request, activity_pk)
    if not activity.is_selected:
        messages.error(request, _("书目尚未选定，选定后才能发放。"))
        return redirect(activity)
    form = IssueForm(
        request.POST or None,
        activity=activity,
        people=selectors.participants(activity=activity),
        initial={"issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.distribution_issue(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已登记发放 %(n)d 册。") % {"n": len(rows)})
            return redirect("reading:distribution_list", activity.pk)
    return render(request, "reading/distribution_form.html", {"form": form, "activity": activity})


@participate_reading_required
@require_POST
def distribution_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    distribution = get_distribution_for_user(request, pk)
    return post_action(
        request,
        lambda: services.distribution_confirm(distribution=distribution, by=request.user),
        back=distribution.selection.activity.get_absolute_url(),
        done=_("已确认领取 %(book)s。") % {"book": distribution.selection},
    )


@manage_reading_required
@require_POST
def distribution_confirm_for(request: HttpRequest, pk: int) -> HttpResponse:
    """发放台账: the secretary marks 已领取 for a member who does not use the app."""
    distribution = get_branch_distribution_for_user(request, pk)
    return post_action(
        request,
        lambda: services.distribution_confirm_for(distribution=distribution, by=request.user),
        back=reverse("reading:distribution_list", args=[distribution.selection.activity_id]),
        done=_("已代 %(name)s 确认领取 %(book)s。")
        % {"name": distribution.member.full_name, "book": distribution.selection},
    )


@manage_reading_required
@idempotent
def distribution_void(request: HttpRequest, pk: int) -> HttpResponse:
    """发放台账: 作废 a hand-out recorded by mistake (wrong person or book), with a reason."""
    distribution = get_branch_distribution_for_user(request, pk)
    by = request.user
    return _void_page(
        request,
        distribution,
        activity=distribution.selection.activity,
        back=reverse("reading:distribution_list", args=[distribution.selection.activity_id]),
        check=lambda: services.distribution_check_voidable(distribution=distribution, by=by),
        void=lambda reason: services.distribution_void(
            distribution=distribution, reason=reason, by=by
        ),
        done=_("已作废 %(name)s 的 %(book)s 发放记录；这一册可以重新发放。")
        % {"name": distribution.member.full_name, "book": distribution.selection},
    )


@view_reading_required
@require_GET
@cached_page(per="person")
def progress_list(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    user = request.user
    everything = user.has_perm("reading.manage_reading")
    show = request.GET.get("show", "") if everything else ""
    members_only = not sees_members_progress(user)
    people = (
        selectors.progress_people(activity=activity, show=show, viewer=user)
        if not members_only
        else User.objects.none()
    )
    if show == "behind" or wants_export(request):
        # Who is behind is known only once each row is built: build them all.
        rows = selectors.progress_rows(activity=activity, people=list(people), viewer=user)
        if show == "behind":
            rows = [r for r in rows if r.behind]
        if wants_export(request):
            pace = selectors.expected_percent(activity=activity)
            return exports.progress_ledger(
                request, activity=activity, rows=rows, everything=everything, show=show, pace=pace
            )
        page = paginate(request, rows)
    else:
        # Otherwise only the rows of the page on screen are built (5,000 people: one page).
        page = paginate(request, people)
        page.object_list = selectors.progress_rows(
            activity=activity, people=list(page.object_list), viewer=user
        )
    forms = []
    if is_participant(activity, user) and activity.is_selected:
        mine = {
            p.selection_id: p
            for p in ReadingProgress.objects.filter(selection__activity=activity, member=user)
        }
        for s in activity.selections.all():
            instance = mine.get(s.pk)
            forms.append((s, ProgressForm(instance=instance, prefix=f"s{s.pk}")))
    return render(
        request,
        "reading/progress_list.html",
        {
            "activity": activity,
            "page": page,
            "forms": forms,
            "members_only": members_only,
            "show": show,
            "everything": everything,
            "pace": selectors.expected_percent(activity=activity),
            "selections": list(activity.selections.all()),
        },
    )


def _progress_step(request: HttpRequest, activity: ReadingActivity) -> ReadingProgress:
    """The form of one book on the progress page, then the service; a bad form is a refusal."""
    selection = activity.selections.filter(pk=request.POST.get("selection") or 0).first()
    if selection is None:
        raise ValidationError(_("请选择本次活动的书目。"), code="no_selection")
    form = ProgressForm(request.POST, prefix=f"s{selection.pk}")
    if not form.is_valid():
        raise ValidationError(
            " ".join(e for errs in form.errors.values() for e in errs), code="invalid"
        )
    data = form.cleaned_data
    return services.progress_update(
        selection=selection,
        by=request.user,
        status=data["status"],
        percent=data["percent"],
        visible_to_members=data["visible_to_members"],
    )


@participate_reading_required
@require_POST
def progress_update(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    return post_action(
        request,
        lambda: _progress_step(request, activity),
        back=reverse("reading:progress_list", args=[activity.pk]),
        done=lambda progress: _("已更新 %(book)s 的阅读进度。") % {"book": progress.selection},
    )
