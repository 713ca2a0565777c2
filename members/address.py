"""The address members open on their phones, shown to the secretary on the home page with a QR
code (README, "Running on the office network").

The address is SITE_URL (environment variable DJANGO_SITE_URL) when it is set; otherwise the one the
secretary's own browser used. That guess is right when the secretary opens the app by the
machine's network address (http://192.168.1.20:8000/), and useless when it is opened on the
machine itself as 127.0.0.1 or localhost: no phone can open those, so the page then says how to
find the network address instead of showing a QR code.
"""

from __future__ import annotations

import io
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class OfficeAddress:
    url: str
    # From SITE_URL, not guessed from the request.
    configured: bool
    # Only this machine can open it (127.0.0.1, localhost, ::1, 0.0.0.0).
    local_only: bool
    # Plain HTTP: passwords cross the office network in clear.
    plain_http: bool

    @property
    def reachable(self) -> bool:
        return not self.local_only


def is_local_only(host: str) -> bool:
    """A host name that means "this machine" to whoever opens it."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def office_address(request: HttpRequest) -> OfficeAddress:
    configured = bool(settings.SITE_URL)
    url = settings.SITE_URL if configured else request.build_absolute_uri("/")
    parts = urlsplit(url)
    return OfficeAddress(
        url=url,
        configured=configured,
        local_only=is_local_only(parts.hostname or ""),
        plain_http=parts.scheme != "https",
    )


def qr_svg(text: str) -> bytes:
    """A QR code of `text` as a standalone SVG document (black on white, with its quiet zone)."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        out, kind="svg", scale=4, border=4, dark="#000", light="#fff", xmldecl=False
    )
    return out.getvalue()
