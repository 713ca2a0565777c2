"""导出Excel for every 台账: one way to turn a list page into a workbook.

A list view exports exactly what its filters show by answering the same URL with ``?format=xlsx``:

    if wants_export(request):
        return ledger_response(
            request,
            ledger=_("人员名单"),
            columns=PEOPLE_COLUMNS,
            items=filterset.qs,          # every row the filters keep, not just the current page
            period=(campaign.starts_on, campaign.ends_on),
        )

Columns are declared once per ledger (``Column(_("姓名"), lambda p: p.get_full_name())``) in the
app's ``exports.py``; the cell types (text stays text, dates as 2011年5月16日, amounts with two
decimals) come from config.spreadsheets. The page shows the button with
``{% load exports %}{% export_button %}``, which links to the current URL with the filters kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import cn_date
from config.spreadsheets import Sheet, workbook_response

FORMAT_PARAM = "format"
FORMAT_XLSX = "xlsx"
CENTS = Decimal("0.01")

# Sent after a ledger file is built, with `request`, `ledger` (its Chinese name), `scope` and
# `rows`. members records it in 操作记录: exports carry people's data out of the app.
ledger_exported = Signal()


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get(FORMAT_PARAM) == FORMAT_XLSX


def money(value: Decimal | int | float | None) -> Decimal | None:
    """An amount as a number with exactly two decimals (a cell shows 1,280.00)."""
    if value is None:
        return None
    return Decimal(value).quantize(CENTS)


@dataclass(frozen=True)
class Column:
    """One column of a ledger: its Chinese header, how to read the cell off a row's object, and
    optionally a width in characters (else sized from the content)."""

    header: str
    value: Callable[[Any], Any]
    width: float | None = None


def period_text(period: tuple[dt.date | None, dt.date | None] | str | None) -> str:
    if not period:
        return ""
    if isinstance(period, str):
        return period
    start, end = period
    if start and end:
        return f"{cn_date(start)}—{cn_date(end)}"
    if start:
        return _("%(date)s起") % {"date": cn_date(start)}
    if end:
        return _("截至%(date)s") % {"date": cn_date(end)}
    return ""


def title_row(*, branch: Any, ledger: str, period: Any = None, scope: str = "") -> str:
    """ "光明药业第一党支部 · 人员名单 · 2011年5月16日—2011年12月31日 · 导出于2026年11月28日" """
    parts = [str(branch) if branch else "", ledger, scope, period_text(period)]
    parts.append(_("导出于%(date)s") % {"date": cn_date(timezone.localdate())})
    return " · ".join(p for p in parts if p)


def ledger_sheet(
    *,
    ledger: str,
    columns: Sequence[Column],
    items: Iterable[Any],
    branch: Any = None,
    period: Any = None,
    scope: str = "",
    notes: Sequence[str] = (),
) -> Sheet:
    return Sheet(
        title=ledger,
        title_row=title_row(branch=branch, ledger=ledger, period=period, scope=scope),
        headers=[c.header for c in columns],
        rows=([c.value(item) for c in columns] for item in items),
        widths=[c.width for c in columns],
        notes=notes,
    )


def filename_for(ledger: str) -> str:
    return f"{ledger}-{timezone.localdate():%Y%m%d}.xlsx"


def ledger_response(
    request: HttpRequest,
    *,
    ledger: str,
    columns: Sequence[Column],
    items: Iterable[Any],
    period: Any = None,
    scope: str = "",
    notes: Sequence[str] = (),
    extra_sheets: Sequence[Sheet] = (),
) -> HttpResponse:
    """The download of one ledger for the signed-in person's branch, recorded in 操作记录."""
    rows = [[c.value(item) for c in columns] for item in items]
    sheet = Sheet(
        title=ledger,
        title_row=title_row(
            branch=getattr(request.user, "branch", None), ledger=ledger, period=period, scope=scope
        ),
        headers=[c.header for c in columns],
        rows=rows,
        widths=[c.width for c in columns],
        notes=notes,
    )
    response = workbook_response(filename_for(ledger), sheet, *extra_sheets)
    ledger_exported.send(sender=None, request=request, ledger=ledger, scope=scope, rows=len(rows))
    return response
