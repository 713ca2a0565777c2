"""seed_demo's campaign: running today in 全面争创, idempotent, consistent with the report."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaign import models as m
from campaign import selectors_fortress
from members.hooks import tasks_for
from members.models import AuditEntry, User


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
        # 战斗堡垒 (issue 12)
        m.VanguardPost,
        m.PostHolder,
        m.PlaqueEvent,
        m.PostReview,
        m.PostReviewScore,
        m.Deed,
        m.DeedTag,
        m.DeedPhoto,
        m.SavingRecord,
        m.Problem,
        m.Rectification,
        m.Measure,
        m.Decision,
        m.IntegrityRecord,
        m.Feedback,
        m.SatisfactionRating,
        m.FeedbackDrop,
        m.CareVisit,
        m.IllnessReport,
        AuditEntry,  # the services ran once: a second run changes nothing
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


@pytest.mark.django_db
def test_seed_demo_has_the_fortress_of_the_report():
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    campaign = m.Campaign.objects.get()
    today = timezone.localdate()

    # The drug delivery posts, hung, with the demo's members on them and their stars.
    post = m.VanguardPost.objects.get(name="药品配送岗")
    assert post.plaque == "hung" and post.plaque_events.filter(action="hang").exists()
    holders = {h.member.username for h in m.PostHolder.objects.current().filter(post=post)}
    assert holders == {"xt006", "xt007"}
    held = selectors_fortress.posts_held_by(user=User.objects.get(username="member"))
    assert [p.name for p in held] == ["配送调度岗"]
    assert m.VanguardPost.objects.filter(plaque="none").exists()
    assert post.reviews.count() >= 2 and all(r.reviewed_on <= today for r in post.reviews.all())
    assert m.PostReviewScore.objects.filter(review__post=post).exists()
    quarter, to_review = selectors_fortress.posts_to_review(campaign=campaign)
    assert quarter and to_review.exists()  # the secretary's to-do

    # Deeds: one praised by a customer, some 宣传, one waiting for the secretary.
    deeds = campaign.deeds
    assert deeds.filter(tags__tag="praise", status="confirmed").exists()
    assert deeds.filter(publicized=True).count() >= 2
    waiting = deeds.get(status="submitted")
    assert waiting.member.username == "member" and waiting.recorded_by == waiting.member
    assert m.DeedPhoto.objects.filter(deed__publicized=True).exists()

    # 增收节支 on posts and on a department, summed by the database; a voided one counts nowhere.
    records = m.SavingRecord.objects.valid()
    assert {"income", "saving"} <= set(records.values_list("kind", flat=True))
    assert records.filter(post__isnull=True, department__name="综合办").exists()
    assert records.filter(post__isnull=False).exists()
    assert m.SavingRecord.objects.exclude(voided_at=None).get().void_reason
    summary = selectors_fortress.saving_summary(campaign=campaign)
    assert str(summary["totals"]["total"]) == "73830.50"

    # Problems found against the group strategy, turned into items in different states.
    strategy = campaign.problems.filter(source="strategy", rectification__isnull=False)
    assert strategy.count() >= 2
    items = {r.status: r for r in m.Rectification.objects.filter(problems__in=strategy)}
    assert {"in_progress", "accepted"} <= set(items)
    percents = sorted(items["in_progress"].measures.values_list("percent", flat=True))
    assert len(set(percents)) == 3 and percents[-1] == 100
    assert items["accepted"].accepted_by.username == "secretary"
    assert m.Rectification.objects.overdue().exists()
    done = m.Measure.objects.filter(percent=100)
    assert done.exists() and all(x.completed_on < today for x in done)

    # The leadership team's record.
    decisions = m.Decision.objects.all()
    assert decisions.count() >= 3 and decisions.filter(method="consensus").exists()
    for decision in decisions.exclude(method="consensus"):
        votes = decision.votes_for + decision.votes_against + decision.abstentions
        assert votes <= decision.attendees.count()
    assert m.IntegrityRecord.objects.filter(kind="pledge").exists()
    assert m.IntegrityRecord.objects.filter(kind="study").count() >= 2
    assert AuditEntry.objects.filter(action="记录班子决策").count() == decisions.count()


@pytest.mark.django_db
def test_seed_demo_has_the_canteen_case_end_to_end():
    """Staff complained about the canteen (by name, 对外匿名, 完全匿名); the complaints were
    linked to the canteen rectification (two measures, 验收) and rated 满意: 已办结."""
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)
    canteen = m.Rectification.objects.get(title="改进职工食堂伙食")
    assert canteen.status == "accepted" and canteen.measures.count() == 2
    linked = m.Feedback.objects.filter(rectification=canteen)
    assert {f.identity for f in linked} == {"real", "handlers", "none"}
    assert {f.status for f in linked} == {"closed"}
    assert all(f.ratings.get().level == "satisfied" for f in linked)
    assert linked.get(identity="none").sender is None
    statuses = set(m.Feedback.objects.values_list("status", flat=True))
    assert {"new", "closed", "declined", "rectifying"} <= statuses
    late = m.Feedback.objects.with_flags().filter(late_accept=True)
    assert late.count() == 1  # one stands out on the handler's list
    assert m.Feedback.objects.filter(kind="praise", status="closed").exists()
    assert not m.FeedbackDrop.objects.exists()


@pytest.mark.django_db
def test_the_demo_roles_find_their_fortress_work_in_the_to_do():
    call_command("seed_demo", password="Demo-pass-2011", verbosity=0)

    def texts(username):
        return [t.text for t in tasks_for(User.objects.get(username=username))]

    secretary = texts("secretary")
    assert "确认先锋事迹 1 条" in secretary
    assert "整改事项已逾期 1 项，请督促整改" in secretary
    assert any(t.startswith("先锋岗季度评星：") and "还有 2 个岗位未评" in t for t in secretary)
    assert "整改措施 2 项到期，其中 1 项已逾期，请更新进度" in texts("leader")
    assert "记录先锋事迹：您在“配送调度岗”" in texts("member")
    assert not any("先锋" in t or "整改" in t for t in texts("staff"))
