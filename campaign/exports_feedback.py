"""The columns of the 整改公示 board's 台账 (config.exports): the board's rows as it shows them,
de-identified the same way (campaign/selectors_feedback.py). Rows come from
`selectors_feedback.with_faces`: `sender_name` is filled for 实名 items only, `face` is the
rectification item's public face or None."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.dates import cn_date
from config.exports import Column

from .models import Feedback


def _sender(item: Feedback) -> str:
    # The same word for 对外匿名 and 完全匿名: the ledger does not tell them apart either.
    return item.sender_name or _("匿名")


def _face(attribute: str) -> Any:
    return lambda item: getattr(item.face, attribute) if item.face else None


def _measures(item: Feedback) -> str:
    if not item.face:
        return ""
    return "\n".join(
        _("%(content)s（%(deadline)s前，%(percent)d%%）")
        % {"content": m.content, "deadline": cn_date(m.deadline), "percent": m.percent}
        for m in item.face.measures
    )


BOARD = [
    Column(_lazy("类型"), lambda f: f.get_kind_display()),
    Column(_lazy("类别"), lambda f: f.get_category_display()),
    Column(_lazy("提出日期"), lambda f: f.submitted_on),
    Column(_lazy("提出人"), _sender),
    Column(_lazy("意见内容"), lambda f: f.shown_text, width=40),
    Column(_lazy("状态"), lambda f: f.get_status_display()),
    Column(_lazy("受理日期"), lambda f: f.accepted_on),
    Column(_lazy("公开答复"), lambda f: f.public_reply, width=40),
    Column(_lazy("办结日期"), lambda f: f.closed_on),
    Column(_lazy("整改事项"), _face("title"), width=30),
    Column(_lazy("整改状态"), _face("status_label")),
    Column(_lazy("整改时限"), _face("deadline")),
    Column(_lazy("整改进度（%）"), _face("percent")),
    Column(_lazy("整改措施"), _measures, width=40),
]


def board_notes() -> list[str]:
    return [
        _(
            "本表是整改公示的内容：只列已受理、整改中、已整改（待评价）和已办结的意见；"
            "意见内容是公示稿。对外匿名和完全匿名的意见不显示提出人。"
        )
    ]
