"""Request hygiene for hostile input.

`StripControlCharactersMiddleware` removes ASCII control characters (other than tab, line feed and
carriage return) from submitted form fields. Nobody types them into a web form; pasted in, they
are invisible in the page, and they break every Excel export that later carries the text
(openpyxl refuses them: a 500 on the credentials download or a ledger). NUL is among them
(PostgreSQL refuses it in text). Right-to-left and zero-width characters are left alone: Uyghur
and Arabic-script names need them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
