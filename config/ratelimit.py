"""Per-address rate limits (django-ratelimit), counted in the cache all server processes share
(settings.CACHES: Redis with REDIS_URL).

The cache is keyed by an HMAC of the client's address under SECRET_KEY, never the address or a
plain hash of it (an IPv4 address's MD5 is reversed by trying all four billion). Nothing of the
address is written with what the request sends; the counters expire with their window.
Behind a reverse proxy set DJANGO_BEHIND_PROXY=1 (README), as for the sign-in lockout.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from .signin import client_address


def address_key(group: str, request: HttpRequest) -> str:
    """The client's address as the sign-in lockout reads it (behind the proxy, the address the
    proxy appended: config.signin.client_address), under an HMAC."""
    address = client_address(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def over_limit(request: HttpRequest, *, group: str) -> bool:
    """Count this request against settings.RATE_LIMITS[group] (e.g. "10/h") for its address;
    True once over it."""
    rate = settings.RATE_LIMITS[group]
    return is_ratelimited(
        request, group=group, key=address_key, rate=rate, method=ALL, increment=True
    )
