"""Sign-out that leaves nothing of the person in the browser.

Django's LogoutView flushes the session. This also expires every cookie of the app's own
(`cx_` prefix), such as the 群众评议 ballot cookies of older versions, so that on a shared office
computer the next person finds nothing of the previous one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

APP_COOKIE_PREFIX = "cx_"


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        names = [name for name in request.COOKIES if name.startswith(APP_COOKIE_PREFIX)]
        response = super().post(request, *args, **kwargs)
        for name in names:
            response.delete_cookie(name, samesite="Lax")
        return response
