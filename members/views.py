from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.idempotency import idempotent
from config.spreadsheets import Sheet, workbook_response
from config.views import form_error, paginate, refuse

from . import audit, imports, services
from .forms import (
    DemoSetupForm,
    DirectoryFilter,
    ImportForm,
    PersonFilter,
    PersonForm,
    ResponsibilityForm,
    SetupForm,
)
from .models import AuditEntry, Responsibility, Role, User

CREDENTIALS_KEY = "onetime_credentials"
CREDENTIALS_TTL = 30 * 60  # the download link lives half an hour after the passwords are shown

manage_people = permission_required("members.manage_people", raise_exception=True)
view_directory = permission_required("members.view_directory", raise_exception=True)


def _get_person_for_user(request: HttpRequest, pk: int) -> User:
    """A person of the signed-in user's branch; anyone else is a 404."""
    return get_object_or_404(
        User.objects.select_related("department", "branch").prefetch_related("groups"),
        pk=pk,
        branch=request.user.branch,
    )


# --- First run, home, health --------------------------------------------------------------


@login_not_required
@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    if User.objects.exists():
        raise Http404
    form = SetupForm(request.POST if "create" in request.POST else None)
    demo_form = DemoSetupForm(request.POST if "demo" in request.POST else None)
    if request.method == "POST" and "create" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            services.branch_setup(
                branch_name=data["branch_name"],
                parent_org=data["parent_org"],
                full_name=data["full_name"],
                username=data["username"],
                password=data["password1"],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("支部和书记账号已建立，请登录。"))
            return redirect("login")
    if request.method == "POST" and "demo" in request.POST and demo_form.is_valid():
        call_command("seed_demo", password=demo_form.cleaned_data["demo_password"], verbosity=0)
        messages.success(request, _("演示数据已载入：用 secretary 和刚才的密码登录。"))
        return redirect("login")
    return render(request, "members/setup.html", {"form": form, "demo_form": demo_form})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"branch": request.user.branch})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; also clears the one-time-password flag."""

    success_url = reverse_lazy("home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            User.objects.filter(pk=self.request.user.pk).update(must_change_password=False)
        messages.success(self.request, _("密码已修改。"))
        return response


# --- People (secretary) -----------------------------------------------------------------------


@manage_people
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    people = User.objects.in_branch(request.user.branch).for_list()
    filterset = PersonFilter(request.GET or None, queryset=people, branch=request.user.branch)
    page = paginate(request, filterset.qs.distinct())
    return render(request, "members/person_list.html", {"filter": filterset, "page": page})


@manage_people
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    return render(request, "members/person_detail.html", {"person": person})


@manage_people
@idempotent
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            person, credential = services.person_create(
                branch=request.user.branch,
                data=form.model_data(),
                roles=form.cleaned_data["roles"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            _stash_credentials(request, [credential])
            messages.success(request, _("已添加 %(name)s。") % {"name": person.full_name})
            return redirect("members:credentials")
    return render(request, "members/person_form.html", {"form": form})


@manage_people
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    form = PersonForm(request.POST or None, instance=person, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        roles = set(form.cleaned_data["roles"])
        try:
            services.person_update(
                person=person, data=form.model_data(), roles=roles, by=request.user
            )
        except ValidationError as exc:
            # The service's own-role rule (services.person_check_own_access) is about the roles.
            form.add_error("roles" if exc.code == "own_role" else None, exc)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": person})
            return redirect(person)
    return render(request, "members/person_form.html", {"form": form, "person": person})


@manage_people
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(person=person, active=active, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        if active:
            messages.success(request, _("已恢复 %(name)s 的账号。") % {"name": person})
        else:
            messages.success(
                request, _("已停用 %(name)s 的账号：记录全部保留，不能再登录。") % {"name": person}
            )
    return redirect(person)


@manage_people
@require_POST
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person_for_user(request, pk)
    try:
        credential = services.person_reset_password(person=person, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(person)
    _stash_credentials(request, [credential])
    messages.success(request, _("已为 %(name)s 生成一次性密码。") % {"name": person})
    return redirect("members:credentials")


# --- Import and one-time passwords ------------------------------------------------------------


@manage_people
def person_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            table = imports.read_table(form.cleaned_data["file"])
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            result = imports.validate(table, branch=request.user.branch)
            if result.file_error:
                form.add_error("file", result.file_error)
            elif result.ok:
                credentials = services.people_import(
                    branch=request.user.branch, rows=result.rows, by=request.user
                )
                _stash_credentials(request, credentials)
                messages.success(
                    request,
                    _("已导入 %(n)s 人，请把一次性密码交给本人。") % {"n": len(credentials)},
                )
                return redirect("members:credentials")
    return render(request, "members/person_import.html", {"form": form, "result": result})


@manage_people
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(_("人员导入模板.xlsx"), *imports.template_sheets())


def _stash_credentials(request: HttpRequest, credentials: list[services.Credential]) -> None:
    request.session[CREDENTIALS_KEY] = {
        "rows": [c.as_dict() for c in credentials],
        "shown": False,
        "at": time.time(),
    }


def _fresh_credentials(request: HttpRequest) -> dict | None:
    stash = request.session.get(CREDENTIALS_KEY)
    if stash and time.time() - stash.get("at", 0) > CREDENTIALS_TTL:
        del request.session[CREDENTIALS_KEY]
        return None
    return stash


@manage_people
@never_cache
@require_GET
def credentials(request: HttpRequest) -> HttpResponse:
    """Shows the one-time passwords once; afterwards only the single download remains."""
    stash = _fresh_credentials(request)
    rows = None
    if stash and not stash["shown"]:
        rows = stash["rows"]
        stash["shown"] = True
        request.session.modified = True
    return render(
        request,
        "members/credentials.html",
        {"rows": rows, "can_download": bool(stash)},
    )


@manage_people
@require_POST
def credentials_download(request: HttpRequest) -> HttpResponse:
    stash = _fresh_credentials(request)
    if not stash:
        messages.error(request, _("一次性密码已下载过或已过期，如需要请重新重置密码。"))
        return redirect("members:person_list")
    del request.session[CREDENTIALS_KEY]
    audit.record(by=request.user, action=_("下载一次性密码"), detail=f"{len(stash['rows'])} 人")
    sheet = Sheet(
        title=_("一次性密码"),
        headers=[_("姓名"), _("部门"), _("登录名"), _("一次性密码")],
        rows=(
            [row["full_name"], row["department"], row["username"], row["password"]]
            for row in stash["rows"]
        ),
        notes=[_("首次登录后须修改密码。此文件只能下载一次，请妥善保管，发放后删除。")],
    )
    return workbook_response(_("一次性密码.xlsx"), sheet)


# --- Directory and leadership team (everyone signed in) ---------------------------------------


@view_directory
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    people = User.objects.in_branch(request.user.branch).filter(is_active=True).for_list()
    filterset = DirectoryFilter(request.GET or None, queryset=people, branch=request.user.branch)
    page = paginate(request, filterset.qs.distinct())
    return render(request, "members/directory.html", {"filter": filterset, "page": page})


@view_directory
@require_GET
def leadership(request: HttpRequest) -> HttpResponse:
    leaders = (
        User.objects.in_branch(request.user.branch)
        .with_role(Role.LEADER)
        .filter(is_active=True)
        .select_related("department")
        .prefetch_related("responsibilities")
        .annotate(first_order=Min("responsibilities__order"))
        .order_by("first_order", "full_name")
    )
    return render(request, "members/leadership.html", {"leaders": leaders})


def _get_responsibility_for_user(request: HttpRequest, pk: int) -> Responsibility:
    return get_object_or_404(
        Responsibility.objects.select_related("leader"), pk=pk, leader__branch=request.user.branch
    )


@manage_people
@idempotent
def responsibility_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = _get_responsibility_for_user(request, pk) if pk else None
    form = ResponsibilityForm(request.POST or None, instance=instance, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        services.responsibility_save(responsibility=form.instance, by=request.user)
        messages.success(request, _("领导班子分工已保存。"))
        return redirect("members:leadership")
    return render(
        request, "members/responsibility_form.html", {"form": form, "responsibility": instance}
    )


@manage_people
@require_POST
def responsibility_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.responsibility_delete(
        responsibility=_get_responsibility_for_user(request, pk), by=request.user
    )
    messages.success(request, _("已删除该项分工。"))
    return redirect("members:leadership")


@manage_people
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.filter(branch=request.user.branch).select_related("actor")
    return render(request, "members/audit_log.html", {"page": paginate(request, entries)})
