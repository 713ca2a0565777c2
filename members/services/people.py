"""People: create, edit, (de)activate and import accounts, with their roles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit, imports
from ..models import Branch, Department, Role, User
from .passwords import Credential, generate_one_time_password, hash_one_time_password


def default_roles_for(political_status: str) -> set[str]:
    return {Role.MEMBER} if political_status in User.PARTY_STATUSES else {Role.STAFF}


def set_roles(*, person: User, roles: Iterable[str]) -> None:
    """Give `person` exactly these role groups; the admin (is_staff) follows the secretary role."""
    person.groups.set(Group.objects.filter(name__in=set(roles)))
    person.is_staff = Role.SECRETARY in set(roles)
    person.save(update_fields=["is_staff"])
    person.__dict__.pop("role_names", None)


@transaction.atomic
def person_create(
    *, branch: Branch, data: dict[str, Any], roles: Iterable[str] | None = None, by: User
) -> tuple[User, Credential]:
    """Create a person with a one-time password that must be changed at first sign-in."""
    password = generate_one_time_password()
    user = User(branch=branch, must_change_password=True, **data)
    user.password = hash_one_time_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    set_roles(person=user, roles=roles or default_roles_for(user.political_status))
    credential = Credential(
        user.full_name, user.username, password, user.department.name if user.department else ""
    )
    audit.record(by=by, action=_("添加人员"), obj=user)
    return user, credential


def person_check_own_access(
    *, person: User, by: User, roles: Iterable[str] | None = None, active: bool | None = None
) -> None:
    """Nobody locks themselves out: a secretary keeps her own secretary role and her account.

    The one home of this rule: the people pages and the admin's person form call it before they
    write. The refusal names the form field it is about (`roles`, `is_active`).
    """
    if person.pk != by.pk:
        return
    if roles is not None and Role.SECRETARY in by.role_names and Role.SECRETARY not in set(roles):
        raise ValidationError(
            {"roles": ValidationError(_("不能取消自己的支部书记角色。"), code="own_role")}
        )
    if active is False:
        raise ValidationError(
            {"is_active": ValidationError(_("不能停用自己的账号。"), code="own_account")}
        )


@transaction.atomic
def person_update(*, person: User, data: dict[str, Any], roles: Iterable[str], by: User) -> User:
    roles = set(roles)
    person_check_own_access(person=person, by=by, roles=roles)
    before = set(person.role_names)
    changed = [f for f, v in data.items() if getattr(person, f) != v]
    for field, value in data.items():
        setattr(person, field, value)
    person.full_clean(exclude=["password"])
    person.save()
    set_roles(person=person, roles=roles)
    detail = "修改字段：" + "、".join(str(User._meta.get_field(f).verbose_name) for f in changed)
    if set(roles) != before:
        labels = dict(Role.choices)
        detail += "；角色改为：" + "、".join(str(labels[r]) for r in sorted(roles))
    audit.record(by=by, action=_("编辑人员"), obj=person, detail=detail)
    return person


@transaction.atomic
def person_set_active(*, person: User, active: bool, by: User) -> User:
    """Deactivation keeps every record; the person can no longer sign in."""
    person_check_own_access(person=person, by=by, active=active)
    person.is_active = active
    person.save(update_fields=["is_active"])
    audit.record(by=by, action=_("恢复账号") if active else _("停用账号"), obj=person)
    return person


def department_get_or_create_many(*, branch: Branch, names: Iterable[str]) -> dict[str, Department]:
    wanted = {n for n in names if n}
    existing = {d.name: d for d in Department.objects.filter(branch=branch, name__in=wanted)}
    missing = [Department(branch=branch, name=n) for n in sorted(wanted - existing.keys())]
    Department.objects.bulk_create(missing)
    existing.update({d.name: d for d in missing})  # bulk_create sets pks on SQLite and PostgreSQL
    return existing


def _create_people(
    *, branch: Branch, rows: Sequence[dict[str, Any]], departments: dict[str, Department]
) -> list[Credential]:
    """One account per validated row, with a one-time password: bulk inserts, no audit."""
    credentials: list[Credential] = []
    users: list[User] = []
    for row in rows:
        password = generate_one_time_password()
        dept = departments.get(row["department"])
        users.append(
            User(
                branch=branch,
                username=row["employee_no"],
                employee_no=row["employee_no"],
                full_name=row["full_name"],
                gender=row["gender"],
                department=dept,
                position=row["position"],
                phone=row["phone"],
                political_status=row["political_status"],
                joined_party_on=row["joined_party_on"],
                must_change_password=True,
                password=hash_one_time_password(password),
            )
        )
        credentials.append(
            Credential(row["full_name"], row["employee_no"], password, row["department"])
        )
    if not users:
        return credentials
    User.objects.bulk_create(users, batch_size=500)
    created = {
        u.username: u.pk
        for u in User.objects.filter(username__in=[u.username for u in users]).only("username")
    }
    groups = {g.name: g.pk for g in Group.objects.all()}
    through = User.groups.through
    links = [
        through(user_id=created[user.username], group_id=groups[role])
        for user, row in zip(users, rows, strict=True)
        for role in (row["roles"] or default_roles_for(user.political_status))
    ]
    through.objects.bulk_create(links, batch_size=1000)
    return credentials


@transaction.atomic
def people_import(*, branch: Branch, rows: Sequence[dict[str, Any]], by: User) -> list[Credential]:
    """Create one account per validated row (see members/imports.py) in one transaction."""
    departments = department_get_or_create_many(
        branch=branch, names=(row["department"] for row in rows)
    )
    credentials = _create_people(branch=branch, rows=rows, departments=departments)
    audit.record(by=by, action=_("批量导入人员"), detail=f"导入 {len(credentials)} 人")
    return credentials


STALE_PREVIEW = "stale_preview"


@transaction.atomic
def people_import_update(
    *, branch: Branch, rows: list[dict[str, Any]], expected: str, by: User
) -> tuple[imports.UpdatePlan, list[Credential]]:
    """Apply an update-mode import (imports.plan_update) exactly as its preview showed it.

    `rows` come from validate(update=True) and `expected` is the digest of the plan the secretary
    confirmed: if the people changed since (someone edited a person, a 工号 was taken), nothing is
    saved and the refusal asks for a new preview. New rows become accounts with one-time
    passwords; changed people get the changed fields only (never roles, password or is_active);
    people the file does not name are left alone. Audited: one summary entry, and one entry per
    changed person naming the fields.
    """
    plan = imports.plan_update(branch=branch, rows=rows, lock=True)
    if plan.digest != expected or imports.new_rows_taken(plan.new):
        raise ValidationError(
            _("预览之后人员资料有了变动，本次更新没有保存。请重新上传文件，核对新的预览后再确认。"),
            code=STALE_PREVIEW,
        )
    departments = department_get_or_create_many(
        branch=branch,
        names=[row["department"] for row in plan.new] + [c.row["department"] for c in plan.changed],
    )
    fields: set[str] = set()
    for change in plan.changed:
        for item in change.changes:
            value = change.row[item.field]
            if item.field == "department":
                value = departments[value]
            setattr(change.person, item.field, value)
            fields.add(item.field)
    if plan.changed:
        User.objects.bulk_update([c.person for c in plan.changed], sorted(fields), batch_size=500)
    credentials = _create_people(branch=branch, rows=plan.new, departments=departments)
    audit.record(
        by=by,
        action=_("按名单更新人员"),
        detail=_(
            "新增 %(new)s 人，更新 %(changed)s 人，资料未变 %(unchanged)s 人；"
            "名单中没有的 %(untouched)s 人保持不变"
        )
        % {
            "new": len(plan.new),
            "changed": len(plan.changed),
            "unchanged": len(plan.unchanged),
            "untouched": plan.untouched,
        },
    )
    audit.record_many(
        by=by,
        action=_("按名单更新人员资料"),
        entries=[
            (
                change.person,
                "修改字段："
                + "、".join(
                    str(User._meta.get_field(f.field).verbose_name) for f in change.changes
                ),
            )
            for change in plan.changed
        ],
    )
    return plan, credentials
