"""Error pages in the site's layout. 500 renders without context processors (nothing may fail)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render, resolve_url
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def referring_page(request: HttpRequest) -> str:
    """The path (and query) of the page the request came from, if it is one of ours, else ""."""
    referer = request.headers.get("referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (CSRF) in plain words: what happened, that nothing was saved, what to do.

    Usually the page was opened long ago: signed in again in another tab (new token), or the
    session ended. Long texts are kept as drafts in the browser (static/js/drafts.js) and come
    back when the form is opened again. A refusal for the address (Origin/Referer) on every form
    means DJANGO_CSRF_TRUSTED_ORIGINS does not list the address people open: the page says so.
    """
    back = referring_page(request)
    if back.startswith(resolve_url(settings.LOGIN_URL)):
        back = ""
    context = {
        "signed_in": request.user.is_authenticated,
        "back": back or resolve_url("home"),
        "address_problem": any(word in reason for word in ("Origin", "Referer")),
    }
    return render(request, "403_csrf.html", context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("500.html").render())
