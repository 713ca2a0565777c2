"""领导班子: the secretary records the team's decisions (民主集中制) and its integrity records
(《廉政准则》/《若干规定》 study sessions, pledges signed). Corrections keep old → new in the audit
trail. 一岗双责 is members.models.Responsibility, kept on the person's page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import audit
from members.models import Branch, User

from ..models import Decision, IntegrityRecord
from ..rules_fortress import manages_fortress
from ._common import describe_changes, lock, record
from ._fortress import check_people_of, forbid, past_date, text


def _check_manager(branch_id: int, by: User) -> None:
    if not manages_fortress(by, branch_id):
        raise forbid(_("只有支部书记可以记录领导班子的决策和廉洁自律情况。"))


def _names(people: Iterable[User]) -> str:
    return "、".join(sorted(str(p) for p in people))


# --- Decisions --------------------------------------------------------------------------------


def _votes(data: Mapping[str, Any], *, method: str, attendees: int) -> dict[str, int | None]:
    names = ("votes_for", "votes_against", "abstentions")
    given = {name: data.get(name) for name in names}
    if method == Decision.Method.CONSENSUS or all(v is None for v in given.values()):
        if method == Decision.Method.CONSENSUS and any(v is not None for v in given.values()):
            raise ValidationError(
                {"method": _("会议协商一致的决策不填写票数。")}, code="votes_on_consensus"
            )
        return dict.fromkeys(names)
    if any(v is None for v in given.values()):
        raise ValidationError(
            {"votes_for": _("请同时填写赞成、反对和弃权票数（没有的填 0）。")},
            code="votes_incomplete",
        )
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in given.values()):
        raise ValidationError({"votes_for": _("票数须为不小于 0 的整数。")}, code="votes")
    if sum(given.values()) > attendees:
        raise ValidationError(
            {"votes_for": _("票数合计不能超过参会人数（%(n)d 人）。") % {"n": attendees}},
            code="votes_over",
        )
    return given


def _decision_fields(*, data: Mapping[str, Any], attendees: list[User]) -> dict[str, Any]:
    method = data.get("method")
    if method not in Decision.Method.values:
        raise ValidationError({"method": _("请选择决策方式。")}, code="method")
    return {
        "decided_on": past_date(data.get("decided_on"), field="decided_on", label=_("会议日期")),
        "meeting": text(
            data.get("meeting"), field="meeting", label=_("会议名称"), max_length=50, required=False
        ),
        "topic": text(data.get("topic"), field="topic", label=_("议题"), max_length=100),
        "proposal": text(data.get("proposal"), field="proposal", label=_("提议")),
        "discussion": text(data.get("discussion"), field="discussion", label=_("讨论情况")),
        "resolution": text(data.get("resolution"), field="resolution", label=_("决定事项")),
        "method": method,
        **_votes(data, method=method, attendees=len(attendees)),
    }


@transaction.atomic
def decision_create(
    *, branch: Branch, data: Mapping[str, Any], attendees: Iterable[User], by: User
) -> Decision:
    """A decision: date, meeting, topic, attendees, proposal, discussion, resolution, method
    (举手表决 / 无记名投票 / 记名投票 / 会议协商一致) and, for a vote, its counts."""
    _check_manager(branch.pk, by)
    people = check_people_of(attendees, branch=branch, field="attendees", label=_("参会人员"))
    decision = Decision.objects.create(
        branch=branch, recorded_by=by, **_decision_fields(data=data, attendees=people)
    )
    decision.attendees.set(people)
    record(by=by, action=_("记录班子决策"), obj=decision)
    return decision


@transaction.atomic
def decision_update(
    *, decision: Decision, data: Mapping[str, Any], attendees: Iterable[User], by: User
) -> Decision:
    lock(decision)
    _check_manager(decision.branch_id, by)
    people = check_people_of(
        attendees, branch=decision.branch_id, field="attendees", label=_("参会人员")
    )
    fields = _decision_fields(data=data, attendees=people)
    methods = dict(Decision.Method.choices)
    labels = {
        "decided_on": _("会议日期"),
        "meeting": _("会议名称"),
        "topic": _("议题"),
        "proposal": _("提议"),
        "discussion": _("讨论情况"),
        "resolution": _("决定事项"),
        "method": _("决策方式"),
        "votes_for": _("赞成票"),
        "votes_against": _("反对票"),
        "abstentions": _("弃权票"),
    }
    shown = {"method": lambda v: methods[v]}
    changes = [
        (
            labels[name],
            shown.get(name, lambda v: v)(getattr(decision, name)),
            shown.get(name, lambda v: v)(value),
        )
        for name, value in fields.items()
    ]
    changes.append((_("参会人员"), _names(decision.attendees.all()), _names(people)))
    detail = describe_changes(changes)
    if not detail:
        return decision
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.save()
    decision.attendees.set(people)
    audit.record(by=by, action=_("修改班子决策"), obj=decision, detail=detail)
    return decision


# --- Integrity records --------------------------------------------------------------------------


def _integrity_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    if data.get("kind") not in IntegrityRecord.Kind.values:
        raise ValidationError({"kind": _("请选择类别。")}, code="kind")
    return {
        "kind": data["kind"],
        "held_on": past_date(data.get("held_on"), field="held_on", label=_("日期")),
        "title": text(data.get("title"), field="title", label=_("主题"), max_length=100),
        "note": text(data.get("note"), field="note", label=_("情况说明"), required=False),
    }


@transaction.atomic
def integrity_create(
    *, branch: Branch, data: Mapping[str, Any], participants: Iterable[User], by: User
) -> IntegrityRecord:
    """A study session of 《廉政准则》《若干规定》, a pledge signed, a talk: kind, date, title,
    participants, note."""
    _check_manager(branch.pk, by)
    people = check_people_of(participants, branch=branch, field="participants", label=_("参加人员"))
    entry = IntegrityRecord.objects.create(branch=branch, recorded_by=by, **_integrity_fields(data))
    entry.participants.set(people)
    record(by=by, action=_("记录廉洁自律"), obj=entry)
    return entry


@transaction.atomic
def integrity_update(
    *,
    entry: IntegrityRecord,
    data: Mapping[str, Any],
    participants: Iterable[User],
    by: User,
) -> IntegrityRecord:
    lock(entry)
    _check_manager(entry.branch_id, by)
    people = check_people_of(
        participants, branch=entry.branch_id, field="participants", label=_("参加人员")
    )
    fields = _integrity_fields(data)
    kinds = dict(IntegrityRecord.Kind.choices)
    detail = describe_changes(
        [
            (_("类别"), kinds[entry.kind], kinds[fields["kind"]]),
            (_("日期"), entry.held_on, fields["held_on"]),
            (_("主题"), entry.title, fields["title"]),
            (_("情况说明"), entry.note, fields["note"]),
            (_("参加人员"), _names(entry.participants.all()), _names(people)),
        ]
    )
    if not detail:
        return entry
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    entry.participants.set(people)
    audit.record(by=by, action=_("修改廉洁自律记录"), obj=entry, detail=detail)
    return entry


__all__ = [
    "decision_create",
    "decision_update",
    "integrity_create",
    "integrity_update",
]
