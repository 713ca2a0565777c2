"""评选表彰: nominated → 支委会 recommended → 上报 → awarded (or not), each step audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.dates import check_date_range
from members import audit
from members.models import Role, User

from ..models import Campaign, EvaluationSubject, Honour, LeaderReview, Nomination, Pledge
from ._common import check_transition, describe_changes, lock, record

N = Nomination.Status
NOMINATION_TRANSITIONS: dict[str, set[str]] = {
    N.NOMINATED: {N.RECOMMENDED, N.WITHDRAWN},
    N.RECOMMENDED: {N.REPORTED, N.WITHDRAWN},
    N.REPORTED: {N.AWARDED, N.NOT_AWARDED},
    N.AWARDED: set(),
    N.NOT_AWARDED: set(),
    N.WITHDRAWN: set(),
}


def _move(nomination: Nomination, target: str) -> None:
    check_transition(
        current=nomination.status,
        target=target,
        transitions=NOMINATION_TRANSITIONS,
        labels=dict(N.choices),
        what=_("这项推荐"),
    )
    nomination.status = target


def nomination_actions(*, nomination: Nomination, by: User) -> frozenset[str]:
    """What `by` can do with the nomination now, read off NOMINATION_TRANSITIONS: "recommend"
    (or "recommend_by_other" when the nominee is `by`), "report", "withdraw", "award",
    "decline"."""
    targets = NOMINATION_TRANSITIONS[nomination.status]
    actions = {
        action
        for target, action in (
            (N.RECOMMENDED, "recommend"),
            (N.REPORTED, "report"),
            (N.WITHDRAWN, "withdraw"),
            (N.AWARDED, "award"),
            (N.NOT_AWARDED, "decline"),
        )
        if target in targets
    }
    if "recommend" in actions and _is_nominee(nomination, by):
        actions.remove("recommend")
        actions.add("recommend_by_other")
    return frozenset(actions)


def _is_nominee(nomination: Nomination, by: User) -> bool:
    return nomination.nominee_id is not None and nomination.nominee_id == by.pk


@transaction.atomic
def nomination_create(
    *,
    campaign: Campaign,
    kind: str,
    nominee: User | None,
    reason: str,
    pledges: Iterable[Pledge],
    reviews: Iterable[LeaderReview],
    results: Iterable[EvaluationSubject],
    by: User,
) -> Nomination:
    """Evidence must be the nominee's own (the branch's, for an organisation) in this campaign."""
    if kind in Nomination.ORG_KINDS:
        nominee = None
    elif nominee is None:
        raise ValidationError({"nominee": _("请选择被提名的党员。")})
    elif nominee.branch_id != campaign.branch_id or not nominee.has_role(Role.MEMBER):
        raise ValidationError({"nominee": _("只能提名本支部的党员。")})
    elif nominee.pk == by.pk:
        raise ValidationError({"nominee": _("不能提名自己，请由其他支委提名。")}, code="self")
    if not reason.strip():
        raise ValidationError({"reason": _("请填写推荐理由。")})
    pledges, reviews, results = list(pledges), list(reviews), list(results)
    owner_id = nominee.pk if nominee else None
    if any(p.campaign_id != campaign.pk or p.owner_id != owner_id for p in pledges):
        raise ValidationError({"evidence_pledges": _("只能选择被提名对象本次活动中的承诺。")})
    if any(r.campaign_id != campaign.pk or r.subject_id != owner_id for r in reviews):
        raise ValidationError({"evidence_reviews": _("只能选择对被提名对象的点评。")})
    if any(r.is_voided for r in reviews):
        raise ValidationError({"evidence_reviews": _("已作废的点评不能作为依据。")})
    if any(s.round.campaign_id != campaign.pk or s.person_id != owner_id for s in results):
        raise ValidationError({"evidence_results": _("只能选择被提名对象的评议结果。")})
    nomination = Nomination.objects.create(
        campaign=campaign, kind=kind, nominee=nominee, reason=reason.strip(), nominated_by=by
    )
    nomination.evidence_pledges.set(pledges)
    nomination.evidence_reviews.set(reviews)
    nomination.evidence_results.set(results)
    record(by=by, action=_("提名评选表彰"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_recommend(*, nomination: Nomination, on: dt.date, by: User) -> Nomination:
    if _is_nominee(nomination, by):
        raise ValidationError(_("不能为自己登记支委会推荐，请由其他支委登记。"), code="self")
    check_date_range(field="on", value=on)
    _move(nomination, N.RECOMMENDED)
    nomination.recommended_on = on
    nomination.save(update_fields=["status", "recommended_on", "updated_at"])
    record(by=by, action=_("支委会推荐"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_report(*, nomination: Nomination, on: dt.date, by: User) -> Nomination:
    check_date_range(field="on", value=on)
    _move(nomination, N.REPORTED)
    nomination.reported_on = on
    nomination.save(update_fields=["status", "reported_on", "updated_at"])
    record(by=by, action=_("上报评选推荐"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by: User) -> Nomination:
    _move(nomination, N.WITHDRAWN)
    nomination.save(update_fields=["status", "updated_at"])
    record(by=by, action=_("撤回评选推荐"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_decline(*, nomination: Nomination, by: User) -> Nomination:
    _move(nomination, N.NOT_AWARDED)
    nomination.save(update_fields=["status", "updated_at"])
    record(by=by, action=_("登记未获表彰"), obj=nomination)
    return nomination


@transaction.atomic
def nomination_award(
    *,
    nomination: Nomination,
    awarded_on: dt.date,
    awarding_body: str,
    title: str = "",
    by: User,
) -> Honour:
    """Record the honour the awarding body gave; the nomination becomes 已表彰."""
    if not awarding_body.strip():
        raise ValidationError({"awarding_body": _("请填写表彰单位。")})
    check_date_range(field="awarded_on", value=awarded_on)
    if nomination.reported_on and awarded_on < nomination.reported_on:
        raise ValidationError({"awarded_on": _("表彰日期不能早于上报日期。")})
    _move(nomination, N.AWARDED)
    nomination.save(update_fields=["status", "updated_at"])
    honour = Honour.objects.create(
        branch=nomination.campaign.branch,
        campaign=nomination.campaign,
        nomination=nomination,
        title=title.strip() or nomination.get_kind_display(),
        person=nomination.nominee,
        awarded_on=awarded_on,
        awarding_body=awarding_body.strip(),
    )
    record(by=by, action=_("登记表彰"), obj=honour)
    return honour


# --- Correcting the dates of steps already taken ------------------------------------------------

# The dated steps in their order: 支委会推荐 ≤ 上报 ≤ 表彰 (the honour's date).
DATE_STEPS: dict[str, str] = {
    "recommended_on": gettext_lazy("支委会推荐日期"),
    "reported_on": gettext_lazy("上报日期"),
    "awarded_on": gettext_lazy("表彰日期"),
}


def _honour_of(nomination: Nomination) -> Honour | None:
    return Honour.objects.filter(nomination=nomination).first()


def nomination_dates(*, nomination: Nomination) -> dict[str, dt.date]:
    """The dates of the steps taken so far, by field name (DATE_STEPS order): what may be
    corrected."""
    honour = _honour_of(nomination)
    values = {
        "recommended_on": nomination.recommended_on,
        "reported_on": nomination.reported_on,
        "awarded_on": honour.awarded_on if honour else None,
    }
    return {field: value for field, value in values.items() if value is not None}


def nomination_check_dates_correctable(*, nomination: Nomination, by: User) -> None:
    """The secretary corrects the dates of a nomination that has any, unless it is his or her own
    (another 支委 corrects those, as for the steps themselves). Views call it before the form."""
    if not by.has_perm("campaign.manage_campaign") or by.branch_id != (
        nomination.campaign.branch_id
    ):
        raise ValidationError(_("只有支部书记可以更正评选推荐的日期。"), code="forbidden")
    if _is_nominee(nomination, by):
        raise ValidationError(_("这是对您本人的提名，日期须由其他支委更正。"), code="self")
    if nomination.recommended_on is None and nomination.reported_on is None:
        raise ValidationError(_("这项推荐还没有登记过日期，没有可更正的日期。"), code="no_dates")


def nomination_dates_correctable(*, nomination: Nomination, by: User) -> bool:
    """Whether the page offers 更正日期 to `by`."""
    try:
        nomination_check_dates_correctable(nomination=nomination, by=by)
    except ValidationError:
        return False
    return True


def _check_step_dates(*, new: dict[str, dt.date], old: dict[str, dt.date]) -> None:
    for field, value in new.items():
        check_date_range(field=field, value=value, label=str(DATE_STEPS[field]))
        if value != old[field] and value > timezone.localdate():
            raise ValidationError(
                {field: _("%(label)s不能晚于今天。") % {"label": DATE_STEPS[field]}},
                code="future",
            )
    steps = [field for field in DATE_STEPS if field in new]
    for earlier, later in zip(steps, steps[1:], strict=False):
        if new[later] < new[earlier]:
            raise ValidationError(
                {
                    later: _("%(later)s不能早于%(earlier)s。")
                    % {"later": DATE_STEPS[later], "earlier": DATE_STEPS[earlier]}
                },
                code="out_of_order",
            )


@transaction.atomic
def nomination_dates_update(
    *, nomination: Nomination, dates: dict[str, dt.date | None], reason: str, by: User
) -> Nomination:
    """Correct the dates of steps already taken (only those: a step not taken gets its date when
    it is taken). A reason is required; the audit entry keeps old → new and the reason."""
    lock(nomination)
    nomination_check_dates_correctable(nomination=nomination, by=by)
    old = nomination_dates(nomination=nomination)
    new: dict[str, dt.date] = {}
    for field in old:
        value = dates.get(field)
        if value is None:
            raise ValidationError(
                {field: _("请填写%(label)s。") % {"label": DATE_STEPS[field]}}, code="required"
            )
        new[field] = value
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请写明更正原因。")}, code="no_reason")
    _check_step_dates(new=new, old=old)
    changes = describe_changes((DATE_STEPS[f], old[f], new[f]) for f in old)
    if not changes:
        raise ValidationError(_("日期没有改动。"), code="unchanged")
    nomination.recommended_on = new.get("recommended_on", nomination.recommended_on)
    nomination.reported_on = new.get("reported_on", nomination.reported_on)
    nomination.save(update_fields=["recommended_on", "reported_on", "updated_at"])
    if "awarded_on" in new:
        Honour.objects.filter(nomination=nomination).update(
            awarded_on=new["awarded_on"], updated_at=timezone.now()
        )
    audit.record(
        by=by,
        action=_("更正评选推荐日期"),
        obj=nomination,
        detail=_("%(changes)s；更正原因：%(reason)s") % {"changes": changes, "reason": reason},
    )
    return nomination
