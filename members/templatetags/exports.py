"""`{% export_button %}`: the 导出Excel button of a 台账 page (config.exports).

It links to the page's own URL with its filters kept, ``format=xlsx`` added and ``page`` dropped:
the file holds every row the filters keep, not only the page on screen.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from config.exports import FORMAT_PARAM, FORMAT_XLSX

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context: template.Context) -> str:
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    query[FORMAT_PARAM] = FORMAT_XLSX
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def export_button(context: template.Context, label: str = "") -> str:
    return format_html(
        '<a class="btn btn-sm btn-outline-success" href="{}" download>'
        '<span aria-hidden="true">⬇</span> {}</a>',
        export_url(context),
        label or _("导出Excel"),
    )
