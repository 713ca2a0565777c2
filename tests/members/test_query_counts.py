"""List pages run the same number of queries for 1 and for 30 people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import audit
from members.models import Role
from tests.factories import make_department, make_person, make_responsibility

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url_name, client_fixture",
    [
        ("members:person_list", "secretary_client"),
        ("members:directory", "member_client"),
        ("members:leadership", "staff_client"),
        ("members:audit_log", "secretary_client"),
    ],
)
def test_list_pages_query_count_does_not_grow(url_name, client_fixture, request, branch, settings):
    settings.PAGE_SIZE = 50
    client = request.getfixturevalue(client_fixture)
    url = reverse(url_name)
    dept = make_department(branch, "配送部")
    first = make_person(branch, (Role.LEADER, Role.MEMBER), department=dept)
    make_responsibility(first)
    audit.record(by=first, action="编辑人员", obj=first)  # one row on every list
    client.get(url)  # warm-up: the first request of a client also checks for the first run
    small = count_queries(client, url)
    for i in range(29):
        roles = (Role.LEADER, Role.MEMBER) if i % 3 else (Role.STAFF,)
        person = make_person(branch, roles, department=make_department(branch))
        make_responsibility(person, title=f"职务{i}")
    for person in list(branch.people.all()[:30]):
        audit.record(by=person, action="编辑人员", obj=person)
    large = count_queries(client, url)
    assert small == large
