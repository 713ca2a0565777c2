"""seed_scale's 服务群众 (issue 13): its sizes in proportion, and every row as the services would
leave it (identity modes, status and fields, items following their rectification item, verdicts,
handlers' notes, 关爱慰问, audit entries); the pages answer with the demo's number of queries.
A company of 60 in a file of its own, seeded once for the module."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign import scale_feedback
from campaign import selectors_handling as handling
from campaign.models import (
    CareVisit,
    Feedback,
    FeedbackNote,
    IllnessReport,
    Rectification,
    SatisfactionRating,
)
from members.hooks import Scale
from members.models import AuditEntry, Role, User
from members.scale import sqlite_database

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

PEOPLE = 60
SIZES = scale_feedback.sizes(Scale.sized(people=PEOPLE, password_hash="", rng=None))
F = Feedback.Status
R = Rectification.Status
PAGES = [
    ("campaign:feedback_list", Role.SECRETARY),
    ("campaign:feedback_board", Role.STAFF),
    ("campaign:feedback_satisfaction", Role.STAFF),
]


@pytest.fixture(scope="module")
def scale_file(tmp_path_factory, django_db_setup, django_db_blocker):
    path = tmp_path_factory.mktemp("feedback") / "scale.sqlite3"
    with django_db_blocker.unblock():
        call_command(
            "seed_scale",
            database_path=path,
            people=PEOPLE,
            password="Scale-pass-2011",
            verbosity=0,
        )
    return path


@pytest.fixture
def db_alias(scale_file, django_db_blocker):
    with django_db_blocker.unblock(), sqlite_database(scale_file) as alias:
        yield alias


def test_the_sizes_are_in_proportion(db_alias):
    assert SIZES["feedback"] == 40 and SIZES["linked"] == 10 and SIZES["ratings"] == 14
    items = Feedback.objects.all()
    assert items.count() == SIZES["feedback"]
    assert items.filter(status=F.NEW).count() == SIZES["new"]
    assert items.with_flags().filter(late_accept=True).count() == SIZES["late"]
    assert items.filter(status=F.ACCEPTED).count() == SIZES["accepted"]
    assert items.filter(status=F.DUPLICATE).count() == SIZES["duplicate"]
    assert items.filter(status=F.DECLINED, rectification=None).count() == SIZES["declined"]
    assert items.exclude(rectification=None).count() == SIZES["linked"]
    assert SatisfactionRating.objects.count() == SIZES["ratings"]
    assert FeedbackNote.objects.count() == SIZES["notes"]
    assert CareVisit.objects.count() == SIZES["visits"]
    assert IllnessReport.objects.count() == SIZES["reports"]
    assert IllnessReport.objects.late().count() == SIZES["reports_late"]
    assert IllnessReport.objects.filter(closed=True).count() == SIZES["reports_closed"]
    assert set(items.values_list("status", flat=True)) == set(F.values)
    assert set(items.values_list("identity", flat=True)) == set(Feedback.Identity.values)
    full = scale_feedback.sizes(Scale(password_hash="", rng=None))
    assert full == scale_feedback.FULL_SIZES


def test_identity_modes_and_the_fields_each_status_needs(db_alias):
    today = timezone.localdate()
    people = set(User.objects.values_list("pk", flat=True))
    handlers = set(User.objects.with_role(Role.LEADER).values_list("pk", flat=True))
    handlers |= set(User.objects.with_role(Role.SECRETARY).values_list("pk", flat=True))
    for item in Feedback.objects.all():
        if item.identity == Feedback.Identity.NONE:
            assert item.sender_id is None and len(item.receipt_digest) == 64
            assert item.submitted_on < today  # released the day after it was sent
        else:
            assert item.sender_id in people and item.receipt_digest is None
        assert item.public_text == item.text and item.submitted_on <= today
        accepted = item.handler_id is not None
        assert accepted == (item.accepted_on is not None)
        if accepted:
            assert item.handler_id in handlers
            assert item.submitted_on <= item.accepted_on <= today
        closed = item.status in (F.CLOSED, F.DECLINED, F.DUPLICATE)
        assert closed == (item.closed_on is not None)
        if closed:
            assert (item.accepted_on or item.submitted_on) <= item.closed_on <= today
        assert (item.status == F.DECLINED) == bool(item.declined_reason)
        assert (item.status == F.DUPLICATE) == (item.duplicate_of_id is not None)
        if item.status in (F.NEW, F.DUPLICATE):
            assert not accepted and not item.public_reply and item.rectification_id is None
        if item.status in (F.ACCEPTED, F.RECTIFYING, F.FIXED, F.CLOSED):
            assert accepted
        if item.status == F.DUPLICATE:
            assert item.duplicate_of.status != F.DUPLICATE
        if item.status == F.CLOSED and item.rectification_id is None:
            assert item.public_reply  # feedback_close: the answer is required
    assert Feedback.objects.filter(status=F.DECLINED, handler=None).exists()
    assert Feedback.objects.filter(status=F.DECLINED).exclude(handler=None).exists()


def test_linked_items_follow_their_rectification_item(db_alias):
    linked = Feedback.objects.exclude(rectification=None).select_related("rectification")
    for item in linked:
        rectification = item.rectification
        if rectification.status in Rectification.FIXED_STATUSES:
            assert item.status in (F.FIXED, F.CLOSED)
        elif rectification.status in Rectification.OPEN_STATUSES:
            assert item.status == F.RECTIFYING
        else:
            assert item.status == F.DECLINED
            assert item.declined_reason.startswith("整改事项不予整改：")
        assert item.accepted_on <= timezone.localdate()
    assert not linked.filter(kind=Feedback.Kind.PRAISE).exists()
    unlinked = Feedback.objects.filter(rectification=None)
    assert not unlinked.filter(status__in=[F.RECTIFYING, F.FIXED]).exists()
    assert {F.RECTIFYING, F.FIXED, F.CLOSED} <= set(linked.values_list("status", flat=True))


def test_verdicts_are_on_fixed_items_numbered_and_ending_as_the_status_says(db_alias):
    today = timezone.localdate()
    rated = Feedback.objects.annotate(n=Count("ratings")).filter(n__gt=0)
    assert rated.exists() and rated.filter(n__gte=2).exists()
    for item in rated.select_related("rectification"):
        assert item.rectification.status in Rectification.FIXED_STATUSES
        assert item.status in (F.FIXED, F.CLOSED)
        ratings = list(item.ratings.order_by("attempt"))
        assert [r.attempt for r in ratings] == list(range(1, len(ratings) + 1))
        days = [r.rated_on for r in ratings]
        assert days == sorted(days) and item.accepted_on <= days[0] and days[-1] <= today
        earlier = ratings if item.status == F.FIXED else ratings[:-1]
        for verdict in earlier:
            assert verdict.level == SatisfactionRating.Level.UNSATISFIED and verdict.comment
            assert verdict.rated_on <= item.rectification.fixed_on
        assert item.rectification.reopen_reason.startswith("群众评价不满意：") or not earlier
        if item.status == F.CLOSED:
            assert ratings[-1].level in SatisfactionRating.SATISFIED_LEVELS
            assert ratings[-1].rated_on == item.closed_on
            assert ratings[-1].rated_on >= item.rectification.fixed_on
    on_fixed = Feedback.objects.filter(rectification__status__in=Rectification.FIXED_STATUSES)
    closed = on_fixed.filter(status=F.CLOSED)
    assert not closed.annotate(n=Count("ratings")).filter(n=0).exists()
    branch_id = Feedback.objects.first().branch_id
    overall = handling.satisfaction(branch_id=branch_id)["overall"][0]
    assert overall.rated == rated.count() and overall.satisfied == closed.count()


def test_notes_are_the_handlers_while_they_handled_the_item(db_alias):
    today = timezone.localdate()
    secretaries = set(User.objects.with_role(Role.SECRETARY).values_list("pk", flat=True))
    for note in FeedbackNote.objects.select_related("feedback"):
        item = note.feedback
        assert note.author_id == item.handler_id or note.author_id in secretaries
        day = timezone.localdate(note.created_at)
        assert item.accepted_on <= day <= (item.closed_on or today)


def test_care_visits_and_reports(db_alias):
    today = timezone.localdate()
    for visit in CareVisit.objects.annotate(n=Count("visitors")):
        assert 1 <= visit.n <= 3 and visit.visited_on <= today
        assert visit.amount is None or visit.amount > 0
        assert visit.follow_up_on is None or visit.follow_up_on >= visit.visited_on
        assert visit.recorded_by.has_role(Role.LEADER)
    assert CareVisit.objects.exclude(amount=None).exists()
    for report in IllnessReport.objects.select_related("visit"):
        assert report.reported_by_id != report.person_id and report.reported_on <= today
        if report.visit:
            assert report.visit.person_id == report.person_id
            assert report.visit.reason == CareVisit.Reason.HOSPITAL
            assert report.reported_on <= report.visit.visited_on
            assert report.created_at <= report.visit.created_at == report.updated_at
            assert not report.closed
        assert report.closed == bool(report.close_reason)
    answering = CareVisit.objects.annotate(n=Count("reports")).filter(n__gt=0)
    assert not answering.filter(n__gt=1).exists()
    unanswered = sum(SIZES[k] for k in ("reports_closed", "reports_late", "reports_waiting"))
    answered = IllnessReport.objects.exclude(visit=None).count()
    assert answered == SIZES["reports"] - unanswered > SIZES["reports"] // 2


def test_the_audit_trail_names_no_sender_and_leaves_verdicts_out(db_alias):
    entries = AuditEntry.objects.filter(object_type="群众意见")
    actions = set(entries.values_list("action", flat=True))
    assert actions == {
        "受理意见",
        "不予采纳意见",
        "标记重复意见",
        "答复意见",
        "办结意见",
        "意见列入整改",
    }
    accepted = Feedback.objects.exclude(accepted_on=None)
    assert entries.filter(action="受理意见").count() == accepted.count()
    assert entries.filter(action="意见列入整改").count() == SIZES["linked"]
    assert not AuditEntry.objects.filter(action__contains="评价").exists()
    officers = User.objects.filter(
        Q(groups__name=Role.SECRETARY) | Q(groups__name=Role.LEADER)
    ).values_list("pk", flat=True)
    assert not entries.exclude(actor__in=list(officers)).exists()
    anonymous = Feedback.objects.filter(identity=Feedback.Identity.NONE)
    ids = [str(pk) for pk in anonymous.values_list("pk", flat=True)]
    assert entries.filter(object_id__in=ids).exists()
    for entry in entries.filter(object_id__in=ids):
        assert entry.actor.has_role(Role.SECRETARY) or entry.actor.has_role(Role.LEADER)
    visits = AuditEntry.objects.filter(action="登记关爱慰问")
    assert visits.count() == SIZES["visits"]
    assert visits.filter(detail__contains="答复住院报告").count() == (
        IllnessReport.objects.exclude(visit=None).count()
    )
    closed = AuditEntry.objects.filter(action="关闭住院报告").count()
    assert closed == SIZES["reports_closed"]
    assert not AuditEntry.objects.filter(created_at__gt=timezone.now()).exists()


def test_the_database_constraints_hold(db_alias, scale_file):
    for model in (Feedback, SatisfactionRating, FeedbackNote, CareVisit, IllnessReport):
        for row in model.objects.all():
            row.full_clean()
    with sqlite3.connect(scale_file) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _counts(conn) -> dict[str, tuple[int, int]]:
    """Each page's status and SQL queries as its role (the sign-ins of seed_scale or seed_demo):
    asked twice, counted once, as scripts/bench/probe.py counts them."""
    users = {
        Role.SECRETARY: User.objects.get(username__in=["sec", "secretary"]),
        Role.STAFF: User.objects.get(username="staff"),
    }
    out = {}
    for name, role in PAGES:
        client = Client()
        client.force_login(users[role])
        client.get(reverse(name))
        with CaptureQueriesContext(conn) as captured:
            response = client.get(reverse(name))
        out[name] = (response.status_code, len(captured.captured_queries))
    return out


@pytest.mark.django_db
def test_the_pages_answer_with_the_demos_number_of_queries(scale_file, django_db_blocker):
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    demo = _counts(connection)
    with django_db_blocker.unblock(), sqlite_database(scale_file) as alias:
        scale = _counts(connections[alias])
    assert all(status == 200 for status, _n in demo.values()), demo
    assert scale == demo
    assert all(n <= 12 for _status, n in scale.values()), scale
