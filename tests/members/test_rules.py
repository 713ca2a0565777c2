"""Rules with one home in members: each is checked where it lives, and its users agree with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from members import imports
from members.forms import PersonForm
from members.models import Role, User
from members.rules import require_same_branch
from members.services import default_roles_for, person_check_own_access
from members.validators import is_phone, phone_validator
from tests.factories import make_branch

PHONES = ["13912345678", "19900000000", "12912345678", "1391234567", "139123456789", "l3912345678"]


@pytest.mark.parametrize("phone", PHONES)
def test_the_phone_rule_is_the_same_for_the_model_and_the_import(phone):
    try:
        phone_validator(phone)
        model_accepts = True
    except ValidationError:
        model_accepts = False
    assert model_accepts == is_phone(phone)
    row, errors = imports._phone(phone)
    assert row == phone and (not errors) == model_accepts


@pytest.mark.parametrize("status", [s for s, _label in User.PoliticalStatus.choices])
def test_party_status_decides_default_role_and_joining_date_alike(status, branch):
    party = status in User.PARTY_STATUSES
    assert User(political_status=status).is_party_member == party
    assert default_roles_for(status) == ({Role.MEMBER} if party else {Role.STAFF})
    form = PersonForm(
        {
            "full_name": "甲",
            "username": "jia",
            "political_status": status,
            "joined_party_on": "2005-07-01",
            "roles": [Role.STAFF],
        },
        branch=branch,
    )
    assert form.is_valid() == party


def test_one_branch_check(branch):
    other = make_branch()
    person = User(branch=branch)
    require_same_branch(user=person, branch=branch)
    require_same_branch(user=None, branch=other)  # the system acts for every branch
    with pytest.raises(ValidationError) as refused:
        require_same_branch(user=person, branch=other)
    assert refused.value.code == "other_branch"


def test_own_access_refusals_name_their_field(secretary):
    with pytest.raises(ValidationError) as refused:
        person_check_own_access(person=secretary, by=secretary, roles=[Role.MEMBER])
    assert refused.value.error_dict["roles"][0].code == "own_role"
    with pytest.raises(ValidationError) as refused:
        person_check_own_access(person=secretary, by=secretary, active=False)
    assert refused.value.error_dict["is_active"][0].code == "own_account"
