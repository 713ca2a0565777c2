"""What the campaign expects of a person now, and its panel on the home page (see members.hooks).

The 战斗堡垒 part (issue 12) adds each role's pending work: the secretary's quarterly reviews to
fill, deeds to confirm and overdue rectification items; the responsible leader's measures due
(and items without measures yet); a measure owner's measures due on someone else's item; a
member's deeds to record on the posts he or she holds. All its counts, and the secretary's pledge
counts, come from one query (`_pending`): scalar subqueries on the user's branch row, the same
number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from members.hooks import Home, Panel, Task
from members.models import Branch, Role, User

from . import selectors
from . import selectors_fortress as fortress
from .models import (
    Campaign,
    Feedback,
    FeedbackDrop,
    IllnessReport,
    Measure,
    Phase,
    Pledge,
    Rectification,
)
from .models.feedback import NOT_ACCEPTED_DAYS
from .models.vanguard import quarter_bounds
from .rules_fortress import leads, manages_fortress, reads_fortress

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
    pending = _pending(user=user, campaign=campaign)
    if campaign is None:
        tasks = _fortress_tasks(user, None, pending) + _service_tasks(pending)
        if user.has_role(Role.SECRETARY):
            tasks.insert(0, Task(_("建立或启动活动"), reverse("campaign:campaign_list")))
        return tasks
    phase: Phase | None = campaign.current_phase
    kind = phase.kind if phase else Phase.Kind.OTHER
    tasks: list[Task] = []
    if user.has_role(Role.MEMBER) and kind in (Phase.Kind.MOBILIZE, Phase.Kind.COMPETE):
        tasks += _pledge_tasks(user, campaign, kind)
    tasks += _ballot_tasks(user, campaign)
    if user.has_role(Role.LEADER) or user.has_role(Role.SECRETARY):
        tasks += _review_tasks(user, campaign, kind)
    if user.has_role(Role.SECRETARY):
        tasks += _secretary_tasks(kind, pending)
    tasks += _fortress_tasks(user, campaign, pending)
    tasks += _service_tasks(pending)
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


def _secretary_tasks(kind: str, pending: dict[str, Any]) -> list[Task]:
    tasks = []
    if pending["pledges_submitted"]:
        tasks.append(
            Task(
                _("审核公开承诺 %(n)d 条") % {"n": pending["pledges_submitted"]},
                reverse("campaign:pledge_queue") + "?status=submitted",
                urgent=True,
            )
        )
    if pending["pledges_approved"]:
        tasks.append(
            Task(
                _("已审核待亮诺的承诺 %(n)d 条") % {"n": pending["pledges_approved"]},
                reverse("campaign:pledge_queue") + "?status=approved",
            )
        )
    if kind == Phase.Kind.COMMEND:
        tasks.append(Task(_("评定承诺兑现情况，组织评选表彰"), reverse("campaign:nomination_list")))
    return tasks


# --- 战斗堡垒: one query for every count of the to-do ---------------------------------------------


class _RowCount(Func):
    """COUNT(*) of a subquery's rows: `rows.values(n=_RowCount())` is one row, no GROUP BY."""

    template = "COUNT(*)"
    output_field = IntegerField()


def _count(rows: QuerySet) -> Subquery:
    return Subquery(rows.order_by().values(n=_RowCount()), output_field=IntegerField())


def _first(rows: QuerySet, field: str) -> Subquery:
    return Subquery(rows.values(field)[:1])


def _extreme(rows: QuerySet, function: str, field: str) -> Subquery:
    value = Func(F(field), function=function, output_field=IntegerField())
    return Subquery(rows.order_by().values(v=value), output_field=IntegerField())


def _pending(*, user: User, campaign: Campaign | None, today: dt.date | None = None) -> dict:
    """The counts behind this person's tasks, as one SELECT of scalar subqueries on the branch
    row (none when nothing applies to the person): the secretary's pledge queue; the 战斗堡垒's
    reviews to fill, deeds to confirm, overdue items (secretary); the responsible leader's
    measures due and items still without measures; measures due that the person owns on
    someone else's item; the posts the member holds."""
    today = today or timezone.localdate()
    branch_id = user.branch_id
    parts: dict[str, Any] = {}
    known: dict[str, Any] = {}  # what needs no query
    secretary = manages_fortress(user, branch_id)
    if campaign is not None and user.has_role(Role.SECRETARY):
        parts["pledges_submitted"] = _count(campaign.pledges.filter(status=P.SUBMITTED))
        parts["pledges_approved"] = _count(campaign.pledges.filter(status=P.APPROVED))
    if campaign is not None and secretary:
        quarter, posts = fortress.posts_to_review(campaign=campaign, today=today)
        if quarter is not None:
            known["review_year"], known["review_quarter"] = quarter
            parts["to_review"] = _count(posts)
            parts["to_review_first"] = _first(posts, "pk")
        parts["to_confirm"] = _count(fortress.deeds_to_confirm(campaign=campaign))
    if secretary:
        parts["items_overdue"] = _count(
            Rectification.objects.filter(branch_id=branch_id).overdue(today)
        )
    if reads_fortress(user, branch_id):
        due = fortress.measures_due(user=user, today=today)
        mine = due.filter(rectification__responsible=user)  # the leader updates them
        parts["due"] = _count(mine)
        parts["due_late"] = _count(mine.filter(deadline__lt=today))
        parts["due_item_min"] = _extreme(mine, "MIN", "rectification_id")
        parts["due_item_max"] = _extreme(mine, "MAX", "rectification_id")
        owned = due.exclude(rectification__responsible=user)  # done by the owner, reported
        parts["owned"] = _count(owned)
        parts["owned_item"] = _extreme(owned, "MIN", "rectification_id")
        bare = Rectification.objects.filter(
            branch_id=branch_id, responsible=user, status__in=Rectification.OPEN_STATUSES
        ).exclude(pk__in=Measure.objects.values("rectification"))
        parts["bare"] = _count(bare)
        parts["bare_late"] = _count(bare.filter(deadline__lt=today))
        parts["bare_first"] = _first(bare.order_by("deadline", "pk"), "pk")
    if campaign is not None and user.has_role(Role.MEMBER) and reads_fortress(user, branch_id):
        held = fortress.posts_held_by(user=user).order_by("order", "name", "pk")
        parts["held"] = _count(held)
        parts["held_first"] = _first(held, "pk")
        parts["held_name"] = _first(held, "name")
    parts.update(_service_parts(user, today))
    if not parts:
        return known
    row = Branch.objects.filter(pk=branch_id).values(**parts).first() or {}
    return {**row, **known}


def _fortress_tasks(user: User, campaign: Campaign | None, pending: dict[str, Any]) -> list[Task]:
    """The 战斗堡垒's part of the to-do, from `_pending`'s counts. The pages are reversed when
    the home page is drawn (reverse_lazy)."""
    section = _("战斗堡垒")
    tasks = []
    if pending.get("to_confirm"):
        tasks.append(
            Task(
                _("确认先锋事迹 %(n)d 条") % {"n": pending["to_confirm"]},
                format_lazy("{}?status=submitted", reverse_lazy("campaign:deed_list")),
                urgent=True,
                section=section,
            )
        )
    if pending.get("items_overdue"):
        tasks.append(
            Task(
                _("整改事项已逾期 %(n)d 项，请督促整改") % {"n": pending["items_overdue"]},
                format_lazy("{}?overdue=yes", reverse_lazy("campaign:rectification_list")),
                urgent=True,
                section=section,
            )
        )
    if pending.get("bare"):
        tasks.append(
            Task(
                _("您负责的整改事项 %(n)d 项还没有整改措施，请制定措施") % {"n": pending["bare"]},
                reverse_lazy("campaign:rectification_detail", args=[pending["bare_first"]])
                if pending["bare"] == 1
                else format_lazy("{}?status=open", reverse_lazy("campaign:rectification_list")),
                urgent=bool(pending["bare_late"]),
                section=section,
            )
        )
    if pending.get("due"):
        tasks.append(_measures_task(pending, section))
    if pending.get("owned"):
        tasks.append(
            Task(
                _("您承担的整改措施 %(n)d 项即将到期，完成后请向责任领导报告")
                % {"n": pending["owned"]},
                reverse_lazy("campaign:rectification_detail", args=[pending["owned_item"]]),
                section=section,
            )
        )
    if pending.get("to_review"):
        tasks.append(_review_task(pending, section))
    if pending.get("held"):
        post = pending["held_first"]
        text = (
            _("记录先锋事迹：您在“%(post)s”") % {"post": pending["held_name"]}
            if pending["held"] == 1
            else _("记录先锋事迹：您在 %(n)d 个先锋岗") % {"n": pending["held"]}
        )
        url = format_lazy("{}?post={}", reverse_lazy("campaign:deed_create"), post)
        tasks.append(Task(text, url, section=section))
    return tasks


# --- Serving the staff (issue 13) -------------------------------------------------------------


def _service_parts(user: User, today: dt.date) -> dict[str, Any]:
    """The secretary's items to accept (and of them late), a leader's items given to him or her
    to handle, a sender's named items waiting for his or her verdict."""
    parts: dict[str, Any] = {}
    branch_id = user.branch_id
    items = Feedback.objects.filter(branch_id=branch_id)
    if manages_fortress(user, branch_id):
        reports = IllnessReport.objects.filter(branch_id=branch_id)
        parts["ill_open"] = _count(reports.not_visited())
        parts["ill_late"] = _count(reports.late(today))
        # 完全匿名 items of past days not yet written out (the list page releases them)
        parts["fb_drops"] = _count(FeedbackDrop.objects.filter(branch_id=branch_id, day__lt=today))
        new = items.filter(status=Feedback.Status.NEW)
        parts["fb_new"] = _count(new)
        parts["fb_late"] = _count(
            new.filter(submitted_on__lt=today - dt.timedelta(days=NOT_ACCEPTED_DAYS))
        )
    if leads(user, branch_id):
        parts["fb_mine"] = _count(items.filter(handler=user, status=Feedback.Status.ACCEPTED))
    to_rate = items.filter(sender=user, status=Feedback.Status.FIXED).order_by("-submitted_on")
    parts["fb_rate"] = _count(to_rate)
    parts["fb_rate_first"] = _first(to_rate, "pk")
    return parts


def _service_tasks(pending: dict[str, Any]) -> list[Task]:
    section = _("服务群众")
    tasks = []
    reports = reverse_lazy("campaign:care_report_list")
    if pending.get("ill_late"):
        tasks.append(
            Task(
                _("%(n)d 位住院同事报告后超过一周还没有慰问") % {"n": pending["ill_late"]},
                reports,
                urgent=True,
                section=section,
            )
        )
    if (pending.get("ill_open") or 0) > (pending.get("ill_late") or 0):
        tasks.append(
            Task(
                _("%(n)d 份同事住院报告待慰问") % {"n": pending["ill_open"] - pending["ill_late"]},
                reports,
                section=section,
            )
        )
    to_accept = (pending.get("fb_new") or 0) + (pending.get("fb_drops") or 0)
    if to_accept:
        tasks.append(
            Task(
                _("受理群众意见 %(n)d 条") % {"n": to_accept},
                format_lazy("{}?status=new", reverse_lazy("campaign:feedback_list")),
                urgent=bool(pending.get("fb_late")),
                section=section,
            )
        )
    if pending.get("fb_mine"):
        tasks.append(
            Task(
                _("交给您处理的群众意见 %(n)d 条") % {"n": pending["fb_mine"]},
                format_lazy("{}?flag=mine", reverse_lazy("campaign:feedback_list")),
                section=section,
            )
        )
    if pending.get("fb_rate"):
        first = pending["fb_rate_first"]
        tasks.append(
            Task(
                _("您的意见已整改，请评价是否满意")
                if pending["fb_rate"] == 1
                else _("您的 %(n)d 条意见已整改，请评价是否满意") % {"n": pending["fb_rate"]},
                reverse_lazy("campaign:feedback_detail", args=[first])
                if pending["fb_rate"] == 1
                else reverse_lazy("campaign:feedback_mine"),
                urgent=True,
                section=section,
            )
        )
    return tasks


def _measures_task(pending: dict[str, Any], section: str) -> Task:
    n, late = pending["due"], pending["due_late"]
    if late:
        text = _("整改措施 %(n)d 项到期，其中 %(late)d 项已逾期，请更新进度") % {
            "n": n,
            "late": late,
        }
    else:
        text = _("整改措施 %(n)d 项即将到期，请更新进度") % {"n": n}
    if pending["due_item_min"] == pending["due_item_max"]:  # all on one item: straight to it
        url = reverse_lazy("campaign:rectification_detail", args=[pending["due_item_min"]])
    else:
        url = format_lazy("{}?status=open", reverse_lazy("campaign:rectification_list"))
    return Task(text, url, urgent=bool(late), section=section)


def _review_task(pending: dict[str, Any], section: str) -> Task:
    year, quarter = pending["review_year"], pending["review_quarter"]
    n = pending["to_review"]
    text = _("先锋岗季度评星：%(year)d年第%(quarter)d季度还有 %(n)d 个岗位未评") % {
        "year": year,
        "quarter": quarter,
        "n": n,
    }
    if n == 1:
        url = format_lazy(
            "{}?year={}&quarter={}",
            reverse_lazy("campaign:post_review", args=[pending["to_review_first"]]),
            year,
            quarter,
        )
    else:
        url = reverse_lazy("campaign:post_list")
    # Due once the quarter is over: urgent after the following month's first fortnight.
    urgent = timezone.localdate() > quarter_bounds(year, quarter)[1] + dt.timedelta(days=45)
    return Task(text, url, urgent=urgent, section=section)
