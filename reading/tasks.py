"""What the current reading activity asks of a person now, and its home-page panel (members.hooks).

The current activity's phase decides: recommend a book (推荐), confirm receipt and record progress
(读), post a reflection (交流). The panel carries what is not a task: the activity, its phase, the
books chosen, the dates, the author's hidden posts, and the links to its pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from members.hooks import Home, Link, Panel, Task
from members.models import User

from .models import Distribution, ReadingActivity, Recommendation, Reflection
from .rules import is_participant

Phase = ReadingActivity.Phase
# After the recommendation phase: the books are (or should be) chosen and handed out.
AFTER_RECOMMENDING = (Phase.READ, Phase.DISCUSS, Phase.FINISHED)


def _live(user: User) -> tuple[ReadingActivity | None, list[ReadingActivity]]:
    """The current activity (the panel's) and any other one running at the same time: a new
    activity that has started must not hide the one whose forum is open, nor the reverse."""
    live = ReadingActivity.objects.live_for(user.branch)
    return (live[0], live[1:]) if live else (None, [])


def _all_tasks(user: User, current: ReadingActivity | None, others: list) -> list[Task]:
    tasks = activity_tasks(user=user, activity=current)
    for other in others:
        tasks += [
            replace(task, text=f"{task.text}（{other.title}）")
            for task in activity_tasks(user=user, activity=other)
        ]
    return tasks


def tasks_for(*, user: User) -> list[Task]:
    if not user.has_perm("reading.view_reading"):
        return []
    return _all_tasks(user, *_live(user))


def home(*, user: User) -> Home:
    """The tasks and the panel from one lookup of the current activity."""
    if not user.has_perm("reading.view_reading"):
        return Home()
    activity, others = _live(user)
    return Home(
        tasks=_all_tasks(user, activity, others),
        panel=Panel("reading/_home_panel.html", activity_panel(user=user, activity=activity)),
    )


def activity_tasks(*, user: User, activity: ReadingActivity | None) -> list[Task]:
    """The current phase's tasks for this person: a participant's, then the secretary's."""
    manage = user.has_perm("reading.manage_reading")
    if activity is None:
        return [Task(_("发起读书活动"), reverse("reading:activity_create"))] if manage else []
    tasks: list[Task] = []
    if is_participant(activity, user):
        tasks += _participant_tasks(user, activity)
    if manage and activity.phase in AFTER_RECOMMENDING and not activity.is_selected:
        tasks.append(
            Task(
                _("推荐已截止，请选定书目"),
                reverse("reading:selection_create", args=[activity.pk]),
                urgent=True,
            )
        )
    return tasks


def _participant_tasks(user: User, activity: ReadingActivity) -> list[Task]:
    phase = activity.phase
    if activity.recommending_open:
        return [_recommend_task(user, activity)]
    if not activity.books_chosen_or_due:
        return []
    tasks = [
        Task(
            _("确认已领取 %(book)s") % {"book": d.selection},
            reverse("reading:distribution_confirm", args=[d.pk]),
            urgent=True,
            post=True,
        )
        for d in Distribution.objects.valid()
        .filter(selection__activity=activity, member=user, confirmed_at__isnull=True)
        .select_related("selection")
    ]
    if phase == Phase.READ:
        tasks.append(Task(_("登记阅读进度"), reverse("reading:progress_list", args=[activity.pk])))
    elif phase == Phase.DISCUSS:
        tasks.append(
            Task(_("发表读后感"), reverse("reading:reflection_create", args=[activity.pk]))
        )
    return tasks


def _recommend_task(user: User, activity: ReadingActivity) -> Task:
    url = reverse("reading:recommendation_edit", args=[activity.pk])
    day = _day(activity.recommend_end)
    mine = Recommendation.objects.filter(activity=activity, member=user).first()
    if mine is None:
        return Task(_("推荐一本好书（%(day)s 截止）") % {"day": day}, url)
    return Task(_("修改推荐：您推荐了 %(book)s（%(day)s 截止）") % {"book": mine, "day": day}, url)


def activity_panel(*, user: User, activity: ReadingActivity | None) -> dict[str, object]:
    """What the home panel shows besides the tasks, worked out here rather than in the template."""
    if activity is None:
        return {"activity": None, "notes": [_("还没有读书活动。")], "links": []}
    return {
        "activity": activity,
        "notes": _notes(activity),
        "links": _links(user, activity),
        # The author is told when a post of his or hers was hidden, and why.
        "hidden_posts": list(
            Reflection.objects.filter(activity__branch=user.branch, author=user, hidden=True).only(
                "pk", "title", "hidden_reason"
            )[:3]
        ),
    }


def _notes(activity: ReadingActivity) -> list[str]:
    phase = activity.phase
    if phase == Phase.UPCOMING:
        return [_("%(day)s 开始推荐好书。") % {"day": _day(activity.recommend_start)}]
    if activity.recommending_open:
        return [
            _("每人推荐一本好书，%(day)s 截止；也可以附议别人的推荐。")
            % {"day": _day(activity.recommend_end)}
        ]
    notes = []
    books = "、".join(str(book) for book in activity.selections.all())
    if books:
        notes.append(_("共读书目：%(books)s") % {"books": books})
    if phase == Phase.RECOMMEND:
        notes.append(_("%(day)s 进入阅读阶段。") % {"day": _day(activity.read_start)})
    if phase == Phase.READ:
        notes.append(_("%(day)s 起在读书论坛交流读后感。") % {"day": _day(activity.discuss_start)})
    return notes


def _links(user: User, activity: ReadingActivity) -> list[Link]:
    phase = activity.phase
    links = []
    if phase == Phase.RECOMMEND:
        links.append(Link(_("推荐书目与附议"), _url("recommendation_list", activity)))
    elif phase == Phase.DISCUSS:
        if is_participant(activity, user):
            links.append(Link(_("阅读进度"), _url("progress_list", activity)))
        links.append(Link(_("读书论坛"), _url("reflection_list", activity)))
    elif phase == Phase.FINISHED:
        links.append(Link(_("精华推荐"), _url("reflection_showcase", activity)))
        links.append(Link(_("读书论坛"), _url("reflection_list", activity)))
    if user.has_perm("reading.manage_reading"):
        links.append(Link(_("活动统计"), _url("activity_stats", activity)))
    return links


def _url(name: str, activity: ReadingActivity) -> str:
    return reverse(f"reading:{name}", args=[activity.pk])


def _day(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")
