"""What the campaign expects of a person now, and its panel on the home page (see members.hooks)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from members.hooks import Home, Panel, Task
from members.models import Role, User

from . import selectors
from .models import Campaign, Phase, Pledge

P = Pledge.Status


def tasks_for(*, user: User) -> list[Task]:
    return campaign_tasks(user=user, campaign=selectors.current_campaign(branch=user.branch))


def home(*, user: User) -> Home:
    """The tasks and the panel (the campaign, its current phase) from one lookup of the campaign."""
    campaign = selectors.current_campaign(branch=user.branch)
    panel = Panel(
        "campaign/_home_panel.html",
        {"campaign": campaign, "phase": campaign.current_phase if campaign else None},
    )
    return Home(tasks=campaign_tasks(user=user, campaign=campaign), panel=panel)


def campaign_tasks(*, user: User, campaign: Campaign | None) -> list[Task]:
    """ "What is expected of you now": a short list built from the rules, never from activity."""
    if campaign is None:
        if user.has_role(Role.SECRETARY):
            return [Task(_("建立或启动活动"), reverse("campaign:campaign_list"))]
        return []
    phase: Phase | None = campaign.current_phase
    kind = phase.kind if phase else Phase.Kind.OTHER
    tasks: list[Task] = []
    if user.has_role(Role.MEMBER) and kind in (Phase.Kind.MOBILIZE, Phase.Kind.COMPETE):
        tasks += _pledge_tasks(user, campaign, kind)
    tasks += _ballot_tasks(user, campaign)
    if user.has_role(Role.LEADER) or user.has_role(Role.SECRETARY):
        tasks += _review_tasks(user, campaign, kind)
    if user.has_role(Role.SECRETARY):
        tasks += _secretary_tasks(campaign, kind)
    if not tasks:
        tasks.append(Task(_("阅读承诺墙，监督党员践诺"), reverse("campaign:pledge_wall")))
    return tasks


def _pledge_tasks(user: User, campaign: Campaign, kind: str) -> list[Task]:
    """A member's own pledges: returned ones to fix, 四优 items still open, progress to record."""
    expected = selectors.pledges_expected(campaign=campaign)
    rows = list(campaign.pledges.filter(owner=user).values_list("pk", "status"))
    by_status = Counter(status for _pk, status in rows)
    done = sum(n for status, n in by_status.items() if status not in selectors.PENDING)
    tasks = []
    returned = [pk for pk, status in rows if status == P.RETURNED]
    if returned:
        # One returned pledge: straight to its form; several: the list of them on 我的创先争优.
        url = (
            reverse("campaign:pledge_edit", args=[returned[0]])
            if len(returned) == 1
            else reverse("campaign:my_campaign") + "?status=returned#my-pledges"
        )
        tasks.append(
            Task(
                _("修改被退回的承诺 %(n)d 条后重新提交") % {"n": len(returned)},
                url,
                urgent=True,
            )
        )
    if done < expected:
        tasks.append(
            Task(
                _("对照“四优”标准作出公开承诺：已提交 %(done)d / %(all)d 项")
                % {"done": done, "all": expected},
                reverse("campaign:pledge_create"),
            )
        )
    if by_status.get(P.PUBLISHED) and kind == Phase.Kind.COMPETE:
        tasks.append(Task(_("记录践诺情况"), reverse("campaign:my_campaign")))
    return tasks


def _ballot_tasks(user: User, campaign: Campaign) -> list[Task]:
    return [
        Task(
            _("参加群众评议“%(name)s”：还有 %(n)d 个对象未评")
            % {"name": round_.name, "n": round_.n_left},
            reverse("campaign:round_vote", args=[round_.pk]),
            urgent=True,
        )
        for round_ in selectors.open_rounds_for(user=user).filter(campaign=campaign)
        if round_.n_left
    ]


def _review_tasks(user: User, campaign: Campaign, kind: str) -> list[Task]:
    if kind == Phase.Kind.MOBILIZE:  # leaders comment on what members do, once they do it
        return []
    missing = (
        selectors.review_coverage(campaign=campaign).filter(n_reviews=0).exclude(pk=user.pk).count()
    )
    if not missing:
        return []
    return [
        Task(
            _("领导点评：还有 %(n)d 名党员未被点评") % {"n": missing},
            reverse("campaign:review_coverage"),
        )
    ]


def _secretary_tasks(campaign: Campaign, kind: str) -> list[Task]:
    waiting = campaign.pledges.aggregate(
        submitted=Count("pk", filter=Q(status=P.SUBMITTED)),
        approved=Count("pk", filter=Q(status=P.APPROVED)),
    )
    tasks = []
    if waiting["submitted"]:
        tasks.append(
            Task(
                _("审核公开承诺 %(n)d 条") % {"n": waiting["submitted"]},
                reverse("campaign:pledge_queue") + "?status=submitted",
                urgent=True,
            )
        )
    if waiting["approved"]:
        tasks.append(
            Task(
                _("已审核待亮诺的承诺 %(n)d 条") % {"n": waiting["approved"]},
                reverse("campaign:pledge_queue") + "?status=approved",
            )
        )
    if kind == Phase.Kind.COMMEND:
        tasks.append(Task(_("评定承诺兑现情况，组织评选表彰"), reverse("campaign:nomination_list")))
    return tasks
