"""Checks shared by the 战斗堡垒 services (vanguard, rectification, leadership)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range, cn_date
from members.models import Branch, User

from ..models import Campaign


def forbid(message: str) -> ValidationError:
    """A refusal because of who asks (views turn it into 403)."""
    return ValidationError(message, code="forbidden")


def text(
    value: str | None, *, field: str, label: str, max_length: int = 0, required: bool = True
) -> str:
    """`value` stripped; refused when required and empty, or longer than `max_length`."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}}, code="required")
    if max_length and len(value) > max_length:
        raise ValidationError(
            {
                field: _("%(label)s最多 %(max)d 个字，现在是 %(n)d 个字。")
                % {"label": label, "max": max_length, "n": len(value)}
            },
            code="too_long",
        )
    return value


def past_date(
    value: dt.date | None, *, field: str, label: str, not_before: dt.date | None = None
) -> dt.date:
    """A date that has happened: given, in the app's range, not after today and, with
    `not_before`, not before it."""
    if value is None:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}}, code="required")
    check_date_range(field=field, value=value, label=label)
    if value > timezone.localdate():
        raise ValidationError(
            {field: _("%(label)s不能晚于今天。") % {"label": label}}, code="future"
        )
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: _("%(label)s不能早于 %(date)s。")
                % {"label": label, "date": cn_date(not_before)}
            },
            code="too_early",
        )
    return value


def check_campaign_running(campaign: Campaign, *, by: User) -> None:
    if campaign.branch_id != by.branch_id:
        raise forbid(_("只能记录本支部活动中的内容。"))
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，不能再记录。"), code="campaign_closed")


def check_people_of(
    people: Iterable[User], *, branch: Branch | int, field: str, label: str
) -> list[User]:
    """Active people of the branch, at least one."""
    branch_id = branch if isinstance(branch, int) else branch.pk
    people = list(people)
    if not people:
        raise ValidationError({field: _("请选择%(label)s。") % {"label": label}}, code="required")
    if any(p.branch_id != branch_id or not p.is_active for p in people):
        raise ValidationError(
            {field: _("%(label)s只能选择本支部在册的人员。") % {"label": label}},
            code="other_branch",
        )
    return people
