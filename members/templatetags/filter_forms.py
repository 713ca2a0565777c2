"""`{{ form|filters_active }}`: whether a filter form narrows its list (includes/_filter_form).

On a phone the filter form is collapsed behind a 筛选 button unless a filter is set, so that the
first screen shows rows, not inputs.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def filters_active(form: forms.Form) -> bool:
    if not form.is_bound:
        return False
    return any(
        value.strip()
        for name in form.fields
        for value in form.data.getlist(form.add_prefix(name))
        if isinstance(value, str)
    )
