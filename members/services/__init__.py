"""Members services: every write of setup, people, roles, passwords and the leadership team.

Views and the admin call these; all take keyword arguments, the actor as `by=`."""

from .leadership import responsibility_delete, responsibility_save
from .passwords import (
    Credential,
    generate_one_time_password,
    hash_one_time_password,
    password_changed,
    person_check_own_password,
    person_reset_password,
    person_set_password,
    person_unlock,
)
from .people import (
    default_roles_for,
    department_get_or_create_many,
    people_import,
    people_import_update,
    person_check_own_access,
    person_create,
    person_set_active,
    person_update,
)
from .setup import branch_setup

__all__ = [
    "Credential",
    "branch_setup",
    "default_roles_for",
    "department_get_or_create_many",
    "generate_one_time_password",
    "hash_one_time_password",
    "password_changed",
    "people_import",
    "people_import_update",
    "person_check_own_access",
    "person_check_own_password",
    "person_create",
    "person_reset_password",
    "person_set_active",
    "person_set_password",
    "person_unlock",
    "person_update",
    "responsibility_delete",
    "responsibility_save",
]
