"""The demo has one time model: the seed report's day is today, whatever day the demo is loaded.

Running phases contain today, finished ones lie in the past, nothing that happened is dated after
today; loading the demo again on a later day moves the dates and duplicates nothing.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaign import models as c
from members.models import User
from reading import models as r

PASSWORD = "Demo-pass-2011"
# A day in each part of the year, one in a leap year's February, one at the year's end.
DAYS = [dt.date(2026, 1, 2), dt.date(2028, 2, 29), dt.date(2027, 5, 16), dt.date(2026, 12, 31)]


def seed_on(day: dt.date) -> None:
    noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    with mock.patch("django.utils.timezone.now", return_value=noon):
        assert timezone.localdate() == day
        call_command("seed_demo", password=PASSWORD, verbosity=0)


def assert_consistent_with(today: dt.date) -> None:
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    campaign = c.Campaign.objects.get(status=c.Campaign.Status.ACTIVE)
    assert campaign.starts_on <= today <= campaign.ends_on
    current = campaign.current_phase
    assert current.starts_on <= today <= current.ends_on
    for phase in campaign.phases.all():
        if phase.order < current.order:
            assert phase.ends_on < today, phase.name  # done
        elif phase.order > current.order:
            assert phase.starts_on > today, phase.name  # still to come
    assert not c.Campaign.objects.filter(status="active", ends_on__lt=today).exists()
    assert not c.Phase.objects.filter(campaign__status="active", ends_on__lt=today).exclude(
        order__lt=current.order
    )

    closed = c.EvaluationRound.objects.filter(status="closed")
    assert closed.exists()
    for round_ in closed:
        assert round_.opened_on <= round_.closed_on < today and round_.ends_on < today
        assert round_.name == f"{round_.starts_on.year}年度群众评议"
    happened = [
        (c.Pledge, "submitted_on"),
        (c.Pledge, "published_on"),
        (c.Pledge, "judged_on"),
        (c.PledgeProgress, "happened_on"),
        (c.LeaderReview, "reviewed_on"),
        (c.Nomination, "recommended_on"),
        (c.Nomination, "reported_on"),
        (c.Honour, "awarded_on"),
        (User, "joined_party_on"),
        (r.Purchase, "purchased_on"),
        (r.Distribution, "issued_on"),
    ]
    for model, field in happened:
        assert model.objects.filter(**{f"{field}__isnull": False}).exists(), (model, field)
        assert not model.objects.filter(**{f"{field}__gt": today}).exists(), (model, field)
    for model, field in [
        (r.ReadingActivity, "selected_at"),
        (r.Distribution, "confirmed_at"),
        (r.Reflection, "created_at"),
        (r.Comment, "created_at"),
    ]:
        assert not model.objects.filter(**{f"{field}__gt": now}).exists(), (model, field)
    # 预备党员 are on probation for a year: joined within the last one.
    for joined in User.objects.filter(political_status="probationary").values_list(
        "joined_party_on", flat=True
    ):
        assert today - dt.timedelta(days=365) < joined <= today

    activity = r.ReadingActivity.objects.get()
    assert activity.phase_on(today) == r.ReadingActivity.Phase.DISCUSS
    assert activity.recommend_start < activity.read_start < activity.discuss_start <= today
    assert activity.selected_at.date() <= activity.read_start
    assert today <= activity.discuss_end
    posted = r.Reflection.objects.values_list("created_at", flat=True)
    assert all(timezone.localtime(t).date() >= activity.discuss_start for t in posted)


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_date_of_the_demo_agrees_with_today(day):
    seed_on(day)
    assert_consistent_with(day)


@pytest.mark.django_db
def test_loading_the_demo_on_a_later_day_moves_it_without_duplicates():
    models = [
        c.Campaign,
        c.Phase,
        c.Pledge,
        c.PledgeProgress,
        c.LeaderReview,
        c.EvaluationRound,
        c.Ballot,
        c.Honour,
        r.ReadingActivity,
        r.Reflection,
        User,
    ]
    seed_on(DAYS[0])
    counts = {model.__name__: model.objects.count() for model in models}
    later = DAYS[0] + dt.timedelta(days=400)  # a year boundary: the names' years change
    seed_on(later)
    assert {model.__name__: model.objects.count() for model in models} == counts
    assert_consistent_with(later)


def test_the_story_today_is_today():
    from members.demo import STORY_TODAY
    from members.hooks import Demo

    today = dt.date(2030, 7, 1)
    now = timezone.make_aware(dt.datetime(2030, 7, 1, 12, 0))
    demo = Demo(password=PASSWORD, story_today=STORY_TODAY, today=today, now=now)
    assert demo.day(STORY_TODAY) == today
    assert demo.day("2011-05-15") == dt.date(2030, 6, 30)
    assert demo.at("2011-05-15", 23, 59) == timezone.make_aware(dt.datetime(2030, 6, 30, 23, 59))
    assert demo.at(STORY_TODAY, 23, 59) == now  # never later than now
