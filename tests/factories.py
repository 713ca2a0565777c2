"""Plain factory functions: one place that knows how to make a valid row."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import Group

from members.models import Branch, Department, Responsibility, Role, User

_seq = itertools.count(1)
PASSWORD = "Test-pass-2011"


def make_branch(**kwargs: Any) -> Branch:
    n = next(_seq)
    return Branch.objects.create(**{"name": f"测试党支部{n}", "parent_org": "测试党委", **kwargs})


def make_department(branch: Branch, name: str | None = None) -> Department:
    return Department.objects.create(branch=branch, name=name or f"部门{next(_seq)}")


def make_person(branch: Branch, roles: tuple[str, ...] = (Role.MEMBER,), **kwargs: Any) -> User:
    n = next(_seq)
    party = Role.MEMBER in roles
    defaults: dict[str, Any] = {
        "username": f"user{n}",
        "full_name": f"测试人员{n}",
        "employee_no": f"T{n:05d}",
        "phone": f"138{n:08d}",
        "political_status": User.PoliticalStatus.PARTY_MEMBER
        if party
        else User.PoliticalStatus.MASSES,
        "branch": branch,
        "is_staff": Role.SECRETARY in roles,
    }
    defaults.update(kwargs)
    user = User(**defaults)
    user.set_password(PASSWORD)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def make_responsibility(leader: User, **kwargs: Any) -> Responsibility:
    defaults = {
        "title": "总经理",
        "business_area": "经营管理",
        "party_duty": "一岗双责",
        "order": 1,
    }
    return Responsibility.objects.create(leader=leader, **{**defaults, **kwargs})
