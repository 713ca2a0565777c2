"""Correcting mistakes: edit or 作废 a 领导点评 or a 践诺 entry, correct the dates of a nomination's
steps. Each page asks the service's check first: someone who may not correct the record gets a
403 (a 404 outside the branch, from the access helper); a record that can no longer be corrected
(voided, judged, campaign over) a message on the record's page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.views import form_error, refuse

from .. import services
from ..access import (
    get_nomination_for_user,
    get_progress_for_user,
    get_review_for_user,
    make_pledge_required,
    manage_campaign_required,
    review_members_required,
)
from ..forms import NominationDatesForm, ProgressEditForm, ProgressForm, ReviewEditForm, VoidForm

# Refusals that mean "not yours to correct": a 403, not a message.
FORBIDDEN = {"forbidden"}


def _refused(request: HttpRequest, check: Callable[[], None]) -> ValidationError | None:
    """Run the service's check; raise 403 if the record is not the user's to correct, else return
    the refusal (None if allowed)."""
    try:
        check()
    except ValidationError as exc:
        if getattr(exc, "code", None) in FORBIDDEN:
            raise PermissionDenied from exc
        return exc
    return None


# --- 领导点评 ----------------------------------------------------------------------------------


@review_members_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request, pk)
    back = reverse("campaign:review_list")
    refusal = _refused(
        request, lambda: services.review_check_editable(review=review, by=request.user)
    )
    if refusal is not None:
        refuse(request, refusal)
        return redirect(back)
    initial = {
        "rating": review.rating,
        "comment": review.comment,
        "reviewed_on": review.reviewed_on,
    }
    form = ReviewEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("对 %(s)s 的点评已修改。") % {"s": review.subject_label})
            return redirect(back)
    return render(request, "campaign/review_edit.html", {"form": form, "review": review})


@review_members_required
def review_void(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request, pk)
    back = reverse("campaign:review_list")
    refusal = _refused(
        request, lambda: services.review_check_voidable(review=review, by=request.user)
    )
    if refusal is not None:
        refuse(request, refusal)
        return redirect(back)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_void(review=review, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("点评已作废，登记表上仍保留这条记录和作废原因。"))
            return redirect(back)
    context = {
        "form": form,
        "title": _("作废点评"),
        "what": _("%(reviewer)s 对 %(subject)s 的点评（%(rating)s，%(day)s）")
        % {
            "reviewer": review.reviewer.full_name,
            "subject": review.subject_label,
            "rating": review.get_rating_display(),
            "day": review.reviewed_on.strftime("%Y-%m-%d"),
        },
        "text": review.comment,
        "parent_url": back,
        "parent_label": _("点评登记表"),
    }
    return render(request, "campaign/void_form.html", context)


# --- 践诺 ------------------------------------------------------------------------------------


@make_pledge_required
def progress_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_progress_for_user(request, pk)
    pledge = entry.pledge
    # Permission and state before the form sees request.FILES (as progress_add): a photo that
    # cannot be kept is never decoded.
    refusal = _refused(
        request, lambda: services.progress_check_editable(entry=entry, by=request.user)
    )
    context = {"entry": entry, "pledge": pledge}
    if refusal is not None:
        if request.method != "POST":
            refuse(request, refusal)
            return redirect(pledge)
        form = ProgressForm(request.POST)  # what was typed stays; the photo is not read
        form_error(form, refusal)
        return render(request, "campaign/progress_edit.html", {**context, "form": form})
    initial = {"happened_on": entry.happened_on, "content": entry.content}
    form = ProgressEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_update(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("践诺记录已修改。"))
            return redirect(pledge)
    return render(request, "campaign/progress_edit.html", {**context, "form": form})


@make_pledge_required
def progress_void(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_progress_for_user(request, pk)
    pledge = entry.pledge
    refusal = _refused(
        request, lambda: services.progress_check_voidable(entry=entry, by=request.user)
    )
    if refusal is not None:
        refuse(request, refusal)
        return redirect(pledge)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_void(entry=entry, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("践诺记录已作废，承诺页上仍保留这条记录和作废原因。"))
            return redirect(pledge)
    context = {
        "form": form,
        "title": _("作废践诺记录"),
        "what": _("%(day)s 的践诺记录（%(who)s 记录）")
        % {
            "day": entry.happened_on.strftime("%Y-%m-%d"),
            "who": entry.recorded_by.full_name if entry.recorded_by else "—",
        },
        "text": entry.content,
        "parent_url": pledge.get_absolute_url(),
        "parent_label": pledge.standard.name,
    }
    return render(request, "campaign/void_form.html", context)


# --- 评选表彰 ----------------------------------------------------------------------------------


@manage_campaign_required
def nomination_dates_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_nomination_for_user(request, pk)
    refusal = _refused(
        request,
        lambda: services.nomination_check_dates_correctable(nomination=nomination, by=request.user),
    )
    if refusal is not None:
        refuse(request, refusal)
        return redirect(nomination)
    form = NominationDatesForm(
        request.POST or None, dates=services.nomination_dates(nomination=nomination)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_dates_update(
                nomination=nomination,
                dates=form.dates(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("日期已更正，更正前后的日期和原因已记入操作记录。"))
            return redirect(nomination)
    return render(
        request, "campaign/nomination_dates_form.html", {"form": form, "nomination": nomination}
    )
