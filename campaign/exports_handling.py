"""The feedback handlers' ledger (群众意见处理台账), .xlsx through the formula-safe writer.

A ledger goes upward and around: it names the sender of 实名 items only. 对外匿名 and 完全匿名
items read as such, whoever downloads it (the secretary sees 对外匿名 names in the app, not in a
file that leaves it)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from config.exports import Column

from .exports import filters_text
from .models import Feedback, SatisfactionRating


def _sender(item: Feedback) -> str:
    if item.identity == Feedback.Identity.REAL and item.sender is not None:
        return item.sender.full_name
    return item.get_identity_display()


def _rating(item: Feedback) -> str:
    level = getattr(item, "latest_rating", None)
    return str(SatisfactionRating.Level(level).label) if level else ""


QUEUE = [
    Column(_("提出日期"), lambda i: i.submitted_on, 12),
    Column(_("类型"), lambda i: i.get_kind_display(), 6),
    Column(_("类别"), lambda i: i.get_category_display(), 10),
    Column(_("意见内容（公示文本）"), lambda i: i.shown_text, 50),
    Column(_("提出人"), _sender, 10),
    Column(_("状态"), lambda i: i.get_status_display(), 14),
    Column(_("负责领导"), lambda i: i.handler.full_name if i.handler_id else "", 10),
    Column(_("受理日期"), lambda i: i.accepted_on, 12),
    Column(_("整改事项"), lambda i: i.rectification.title if i.rectification_id else "", 24),
    Column(_("答复"), lambda i: i.public_reply, 40),
    Column(_("不予采纳原因"), lambda i: i.declined_reason, 24),
    Column(_("办结日期"), lambda i: i.closed_on, 12),
    Column(_("满意度"), _rating, 10),
]


def scope(filterset: Any) -> str:
    return filters_text(filterset)


SATISFACTION = [
    Column(_("口径"), lambda row: row[0], 8),
    Column(_("项目"), lambda row: row[1].label, 10),
    Column(_("评价数"), lambda row: row[1].rated, 8),
    Column(_("满意和基本满意"), lambda row: row[1].satisfied if row[1].shown else "", 14),
    Column(
        _("满意率（%）"),
        lambda row: row[1].percent if row[1].shown else _("不足 5 个评价，不计算"),
        18,
    ),
]


def satisfaction_note() -> str:
    return _(
        "只统计整改完成并评价过的意见，每条意见按最近一次评价计；评价不足 5 个的不计算满意率。"
    )
