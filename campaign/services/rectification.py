"""查找问题 → 整改: problems found, rectification items (待整改 → 整改中 → 已整改 → 已验收,
or 不予整改 with a reason) and their measures.

`rectification_create` takes no origin: a problem (`problem_rectify`, `problem_link`) or, later, a
feedback item points to the rectification, so one item can answer several origins. The secretary
opens, edits, declines, accepts (验收) and reopens items; the responsible leader (and the
secretary) adds measures, records their progress and reports the item fixed. Every step is
audited; progress with "完成进度：40% → 80%".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range
from members import audit
from members.models import Branch, Role, User

from ..models import Campaign, Measure, Problem, Rectification
from ..rules_fortress import is_responsible, manages_fortress, may_update_measures
from ._common import check_transition, describe_changes, lock, record
from ._fortress import check_campaign_running, forbid, past_date, text
from .feedback import follow_rectification

R = Rectification.Status
RECTIFICATION_TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.IN_PROGRESS, R.DECLINED},
    R.IN_PROGRESS: {R.FIXED, R.DECLINED},
    R.FIXED: {R.ACCEPTED, R.IN_PROGRESS},  # 验收, or back to 整改中 (验收不通过, not satisfied)
    R.ACCEPTED: set(),
    R.DECLINED: set(),
}
REASON_MAX = 300


def _move(rectification: Rectification, target: str) -> None:
    check_transition(
        current=rectification.status,
        target=target,
        transitions=RECTIFICATION_TRANSITIONS,
        labels=dict(R.choices),
        what=_("这个整改事项"),
    )
    rectification.status = target


def _check_manager(branch_id: int, by: User, message: str) -> None:
    if not manages_fortress(by, branch_id):
        raise forbid(message)


# --- Problems ---------------------------------------------------------------------------------


def _problem_fields(*, campaign: Campaign, data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("source") not in Problem.Source.values:
        raise ValidationError({"source": _("请选择问题来源。")}, code="source")
    if data.get("area") not in Problem.Area.values:
        raise ValidationError({"area": _("请选择问题方面。")}, code="area")
    return {
        "source": data["source"],
        "area": data["area"],
        "title": text(data.get("title"), field="title", label=_("问题概述"), max_length=100),
        "description": text(data.get("description"), field="description", label=_("问题描述")),
        "found_on": past_date(
            data.get("found_on"),
            field="found_on",
            label=_("查找日期"),
            not_before=campaign.starts_on,
        ),
    }


@transaction.atomic
def problem_create(*, campaign: Campaign, data: Mapping[str, Any], by: User) -> Problem:
    """A problem found: source (自查 / 群众意见 / 上级检查 / 对照集团战略), area, title,
    description, date."""
    check_campaign_running(campaign, by=by)
    _check_manager(campaign.branch_id, by, _("只有支部书记可以登记查找的问题。"))
    problem = Problem.objects.create(
        campaign=campaign, recorded_by=by, **_problem_fields(campaign=campaign, data=data)
    )
    record(by=by, action=_("登记查找问题"), obj=problem)
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, data: Mapping[str, Any], by: User) -> Problem:
    lock(problem)
    _check_manager(problem.campaign.branch_id, by, _("只有支部书记可以修改查找的问题。"))
    fields = _problem_fields(campaign=problem.campaign, data=data)
    sources, areas = dict(Problem.Source.choices), dict(Problem.Area.choices)
    detail = describe_changes(
        [
            (_("问题来源"), sources[problem.source], sources[fields["source"]]),
            (_("问题方面"), areas[problem.area], areas[fields["area"]]),
            (_("问题概述"), problem.title, fields["title"]),
            (_("问题描述"), problem.description, fields["description"]),
            (_("查找日期"), problem.found_on, fields["found_on"]),
        ]
    )
    if not detail:
        return problem
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.save()
    audit.record(by=by, action=_("修改查找问题"), obj=problem, detail=detail)
    return problem


# --- Rectification items ----------------------------------------------------------------------


def _check_responsible(responsible: User | None, *, branch_id: int) -> User:
    """整改责任领导: a leader (or the secretary) of the branch, active."""
    if (
        responsible is None
        or responsible.branch_id != branch_id
        or not responsible.is_active
        or not (responsible.has_role(Role.LEADER) or responsible.has_role(Role.SECRETARY))
    ):
        raise ValidationError(
            {"responsible": _("责任领导须为本支部的领导班子成员或支部书记。")},
            code="responsible",
        )
    return responsible


def _check_deadline(
    deadline: dt.date | None, *, opened_on: dt.date, field: str = "deadline"
) -> dt.date:
    if deadline is None:
        raise ValidationError({field: _("请填写整改时限。")}, code="required")
    check_date_range(field=field, value=deadline, label=_("整改时限"))
    if deadline < opened_on:
        raise ValidationError({field: _("整改时限不能早于立项日期。")}, code="deadline_before_open")
    return deadline


def _rectification_fields(
    *, branch_id: int, opened_on: dt.date, data: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "title": text(data.get("title"), field="title", label=_("整改事项"), max_length=100),
        "public_description": text(
            data.get("public_description"),
            field="public_description",
            label=_("整改事项说明"),
        ),
        "internal_note": text(
            data.get("internal_note"), field="internal_note", label=_("内部备注"), required=False
        ),
        "responsible": _check_responsible(data.get("responsible"), branch_id=branch_id),
        "deadline": _check_deadline(data.get("deadline"), opened_on=opened_on),
    }


@transaction.atomic
def rectification_create(
    *,
    branch: Branch,
    campaign: Campaign | None,
    data: Mapping[str, Any],
    by: User,
    opened_on: dt.date | None = None,
) -> Rectification:
    """A rectification item (待整改) with no origin of its own: the caller links its origins
    (`problem_rectify` does, for problems). `data`: title, public_description, internal_note,
    responsible, deadline."""
    _check_manager(branch.pk, by, _("只有支部书记可以确定整改事项。"))
    if campaign is not None and campaign.branch_id != branch.pk:
        raise forbid(_("只能在本支部的活动中确定整改事项。"))
    opened_on = past_date(opened_on or timezone.localdate(), field="opened_on", label=_("立项日期"))
    item = Rectification.objects.create(
        branch=branch,
        campaign=campaign,
        opened_on=opened_on,
        created_by=by,
        **_rectification_fields(branch_id=branch.pk, opened_on=opened_on, data=data),
    )
    record(by=by, action=_("确定整改事项"), obj=item)
    return item


@transaction.atomic
def problem_rectify(
    *, problems: Sequence[Problem], data: Mapping[str, Any], by: User
) -> Rectification:
    """One or more problems of a campaign become one rectification item."""
    problems = list(problems)
    if not problems:
        raise ValidationError(_("请选择要整改的问题。"), code="no_problem")
    campaign = problems[0].campaign
    if any(p.campaign_id != campaign.pk for p in problems):
        raise ValidationError(_("只能把同一活动中的问题合并整改。"), code="campaigns")
    if any(p.rectification_id for p in problems):
        raise ValidationError(_("所选问题中有已列入整改的，请勿重复立项。"), code="linked")
    item = rectification_create(branch=campaign.branch, campaign=campaign, data=data, by=by)
    Problem.objects.filter(pk__in=[p.pk for p in problems]).update(
        rectification=item, updated_at=timezone.now()
    )
    for problem in problems:
        problem.rectification = item
    record(by=by, action=_("问题列入整改"), obj=item, detail="、".join(p.title for p in problems))
    return item


@transaction.atomic
def problem_link(*, problem: Problem, rectification: Rectification, by: User) -> Problem:
    """Attach a problem to an existing item of the branch whose work is not closed."""
    lock(problem)
    _check_manager(problem.campaign.branch_id, by, _("只有支部书记可以确定整改事项。"))
    if rectification.branch_id != problem.campaign.branch_id:
        raise forbid(_("只能关联本支部的整改事项。"))
    if problem.rectification_id is not None:
        raise ValidationError(_("这个问题已经列入整改了。"), code="linked")
    if rectification.is_closed:
        raise ValidationError(
            _("整改事项已“%(status)s”，不能再关联问题。")
            % {"status": rectification.get_status_display()},
            code="closed",
        )
    problem.rectification = rectification
    problem.save(update_fields=["rectification", "updated_at"])
    record(by=by, action=_("问题列入整改"), obj=problem, detail=str(rectification))
    return problem


def rectification_check_editable(*, rectification: Rectification) -> None:
    """Refuses (in Chinese) once the item is closed: what its edit page says before the form."""
    if rectification.is_closed:
        raise ValidationError(
            _("整改事项已“%(status)s”，不能再修改。")
            % {"status": rectification.get_status_display()},
            code="closed",
        )


@transaction.atomic
def rectification_update(
    *, rectification: Rectification, data: Mapping[str, Any], by: User
) -> Rectification:
    """The secretary corrects an item until it is closed (已验收 or 不予整改); old → new audited."""
    lock(rectification)
    _check_manager(rectification.branch_id, by, _("只有支部书记可以修改整改事项。"))
    rectification_check_editable(rectification=rectification)
    fields = _rectification_fields(
        branch_id=rectification.branch_id, opened_on=rectification.opened_on, data=data
    )
    labels = {
        "title": _("整改事项"),
        "public_description": _("整改事项说明"),
        "internal_note": _("内部备注"),
        "responsible": _("责任领导"),
        "deadline": _("整改时限"),
    }
    detail = describe_changes(
        (labels[name], getattr(rectification, name), value) for name, value in fields.items()
    )
    if not detail:
        return rectification
    for name, value in fields.items():
        setattr(rectification, name, value)
    rectification.save()
    audit.record(by=by, action=_("修改整改事项"), obj=rectification, detail=detail)
    return rectification


def rectification_actions(*, rectification: Rectification, by: User) -> frozenset[str]:
    """What `by` may do with the item now, read off RECTIFICATION_TRANSITIONS: "start",
    "report_fixed", "measures" (add, progress) for the responsible leader and the secretary;
    "edit", "decline", "accept" (or "accept_by_other" when `by` is responsible), "reopen" for the
    secretary. A page shows these buttons and no others."""
    targets = RECTIFICATION_TRANSITIONS[rectification.status]
    actions: set[str] = set()
    if may_update_measures(by, rectification):
        if R.IN_PROGRESS in targets and rectification.status == R.PENDING:
            actions.add("start")
        if R.FIXED in targets:
            actions.add("report_fixed")
        if rectification.is_open:
            actions.add("measures")
    if manages_fortress(by, rectification.branch_id):
        if not rectification.is_closed:
            actions.add("edit")
        if R.DECLINED in targets:
            actions.add("decline")
        if R.ACCEPTED in targets:
            actions.add("accept_by_other" if is_responsible(by, rectification) else "accept")
        if R.IN_PROGRESS in targets and rectification.status == R.FIXED:
            actions.add("reopen")
    return frozenset(actions)


def _check_measures_right(rectification: Rectification, by: User) -> None:
    if not may_update_measures(by, rectification):
        raise forbid(_("只有整改事项的责任领导或支部书记可以更新整改措施。"))


@transaction.atomic
def rectification_start(*, rectification: Rectification, by: User) -> Rectification:
    """待整改 → 整改中: the responsible leader (or the secretary) starts the work."""
    lock(rectification)
    _check_measures_right(rectification, by)
    _move(rectification, R.IN_PROGRESS)
    rectification.save(update_fields=["status", "updated_at"])
    record(by=by, action=_("开始整改"), obj=rectification)
    follow_rectification(rectification)
    return rectification


@transaction.atomic
def rectification_report_fixed(
    *, rectification: Rectification, on: dt.date, by: User
) -> Rectification:
    """整改中 → 已整改: every measure done (100 %), at least one; the secretary then 验收."""
    lock(rectification)
    _check_measures_right(rectification, by)
    if rectification.status == R.IN_PROGRESS:
        percents = list(rectification.measures.values_list("percent", flat=True))
        if not percents:
            raise ValidationError(_("还没有整改措施，不能报告已整改。"), code="no_measures")
        if min(percents) < 100:
            raise ValidationError(
                _("还有 %(n)d 项整改措施没有完成，全部完成后才能报告已整改。")
                % {"n": sum(1 for p in percents if p < 100)},
                code="measures_open",
            )
    _move(rectification, R.FIXED)
    rectification.fixed_on = past_date(
        on, field="on", label=_("整改完成日期"), not_before=rectification.opened_on
    )
    rectification.save(update_fields=["status", "fixed_on", "updated_at"])
    record(by=by, action=_("报告已整改"), obj=rectification)
    follow_rectification(rectification)
    return rectification


@transaction.atomic
def rectification_accept(*, rectification: Rectification, on: dt.date, by: User) -> Rectification:
    """验收 (已整改 → 已验收) by the secretary; not by the item's own responsible person."""
    lock(rectification)
    _check_manager(rectification.branch_id, by, _("只有支部书记可以验收整改事项。"))
    if is_responsible(by, rectification):
        raise ValidationError(_("不能验收自己负责的整改事项，请由其他支委验收。"), code="own_item")
    _move(rectification, R.ACCEPTED)
    rectification.accepted_on = past_date(
        on, field="on", label=_("验收日期"), not_before=rectification.fixed_on
    )
    rectification.accepted_by = by
    rectification.save(update_fields=["status", "accepted_on", "accepted_by", "updated_at"])
    record(by=by, action=_("验收整改事项"), obj=rectification)
    follow_rectification(rectification)
    return rectification


@transaction.atomic
def rectification_reopen(*, rectification: Rectification, reason: str, by: User) -> Rectification:
    """已整改 → 整改中 with the reason (验收不通过; for feedback: the sender is not satisfied)."""
    lock(rectification)
    _check_manager(rectification.branch_id, by, _("只有支部书记可以退回重新整改。"))
    reason = text(reason, field="reason", label=_("重新整改原因"), max_length=REASON_MAX)
    _move(rectification, R.IN_PROGRESS)
    rectification.reopen_reason = reason
    rectification.fixed_on = None
    rectification.save(update_fields=["status", "reopen_reason", "fixed_on", "updated_at"])
    record(by=by, action=_("退回重新整改"), obj=rectification, detail=reason)
    follow_rectification(rectification)
    return rectification


@transaction.atomic
def rectification_reopen_for_feedback(
    *, rectification: Rectification, reason: str
) -> Rectification:
    """已整改 or 已验收 → 整改中 because a sender of linked feedback is not satisfied (不满意):
    the sender's verdict, not a person's action in the app, so no actor and no audit entry (see
    services.feedback.feedback_rate). The secretary 验收 it again once it is fixed."""
    lock(rectification)
    if rectification.status not in (R.FIXED, R.ACCEPTED):
        return rectification
    rectification.status = R.IN_PROGRESS
    rectification.reopen_reason = reason[:REASON_MAX]
    rectification.fixed_on = None
    rectification.accepted_on = None
    rectification.accepted_by = None
    rectification.save(
        update_fields=[
            "status",
            "reopen_reason",
            "fixed_on",
            "accepted_on",
            "accepted_by",
            "updated_at",
        ]
    )
    follow_rectification(rectification)
    return rectification


@transaction.atomic
def rectification_decline(*, rectification: Rectification, reason: str, by: User) -> Rectification:
    """不予整改, with the reason everyone reading the item sees. Closed, and not counted as
    fixed."""
    lock(rectification)
    _check_manager(rectification.branch_id, by, _("只有支部书记可以决定不予整改。"))
    reason = text(reason, field="reason", label=_("不予整改原因"), max_length=REASON_MAX)
    _move(rectification, R.DECLINED)
    rectification.decline_reason = reason
    rectification.declined_on = timezone.localdate()
    rectification.save(update_fields=["status", "decline_reason", "declined_on", "updated_at"])
    record(by=by, action=_("不予整改"), obj=rectification, detail=reason)
    follow_rectification(rectification)
    return rectification


# --- Measures ---------------------------------------------------------------------------------


def _check_measures_open(rectification: Rectification) -> None:
    if not rectification.is_open:
        raise ValidationError(
            _("整改事项是“%(status)s”状态，整改措施不能再修改。")
            % {"status": rectification.get_status_display()},
            code="not_open",
        )


def measures_check_open(*, rectification: Rectification) -> None:
    """Refuses (in Chinese) when the item's measures can no longer change: what the measure pages
    say before they bind a form (and decode an evidence photo)."""
    _check_measures_open(rectification)


def _measure_fields(*, rectification: Rectification, data: Mapping[str, Any]) -> dict[str, Any]:
    owner: User | None = data.get("owner")
    if owner is None or owner.branch_id != rectification.branch_id or not owner.is_active:
        raise ValidationError({"owner": _("请选择本支部的责任人。")}, code="owner")
    deadline = data.get("deadline")
    if deadline is None:
        raise ValidationError({"deadline": _("请填写完成时限。")}, code="required")
    check_date_range(field="deadline", value=deadline, label=_("完成时限"))
    if deadline < rectification.opened_on:
        raise ValidationError(
            {"deadline": _("完成时限不能早于整改事项的立项日期。")}, code="deadline_before_open"
        )
    return {
        "content": text(data.get("content"), field="content", label=_("整改措施"), max_length=200),
        "owner": owner,
        "deadline": deadline,
    }


@transaction.atomic
def measure_add(*, rectification: Rectification, data: Mapping[str, Any], by: User) -> Measure:
    """A measure (what, owner, deadline) on an item whose work is open."""
    lock(rectification)
    _check_measures_right(rectification, by)
    _check_measures_open(rectification)
    fields = _measure_fields(rectification=rectification, data=data)
    measure = Measure.objects.create(
        rectification=rectification, order=rectification.measures.count() + 1, **fields
    )
    record(by=by, action=_("制定整改措施"), obj=measure, detail=str(rectification))
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, data: Mapping[str, Any], by: User) -> Measure:
    lock(measure)
    rectification = measure.rectification
    _check_measures_right(rectification, by)
    _check_measures_open(rectification)
    fields = _measure_fields(rectification=rectification, data=data)
    labels = {"content": _("整改措施"), "owner": _("责任人"), "deadline": _("完成时限")}
    detail = describe_changes(
        (labels[name], getattr(measure, name), value) for name, value in fields.items()
    )
    if not detail:
        return measure
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.save()
    audit.record(by=by, action=_("修改整改措施"), obj=measure, detail=detail)
    return measure


def _check_percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError({"percent": _("完成进度须为 0 至 100 之间的整数。")}, code="percent")
    return value


@transaction.atomic
def measure_progress(
    *,
    measure: Measure,
    percent: int,
    evidence_note: str = "",
    evidence_photo: UploadedFile | None = None,
    by: User,
) -> Measure:
    """The responsible leader (or the secretary) records how far a measure is, with evidence.
    Progress on an item 待整改 starts it (整改中). At 100 % the measure is dated done."""
    rectification = measure.rectification
    lock(rectification)
    lock(measure)
    _check_measures_right(rectification, by)
    _check_measures_open(rectification)
    percent = _check_percent(percent)
    evidence_note = text(evidence_note, field="evidence_note", label=_("佐证说明"), required=False)
    changes: list[tuple[str, object, object]] = [
        (_("完成进度"), f"{measure.percent}%", f"{percent}%"),
        (_("佐证说明"), measure.evidence_note, evidence_note),
    ]
    if evidence_photo:
        changes.append((_("佐证照片"), _("原照片") if measure.evidence_photo else "", _("新照片")))
    detail = describe_changes(changes)
    if not detail:
        return measure
    if rectification.status == R.PENDING and percent > 0:
        _move(rectification, R.IN_PROGRESS)
        rectification.save(update_fields=["status", "updated_at"])
        record(by=by, action=_("开始整改"), obj=rectification)
    old_photo = measure.evidence_photo.name if evidence_photo and measure.evidence_photo else ""
    measure.percent, measure.evidence_note = percent, evidence_note
    if percent == 100:
        measure.completed_on = measure.completed_on or timezone.localdate()
    else:
        measure.completed_on = None
    if evidence_photo:
        measure.evidence_photo = evidence_photo
    measure.save()
    if old_photo:
        storage = measure.evidence_photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    audit.record(by=by, action=_("更新整改进度"), obj=measure, detail=detail)
    return measure


__all__ = [
    "RECTIFICATION_TRANSITIONS",
    "measure_add",
    "measure_progress",
    "measures_check_open",
    "measure_update",
    "problem_create",
    "problem_link",
    "problem_rectify",
    "problem_update",
    "rectification_accept",
    "rectification_actions",
    "rectification_check_editable",
    "rectification_create",
    "rectification_decline",
    "rectification_reopen",
    "rectification_report_fixed",
    "rectification_start",
    "rectification_update",
]
