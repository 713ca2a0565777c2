"""The range every date typed into the app must fall in, defined once.

Forms bound their date fields to it (config.forms) and services refuse dates outside it, so a
"长期" placeholder such as 9999-12-31 gets a message instead of an OverflowError further on
(splitting a campaign into phases adds days to its dates).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

DATE_MIN = dt.date(2000, 1, 1)
YEARS_AHEAD = 10


def date_max(today: dt.date | None = None) -> dt.date:
    """Ten years from today (29 February becomes 28 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_range_message(label: str = "") -> str:
    """ "<label>须在 2000年1月1日 至 <ten years from today> 之间…"."""
    return _("%(label)s须在 %(min)s 至 %(max)s 之间；没有确定日期的，请填预计的日期。") % {
        "label": label or _("日期"),
        "min": cn_date(DATE_MIN),
        "max": cn_date(date_max()),
    }


def in_range(value: dt.date) -> bool:
    return DATE_MIN <= value <= date_max()


def check_date_range(*, field: str, value: dt.date | None, label: str = "") -> None:
    """Refuse a date outside the range, at `field`. A missing date is not this rule's business."""
    if value is not None and not in_range(value):
        raise ValidationError({field: date_range_message(label)}, code="date_out_of_range")


def check_dates_in_range(*, dates: dict[str, dt.date | None]) -> None:
    """The same for several fields at once: every date out of range is named at its field."""
    errors = {
        field: date_range_message()
        for field, value in dates.items()
        if value is not None and isinstance(value, dt.date) and not in_range(value)
    }
    if errors:
        raise ValidationError(errors, code="date_out_of_range")
