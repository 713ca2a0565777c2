"""领导班子: decisions under democratic centralism (how decided, vote counts), integrity
records, the 一岗双责 list read from members.Responsibility; only the secretary records, every
change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaign import selectors_fortress as selectors
from campaign import services
from campaign.models import Decision, IntegrityRecord
from members.models import AuditEntry, Role
from tests.factories import make_branch, make_person, make_responsibility

from .factories import FORTRESS_DAY, make_decision


def test_a_decision_is_recorded_with_its_attendees(branch, secretary, leader):
    decision = make_decision(branch, secretary, [secretary, leader])
    assert set(decision.attendees.all()) == {secretary, leader}
    assert (decision.method, decision.votes_for) == ("show_of_hands", None)
    assert AuditEntry.objects.filter(actor=secretary, action="记录班子决策").exists()


def test_votes_are_all_three_or_none_and_fit_the_room(branch, secretary, leader):
    people = [secretary, leader]
    decision = make_decision(branch, secretary, people, votes_for=2, votes_against=0, abstentions=0)
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (2, 0, 0)
    with pytest.raises(ValidationError, match="请同时填写赞成、反对和弃权票数"):
        make_decision(branch, secretary, people, votes_for=2)
    with pytest.raises(ValidationError, match="票数合计不能超过参会人数（2 人）"):
        make_decision(branch, secretary, people, votes_for=2, votes_against=1, abstentions=0)
    with pytest.raises(ValidationError, match="票数须为不小于 0 的整数"):
        make_decision(branch, secretary, people, votes_for=-1, votes_against=0, abstentions=0)
    with pytest.raises(ValidationError, match="会议协商一致的决策不填写票数"):
        make_decision(
            branch,
            secretary,
            people,
            method="consensus",
            votes_for=2,
            votes_against=0,
            abstentions=0,
        )


def test_the_database_refuses_counts_on_consensus_and_half_counts(branch, secretary, leader):
    decision = make_decision(branch, secretary, [secretary, leader], method="consensus")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(votes_for=2, votes_against=0, abstentions=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(method="secret_ballot", votes_for=2)


def test_decision_rules(branch, secretary, leader, member):
    with pytest.raises(ValidationError, match="只有支部书记可以记录领导班子的决策"):
        make_decision(branch, leader, [leader])
    with pytest.raises(ValidationError, match="请选择参会人员"):
        make_decision(branch, secretary, [])
    outsider = make_person(make_branch(), (Role.LEADER,))
    with pytest.raises(ValidationError, match="参会人员只能选择本支部在册的人员"):
        make_decision(branch, secretary, [secretary, outsider])
    with pytest.raises(ValidationError, match="请选择决策方式"):
        make_decision(branch, secretary, [secretary], method="coin")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="会议日期不能晚于今天"):
        make_decision(branch, secretary, [secretary], decided_on=tomorrow)
    assert not Decision.objects.exists()


def test_a_correction_keeps_old_and_new(branch, secretary, leader, member):
    decision = make_decision(branch, secretary, [secretary, leader])
    data = {
        "decided_on": decision.decided_on,
        "meeting": decision.meeting,
        "topic": decision.topic,
        "proposal": decision.proposal,
        "discussion": decision.discussion,
        "resolution": "自本月起执行",
        "method": "consensus",
    }
    services.decision_update(
        decision=decision, data=data, attendees=[secretary, leader, member], by=secretary
    )
    detail = AuditEntry.objects.get(action="修改班子决策").detail
    assert "决策方式：举手表决 → 会议协商一致" in detail
    assert "决定事项：自下月起执行 → 自本月起执行" in detail
    assert "参会人员" in detail and "陈党员" in detail
    assert decision.attendees.count() == 3


def test_integrity_records(branch, secretary, leader):
    entry = services.integrity_create(
        branch=branch,
        data={
            "kind": IntegrityRecord.Kind.STUDY,
            "held_on": FORTRESS_DAY,
            "title": "学习《廉政准则》",
            "note": "",
        },
        participants=[secretary, leader],
        by=secretary,
    )
    assert entry.participants.count() == 2
    with pytest.raises(ValidationError, match="请选择类别"):
        services.integrity_create(
            branch=branch,
            data={"kind": "party", "held_on": FORTRESS_DAY, "title": "x"},
            participants=[leader],
            by=secretary,
        )
    services.integrity_update(
        entry=entry,
        data={
            "kind": IntegrityRecord.Kind.PLEDGE,
            "held_on": FORTRESS_DAY,
            "title": "签订廉洁自律承诺书",
            "note": "",
        },
        participants=[leader],
        by=secretary,
    )
    detail = AuditEntry.objects.get(action="修改廉洁自律记录").detail
    assert "类别：学习《廉政准则》《若干规定》 → 签订廉洁自律承诺书" in detail
    with pytest.raises(ValidationError, match="只有支部书记"):
        services.integrity_update(entry=entry, data={}, participants=[leader], by=leader)


def test_the_one_post_two_duties_list_comes_from_members(branch, leader):
    make_responsibility(leader, business_area="经营管理", party_duty="分管党风廉政建设")
    other = make_person(make_branch(), (Role.LEADER,))
    make_responsibility(other)
    [row] = selectors.responsibility_list(branch=branch)
    assert (row.leader, row.party_duty) == (leader, "分管党风廉政建设")
