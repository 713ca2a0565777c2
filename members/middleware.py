from __future__ import annotations

import weakref
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import User

Handler = Callable[[HttpRequest], HttpResponse]


class FirstRunMiddleware:
    """While nobody has an account, every page leads to the setup page."""

    exempt_prefixes = ("/static/", "/healthz")
    _instances: weakref.WeakSet[FirstRunMiddleware] = weakref.WeakSet()

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.has_users = False  # once True it stays True: accounts are never all deleted
        self._instances.add(self)

    @classmethod
    def forget(cls) -> None:
        """Ask again whether accounts exist: for a test that empties the database under a server
        that outlives it (the browser tests' live server)."""
        for instance in cls._instances:
            instance.has_users = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Exempt paths first: /healthz must answer 503 itself when the database is down.
        if not self.has_users and not request.path.startswith(self.exempt_prefixes):
            self.has_users = User.objects.exists()
            if not self.has_users and request.path != reverse("setup"):
                return redirect("setup")
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """A person signed in with a one-time password must choose a new one before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("password_change")
        return self.get_response(request)
