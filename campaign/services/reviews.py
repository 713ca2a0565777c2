"""领导点评: leaders and the secretary comment on members' (or the branch's) fulfilment. The author
corrects his or her comment while the campaign runs; the author or the secretary voids (作废) one
made by mistake, with a reason that stays on the register."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range
from members import audit
from members.models import Role, User

from ..models import Campaign, LeaderReview
from ._common import check_not_voided, describe_changes, is_officer, lock, mark_voided, record


def _check_content(*, rating: str, comment: str, reviewed_on: dt.date) -> None:
    if rating not in LeaderReview.Rating.values:
        raise ValidationError({"rating": _("请选择评价等次。")})
    check_date_range(field="reviewed_on", value=reviewed_on)
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("点评日期不能晚于今天。")})
    if not comment.strip():
        raise ValidationError({"comment": _("请填写点评意见。")})


@transaction.atomic
def review_create(
    *,
    campaign: Campaign,
    by: User,
    subject: User | None,
    rating: str,
    comment: str,
    reviewed_on: dt.date,
) -> LeaderReview:
    """A leader's (or the secretary's) comment on a member or, with `subject` None, the branch."""
    if not is_officer(by) or by.branch_id != campaign.branch_id:
        raise ValidationError(_("只有领导班子成员和支部书记可以点评。"))
    if campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，不能点评。"))
    if subject is not None:
        if subject.branch_id != campaign.branch_id or not subject.has_role(Role.MEMBER):
            raise ValidationError({"subject": _("只能点评本支部的党员。")})
        if subject.pk == by.pk:
            raise ValidationError({"subject": _("不能点评自己。")})
    _check_content(rating=rating, comment=comment, reviewed_on=reviewed_on)
    review = LeaderReview.objects.create(
        campaign=campaign,
        reviewer=by,
        subject=subject,
        rating=rating,
        comment=comment.strip(),
        reviewed_on=reviewed_on,
    )
    record(by=by, action=_("领导点评"), obj=review)
    return review


def _check_open(review: LeaderReview) -> None:
    check_not_voided(review, what=_("这条点评"))
    if review.campaign.status != Campaign.Status.ACTIVE:
        raise ValidationError(_("活动不在进行中，点评不能再修改或作废。"), code="campaign_closed")


def review_check_editable(*, review: LeaderReview, by: User) -> None:
    """Only the author changes a comment, while the campaign runs and the comment stands. Views
    call it before they show the form."""
    if review.reviewer_id != by.pk or by.branch_id != review.campaign.branch_id:
        raise ValidationError(
            _("只有点评人本人可以修改这条点评；如有错误，可请支部书记作废。"), code="forbidden"
        )
    _check_open(review)


def review_check_voidable(*, review: LeaderReview, by: User) -> None:
    """The author or the secretary voids a comment, while the campaign runs."""
    same_branch = by.branch_id == review.campaign.branch_id
    if not same_branch or not (review.reviewer_id == by.pk or by.is_secretary):
        raise ValidationError(_("只有点评人本人或支部书记可以作废这条点评。"), code="forbidden")
    _check_open(review)


def review_corrections(*, review: LeaderReview, by: User) -> frozenset[str]:
    """What `by` may do to correct the comment now: "edit", "void" (the buttons a page shows)."""
    actions = set()
    for action, check in (("edit", review_check_editable), ("void", review_check_voidable)):
        try:
            check(review=review, by=by)
        except ValidationError:
            continue
        actions.add(action)
    return frozenset(actions)


@transaction.atomic
def review_update(
    *,
    review: LeaderReview,
    rating: str,
    comment: str,
    reviewed_on: dt.date,
    by: User,
) -> LeaderReview:
    """The author corrects rating, comment or date; the audit entry keeps old → new."""
    lock(review)
    review_check_editable(review=review, by=by)
    _check_content(rating=rating, comment=comment, reviewed_on=reviewed_on)
    Rating = LeaderReview.Rating
    detail = describe_changes(
        [
            (_("评价等次"), Rating(review.rating).label, Rating(rating).label),
            (_("点评意见"), review.comment, comment.strip()),
            (_("点评日期"), review.reviewed_on, reviewed_on),
        ]
    )
    if not detail:
        return review  # nothing changed: nothing to save or record
    review.rating, review.comment, review.reviewed_on = rating, comment.strip(), reviewed_on
    review.save(update_fields=["rating", "comment", "reviewed_on", "updated_at"])
    audit.record(by=by, action=_("修改领导点评"), obj=review, detail=detail)
    return review


@transaction.atomic
def review_void(*, review: LeaderReview, reason: str, by: User) -> LeaderReview:
    """作废: the comment stays on the register with the reason and counts no more."""
    lock(review)
    review_check_voidable(review=review, by=by)
    reason = mark_voided(review, reason=reason, by=by)
    audit.record(
        by=by,
        action=_("作废领导点评"),
        obj=review,
        detail=_("作废原因：%(reason)s") % {"reason": reason},
    )
    return review
