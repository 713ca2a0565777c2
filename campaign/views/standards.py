from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..forms import StandardForm, StandardSetForm
from ..models import Standard, StandardSet
from ._common import form_error, manage_campaign


def _get_standard_set_for_user(request: HttpRequest, pk: int) -> StandardSet:
    return get_object_or_404(StandardSet, pk=pk, branch=request.user.branch)


def _get_standard_for_user(request: HttpRequest, pk: int) -> Standard:
    return get_object_or_404(
        Standard.objects.select_related("standard_set"),
        pk=pk,
        standard_set__branch=request.user.branch,
    )


@manage_campaign
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    sets = StandardSet.objects.filter(branch=request.user.branch).prefetch_related("items")
    return render(request, "campaign/standard_list.html", {"sets": sets})


@manage_campaign
@require_POST
def standards_install(request: HttpRequest) -> HttpResponse:
    before = StandardSet.objects.filter(branch=request.user.branch).count()
    sets = services.standards_install_defaults(branch=request.user.branch)
    added = len(sets) - before
    if added:
        messages.success(request, _("已载入 %(n)d 套默认标准。") % {"n": added})
    else:
        messages.info(request, _("默认标准都已载入，没有新增。"))
    return redirect("campaign:standard_list")


@manage_campaign
def standard_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard_set = _get_standard_set_for_user(request, pk)
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


@manage_campaign
def standard_create(request: HttpRequest, set_pk: int) -> HttpResponse:
    standard_set = _get_standard_set_for_user(request, set_pk)
    standard = Standard(standard_set=standard_set, order=standard_set.items.count() + 1)
    return _standard_form(request, standard)


@manage_campaign
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _standard_form(request, _get_standard_for_user(request, pk))


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
