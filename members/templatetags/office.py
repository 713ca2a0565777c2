"""`{% office_address as address %}`: the address members open (members/address.py), from the
request of the page. The home hook gets only the user, the address needs the request too."""

from __future__ import annotations

from django import template

from ..address import OfficeAddress
from ..address import office_address as _office_address

register = template.Library()


@register.simple_tag(takes_context=True)
def office_address(context: template.Context) -> OfficeAddress:
    return _office_address(context["request"])
