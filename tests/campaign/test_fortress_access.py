"""Who may do what with the 战斗堡垒 records: the predicates of campaign/rules_fortress.py per role,
and the access helpers of campaign/access_fortress.py (outside the branch: 404; a role that may
not: 403, or 404 where the object itself is not for that person)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from campaign import access_fortress as access
from campaign import rules_fortress as rules
from campaign import services
from members.models import Role
from tests.factories import make_branch, make_person

from .factories import (
    make_campaign,
    make_deed,
    make_holder,
    make_measure,
    make_post,
    make_problem,
    make_rectification,
    make_saving,
)

ROLES = ("secretary", "leader", "member", "staff", "outsider", "anonymous")


@pytest.fixture
def world(branch, secretary, leader, member, staff):
    campaign = make_campaign(secretary)
    post = make_post(branch, secretary, name="药品配送岗")
    make_holder(post, member, secretary)
    other_leader = make_person(branch, (Role.LEADER, Role.MEMBER), full_name="张副总")
    item = make_rectification(campaign, secretary, leader)
    people = {
        "secretary": secretary,
        "leader": leader,
        "member": member,
        "staff": staff,
        "anonymous": AnonymousUser(),
    }
    outsider_branch = make_branch()
    people["outsider"] = make_person(
        outsider_branch, (Role.SECRETARY, Role.MEMBER), username="other_secretary"
    )
    return {
        "campaign": campaign,
        "post": post,
        "item": item,
        "measure": make_measure(item, leader, member),
        "other_leader": other_leader,
        "people": people,
        "branch": branch,
    }


def answers(world, predicate) -> dict[str, bool]:
    return {role: bool(predicate(world["people"][role])) for role in ROLES}


def test_who_manages_reads_and_sees_internals(world):
    branch_id = world["branch"].pk
    assert answers(world, lambda u: rules.manages_fortress(u, branch_id)) == {
        "secretary": True,
        "leader": False,
        "member": False,
        "staff": False,
        "outsider": False,
        "anonymous": False,
    }
    assert answers(world, lambda u: rules.reads_fortress(u, branch_id)) == {
        "secretary": True,
        "leader": True,
        "member": True,
        "staff": True,
        "outsider": False,
        "anonymous": False,
    }
    assert answers(world, lambda u: rules.sees_internals(u, branch_id)) == {
        "secretary": True,
        "leader": True,
        "member": False,
        "staff": False,
        "outsider": False,
        "anonymous": False,
    }


def test_who_records_a_deed_on_the_post(world):
    post, branch_id = world["post"], world["branch"].pk
    assert answers(world, lambda u: rules.may_record_deed(u, branch_id=branch_id, post=post)) == {
        "secretary": True,
        "leader": False,  # a leader records deeds only on a post he or she holds
        "member": True,  # holds the post
        "staff": False,
        "outsider": False,
        "anonymous": False,
    }
    assert rules.may_record_deed(world["people"]["secretary"], branch_id=branch_id, post=None)
    assert not rules.may_record_deed(world["people"]["member"], branch_id=branch_id, post=None)


def test_who_updates_measures_and_reads_an_items_internals(world):
    item = world["item"]
    assert answers(world, lambda u: rules.may_update_measures(u, item)) == {
        "secretary": True,
        "leader": True,  # the responsible leader
        "member": False,
        "staff": False,
        "outsider": False,
        "anonymous": False,
    }
    assert not rules.may_update_measures(world["other_leader"], item)
    assert rules.sees_rectification_internals(world["other_leader"], item)
    assert answers(world, lambda u: rules.sees_rectification_internals(u, item)) == {
        "secretary": True,
        "leader": True,
        "member": False,
        "staff": False,
        "outsider": False,
        "anonymous": False,
    }


def test_an_inactive_person_may_do_nothing(world, secretary):
    secretary.is_active = False
    assert not rules.manages_fortress(secretary, world["branch"].pk)
    assert not rules.reads_fortress(secretary, world["branch"].pk)


# --- The access helpers ---------------------------------------------------------------------------


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def outcome(call) -> str:
    try:
        call()
    except Http404:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


def helper_outcomes(world, helper, pk) -> dict[str, str]:
    return {
        role: outcome(lambda r=role: helper(request_as(world["people"][r]), pk))
        for role in ("secretary", "leader", "member", "staff", "outsider")
    }


def test_posts_and_public_items_are_read_by_the_branch_only(world):
    for helper, pk in (
        (access.get_post_for_user, world["post"].pk),
        (access.get_rectification_for_user, world["item"].pk),
    ):
        assert helper_outcomes(world, helper, pk) == {
            "secretary": "ok",
            "leader": "ok",
            "member": "ok",
            "staff": "ok",
            "outsider": "404",
        }
    assert helper_outcomes(world, access.get_managed_post_for_user, world["post"].pk) == {
        "secretary": "ok",
        "leader": "403",
        "member": "403",
        "staff": "403",
        "outsider": "404",
    }


def test_problems_and_savings_are_for_the_secretary_and_leaders(world, secretary):
    problem = make_problem(world["campaign"], secretary, title="另一个问题")
    saving = make_saving(world["campaign"], secretary, post=world["post"])
    for helper, pk in (
        (access.get_problem_for_user, problem.pk),
        (access.get_saving_for_user, saving.pk),
    ):
        assert helper_outcomes(world, helper, pk) == {
            "secretary": "ok",
            "leader": "ok",
            "member": "403",
            "staff": "403",
            "outsider": "404",
        }


def test_measures_are_not_found_by_who_reads_only_the_public_face(world):
    pk = world["measure"].pk
    assert helper_outcomes(world, access.get_measure_for_user, pk) == {
        "secretary": "ok",
        "leader": "ok",
        "member": "404",
        "staff": "404",
        "outsider": "404",
    }
    other = request_as(world["other_leader"])
    assert outcome(lambda: access.get_updatable_measure_for_user(other, pk)) == "403"


def test_a_deed_waiting_for_confirmation_is_not_found_by_staff(world, secretary, member):
    deed = make_deed(world["campaign"], member, member, post=world["post"])
    assert helper_outcomes(world, access.get_deed_for_user, deed.pk) == {
        "secretary": "ok",
        "leader": "ok",
        "member": "ok",  # the author
        "staff": "404",
        "outsider": "404",
    }
    services.deed_confirm(deed=deed, by=secretary)
    services.deed_publicize(deed=deed, publicized=True, by=secretary)
    assert helper_outcomes(world, access.get_deed_for_user, deed.pk)["staff"] == "ok"
