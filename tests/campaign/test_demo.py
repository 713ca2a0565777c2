"""seed_demo's campaign: running today in 全面争创, idempotent, consistent with the report."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaign import models as m


def _snapshot():
    counted = [
        m.Campaign,
        m.Phase,
        m.Pledge,
        m.PledgeProgress,
        m.LeaderReview,
        m.EvaluationRound,
        m.EvaluationSubject,
        m.EvaluationTurnout,
        m.Ballot,
        m.BallotMark,
        m.Nomination,
        m.Honour,
        m.StandardSet,
        m.Standard,
    ]
    counts = {model.__name__: model.objects.count() for model in counted}
    results = list(
        m.EvaluationSubject.objects.order_by("pk").values_list("ballot_count", "satisfaction")
    )
    statuses = sorted(m.Pledge.objects.values_list("status", flat=True))
    return counts, results, statuses


@pytest.mark.django_db
def test_seed_demo_campaign_is_idempotent_and_complete():
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    assert _snapshot() == first

    campaign = m.Campaign.objects.get()
    assert campaign.status == "active" and campaign.current_phase.name == "全面争创"
    today = timezone.localdate()
    assert campaign.starts_on < campaign.current_phase.starts_on <= today < campaign.ends_on
    years = f"{campaign.starts_on.year}—{campaign.ends_on.year}年"
    assert campaign.name == f"{years}深入开展创先争优活动"
    statuses = set(campaign.pledges.values_list("status", flat=True))
    assert {"published", "submitted", "returned", "draft", "judged"} <= statuses
    assert campaign.pledges.filter(scope="branch", status="published").count() == 4
    assert campaign.pledges.filter(tasks__contains="药品配送").exists()
    assert campaign.reviews.count() >= 5
    round_ = campaign.rounds.get()
    assert round_.status == "closed"
    assert round_.subjects.filter(ballot_count__gte=5).count() > 10
    assert round_.subjects.filter(ballot_count__lt=5).exists()  # the floor shows in the demo
    honour = m.Honour.objects.get()
    assert honour.person.username == "xt006" and honour.nomination.status == "awarded"
