import os

import pytest
from django.test import Client

from members.models import Role

from .factories import make_branch, make_person

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def branch(db):
    return make_branch(name="国药控股新疆新特参茸药业有限公司党支部")


@pytest.fixture
def secretary(branch):
    return make_person(branch, (Role.SECRETARY, Role.MEMBER), username="secretary", full_name="王书记")


@pytest.fixture
def leader(branch):
    return make_person(branch, (Role.LEADER, Role.MEMBER), username="leader", full_name="李总")


@pytest.fixture
def member(branch):
    return make_person(branch, (Role.MEMBER,), username="member", full_name="陈党员")


@pytest.fixture
def staff(branch):
    return make_person(branch, (Role.STAFF,), username="staff", full_name="王职工")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secretary_client(secretary):
    return _client_for(secretary)


@pytest.fixture
def leader_client(leader):
    return _client_for(leader)


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)


@pytest.fixture
def personas(secretary, leader, member, staff):
    """Clients by role name, anonymous included."""
    return {
        "anonymous": Client(),
        "staff": _client_for(staff),
        "member": _client_for(member),
        "leader": _client_for(leader),
        "secretary": _client_for(secretary),
    }
