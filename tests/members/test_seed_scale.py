"""manage.py seed_scale: a small company in its own SQLite file, stored as the services store it.

The command runs once per module (60 people, every other size in proportion) into a file of its
own; the tests open that file under the command's alias (members.scale.sqlite_database), which
also sends the queries that name no database there.
"""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign import sealing
from campaign.models import (
    Ballot,
    BallotMark,
    Campaign,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    Pledge,
    satisfaction_rate,
)
from members.hooks import Scale
from members.models import AuditEntry, Branch, Department, Role, User
from members.scale import sqlite_database
from reading.models import Comment, Like, ReadingActivity, Reflection, Revision

PEOPLE = 60
PASSWORD = "Scale-pass-2011"
SIZES = Scale.sized(people=PEOPLE, password_hash="", rng=None)


def _seed(path, **options):
    call_command(
        "seed_scale", database_path=path, people=PEOPLE, password=PASSWORD, verbosity=0, **options
    )


@pytest.fixture(scope="module")
def scale_file(tmp_path_factory, django_db_setup, django_db_blocker):
    path = tmp_path_factory.mktemp("scale") / "scale.sqlite3"
    with django_db_blocker.unblock():
        _seed(path)
    return path


@pytest.fixture
def scale_db(scale_file, django_db_blocker):
    with django_db_blocker.unblock(), sqlite_database(scale_file) as alias:
        yield alias


def test_the_company_and_its_sign_ins(scale_db):
    people = User.objects.using(scale_db)
    assert people.count() == PEOPLE
    assert User.objects.count() == PEOPLE  # a query naming no database goes there too
    assert people.with_role(Role.MEMBER).count() == SIZES.party_members
    assert Department.objects.using(scale_db).count() == SIZES.departments
    assert {p.branch_id for p in people} == {people.first().branch_id}
    for username, role in [
        ("sec", Role.SECRETARY),
        ("leader", Role.LEADER),
        ("member", Role.MEMBER),
        ("staff", Role.STAFF),
    ]:
        person = people.get(username=username)
        assert person.check_password(PASSWORD)
        assert person.has_role(role)
        assert not person.must_change_password
    assert people.get(username="staff").role_names == {Role.STAFF}
    # One password hash for all: one make_password call, not 60.
    assert people.values("password").distinct().count() == 1
    names = list(people.values_list("full_name", flat=True))
    assert all(name and not name.isascii() for name in names)


def test_rows_keep_their_own_dates_and_auto_dates_are_switched_back(scale_db):
    posts = Reflection.objects.using(scale_db).select_related("activity")
    assert posts.count() == SIZES.reflections
    for post in posts:
        posted_on = timezone.localdate(post.created_at)
        assert post.activity.discuss_start <= posted_on <= post.activity.discuss_end
        assert post.created_at <= post.updated_at <= timezone.now()
    assert posts.filter(created_at__lt=timezone.now() - dt.timedelta(days=365)).exists()
    assert Reflection._meta.get_field("created_at").auto_now_add
    assert Reflection._meta.get_field("updated_at").auto_now


def test_the_last_campaign_runs_today_with_one_round_open(scale_db):
    campaigns = Campaign.objects.using(scale_db).order_by("starts_on")
    assert [c.status for c in campaigns] == ["finished", "finished", "active"]
    running = campaigns.last()
    assert running.starts_on <= timezone.localdate() <= running.ends_on
    assert running.current_phase.starts_on <= timezone.localdate() <= running.current_phase.ends_on
    rounds = EvaluationRound.objects.using(scale_db)
    assert rounds.count() == 6
    assert list(rounds.filter(status="open")) == [running.rounds.order_by("starts_on").last()]
    pledges = Pledge.objects.using(scale_db)
    assert not pledges.filter(campaign__status="finished").exclude(status="judged").exists()
    assert pledges.filter(campaign=running, status="published").exists()
    assert not pledges.filter(status="judged", verdict="").exists()
    assert not pledges.filter(status__in=["published", "judged"], published_on=None).exists()
    assert not pledges.filter(status__in=["approved", "published"], approved_by=None).exists()


def test_evaluation_counters_equal_a_recount_of_the_ballots(scale_db):
    satisfied = Q(ballots__marks__level__in=BallotMark.SATISFIED_LEVELS)
    subjects = EvaluationSubject.objects.using(scale_db).select_related("round")
    counted = subjects.annotate(
        n_ballots=Count("ballots", distinct=True),
        n_marks=Count("ballots__marks"),
        n_satisfied=Count("ballots__marks", filter=satisfied),
    )
    assert counted.filter(round__status="closed", ballot_count__gt=0).exists()
    for s in counted:
        assert (s.ballot_count, s.mark_count, s.satisfied_count) == (
            s.n_ballots,
            s.n_marks,
            s.n_satisfied,
        )
        assert s.satisfaction == satisfaction_rate(s.n_satisfied, s.n_marks)
        assert s.needs_rectification == (
            s.has_enough_ballots
            and s.satisfaction is not None
            and s.satisfaction < s.round.threshold
        )


def test_ballots_and_sealed_votes_are_stored_as_the_services_store_them(scale_db):
    turnout = EvaluationTurnout.objects.using(scale_db)
    # Closed rounds: one ballot per vote cast, no sealed value left, nothing naming a voter.
    for round_ in EvaluationRound.objects.using(scale_db).filter(status="closed"):
        voted = turnout.filter(round=round_, has_voted=True).count()
        assert Ballot.objects.using(scale_db).filter(subject__round=round_).count() == voted
        assert not turnout.filter(round=round_, sealed__isnull=False).exists()
    assert [f.name for f in Ballot._meta.concrete_fields] == ["id", "subject"]
    # The open round: no ballots; each vote sealed on its voter's row, and it opens again.
    open_round = EvaluationRound.objects.using(scale_db).get(status="open")
    assert not Ballot.objects.using(scale_db).filter(subject__round=open_round).exists()
    mine = turnout.filter(round=open_round)
    assert mine.filter(has_voted=True).count() == mine.filter(sealed__isnull=False).count() > 0
    row = mine.filter(sealed__isnull=False).select_related("round", "subject").first()
    levels = sealing.own_vote(row)
    assert len(levels) == len(sealing.items_for(row.subject))
    assert set(levels.values()) <= set(BallotMark.Level.values)


def test_the_forum_has_its_sizes_and_consistent_posts(scale_db):
    activities = ReadingActivity.objects.using(scale_db).order_by("recommend_start")
    assert activities.count() == 6
    assert activities.last().phase == ReadingActivity.Phase.DISCUSS
    assert Comment.objects.using(scale_db).count() == SIZES.comments
    assert Like.objects.using(scale_db).count() == SIZES.likes
    posts = Reflection.objects.using(scale_db).annotate(
        n_comments=Count("comments", distinct=True),
        n_likes=Count("likes", distinct=True),
        late=Count("comments", filter=Q(comments__created_at__lt=F("created_at"))),
    )
    assert sum(p.n_comments for p in posts) == SIZES.comments
    assert not [p for p in posts if p.late], "a comment older than its post"
    assert not [p for p in posts if p.hidden and (p.n_comments or p.n_likes)]
    hidden = Reflection.objects.using(scale_db).filter(hidden=True)
    assert not Revision.objects.using(scale_db).filter(reflection__in=hidden, sealed=False).exists()
    assert not hidden.filter(hidden_reason="").exists()


def test_the_audit_trail_has_the_services_entries(scale_db):
    entries = AuditEntry.objects.using(scale_db)
    actions = set(entries.values_list("action", flat=True))
    assert {
        "亮诺",
        "审核通过公开承诺",
        "领导点评",
        "结束群众评议",
        "选定读书书目",
        "设为精华",
    } <= actions
    assert not entries.filter(actor=None).exists()
    assert not entries.filter(object_id="None").exists()
    assert entries.filter(created_at__lt=timezone.now() - dt.timedelta(days=365)).exists()


def test_pages_open_on_the_seeded_database(scale_db):
    sec = User.objects.using(scale_db).get(username="sec")
    client = Client()
    client.force_login(sec)
    activity = ReadingActivity.objects.using(scale_db).order_by("recommend_start").last()
    closed = EvaluationRound.objects.using(scale_db).filter(status="closed").first()
    for url in [
        reverse("home"),
        reverse("campaign:pledge_wall"),
        reverse("campaign:review_list"),
        reverse("campaign:round_results", args=[closed.pk]),
        reverse("reading:reflection_list", args=[activity.pk]),
        reverse("members:audit_log"),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_project_database_is_not_touched(scale_file):
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_refuses_a_database_with_data_unless_reset(scale_file, django_db_blocker, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(scale_file.read_bytes())
    with django_db_blocker.unblock():
        with pytest.raises(CommandError, match="已有数据"):
            _seed(copy)
        _seed(copy, reset=True)
        # Emptied and filled again: the same seed gives the same company.
        assert _names(copy) == _names(scale_file)


def test_reset_empties_no_database_but_its_own(scale_file, django_db_blocker, tmp_path):
    other = tmp_path / "other.sqlite3"
    other.write_bytes(scale_file.read_bytes())
    with django_db_blocker.unblock():
        with sqlite_database(other) as alias:
            Branch.objects.using(alias).update(name="另一个党支部")
        with pytest.raises(CommandError, match="不是 seed_scale 生成的"):
            _seed(other, reset=True)
        with sqlite_database(other) as alias:
            assert User.objects.using(alias).count() == PEOPLE


def _names(path):
    with sqlite_database(path) as alias:
        return list(User.objects.using(alias).order_by("pk").values_list("full_name", flat=True))


def test_refuses_too_few_people_and_a_weak_password(tmp_path):
    with pytest.raises(CommandError):
        call_command("seed_scale", database_path=tmp_path / "x.sqlite3", people=5, verbosity=0)
    with pytest.raises(CommandError, match="密码"):
        call_command(
            "seed_scale", database_path=tmp_path / "x.sqlite3", password="123", verbosity=0
        )


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: the statistics after a bulk load",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_has_the_planners_statistics_after_the_load():
    """Where autovacuum is off (or has not come round yet) the planner would plan the forum's
    search without statistics; seed_scale runs ANALYZE after loading, as after any bulk load."""
    call_command("seed_scale", people=20, password=PASSWORD, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL"
            " AND relname IN ('reading_reflection', 'reading_comment', 'members_user')"
        )
        assert cursor.fetchall() == []
