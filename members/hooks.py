"""How the apps above members contribute to its pages and commands without members importing them.

members is the base app: campaign and reading depend on it, never the reverse. Where a page or a
command of members needs something from every app (the home page's 待办 list, the demo data),
each app's AppConfig mixes in `AppHooks` and implements its methods; `hooked_apps()` finds them
through `django.apps.apps.get_app_configs()`, in INSTALLED_APPS order. members never imports an
app above it.

The hooks:

`tasks_for(user) -> list[Task]`
    What the app expects of this person now (推荐一本好书, 审核公开承诺 3 条, 确认已领取 …): a
    short list built from the rules, not an activity feed. The home page shows every app's tasks
    as one 待办 list, urgent ones first. New features add their tasks here (vanguard posts,
    staff feedback, the secretary's to-do list page, which calls `tasks_for` below): a feature of
    an existing app extends that app's task function; a new app implements the hook in its own
    AppConfig.

`home(user) -> Home`
    The app's part of the home page: its tasks plus an optional panel of information that is not a
    task (the current phase, the current activity's name). By default `tasks_for(user)` and no
    panel. An app whose panel needs the same lookups as its tasks (the current campaign, the
    current activity) overrides it so that the home page runs them once; it must then build its
    tasks with the same function as `tasks_for`. A panel is a template plus its context; the
    context is computed in Python (no queries in template tags, no state machine in templates).

`seed_demo(demo)`
    Load the app's part of the demo story (`manage.py seed_demo`), idempotently: find each row by
    a key that does not move with the calendar and update it. `demo` is shared by all apps:
    members fills in the branch and the people first, the apps after it read them. Every date
    is a date of the story moved by `demo.day()`/`demo.at()`, so that the story's "today" is
    today: running phases contain today, what happened lies in the past.

Hook methods import their app's modules inside the method: AppConfig modules are imported before
the models are ready.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Branch, User


@dataclass(frozen=True)
class Task:
    """One thing a person is expected to do now, with the page (or POST action) that does it."""

    text: str
    url: str
    urgent: bool = False
    # Where the task comes from, shown next to it on the home page; `tasks_for` below fills it in
    # with the app's verbose name when the app leaves it empty.
    section: str = ""
    # The url is a one-click POST action (a button with the CSRF token), not a page to open.
    post: bool = False


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Panel:
    """An app's box on the home page: `{% include template %}` with `panel` set to `context`."""

    template: str
    context: Mapping[str, object]


@dataclass(frozen=True)
class Home:
    """One app's part of the home page."""

    tasks: list[Task] = field(default_factory=list)
    panel: Panel | None = None


@dataclass
class Demo:
    """What `seed_demo` hands from app to app: the password, the one "now", the branch and people.

    The story is told in the dates of the seed report; `story_today` is the report's own day. Every
    story date goes through `day()` (or `at()`), which moves it by the same number of days, so the
    story's today is today.
    """

    password: str
    story_today: dt.date
    # Looked up when the demo starts (not bound at import), so a test can move the clock.
    today: dt.date = field(default_factory=lambda: timezone.localdate())
    now: dt.datetime = field(default_factory=lambda: timezone.now())
    branch: Branch | None = None
    people: dict[str, User] = field(default_factory=dict)
    # One phrase per app about what it loaded, for the command's closing line.
    loaded: list[str] = field(default_factory=list)

    def day(self, story_day: str | dt.date) -> dt.date:
        """The date that a date of the story falls on, with the story's today moved to today."""
        if isinstance(story_day, str):
            story_day = dt.date.fromisoformat(story_day)
        return story_day + (self.today - self.story_today)

    def at(self, story_day: str | dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """A moment of the story on `day(story_day)`; never later than now."""
        moment = timezone.make_aware(
            dt.datetime.combine(self.day(story_day), dt.time(hour, minute))
        )
        return min(moment, self.now)

    def person(self, username: str) -> User:
        return self.people[username]

    def with_role(self, role: str) -> list[User]:
        return [person for person in self.people.values() if person.has_role(role)]


class AppHooks:
    """Mix into an AppConfig (before AppConfig) to take part; override what the app contributes."""

    label: str
    verbose_name: str

    def tasks_for(self, user: User) -> list[Task]:
        return []

    def home(self, user: User) -> Home:
        return Home(tasks=self.tasks_for(user))

    def seed_demo(self, demo: Demo) -> None:
        return None


def hooked_apps() -> list[AppHooks]:
    """The installed apps that take part, in INSTALLED_APPS order (members first)."""
    return [config for config in apps.get_app_configs() if isinstance(config, AppHooks)]


def _with_section(app: AppHooks, tasks: list[Task]) -> list[Task]:
    section = str(app.verbose_name)
    return [task if task.section else replace(task, section=section) for task in tasks]


def _urgent_first(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=lambda task: not task.urgent)  # stable: each app's order stays


def tasks_for(user: User) -> list[Task]:
    """Every app's tasks for this person, urgent ones first."""
    tasks: list[Task] = []
    for app in hooked_apps():
        tasks += _with_section(app, app.tasks_for(user))
    return _urgent_first(tasks)


def home_for(user: User) -> tuple[list[Task], list[Panel]]:
    """The home page: one 待办 list from every app, urgent first, and the apps' panels in order."""
    tasks: list[Task] = []
    panels: list[Panel] = []
    for app in hooked_apps():
        part = app.home(user)
        tasks += _with_section(app, part.tasks)
        if part.panel is not None:
            panels.append(part.panel)
    return _urgent_first(tasks), panels


def seed_demo(demo: Demo) -> Demo:
    """Every app loads its part of the demo, in INSTALLED_APPS order (members first)."""
    for app in hooked_apps():
        app.seed_demo(demo)
    return demo
