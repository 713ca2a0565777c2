from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .hooks import AppHooks, Demo


class MembersConfig(AppHooks, AppConfig):
    name = "members"
    verbose_name = _("人员与组织")

    def ready(self) -> None:
        from config.db import restrict_sqlite_files

        from .roles import sync_role_groups

        # Permissions only exist after migrate has run, so the role groups are synced then.
        post_migrate.connect(sync_role_groups, dispatch_uid="members.sync_role_groups")
        # The SQLite file and its -wal/-shm hold every record: owner-only, like .secret_key.
        connection_created.connect(restrict_sqlite_files, dispatch_uid="config.db.restrict_sqlite")

    def seed_demo(self, demo: Demo) -> None:
        from .demo import seed

        seed(demo)
