from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .hooks import AppHooks, Demo, Home, Panel, Scale

if TYPE_CHECKING:
    from .models import User


class MembersConfig(AppHooks, AppConfig):
    name = "members"
    verbose_name = _("人员与组织")

    def ready(self) -> None:
        from config import pagecache
        from config.db import restrict_sqlite_files
        from config.exports import ledger_exported

        from .audit import record_export
        from .roles import sync_role_groups

        # Permissions only exist after migrate has run, so the role groups are synced then.
        post_migrate.connect(sync_role_groups, dispatch_uid="members.sync_role_groups")
        # The SQLite file and its -wal/-shm hold every record: owner-only, like .secret_key.
        connection_created.connect(restrict_sqlite_files, dispatch_uid="config.db.restrict_sqlite")
        ledger_exported.connect(record_export, dispatch_uid="members.audit.record_export")
        # Every write stamps its tables, so that a page kept rendered knows it is stale.
        pagecache.install()

    def home(self, user: User) -> Home:
        """For the secretary: the address members open, with its QR code (members/address.py)."""
        tasks = self.tasks_for(user)
        if not user.is_secretary:
            return Home(tasks=tasks)
        return Home(tasks=tasks, panel=Panel("members/_home_address.html", {}))

    def seed_demo(self, demo: Demo) -> None:
        from .demo import seed

        seed(demo)

    def seed_scale(self, scale: Scale) -> None:
        from .scale import seed

        seed(scale)
