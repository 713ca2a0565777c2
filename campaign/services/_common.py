"""Shared helpers for the campaign services: transition checks, date order and the audit rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from config.dates import check_dates_in_range
from members import audit
from members.models import Role, User


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
