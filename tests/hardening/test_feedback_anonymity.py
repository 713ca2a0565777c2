"""完全匿名 feedback (issue 13) against the anonymity helper as strengthened for the ballots: rows,
logs, audit, admin, sessions, and the storage attacks (system columns, physical order, per-person
timestamps), on whichever database the suite runs on (CI runs it on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from campaign import services
from campaign.models import Feedback
from members.models import Role
from tests.factories import PASSWORD, make_person

from .anonymity import assert_storage_unlinkable, assert_untraceable, storage_attacks

N_SENDERS = 30
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def _send_url(branch) -> str:
    return reverse("campaign:feedback_send", args=[branch.pk])


def _data(text: str) -> dict:
    return {"identity": "none", "kind": "complaint", "category": "canteen", "text": text}


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_sender_of_anonymous_feedback_leaves_no_trace(
    branch, staff, staff_client, secretary_client
):
    """The sender is signed in (a session row, a last_login), sends 完全匿名 with a photo, and
    the day's release writes it out: nothing names the sender, in rows, logs, audit, admin."""
    session_key = staff_client.session.session_key
    response = assert_untraceable(
        staff,
        lambda: staff_client.post(_send_url(branch), _data("食堂的菜太咸了")),
        admin_client=secretary_client,
        session_key=session_key,
        ip="127.0.0.1",
    )
    assert response.status_code == 200 and "code" in response.context
    assert_untraceable(
        staff,
        lambda: services.feedback_release(today=TOMORROW),
        admin_client=secretary_client,
        session_key=session_key,
        ip="127.0.0.1",
    )
    item = Feedback.objects.get()
    assert item.sender is None and item.submitted_on == dt.date.today()


def _senders(branch):
    return [make_person(branch, (Role.STAFF,)) for _ in range(N_SENDERS)]


def _truth() -> dict:
    """Who sent each item, read back from its text (only the test knows)."""
    owners = {}
    for item in Feedback.objects.all():
        owners[item.pk.hex] = (int(item.text.split("#")[1]), item.pk.hex)
    return {Feedback: owners}


@pytest.mark.django_db(transaction=True)
def test_anonymous_feedback_cannot_be_linked_to_senders_through_storage(branch, secretary):
    """Thirty staff sign in one after another, each sends 完全匿名 feedback right away, as on a
    real day; the next day the drops are released. Nothing in the database (rowid/ctid, xmin,
    row order, dates) orders or groups the items by sender or by sign-in."""
    for sender in _senders(branch):
        client = Client(REMOTE_ADDR=f"10.9.0.{sender.pk % 250 + 1}")
        response = client.post(
            reverse("login"), {"username": sender.username, "password": PASSWORD}
        )
        assert response.status_code == 302, "sign-in failed"
        response = client.post(_send_url(branch), _data(f"意见 #{sender.pk}# 午饭太凉"))
        assert response.status_code == 200 and "code" in response.context
    assert not Feedback.objects.exists()  # all in the drop box
    assert services.feedback_release(today=TOMORROW) == N_SENDERS
    assert_storage_unlinkable(_truth())


@pytest.mark.django_db(transaction=True)
def test_the_storage_attacks_catch_feedback_written_as_it_is_sent(branch, secretary):
    """The helper's own proof for feedback: items written at once, each in its own transaction
    right after the sender signed in (what the drop box prevents), follow the sign-in order."""
    for sender in _senders(branch):
        Client().post(reverse("login"), {"username": sender.username, "password": PASSWORD})
        with transaction.atomic():
            code = services.receipt_new()
            Feedback.objects.create(
                branch=branch,
                identity="none",
                kind="complaint",
                category="canteen",
                text=f"意见 #{sender.pk}# 午饭太凉",
                submitted_on=dt.date.today(),
                receipt_digest=services.receipt_digest(code),
            )
    problems = storage_attacks(_truth())
    assert any("follows" in p and "last_login" in p for p in problems), problems


@pytest.mark.django_db(transaction=True)
def test_rating_with_the_receipt_code_while_signed_in_leaves_no_trace(
    branch, staff, staff_client, secretary, secretary_client, leader
):
    """The sender is signed in on an office computer and rates the 完全匿名 item with its code:
    nothing of the rating (or the item's reopening) names the person."""
    from tests.campaign.factories import make_campaign, make_measure, make_rectification

    code = staff_client.post(_send_url(branch), _data("食堂的汤太凉")).context["code"]
    services.feedback_release(today=TOMORROW)
    item = services.receipt_lookup(code)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    rectification = make_rectification(make_campaign(secretary), secretary, leader)
    services.feedback_link(items=[item], rectification=rectification, by=secretary)
    measure = make_measure(rectification, secretary, leader)
    services.measure_progress(measure=measure, percent=100, evidence_note="已改", by=leader)
    services.rectification_report_fixed(rectification=rectification, on=dt.date.today(), by=leader)

    track = reverse("campaign:feedback_track")
    response = assert_untraceable(
        staff,
        lambda: staff_client.post(
            track, {"code": code, "level": "unsatisfied", "comment": "汤还是凉的"}
        ),
        admin_client=secretary_client,
        session_key=staff_client.session.session_key,
        ip="127.0.0.1",
        extra_identifiers=[code],
    )
    assert "感谢您的评价" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "rectifying"
