"""Request hygiene for hostile input.

`StripControlCharactersMiddleware` removes ASCII control characters (other than tab, line feed and
carriage return) from submitted form fields. Nobody types them into a web form; pasted in, they
are invisible in the page, and they break every Excel export that later carries the text
(openpyxl refuses them: a 500 on the credentials download or a ledger). NUL is among them
(PostgreSQL refuses it in text). Right-to-left and zero-width characters are left alone: Uyghur
and Arabic-script names need them.

`LoginRequiredMiddleware` is Django's, with words: a form sent after the session ended lands on
the login page with a message saying that nothing was saved and that long texts wait as drafts
in the browser, and after signing in the person is back on the page of the form (not at the
address the form posted to, which may only take POSTs).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .errors import referring_page

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def strip_control(text: str) -> str:
    return CONTROL.sub("", text)


class StripControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_TYPES:
            post = request.POST
            if any(CONTROL.search(v) for _key, values in post.lists() for v in values):
                cleaned = post.copy()
                for key, values in post.lists():
                    cleaned.setlist(key, [strip_control(v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse]
    ) -> HttpResponse:
        if request.method == "POST":
            messages.warning(
                request,
                _(
                    "您的登录已经失效，刚才提交的内容没有保存。请重新登录后再提交一次；"
                    "您写的较长内容已暂存在这台电脑的浏览器里，回到原页面会自动恢复。"
                ),
            )
            return redirect_to_login(
                referring_page(request) or resolve_url("home"),
                resolve_url(self.get_login_url(view_func)),
                self.get_redirect_field_name(view_func),
            )
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # A session cookie the server no longer knows: the session ended.
            messages.info(request, _("登录已经失效（例如长时间没有操作），请重新登录。"))
        return super().handle_no_permission(request, view_func)
