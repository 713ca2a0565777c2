"""Accessibility: axe-core finds no serious or critical violation and no heading level is skipped.

Every role walks a representative set of pages of the demo (seed_demo) plus an open 群众评议 round,
at 1280 px and at 390 px. axe-core is bundled by axe-playwright-python: nothing is fetched at run
time. One browser and one page per role keep the run short.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from campaign.models import (
    Campaign,
    CareVisit,
    Decision,
    Deed,
    EvaluationRound,
    Feedback,
    IllnessReport,
    Measure,
    Nomination,
    Pledge,
    Rectification,
    VanguardPost,
)
from members.models import User
from reading.models import ReadingActivity, Reflection
from tests.browser import accessibility_problems
from tests.campaign.factories import make_round
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Demo-pass-2011"
WIDTHS = (1280, 390)
# Pages every role sees, then each page once, for the role that sees its richest variant.
COMMON = [
    ("home", None),
    ("campaign:my_campaign", None),
    ("campaign:pledge_wall", None),
]
BY_ROLE = {
    "staff": [
        ("campaign:round_vote", "open_round"),
        ("campaign:honour_list", None),
        ("reading:activity_detail", "activity"),
        ("reading:reflection_list", "activity_pk"),
        ("reading:reflection_detail", "reflection"),
        ("members:directory", None),
        ("campaign:post_list", None),
        ("campaign:post_detail", "post"),
        ("campaign:rectification_list", None),
        ("campaign:rectification_detail", "rectification"),
        ("campaign:feedback_send", "branch"),
        ("campaign:feedback_track", None),
        ("campaign:feedback_mine", None),
        ("campaign:feedback_detail", "own_feedback"),
        ("campaign:feedback_board", None),
        ("campaign:feedback_satisfaction", None),
        ("campaign:care_report_create", None),
    ],
    "member": [
        ("campaign:pledge_detail", "pledge"),
        ("campaign:pledge_create", None),
        ("reading:progress_list", "activity_pk"),
        ("reading:reflection_showcase", "activity_pk"),
        ("reading:recommendation_list", "activity_pk"),
        ("reading:reflection_create", "activity_pk"),
        ("password_change", None),
        ("campaign:deed_list", None),
        ("campaign:deed_create", None),
    ],
    "leader": [
        ("campaign:review_list", None),
        ("campaign:review_create", None),
        ("members:leadership", None),
        ("campaign:saving_summary", None),
        ("campaign:decision_list", None),
        ("campaign:measure_progress", "measure"),
        ("campaign:feedback_list", None),
        ("campaign:feedback_detail", "rectifying_feedback"),
        ("campaign:care_visit_list", None),
        ("campaign:care_report_list", None),
    ],
    "secretary": [
        ("campaign:campaign_detail", "campaign"),
        ("campaign:pledge_queue", None),
        ("campaign:review_coverage", None),
        ("campaign:round_detail", "open_round"),
        ("campaign:round_results", "closed_round"),
        ("campaign:nomination_list", None),
        ("campaign:nomination_detail", "nomination"),
        ("campaign:standard_list", None),
        ("members:person_list", None),
        ("members:person_detail", "person"),
        ("members:person_create", None),
        ("members:audit_log", None),
        ("reading:activity_stats", "activity"),
        ("reading:purchase_list", "activity_pk"),
        ("reading:comment_list", "activity_pk"),
        ("campaign:post_detail", "post"),
        ("campaign:post_review", "post"),
        ("campaign:deed_detail", "deed"),
        ("campaign:saving_list", None),
        ("campaign:problem_list", None),
        ("campaign:rectification_list", None),
        ("campaign:rectification_detail", "rectification"),
        ("campaign:decision_detail", "decision"),
        ("campaign:integrity_list", None),
        ("campaign:feedback_list", None),
        ("campaign:feedback_detail", "new_feedback"),
        ("campaign:feedback_poster", None),
        ("campaign:care_visit_detail", "care_visit"),
        ("campaign:care_visit_create", None),
        ("campaign:care_report_visit", "care_report"),
        ("campaign:care_report_close", "care_report"),
    ],
}


def _objects() -> dict[str, dict]:
    """URL kwargs by the name used in the tables above, from the demo's data."""
    campaign = Campaign.objects.get()
    secretary = User.objects.get(username="secretary")
    open_round = make_round(campaign, secretary)
    closed_round = EvaluationRound.objects.get(status=EvaluationRound.Status.CLOSED)
    activity = ReadingActivity.objects.order_by("pk").first()
    pledge = Pledge.objects.filter(status=Pledge.Status.PUBLISHED).order_by("pk").first()
    member = User.objects.get(username="member")
    reflection = Reflection.objects.visible_to(member).order_by("pk").first()
    # 战斗堡垒: a post, a deed, an item still being rectified (with its measures) and a decision.
    leader = User.objects.get(username="leader")
    rectification = Rectification.objects.filter(status=Rectification.Status.IN_PROGRESS).order_by(
        "pk"
    )
    measure = Measure.objects.filter(
        rectification__status=Rectification.Status.IN_PROGRESS,
        rectification__responsible=leader,
    ).order_by("pk")
    return {
        "campaign": {"pk": campaign.pk},
        "pledge": {"pk": pledge.pk},
        "open_round": {"pk": open_round.pk},
        "closed_round": {"pk": closed_round.pk},
        "nomination": {"pk": Nomination.objects.order_by("pk").first().pk},
        "person": {"pk": member.pk},
        "activity": {"pk": activity.pk},
        "activity_pk": {"activity_pk": activity.pk},
        "reflection": {"pk": reflection.pk},
        "post": {"pk": VanguardPost.objects.order_by("pk").first().pk},
        "deed": {"pk": Deed.objects.order_by("pk").first().pk},
        "rectification": {"pk": rectification.first().pk},
        "measure": {"pk": measure.first().pk},
        "decision": {"pk": Decision.objects.order_by("pk").first().pk},
        # Serving the staff: the staff member's own (closed) item; one the secretary has not
        # accepted yet (every action form); one being rectified.
        "branch": {"branch": campaign.branch_id},
        "own_feedback": {"pk": Feedback.objects.filter(sender__username="staff").first().pk},
        "new_feedback": {"pk": Feedback.objects.filter(status="new").order_by("id").first().pk},
        "rectifying_feedback": {"pk": Feedback.objects.get(status="rectifying").pk},
        "care_visit": {"pk": CareVisit.objects.order_by("pk").first().pk},
        "care_report": {
            "pk": IllnessReport.objects.filter(visit__isnull=True, closed=False)
            .order_by("pk")
            .first()
            .pk
        },
    }


def test_the_checks_catch_low_contrast_and_a_skipped_heading(page):
    page.set_content(
        '<html lang="zh-hans"><head><title>t</title></head><body><main><h1>标题</h1>'
        '<h3>跳级</h3><p style="color:#df9999;background:#b71c1c">看不清</p></main></body></html>'
    )
    problems = "\n".join(accessibility_problems(page, "sample"))
    assert "color-contrast (serious)" in problems
    assert "heading skipped h1 → h3 «跳级»" in problems


@pytest.mark.parametrize("role", ["staff", "member", "leader", "secretary"])
def test_pages_have_no_serious_violations(page, live_server, role):
    call_command("seed_demo", password=DEMO_PASSWORD, verbosity=0)
    kwargs = _objects()
    login(page, live_server, User.objects.get(username=role), password=DEMO_PASSWORD)
    problems = []
    for name, key in COMMON + BY_ROLE[role]:
        url = reverse(name, kwargs=kwargs[key] if key else None)
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, f"{role} {url}: {response.status}"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems += accessibility_problems(page, f"{role} {url} @{width}px")
    assert not problems, "\n".join(problems)


def test_the_public_feedback_pages_signed_out(page, live_server):
    """The canteen's QR poster opens these without signing in."""
    call_command("seed_demo", password=DEMO_PASSWORD, verbosity=0)
    branch = Campaign.objects.get().branch_id
    problems = []
    for url in (
        reverse("campaign:feedback_send", args=[branch]),
        reverse("campaign:feedback_track"),
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems += accessibility_problems(page, f"signed out {url} @{width}px")
    assert not problems, "\n".join(problems)
