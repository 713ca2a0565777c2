"""关爱慰问: visits (生病住院 / 家庭困难 / 退休 / 节日慰问 / 其他) that the secretary or a leader
records and the secretary or the recorder corrects, and "同事住院" reports from anyone of the
branch, which a visit answers (the report is linked to it) or the secretary closes with a reason.

Who may do what is campaign.rules_care. The audit trail says what was done and to whom, never the
health details (a visit's 情况记录, a report's hospital, 情况说明 and 关闭原因): a correction of
the 情况记录 is recorded as "情况记录：已修改", without its text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range, cn_date
from members import audit
from members.models import Branch, User

from ..models import CareVisit, IllnessReport
from ..rules_care import may_close_report, may_edit_visit, may_record_visit, may_report_illness
from ._common import describe_changes, lock, record
from ._fortress import check_people_of, forbid, past_date, text
from .vanguard import check_amount

GIFTS_MAX = 200  # CareVisit.gifts
NOTES_MAX = 2000  # CareVisit.notes, IllnessReport.note
HOSPITAL_MAX = 100  # IllnessReport.hospital
CLOSE_REASON_MAX = 200  # IllnessReport.close_reason


# --- Checks the forms call too -------------------------------------------------------------------


def check_care_amount(value: object) -> Decimal | None:
    """慰问金 is optional; when given, an amount in yuan > 0, to the cent (check_amount)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check_amount(value)


def check_follow_up(*, visited_on: dt.date | None, follow_up_on: dt.date | None) -> None:
    """A follow-up (回访) may lie ahead, but not before the visit (nor outside the app's dates)."""
    if follow_up_on is None:
        return
    check_date_range(field="follow_up_on", value=follow_up_on, label=_("回访日期"))
    if visited_on is not None and follow_up_on < visited_on:
        raise ValidationError(
            {"follow_up_on": _("回访日期不能早于慰问日期。")}, code="follow_up_before_visit"
        )


def check_visit_dates(*, visited_on: dt.date | None, follow_up_on: dt.date | None) -> None:
    """The visit's dates, each refusal at its field (the form shows them all at once): the
    visit not in the future, the follow-up not before it. A missing 慰问日期 is the form's."""
    errors: dict[str, list[str]] = {}
    if visited_on is not None:
        try:
            past_date(visited_on, field="visited_on", label=_("慰问日期"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        check_follow_up(visited_on=visited_on, follow_up_on=follow_up_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors, code="dates")


def _check_person(person: User | None, *, branch_id: int, field: str, label: str) -> User:
    """A person of the branch (a retired colleague no longer active still is one)."""
    if person is None:
        raise ValidationError({field: _("请选择%(label)s。") % {"label": label}}, code="required")
    if not isinstance(person, User) or person.branch_id != branch_id:
        raise ValidationError(
            {field: _("%(label)s只能选择本支部的人员。") % {"label": label}}, code="other_branch"
        )
    return person


def _names(people: Iterable[User]) -> str:
    return "、".join(sorted(p.full_name for p in people))


# --- Visits ---------------------------------------------------------------------------------------


def _visit_fields(*, branch_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("reason") not in CareVisit.Reason.values:
        raise ValidationError({"reason": _("请选择慰问原因。")}, code="reason")
    visited_on = past_date(data.get("visited_on"), field="visited_on", label=_("慰问日期"))
    follow_up_on = data.get("follow_up_on")
    check_follow_up(visited_on=visited_on, follow_up_on=follow_up_on)
    return {
        "person": _check_person(
            data.get("person"), branch_id=branch_id, field="person", label=_("慰问对象")
        ),
        "reason": data["reason"],
        "visited_on": visited_on,
        "gifts": text(
            data.get("gifts"),
            field="gifts",
            label=_("慰问品"),
            max_length=GIFTS_MAX,
            required=False,
        ),
        "amount": check_care_amount(data.get("amount")),
        "notes": text(
            data.get("notes"),
            field="notes",
            label=_("情况记录"),
            max_length=NOTES_MAX,
            required=False,
        ),
        "follow_up_on": follow_up_on,
    }


def _check_answerable(report: IllnessReport, *, branch_id: int) -> None:
    if report.branch_id != branch_id:
        raise forbid(_("只能答复本支部的住院报告。"))
    if report.visit_id is not None:
        raise ValidationError(_("这份住院报告已经登记过慰问了。"), code="visited")
    if report.closed:
        raise ValidationError(_("这份住院报告已经关闭，不能再登记慰问。"), code="closed")


@transaction.atomic
def care_visit_create(
    *,
    branch: Branch,
    data: Mapping[str, Any],
    visitors: Iterable[User],
    by: User,
    report: IllnessReport | None = None,
) -> CareVisit:
    """A visit: person, reason, date (not in the future), visitors (people of the branch), gifts,
    慰问金 (optional, > 0), notes, 回访日期 (not before the visit). With `report`, the visit
    answers that 住院报告 (same person; not visited nor closed yet) and the report is linked."""
    if not may_record_visit(by, branch.pk):
        raise forbid(_("只有支部书记和领导班子成员可以登记关爱慰问。"))
    fields = _visit_fields(branch_id=branch.pk, data=data)
    people = check_people_of(visitors, branch=branch, field="visitors", label=_("慰问人"))
    if report is not None:
        lock(report)
        _check_answerable(report, branch_id=branch.pk)
        if fields["person"].pk != report.person_id:
            name = report.person.full_name
            raise ValidationError(
                {
                    "person": _("这次慰问答复的是%(name)s的住院报告，慰问对象须为%(name)s。")
                    % {"name": name}
                },
                code="other_person",
            )
    visit = CareVisit.objects.create(branch=branch, recorded_by=by, **fields)
    visit.visitors.set(people)
    detail = _("慰问人：%(names)s") % {"names": _names(people)}
    if report is not None:
        report.visit = visit
        report.save(update_fields=["visit", "updated_at"])
        detail = _("%(detail)s；答复住院报告（%(date)s）") % {
            "detail": detail,
            "date": cn_date(report.reported_on),
        }
    audit.record(by=by, action=_("登记关爱慰问"), obj=visit, detail=detail)
    return visit


@transaction.atomic
def care_visit_update(
    *, visit: CareVisit, data: Mapping[str, Any], visitors: Iterable[User], by: User
) -> CareVisit:
    """The secretary or the recorder corrects a visit; old → new in the audit trail, except the
    情况记录, whose change is noted without its text."""
    lock(visit)
    if not may_edit_visit(by, visit):
        raise forbid(_("只有支部书记和登记人可以修改这条慰问记录。"))
    fields = _visit_fields(branch_id=visit.branch_id, data=data)
    people = check_people_of(visitors, branch=visit.branch_id, field="visitors", label=_("慰问人"))
    if fields["person"].pk != visit.person_id and visit.reports.exists():
        raise ValidationError(
            {"person": _("这次慰问答复了住院报告，慰问对象不能更改。")}, code="answers_report"
        )
    reasons = dict(CareVisit.Reason.choices)
    changes = [
        (_("慰问对象"), visit.person.full_name, fields["person"].full_name),
        (_("慰问原因"), reasons[visit.reason], reasons[fields["reason"]]),
        (_("慰问日期"), visit.visited_on, fields["visited_on"]),
        (_("慰问人"), _names(visit.visitors.all()), _names(people)),
        (_("慰问品"), visit.gifts, fields["gifts"]),
        (_("慰问金（元）"), visit.amount, fields["amount"]),
        (_("回访日期"), visit.follow_up_on, fields["follow_up_on"]),
    ]
    detail = describe_changes(changes)
    if visit.notes != fields["notes"]:
        detail = "；".join(filter(None, [detail, _("情况记录：已修改")]))
    if not detail:
        return visit
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.save()
    visit.visitors.set(people)
    audit.record(by=by, action=_("修改关爱慰问"), obj=visit, detail=detail)
    return visit


# --- 住院报告 ---------------------------------------------------------------------------------


@transaction.atomic
def illness_report_create(
    *,
    branch: Branch,
    data: Mapping[str, Any],
    by: User,
    reported_on: dt.date | None = None,
) -> IllnessReport:
    """ "同事住院": anyone of the branch tells the secretary: the colleague (a person of the
    branch), hospital/ward and a note, both optional. `reported_on` is today unless given (the
    demo tells its story with earlier dates)."""
    if not may_report_illness(by, branch.pk):
        raise forbid(_("只能向本支部报告同事住院。"))
    reported_on = past_date(
        reported_on or timezone.localdate(), field="reported_on", label=_("报告日期")
    )
    report = IllnessReport.objects.create(
        branch=branch,
        reported_by=by,
        reported_on=reported_on,
        person=_check_person(
            data.get("person"), branch_id=branch.pk, field="person", label=_("住院同事")
        ),
        hospital=text(
            data.get("hospital"),
            field="hospital",
            label=_("医院/病区"),
            max_length=HOSPITAL_MAX,
            required=False,
        ),
        note=text(
            data.get("note"),
            field="note",
            label=_("情况说明"),
            max_length=NOTES_MAX,
            required=False,
        ),
    )
    record(by=by, action=_("报告同事住院"), obj=report)
    return report


@transaction.atomic
def illness_report_close(*, report: IllnessReport, reason: str, by: User) -> IllnessReport:
    """The secretary closes a report nobody will answer with a visit, with the reason (e.g.
    已出院，家属谢绝探望); the reason stays with the report, out of the audit trail."""
    lock(report)
    if not may_close_report(by, report):
        raise forbid(_("只有支部书记可以关闭住院报告。"))
    if report.visit_id is not None:
        raise ValidationError(_("这份住院报告已经登记过慰问，无需关闭。"), code="visited")
    if report.closed:
        raise ValidationError(_("这份住院报告已经关闭了。"), code="closed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("请写明关闭原因，例如：已出院，家属谢绝探望。")}, code="no_reason"
        )
    reason = text(reason, field="reason", label=_("关闭原因"), max_length=CLOSE_REASON_MAX)
    report.closed = True
    report.close_reason = reason
    report.save(update_fields=["closed", "close_reason", "updated_at"])
    audit.record(by=by, action=_("关闭住院报告"), obj=report)
    return report


__all__ = [
    "care_visit_create",
    "care_visit_update",
    "check_care_amount",
    "check_follow_up",
    "check_visit_dates",
    "illness_report_close",
    "illness_report_create",
]
