"""A `next` parameter only ever leads back into the site (config.views.safe_next)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from campaign.models import Pledge
from config.views import safe_next
from tests.campaign.factories import make_campaign, make_pledge

S = Pledge.Status
EXTERNAL = [
    "https://evil.example/",
    "http://evil.example/campaign/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    " https://evil.example/",
]


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.mark.parametrize("target", EXTERNAL)
@pytest.mark.parametrize(
    ("step", "status"), [("pledge_approve", S.SUBMITTED), ("pledge_publish", S.APPROVED)]
)
def test_an_external_next_goes_to_the_pledge_instead(
    secretary_client, campaign, member, step, status, target
):
    pledge = make_pledge(campaign, member, status=status)
    url = reverse(f"campaign:{step}", args=[pledge.pk])
    response = secretary_client.post(url, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == pledge.get_absolute_url()
    pledge.refresh_from_db()
    assert pledge.status != status  # the step itself was done


def test_a_local_next_is_kept(secretary_client, campaign, member):
    pledge = make_pledge(campaign, member, status=S.SUBMITTED)
    queue = reverse("campaign:pledge_queue") + "?status=submitted&page=2"
    url = reverse("campaign:pledge_approve", args=[pledge.pk])
    response = secretary_client.post(url, {"next": queue})
    assert response.status_code == 302 and response["Location"] == queue


def test_no_next_goes_to_the_fallback(secretary_client, campaign, member):
    pledge = make_pledge(campaign, member, status=S.SUBMITTED)
    response = secretary_client.post(reverse("campaign:pledge_approve", args=[pledge.pk]))
    assert response["Location"] == pledge.get_absolute_url()


def test_safe_next_reads_post_then_get_and_checks_host_and_scheme():
    factory = RequestFactory()
    assert safe_next(factory.get("/x/", {"next": "/campaign/"}), "/home/") == "/campaign/"
    assert safe_next(factory.post("/x/?next=/a/", {"next": "/b/"}), "/home/") == "/b/"
    assert safe_next(factory.get("/x/", {"next": "http://testserver/ok/"}), "/") == (
        "http://testserver/ok/"
    )
    for target in EXTERNAL:
        assert safe_next(factory.get("/x/", {"next": target}), "/home/") == "/home/"
    # On an https page, a plain-http URL of our own host is refused too.
    secure = factory.get("/x/", {"next": "http://testserver/ok/"}, secure=True)
    assert safe_next(secure, "/home/") == "/home/"
