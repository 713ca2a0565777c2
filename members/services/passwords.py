"""One-time passwords: made for a new or reset account, shown once, changed at first sign-in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..models import User

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


def person_check_own_password(*, person: User, by: User) -> None:
    """Nobody sets a one-time password for themselves: their own goes through "修改密码".

    The people pages and the admin's password form both rely on this.
    """
    if person.pk == by.pk:
        raise ValidationError(_("请通过“修改密码”更改自己的密码。"), code="own_password")


def _set_one_time_password(*, person: User, password: str, by: User, detail: str = "") -> None:
    """Someone else sets this person's password: it only opens the "change your password" page."""
    person_check_own_password(person=person, by=by)
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


def password_changed(*, by: User) -> None:
    """The person chose their own password: a one-time password no longer binds them."""
    if by.must_change_password:
        User.objects.filter(pk=by.pk).update(must_change_password=False)
