"""Backups of the whole database: a consistent copy while the app keeps running.

SQLite: the online backup API (a snapshot even while others write; WAL included).
PostgreSQL: pg_dump in custom format, restored with pg_restore --clean.
Files are named chuangxian-<engine>-<YYYYmmdd-HHMMSS>.<ext> and the newest `keep` are kept.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # pg_dump/pg_restore with argument lists, no shell
from collections.abc import Mapping
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

PREFIX = "chuangxian"
NAME_RE = re.compile(
    rf"^{PREFIX}-(?:sqlite|postgresql)-(?P<stamp>\d{{8}}-\d{{6}})(?:-(?P<n>\d+))?\.(?:sqlite3|dump)$"
)


class BackupError(Exception):
    """Anything that stops a backup or restore; the message is for the operator."""


def _engine(db: Mapping[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith(("postgresql", "postgis")):
        return "postgresql"
    raise BackupError(f"unsupported database engine {engine}")


def backup_name(engine: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    ext = "sqlite3" if engine == "sqlite" else "dump"
    return f"{PREFIX}-{engine}-{stamp}.{ext}"


def _unique(directory: Path, name: str) -> Path:
    """`name`, or name-N after the highest N already used in the same second (sorts last)."""
    stem, ext = name.rsplit(".", 1)
    taken = [p.name for p in directory.glob(f"{stem}*.{ext}")]
    if not taken:
        return directory / name
    numbers = [int(m["n"] or 0) for t in taken if (m := NAME_RE.match(t))]
    return directory / f"{stem}-{max(numbers, default=0) + 1}.{ext}"


# --- SQLite -----------------------------------------------------------------------------------


def integrity_check(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def _private_file(path: Path) -> Path:
    """Create `path` empty and readable by the owner only, before anything is written into it:
    a copy being written must not be readable by other local accounts either."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    path.chmod(0o600)  # the file may have existed with a wider mode
    return path


def sqlite_backup(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` in one consistent step, then verify it."""
    if not Path(source).exists():
        raise BackupError(f"database file {source} does not exist")
    partial = _private_file(target.with_name(target.name + ".partial"))
    with (
        closing(sqlite3.connect(source, timeout=30)) as src,
        closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)  # pages=-1: the whole database under one read transaction
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    if (result := integrity_check(partial)) != "ok":
        partial.unlink()
        raise BackupError(f"the copy failed its integrity check: {result}")
    partial.replace(target)


def sqlite_restore(backup: Path, target: Path) -> None:
    """Overwrite the database at `target` with `backup`, page by page, under its write lock."""
    if (result := integrity_check(backup)) != "ok":
        raise BackupError(f"{backup} is damaged: {result}")
    with (
        closing(sqlite3.connect(backup)) as src,
        closing(sqlite3.connect(target, timeout=30)) as dst,
    ):
        src.backup(dst)


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_env_and_args(db: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args: list[str] = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def pg_dump_command(db: Mapping[str, Any], target: Path) -> tuple[list[str], dict[str, str]]:
    env, args = _pg_env_and_args(db)
    cmd = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", *args]
    return [*cmd, "--dbname", str(db["NAME"])], env


def pg_restore_command(db: Mapping[str, Any], backup: Path) -> tuple[list[str], dict[str, str]]:
    env, args = _pg_env_and_args(db)
    cmd = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    return [*cmd, *args, "--dbname", str(db["NAME"]), str(backup)], env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    # The command is an argument list built from DATABASES (no shell, no user input).
    result = subprocess.run(  # noqa: S603 - an argument list from DATABASES, no shell
        cmd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {result.stderr.strip()[-2000:]}")


# --- Commands' entry points -------------------------------------------------------------------


def backup_create(*, directory: Path | None = None, keep: int = 14, using: str = "default") -> Path:
    """Write one backup into `directory` (settings.BACKUP_DIR) and prune to the newest `keep`."""
    db = settings.DATABASES[using]
    engine = _engine(db)
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    target = _unique(directory, backup_name(engine))
    if engine == "sqlite":
        sqlite_backup(Path(db["NAME"]), target)
    else:
        partial = _private_file(target.with_name(target.name + ".partial"))
        cmd, env = pg_dump_command(db, partial)
        try:
            _run(cmd, env)
        except BackupError:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
    target.chmod(0o600)  # it holds every person's record
    backup_prune(directory=directory, keep=keep)
    return target


def backups_in(directory: Path) -> list[Path]:
    """Our backup files in `directory`, oldest first, by the time in their names."""
    if not directory.exists():
        return []
    found = []
    for path in directory.iterdir():
        if path.is_file() and (match := NAME_RE.match(path.name)):
            found.append(((match["stamp"], int(match["n"] or 0)), path))
    return [path for _key, path in sorted(found)]


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    if keep < 1:
        raise BackupError("keep must be at least 1")
    old = backups_in(directory)[:-keep]
    for path in old:
        path.unlink()
    return old


def backup_restore(*, path: Path, using: str = "default") -> None:
    """Replace the database's content with the backup at `path`."""
    db = settings.DATABASES[using]
    engine = _engine(db)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    connections[using].close()
    if engine == "sqlite":
        if path.suffix != ".sqlite3" and not path.read_bytes()[:16].startswith(b"SQLite format 3"):
            raise BackupError(f"{path} is not a SQLite backup")
        sqlite_restore(path, Path(db["NAME"]))
    else:
        cmd, env = pg_restore_command(db, path)
        _run(cmd, env)
