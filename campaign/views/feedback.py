"""Staff feedback pages: sending feedback (also signed out, from the canteen's QR poster), the
receipt page of a 完全匿名 item, following an item with its receipt code, and a signed-in
sender's own items.

A 完全匿名 submission touches nothing that names the sender: no flash message (messages live in
the session), no idempotency record in the session, no redirect whose address the browser keeps;
the receipt code is shown in the answer to the POST itself, marked not to be cached.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.exports import ledger_response, wants_export
from config.idempotency import FIELD as ONCE_FIELD
from config.idempotency import new_token
from config.media import serve_upload
from config.pagecache import cached_page
from config.ratelimit import over_limit
from config.views import form_error, paginate
from members.models import Branch

from .. import exports_handling, services
from .. import rules_feedback as rules
from .. import selectors_handling as selectors
from ..forms_feedback import (
    AcceptForm,
    CloseForm,
    DeclineForm,
    DuplicateForm,
    FeedbackForm,
    NoteForm,
    QueueFilter,
    RateForm,
    ReceiptForm,
    RectifyForm,
    RedactForm,
    ReplyForm,
)
from ..models import Feedback, FeedbackDrop
from ..rules_fortress import manages_fortress, reads_fortress


def _branch_for(request: HttpRequest, pk: int) -> Branch:
    return get_object_or_404(Branch, pk=pk)


def _signed_in_here(request: HttpRequest, branch: Branch) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.branch_id == branch.pk)


def _first_use(token: str) -> bool:
    """A one-time form token seen for the first time (kept an hour in the shared cache, under
    an HMAC of it; nothing in the session). A resent form does not make a second item."""
    digest = hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()
    return cache.add(f"feedback-once:{digest}", 1, timeout=3600)


@login_not_required
@never_cache
def feedback_send(request: HttpRequest, branch: int) -> HttpResponse:
    branch_obj = _branch_for(request, branch)
    signed_in = _signed_in_here(request, branch_obj)
    form = FeedbackForm(request.POST or None, request.FILES or None, signed_in=signed_in)
    status = 200
    if request.method == "POST":
        # Counted before the form is read: a flood costs no image decoding.
        if over_limit(request, group="feedback-send"):
            form.is_valid()
            form.add_error(None, _("提交太频繁了，请过一小时再试。"))
            status = 429
        elif form.is_valid():
            token = request.POST.get(ONCE_FIELD, "")
            if token and not _first_use(token):
                return render(request, "campaign/feedback_resent.html", {"branch": branch_obj})
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    item, code = services.feedback_send(
                        branch=branch_obj,
                        by=request.user if signed_in else None,
                        identity=data["identity"],
                        data=data,
                        photo=data.get("photo"),
                    )
            except ValidationError as exc:
                form_error(form, exc)
            else:
                if code is not None:
                    context = {"branch": branch_obj, "code": code, "signed_in": signed_in}
                    response = render(request, "campaign/feedback_receipt.html", context)
                    response["Cache-Control"] = "no-store"
                    return response
                messages.success(request, _("意见已提交，处理进展可以在“我的意见”里查看。"))
                return redirect(item.get_absolute_url())
    request.once_token = request.POST.get(ONCE_FIELD) or new_token()
    context = {"branch": branch_obj, "form": form, "signed_in": signed_in}
    return render(request, "campaign/feedback_form.html", context, status=status)


@login_not_required
@never_cache
def feedback_track(request: HttpRequest) -> HttpResponse:
    """Follow an item with its receipt code, typed into a form (POST): the code never sits in
    an address the browser's history or a server log keeps."""
    form = ReceiptForm(request.POST or None)
    found: Feedback | FeedbackDrop | None = None
    status = 200
    if request.method == "POST":
        if over_limit(request, group="feedback-track"):
            form.is_valid()
            form.add_error(None, _("查询太频繁了，请过一小时再试。"))
            status = 429
        elif form.is_valid():
            if services.feedback_release_due():
                services.feedback_release()
            found = services.receipt_lookup(form.cleaned_data["code"])
            if found is None:
                form.add_error("code", _("没有找到这个回执码对应的意见，请核对后重新输入。"))
    item = found if isinstance(found, Feedback) else None
    rate_form, rated = None, None
    if item is not None and item.status == Feedback.Status.FIXED:
        # The verdict comes with the code (a hidden field of the page the code opened); no
        # message in the session: the answer says it.
        rate_form = RateForm(request.POST if "level" in request.POST else None)
        if rate_form.is_bound and rate_form.is_valid():
            try:
                rated = services.feedback_rate(
                    item=item,
                    level=rate_form.cleaned_data["level"],
                    comment=rate_form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form_error(rate_form, exc)
            else:
                item.refresh_from_db()
                rate_form = None
    context = {
        "form": form,
        "item": item,
        "waiting": found if isinstance(found, FeedbackDrop) else None,
        "rate_form": rate_form,
        "rated": rated,
        "code": form.cleaned_data["code"] if item is not None else "",
    }
    response = render(request, "campaign/feedback_track.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def feedback_mine(request: HttpRequest) -> HttpResponse:
    """The signed-in sender's own 实名 and 对外匿名 items (完全匿名 ones are nobody's)."""
    user = request.user
    items = Feedback.objects.filter(sender=user).order_by("-submitted_on", "id")
    context = {
        "page": paginate(request, items),
        "send_url": reverse("campaign:feedback_send", args=[user.branch_id])
        if user.branch_id
        else "",
    }
    return render(request, "campaign/feedback_mine.html", context)


def _get_for_user(request: HttpRequest, pk: uuid.UUID) -> Feedback:
    """A feedback item its named sender or a handler (the secretary, a leader) may open; 404
    for anyone else, who may not know it exists."""
    try:
        item = selectors.item_detail(pk)
    except Feedback.DoesNotExist as exc:
        raise Http404 from exc
    if not rules.may_open(request.user, item):
        raise Http404
    return item


def sender_label(viewer: object, item: Feedback) -> str:
    """Who sent it, as `viewer` may read it."""
    if item.identity == Feedback.Identity.NONE:
        return _("完全匿名")
    if rules.sees_sender(viewer, item) and item.sender is not None:
        return item.sender.full_name
    return _("对外匿名")


def _forms(
    item: Feedback, actions: frozenset[str], user: object, bound: dict | None = None
) -> dict:
    """The forms of the actions `user` may take on the item, in ACTIONS order: the bound one
    that came back with errors, the others empty (with the item's current text, if any)."""
    bound = bound or {}
    forms_ = {}
    for name, action in ACTIONS.items():
        if name in actions:
            forms_[name] = bound.get(name) or action.form(None, item, user)
            if name not in bound:
                forms_[name].initial = action.initial(item)
    return forms_


def _detail(
    request: HttpRequest,
    item: Feedback,
    bound: dict[str, forms.Form] | None = None,
    rate_form: RateForm | None = None,
) -> HttpResponse:
    user = request.user
    handler_view = rules.reads_feedback_queue(user, item.branch_id)
    actions = services.feedback_actions(item=item, by=user)
    context = {
        "item": item,
        "handler_view": handler_view,
        "sender": sender_label(user, item),
        "notes": list(item.notes.all()) if handler_view else [],
        "ratings": list(item.ratings.all()),
        "forms": _forms(item, actions, user, bound),
        "rate_form": rate_form
        or (
            RateForm()
            if rules.may_rate_as_sender(user, item) and item.status == Feedback.Status.FIXED
            else None
        ),
    }
    return render(request, "campaign/feedback_detail.html", context)


@require_GET
def feedback_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _detail(request, _get_for_user(request, pk))


@require_GET
def feedback_photo(request: HttpRequest, pk: uuid.UUID, name: str) -> HttpResponse:
    return serve_upload(request, _get_for_user(request, pk).photo, name)


@require_GET
@cached_page(per="person")
def feedback_list(request: HttpRequest) -> HttpResponse:
    """The handlers' list (secretary, leaders): items standing out first."""
    user = request.user
    if not rules.reads_feedback_queue(user, user.branch_id):
        raise PermissionDenied
    if services.feedback_release_due():
        services.feedback_release()
    filterset = QueueFilter(
        request.GET or None, queryset=selectors.queue(branch_id=user.branch_id), viewer=user
    )
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("群众意见处理台账"),
            columns=exports_handling.QUEUE,
            items=filterset.qs,
            scope=exports_handling.scope(filterset),
        )
    page = paginate(request, filterset.qs)
    rows = [(item, sender_label(user, item)) for item in page]
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "counts": selectors.queue_counts(branch_id=user.branch_id),
    }
    return render(request, "campaign/feedback_list.html", context)


# --- Handling actions: one POST each; a refused form comes back on the item's page ------------


def _act(
    request: HttpRequest,
    pk: uuid.UUID,
    name: str,
    form: Callable[[Feedback], forms.Form],
    step: Callable[[Feedback, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    item = _get_for_user(request, pk)
    if name not in services.feedback_actions(item=item, by=request.user):
        raise PermissionDenied
    form = form(item)
    if form.is_valid():
        try:
            step(item, form.cleaned_data)
        except ValidationError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied from exc
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(item.get_absolute_url())
    return _detail(request, _get_for_user(request, pk), bound={name: form})


@dataclass(frozen=True)
class Action:
    """One handling action: its form (bound to the POST, given the item and the user), the
    service call with the form's cleaned data, and the message on success."""

    form: Callable[[dict | None, Feedback, Any], forms.Form]
    step: Callable[[Feedback, dict[str, Any], Any], object]
    done: str
    initial: Callable[[Feedback], dict[str, Any]] = lambda item: {}


ACTIONS: dict[str, Action] = {
    "accept": Action(
        lambda post, item, user: AcceptForm(post, branch_id=item.branch_id),
        lambda item, data, by: services.feedback_accept(item=item, handler=data["handler"], by=by),
        gettext_lazy("已受理，并交给负责领导处理。"),
    ),
    "decline": Action(
        lambda post, item, user: DeclineForm(post),
        lambda item, data, by: services.feedback_decline(item=item, reason=data["reason"], by=by),
        gettext_lazy("已不予采纳，提出人会看到原因。"),
    ),
    "duplicate": Action(
        lambda post, item, user: DuplicateForm(post, item=item),
        lambda item, data, by: services.feedback_mark_duplicate(item=item, of=data["of"], by=by),
        gettext_lazy("已标记为重复意见。"),
    ),
    "reply": Action(
        lambda post, item, user: ReplyForm(post),
        lambda item, data, by: services.feedback_reply(item=item, reply=data["reply"], by=by),
        gettext_lazy("答复已公开。"),
        initial=lambda item: {"reply": item.public_reply},
    ),
    "close": Action(
        lambda post, item, user: CloseForm(post),
        lambda item, data, by: services.feedback_close(item=item, reply=data["reply"], by=by),
        gettext_lazy("已办结。"),
    ),
    "note": Action(
        lambda post, item, user: NoteForm(post),
        lambda item, data, by: services.feedback_note(item=item, note=data["note"], by=by),
        gettext_lazy("内部备注已保存。"),
    ),
    "redact": Action(
        lambda post, item, user: RedactForm(post),
        lambda item, data, by: services.feedback_redact(
            item=item, public_text=data["public_text"], by=by
        ),
        gettext_lazy("公示内容已修改。"),
        initial=lambda item: {"public_text": item.shown_text},
    ),
    "rectify": Action(
        lambda post, item, user: RectifyForm(
            post, branch_id=item.branch_id, may_create=manages_fortress(user, item.branch_id)
        ),
        lambda item, data, by: services.feedback_rectify(item=item, data=data, by=by),
        gettext_lazy("已列入整改事项，整改进展会同步到这条意见。"),
    ),
}


def _action_view(name: str) -> Callable[..., HttpResponse]:
    action = ACTIONS[name]

    @require_POST
    def view(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
        return _act(
            request,
            pk,
            name,
            lambda item: action.form(request.POST, item, request.user),
            lambda item, data: action.step(item, data, request.user),
            str(action.done),
        )

    view.__name__ = view.__qualname__ = f"feedback_{name}"
    return view


feedback_accept = _action_view("accept")
feedback_decline = _action_view("decline")
feedback_duplicate = _action_view("duplicate")
feedback_reply = _action_view("reply")
feedback_close = _action_view("close")
feedback_note = _action_view("note")
feedback_redact = _action_view("redact")
feedback_rectify = _action_view("rectify")


@require_POST
def feedback_rate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A named item's sender, signed in, rates it."""
    item = _get_for_user(request, pk)
    if not rules.may_rate_as_sender(request.user, item):
        raise PermissionDenied
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_rate(
                item=item, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect(item.get_absolute_url())
    return _detail(request, _get_for_user(request, pk), rate_form=form)


@require_GET
@cached_page(per="roles")
def feedback_satisfaction(request: HttpRequest) -> HttpResponse:
    """满意率: everyone of the branch reads it; a rate over fewer than 5 verdicts is not shown."""
    user = request.user
    if not reads_fortress(user, user.branch_id):
        raise PermissionDenied
    rates = selectors.satisfaction(branch_id=user.branch_id)
    if wants_export(request):
        rows = [(_("总体"), r) for r in rates["overall"]]
        rows += [(_("按类别"), r) for r in rates["category"]]
        rows += [(_("按类型"), r) for r in rates["kind"]]
        return ledger_response(
            request,
            ledger=_("群众满意度"),
            columns=exports_handling.SATISFACTION,
            items=rows,
            notes=[exports_handling.satisfaction_note()],
        )
    context = {"rates": rates, "minimum": selectors.MIN_RATINGS}
    return render(request, "campaign/feedback_satisfaction.html", context)
