"""seed_demo adds the seed report's reading activity, and running it twice changes nothing."""

from django.core.management import call_command

from reading.models import (
    Comment,
    Distribution,
    Feature,
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Recommendation,
    Reflection,
    Selection,
)
from reading.selectors import recommendation_tally

MODELS = [
    ReadingActivity,
    Recommendation,
    Selection,
    Purchase,
    Distribution,
    ReadingProgress,
    Reflection,
    Comment,
    Feature,
]


def test_seed_demo_adds_the_reading_activity_idempotently(db):
    call_command("seed_demo", password="demo-pass-2011", verbosity=0)
    counts = {m.__name__: m.objects.count() for m in MODELS}
    call_command("seed_demo", password="demo-pass-2011", verbosity=0)
    assert {m.__name__: m.objects.count() for m in MODELS} == counts

    activity = ReadingActivity.objects.get()
    assert activity.phase == activity.Phase.DISCUSS
    assert set(activity.selections.values_list("title", flat=True)) == {
        "你在为谁工作",
        "责任胜于能力",
    }
    groups = recommendation_tally(activity=activity)
    top = {g.first.display_title: g.count for g in groups[:2]}
    assert top == {"你在为谁工作": 3, "责任胜于能力": 2}
    assert all(g.selected for g in groups[:2])
    assert counts["Purchase"] >= 2 and counts["Distribution"] >= 30
    assert counts["Reflection"] >= 4 and counts["Comment"] >= 4 and counts["Feature"] == 1
