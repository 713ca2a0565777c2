"""群众评议 pages: the secretary's rounds, the evaluator's ballot, the results after closing.

A vote is sealed onto the evaluator's own turnout row until the round closes, so it can be changed
from any device after signing in, and from no other account; see campaign/models/evaluation.py
for the whole anonymity design. No cookie is involved.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.views import form_error, paginate, post_action, refuse

from .. import exports, sealing, selectors, services
from ..access import (
    current_campaign,
    get_round_for_user,
    get_turnout_for_user,
    manage_campaign_required,
    no_campaign,
)
from ..forms import BallotForm, RoundForm
from ..models import BallotMark, EvaluationRound, EvaluationSubject


@manage_campaign_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    rounds = EvaluationRound.objects.filter(campaign__branch=request.user.branch).select_related(
        "campaign"
    )
    context = {
        "campaign": campaign,
        "page": paginate(request, rounds),
        "min_ballots": EvaluationRound.MIN_BALLOTS,
    }
    return render(request, "campaign/round_list.html", context)


@manage_campaign_required
@idempotent
def round_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("新建群众评议"))
    form = RoundForm(request.POST or None, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                campaign=campaign,
                data=form.cleaned_data,
                chosen=form.cleaned_data["chosen_evaluators"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("评议已建立。检查评议内容后点“开始评议”。"))
            return redirect(round_)
    return render(request, "campaign/round_form.html", {"form": form, "campaign": campaign})


@manage_campaign_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    try:
        services.round_check_editable(round_=round_)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(round_)
    form = RoundForm(request.POST or None, instance=round_, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                round_=round_,
                data=form.cleaned_data,
                chosen=form.cleaned_data["chosen_evaluators"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("评议设置已保存。"))
            return redirect(round_)
    return render(request, "campaign/round_form.html", {"form": form, "round": round_})


@manage_campaign_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    context = {
        "round": round_,
        "actions": services.round_actions(round_=round_),
        "items": round_.items.all(),
        "turnout": selectors.round_turnout(round_=round_),
        "n_subjects": round_.subjects.count(),
    }
    return render(request, "campaign/round_detail.html", context)


@manage_campaign_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    return post_action(
        request,
        lambda: services.round_open(round_=round_, by=request.user),
        back=round_.get_absolute_url(),
        done=_("评议已开始，参评人员的首页会出现投票提醒。"),
    )


@manage_campaign_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing leads to the results; if it is refused, the results page sends on to the round."""
    round_ = get_round_for_user(request, pk)
    return post_action(
        request,
        lambda: services.round_close(round_=round_, by=request.user),
        back=reverse("campaign:round_results", args=[round_.pk]),
        done=_("评议已结束，结果如下。"),
    )


@manage_campaign_required
@require_GET
@cached_page(per="roles")
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request, pk)
    if not round_.is_closed:
        messages.info(request, _("评议结束后才能看到结果。"))
        return redirect(round_)
    subjects = selectors.round_results(round_=round_)
    turnout = selectors.round_turnout(round_=round_)
    if wants_export(request):
        everyone = selectors.with_breakdown(round_=round_, subjects=subjects)
        return ledger_response(
            request,
            ledger=_("群众评议结果"),
            columns=exports.ROUND_RESULTS,
            items=everyone,
            period=(round_.starts_on, round_.ends_on),
            scope=round_.name,
            notes=exports.round_notes(round_, evaluators=turnout["evaluators"]),
            extra_sheets=[
                exports.round_breakdown_sheet(
                    branch=request.user.branch, round_=round_, subjects=everyone
                )
            ],
        )
    # A company round has hundreds of subjects: one page of them at a time, with the ones
    # 列入整改 named above the list.
    page = paginate(request, subjects)
    page.object_list = selectors.with_breakdown(round_=round_, subjects=page.object_list)
    context = {
        "round": round_,
        "page": page,
        "levels": BallotMark.Level.labels,
        "min_ballots": EvaluationRound.MIN_BALLOTS,
        "turnout": turnout,
        **selectors.round_summary(round_=round_),
    }
    return render(request, "campaign/round_results.html", context)


@require_GET
def round_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluator's list of subjects in a round, each with "已评" or "未评"."""
    round_ = get_round_for_user(request, pk)
    rows = list(selectors.ballots_for(user=request.user, round_=round_))
    if not rows:
        raise Http404
    context = {
        "round": round_,
        "rows": rows,
        "left": sum(1 for r in rows if not r.has_voted),
    }
    return render(request, "campaign/round_vote.html", context)


def ballot_cast(request: HttpRequest, subject_pk: int) -> HttpResponse:
    turnout = get_turnout_for_user(request, subject_pk)
    round_, subject = turnout.round, turnout.subject
    try:
        services.ballot_check_open(round_=round_)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect("home")
    items = sealing.items_for(subject)
    form = BallotForm(request.POST or None, items=items)
    if request.method == "GET":
        # Only the signed-in evaluator's own sealed vote is ever opened, to change it.
        form.initial = {f"item_{pk}": level for pk, level in sealing.own_vote(turnout).items()}
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(subject=subject, by=request.user, levels=form.levels())
        except ValidationError as exc:
            form_error(form, exc)
        else:
            return _after_ballot(request, round_=round_, subject=subject)
    context = {
        "round": round_,
        "subject": subject,
        "form": form,
        "has_voted": turnout.has_voted,
        "can_change": turnout.sealed is not None or not turnout.has_voted,
    }
    return render(request, "campaign/ballot_form.html", context)


def _after_ballot(
    request: HttpRequest, *, round_: EvaluationRound, subject: EvaluationSubject
) -> HttpResponse:
    """On a phone, rating 17 people should not mean 17 trips back to the list: after a ballot the
    voter goes straight on to the next person he or she has not rated yet, in the list's order,
    and back to the list when everyone is rated. Nothing about the order is stored."""
    rows = list(selectors.ballots_for(user=request.user, round_=round_))
    left = [row for row in rows if not row.has_voted]
    done = _("已提交对“%(s)s”的评议。选票不记名，评议结束前可以修改。") % {"s": subject.label}
    if not left:
        messages.success(request, done + " " + _("本次评议的对象您已全部评完，谢谢！"))
        return redirect("campaign:round_vote", pk=round_.pk)
    position = next((i for i, row in enumerate(rows) if row.subject_id == subject.pk), -1)
    following = [row for row in rows[position + 1 :] if not row.has_voted] or left
    messages.success(
        request,
        done
        + " "
        + _("下一位：%(next)s（还有 %(n)d 位未评）。")
        % {"next": following[0].subject.label, "n": len(left)},
    )
    return redirect("campaign:ballot_cast", subject_pk=following[0].subject_id)
