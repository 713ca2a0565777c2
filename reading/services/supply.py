"""Purchases, the hand-out (发放), receipt confirmation and reading progress (phase 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range
from members import audit
from members.models import User

from ..models import (
    Distribution,
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Selection,
)
from ..rules import is_participant
from ._common import require_activity_branch, require_participant, require_phase

# --- Purchase and hand-out ----------------------------------------------------------------------


def purchase_check_open(*, activity: ReadingActivity, by: User) -> None:
    """Purchases can be recorded for this activity now. Views call it before they read an
    uploaded invoice photo."""
    require_activity_branch(activity=activity, by=by)
    if not activity.is_selected:
        raise ValidationError(_("书目尚未选定，选定后才能登记采购。"), code="not_selected")


@transaction.atomic
def purchase_record(
    *,
    selection: Selection,
    quantity: int,
    unit_price: Decimal,
    supplier: str,
    purchased_on: dt.date,
    invoice: UploadedFile | None = None,
    by: User,
) -> Purchase:
    purchase_check_open(activity=selection.activity, by=by)
    check_date_range(field="purchased_on", value=purchased_on)
    errors: dict[str, str] = {}
    if not quantity or quantity < 1:
        errors["quantity"] = _("数量须大于0。")
    if unit_price is None or unit_price <= 0:
        errors["unit_price"] = _("单价须大于0。")
    if not (supplier or "").strip():
        errors["supplier"] = _("请填写供应商。")
    if errors:
        raise ValidationError(errors)
    purchase = Purchase(
        selection=selection,
        quantity=quantity,
        unit_price=unit_price,
        supplier=supplier.strip(),
        purchased_on=purchased_on,
        recorded_by=by,
    )
    if invoice:
        purchase.invoice = invoice
    purchase.save()
    audit.record(
        by=by,
        action=_("登记购书"),
        obj=purchase,
        detail=f"{quantity} 册 × {unit_price} 元，{supplier}",
    )
    return purchase


def copies_left(*, selection: Selection) -> int:
    bought = selection.purchases.aggregate(n=Sum("quantity"))["n"] or 0
    return bought - selection.distributions.count()


@transaction.atomic
def distribution_issue(
    *,
    selection: Selection,
    members: Iterable[User],
    issued_on: dt.date,
    by: User,
) -> list[Distribution]:
    """Hand one copy to each member who has none yet; never more copies than were bought."""
    activity = selection.activity
    require_activity_branch(activity=activity, by=by)
    Selection.objects.select_for_update(of=("self",)).filter(pk=selection.pk).first()
    members = list(members)
    if not members:
        raise ValidationError({"members": _("请至少选择一人。")})
    check_date_range(field="issued_on", value=issued_on)
    for person in members:
        if not is_participant(activity, person):
            raise ValidationError({"members": _("%(name)s 不是本支部党员。") % {"name": person}})
    already = set(
        selection.distributions.filter(member__in=members).values_list("member_id", flat=True)
    )
    new = [p for p in members if p.pk not in already]
    if not new:
        raise ValidationError({"members": _("所选人员都已领过这本书。")})
    left = copies_left(selection=selection)
    if len(new) > left:
        raise ValidationError(
            {
                "members": _("%(book)s 还剩 %(left)d 册，不够发给 %(n)d 人；请先登记采购。")
                % {"book": selection, "left": max(left, 0), "n": len(new)}
            }
        )
    rows = Distribution.objects.bulk_create(
        [
            Distribution(selection=selection, member=p, issued_on=issued_on, issued_by=by)
            for p in new
        ]
    )
    audit.record(
        by=by,
        action=_("发放图书"),
        obj=selection,
        detail=f"{issued_on:%Y-%m-%d} 发给 " + "、".join(p.full_name for p in new),
    )
    return rows


@transaction.atomic
def distribution_confirm(*, distribution: Distribution, by: User) -> Distribution:
    if distribution.member_id != by.pk:
        raise ValidationError(_("只能确认自己领取的书。"))
    if distribution.confirmed_at is not None:
        raise ValidationError(_("您已经确认领取过这本书。"))
    distribution.confirmed_at = timezone.now()
    distribution.save(update_fields=["confirmed_at", "updated_at"])
    return distribution


@transaction.atomic
def distribution_confirm_for(*, distribution: Distribution, by: User) -> Distribution:
    """The secretary marks 已领取 for a member who does not use the app (audited, both names)."""
    require_activity_branch(activity=distribution.selection.activity, by=by)
    if not by.has_perm("reading.manage_reading"):
        raise ValidationError(_("只有组织读书活动的人可以代为确认领取。"), code="forbidden")
    distribution = Distribution.objects.select_for_update(of=("self",)).get(pk=distribution.pk)
    if distribution.confirmed_at is not None:
        raise ValidationError(_("%(name)s 已经确认领取过这本书。") % {"name": distribution.member})
    distribution.confirmed_at = timezone.now()
    distribution.save(update_fields=["confirmed_at", "updated_at"])
    audit.record(
        by=by,
        action=_("代为确认领取图书"),
        obj=distribution.selection,
        detail=_("代 %(name)s 确认已领取") % {"name": distribution.member.full_name},
    )
    return distribution


# --- Phase 2: progress --------------------------------------------------------------------------


@transaction.atomic
def progress_update(
    *,
    selection: Selection,
    by: User,
    status: str,
    percent: int,
    visible_to_members: bool,
) -> ReadingProgress:
    """Update the one progress row of this member and book (created on first use)."""
    activity = selection.activity
    require_participant(activity=activity, user=by)
    require_phase(activity=activity, action="progress")
    Status = ReadingProgress.Status
    if status not in Status.values:
        raise ValidationError({"status": _("请选择阅读状态。")})
    if percent is None or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("百分比须在 0 到 100 之间。")})
    if status == Status.NOT_STARTED:
        percent = 0
    elif status == Status.FINISHED:
        percent = 100
    elif percent == 100:
        status = Status.FINISHED
    progress, _created = ReadingProgress.objects.update_or_create(
        selection=selection,
        member=by,
        defaults={"status": status, "percent": percent, "visible_to_members": visible_to_members},
    )
    return progress
