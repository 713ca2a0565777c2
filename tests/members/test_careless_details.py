"""Issue 9, point 9 (shared): no mention of features that do not exist, 您 throughout, 请选择 in
select boxes, and filter forms collapsed on a phone unless a filter is set."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from campaign.models import Pledge
from tests.campaign.factories import make_campaign

ROOT = Path(settings.BASE_DIR)
# Book titles and what members write in the demo story are theirs, not the app's voice.
ALLOWED_NI = ("你在为谁工作",)


def test_the_audit_log_does_not_mention_anonymous_opinions(secretary_client):
    html = secretary_client.get(reverse("members:audit_log")).content.decode()
    assert "匿名意见" not in html and "群众评议是匿名的" in html


def _ui_sources() -> list[Path]:
    files = list((ROOT / "templates").rglob("*.html")) + list(
        (ROOT / "static" / "js").rglob("*.js")
    )
    for app in ("config", "members", "campaign", "reading"):
        files += [
            p
            for p in (ROOT / app).rglob("*.py")
            if "migrations" not in p.parts and p.name != "demo.py"
        ]
    return files


def test_the_app_says_nin_not_ni():
    offenders = []
    for path in _ui_sources():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            text = line
            for allowed in ALLOWED_NI:
                text = text.replace(allowed, "")
            if "你" in text:
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_select_boxes_say_please_choose(secretary, secretary_client, leader_client):
    campaign = make_campaign(secretary)
    pages = [
        (secretary_client, reverse("members:person_create")),
        (secretary_client, reverse("campaign:pledge_create") + "?scope=branch"),
        (leader_client, reverse("campaign:pledge_create") + "?scope=team"),
        (secretary_client, reverse("campaign:pledge_queue")),
        (secretary_client, reverse("members:person_list")),
        (secretary_client, reverse("campaign:review_list")),
    ]
    assert campaign.pledges.filter(scope=Pledge.Scope.BRANCH).count() == 0
    for client, url in pages:
        html = client.get(url).content.decode()
        assert "---------" not in html, url


def test_filter_forms_collapse_on_phones_unless_a_filter_is_set(secretary_client):
    url = reverse("members:person_list")
    html = secretary_client.get(url).content.decode()
    assert 'data-bs-target="#filter-form"' in html
    assert re.search(r'class="collapse d-md-block"\s+id="filter-form"', html)
    assert 'aria-expanded="false"' in html
    filtered = secretary_client.get(url, {"q": "张"}).content.decode()
    assert re.search(r'class="collapse d-md-block show"\s+id="filter-form"', filtered)
    assert "筛选（已设置）" in filtered
    # Only paging is no filter.
    paged = secretary_client.get(url, {"page": "1", "q": " "}).content.decode()
    assert re.search(r'class="collapse d-md-block"\s+id="filter-form"', paged)
