"""导出Excel of the reading activity's 台账 (config.exports): the column lists, and the few lines
that turn a page's rows into ledger rows.

Every ledger is built from what the page itself shows the viewer (the same selector, the same
filters, every row rather than one page) and is for whoever keeps the ledgers: the secretary and
the leaders (``reading.view_reading_summary``). The period is the activity's, from the start of
recommending to the end of the forum.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.exports import Column, ledger_response, ledger_sheet, money

from .models import Distribution, Purchase, ReadingActivity, ReadingProgress, Selection
from .rules import moderates
from .selectors import BookGroup, DistributionRow, ProgressRow

LEDGER_PERMISSION = "reading.view_reading_summary"


def require_ledger(request: HttpRequest) -> None:
    """The 导出Excel button is for the secretary and the leaders; a page others also read (the
    tally, progress, the forum) is not exported for them."""
    if not request.user.has_perm(LEDGER_PERMISSION):
        raise PermissionDenied


def period(activity: ReadingActivity) -> tuple[Any, Any]:
    return (activity.recommend_start, activity.discuss_end)


def scope(activity: ReadingActivity, *filters: Any) -> str:
    return " · ".join(str(p) for p in (activity.title, *filters) if p)


def _name(person: Any) -> str:
    return person.full_name if person is not None else ""


def _department(person: Any) -> str:
    return str(person.department) if person is not None and person.department_id else ""


def _local_date(moment: Any) -> Any:
    return timezone.localdate(moment) if moment else None


def _void_state(obj: Purchase | Distribution) -> str:
    """有效, or 已作废 with its reason: a record entered by mistake stays in the ledger."""
    if obj.is_voided:
        return _("已作废：%(reason)s") % {"reason": obj.void_reason}
    return _("有效")


# --- 推荐书目 (the tally) -------------------------------------------------------------------------

TALLY = [
    Column(_lazy("书名"), lambda g: g.first.display_title),
    Column(_lazy("作者"), lambda g: g.first.author),
    Column(_lazy("出版社"), lambda g: g.first.publisher),
    Column(_lazy("ISBN"), lambda g: g.isbn),
    Column(_lazy("推荐人数"), lambda g: g.count),
    Column(_lazy("附议人数"), lambda g: g.seconds),
    Column(_lazy("推荐人"), lambda g: "、".join(r.member.full_name for r in g.recommendations)),
    Column(_lazy("已选定"), lambda g: _("已选定") if g.selected else ""),
]

RECOMMENDATIONS = [
    Column(_lazy("推荐人"), lambda r: r.member.full_name),
    Column(_lazy("书名"), lambda r: r.display_title),
    Column(_lazy("作者"), lambda r: r.author),
    Column(_lazy("出版社"), lambda r: r.publisher),
    Column(_lazy("ISBN"), lambda r: r.isbn),
    Column(_lazy("推荐理由"), lambda r: r.reason, width=60),
    Column(_lazy("附议人"), lambda r: "、".join(e.member.full_name for e in r.endorsements.all())),
    Column(_lazy("推荐时间"), lambda r: r.created_at),
]


def tally_ledger(
    request: HttpRequest, *, activity: ReadingActivity, groups: Sequence[BookGroup]
) -> HttpResponse:
    """One row per book (recommendations of the same book merged, as on the page), and a second
    sheet with every recommendation and its reason."""
    require_ledger(request)
    details = [r for g in groups for r in g.recommendations]
    notes = [
        _("共 %(total)d 条推荐，合并为 %(n)d 种书。") % {"total": len(details), "n": len(groups)}
    ]
    if activity.is_selected and activity.decision_note:
        notes.append(_("支委会决定：%(note)s") % {"note": activity.decision_note})
    return ledger_response(
        request,
        ledger=_("推荐书目"),
        columns=TALLY,
        items=groups,
        period=period(activity),
        scope=scope(activity),
        notes=notes,
        extra_sheets=[
            ledger_sheet(
                ledger=_("推荐明细"),
                columns=RECOMMENDATIONS,
                items=details,
                branch=activity.branch,
                period=period(activity),
                scope=scope(activity),
            )
        ],
    )


# --- 采购 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotalRow:
    """The last row of the purchases ledger: copies and amount of the purchases that count."""

    label: str
    quantity: int
    total: Decimal


def _purchase(fn: Any, total: Any = None) -> Any:
    return lambda p: fn(p) if isinstance(p, Purchase) else total(p) if total else None


PURCHASES = [
    Column(_lazy("书目"), _purchase(lambda p: str(p.selection), lambda t: t.label)),
    Column(_lazy("数量（册）"), _purchase(lambda p: p.quantity, lambda t: t.quantity)),
    Column(_lazy("单价（元）"), _purchase(lambda p: money(p.unit_price))),
    Column(_lazy("金额（元）"), _purchase(lambda p: money(p.total), lambda t: money(t.total))),
    Column(_lazy("供应商"), _purchase(lambda p: p.supplier)),
    Column(_lazy("采购日期"), _purchase(lambda p: p.purchased_on)),
    Column(_lazy("登记人"), _purchase(lambda p: _name(p.recorded_by))),
    Column(_lazy("发票"), _purchase(lambda p: _("有") if p.invoice else _("无"))),
    Column(_lazy("状态"), _purchase(_void_state)),
]


def purchase_ledger(
    request: HttpRequest, *, activity: ReadingActivity, data: dict[str, Any]
) -> HttpResponse:
    """`data` is what the page shows (selectors.purchases): every purchase, 作废 ones marked; the
    total row is the page's total, of the valid purchases only."""
    require_ledger(request)
    total = TotalRow(label=_("合计"), quantity=data["copies"], total=data["total"])
    notes = [
        _("%(book)s：%(n)d 册，%(cost)s 元")
        % {"book": b["selection"], "n": b["copies"], "cost": money(b["cost"])}
        for b in data["books"]
    ]
    notes.append(
        _("预算 %(budget)s 元，余 %(left)s 元。")
        % {"budget": money(activity.budget), "left": money(data["remaining"])}
    )
    if data["over_budget"]:
        notes.append(_("已超出预算。"))
    if any(p.is_voided for p in data["rows"]):
        notes.append(_("合计不含已作废的采购。"))
    return ledger_response(
        request,
        ledger=_("采购台账"),
        columns=PURCHASES,
        items=[*data["rows"], total],
        period=period(activity),
        scope=scope(activity),
        notes=notes,
    )


# --- 发放台账 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handout:
    """One member and one book: a hand-out, or None when no valid copy was handed out."""

    member: Any
    selection: Selection
    distribution: Distribution | None


def _handout_state(h: Handout) -> str:
    d = h.distribution
    if d is None:
        return _("未发放")
    return _("已领取") if d.confirmed_at else _("待确认")


HANDOUTS = [
    Column(_lazy("姓名"), lambda h: h.member.full_name),
    Column(_lazy("部门"), lambda h: _department(h.member)),
    Column(_lazy("书目"), lambda h: str(h.selection)),
    Column(_lazy("发放日期"), lambda h: h.distribution.issued_on if h.distribution else None),
    Column(_lazy("经手人"), lambda h: _name(h.distribution.issued_by) if h.distribution else ""),
    Column(_lazy("领取情况"), _handout_state),
    Column(
        _lazy("确认领取时间"), lambda h: h.distribution.confirmed_at if h.distribution else None
    ),
    Column(_lazy("状态"), lambda h: _void_state(h.distribution) if h.distribution else ""),
]


def handouts(rows: Iterable[DistributionRow]) -> list[Handout]:
    """Per member and book: the valid hand-out or 未发放, then its 作废 hand-outs, if any."""
    items = []
    for row in rows:
        for selection, shown in row.cells:
            if shown is None:
                records = [None]
            elif shown.is_voided:  # no valid one: the latest 作废 is shown on the page
                records = [None, shown]
            else:
                records = [shown]
            records += getattr(shown, "voided_also", [])
            items += [Handout(row.member, selection, d) for d in records]
    return items


SHOW_LABELS = {
    "not_issued": _lazy("未发放"),
    "unconfirmed": _lazy("未领取或未确认"),
    "issued": _lazy("已发放"),
    "confirmed": _lazy("已确认领取"),
    "behind": _lazy("进度落后"),
    "finished": _lazy("全部读完"),
    "not_finished": _lazy("尚未读完"),
}


def distribution_ledger(
    request: HttpRequest,
    *,
    activity: ReadingActivity,
    rows: Iterable[DistributionRow],
    show: str = "",
) -> HttpResponse:
    """One row per member and book, for every member the page's filter keeps, and one per 作废
    hand-out after it."""
    require_ledger(request)
    return ledger_response(
        request,
        ledger=_("发放台账"),
        columns=HANDOUTS,
        items=handouts(rows),
        period=period(activity),
        scope=scope(activity, SHOW_LABELS.get(show)),
    )


# --- 阅读进度 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressLine:
    member: Any
    selection: Selection
    progress: ReadingProgress | None
    behind: bool


def _progress_status(line: ProgressLine, *, everything: bool) -> str:
    if line.progress is not None:
        return line.progress.get_status_display()
    return _("未登记") if everything else "—"


PROGRESS = [
    Column(_lazy("姓名"), lambda p: p.member.full_name),
    Column(_lazy("部门"), lambda p: _department(p.member)),
    Column(_lazy("书目"), lambda p: str(p.selection)),
    Column(_lazy("状态"), lambda p: _progress_status(p, everything=False)),
    Column(_lazy("已读百分比"), lambda p: p.progress.percent if p.progress else None),
    Column(_lazy("更新时间"), lambda p: p.progress.updated_at if p.progress else None),
]

# The secretary's board also says what is not registered, what is kept private and who is behind.
PROGRESS_ALL = [
    *PROGRESS[:3],
    Column(_lazy("状态"), lambda p: _progress_status(p, everything=True)),
    *PROGRESS[4:],
    Column(
        _lazy("公开"),
        lambda p: (
            (_("公开") if p.progress.visible_to_members else _("未公开")) if p.progress else ""
        ),
    ),
    Column(_lazy("进度落后"), lambda p: _("落后") if p.behind else ""),
]


def progress_ledger(
    request: HttpRequest,
    *,
    activity: ReadingActivity,
    rows: Iterable[ProgressRow],
    everything: bool,
    show: str = "",
    pace: int = 0,
) -> HttpResponse:
    """Progress as the page shows it to the viewer (ReadingProgress.visible_to)."""
    require_ledger(request)
    items = [ProgressLine(r.member, s, p, behind) for r in rows for s, p, behind in r.cells]
    notes = [_("不统计阅读时长，不排名。")]
    if everything:
        notes.insert(0, _("按阅读阶段的天数，现在应读到约 %(pace)d%%。") % {"pace": pace})
    else:
        notes.insert(0, _("只含本人愿意公开的进度。"))
    return ledger_response(
        request,
        ledger=_("阅读进度"),
        columns=PROGRESS_ALL if everything else PROGRESS,
        items=items,
        period=period(activity),
        scope=scope(activity, SHOW_LABELS.get(show)),
        notes=notes,
    )


# --- 读后感 ---------------------------------------------------------------------------------------

REFLECTIONS = [
    Column(_lazy("标题"), lambda r: r.title),
    Column(_lazy("作者"), lambda r: r.author.full_name),
    Column(_lazy("部门"), lambda r: _department(r.author)),
    Column(_lazy("书目"), lambda r: str(r.selection)),
    Column(_lazy("发表日期"), lambda r: _local_date(r.created_at)),
    Column(_lazy("评论数"), lambda r: r.comment_count),
    Column(_lazy("点赞数"), lambda r: r.like_count),
    Column(_lazy("精华"), lambda r: _("精华") if r.is_featured else ""),
]

REFLECTIONS_MODERATED = [
    *REFLECTIONS,
    Column(
        _lazy("状态"),
        lambda r: _("已隐藏：%(reason)s") % {"reason": r.hidden_reason} if r.hidden else _("显示"),
    ),
]


def forum_filters(search: Any) -> list[str]:
    """The forum's search as words for the title row: 搜索“…” · 《book》 · 只看精华."""
    if not search.is_valid():
        return []
    data = search.cleaned_data
    words = []
    if (data.get("q") or "").strip():
        words.append(_("搜索“%(q)s”") % {"q": data["q"].strip()})
    if data.get("book"):
        words.append(str(dict(search.fields["book"].choices).get(data["book"], "")))
    if data.get("featured"):
        words.append(_("只看精华"))
    return words


def reflection_ledger(
    request: HttpRequest, *, activity: ReadingActivity, posts: Any, filters: Sequence[Any] = ()
) -> HttpResponse:
    """The forum's posts as the viewer sees them; hidden ones only in the secretary's file (with
    the reason), not in a file the author or a leader takes away."""
    require_ledger(request)
    moderator = moderates(request.user)
    if not moderator:
        posts = posts.filter(hidden=False)
    return ledger_response(
        request,
        ledger=_("读后感"),
        columns=REFLECTIONS_MODERATED if moderator else REFLECTIONS,
        items=posts,
        period=period(activity),
        scope=scope(activity, *filters),
    )


# --- 活动统计 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | Decimal
    unit: str = ""


STATS = [
    Column(_lazy("项目"), lambda f: f.label),
    Column(_lazy("数值"), lambda f: f.value),
    Column(_lazy("单位"), lambda f: f.unit),
]


def stats_figures(n: dict[str, Any]) -> list[Figure]:
    """The figures of the 活动统计 page (selectors.activity_stats), one per row."""
    figures = [
        Figure(_("参加党员"), n["people"], _("人")),
        Figure(_("推荐书目"), n["recommended"], _("人")),
        Figure(_("未推荐"), n["people"] - n["recommended"], _("人")),
        Figure(_("附议"), n["seconds"], _("次")),
        Figure(_("选定书目"), n["books"], _("本")),
        Figure(_("购书"), n["copies"], _("册")),
        Figure(_("购书金额"), money(n["cost"]), _("元")),
        Figure(_("预算"), money(n["budget"]), _("元")),
        Figure(_("预算余额"), money(n["budget"] - n["cost"]), _("元")),
        Figure(_("应发放"), n["expected_handouts"], _("册")),
        Figure(_("已发放"), n["issued"], _("册")),
        Figure(_("已确认领取"), n["confirmed"], _("册")),
        Figure(_("未领或未确认"), n["expected_handouts"] - n["confirmed"], _("册")),
        Figure(_("全部读完"), n["finished_people"], _("人")),
        Figure(_("读完书目"), n["finished_pairs"], _("人次")),
        Figure(_("读后感"), n["posts"], _("篇")),
        Figure(_("发表读后感"), n["authors"], _("人")),
    ]
    if n["hidden_posts"]:
        figures.append(Figure(_("其中已隐藏的读后感"), n["hidden_posts"], _("篇")))
    figures.append(Figure(_("评论"), n["comments"], _("条")))
    if n["hidden_comments"]:
        figures.append(Figure(_("其中已隐藏的评论"), n["hidden_comments"], _("条")))
    figures.append(Figure(_("精华"), n["featured"], _("篇")))
    return figures


def stats_ledger(
    request: HttpRequest, *, activity: ReadingActivity, n: dict[str, Any]
) -> HttpResponse:
    require_ledger(request)
    return ledger_response(
        request,
        ledger=_("活动统计"),
        columns=STATS,
        items=stats_figures(n),
        period=period(activity),
        scope=scope(activity),
        notes=[_("每个数字按导出人在对应名单上能看到的内容统计。")],
    )
