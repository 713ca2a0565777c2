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

Sign-in names are case-insensitive (members.models.PeopleManager), so axes counts the failures of
`XT0202` and `xt0202` as one name (AXES_USERNAME_CALLABLE = `username_key`). A lockout ends
AXES_COOLOFF_TIME after the failure that caused it (further tries do not extend it); the people
pages show it (`lockout_ends`) and lift it (`unlock`), and the lockout page says when it ends
(`lockout_response`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
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


def username_key(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the typed sign-in name in the one case axes stores and compares."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "POST", {}).get("username") if request is not None else None
    return normalize_username(name) if isinstance(name, str) else name


def normalize_username(name: str) -> str:
    """The key of a sign-in name: `XT0202`, ` xt0202 ` and `xt0202` are one name."""
    return name.strip().lower()


def _locking_attempts(username: str) -> Any:
    """Axes's rows for this name that lock it now (one row per address)."""
    threshold = timezone.now() - get_cool_off()
    return AccessAttempt.objects.filter(
        username=normalize_username(username),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=threshold,
    )


def lockout_ends(username: str) -> dt.datetime | None:
    """When the latest lockout of this sign-in name ends (from any address); None if none."""
    latest = _locking_attempts(username).aggregate(latest=Max("attempt_time"))["latest"]
    return latest + get_cool_off() if latest else None


def unlock(username: str) -> int:
    """Forget every failed attempt of this sign-in name, so that it may sign in at once."""
    return reset(username=normalize_username(username))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the lockout page, with when this name and address may try again."""
    username = username_key(request, credentials) or ""
    latest = (
        _locking_attempts(username)
        .filter(ip_address=getattr(request, "axes_ip_address", None))
        .aggregate(latest=Max("attempt_time"))["latest"]
    )
    cool_off = get_cool_off()
    typed = request.POST.get("username", "").strip()[:150]  # as the person typed it
    context = {
        "username": typed if normalize_username(typed) == username else username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "unlocks_at": (latest or timezone.now()) + cool_off,
    }
    return render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


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
