"""The columns of the campaign's 台账 exported to Excel (config.exports), one list per page.

Each list page answers ``?format=xlsx`` with the rows its filters keep (every row, not one page).
The columns read only what the page's queryset joins; where a ledger needs one thing more (the
践诺 count of the review queue, the branch of an honour) the ``*_rows`` function next to the
columns adds it to the page's own queryset, so the filters and the visibility stay the page's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.exports import Column, ledger_sheet
from config.spreadsheets import Sheet
from members.models import Branch, User

from .models import BallotMark, EvaluationRound, EvaluationSubject, LeaderReview
from .models.voiding import valid_only

# --- Who exports what everyone may read ---------------------------------------------------------


def may_export_public_ledger(user: User) -> bool:
    """The pledge wall and the honours list are read by everyone of the branch, but they are
    taken away as 台账 by those who run the campaign: the secretary and the leaders."""
    return user.is_secretary or user.is_leader


def filters_text(filterset: Any) -> str:
    """What the page's filters keep, for the title row: "状态：待审核，部门：配送部"."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = filterset.form.fields[name]
        if hasattr(value, "pk"):
            shown = str(value)
        elif isinstance(field, forms.ChoiceField):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value).strip()
        if shown:
            parts.append(f"{field.label}：{shown}")
    return "，".join(parts)


def campaign_scope(campaign: Any, filterset: Any = None) -> str:
    """The title row's scope: the campaign's name, and the filters if any."""
    shown = filters_text(filterset) if filterset is not None else ""
    return f"{campaign.name}（{shown}）" if shown else campaign.name


def _department(person: User | None) -> str:
    return str(person.department) if person is not None and person.department_id else ""


def _local_date(moment: Any) -> Any:
    return timezone.localdate(moment) if moment else None


# --- 公开承诺: the pledge wall and the review queue --------------------------------------------

PLEDGES = [
    Column(_lazy("承诺主体"), lambda p: p.get_scope_display()),
    Column(_lazy("承诺人"), lambda p: p.owner_label),
    Column(_lazy("部门"), lambda p: _department(p.owner)),
    Column(_lazy("领导班子成员"), lambda p: p.is_by_leader),
    Column(_lazy("标准条目"), lambda p: p.standard.name),
    Column(_lazy("争创目标"), lambda p: p.goal, width=30),
    Column(_lazy("争创事项"), lambda p: p.tasks, width=40),
    Column(_lazy("争创措施"), lambda p: p.measures, width=40),
    Column(_lazy("完成时限"), lambda p: p.deadline),
    Column(_lazy("状态"), lambda p: p.get_status_display()),
    Column(_lazy("提交日期"), lambda p: p.submitted_on),
    Column(_lazy("亮诺日期"), lambda p: p.published_on),
    Column(_lazy("践诺次数"), lambda p: p.progress_count),
    Column(_lazy("兑现情况"), lambda p: p.get_verdict_display()),
    Column(_lazy("评定日期"), lambda p: p.judged_on),
]

# The secretary's queue also holds returned pledges: why they went back.
PLEDGE_QUEUE = [*PLEDGES, Column(_lazy("退回原因"), lambda p: p.return_reason, width=30)]


def pledge_queue_rows(pledges: QuerySet) -> QuerySet:
    """The queue's pledges with their 践诺 count, voided entries left out, as on the wall."""
    return pledges.annotate(
        progress_count=Count("progress", filter=valid_only("progress"), distinct=True)
    )


# --- 未承诺名单 ----------------------------------------------------------------------------------


def pledge_missing(expected: int) -> list[Column]:
    return [
        Column(_lazy("姓名"), lambda p: p.full_name),
        Column(_lazy("部门"), _department),
        Column(_lazy("已提交"), lambda p: p.n_pledged),
        Column(_lazy("应提交"), lambda p: expected),
        Column(_lazy("草稿/退回"), lambda p: p.n_drafts),
    ]


def pledge_missing_notes(expected: int) -> list[str]:
    return [
        _(
            "每名党员应对照“四优”的 %(n)d 个条目各作一条承诺并提交；"
            "本表列出还没有全部提交的党员（草稿不算）。"
        )
        % {"n": expected}
    ]


# --- 领导点评: the 点评登记表 and its coverage ---------------------------------------------------

# A voided comment (作废) stays on the register as on the page, marked, and without a score: a sum
# of the column counts only the comments that count.
REVIEWS = [
    Column(_lazy("点评日期"), lambda r: r.reviewed_on),
    Column(_lazy("点评对象"), lambda r: r.subject_label),
    Column(_lazy("部门"), lambda r: _department(r.subject)),
    Column(_lazy("点评人"), lambda r: str(r.reviewer)),
    Column(_lazy("评价等次"), lambda r: r.get_rating_display()),
    Column(_lazy("得分"), lambda r: None if r.is_voided else r.score),
    Column(_lazy("点评意见"), lambda r: r.comment, width=60),
    Column(
        _lazy("作废"), lambda r: _("已作废：%(r)s") % {"r": r.void_reason} if r.is_voided else ""
    ),
]


def review_notes() -> list[str]:
    return [_("评价等次：%(scale)s。") % {"scale": LeaderReview.score_scale()}]


REVIEW_COVERAGE = [
    Column(_lazy("姓名"), lambda p: p.full_name),
    Column(_lazy("部门"), _department),
    Column(_lazy("点评次数"), lambda p: p.n_reviews),
    Column(_lazy("情况"), lambda p: _("已点评") if p.n_reviews else _("未点评")),
]


def review_coverage_notes(*, total: int, missing: int) -> list[str]:
    if not missing:
        return [_("全体 %(total)d 名党员都已得到点评。") % {"total": total}]
    return [
        _("%(total)d 名党员中还有 %(n)d 名没有被点评。") % {"total": total, "n": missing},
    ]


# --- 群众评议结果: only what the results page shows ----------------------------------------------
# The page shows per subject the number of ballots and, from EvaluationRound.MIN_BALLOTS ballots
# on, the satisfaction and the count of each level per item. Nothing here reads a ballot or the
# turnout's evaluators: the file holds the same aggregates as the page and no person who voted.


def _result(subject: EvaluationSubject) -> str:
    if not subject.result_is_public:
        return _("不足 %(m)d 票，不公布") % {"m": EvaluationRound.MIN_BALLOTS}
    if subject.needs_rectification:
        return _("列入整改")
    return _("达到警戒线")


ROUND_RESULTS = [
    Column(_lazy("评议对象"), lambda s: s.label),
    Column(_lazy("部门"), lambda s: _department(s.person)),
    Column(_lazy("票数"), lambda s: s.ballot_count),
    Column(_lazy("满意率（%）"), lambda s: s.satisfaction if s.result_is_public else None),
    Column(_lazy("结果"), _result),
]


def round_notes(round_: EvaluationRound, *, evaluators: int) -> list[str]:
    return [
        _(
            "满意率 =（满意 + 比较满意）÷ 全部评价。参评 %(e)d 人。不足 %(m)d 票的对象不公布结果；"
            "低于 %(t)d%% 的对象列入整改。"
        )
        % {"e": evaluators, "m": EvaluationRound.MIN_BALLOTS, "t": round_.threshold},
        _("评议不记名：本表只有汇总结果，没有选票，也没有参评人的姓名。"),
    ]


def _breakdown_rows(subjects: Iterable[EvaluationSubject]) -> Iterator[tuple[Any, Any, list]]:
    for subject in subjects:
        if not subject.result_is_public:
            continue
        for item, counts in subject.breakdown:
            yield subject, item, counts


def _level_column(index: int, label: str) -> Column:
    return Column(label, lambda row: row[2][index])


def round_breakdown_sheet(
    *, branch: Branch | None, round_: EvaluationRound, subjects: list[EvaluationSubject]
) -> Sheet:
    """The second sheet: per subject and item, how many chose each level (public results only)."""
    columns = [
        Column(_lazy("评议对象"), lambda row: row[0].label),
        Column(_lazy("评议内容"), lambda row: row[1].name),
        *(_level_column(i, str(label)) for i, label in enumerate(BallotMark.Level.labels)),
    ]
    return ledger_sheet(
        ledger=_("各项评价"),
        columns=columns,
        items=_breakdown_rows(subjects),
        branch=branch,
        period=(round_.starts_on, round_.ends_on),
        scope=round_.name,
    )


# --- 评选表彰: nominations and honours -----------------------------------------------------------

NOMINATIONS = [
    Column(_lazy("表彰类别"), lambda n: n.get_kind_display()),
    Column(_lazy("被提名对象"), lambda n: n.nominee.full_name if n.nominee_id else _("党支部")),
    Column(_lazy("部门"), lambda n: _department(n.nominee)),
    Column(_lazy("推荐理由"), lambda n: n.reason, width=50),
    Column(_lazy("提名人"), lambda n: str(n.nominated_by) if n.nominated_by_id else ""),
    Column(_lazy("提名日期"), lambda n: _local_date(n.created_at)),
    Column(_lazy("支委会推荐日期"), lambda n: n.recommended_on),
    Column(_lazy("上报日期"), lambda n: n.reported_on),
    Column(_lazy("依据（项）"), lambda n: n.n_evidence),
    Column(_lazy("状态"), lambda n: n.get_status_display()),
]

HONOURS = [
    Column(_lazy("荣誉称号"), lambda h: h.title),
    Column(_lazy("获表彰对象"), lambda h: h.recipient_label),
    Column(_lazy("部门"), lambda h: _department(h.person)),
    Column(_lazy("岗位"), lambda h: h.person.position if h.person_id else ""),
    Column(_lazy("表彰单位"), lambda h: h.awarding_body),
    Column(_lazy("表彰日期"), lambda h: h.awarded_on),
    Column(_lazy("所属活动"), lambda h: h.campaign.name if h.campaign_id else ""),
]


def honour_rows(honours: QuerySet) -> QuerySet:
    """The list's honours with their branch, which names a branch's own honour."""
    return honours.select_related("branch")
