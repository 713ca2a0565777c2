"""Checks the reading services share: the phase table with its refusals, taking part, and the
branch. Predicates that models, selectors and templates need live in reading/rules.py."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from members import rules as member_rules
from members.models import User

from ..models import ReadingActivity
from ..rules import is_participant

Phase = ReadingActivity.Phase
MAX_ENDORSEMENTS = 3
MIN_REASON_LENGTH = 20

# action -> phases in which it is allowed. Everything else is refused by require_phase.
PHASE_RULES: dict[str, set[str]] = {
    "recommend": {Phase.RECOMMEND},
    "endorse": {Phase.RECOMMEND},
    "select": {Phase.RECOMMEND, Phase.READ},
    "progress": {Phase.READ, Phase.DISCUSS},
    "post": {Phase.DISCUSS},
}

_REFUSALS: dict[str, dict[str, str]] = {
    "recommend": {
        Phase.UPCOMING: gettext_noop("推荐阶段尚未开始，请于 %(start)s 以后再推荐。"),
        "*": gettext_noop("推荐阶段已结束（支委会已选定书目或已过截止日期），不能再推荐或修改。"),
    },
    "endorse": {
        Phase.UPCOMING: gettext_noop("推荐阶段尚未开始，暂不能附议。"),
        "*": gettext_noop("推荐阶段已结束，不能再附议或撤回附议。"),
    },
    "select": {
        Phase.UPCOMING: gettext_noop("推荐阶段尚未开始，还不能选定书目。"),
        "*": gettext_noop("交流阶段已开始或活动已结束，不能再选定书目。"),
    },
    "progress": {
        "*": gettext_noop("现在不是阅读或交流阶段，不能登记阅读进度。"),
    },
    "post": {
        Phase.FINISHED: gettext_noop("本次读书活动的交流阶段已结束，不能再发表读后感。"),
        "*": gettext_noop("交流阶段尚未开始（%(discuss)s 开始），届时再发表读后感。"),
    },
}


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def require_phase(*, activity: ReadingActivity, action: str) -> None:
    phase = activity.phase_on(timezone.localdate())
    closed_by_selection = action in ("recommend", "endorse") and activity.is_selected
    if phase in PHASE_RULES[action] and not closed_by_selection:
        return
    refusals = _REFUSALS[action]
    message = refusals.get(phase, refusals["*"])
    raise ValidationError(
        _(message)
        % {
            "start": _cn_date(activity.recommend_start),
            "discuss": _cn_date(activity.discuss_start),
        },
        code="phase",
    )


def require_participant(*, activity: ReadingActivity, user: User) -> None:
    if not is_participant(activity, user):
        raise ValidationError(
            _("只有本支部党员参加推荐、领书、阅读和发表读后感。"), code="not_participant"
        )


def require_activity_branch(*, activity: ReadingActivity, by: User) -> None:
    """members.rules.require_same_branch, in the reading activity's words."""
    member_rules.require_same_branch(
        user=by, branch=activity.branch, message=_("不能操作其他支部的读书活动。")
    )
