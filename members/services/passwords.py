"""One-time passwords: made for a new or reset account, shown once, changed at first sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config import signin

from .. import audit, otp
from ..models import User


def generate_one_time_password() -> str:
    """Easy to read out and type: `k7mw-3prt-9zqa-h2ve` (see members/otp.py)."""
    return otp.generate()


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
    """Someone else sets this person's password: it only opens the "change your password" page.

    It also lifts a sign-in lockout: the person is to sign in with the new password at once.
    """
    person_check_own_password(person=person, by=by)
    person.password = hash_one_time_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    if signin.lockout_ends(person.username) is not None:
        detail = "；".join(filter(None, [detail, "已解除登录锁定"]))
    signin.unlock(person.username)
    audit.record(by=by, action=_("重置密码"), obj=person, detail=detail)


@transaction.atomic
def person_unlock(*, person: User, by: User) -> None:
    """Lift the lockout after repeated wrong passwords, so the person may try again at once."""
    ends = signin.lockout_ends(person.username)
    if ends is None:
        raise ValidationError(
            _("%(name)s 的账号没有被锁定，不需要解锁。") % {"name": person}, code="not_locked"
        )
    signin.unlock(person.username)
    audit.record(
        by=by,
        action=_("解除登录锁定"),
        obj=person,
        detail=f"原定 {timezone.localtime(ends):%Y-%m-%d %H:%M} 自动解除",
    )


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
