"""Database connection hooks.

The SQLite file holds every person's record, so it is readable by its owner only, like
`.secret_key` and the backups. SQLite creates the -wal and -shm files with the mode of the
database file, so once the database is 0600 new ones are too; the ones already there (from a
process that ran before this hook existed, or created under a loose umask) are fixed here as well.
"""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

OWNER_ONLY = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def sqlite_files(connection: BaseDatabaseWrapper) -> list[Path]:
    """The database file and its side files, for a SQLite connection to a real file."""
    if connection.vendor != "sqlite":
        return []
    name = str(connection.settings_dict.get("NAME") or "")
    # ":memory:" and "file:...?mode=memory" (the test database) are no files.
    if not name or name == ":memory:" or name.startswith("file:"):
        return []
    path = Path(name)
    if not path.is_file():
        return []
    return [path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)]


def restrict_sqlite_files(*, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: chmod the SQLite database and its -wal/-shm to 0600."""
    for path in sqlite_files(connection):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode != OWNER_ONLY:
                path.chmod(OWNER_ONLY)
        except FileNotFoundError:
            continue  # a side file that does not exist (yet), or was just checkpointed away
        except OSError as exc:  # e.g. the file belongs to another user
            logger.warning("could not make %s owner-only: %s", path, exc)
