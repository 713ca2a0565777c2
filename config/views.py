"""View helpers shared by every app: one page size, and how a service's refusal reaches the user."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest


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
