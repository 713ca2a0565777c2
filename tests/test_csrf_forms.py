"""Every form that posts carries its CSRF token.

The Django test client does not check CSRF, so a form rendered without `{% csrf_token %}` passes
every other test and fails in a browser (403 "页面已过期"). The usual cause: a partial included
with `only`, which drops the context processors' `csrf_token`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from campaign.models import Deed, Feedback
from members.models import User

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INCLUDE = re.compile(r'\{%\s*include\s+"([^"]+)"(.*?)%\}', re.S)
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_no_partial_with_a_form_is_included_without_the_token():
    with_token = {
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if "csrf_token" in p.read_text()
    }
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in INCLUDE.finditer(text):
            name, rest = match.group(1), match.group(2).strip()
            if name in with_token and rest.endswith("only") and "csrf_token=" not in rest:
                line = text[: match.start()].count("\n") + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line} includes {name} with only")
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_action_forms_of_a_page_carry_the_token():
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="secretary"))
    item = Feedback.objects.filter(status="new").order_by("id").first()
    deed = Deed.objects.filter(status="submitted").first()
    pages = [item.get_absolute_url(), deed.get_absolute_url()]
    for url in pages:
        html = client.get(url).content.decode()
        forms = POST_FORM.findall(html)
        assert forms, url
        for body in forms:
            assert 'name="csrfmiddlewaretoken"' in body, f"{url}: a form without its token"
    # And the token works: 受理 through the page's own form.
    html = client.get(item.get_absolute_url()).content.decode()
    accept = next(b for b in POST_FORM.findall(html) if 'name="handler"' in b)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', accept).group(1)
    leader = User.objects.get(username="leader")
    url = reverse("campaign:feedback_accept", args=[item.pk])
    response = client.post(url, {"csrfmiddlewaretoken": token, "handler": leader.pk})
    assert response.status_code == 302
