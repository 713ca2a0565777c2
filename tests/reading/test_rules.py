"""The reading predicates agree with the one query they stand for."""

import pytest

from members.models import Role, User
from reading.rules import is_participant
from tests.factories import make_branch, make_person

from .factories import make_activity

pytestmark = pytest.mark.django_db


def test_is_participant_says_what_party_members_says(branch):
    activity = make_activity(branch)
    other = make_branch()
    people = [
        make_person(branch, (Role.MEMBER,)),
        make_person(branch, (Role.LEADER, Role.MEMBER)),
        make_person(branch, (Role.SECRETARY, Role.MEMBER)),
        make_person(branch, (Role.LEADER,)),
        make_person(branch, (Role.STAFF,)),
        make_person(branch, (Role.MEMBER,), is_active=False),
        make_person(other, (Role.MEMBER,)),
    ]
    members = set(User.objects.party_members(branch).values_list("pk", flat=True))
    for person in people:
        assert is_participant(activity, person) == (person.pk in members), person.full_name
    assert len(members & {p.pk for p in people}) == 3
