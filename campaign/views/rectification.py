"""查找问题 → 整改 pages: the problems found (secretary and leaders), turning them into
rectification items, the items themselves (the internal list and page for the secretary and
leaders, the public face for members and staff), their transitions, and the measures the
responsible leader keeps up to date.

The rectification pages know where an item came from only through ORIGIN_KINDS (problems now;
staff feedback will point at the same items), never through Problem itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial, wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.media import serve_upload
from config.pagecache import cached_page
from config.views import form_error, paginate, refuse
from members.models import User

from .. import exports, services
from .. import selectors_fortress as selectors
from ..access import current_campaign, no_campaign
from ..access_fortress import (
    check_manages,
    check_reads,
    check_sees_internals,
    get_measure_for_user,
    get_problem_for_user,
    get_rectification_for_user,
    get_updatable_measure_for_user,
)
from ..forms_rectification import (
    FIXED,
    OPEN,
    OVERDUE_YES,
    MeasureForm,
    MeasureProgressForm,
    ProblemFilter,
    ProblemForm,
    ProblemRectifyForm,
    PublicRectificationFilter,
    ReasonForm,
    RectificationFilter,
    RectificationForm,
    decline_form,
    reopen_form,
)
from ..models import Feedback, Measure, Problem, Rectification
from ..rules_fortress import manages_fortress, may_update_measures, sees_internals

View = Callable[..., HttpResponse]
S = Rectification.Status


def _gate(check: Callable[[HttpRequest], None]) -> Callable[[View], View]:
    """An access_fortress check (403) before the view, as a permission decorator would: a role
    that may not use the page hears so before a wrong method hears 405."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            check(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _forbidden(exc: ValidationError) -> bool:
    """A service's refusal because of who asks (services/_fortress.forbid): a 403."""
    return getattr(exc, "code", None) == "forbidden"


def _refused(exc: ValidationError) -> ValidationError:
    if _forbidden(exc):
        raise PermissionDenied from exc
    return exc


# --- Where an item came from ------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """One record a rectification item answers (来源): a problem found, later a feedback item."""

    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class OriginKind:
    related_name: str  # the reverse relation on Rectification
    label: Any  # lazy text
    queryset: Callable[[], QuerySet]


# Every kind of record that points at a Rectification. The staff feedback part adds its own.
ORIGIN_KINDS: tuple[OriginKind, ...] = (
    OriginKind(
        "problems",
        gettext_lazy("查找问题"),
        lambda: Problem.objects.only("pk", "title", "rectification").order_by("-found_on", "-pk"),
    ),
    # Staff feedback: its kind and category only (never who sent it).
    OriginKind(
        "feedback",
        gettext_lazy("群众意见"),
        lambda: Feedback.objects.only("pk", "kind", "category", "rectification").order_by(
            "-submitted_on", "id"
        ),
    ),
)


def attach_origins(items: Sequence[Rectification]) -> None:
    """Sets each item's `origins` (a list of Origin): one query per kind of origin, whatever the
    number of items."""
    prefetch_related_objects(
        list(items),
        *(
            Prefetch(kind.related_name, queryset=kind.queryset(), to_attr=f"_{kind.related_name}")
            for kind in ORIGIN_KINDS
        ),
    )
    for item in items:
        item.origins = [
            Origin(kind=str(kind.label), title=str(record), url=record.get_absolute_url())
            for kind in ORIGIN_KINDS
            for record in getattr(item, f"_{kind.related_name}")
        ]


# --- Problems ---------------------------------------------------------------------------------


@_gate(check_sees_internals)
@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("查找问题"))
    filterset = ProblemFilter(
        request.GET or None, queryset=selectors.problem_list(campaign=campaign)
    )
    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("查找问题"),
            columns=exports.PROBLEMS,
            items=filterset.qs,
            period=(campaign.starts_on, campaign.ends_on),
            scope=exports.campaign_scope(campaign, filterset),
        )
    context = {
        "campaign": campaign,
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "manages": manages_fortress(request.user, campaign.branch_id),
    }
    return render(request, "campaign/problem_list.html", context)


@_gate(check_manages)
@idempotent
def problem_create(request: HttpRequest) -> HttpResponse:
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("登记问题"))
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(
                campaign=campaign, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            messages.success(request, _("已登记问题：%(t)s。") % {"t": problem.title})
            return redirect(problem)
    return render(request, "campaign/problem_form.html", {"form": form, "campaign": campaign})


@_gate(check_sees_internals)
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_problem_for_user(request, pk)
    context = {
        "problem": problem,
        "manages": manages_fortress(request.user, request.user.branch_id),
    }
    return render(request, "campaign/problem_detail.html", context)


@_gate(check_manages)
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_problem_for_user(request, pk)
    initial = {
        name: getattr(problem, name) for name in ("source", "area", "title", "description")
    } | {"found_on": problem.found_on}
    form = ProblemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(problem=problem, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            messages.success(request, _("问题已保存。"))
            return redirect(problem)
    context = {"form": form, "problem": problem, "campaign": problem.campaign}
    return render(request, "campaign/problem_form.html", context)


def _rectify(data: dict[str, Any], by: User) -> tuple[Rectification, bool]:
    """A new item for the chosen problems, or the problems joined to the chosen item (all or
    none). Returns the item and whether it is new."""
    problems = list(data["problems"])
    target = data.get("rectification")
    if target is None:
        return services.problem_rectify(problems=problems, data=data, by=by), True
    with transaction.atomic():
        for problem in problems:
            services.problem_link(problem=problem, rectification=target, by=by)
    return target, False


@_gate(check_manages)
@idempotent
def problem_rectify(request: HttpRequest) -> HttpResponse:
    """列入整改: one or more problems become a new rectification item, or join an open one."""
    campaign = current_campaign(request)
    if campaign is None:
        return no_campaign(request, _("列入整改"))
    form = ProblemRectifyForm(request.POST or None, campaign=campaign)
    if request.method == "GET":
        form.fields["problems"].initial = request.GET.getlist("problems")
    if request.method == "POST" and form.is_valid():
        try:
            item, new = _rectify(form.cleaned_data, request.user)
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            if new:
                done = _("已确定整改事项：%(t)s。请制定整改措施。")
            else:
                done = _("问题已并入整改事项：%(t)s。")
            messages.success(request, done % {"t": item.title})
            return redirect(item)
    context = {
        "form": form,
        "campaign": campaign,
        "has_problems": form.fields["problems"].queryset.exists(),
    }
    return render(request, "campaign/problem_rectify.html", context)


# --- Rectification items ------------------------------------------------------------------------


def _stat_cards(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """The statistics as cards, each a link to the list it counts. 已整改 counts 已验收 too;
    不予整改 is a class of its own: closed, and not fixed."""
    url = reverse("campaign:rectification_list")
    by_status = stats["by_status"]
    cards = [
        {
            "label": _("未完成"),
            "value": stats["open"],
            "note": _("待整改 %(p)d · 整改中 %(i)d")
            % {"p": by_status[S.PENDING], "i": by_status[S.IN_PROGRESS]},
            "url": f"{url}?status={OPEN}",
        },
        {
            "label": _("已整改"),
            "value": stats["fixed"],
            "note": _("待验收 %(f)d · 已验收 %(a)d")
            % {"f": by_status[S.FIXED], "a": by_status[S.ACCEPTED]},
            "url": f"{url}?status={FIXED}",
            "tone": "success",
        },
        {
            "label": _("不予整改"),
            "value": stats["declined"],
            "note": _("已关闭，不算已整改"),
            "url": f"{url}?status={S.DECLINED}",
        },
        {
            "label": _("逾期"),
            "value": stats["overdue"],
            "note": _("超过整改时限仍未完成"),
            "url": f"{url}?overdue={OVERDUE_YES}",
            "tone": "danger" if stats["overdue"] else "",
        },
    ]
    for card in cards:
        tone = card.pop("tone", "")
        card["border"], card["text"] = (f"border-{tone}", f"text-{tone}") if tone else ("", "")
    return cards


@_gate(check_reads)
@require_GET
@cached_page(per="person")
def rectification_list(request: HttpRequest) -> HttpResponse:
    """The internal list for the secretary and leaders (with statistics and the 台账); the
    public face for members and staff."""
    branch = request.user.branch
    items = selectors.rectification_list(branch=branch, viewer=request.user)
    if not sees_internals(request.user, branch.pk):
        if wants_export(request):
            raise PermissionDenied
        filterset = PublicRectificationFilter(request.GET or None, queryset=items)
        page = paginate(request, filterset.qs)
        context = {"filter": filterset, "page": page, "faces": selectors.public_faces(page)}
        return render(request, "campaign/rectification_public_list.html", context)
    filterset = RectificationFilter(request.GET or None, queryset=items, branch=branch)
    if wants_export(request):
        rows = list(filterset.qs)
        attach_origins(rows)
        return ledger_response(
            request,
            ledger=_("整改事项"),
            columns=exports.RECTIFICATIONS,
            items=rows,
            scope=exports.filters_text(filterset),
            notes=exports.rectification_notes(),
        )
    page = paginate(request, filterset.qs)
    page.object_list = list(page.object_list)
    attach_origins(page.object_list)
    stats = selectors.rectification_stats(branch=branch)
    context = {
        "filter": filterset,
        "page": page,
        "stats": stats,
        "cards": _stat_cards(stats),
        "manages": manages_fortress(request.user, branch.pk),
    }
    return render(request, "campaign/rectification_list.html", context)


def _detail(
    request: HttpRequest,
    item: Rectification,
    *,
    decline: ReasonForm | None = None,
    reopen: ReasonForm | None = None,
) -> HttpResponse:
    view = selectors.rectification_detail(rectification=item, viewer=request.user)
    if not view["internal"]:
        return render(request, "campaign/rectification_public.html", {"item": view["public"]})
    measures = list(view["measures"])
    attach_origins([item])
    context = {
        "item": item,
        "measures": measures,
        "actions": services.rectification_actions(rectification=item, by=request.user),
        "decline_form": decline or decline_form(),
        "reopen_form": reopen or reopen_form(),
        # the reason form that came back with an error stays unfolded
        "open_reason": "decline" if decline else "reopen" if reopen else "",
    }
    return render(request, "campaign/rectification_detail.html", context)


@_gate(check_reads)
@require_GET
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_rectification_for_user(request, pk))


@_gate(check_manages)
def rectification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_rectification_for_user(request, pk)
    try:
        services.rectification_check_editable(rectification=item)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(item)
    initial = {
        name: getattr(item, name)
        for name in ("title", "public_description", "internal_note", "deadline")
    } | {"responsible": item.responsible_id}
    form = RectificationForm(request.POST or None, initial=initial, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_update(
                rectification=item, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            messages.success(request, _("整改事项已保存。"))
            return redirect(item)
    return render(request, "campaign/rectification_form.html", {"form": form, "item": item})


def _transition_with_reason(request: HttpRequest, item: Rectification, target: str) -> HttpResponse:
    """不予整改 or 重新整改 (已整改 → 整改中): the secretary's, with a reason; a missing reason
    shows the page again with the error at the field and what was typed kept."""
    if not manages_fortress(request.user, item.branch_id):
        raise PermissionDenied
    declining = target == S.DECLINED
    action = "decline" if declining else "reopen"
    if action not in services.rectification_actions(rectification=item, by=request.user):
        messages.error(
            request,
            _("这个整改事项当前是“%(status)s”，不能%(action)s。")
            % {
                "status": item.get_status_display(),
                "action": _("不予整改") if declining else _("退回重新整改"),
            },
        )
        return redirect(item)
    form = decline_form(request.POST) if declining else reopen_form(request.POST)
    if form.is_valid():
        service = services.rectification_decline if declining else services.rectification_reopen
        try:
            service(rectification=item, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            if declining:
                messages.success(request, _("已决定不予整改，原因对能看到此事项的人公开。"))
            else:
                messages.success(request, _("已退回重新整改，责任领导会看到原因。"))
            return redirect(item)
    return _detail(request, item, **{action: form})


@_gate(check_reads)
@require_POST
def rectification_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """POST `status` (the target): 开始整改, 报告已整改, 验收, 重新整改 and 不予整改 (these two
    with `reason`). Who may do which is the service's rule; its refusals come back in Chinese."""
    item = get_rectification_for_user(request, pk)
    if not may_update_measures(request.user, item):
        raise PermissionDenied
    target = request.POST.get("status", "")
    if target == S.DECLINED or (target == S.IN_PROGRESS and item.status == S.FIXED):
        return _transition_with_reason(request, item, target)
    today, by = timezone.localdate(), request.user
    steps: dict[str, tuple[Callable[[], Rectification], str]] = {
        S.IN_PROGRESS: (
            lambda: services.rectification_start(rectification=item, by=by),
            _("已开始整改。"),
        ),
        S.FIXED: (
            lambda: services.rectification_report_fixed(rectification=item, on=today, by=by),
            _("已报告整改完成，等待支部验收。"),
        ),
        S.ACCEPTED: (
            lambda: services.rectification_accept(rectification=item, on=today, by=by),
            _("整改事项已验收。"),
        ),
    }
    if target not in steps:
        messages.error(request, _("请选择要进行的操作。"))
        return redirect(item)
    step, done = steps[target]
    try:
        step()
    except ValidationError as exc:
        refuse(request, _refused(exc))
    else:
        messages.success(request, done)
    return redirect(item)


# --- Measures -----------------------------------------------------------------------------------


def _closed(
    request: HttpRequest,
    item: Rectification,
    template: str,
    context: dict[str, Any],
    typed: Callable[[Any], forms.Form],
) -> HttpResponse | None:
    """None while the item's measures may change. Else: a GET goes back to the item with the
    reason; a POST gets its form again (`typed(request.POST)`: what was typed, no photo read)
    with the reason on top."""
    try:
        services.measures_check_open(rectification=item)
    except ValidationError as exc:
        if request.method != "POST":
            refuse(request, exc)
            return redirect(item)
        form = typed(request.POST)
        form_error(form, exc)
        return render(request, template, {**context, "form": form})
    return None


@_gate(check_reads)
@idempotent
def measure_create(request: HttpRequest, rectification_pk: int) -> HttpResponse:
    item = get_rectification_for_user(request, rectification_pk)
    if not may_update_measures(request.user, item):
        raise PermissionDenied
    template, branch = "campaign/measure_form.html", request.user.branch
    typed = partial(MeasureForm, branch=branch)
    if closed := _closed(request, item, template, {"item": item}, typed):
        return closed
    form = MeasureForm(request.POST or None, initial={"deadline": item.deadline}, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(rectification=item, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            messages.success(request, _("整改措施已添加。"))
            return redirect(item)
    return render(request, template, {"form": form, "item": item})


@_gate(check_reads)
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_updatable_measure_for_user(request, pk)
    item, branch = measure.rectification, request.user.branch
    template = "campaign/measure_form.html"
    context = {"item": item, "measure": measure}
    if closed := _closed(request, item, template, context, partial(MeasureForm, branch=branch)):
        return closed
    initial = {"content": measure.content, "owner": measure.owner_id, "deadline": measure.deadline}
    form = MeasureForm(request.POST or None, initial=initial, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            messages.success(request, _("整改措施已保存。"))
            return redirect(item)
    return render(request, template, {**context, "form": form})


def _progress_done(measure: Measure) -> str:
    text = _("进度已更新：%(c)s，%(p)d%%。") % {"c": measure.content, "p": measure.percent}
    if not measure.rectification.measures.filter(percent__lt=100).exists():
        text += _("全部措施已完成，可以报告已整改。")
    return text


@_gate(check_reads)
def measure_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """更新进度: percent, evidence note and photo. Permission and state are checked before the
    form sees request.FILES: a photo that cannot be kept is never decoded."""
    measure = get_updatable_measure_for_user(request, pk)
    item = measure.rectification
    template = "campaign/measure_progress.html"
    context = {"item": item, "measure": measure}
    if closed := _closed(request, item, template, context, MeasureProgressForm):
        return closed
    form = MeasureProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={"percent": measure.percent, "evidence_note": measure.evidence_note},
        replaces_photo=bool(measure.evidence_photo),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_progress(measure=measure, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, _refused(exc))
        else:
            messages.success(request, _progress_done(measure))
            return redirect(item)
    return render(request, template, {**context, "form": form})


@_gate(check_reads)
@require_GET
def measure_photo(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A measure's evidence photo: internal, for whoever sees the item's internals."""
    measure = get_measure_for_user(request, pk)
    return serve_upload(request, measure.evidence_photo, name)
