"""View helpers shared by every app: one page size, how a service's refusal reaches the user, and
where a `next` parameter may send the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

T = TypeVar("T")


def paginate(request: HttpRequest, items: QuerySet | list) -> Page:
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def form_error(form: Form, exc: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def refuse(request: HttpRequest, exc: ValidationError) -> None:
    """A refused action without a form: the reason as an error message on the next page."""
    messages.error(request, " ".join(exc.messages))


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` URL of the request (POST, else GET) if it stays on this site, else `fallback`.

    Every view that redirects to a `next` goes through here: an absolute URL to another host, a
    scheme-relative `//evil.example`, `javascript:` and the like all end at `fallback`.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def post_action(
    request: HttpRequest,
    step: Callable[[], T],
    *,
    back: str,
    done: str | Callable[[T], str] | None = None,
) -> HttpResponse:
    """The body of every POST-only action view (approve, publish, like, hide …).

    Runs `step` (a service call, already bound to its object and `by=`); a refusal becomes an
    error message, success the `done` message (a text, or a function of the step's result).
    Then it redirects to the request's `next` if that stays on this site, else to `back`.
    The view itself still checks permission, method and object access before calling this.
    """
    try:
        result = step()
    except ValidationError as exc:
        refuse(request, exc)
    else:
        text = done(result) if callable(done) else done
        if text:
            messages.success(request, text)
    return redirect(safe_next(request, back))
