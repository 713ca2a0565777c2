"""The public side of staff feedback: the 整改公示 board everyone of the branch reads (accepted
items, de-identified: campaign/selectors_feedback.py), and the secretary's printable QR poster
that sends the canteen to the feedback form."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from config.exports import ledger_response, wants_export
from config.pagecache import cached_page
from config.views import paginate
from members.address import is_local_only
from members.models import Branch

from .. import exports_feedback
from .. import selectors_feedback as selectors
from ..access import manage_campaign_required, view_campaign_required
from ..access_fortress import check_manages, check_reads
from ..exports import filters_text, may_export_public_ledger
from ..forms_feedback_board import FeedbackBoardFilter
from ..rules_fortress import manages_fortress


@view_campaign_required
@require_GET
@cached_page(per="roles")
def feedback_board(request: HttpRequest) -> HttpResponse:
    check_reads(request)
    user = request.user
    filterset = FeedbackBoardFilter(
        request.GET or None, queryset=selectors.feedback_board(branch=user.branch)
    )
    # Read by everyone of the branch, taken away as 台账 by the secretary and the leaders.
    may_export = may_export_public_ledger(user)
    if wants_export(request):
        if not may_export:
            raise PermissionDenied
        return ledger_response(
            request,
            ledger=_("意见建议整改公示"),
            columns=exports_feedback.BOARD,
            items=selectors.with_faces(filterset.qs),
            scope=filters_text(filterset),
            notes=exports_feedback.board_notes(),
        )
    page = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "page": page,
        "items": selectors.with_faces(page),
        "may_export": may_export,
        "send_url": reverse("campaign:feedback_send", args=[user.branch_id]),
        "manages": manages_fortress(user, user.branch_id),
    }
    return render(request, "campaign/feedback_board.html", context)


def send_address(request: HttpRequest, branch: Branch) -> str:
    """The absolute address of the branch's feedback form: on SITE_URL (DJANGO_SITE_URL) when it
    is set, else on the address the secretary's browser used (members/address.py)."""
    path = reverse("campaign:feedback_send", args=[branch.pk])
    if settings.SITE_URL:
        return urljoin(settings.SITE_URL, path)
    return request.build_absolute_uri(path)


def qr_inline_svg(text: str) -> SafeString:
    """A QR code of `text` as an <svg> element to put in the page (no size: CSS sizes it)."""
    svg = segno.make(text, error="m", micro=False).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="poster-qr-code"
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup: path data, no text of ours


@manage_campaign_required
@require_GET
def feedback_poster(request: HttpRequest) -> HttpResponse:
    check_manages(request)
    branch = request.user.branch
    url = send_address(request, branch)
    context = {
        "branch": branch,
        "url": url,
        "qr": qr_inline_svg(url),
        # 127.0.0.1 or localhost: no phone opens it (the page says how to fix it, not printed).
        "local_only": is_local_only(urlsplit(url).hostname or ""),
        "configured": bool(settings.SITE_URL),
    }
    return render(request, "campaign/feedback_poster.html", context)
