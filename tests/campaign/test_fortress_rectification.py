"""查找问题 → 整改: every transition allowed and refused (in Chinese), reasons and dates the
database insists on, measures and their percent, overdue items, statistics that keep 不予整改
apart from fixed items, the public face, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign import selectors_fortress as selectors
from campaign import services
from campaign.models import Measure, Problem, Rectification
from campaign.services.rectification import RECTIFICATION_TRANSITIONS
from members.models import AuditEntry

from .factories import make_campaign, make_measure, make_problem, make_rectification

R = Rectification.Status
TODAY = timezone.localdate()


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def item(campaign, secretary, leader):
    return make_rectification(campaign, secretary, leader)


def fixed(item, leader, member):
    measure = make_measure(item, leader, member)
    services.measure_progress(measure=measure, percent=100, by=leader)
    services.rectification_report_fixed(rectification=item, on=TODAY, by=leader)
    return item


def actions(item, person):
    return services.rectification_actions(rectification=item, by=person)


# --- Problems become items ---------------------------------------------------------------------


def test_problems_become_one_item_without_the_item_knowing_its_origin(campaign, secretary, leader):
    first = make_problem(campaign, secretary, title="库存周转慢")
    second = make_problem(campaign, secretary, title="配送成本偏高", source="self_check")
    item = make_rectification(campaign, secretary, leader, problems=[first, second])
    assert (item.status, item.opened_on, item.campaign) == (R.PENDING, TODAY, campaign)
    assert set(item.problems.values_list("title", flat=True)) == {"库存周转慢", "配送成本偏高"}
    assert not any(f.name == "problem" for f in Rectification._meta.concrete_fields)
    actions_done = AuditEntry.objects.filter(actor=secretary).values_list("action", flat=True)
    assert {"登记查找问题", "确定整改事项", "问题列入整改"} <= set(actions_done)
    with pytest.raises(ValidationError, match="已列入整改的，请勿重复立项"):
        make_rectification(campaign, secretary, leader, problems=[first])


def test_a_problem_joins_an_open_item_but_not_a_closed_one(campaign, secretary, leader, item):
    problem = make_problem(campaign, secretary, title="群众反映送货慢", source="masses")
    services.problem_link(problem=problem, rectification=item, by=secretary)
    assert item.problems.count() == 2
    services.rectification_decline(rectification=item, reason="已由上级统一安排", by=secretary)
    late = make_problem(campaign, secretary, title="又一个问题")
    with pytest.raises(ValidationError, match="整改事项已“不予整改”，不能再关联问题"):
        services.problem_link(problem=late, rectification=item, by=secretary)


def test_problem_choices_and_rights(campaign, secretary, leader):
    with pytest.raises(ValidationError, match="请选择问题来源"):
        make_problem(campaign, secretary, source="rumour")
    with pytest.raises(ValidationError, match="请选择问题方面"):
        make_problem(campaign, secretary, area="x")
    with pytest.raises(ValidationError, match="只有支部书记可以登记查找的问题"):
        make_problem(campaign, leader)
    problem = make_problem(campaign, secretary)
    data = {
        "source": "inspection",
        "area": "conduct",
        "title": problem.title,
        "description": problem.description,
        "found_on": problem.found_on,
    }
    services.problem_update(problem=problem, data=data, by=secretary)
    detail = AuditEntry.objects.get(action="修改查找问题").detail
    assert (
        "问题来源：对照集团战略 → 上级检查" in detail and "问题方面：经营管理 → 作风建设" in detail
    )


# --- The item's fields --------------------------------------------------------------------------


def test_the_deadline_may_not_precede_the_opening(campaign, secretary, leader, item):
    with pytest.raises(ValidationError, match="整改时限不能早于立项日期"):
        make_rectification(campaign, secretary, leader, deadline=TODAY - dt.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=item.pk).update(deadline=TODAY - dt.timedelta(days=1))


def test_the_responsible_person_is_a_leader_or_the_secretary(campaign, secretary, member, staff):
    for person in (member, staff):
        with pytest.raises(ValidationError, match="责任领导须为本支部的领导班子成员或支部书记"):
            make_rectification(campaign, secretary, person)


def test_editing_keeps_old_and_new_and_stops_when_closed(secretary, leader, item):
    data = {
        "title": item.title,
        "public_description": item.public_description,
        "internal_note": "",
        "responsible": leader,
        "deadline": item.deadline + dt.timedelta(days=10),
    }
    services.rectification_update(rectification=item, data=data, by=secretary)
    detail = AuditEntry.objects.get(action="修改整改事项").detail
    assert "整改时限" in detail and "内部备注：涉及人员调整，暂不公开 → （空）" in detail
    services.rectification_decline(rectification=item, reason="条件不具备", by=secretary)
    with pytest.raises(ValidationError, match="整改事项已“不予整改”，不能再修改"):
        services.rectification_update(rectification=item, data=data, by=secretary)


# --- Transitions --------------------------------------------------------------------------------


def test_the_whole_flow_pending_to_accepted(secretary, leader, member, item):
    assert actions(item, leader) == {"start", "measures"}
    assert actions(item, secretary) == {"start", "measures", "edit", "decline"}
    services.rectification_start(rectification=item, by=leader)
    assert item.status == R.IN_PROGRESS
    measure = make_measure(item, leader, member)
    second = make_measure(item, leader, member, content="改进采购方式")
    services.measure_progress(measure=measure, percent=100, evidence_note="新线路已执行", by=leader)
    with pytest.raises(ValidationError, match="还有 1 项整改措施没有完成"):
        services.rectification_report_fixed(rectification=item, on=TODAY, by=leader)
    services.measure_progress(measure=second, percent=100, by=leader)
    services.rectification_report_fixed(rectification=item, on=TODAY, by=leader)
    assert (item.status, item.fixed_on) == (R.FIXED, TODAY)
    assert actions(item, secretary) == {"edit", "accept", "reopen"}
    services.rectification_accept(rectification=item, on=TODAY, by=secretary)
    assert (item.status, item.accepted_by, item.accepted_on) == (R.ACCEPTED, secretary, TODAY)
    assert actions(item, secretary) == set() and actions(item, leader) == set()
    done = AuditEntry.objects.values_list("action", flat=True)
    assert {"开始整改", "制定整改措施", "更新整改进度", "报告已整改", "验收整改事项"} <= set(done)


def test_progress_on_a_pending_item_starts_it(secretary, leader, member, item):
    measure = make_measure(item, secretary, member)
    services.measure_progress(measure=measure, percent=40, by=leader)
    item.refresh_from_db()
    assert item.status == R.IN_PROGRESS
    services.measure_progress(measure=measure, percent=80, by=leader)
    entry = AuditEntry.objects.filter(action="更新整改进度").order_by("pk").last()
    assert entry.detail == "完成进度：40% → 80%"


def test_every_refused_transition_is_explained(secretary, leader, member, campaign):
    labels = dict(R.choices)
    moves = {
        R.IN_PROGRESS: lambda i: services.rectification_start(rectification=i, by=secretary),
        R.FIXED: lambda i: services.rectification_report_fixed(
            rectification=i, on=TODAY, by=secretary
        ),
        R.ACCEPTED: lambda i: services.rectification_accept(
            rectification=i, on=TODAY, by=secretary
        ),
        R.DECLINED: lambda i: services.rectification_decline(
            rectification=i, reason="不具备条件", by=secretary
        ),
    }

    def in_state(status):
        item = make_rectification(
            campaign, secretary, leader, problems=[make_problem(campaign, secretary)]
        )
        if status == R.PENDING:
            return item
        if status == R.DECLINED:
            return moves[R.DECLINED](item)
        services.rectification_start(rectification=item, by=leader)
        if status == R.IN_PROGRESS:
            return item
        fixed(item, leader, member)
        if status == R.ACCEPTED:
            services.rectification_accept(rectification=item, on=TODAY, by=secretary)
        return item

    for current in R.values:
        for target, move in moves.items():
            if target in RECTIFICATION_TRANSITIONS[current]:
                continue
            item = in_state(current)
            expected = f"这个整改事项当前是“{labels[current]}”，不能改为“{labels[target]}”"
            with pytest.raises(ValidationError, match=expected):
                move(item)
            assert Rectification.objects.get(pk=item.pk).status == current


def test_declining_needs_a_reason_in_the_service_and_the_database(secretary, item):
    with pytest.raises(ValidationError, match="请填写不予整改原因"):
        services.rectification_decline(rectification=item, reason=" ", by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=item.pk).update(status=R.DECLINED, declined_on=TODAY)
    services.rectification_decline(rectification=item, reason="已由集团统一整改", by=secretary)
    assert (item.status, item.declined_on) == (R.DECLINED, TODAY)
    assert AuditEntry.objects.filter(action="不予整改", detail="已由集团统一整改").exists()


def test_reopening_a_fixed_item_needs_a_reason(secretary, leader, member, item):
    services.rectification_start(rectification=item, by=leader)
    fixed(item, leader, member)
    with pytest.raises(ValidationError, match="请填写重新整改原因"):
        services.rectification_reopen(rectification=item, reason="", by=secretary)
    services.rectification_reopen(rectification=item, reason="员工仍不满意", by=secretary)
    assert (item.status, item.fixed_on, item.reopen_reason) == (R.IN_PROGRESS, None, "员工仍不满意")


def test_nobody_accepts_his_own_item_and_only_the_secretary_accepts(
    campaign, secretary, leader, member
):
    own = make_rectification(campaign, secretary, secretary)
    services.rectification_start(rectification=own, by=secretary)
    fixed(own, secretary, member)
    assert "accept_by_other" in actions(own, secretary)
    with pytest.raises(ValidationError, match="不能验收自己负责的整改事项"):
        services.rectification_accept(rectification=own, on=TODAY, by=secretary)
    with pytest.raises(ValidationError, match="只有支部书记可以验收整改事项"):
        services.rectification_accept(rectification=own, on=TODAY, by=leader)


def test_a_fixed_item_has_no_measures_left_open(secretary, leader, item):
    services.rectification_start(rectification=item, by=leader)
    with pytest.raises(ValidationError, match="还没有整改措施"):
        services.rectification_report_fixed(rectification=item, on=TODAY, by=leader)


# --- Measures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("percent", [101, -1, 50.5, "80", None])
def test_percent_outside_zero_to_hundred_is_refused(secretary, leader, member, item, percent):
    measure = make_measure(item, leader, member)
    with pytest.raises(ValidationError, match="完成进度须为 0 至 100 之间的整数"):
        services.measure_progress(measure=measure, percent=percent, by=leader)


def test_the_database_holds_percent_and_completion_together(secretary, leader, member, item):
    measure = make_measure(item, leader, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(percent=101, completed_on=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(percent=100)  # done needs its date
    services.measure_progress(measure=measure, percent=100, by=leader)
    assert measure.completed_on == TODAY
    services.measure_progress(measure=measure, percent=90, by=leader)
    assert measure.completed_on is None


def test_measure_rules(secretary, leader, member, staff, item):
    with pytest.raises(ValidationError, match="完成时限不能早于整改事项的立项日期"):
        make_measure(item, leader, member, deadline=item.opened_on - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="只有整改事项的责任领导或支部书记可以更新整改措施"):
        make_measure(item, member, member)
    measure = make_measure(item, leader, staff)  # the owner may be anyone of the branch
    with pytest.raises(ValidationError, match="只有整改事项的责任领导或支部书记"):
        services.measure_progress(measure=measure, percent=10, by=staff)
    services.rectification_decline(rectification=item, reason="x", by=secretary)
    with pytest.raises(ValidationError, match="整改措施不能再修改"):
        services.measure_progress(measure=measure, percent=10, by=leader)


# --- Overdue, statistics, the public face ------------------------------------------------------


def overdue_item(campaign, secretary, leader, **data):
    item = make_rectification(campaign, secretary, leader, **data)
    past = TODAY - dt.timedelta(days=3)
    Rectification.objects.filter(pk=item.pk).update(opened_on=past - dt.timedelta(1), deadline=past)
    item.refresh_from_db()
    return item


def test_overdue_means_deadline_passed_with_the_work_not_done(campaign, secretary, leader, member):
    late = overdue_item(campaign, secretary, leader, title="逾期")
    on_time = make_rectification(campaign, secretary, leader, title="未到期")
    late_but_fixed = overdue_item(campaign, secretary, leader, title="逾期已整改")
    services.rectification_start(rectification=late_but_fixed, by=leader)
    fixed(late_but_fixed, leader, member)
    late_declined = overdue_item(campaign, secretary, leader, title="逾期不予整改")
    services.rectification_decline(rectification=late_declined, reason="x", by=secretary)

    assert list(Rectification.objects.overdue()) == [late]
    flags = dict(Rectification.objects.with_overdue().values_list("title", "overdue"))
    assert flags == {"逾期": True, "未到期": False, "逾期已整改": False, "逾期不予整改": False}
    assert late.is_overdue and not on_time.is_overdue
    listed = list(selectors.rectification_list(branch=campaign.branch, viewer=secretary))
    assert listed[0] == late  # overdue first


def test_statistics_keep_declined_apart_from_fixed(campaign, secretary, leader, member):
    pending = make_rectification(campaign, secretary, leader)
    accepted = make_rectification(campaign, secretary, leader)
    services.rectification_start(rectification=accepted, by=leader)
    fixed(accepted, leader, member)
    services.rectification_accept(rectification=accepted, on=TODAY, by=secretary)
    waiting = make_rectification(campaign, secretary, leader)
    services.rectification_start(rectification=waiting, by=leader)
    fixed(waiting, leader, member)
    for _ in range(2):
        declined = make_rectification(campaign, secretary, leader)
        services.rectification_decline(rectification=declined, reason="不具备条件", by=secretary)
    overdue_item(campaign, secretary, leader)

    stats = selectors.rectification_stats(branch=campaign.branch)
    assert {k: stats[k] for k in ("total", "open", "fixed", "declined", "overdue")} == {
        "total": 6,
        "open": 2,
        "fixed": 2,
        "declined": 2,
        "overdue": 1,
    }
    assert stats["by_status"] == {
        "pending": 2,
        "in_progress": 0,
        "fixed": 1,
        "accepted": 1,
        "declined": 2,
    }
    assert pending.is_open and not declined.is_fixed and declined.is_closed


def test_the_public_face_shows_no_internal_note(campaign, secretary, leader, member, staff, item):
    measure = make_measure(item, leader, member)
    services.measure_progress(measure=measure, percent=50, evidence_note="内部佐证", by=leader)
    make_measure(item, leader, member, content="第二项")
    [row] = selectors.rectification_list(branch=campaign.branch, viewer=staff)
    assert {"internal_note", "responsible_id", "created_by_id"} <= row.get_deferred_fields()
    face = row.public_face()
    assert (face.title, face.percent, face.status_label) == ("降低配送成本", 25, "整改中")
    assert [m.content for m in face.measures] == ["重新规划配送线路", "第二项"]
    assert "涉及人员调整" not in repr(face) and "内部佐证" not in repr(face)
    assert not hasattr(face, "internal_note") and not hasattr(face.measures[0], "owner")
    page = selectors.rectification_detail(rectification=item, viewer=staff)
    assert page["internal"] is False and page["public"] == face
    page = selectors.rectification_detail(rectification=item, viewer=leader)
    assert page["internal"] is True and page["rectification"].internal_note


def test_the_list_carries_measure_counts_and_percents(campaign, secretary, leader, member, item):
    first = make_measure(item, leader, member)
    make_measure(item, leader, member)
    services.measure_progress(measure=first, percent=60, by=leader)
    make_rectification(campaign, secretary, leader, title="无措施")
    rows = {r.title: r for r in selectors.rectification_list(branch=campaign.branch, viewer=leader)}
    row = rows["降低配送成本"]
    assert (row.n_measures, row.avg_percent, row.min_percent, row.n_problems) == (2, 30, 0, 1)
    assert (rows["无措施"].n_measures, rows["无措施"].avg_percent) == (0, 0)
    assert Problem.objects.without_rectification().count() == 0
