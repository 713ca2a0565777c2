"""Sign-in lockout (django-axes) that stores no client address and no user agent.

Axes locks a person out after repeated failures from one address. It would store that address, the
browser's user agent and, in its access log, every successful sign-in. Here:

- the address axes sees (AXES_CLIENT_IP_CALLABLE) is a keyed hash of the real one, written as an
  IPv6 address in fd00::/8 so that it fits GenericIPAddressField (SQLite text, PostgreSQL inet);
  the same address always gives the same key, so the lockout per person and address still works;
- behind the reverse proxy (DJANGO_BEHIND_PROXY=1) the real address is the one the proxy appended
  to X-Forwarded-For (the right-most entry): entries to its left come from the client and could be
  anything, which would let one person try any number of passwords;
- the handler blanks the user agent and Accept header before axes records an attempt, and deletes
  attempts older than the cool-off (axes's own clean-up, run on every sign-in, sign-in failure and
  sign-out) together with any access log rows left from before AXES_DISABLE_ACCESS_LOG.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

KEY_SALT = "config.signin.client_key"


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind the proxy the address the proxy added."""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.headers.get("x-forwarded-for", "")
        if last := forwarded.rsplit(",", 1)[-1].strip():
            address = last
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def address_key(address: str) -> str:
    """A keyed hash of `address` as an IPv6 address in fd00::/8 (unique local addresses)."""
    digest = salted_hmac(KEY_SALT, address, algorithm="sha256").digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def client_key(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: what axes stores and compares instead of the address."""
    return address_key(client_address(request))


def _forget_browser(request: HttpRequest | None) -> None:
    if request is not None:
        request.axes_user_agent = ""
        request.axes_http_accept = ""


class AddressFreeHandler(AxesDatabaseHandler):
    """Axes's database handler, minus the user agent, the Accept header and old rows."""

    def is_allowed(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        _forget_browser(request)
        return super().is_allowed(request, credentials)

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        _forget_browser(request)
        return super().get_failures(request, credentials)

    def user_login_failed(
        self, sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        _forget_browser(request)
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        _forget_browser(request)
        super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        _forget_browser(request)
        super().user_logged_out(sender, request, user, **kwargs)

    def clean_expired_user_attempts(
        self, request: HttpRequest | None = None, credentials: dict | None = None
    ) -> int:
        count = super().clean_expired_user_attempts(request, credentials)
        # Both logs are switched off; rows written before that must not live on in every backup.
        AccessLog.objects.all().delete()
        AccessFailureLog.objects.all().delete()
        return count
