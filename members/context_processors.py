from typing import Any

from django.http import HttpRequest

from .models import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    """Role flags for the navigation: `nav.secretary`, `nav.leader`, `nav.member`, `nav.staff`."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": {role.value: user.has_role(role) for role in Role}}
