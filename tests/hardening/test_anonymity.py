"""The anonymity helper finds every kind of leak, and 群众评议 ballots pass it."""

from __future__ import annotations

import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import NoReverseMatch, reverse

from members import audit
from members.models import Department, Responsibility

from .anonymity import assert_untraceable


def test_a_clean_anonymous_action_passes(member, branch):
    assert_untraceable(member, lambda: Department.objects.create(branch=branch, name="匿名意见箱"))


def test_an_audit_entry_naming_the_author_is_caught(member):
    with pytest.raises(AssertionError, match="audit entry written as the evaluator"):
        assert_untraceable(member, lambda: audit.record(actor=member, action="投票"))


def test_an_audit_entry_about_the_author_is_caught(member, secretary):
    with pytest.raises(AssertionError, match="names the evaluator|refers to the evaluator"):
        assert_untraceable(member, lambda: audit.record(actor=secretary, action="评议", obj=member))


def test_a_row_with_the_authors_name_is_caught(member, branch):
    with pytest.raises(AssertionError, match="names the evaluator"):
        assert_untraceable(
            member, lambda: Department.objects.create(branch=branch, name=f"{member.full_name}的票")
        )


def test_a_foreign_key_to_the_author_is_caught(member, leader):
    # Responsibility.leader is a foreign key to the user: the shape of a ballot with a voter column.
    with pytest.raises(AssertionError, match="points to the evaluator"):
        assert_untraceable(
            leader,
            lambda: Responsibility.objects.create(
                leader=leader, title="x", business_area="x", party_duty="x"
            ),
        )


def test_a_hash_of_the_author_is_caught(member, branch):
    import hashlib

    digest = hashlib.sha256(member.username.encode()).hexdigest()[:50]
    with pytest.raises(AssertionError, match="names the evaluator"):
        assert_untraceable(
            member,
            lambda: Department.objects.create(
                branch=branch, name=hashlib.sha256(member.username.encode()).hexdigest()[:50]
            ),
            extra_identifiers=[digest],
        )


def test_a_log_line_naming_the_author_is_caught(member):
    def action():
        logging.getLogger("campaign.evaluation").debug("ballot cast by %s", member.username)

    with pytest.raises(AssertionError, match="log record names the evaluator"):
        assert_untraceable(member, action)


def test_rows_in_order_next_to_a_row_naming_the_author_are_caught(member, leader, branch):
    def action():
        # A turnout-like row naming the person and a ballot-like row with a counter id.
        Responsibility.objects.create(
            leader=leader, title="已投票", business_area="x", party_duty="x"
        )
        Department.objects.create(branch=branch, name="一张选票")

    with pytest.raises(AssertionError, match="order of creation"):
        assert_untraceable(leader, action, allowed_tables={"members_responsibility"})


def test_the_authors_session_holding_the_anonymous_row_is_caught(member, branch):
    def action():
        dept = Department.objects.create(
            branch=branch, name="这是一张匿名选票的内容很长很长很长很长"
        )
        session = SessionStore()
        session["_auth_user_id"] = str(member.pk)
        session["my_ballot"] = dept.name
        session.save()

    with pytest.raises(AssertionError, match="holds anonymous values"):
        assert_untraceable(member, action, allow_order=True)


def test_an_export_naming_the_author_is_caught(member, secretary, branch, secretary_client):
    with pytest.raises(AssertionError, match="page /members/audit/ names the evaluator"):
        assert_untraceable(
            member,
            lambda: audit.record(actor=secretary, action="导出", detail=f"含 {member.full_name}"),
            admin_client=secretary_client,
            pages=[reverse("members:audit_log")],
        )


# --- The real thing: a 群众评议 ballot cast through its page -----------------------------------


def test_casting_a_ballot_leaves_no_trace_of_the_evaluator(
    branch, secretary, leader, member, staff, member_client, secretary_client
):
    factories = pytest.importorskip("tests.campaign.factories")
    try:
        reverse("campaign:ballot_cast", kwargs={"subject_pk": 1})
    except NoReverseMatch:
        pytest.skip("the campaign app has no ballot page yet")
    from campaign.models import Ballot, EvaluationTurnout

    campaign = factories.make_campaign(secretary)
    round_ = factories.make_round(campaign, secretary)
    turnout = EvaluationTurnout.objects.filter(round=round_, evaluator=member).select_related(
        "subject"
    )[0]
    subject = turnout.subject
    levels = factories.all_levels(subject)
    url = reverse("campaign:ballot_cast", kwargs={"subject_pk": subject.pk})
    form = member_client.get(url)
    assert form.status_code == 200
    data = {f"item_{pk}": level for pk, level in levels.items()}

    response = assert_untraceable(
        member,
        lambda: member_client.post(url, data),
        allowed_tables={EvaluationTurnout._meta.db_table},
        admin_client=secretary_client,
        # Pages that must never name an evaluator (round_detail may show turnout: allowed).
        pages=[
            reverse("campaign:round_results", kwargs={"pk": round_.pk}),
            reverse("members:audit_log"),
        ],
        session_key=member_client.session.session_key,
        ip="127.0.0.1",
    )
    assert response.status_code == 302, "the ballot was not accepted: check the form field names"
    assert Ballot.objects.filter(subject=subject).count() == 1
    turnout.refresh_from_db()
    assert turnout.has_voted
