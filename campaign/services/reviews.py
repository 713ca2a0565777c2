"""领导点评: leaders and the secretary comment on members' (or the branch's) fulfilment."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import check_date_range
from members.models import Role, User

from ..models import Campaign, LeaderReview
from ._common import is_officer, record


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
    if rating not in LeaderReview.Rating.values:
        raise ValidationError({"rating": _("请选择评价等次。")})
    check_date_range(field="reviewed_on", value=reviewed_on)
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("点评日期不能晚于今天。")})
    if not comment.strip():
        raise ValidationError({"comment": _("请填写点评意见。")})
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
