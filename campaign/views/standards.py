"""争创标准 pages: the branch's standard sets and their items."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.views import form_error, post_action

from .. import services
from ..access import get_standard_for_user, get_standard_set_for_user, manage_campaign_required
from ..forms import StandardForm, StandardSetForm
from ..models import Standard, StandardSet


@manage_campaign_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    sets = StandardSet.objects.filter(branch=request.user.branch).prefetch_related("items")
    return render(request, "campaign/standard_list.html", {"sets": sets})


def _installed(added: int) -> str:
    if added:
        return _("已载入 %(n)d 套默认标准。") % {"n": added}
    return _("默认标准都已载入，没有新增。")


@manage_campaign_required
@require_POST
def standards_install(request: HttpRequest) -> HttpResponse:
    return post_action(
        request,
        lambda: services.standards_install_missing(branch=request.user.branch),
        back=reverse("campaign:standard_list"),
        done=_installed,
    )


@manage_campaign_required
def standard_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard_set = get_standard_set_for_user(request, pk)
    form = StandardSetForm(request.POST or None, instance=standard_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_set_update(
                standard_set=standard_set, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": standard_set.name})
            return redirect(standard_set)
    return render(
        request, "campaign/standard_form.html", {"form": form, "standard_set": standard_set}
    )


@manage_campaign_required
def standard_create(request: HttpRequest, standard_set_pk: int) -> HttpResponse:
    standard_set = get_standard_set_for_user(request, standard_set_pk)
    return _standard_form(request, standard_set.new_item())


@manage_campaign_required
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _standard_form(request, get_standard_for_user(request, pk))


def _standard_form(request: HttpRequest, standard: Standard) -> HttpResponse:
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.standard_save(standard=standard, data=data, by=request.user)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存条目“%(name)s”。") % {"name": standard.name})
            return redirect(standard.standard_set)
    return render(
        request,
        "campaign/standard_form.html",
        {"form": form, "standard": standard, "standard_set": standard.standard_set},
    )
