"""Every hostile payload through the feedback handling forms (issue 13).

The module-wide hostile suite (test_hostile_text.py) fills forms that post to the page they are
on; the handling actions of a feedback item post to their own URLs (受理, 不予采纳, 答复, 内部备注,
公示内容, 列入整改, 办结, 评价). Here every payload goes through each of them, and then every page
that shows what they stored is read as every role and checked for live markup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from campaign import services
from campaign.models import Feedback
from members.models import Role
from tests.campaign.factories import make_campaign, make_measure, make_rectification
from tests.factories import make_person

from .formfill import check_response
from .payloads import PAYLOADS

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _post(client: Client, name: str, item: Feedback, data: dict, problems: list[str]) -> None:
    url = reverse(f"campaign:feedback_{name}", args=[item.pk])
    response = client.post(url, data)
    check_response(response, f"{name} {data!r:.60}", problems)
    assert response.status_code in (200, 302), (name, response.status_code)


def test_the_handling_forms_take_every_payload(
    branch, secretary, leader, secretary_client, leader_client, member_client, staff_client
):
    campaign = make_campaign(secretary)
    rectification = make_rectification(campaign, secretary, leader)
    problems: list[str] = []
    sender = make_person(branch, (Role.STAFF,))
    sender_client = Client()
    sender_client.force_login(sender)
    items = []
    for n, payload in enumerate(PAYLOADS):
        item, _code = services.feedback_send(
            branch=branch,
            by=sender,
            identity=("real", "handlers")[n % 2],
            # (sent through the service: a request's NUL bytes are stripped by the middleware)
            data={
                "kind": "complaint",
                "category": "canteen",
                "text": payload.replace("\x00", "")[:2000] or "空",
            },
        )
        items.append(item)
        _post(secretary_client, "note", item, {"note": payload}, problems)
        _post(secretary_client, "redact", item, {"public_text": payload}, problems)
        if n % 4 == 0:
            _post(secretary_client, "decline", item, {"reason": payload[:300]}, problems)
            continue
        _post(secretary_client, "accept", item, {"handler": leader.pk}, problems)
        _post(leader_client, "reply", item, {"reply": payload}, problems)
        if n % 4 == 1:
            _post(leader_client, "close", item, {"reply": payload}, problems)
        elif n % 4 == 2:
            new = {
                "title": payload[:100],
                "public_description": payload,
                "responsible": leader.pk,
                "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
            }
            _post(secretary_client, "rectify", item, new, problems)
        else:
            _post(secretary_client, "rectify", item, {"rectification": rectification.pk}, problems)
    # The shared rectification fixed: its items wait for a verdict, with the payload.
    measure = make_measure(rectification, secretary, leader)
    services.measure_progress(measure=measure, percent=100, evidence_note="已完成", by=leader)
    services.rectification_report_fixed(rectification=rectification, on=TODAY, by=leader)
    for n, item in enumerate(items):
        item.refresh_from_db()
        if item.status == Feedback.Status.FIXED:
            data = {"level": "unsatisfied", "comment": PAYLOADS[n][:300] or "不满意"}
            _post(sender_client, "rate", item, data, problems)

    saved = Feedback.objects.exclude(public_reply="").count()
    assert saved >= len(PAYLOADS) // 2, "most replies should be stored"
    pages = [
        reverse("campaign:feedback_list"),
        reverse("campaign:feedback_list") + "?page=2",
        reverse("campaign:feedback_board"),
        reverse("campaign:feedback_board") + "?page=2",
        reverse("campaign:feedback_satisfaction"),
        reverse("campaign:feedback_mine"),
        reverse("campaign:rectification_list"),
        rectification.get_absolute_url(),
    ]
    readers = {
        "secretary": secretary_client,
        "leader": leader_client,
        "member": member_client,
        "staff": staff_client,
        "sender": sender_client,
    }
    for who, client in readers.items():
        for url in pages + [item.get_absolute_url() for item in items]:
            check_response(client.get(url), f"{who} GET {url}", problems)
    assert not problems, "\n".join(problems[:20])
