"""The columns of the campaign's 台账 exported to Excel (config.exports), one list per page.

Each list page answers ``?format=xlsx`` with the rows its filters keep (every row, not one page).
The columns read only what the page's queryset joins; where a ledger needs one thing more (the
践诺 count of the review queue, the branch of an honour) the ``*_rows`` function next to the
columns adds it to the page's own queryset, so the filters and the visibility stay the page's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.exports import Column, ledger_sheet, money
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


# --- 战斗堡垒 (issue 12) ---
# 党员先锋岗台账: the posts list's rows (selectors_fortress.post_list: holders prefetched, the
# latest stars and the 增收节支 sums annotated by the database).


def _post_holders(post: Any) -> str:
    return "、".join(h.member.full_name for h in post.current_holders)


def _post_last_review(post: Any) -> str:
    if post.last_stars is None:
        return ""
    return _("%(year)d年第%(quarter)d季度") % {
        "year": post.last_review_year,
        "quarter": post.last_review_quarter,
    }


POSTS = [
    Column(_lazy("岗位名称"), lambda p: p.name),
    Column(_lazy("部门"), lambda p: str(p.department)),
    Column(_lazy("在岗党员"), _post_holders, width=24),
    Column(_lazy("挂牌状态"), lambda p: p.get_plaque_display()),
    Column(_lazy("挂牌/摘牌日期"), lambda p: p.plaque_on),
    Column(_lazy("摘牌原因"), lambda p: p.removal_reason, width=30),
    Column(_lazy("最近评星（星）"), lambda p: p.last_stars),
    Column(_lazy("评星季度"), _post_last_review),
    Column(_lazy("增收（元）"), lambda p: p.income_total),
    Column(_lazy("节支（元）"), lambda p: p.saving_total),
    Column(_lazy("增收节支合计（元）"), lambda p: p.total),
    Column(_lazy("岗位职责"), lambda p: p.duties, width=40),
    Column(_lazy("服务承诺"), lambda p: p.promise, width=40),
]


def post_notes(campaign: Any) -> list[str]:
    if campaign is None:
        return [_("增收节支为各岗位历年有效记录的合计（已作废的记录不计入）。")]
    return [
        _("增收节支为“%(name)s”期间的有效记录合计（已作废的记录不计入）。")
        % {"name": campaign.name}
    ]


# 先锋事迹: the list's deeds as the viewer may read them (the secretary and leaders: all).

DEEDS = [
    Column(_lazy("日期"), lambda d: d.happened_on),
    Column(_lazy("标题"), lambda d: d.title, width=30),
    Column(_lazy("党员"), lambda d: d.member.full_name),
    Column(_lazy("部门"), lambda d: _department(d.member)),
    Column(_lazy("先锋岗"), lambda d: d.post.name if d.post_id else ""),
    Column(_lazy("标签"), lambda d: "、".join(d.tag_labels)),
    Column(_lazy("事迹经过"), lambda d: d.body, width=60),
    Column(_lazy("状态"), lambda d: d.get_status_display()),
    Column(_lazy("宣传"), lambda d: d.publicized),
    Column(_lazy("照片（张）"), lambda d: len(d.photos.all())),
    Column(_lazy("记录人"), lambda d: d.recorded_by.full_name if d.recorded_by_id else ""),
    Column(_lazy("退回原因"), lambda d: d.return_reason, width=30),
]


# 增收节支: the records one by one. A voided record (作废) stays on the ledger, marked, and without
# an amount: a sum of the amount column counts only the records that count; the last row is the
# total of the valid ones, summed by the database (selectors_fortress.saving_totals).


@dataclass(frozen=True)
class SavingTotalRow:
    """The last row of a 增收节支 sheet."""

    label: str
    income: Decimal
    saving: Decimal
    total: Decimal
    n: int


def _record(fn: Any, total: Any = None) -> Any:
    """A column's cell: `fn` of a record, `total` of the total row (empty without one)."""
    return lambda r: (total(r) if total else None) if isinstance(r, SavingTotalRow) else fn(r)


def _record_amount(r: Any) -> Decimal | None:
    return None if r.is_voided else money(r.amount)


def _record_state(r: Any) -> str:
    if not r.is_voided:
        return _("有效")
    return _("已作废：%(reason)s（原金额 %(amount)s 元）") % {
        "reason": r.void_reason,
        "amount": money(r.amount),
    }


SAVINGS = [
    Column(_lazy("日期"), _record(lambda r: r.happened_on, lambda t: t.label)),
    Column(_lazy("类别"), _record(lambda r: r.get_kind_display())),
    Column(_lazy("项目"), _record(lambda r: r.item), width=30),
    Column(_lazy("先锋岗"), _record(lambda r: r.post.name if r.post_id else "")),
    Column(_lazy("部门"), _record(lambda r: str(r.department) if r.department_id else "")),
    Column(_lazy("金额（元）"), _record(_record_amount, lambda t: money(t.total))),
    Column(_lazy("测算依据"), _record(lambda r: r.basis), width=50),
    Column(_lazy("核实人"), _record(lambda r: r.verified_by.full_name)),
    Column(_lazy("记录人"), _record(lambda r: r.recorded_by.full_name if r.recorded_by else "")),
    Column(_lazy("状态"), _record(_record_state, lambda t: _("%(n)d 条有效记录") % {"n": t.n})),
]


def saving_total_row(totals: dict[str, Any]) -> SavingTotalRow:
    """`totals` is selectors_fortress.saving_totals(...) of the same records."""
    return SavingTotalRow(
        label=_("合计"),
        income=totals["income"],
        saving=totals["saving"],
        total=totals["total"],
        n=totals["n"],
    )


def saving_notes(totals: dict[str, Any]) -> list[str]:
    return [
        _("有效记录 %(n)d 条：增收 %(income)s 元，节支 %(saving)s 元，合计 %(total)s 元。")
        % {
            "n": totals["n"],
            "income": money(totals["income"]),
            "saving": money(totals["saving"]),
            "total": money(totals["total"]),
        },
        _("已作废的记录仍列出（金额栏留空），不计入合计。"),
    ]


# 增收节支汇总: one workbook, a sheet per grouping of the summary page (先锋岗, 部门, 季度), each
# row summed by the database (selectors_fortress.saving_summary).


def _group_columns(name: str, label: Any) -> list[Column]:
    return [
        Column(name, lambda g: g.label if isinstance(g, SavingTotalRow) else label(g)),
        Column(_lazy("增收（元）"), lambda g: money(_of(g, "income"))),
        Column(_lazy("节支（元）"), lambda g: money(_of(g, "saving"))),
        Column(_lazy("合计（元）"), lambda g: money(_of(g, "total"))),
        Column(_lazy("记录（条）"), lambda g: _of(g, "n")),
    ]


def _of(group: Any, key: str) -> Any:
    return getattr(group, key) if isinstance(group, SavingTotalRow) else group[key]


def quarter_label(year: int, quarter: int) -> str:
    return _("%(y)d年第%(q)d季度") % {"y": year, "q": quarter}


SAVING_OVERVIEW = [
    Column(_lazy("类别"), lambda row: row[0]),
    Column(_lazy("金额（元）"), lambda row: money(row[1])),
]


def saving_overview_rows(totals: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        (_("增收"), totals["income"]),
        (_("节支"), totals["saving"]),
        (_("合计"), totals["total"]),
    ]


def saving_summary_sheets(*, branch: Any, campaign: Any, summary: dict[str, Any]) -> list[Sheet]:
    """The sheets after the overview: by post, by department, by quarter. Every valid record has
    a department and a date, so those two sheets end with the campaign's total; a record need not
    have a post, so the post sheet says so instead."""
    total = saving_total_row(summary["totals"])
    period = (campaign.starts_on, campaign.ends_on)
    return [
        ledger_sheet(
            ledger=_("按先锋岗"),
            columns=_group_columns(_lazy("先锋岗"), lambda g: g["post__name"]),
            items=summary["by_post"],
            branch=branch,
            period=period,
            scope=campaign.name,
            notes=[_("只含登记到先锋岗的记录；全部记录的合计见“按部门”或“按季度”。")],
        ),
        ledger_sheet(
            ledger=_("按部门"),
            columns=_group_columns(_lazy("部门"), lambda g: g["department__name"]),
            items=[*summary["by_department"], total],
            branch=branch,
            period=period,
            scope=campaign.name,
        ),
        ledger_sheet(
            ledger=_("按季度"),
            columns=_group_columns(_lazy("季度"), lambda g: quarter_label(g["year"], g["quarter"])),
            items=[*summary["by_quarter"], total],
            branch=branch,
            period=period,
            scope=campaign.name,
        ),
    ]


# 查找问题 and 整改事项: the lists of the secretary and leaders. A rectification row carries the
# `origins` its view attached (views/rectification.attach_origins: problems now, feedback later).

PROBLEMS = [
    Column(_lazy("查找日期"), lambda p: p.found_on),
    Column(_lazy("问题来源"), lambda p: p.get_source_display()),
    Column(_lazy("问题方面"), lambda p: p.get_area_display()),
    Column(_lazy("问题概述"), lambda p: p.title, width=30),
    Column(_lazy("问题描述"), lambda p: p.description, width=50),
    Column(_lazy("整改事项"), lambda p: p.rectification.title if p.rectification_id else ""),
    Column(
        _lazy("整改状态"),
        lambda p: p.rectification.get_status_display() if p.rectification_id else _("未列入整改"),
    ),
    Column(
        _lazy("责任领导"),
        lambda p: p.rectification.responsible.full_name if p.rectification_id else "",
    ),
    Column(_lazy("记录人"), lambda p: p.recorded_by.full_name if p.recorded_by_id else ""),
]


def _origins_text(item: Any) -> str:
    return "；".join(f"{o.kind}：{o.title}" for o in item.origins)


RECTIFICATIONS = [
    Column(_lazy("整改事项"), lambda r: r.title, width=30),
    Column(_lazy("来源"), _origins_text, width=40),
    Column(_lazy("整改事项说明"), lambda r: r.public_description, width=40),
    Column(_lazy("内部备注"), lambda r: r.internal_note, width=30),
    Column(_lazy("责任领导"), lambda r: r.responsible.full_name),
    Column(_lazy("立项日期"), lambda r: r.opened_on),
    Column(_lazy("整改时限"), lambda r: r.deadline),
    Column(_lazy("状态"), lambda r: r.get_status_display()),
    Column(_lazy("逾期"), lambda r: bool(r.overdue)),
    Column(_lazy("整改措施（项）"), lambda r: r.n_measures),
    Column(_lazy("平均进度（%）"), lambda r: round(r.avg_percent)),
    Column(_lazy("整改完成日期"), lambda r: r.fixed_on),
    Column(_lazy("验收日期"), lambda r: r.accepted_on),
    Column(_lazy("不予整改原因"), lambda r: r.decline_reason, width=30),
]


def rectification_notes() -> list[str]:
    return [
        _(
            "已整改、已验收的事项计为已整改；不予整改的事项已关闭，但不计为已整改。"
            "逾期：超过整改时限仍在待整改或整改中。"
        )
    ]


# 班子决策 and 廉洁自律 ledgers: the lists' rows (selectors_fortress.decision_list and
# integrity_list: people prefetched, in name order).


def _team_names(people: Iterable[Any]) -> str:
    return "、".join(p.full_name for p in people)


def _team_votes(decision: Any, value: int | None) -> int | None:
    return value if decision.method in decision.VOTING_METHODS else None


DECISIONS = [
    Column(_lazy("会议日期"), lambda d: d.decided_on),
    Column(_lazy("会议名称"), lambda d: d.meeting),
    Column(_lazy("议题"), lambda d: d.topic, width=30),
    Column(_lazy("参会人员"), lambda d: _team_names(d.attendees.all()), width=30),
    Column(_lazy("参会人数"), lambda d: d.n_attendees),
    Column(_lazy("提议"), lambda d: d.proposal, width=40),
    Column(_lazy("讨论情况"), lambda d: d.discussion, width=40),
    Column(_lazy("决定事项"), lambda d: d.resolution, width=40),
    Column(_lazy("决策方式"), lambda d: d.get_method_display()),
    Column(_lazy("赞成票"), lambda d: _team_votes(d, d.votes_for)),
    Column(_lazy("反对票"), lambda d: _team_votes(d, d.votes_against)),
    Column(_lazy("弃权票"), lambda d: _team_votes(d, d.abstentions)),
    Column(_lazy("记录人"), lambda d: d.recorded_by.full_name if d.recorded_by_id else ""),
]

INTEGRITY = [
    Column(_lazy("日期"), lambda e: e.held_on),
    Column(_lazy("类别"), lambda e: e.get_kind_display()),
    Column(_lazy("主题"), lambda e: e.title, width=30),
    Column(_lazy("参加人员"), lambda e: _team_names(e.participants.all()), width=30),
    Column(_lazy("参加人数"), lambda e: len(e.participants.all())),
    Column(_lazy("情况说明"), lambda e: e.note, width=50),
    Column(_lazy("记录人"), lambda e: e.recorded_by.full_name if e.recorded_by_id else ""),
]


def leadership_notes() -> list[str]:
    return [
        _(
            "坚持民主集中制：重大事项由领导班子集体研究决定；"
            "表决的决策列出赞成、反对和弃权票数，会议协商一致的不计票数。"
        )
    ]
