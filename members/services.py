"""Writes that touch several rows: setup, people, roles, passwords. Views and admin call these."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import Branch, Department, Responsibility, Role, User

# No 0/O, 1/l/I: the secretary reads these passwords out or prints them.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_one_time_password(length: int = 12) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def hash_one_time_password(raw: str) -> str:
    return make_password(raw, hasher="pbkdf2_onetime")


@dataclass(frozen=True)
class Credential:
    """A one-time password to hand to a person; never stored in clear beyond the session."""

    full_name: str
    username: str
    password: str
    department: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "full_name": self.full_name,
            "username": self.username,
            "password": self.password,
            "department": self.department,
        }


def default_roles_for(political_status: str) -> set[str]:
    party = {User.PoliticalStatus.PARTY_MEMBER, User.PoliticalStatus.PROBATIONARY}
    return {Role.MEMBER} if political_status in party else {Role.STAFF}


def _set_roles(user: User, roles: Iterable[str]) -> None:
    user.groups.set(Group.objects.filter(name__in=set(roles)))
    user.is_staff = Role.SECRETARY in set(roles)  # the admin is the secretary's
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_names", None)


@transaction.atomic
def branch_setup(
    *, branch_name: str, parent_org: str, full_name: str, username: str, password: str
) -> User:
    """First run: create the branch and the secretary's account."""
    if User.objects.exists():
        raise ValidationError(_("系统已经初始化，不能重复设置。"))
    branch = Branch.objects.create(name=branch_name, parent_org=parent_org)
    user = User(
        branch=branch,
        username=username,
        full_name=full_name,
        political_status=User.PoliticalStatus.PARTY_MEMBER,
    )
    user.set_password(password)
    user.save()
    _set_roles(user, {Role.SECRETARY, Role.MEMBER})
    return user


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
    _set_roles(user, roles or default_roles_for(user.political_status))
    credential = Credential(
        user.full_name, user.username, password, user.department.name if user.department else ""
    )
    audit.record(by=by, action=_("添加人员"), obj=user)
    return user, credential


def person_check_own_access(
    *, person: User, by: User, roles: Iterable[str] | None = None, active: bool | None = None
) -> None:
    """Nobody locks themselves out: a secretary keeps her own secretary role and her account.

    The people pages and the admin's person form both call this before they write.
    """
    if person.pk != by.pk:
        return
    if roles is not None and Role.SECRETARY in by.role_names and Role.SECRETARY not in set(roles):
        raise ValidationError(_("不能取消自己的支部书记角色。"), code="own_role")
    if active is False:
        raise ValidationError(_("不能停用自己的账号。"), code="own_account")


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
    _set_roles(person, roles)
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


def _set_one_time_password(*, person: User, password: str, by: User, detail: str = "") -> None:
    """Someone else sets this person's password: it only opens the "change your password" page."""
    if person.pk == by.pk:
        raise ValidationError(_("请通过“修改密码”更改自己的密码。"))
    person.password = hash_one_time_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    audit.record(by=by, action=_("重置密码"), obj=person, detail=detail)


@transaction.atomic
def person_reset_password(*, person: User, by: User) -> Credential:
    password = generate_one_time_password()
    _set_one_time_password(person=person, password=password, by=by)
    dept = person.department.name if person.department_id else ""
    return Credential(person.full_name, person.username, password, dept)


@transaction.atomic
def person_set_password(*, person: User, password: str, by: User) -> None:
    """The admin's password form: the secretary typed the password, still one-time and audited."""
    _set_one_time_password(
        person=person, password=password, by=by, detail="在管理后台设置的一次性密码"
    )


def department_get_or_create_many(*, branch: Branch, names: Iterable[str]) -> dict[str, Department]:
    wanted = {n for n in names if n}
    existing = {d.name: d for d in Department.objects.filter(branch=branch, name__in=wanted)}
    missing = [Department(branch=branch, name=n) for n in sorted(wanted - existing.keys())]
    Department.objects.bulk_create(missing)
    existing.update({d.name: d for d in missing})  # bulk_create sets pks on SQLite and PostgreSQL
    return existing


@transaction.atomic
def people_import(*, branch: Branch, rows: Sequence[dict[str, Any]], by: User) -> list[Credential]:
    """Create one account per validated row (see members/imports.py) in one transaction."""
    departments = department_get_or_create_many(
        branch=branch, names=(row["department"] for row in rows)
    )
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
    audit.record(by=by, action=_("批量导入人员"), detail=f"导入 {len(users)} 人")
    return credentials


@transaction.atomic
def responsibility_save(*, responsibility: Responsibility, by: User) -> Responsibility:
    created = responsibility.pk is None
    responsibility.full_clean()
    responsibility.save()
    audit.record(by=by, action=_("添加分工") if created else _("编辑分工"), obj=responsibility)
    return responsibility


@transaction.atomic
def responsibility_delete(*, responsibility: Responsibility, by: User) -> None:
    audit.record(by=by, action=_("删除分工"), obj=responsibility)
    responsibility.delete()
