"""Shared helpers for the campaign services: transition checks, date order and the audit rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_dates_in_range, cn_date
from members import audit
from members.models import Role, User

from ..models.voiding import Voidable

VOID_REASON_MAX = 300


def check_transition(
    *,
    current: str,
    target: str,
    transitions: Mapping[str, set[str]],
    labels: Mapping[str, str],
    what: str,
) -> None:
    """Refuse a state change the transition map does not allow, in words a person understands."""
    if target not in transitions.get(current, set()):
        raise ValidationError(
            _("%(what)s当前是“%(current)s”，不能改为“%(target)s”。")
            % {"what": what, "current": labels[current], "target": labels[target]},
            code="bad_transition",
        )


def check_dates(
    *, starts_on: dt.date | None, ends_on: dt.date | None, same_day: bool = True
) -> None:
    """The one "end after start" rule: a phase or round may end on the day it starts
    (`same_day`), a campaign must end later. Forms call it too, so a missing date is let pass
    (the form reports it as required). Both dates must lie in config.dates' range (a "长期"
    9999-12-31 would overflow when the phases are laid out)."""
    check_dates_in_range(dates={"starts_on": starts_on, "ends_on": ends_on})
    if starts_on is None or ends_on is None:
        return
    if same_day and ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("结束日期不能早于开始日期。")}, code="ends_before_start"
        )
    if not same_day and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("结束日期须晚于开始日期。")}, code="ends_before_start")


def is_officer(user: User) -> bool:
    return user.has_role(Role.SECRETARY) or user.has_role(Role.LEADER)


def record(*, by: User, action: str, obj: models.Model | None = None, detail: str = "") -> None:
    """Changes by the secretary or a leader go to the audit trail; members' own drafts do not."""
    if is_officer(by):
        audit.record(by=by, action=action, obj=obj, detail=detail)


# --- Corrections: edits with old → new in the audit trail, and 作废 with a reason ---------------


def _shown(value: object) -> str:
    if value is None or value == "":
        return _("（空）")
    if isinstance(value, dt.date):
        return cn_date(value)
    return str(value)


def describe_changes(changes: Iterable[tuple[str, object, object]]) -> str:
    """ "<label>：<old> → <new>" for each (label, old, new) whose value changed, joined by "；":
    the detail of a correction's audit entry. Empty when nothing changed."""
    return "；".join(
        _("%(label)s：%(old)s → %(new)s") % {"label": label, "old": _shown(old), "new": _shown(new)}
        for label, old, new in changes
        if old != new
    )


def lock(obj: models.Model) -> None:
    """Reload the row under a lock, so two corrections of one record (or a correction and a
    作废) never both pass their checks on stale values."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update(of=("self",)))


def check_not_voided(obj: Voidable, *, what: str) -> None:
    if obj.is_voided:
        raise ValidationError(
            _("%(what)s已作废，不能再修改或作废。") % {"what": what}, code="voided"
        )


def mark_voided(obj: Voidable, *, reason: str, by: User) -> str:
    """Void `obj` (its checks done by the caller): the reason is required and stays visible."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("请写明作废原因，作废后大家都会看到这个原因。")}, code="no_reason"
        )
    if len(reason) > VOID_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("作废原因最多 %(max)d 个字，现在是 %(n)d 个字。")
                % {"max": VOID_REASON_MAX, "n": len(reason)}
            },
            code="reason_too_long",
        )
    obj.voided_at = timezone.now()
    obj.voided_by = by
    obj.void_reason = reason
    obj.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    return reason
