"""Template tags of the reading app: safe markdown and the activity tabs (the home panel is fed
by reading.tasks, not by a tag)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..models import ReadingActivity
from ..text import plain_excerpt, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Limited markdown, sanitized by nh3: the only way user text is shown as markup."""
    return render_markdown(text)


@register.filter
def book_title(title: str) -> str:
    """《title》, whether or not the person typed the brackets."""
    return f"《{(title or '').strip().strip('《》 ').strip()}》"


@register.filter
def excerpt(text: str, length: int = 120) -> str:
    return plain_excerpt(text, int(length))


# URL name, label, permission needed (None: everyone who reads the forum)
TABS = [
    ("activity_detail", _("概况"), None),
    ("recommendation_list", _("推荐书目"), None),
    ("purchase_list", _("采购"), "reading.view_reading_summary"),
    ("distribution_list", _("发放台账"), "reading.view_reading_summary"),
    ("progress_list", _("阅读进度"), None),
    ("reflection_list", _("读书论坛"), None),
    ("reflection_showcase", _("精华推荐"), None),
    ("activity_stats", _("活动统计"), "reading.view_reading_summary"),
]


@register.inclusion_tag("reading/_tabs.html", takes_context=True)
def reading_tabs(
    context: dict[str, Any], activity: ReadingActivity, current: str
) -> dict[str, Any]:
    user = context["request"].user
    tabs = [
        {
            "url": reverse(f"reading:{name}", args=[activity.pk]),
            "label": label,
            "active": name == current,
        }
        for name, label, perm in TABS
        if perm is None or user.has_perm(perm)
    ]
    return {"tabs": tabs, "activity": activity}
