"""Template tags of the reading app: safe markdown, the activity tabs and the home-page panel."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..models import Distribution, ReadingActivity, Recommendation, Reflection
from ..services import is_participant
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


# name, label, permission needed (None: everyone who reads the forum), needs the selection made
TABS = [
    ("activity_detail", _("概况"), None),
    ("tally", _("推荐书目"), None),
    ("purchase_list", _("采购"), "reading.view_reading_summary"),
    ("ledger", _("发放台账"), "reading.view_reading_summary"),
    ("progress", _("阅读进度"), None),
    ("reflection_list", _("读书论坛"), None),
    ("showcase", _("精华推荐"), None),
    ("summary", _("活动统计"), "reading.view_reading_summary"),
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


@register.inclusion_tag("reading/_home_panel.html", takes_context=True)
def reading_home_panel(context: dict[str, Any]) -> dict[str, Any]:
    """What the current phase of the current activity asks of this person."""
    request = context["request"]
    user = request.user
    if not user.has_perm("reading.view_reading"):
        return {"show": False}
    activity = ReadingActivity.objects.current_for(user.branch)
    panel: dict[str, Any] = {
        "show": True,
        "activity": activity,
        "user": user,
        "manage": user.has_perm("reading.manage_reading"),
    }
    if activity is None:
        return panel
    participant = is_participant(activity, user)
    panel.update(
        phase=activity.phase,
        Phase=ReadingActivity.Phase,
        participant=participant,
        selections=list(activity.selections.all()),
    )
    if participant:
        panel["my_recommendation"] = Recommendation.objects.filter(
            activity=activity, member=user
        ).first()
        panel["unconfirmed"] = list(
            Distribution.objects.filter(
                selection__activity=activity, member=user, confirmed_at__isnull=True
            ).select_related("selection")
        )
        panel["my_posts"] = Reflection.objects.filter(activity=activity, author=user).count()
    # The author is told when a post of his or hers was hidden, and why.
    panel["hidden_posts"] = list(
        Reflection.objects.filter(activity__branch=user.branch, author=user, hidden=True).only(
            "pk", "title", "hidden_reason"
        )[:3]
    )
    return panel
