"""One submit, one record: a one-time token per form view stops double submits.

A create view adopts it in two lines::

    @idempotent                                   # views.py, under the permission decorator
    {% include "includes/_once.html" %}           # inside the <form>, next to {% csrf_token %}

Each page view issues a fresh random token (nothing is stored on GET). When a POST carrying the
token ends in a redirect (the record was saved), the token is remembered in the session with that
redirect's URL; the same token again (double click that got through, back-and-resubmit, a retry
after a timeout) redirects to the first result with a note instead of saving again. A POST whose
form comes back with errors does not consume the token, so the corrected form can be sent.

Two copies of one POST that arrive at the same moment (the session is only saved at the end of a
request) are caught by a cache entry taken with `cache.add`: reliable across processes when CACHES
is shared (database or Redis); with the default per-process cache, static/js/app.js, which disables
the submit button after the first click, covers the rest.

Do not use it on anonymous actions (ballots, anonymous feedback) unless the redirect URL names
nothing about what was submitted: the session keeps that URL.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FIELD = "_once"
SESSION_KEY = "_once_done"
REMEMBER = 50  # tokens kept per session
PENDING = "pending"
WAIT_SECONDS = 10.0
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

View = Callable[..., HttpResponse]


def new_token() -> str:
    return secrets.token_urlsafe(16)


def _cache_key(request: HttpRequest, token: str) -> str:
    owner = request.session.session_key or getattr(request.user, "pk", None) or "anon"
    return f"once:{owner}:{token}"


def _duplicate(request: HttpRequest, url: str) -> HttpResponse:
    messages.info(request, _("这张表单已经提交过，没有重复保存。"))
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = request.path
    return redirect(url)


def _wait_for_result(key: str) -> str | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is None:  # the first request failed or its form came back with errors
            return None
        if value != PENDING:
            return value
        time.sleep(0.05)
    return None


def idempotent(view: View) -> View:
    """Decorate a view whose successful POST redirects; its form includes includes/_once.html."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sent = request.POST.get(FIELD) if request.method == "POST" else None
        token = sent if sent and _TOKEN.match(sent) else None
        key = ""
        if token:
            done: dict[str, str] = request.session.get(SESSION_KEY, {})
            if token in done:
                return _duplicate(request, done[token])
            key = _cache_key(request, token)
            if not cache.add(key, PENDING, timeout=60):
                url = _wait_for_result(key)
                return _duplicate(request, url) if url else redirect(request.path)
        # A form shown again with errors keeps its token; a fresh page gets a new one.
        request.once_token = token or new_token()
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            if key:
                cache.delete(key)
            raise
        if token:
            if response.status_code in {301, 302, 303}:
                url = response["Location"]
                done = request.session.get(SESSION_KEY, {})
                done[token] = url
                request.session[SESSION_KEY] = dict(list(done.items())[-REMEMBER:])
                cache.set(key, url, timeout=60)
            else:
                cache.delete(key)
        return response

    return wrapper
