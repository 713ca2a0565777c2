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

`seed_scale(scale)`
    Add the app's part of the large company of `manage.py seed_scale` (a separate database for
    the benchmark): bulk inserts into `scale.database`, every row dated and consistent as the
    services would leave it, counters included. `scale` carries the sizes, the one password
    hash, a seeded `random.Random`, and (after members) the branch and the people. Called in
    INSTALLED_APPS order, each app inside its own transaction; `<app>/scale.py` holds the code.

Hook methods import their app's modules inside the method: AppConfig modules are imported before
the models are ready.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction
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


@dataclass
class Scale:
    """What `seed_scale` hands from app to app: the sizes, the target database, the one password
    hash every account shares, a seeded random generator (the same seed gives the same company),
    and, once members has run, the branch and its people.

    The sizes are those of the full company (issue 11); `sized(people=N)` scales them all in
    proportion for tests. The company's "today" is today: the last campaign and the last reading
    activity are running, everything before lies in the past.
    """

    FULL_PEOPLE: ClassVar[int] = 5000

    password_hash: str
    rng: random.Random
    # The alias every row is written to (`Model.objects.using(scale.database)`).
    database: str = DEFAULT_DB_ALIAS
    people_count: int = FULL_PEOPLE
    party_members: int = 500
    departments: int = 20
    leaders: int = 9  # 领导班子, the secretary and the leader sign-ins among them
    committee: int = 4  # 支委 (secretary role), the secretary among them
    years: int = 3  # one 创先争优 campaign a year, the last one running
    evaluators: int = 50  # 指定参评人员 of each 群众评议 round (two rounds a year)
    activities: int = 6  # 读书活动, two a year, the last one in its 交流 phase
    reflections: int = 20_000
    comments: int = 200_000
    likes: int = 100_000
    batch_size: int = 2000
    today: dt.date = field(default_factory=lambda: timezone.localdate())
    now: dt.datetime = field(default_factory=lambda: timezone.now())
    branch: Branch | None = None
    # Everyone, in employee-number order; `User.role_names` is filled in (no queries).
    people: list[User] = field(default_factory=list)
    # The sign-in accounts with a known password: sec, leader, member, staff.
    logins: dict[str, User] = field(default_factory=dict)
    # Phrases about what the apps added; per app: its name, seconds taken, its phrases.
    loaded: list[str] = field(default_factory=list)
    timings: list[tuple[str, float, str]] = field(default_factory=list)
    _midnights: dict[dt.date, dt.datetime] = field(default_factory=dict, repr=False)

    @classmethod
    def sized(cls, *, people: int = FULL_PEOPLE, **values: object) -> Scale:
        """A company of `people` with every other size in proportion (5,000 is the full one)."""
        factor = people / cls.FULL_PEOPLE

        def part(full: int, least: int) -> int:
            return max(least, round(full * factor))

        sizes = {
            "people_count": people,
            "party_members": part(500, 6),
            "departments": min(20, part(20, 3)),
            "leaders": part(9, 2),
            "committee": part(4, 1),
            "evaluators": part(50, 8),
            "reflections": part(20_000, 40),
            "comments": part(200_000, 200),
            "likes": part(100_000, 100),
        }
        return cls(**{**sizes, **values})

    def with_role(self, role: str) -> list[User]:
        return [person for person in self.people if person.has_role(role)]

    def party(self) -> list[User]:
        """The party members (member role), in employee-number order."""
        from .models import Role

        return self.with_role(Role.MEMBER)

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        """A moment on `day` (local time); never later than now."""
        midnight = self._midnights.get(day)
        if midnight is None:  # asked some 100,000 times: make_aware once a day
            midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()))
            self._midnights[day] = midnight
        return min(midnight + dt.timedelta(hours=hour, minutes=minute), self.now)


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

    def seed_scale(self, scale: Scale) -> None:
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


def seed_scale(scale: Scale) -> Scale:
    """Every app adds its part of the large company, in INSTALLED_APPS order (members first),
    each in one transaction of the target database; the seconds each took go to `scale.timings`.
    """
    for app in hooked_apps():
        started, phrases = time.perf_counter(), len(scale.loaded)
        with transaction.atomic(using=scale.database):
            app.seed_scale(scale)
        seconds = time.perf_counter() - started
        scale.timings.append((str(app.verbose_name), seconds, "；".join(scale.loaded[phrases:])))
    return scale
