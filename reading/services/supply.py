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
from ..models.supply import money
from ..rules import is_participant
from ._common import require_activity_branch, require_participant, require_phase

# --- Purchase and hand-out ----------------------------------------------------------------------

VOID_REASON_MAX = 200  # Purchase.void_reason / Distribution.void_reason


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
    confirmed_overrun: Decimal | None = None,
    by: User,
) -> Purchase:
    """Record a purchase. One that takes the activity over its budget is refused with the
    overrun (code "over_budget", params["overrun"]) until `confirmed_overrun` covers it."""
    purchase_check_open(activity=selection.activity, by=by)
    _check_purchase_fields(
        quantity=quantity, unit_price=unit_price, supplier=supplier, purchased_on=purchased_on
    )
    over_budget = _check_budget(
        selection=selection,
        amount=unit_price * quantity,
        confirmed_overrun=confirmed_overrun,
    )
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
        detail=f"{quantity} 册 × {unit_price} 元，{supplier}" + over_budget,
    )
    return purchase


def _check_purchase_fields(
    *, quantity: int, unit_price: Decimal, supplier: str, purchased_on: dt.date
) -> None:
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


def _yuan(amount: Decimal) -> str:
    return f"{money(amount):.2f}"


def _check_budget(
    *,
    selection: Selection,
    amount: Decimal,
    confirmed_overrun: Decimal | None,
    replacing: Purchase | None = None,
) -> str:
    """The budget against the activity's spending once this purchase (new, or `replacing` an old
    one) is saved. A purchase that takes the spending over the budget and spends more than before
    is refused, with the overrun, until the person confirms at least that overrun. Returns what
    the audit entry adds: the overrun, if any."""
    activity = ReadingActivity.objects.select_for_update().get(pk=selection.activity_id)
    others = Purchase.objects.filter(selection__activity=activity).valid()
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    spent = others.cost()
    overrun = spent + money(amount) - activity.budget
    before = money(replacing.total) if replacing is not None and not replacing.is_voided else 0
    spends_more = money(amount) > before
    if overrun <= 0:
        return ""
    if not spends_more:
        return _("；仍超出预算 ¥%(overrun)s") % {"overrun": _yuan(overrun)}
    if confirmed_overrun is None or confirmed_overrun < overrun:
        raise ValidationError(
            _("本次采购后将超出预算 ¥%(overrun)s（预算 ¥%(budget)s，已用 ¥%(spent)s）。"),
            code="over_budget",
            params={
                "overrun": _yuan(overrun),
                "budget": _yuan(activity.budget),
                "spent": _yuan(spent),
            },
        )
    return _("；超出预算 ¥%(overrun)s（已确认仍然保存）") % {"overrun": _yuan(overrun)}


def _require_manager(*, activity: ReadingActivity, by: User, message: str) -> None:
    require_activity_branch(activity=activity, by=by)
    if not by.has_perm("reading.manage_reading"):
        raise ValidationError(message, code="forbidden")


def _void_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("请填写作废原因，它会一直显示在这条记录旁边。")}, code="required"
        )
    if len(reason) > VOID_REASON_MAX:
        raise ValidationError(
            {"reason": _("作废原因最多 %(n)d 个字。") % {"n": VOID_REASON_MAX}}, code="max_length"
        )
    return reason


def _bought(selection: Selection, *, excluding: Purchase | None = None) -> int:
    purchases = Purchase.objects.filter(selection=selection).valid()
    if excluding is not None:
        purchases = purchases.exclude(pk=excluding.pk)
    return purchases.aggregate(n=Sum("quantity"))["n"] or 0


def purchase_check_editable(*, purchase: Purchase, by: User) -> None:
    """The purchase may be changed (修改 or 作废) by this person now. Views call it before they
    read an uploaded invoice photo."""
    _require_manager(
        activity=purchase.selection.activity,
        by=by,
        message=_("只有组织读书活动的人可以更正采购记录。"),
    )
    if purchase.is_voided:
        raise ValidationError(_("这条采购记录已作废，不能再修改。"), code="voided")


def _lock_purchase(purchase: Purchase, by: User) -> Purchase:
    purchase_check_editable(purchase=purchase, by=by)
    # The book first, as distribution_issue does: copies bought and handed out are read together.
    Selection.objects.select_for_update(of=("self",)).filter(pk=purchase.selection_id).first()
    locked = (
        Purchase.objects.select_for_update(of=("self",))
        .select_related("selection__activity")
        .get(pk=purchase.pk)
    )
    purchase_check_editable(purchase=locked, by=by)  # voided meanwhile by someone else
    return locked


@transaction.atomic
def purchase_update(
    *,
    purchase: Purchase,
    quantity: int,
    unit_price: Decimal,
    supplier: str,
    purchased_on: dt.date,
    invoice: UploadedFile | None = None,
    confirmed_overrun: Decimal | None = None,
    by: User,
) -> Purchase:
    """修改 a purchase entered wrongly (its book stays: a purchase of the wrong book is 作废 and
    recorded again). Never fewer copies than were handed out; the budget as for a new one."""
    old = _lock_purchase(purchase, by)
    _check_purchase_fields(
        quantity=quantity, unit_price=unit_price, supplier=supplier, purchased_on=purchased_on
    )
    supplier = supplier.strip()
    selection = old.selection
    handed = selection.distributions.valid().count()
    others = _bought(selection, excluding=old)
    if others + quantity < handed:
        raise ValidationError(
            {
                "quantity": _(
                    "%(book)s 已发放 %(handed)d 册，其他采购记录共 %(others)d 册，"
                    "这条至少要 %(need)d 册。"
                )
                % {"book": selection, "handed": handed, "others": others, "need": handed - others}
            },
            code="below_handed_out",
        )
    changes = [
        (_("数量"), old.quantity, quantity),
        (_("单价"), _yuan(old.unit_price), _yuan(unit_price)),
        (_("供应商"), old.supplier, supplier),
        (_("采购日期"), old.purchased_on, purchased_on),
    ]
    detail = [f"{label} {a} → {b}" for label, a, b in changes if a != b]
    if invoice:
        detail.append(_("发票照片已更换") if old.invoice else _("补上发票照片"))
    if not detail:
        raise ValidationError(_("您没有改动任何内容。"), code="unchanged")
    over_budget = _check_budget(
        selection=selection,
        amount=unit_price * quantity,
        confirmed_overrun=confirmed_overrun,
        replacing=old,
    )
    old.quantity, old.unit_price, old.supplier, old.purchased_on = (
        quantity,
        unit_price,
        supplier,
        purchased_on,
    )
    if invoice:
        old.invoice = invoice
    old.save()
    audit.record(
        by=by,
        action=_("修改采购记录"),
        obj=old,
        detail="；".join(detail) + over_budget,
    )
    return old


@transaction.atomic
def purchase_void(*, purchase: Purchase, reason: str, by: User) -> Purchase:
    """作废 a purchase recorded by mistake: it stays on the list with its reason and no longer
    counts in the totals, the budget or the copies left to hand out."""
    purchase = _lock_purchase(purchase, by)
    reason = _void_reason(reason)
    selection = purchase.selection
    handed = selection.distributions.valid().count()
    left = _bought(selection, excluding=purchase)
    if left < handed:
        raise ValidationError(
            _(
                "%(book)s 已发放 %(handed)d 册，作废这条后采购记录只剩 %(left)d 册。"
                "请先作废发错的发放记录，或改为修改这条采购的数量。"
            )
            % {"book": selection, "handed": handed, "left": left},
            code="below_handed_out",
        )
    purchase.voided_at, purchase.voided_by, purchase.void_reason = timezone.now(), by, reason
    purchase.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    audit.record(
        by=by,
        action=_("作废采购记录"),
        obj=purchase,
        detail=_("%(q)d 册 × %(p)s 元，%(s)s；有效 → 已作废：%(r)s")
        % {"q": purchase.quantity, "p": purchase.unit_price, "s": purchase.supplier, "r": reason},
    )
    return purchase


def copies_left(*, selection: Selection) -> int:
    return _bought(selection) - selection.distributions.valid().count()


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
        selection.distributions.valid()
        .filter(member__in=members)
        .values_list("member_id", flat=True)
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
    if distribution.is_voided:
        raise ValidationError(_("这条发放记录已作废，不需要确认。"), code="voided")
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
    if distribution.is_voided:
        raise ValidationError(_("这条发放记录已作废，不需要确认。"), code="voided")
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


def distribution_check_voidable(*, distribution: Distribution, by: User) -> None:
    _require_manager(
        activity=distribution.selection.activity,
        by=by,
        message=_("只有组织读书活动的人可以作废发放记录。"),
    )
    if distribution.is_voided:
        raise ValidationError(_("这条发放记录已经作废了。"), code="voided")


@transaction.atomic
def distribution_void(*, distribution: Distribution, reason: str, by: User) -> Distribution:
    """作废 a hand-out recorded by mistake (wrong person or book), also one already confirmed:
    the secretary may have confirmed it for the member (代为确认), or the book came back. It stays
    on the ledger with its reason, frees its copy, and the member may be given the book again."""
    distribution_check_voidable(distribution=distribution, by=by)
    reason = _void_reason(reason)
    distribution = (
        Distribution.objects.select_for_update(of=("self",))
        .select_related("selection__activity", "member")
        .get(pk=distribution.pk)
    )
    distribution_check_voidable(distribution=distribution, by=by)  # voided meanwhile
    distribution.voided_at, distribution.voided_by, distribution.void_reason = (
        timezone.now(),
        by,
        reason,
    )
    distribution.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    state = _("已确认领取") if distribution.confirmed_at else _("未确认领取")
    audit.record(
        by=by,
        action=_("作废发放记录"),
        obj=distribution,
        detail=_("%(name)s · %(book)s，%(day)s 发放（%(state)s）；有效 → 已作废：%(reason)s")
        % {
            "name": distribution.member.full_name,
            "book": distribution.selection,
            "day": f"{distribution.issued_on:%Y-%m-%d}",
            "state": state,
            "reason": reason,
        },
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
