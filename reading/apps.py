from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from members.hooks import AppHooks, Demo, Home, Scale, Task

if TYPE_CHECKING:
    from members.models import User


class ReadingConfig(AppHooks, AppConfig):
    name = "reading"
    verbose_name = _("读书活动")

    def tasks_for(self, user: User) -> list[Task]:
        from .tasks import tasks_for

        return tasks_for(user=user)

    def home(self, user: User) -> Home:
        from .tasks import home

        return home(user=user)

    def seed_demo(self, demo: Demo) -> None:
        from .demo import seed

        seed(demo)

    def seed_scale(self, scale: Scale) -> None:
        from .scale import seed

        seed(scale)
