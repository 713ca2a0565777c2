"""members.backends.RoleBackend: the same permissions as Django's ModelBackend reading the role
groups, in fewer queries per request."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.backends import RoleBackend
from members.models import Role, User
from tests.factories import make_person

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")


@pytest.mark.parametrize(
    "roles",
    [
        (Role.SECRETARY, Role.MEMBER),
        (Role.LEADER, Role.MEMBER),
        (Role.MEMBER,),
        (Role.STAFF,),
        (),
    ],
)
def test_role_permissions_equal_what_the_groups_hold(branch, roles):
    person = make_person(branch, roles)
    from_groups = ModelBackend().get_all_permissions(User.objects.get(pk=person.pk))
    from_roles = RoleBackend().get_all_permissions(RoleBackend().get_user(person.pk))
    assert from_roles == from_groups
    assert bool(from_roles) == bool(roles)


def test_a_deactivated_person_has_no_permissions_and_no_session(branch):
    person = make_person(branch, (Role.SECRETARY,), is_active=False)
    assert RoleBackend().get_user(person.pk) is None
    assert RoleBackend().get_all_permissions(person) == set()


def test_a_signed_in_page_asks_once_for_the_person_and_once_for_the_roles(
    secretary_client, secretary
):
    with CaptureQueriesContext(connection) as ctx:
        assert secretary_client.get(reverse("members:person_list")).status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert sum('FROM "members_user" ' in s and '"members_branch"' in s for s in sqls) >= 1
    assert not [s for s in sqls if "auth_permission" in s]
    assert sum('FROM "members_branch" WHERE' in s for s in sqls) == 0
