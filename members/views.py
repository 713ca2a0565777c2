"""The members pages: first run, people (secretary), import and one-time passwords, directory,
leadership team, audit log. Rules live in members/services; access in members/access.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Min
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config import signin
from config.exports import ledger_response, wants_export
from config.idempotency import idempotent
from config.pagecache import cached_page
from config.spreadsheets import workbook_response
from config.views import form_error, paginate, post_action, refuse

from . import credentials as onetime
from . import exports, hooks, imports, services
from .access import (
    get_person_for_user,
    get_responsibility_for_user,
    manage_people_required,
    view_directory_required,
)
from .address import office_address, qr_svg
from .forms import (
    DemoSetupForm,
    DirectoryFilter,
    ImportForm,
    PersonFilter,
    PersonForm,
    ResponsibilityForm,
    SetupForm,
)
from .models import AuditEntry, Role, User

# Signing in without a password check (first run only): the backend that holds the account.
SIGN_IN_BACKEND = "members.backends.RoleBackend"

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
            secretary = services.branch_setup(
                branch_name=data["branch_name"],
                parent_org=data["parent_org"],
                full_name=data["full_name"],
                username=data["username"],
                password=data["password1"],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            # The secretary just chose this password: no need to type it again.
            login(request, secretary, backend=SIGN_IN_BACKEND)
            messages.success(
                request, _("支部和书记账号已建立，您已登录。下一步：添加或导入支部的人员。")
            )
            return redirect("home")
    if request.method == "POST" and "demo" in request.POST and demo_form.is_valid():
        call_command("seed_demo", password=demo_form.cleaned_data["demo_password"], verbosity=0)
        login(request, User.objects.get_by_natural_key("secretary"), backend=SIGN_IN_BACKEND)
        messages.success(
            request,
            _(
                "演示数据已载入，您已作为支部书记（secretary）登录。"
                "其他演示账号（leader、member、staff 等）使用同一密码。"
            ),
        )
        return redirect("home")
    return render(request, "members/setup.html", {"form": form, "demo_form": demo_form})


@require_GET
@cached_page(per="person")
def home(request: HttpRequest) -> HttpResponse:
    """One 待办 list and the panels, asked of every app the same way (members.hooks)."""
    tasks, panels = hooks.home_for(request.user)
    context = {"branch": request.user.branch, "tasks": tasks, "panels": panels}
    return render(request, "home.html", context)


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

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(by=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


# --- People (secretary) -----------------------------------------------------------------------


@manage_people_required
@require_GET
@cached_page(per="roles")
def person_list(request: HttpRequest) -> HttpResponse:
    people = User.objects.in_branch(request.user.branch).for_list()
    filterset = PersonFilter(request.GET or None, queryset=people, branch=request.user.branch)
    if wants_export(request):
        items = filterset.qs.prefetch_related(None)
        columns = exports.people_columns(items)
        return ledger_response(request, ledger=_("人员名单"), columns=columns, items=items)
    page = paginate(request, filterset.qs)
    return render(request, "members/person_list.html", {"filter": filterset, "page": page})


@manage_people_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    context = {"person": person, "locked_until": signin.lockout_ends(person.username)}
    return render(request, "members/person_detail.html", context)


@manage_people_required
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
            onetime.stash(request.session, [credential])
            messages.success(request, _("已添加 %(name)s。") % {"name": person.full_name})
            return redirect("members:credentials")
    return render(request, "members/person_form.html", {"form": form})


@manage_people_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    form = PersonForm(request.POST or None, instance=person, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                data=form.model_data(),
                roles=form.cleaned_data["roles"],
                by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": person})
            return redirect(person)
    return render(request, "members/person_form.html", {"form": form, "person": person})


@manage_people_required
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    active = request.POST.get("active") == "1"
    if active:
        done = _("已恢复 %(name)s 的账号。") % {"name": person}
    else:
        done = _("已停用 %(name)s 的账号：记录全部保留，不能再登录。") % {"name": person}
    return post_action(
        request,
        lambda: services.person_set_active(person=person, active=active, by=request.user),
        back=person.get_absolute_url(),
        done=done,
    )


@manage_people_required
@require_POST
def person_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    return post_action(
        request,
        lambda: services.person_unlock(person=person, by=request.user),
        back=person.get_absolute_url(),
        done=_("已为 %(name)s 解除登录锁定，现在可以重新登录。") % {"name": person},
    )


@manage_people_required
@require_POST
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    # Not a post_action: success leads to the credentials page, a refusal back to the person.
    person = get_person_for_user(request, pk)
    try:
        credential = services.person_reset_password(person=person, by=request.user)
    except ValidationError as exc:
        refuse(request, exc)
        return redirect(person)
    onetime.stash(request.session, [credential])
    messages.success(request, _("已为 %(name)s 生成一次性密码。") % {"name": person})
    return redirect("members:credentials")


# --- Import and one-time passwords ------------------------------------------------------------


@manage_people_required
def person_import(request: HttpRequest) -> HttpResponse:
    """Upload a file. Adding people imports at once; updating by the list shows a preview first
    (its rows kept in the session, see imports.preview_stash) that a second POST confirms."""
    if request.method == "POST" and "token" in request.POST:
        return _person_import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        branch = request.user.branch
        try:
            table = imports.read_table(form.cleaned_data["file"])
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            result = imports.validate(table, branch=branch, update=form.updating)
            if result.file_error:
                form.add_error("file", result.file_error)
            elif result.ok and form.updating:
                plan = imports.plan_update(branch=branch, rows=result.rows)
                try:
                    token = imports.preview_stash(
                        request.session, rows=result.rows, digest=plan.digest
                    )
                except ValueError as exc:
                    form.add_error("file", str(exc))
                else:
                    context = {"plan": plan, "token": token, "notices": result.notices}
                    return render(request, "members/person_import_preview.html", context)
            elif result.ok:
                credentials = services.people_import(
                    branch=branch, rows=result.rows, by=request.user
                )
                onetime.stash(request.session, credentials)
                for notice in result.notices:
                    messages.warning(request, notice)
                messages.success(
                    request,
                    _("已导入 %(n)s 人，请把一次性密码交给本人。") % {"n": len(credentials)},
                )
                return redirect("members:credentials")
    return render(request, "members/person_import.html", {"form": form, "result": result})


def _person_import_confirm(request: HttpRequest) -> HttpResponse:
    """The confirmation of an update preview: applies the rows kept with its token, or nothing."""
    preview = imports.preview_take(request.session, request.POST.get("token", ""))
    if preview is None:
        messages.error(request, _("这次预览已过期或已经确认过，请重新上传文件。"))
        return redirect("members:person_import")
    try:
        plan, credentials = services.people_import_update(
            branch=request.user.branch, rows=preview.rows, expected=preview.digest, by=request.user
        )
    except ValidationError as exc:
        refuse(request, exc)
        return redirect("members:person_import")
    done = _("已按名单更新：新增 %(new)s 人，更新 %(changed)s 人的资料。") % {
        "new": len(plan.new),
        "changed": len(plan.changed),
    }
    if credentials:
        onetime.stash(request.session, credentials)
        messages.success(request, done + _("请把新人员的一次性密码交给本人。"))
        return redirect("members:credentials")
    messages.success(request, done)
    return redirect("members:person_list")


@manage_people_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(_("人员导入模板.xlsx"), *imports.template_sheets())


@manage_people_required
@never_cache
@require_GET
def credentials(request: HttpRequest) -> HttpResponse:
    """Shows the one-time passwords once; afterwards only the single download remains."""
    rows, can_download = onetime.reveal(request.session)
    return render(request, "members/credentials.html", {"rows": rows, "can_download": can_download})


@manage_people_required
@require_POST
def credentials_download(request: HttpRequest) -> HttpResponse:
    rows = onetime.take(request.session)
    if rows is None:
        messages.error(request, _("一次性密码已下载过或已过期，如需要请重新重置密码。"))
        return redirect("members:person_list")
    return onetime.download(rows=rows, by=request.user)


# --- Directory and leadership team (everyone signed in) ---------------------------------------


@view_directory_required
@require_GET
@cached_page(per="roles")
def directory(request: HttpRequest) -> HttpResponse:
    people = User.objects.in_branch(request.user.branch).active().for_list()
    filterset = DirectoryFilter(request.GET or None, queryset=people, branch=request.user.branch)
    page = paginate(request, filterset.qs)
    return render(request, "members/directory.html", {"filter": filterset, "page": page})


@view_directory_required
@require_GET
def leadership(request: HttpRequest) -> HttpResponse:
    leaders = (
        User.objects.in_branch(request.user.branch)
        .with_role(Role.LEADER)
        .active()
        .select_related("department")
        .prefetch_related("responsibilities")
        .annotate(first_order=Min("responsibilities__order"))
        .order_by("first_order", "full_name")
    )
    return render(request, "members/leadership.html", {"leaders": leaders})


@manage_people_required
@idempotent
def responsibility_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_responsibility_for_user(request, pk) if pk else None
    form = ResponsibilityForm(request.POST or None, instance=instance, branch=request.user.branch)
    if request.method == "POST" and form.is_valid():
        services.responsibility_save(responsibility=form.instance, by=request.user)
        messages.success(request, _("领导班子分工已保存。"))
        return redirect("members:leadership")
    return render(
        request, "members/responsibility_form.html", {"form": form, "responsibility": instance}
    )


@manage_people_required
@require_POST
def responsibility_delete(request: HttpRequest, pk: int) -> HttpResponse:
    responsibility = get_responsibility_for_user(request, pk)
    return post_action(
        request,
        lambda: services.responsibility_delete(responsibility=responsibility, by=request.user),
        back=reverse("members:leadership"),
        done=_("已删除该项分工。"),
    )


@manage_people_required
@require_GET
@cached_page(per="roles")
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.filter(branch=request.user.branch).select_related("actor")
    if wants_export(request):
        return ledger_response(
            request, ledger=_("操作记录"), columns=exports.AUDIT_LOG, items=entries.iterator()
        )
    return render(request, "members/audit_log.html", {"page": paginate(request, entries)})


@manage_people_required
@require_GET
def address_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the address members open (members/address.py), as SVG, for the home page."""
    response = HttpResponse(
        qr_svg(office_address(request).url), content_type="image/svg+xml; charset=utf-8"
    )
    # It follows the address the browser used: no cache keeps one for another address.
    response["Cache-Control"] = "private, no-cache"
    return response
