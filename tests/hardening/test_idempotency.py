"""Submitting a create form twice (double click, back and resubmit) creates one record."""

from __future__ import annotations

import re
import threading

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from config import idempotency
from members.models import Responsibility, User


def token_on(page) -> str:
    match = re.search(r'name="_once" value="([^"]+)"', page.content.decode())
    assert match, "the form carries no one-time token"
    return match.group(1)


def responsibility(leader, token: str, **extra) -> dict:
    data = {"leader": leader.pk, "title": "书记", "business_area": "党建", "party_duty": "全面"}
    return {**data, "order": 1, "_once": token, **extra}


def test_posting_the_same_responsibility_form_twice_creates_one(secretary_client, leader):
    url = reverse("members:responsibility_create")
    token = token_on(secretary_client.get(url))
    first = secretary_client.post(url, responsibility(leader, token))
    second = secretary_client.post(url, responsibility(leader, token))
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Responsibility.objects.count() == 1
    notes = [str(m) for m in get_messages(second.wsgi_request)]
    assert any("已经提交过" in n for n in notes)


def test_posting_the_same_person_form_twice_creates_one(secretary_client):
    url = reverse("members:person_create")
    token = token_on(secretary_client.get(url))
    data = {
        "full_name": "重复点击",
        "username": "chongfu",
        "political_status": "masses",
        "roles": ["staff"],
        "_once": token,
    }
    before = User.objects.count()
    first = secretary_client.post(url, data)
    second = secretary_client.post(url, data)
    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert User.objects.count() == before + 1


def test_each_page_view_gets_its_own_token_and_two_forms_make_two_records(secretary_client, leader):
    url = reverse("members:responsibility_create")
    one, two = token_on(secretary_client.get(url)), token_on(secretary_client.get(url))
    assert one != two
    secretary_client.post(url, responsibility(leader, one))
    secretary_client.post(url, responsibility(leader, two, title="副书记"))
    assert Responsibility.objects.count() == 2


def test_a_form_returned_with_errors_keeps_its_token_usable(secretary_client, leader):
    url = reverse("members:responsibility_create")
    token = token_on(secretary_client.get(url))
    bad = secretary_client.post(url, responsibility(leader, token, title=""))
    assert bad.status_code == 200 and Responsibility.objects.count() == 0
    assert token_on(bad) == token, "the corrected form must be sendable"
    good = secretary_client.post(url, responsibility(leader, token))
    assert good.status_code == 302 and Responsibility.objects.count() == 1


def test_a_post_without_or_with_a_junk_token_is_handled_as_before(secretary_client, leader):
    url = reverse("members:responsibility_create")
    for token in ("", "<script>", "short"):
        assert secretary_client.post(url, responsibility(leader, token)).status_code == 302
    assert Responsibility.objects.count() == 3


def test_tokens_are_per_session(secretary_client, client, secretary, leader):
    url = reverse("members:responsibility_create")
    token = token_on(secretary_client.get(url))
    secretary_client.post(url, responsibility(leader, token))
    client.force_login(secretary)  # another browser of the same person
    client.post(url, responsibility(leader, token))
    assert Responsibility.objects.count() == 2


def test_a_copy_arriving_while_the_first_is_still_saving_waits_for_its_result(
    secretary_client, leader
):
    url = reverse("members:responsibility_create")
    token = token_on(secretary_client.get(url))
    session_key = secretary_client.session.session_key
    key = f"once:{session_key}:{token}"
    assert cache.add(key, idempotency.PENDING)  # the first copy is being saved right now
    timer = threading.Timer(0.2, lambda: cache.set(key, "/members/leadership/"))
    timer.start()
    response = secretary_client.post(url, responsibility(leader, token))
    timer.join()
    assert response.status_code == 302 and response["Location"] == "/members/leadership/"
    assert Responsibility.objects.count() == 0, "the second copy saved again"
    cache.delete(key)


def test_a_stored_offsite_url_is_never_followed(rf, secretary):
    request = rf.get("/")
    request.user = secretary
    request.session = {}
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    response = idempotency._duplicate(request, "https://evil.example/")
    assert response["Location"] == "/"
