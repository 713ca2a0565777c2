"""The admin cannot bypass the rules: what has rules is read-only there, the rest is audited, and a
password set there is one-time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.urls import reverse

from campaign.models import (
    Ballot,
    BallotMark,
    EvaluationItem,
    EvaluationRound,
    EvaluationTurnout,
    LeaderReview,
)
from config.admin import AuditedAdmin, ReadOnlyAdmin
from members.admin import UserAdmin
from members.models import AuditEntry, Branch, Department, Role, User
from tests.factories import make_department, make_person, make_responsibility

# Every model the admin may change, and how. Anything else registered must be read-only: a new
# model cannot silently bypass its services.
EDITABLE: dict[type[models.Model], tuple[set[str], type[admin.ModelAdmin]]] = {
    User: ({"change"}, UserAdmin),  # through members/services.py
    Branch: ({"change"}, AuditedAdmin),
    Department: ({"add", "change", "delete"}, AuditedAdmin),
}
# Third-party apps whose admin only a superuser reaches (unlocking an account locked by axes is
# deleting its access attempts): the secretary role holds none of their permissions.
SUPERUSER_ONLY_APPS = ("axes",)
# Anonymous evaluation data never appears in the admin.
NEVER_REGISTERED = (Ballot, BallotMark, EvaluationTurnout)

DEMO_PASSWORD = "Demo-pass-2011"
OUR_APPS = ("members", "campaign", "reading")


def url(model: type[models.Model], view: str, *args: Any) -> str:
    if view == "password_change":  # Django names it after auth.User whatever the user model
        return reverse("admin:auth_user_password_change", args=args)
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def superuser_request() -> Any:
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request


def permissions(model_admin: Any, request: Any) -> set[str]:
    granted = {
        "add": model_admin.has_add_permission(request),
        "change": model_admin.has_change_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }
    return {name for name, ok in granted.items() if ok}


# --- The registry: read-only unless allowed ----------------------------------------------------


def test_every_registered_model_is_read_only_unless_allowed(db):
    request = superuser_request()  # a superuser: only the admin classes themselves restrict
    problems = []
    secretary_apps = {
        p.content_type.app_label
        for p in Group.objects.get(name=Role.SECRETARY).permissions.select_related("content_type")
    }
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in SUPERUSER_ONLY_APPS:
            assert model._meta.app_label not in secretary_apps, model._meta.label
            continue
        allowed, kind = EDITABLE.get(model, (set(), ReadOnlyAdmin))
        granted = permissions(model_admin, request)
        if granted - allowed:
            problems.append(f"{model._meta.label} is editable ({sorted(granted)}) in the admin")
        if not isinstance(model_admin, kind):
            problems.append(f"{model._meta.label}'s admin is not a {kind.__name__}")
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            inline_granted = {
                name
                for name, ok in {
                    "add": inline.has_add_permission(request, None),
                    "change": inline.has_change_permission(request, None),
                    "delete": inline.has_delete_permission(request, None),
                }.items()
                if ok
            }
            if inline_granted:
                problems.append(
                    f"inline {inline.model._meta.label} of {model._meta.label} is editable"
                )
    assert not problems, "\n".join(problems)
    assert set(EDITABLE) <= set(admin.site._registry), "the allow-list names unregistered models"


def test_ballots_and_turnout_stay_out_of_the_admin():
    for model in NEVER_REGISTERED:
        assert model not in admin.site._registry, f"{model._meta.label} must not be in the admin"


def test_a_sealed_vote_is_never_shown_even_when_an_admin_names_it():
    class Careless(ReadOnlyAdmin):
        fields = ["round", "subject", "has_voted", "sealed"]
        readonly_fields = ["sealed"]
        list_display = ["round", "sealed"]

    model_admin = Careless(EvaluationTurnout, AdminSite())
    request = superuser_request()
    assert "sealed" not in model_admin.get_fields(request)
    assert "sealed" not in model_admin.get_readonly_fields(request)
    assert "sealed" not in model_admin.get_list_display(request)
    for _, options in model_admin.get_fieldsets(request):
        assert "sealed" not in options["fields"]
    for model, registered in admin.site._registry.items():
        assert "sealed" not in registered.get_fields(request), model._meta.label
        assert "sealed" not in registered.get_list_display(request), model._meta.label


def test_roles_are_not_edited_in_the_admin():
    assert isinstance(admin.site._registry[Group], ReadOnlyAdmin)


# --- Locked models: every add, change and delete is refused -------------------------------------


@pytest.fixture
def demo(db):
    """The demo story has a row of every model the admin shows."""
    call_command("seed_demo", password=DEMO_PASSWORD, verbosity=0)
    secretary = User.objects.get(username="secretary")
    client = Client()
    client.force_login(secretary)
    return client


LOCKED = sorted(
    (m for m in admin.site._registry if m not in EDITABLE and m._meta.app_label in OUR_APPS),
    key=lambda m: m._meta.label,
)


def row(obj: models.Model) -> dict[str, Any]:
    return type(obj).objects.filter(pk=obj.pk).values().get()


def test_the_secretary_cannot_write_a_locked_model_through_the_admin(demo):
    # One loop rather than one test per model: the demo story is seeded once.
    assert LOCKED, "no locked model found in the registry"
    problems: list[str] = []
    for model in LOCKED:
        label = model._meta.label
        obj = model.objects.order_by("pk").first()
        if obj is None:
            problems.append(f"the demo has no {label}: this test needs one")
            continue
        count = model.objects.count()
        before = row(obj)
        plain = (str, int, Decimal, dt.date)
        data = {k: v for k, v in model_to_dict(obj).items() if isinstance(v, plain)}

        if demo.get(url(model, "changelist")).status_code != 200:
            problems.append(f"{label}: the secretary cannot read the list any more")
        page = demo.get(url(model, "change", obj.pk))
        if page.status_code != 200 or 'name="_save"' in page.content.decode():
            problems.append(f"{label}: the change page is not a read-only view")
        attempts = [
            ("GET add", demo.get(url(model, "add"))),
            ("POST add", demo.post(url(model, "add"), data)),
            ("POST change", demo.post(url(model, "change", obj.pk), data)),
            ("GET delete", demo.get(url(model, "delete", obj.pk))),
            ("POST delete", demo.post(url(model, "delete", obj.pk), {"post": "yes"})),
        ]
        problems += [
            f"{label}: {what} answered {r.status_code}"
            for what, r in attempts
            if r.status_code != 403
        ]
        demo.post(
            url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        if model.objects.count() != count or row(obj) != before:
            problems.append(f"{label}: the admin changed the database")
    assert not problems, "\n".join(problems)


def test_the_examples_of_the_issue_are_refused(demo):
    round_ = EvaluationRound.objects.order_by("pk").first()
    items = round_.items.count()
    threshold = round_.threshold
    # Change a round's threshold and delete its items at the same time.
    data = {
        "name": round_.name,
        "threshold": 1,
        "items-TOTAL_FORMS": items,
        "items-INITIAL_FORMS": items,
        **{f"items-{i}-DELETE": "on" for i in range(items)},
        **{f"items-{i}-id": item.pk for i, item in enumerate(round_.items.order_by("pk"))},
    }
    assert demo.post(url(EvaluationRound, "change", round_.pk), data).status_code == 403
    round_.refresh_from_db()
    assert round_.threshold == threshold and round_.items.count() == items
    assert EvaluationItem.objects.filter(round=round_).count() == items
    # Delete the round.
    assert demo.post(url(EvaluationRound, "delete", round_.pk), {"post": "yes"}).status_code == 403
    assert EvaluationRound.objects.filter(pk=round_.pk).exists()
    # Change a review's author.
    review = LeaderReview.objects.order_by("pk").first()
    other = User.objects.exclude(pk=review.reviewer_id).first()
    response = demo.post(url(LeaderReview, "change", review.pk), {"reviewer": other.pk})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.reviewer_id != other.pk


# --- Reference data: editable, every change audited ---------------------------------------------


def new_entries(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("pk")[before:])


def test_department_changes_in_the_admin_are_audited(branch, secretary, secretary_client):
    before = AuditEntry.objects.count()
    response = secretary_client.post(
        url(Department, "add"), {"branch": branch.pk, "name": "质量部", "order": 3}
    )
    assert response.status_code == 302
    department = Department.objects.get(name="质量部")
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.object_id) == (
        secretary,
        "后台添加部门",
        str(department.pk),
    )

    before = AuditEntry.objects.count()
    response = secretary_client.post(
        url(Department, "change", department.pk),
        {"branch": branch.pk, "name": "质量管理部", "order": 3},
    )
    assert response.status_code == 302
    [entry] = new_entries(before)
    assert entry.action == "后台修改部门" and "部门名称" in entry.detail

    # The changelist's editable "order" column goes through the same path.
    before = AuditEntry.objects.count()
    response = secretary_client.post(
        url(Department, "changelist"),
        {
            "form-TOTAL_FORMS": 1,
            "form-INITIAL_FORMS": 1,
            "form-0-id": department.pk,
            "form-0-order": 7,
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.order == 7
    [entry] = new_entries(before)
    assert entry.action == "后台修改部门" and "排序" in entry.detail

    before = AuditEntry.objects.count()
    other = make_department(branch, "仓储部")
    response = secretary_client.post(
        url(Department, "changelist"),
        {"action": "delete_selected", "_selected_action": [department.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(pk__in=[department.pk, other.pk]).exists()
    assert [e.action for e in new_entries(before)] == ["后台删除部门", "后台删除部门"]


def test_the_branch_is_renamed_with_an_audit_entry_but_never_added_or_deleted(
    branch, secretary, secretary_client
):
    before = AuditEntry.objects.count()
    response = secretary_client.post(
        url(Branch, "change", branch.pk), {"name": "新名称党支部", "parent_org": branch.parent_org}
    )
    assert response.status_code == 302
    [entry] = new_entries(before)
    assert (entry.actor, entry.action) == (secretary, "后台修改党支部")
    assert secretary_client.get(url(Branch, "add")).status_code == 403
    assert (
        secretary_client.post(url(Branch, "delete", branch.pk), {"post": "yes"}).status_code == 403
    )
    assert Branch.objects.filter(pk=branch.pk).exists()


# --- People: through the services -----------------------------------------------------------------


def person_post(person: User, **changes: Any) -> dict[str, Any]:
    data = {
        "username": person.username,
        "full_name": person.full_name,
        "gender": person.gender,
        "department": person.department_id or "",
        "position": person.position,
        "employee_no": person.employee_no,
        "phone": person.phone,
        "political_status": person.political_status,
        "joined_party_on": person.joined_party_on or "",
        "roles": sorted(person.role_names),
        "is_active": "on" if person.is_active else "",
        "responsibilities-TOTAL_FORMS": 0,
        "responsibilities-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editing_a_person_goes_through_the_services(secretary, secretary_client, member):
    before = AuditEntry.objects.count()
    response = secretary_client.post(
        url(User, "change", member.pk),
        person_post(member, position="主管", roles=[Role.MEMBER, Role.LEADER]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = User.objects.get(pk=member.pk)
    assert member.position == "主管" and member.role_names == {Role.MEMBER, Role.LEADER}
    [entry] = new_entries(before)
    assert (entry.actor, entry.action) == (secretary, "编辑人员")
    assert "岗位" in entry.detail and "领导班子成员" in entry.detail


def test_the_secretary_role_gives_the_admin_and_nothing_else_does(secretary_client, member):
    response = secretary_client.post(
        url(User, "change", member.pk),
        person_post(member, is_staff="on", is_superuser="on", must_change_password=""),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser

    secretary_client.post(
        url(User, "change", member.pk), person_post(member, roles=[Role.MEMBER, Role.SECRETARY])
    )
    member.refresh_from_db()
    assert member.is_staff and not member.is_superuser


def test_deactivating_in_the_admin_is_audited(secretary, secretary_client, member):
    before = AuditEntry.objects.count()
    response = secretary_client.post(
        url(User, "change", member.pk), person_post(member, is_active="")
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert [e.action for e in new_entries(before)] == ["停用账号"]


def test_the_secretary_cannot_lock_herself_out_in_the_admin(secretary, secretary_client):
    before = AuditEntry.objects.count()
    for changes in ({"roles": [Role.MEMBER]}, {"is_active": ""}):
        response = secretary_client.post(
            url(User, "change", secretary.pk), person_post(secretary, **changes)
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "不能取消自己的支部书记角色" in html or "不能停用自己的账号" in html
    secretary = User.objects.get(pk=secretary.pk)
    assert Role.SECRETARY in secretary.role_names and secretary.is_active
    assert AuditEntry.objects.count() == before


def test_people_are_neither_added_nor_deleted_in_the_admin(secretary_client, member):
    count = User.objects.count()
    assert secretary_client.get(url(User, "add")).status_code == 403
    response = secretary_client.post(
        url(User, "add"),
        {"username": "x1", "password1": "Xy-pass-2011", "password2": "Xy-pass-2011"},
    )
    assert response.status_code == 403
    assert secretary_client.post(url(User, "delete", member.pk), {"post": "yes"}).status_code == 403
    assert User.objects.count() == count


# --- Passwords set in the admin are one-time ------------------------------------------------------


def test_a_password_set_in_the_admin_is_one_time_and_audited(secretary, secretary_client, member):
    page = secretary_client.get(url(User, "password_change", member.pk))
    assert page.status_code == 200
    assert 'name="usable_password"' not in page.content.decode()

    before = AuditEntry.objects.count()
    password = "Chosen-by-sec-2011"
    response = secretary_client.post(
        url(User, "password_change", member.pk), {"password1": password, "password2": password}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.password.startswith("pbkdf2_onetime$")
    assert member.must_change_password and member.check_password(password)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.object_id) == (secretary, "重置密码", str(member.pk))
    assert password not in f"{entry.detail} {entry.object_repr}"

    # Signing in as that person opens only the "change your password" page: no vote, nothing.
    client = Client()
    response = client.post(reverse("login"), {"username": member.username, "password": password})
    assert response.status_code == 302
    for path in (reverse("home"), reverse("campaign:round_vote", args=[1])):
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, path
            assert response["Location"] == reverse("password_change")


def test_the_admin_cannot_disable_a_password_or_skip_it(secretary_client, member):
    hashed = member.password
    response = secretary_client.post(
        url(User, "password_change", member.pk), {"usable_password": "false", "unset-password": "1"}
    )
    assert response.status_code == 200  # the form asks for the password again
    member.refresh_from_db()
    assert member.password == hashed and member.has_usable_password()


def test_the_secretary_changes_her_own_password_on_her_own_page(secretary, secretary_client):
    hashed = secretary.password
    response = secretary_client.post(
        url(User, "password_change", secretary.pk),
        {"password1": "Another-pass-2011", "password2": "Another-pass-2011"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    secretary.refresh_from_db()
    assert secretary.password == hashed and not secretary.must_change_password


def test_a_leaders_responsibilities_are_shown_not_edited(branch, secretary_client):
    leader = make_person(branch, (Role.LEADER, Role.MEMBER))
    responsibility = make_responsibility(leader)
    page = secretary_client.get(url(User, "change", leader.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert responsibility.business_area in html
    assert 'name="responsibilities-0-title"' not in html
