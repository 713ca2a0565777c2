"""先锋事迹 pages: the list each reader sees (staff: 宣传 deeds only), a deed with its photos,
recording a deed (a member on a post he or she holds now; the secretary for anyone), corrections
by the author until it is confirmed, and the secretary's 确认 / 退回 / 宣传."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.media import serve_upload
from config.views import form_error, paginate, post_action
from members.models import Role

from .. import exports, services
from .. import selectors_fortress as selectors
from ..access import (
    current_campaign,
    manage_campaign_required,
    no_campaign,
    view_campaign_required,
)
from ..access_fortress import check_reads, get_deed_for_user, get_deed_photo_for_user
from ..forms import ReturnForm
from ..forms_deeds import DeedEditForm, DeedFilter, DeedForm
from ..models import Deed, VanguardPost
from ..rules_fortress import manages_fortress, may_edit_deed, sees_internals


def _may_record(request: HttpRequest) -> tuple[bool, Any]:
    """Whether the user may record a deed now, and the posts the form offers: the secretary any
    post of the branch; a party member the posts he or she holds now (one query)."""
    user = request.user
    if manages_fortress(user, user.branch_id):
        posts = VanguardPost.objects.filter(branch_id=user.branch_id).select_related("department")
        return True, posts.order_by("order", "name", "pk")
    if not user.has_role(Role.MEMBER):
        return False, VanguardPost.objects.none()
    posts = selectors.posts_held_by(user=user).order_by("order", "name", "pk")
    return posts.exists(), posts


@view_campaign_required
@require_GET
def deed_list(request: HttpRequest) -> HttpResponse:
    check_reads(request)
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("先锋事迹"))
    user = request.user
    internal = sees_internals(user, user.branch_id)
    member = user.has_role(Role.MEMBER)
    filterset = DeedFilter(
        request.GET or None,
        queryset=selectors.deed_list(campaign=campaign, viewer=user),
        branch=user.branch,
        all_states=internal or member,
    )
    if wants_export(request):
        if not internal:
            raise PermissionDenied
        return ledger_response(
            request,
            ledger=_("先锋事迹"),
            columns=exports.DEEDS,
            items=filterset.qs,
            period=(campaign.starts_on, campaign.ends_on),
            scope=exports.campaign_scope(campaign, filterset),
        )
    may_record = manages_fortress(user, user.branch_id) or (
        member and selectors.posts_held_by(user=user).exists()
    )
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "may_export": internal,
        "may_record": may_record,
        # what the viewer reads (selectors_fortress.deed_visibility), said above the list
        "reads": "all" if internal else "member" if member else "staff",
    }
    return render(request, "campaign/deed_list.html", context)


def _detail(request: HttpRequest, deed: Deed, return_form: ReturnForm) -> HttpResponse:
    context = {
        "deed": deed,
        "photos": list(deed.photos.all()),
        "tags": deed.tag_labels,
        "actions": services.deed_actions(deed=deed, by=request.user),
        "return_form": return_form,
    }
    return render(request, "campaign/deed_detail.html", context)


@view_campaign_required
@require_GET
def deed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_deed_for_user(request, pk), ReturnForm())


@view_campaign_required
@idempotent
def deed_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("记录先锋事迹"))
    # Who may record, before the form sees request.FILES: photos that cannot be kept are never
    # decoded.
    allowed, posts = _may_record(request)
    if not allowed:
        raise PermissionDenied
    secretary = manages_fortress(request.user, campaign.branch_id)
    form = DeedForm(
        request.POST or None,
        request.FILES or None,
        branch=request.user.branch,
        posts=posts,
        secretary=secretary,
    )
    if request.method == "GET":
        wanted = request.GET.get("post", "")
        if wanted.isdigit() and posts.filter(pk=wanted).exists():
            form.fields["post"].initial = int(wanted)
        elif not secretary and len(held := list(posts)) == 1:
            form.fields["post"].initial = held[0].pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deed = services.deed_create(
                campaign=campaign,
                member=data.get("member") or request.user,
                post=data["post"],
                happened_on=data["happened_on"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                photos=data.get("photos", []),
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            if deed.status == Deed.Status.CONFIRMED:
                messages.success(request, _("先锋事迹已记录并确认。"))
            else:
                messages.success(request, _("先锋事迹已提交，等待支部书记确认。"))
            return redirect(deed)
    context = {"form": form, "campaign": campaign, "secretary": secretary}
    return render(request, "campaign/deed_form.html", context)


@view_campaign_required
def deed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed_for_user(request, pk)
    # Before the form sees request.FILES (as deed_create).
    if not may_edit_deed(request.user, deed):
        raise PermissionDenied
    photos = list(deed.photos.all())
    initial = {
        "happened_on": deed.happened_on,
        "title": deed.title,
        "body": deed.body,
        "tags": [t.tag for t in deed.tags.all()],
    }
    form = DeedEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        photo_room=Deed.MAX_PHOTOS - len(photos),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resubmitted = deed.status == Deed.Status.RETURNED
        try:
            # The correction and its new photos are saved together or not at all.
            with transaction.atomic():
                services.deed_update(
                    deed=deed,
                    happened_on=data["happened_on"],
                    title=data["title"],
                    body=data["body"],
                    tags=data["tags"],
                    by=request.user,
                )
                for photo in data.get("photos", []):
                    services.deed_photo_add(deed=deed, photo=photo, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            if resubmitted:
                messages.success(request, _("事迹已修改并重新提交，等待支部书记确认。"))
            else:
                messages.success(request, _("事迹已修改。"))
            return redirect(deed)
    context = {"form": form, "deed": deed, "photos": photos, "campaign": deed.campaign}
    return render(request, "campaign/deed_form.html", context)


@manage_campaign_required
@require_POST
def deed_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed_for_user(request, pk)
    return post_action(
        request,
        lambda: services.deed_confirm(deed=deed, by=request.user),
        back=deed.get_absolute_url(),
        done=_("已确认：%(deed)s。") % {"deed": deed.title},
    )


@manage_campaign_required
@require_POST
def deed_return(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed_for_user(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.deed_return(deed=deed, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已退回，记录人会看到退回原因。"))
            return redirect(deed)
    return _detail(request, deed, form)


@manage_campaign_required
@require_POST
def deed_publicize(request: HttpRequest, pk: int) -> HttpResponse:
    """宣传 on ("publicized=1") or off ("0"); without the field, the mark is toggled."""
    deed = get_deed_for_user(request, pk)
    wanted = request.POST.get("publicized")
    publicized = not deed.publicized if wanted not in {"0", "1"} else wanted == "1"

    def done(result: Deed) -> str:
        if result.publicized:
            return _("已设为宣传：全体职工都能看到这条事迹。")
        return _("已取消宣传。")

    return post_action(
        request,
        lambda: services.deed_publicize(deed=deed, publicized=publicized, by=request.user),
        back=deed.get_absolute_url(),
        done=done,
    )


@view_campaign_required
@require_GET
def deed_photo(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A deed's photo, for whoever may read the deed (config/media.py); a removed photo is gone
    with its row."""
    photo = get_deed_photo_for_user(request, pk)
    return serve_upload(request, photo.photo, name)


@view_campaign_required
@require_POST
def deed_photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_deed_photo_for_user(request, pk)
    deed = photo.deed
    if not may_edit_deed(request.user, deed):
        raise PermissionDenied
    return post_action(
        request,
        lambda: services.deed_photo_remove(photo=photo, by=request.user),
        back=reverse("campaign:deed_edit", args=[deed.pk]),
        done=_("照片已删除。"),
    )
