"""Backups: consistent while others write, restorable, pruned to the newest N."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from members import backups

BASE_DIR = Path(settings.BASE_DIR)
PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"  # as config/settings.py


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=20, isolation_level=None)
    db.executescript(PRAGMAS)
    return db


def test_a_backup_taken_under_writers_restores_every_row_committed_before_it(tmp_path, capsys):
    source = tmp_path / "live.sqlite3"
    with closing(_connect(source)) as db:
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, writer INT, body TEXT NOT NULL)")
        db.execute("CREATE INDEX note_writer ON note (writer)")
    committed: list[int] = []  # ids whose COMMIT returned
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with closing(_connect(source)) as db:
                while not stop.is_set():
                    db.execute("BEGIN IMMEDIATE")
                    cur = db.execute(
                        "INSERT INTO note (writer, body) VALUES (?, ?)", (n, "记录" * 50)
                    )
                    db.execute("COMMIT")
                    with lock:
                        committed.append(cur.lastrowid)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    while len(committed) < 2000:
        time.sleep(0.01)
    with lock:
        before = list(committed)
    started = time.monotonic()
    target = tmp_path / "backup.sqlite3"
    backups.sqlite_backup(source, target)
    took = time.monotonic() - started
    time.sleep(0.05)  # the writers go on after the backup
    stop.set()
    for t in threads:
        t.join()
    assert not errors, errors

    fresh = tmp_path / "fresh.sqlite3"
    backups.sqlite_restore(target, fresh)
    with closing(sqlite3.connect(fresh)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        restored = {row[0] for row in db.execute("SELECT id FROM note")}
    missing = set(before) - restored
    assert not missing, f"{len(missing)} committed rows missing from the backup"
    with closing(sqlite3.connect(source)) as db:
        total = db.execute("SELECT count(*) FROM note").fetchone()[0]
    assert total > len(restored) >= len(before)
    with capsys.disabled():
        print(
            f"\n[backup] {len(before)} rows committed before the backup, {len(restored)} in it, "
            f"{total} at the end; backup took {took * 1000:.0f} ms under 4 writers"
        )


def test_restore_refuses_a_damaged_file(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises((backups.BackupError, sqlite3.DatabaseError)):
        backups.sqlite_restore(bad, tmp_path / "x.sqlite3")


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_backups_are_named_by_time_and_pruned_to_the_newest(tmp_path, settings):
    source = tmp_path / "db.sqlite3"
    with closing(_connect(source)) as db:
        db.execute("CREATE TABLE t (x)")
    stray = tmp_path / "out" / "notes.txt"
    stray.parent.mkdir()
    stray.write_text("not a backup: never deleted")
    db_settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}
    settings.DATABASES = {"default": settings.DATABASES["default"], "copy": db_settings}
    made = []
    for _ in range(4):
        made.append(backups.backup_create(directory=stray.parent, keep=2, using="copy"))
    left = backups.backups_in(stray.parent)
    assert left == made[-2:]
    assert stray.exists()
    for path in left:
        assert backups.NAME_RE.match(path.name), path.name
        assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_backup_being_written_is_never_readable_by_others(tmp_path, monkeypatch):
    """The copy is owner-only from its first byte, not only after the final rename."""
    source = tmp_path / "db.sqlite3"
    with closing(_connect(source)) as db:
        db.execute("CREATE TABLE t (x)")
    modes = []
    checked = backups.integrity_check

    def spy(path: Path) -> str:
        modes.append(path.stat().st_mode & 0o777)  # the .partial file, fully written
        return checked(path)

    monkeypatch.setattr(backups, "integrity_check", spy)
    old = os.umask(0o022)
    try:
        target = tmp_path / "copy.sqlite3"
        (tmp_path / "copy.sqlite3.partial").write_bytes(b"")  # a leftover with a wide mode
        (tmp_path / "copy.sqlite3.partial").chmod(0o644)
        backups.sqlite_backup(source, target)
    finally:
        os.umask(old)
    assert modes == [0o600]


def test_postgres_uses_pg_dump_custom_format_and_pg_restore_clean(tmp_path, monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda name: f"/usr/bin/{name}")
    db = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "chuangxian",
        "USER": "app",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": "5432",
    }
    cmd, env = backups.pg_dump_command(db, tmp_path / "x.dump")
    assert cmd[0] == "/usr/bin/pg_dump" and "--format=custom" in cmd
    assert cmd[-2:] == ["--dbname", "chuangxian"]
    assert ["--host", "db.internal"] == cmd[cmd.index("--host") : cmd.index("--host") + 2]
    assert env["PGPASSWORD"] == "s3cret" and "s3cret" not in " ".join(cmd)
    cmd, env = backups.pg_restore_command(db, tmp_path / "x.dump")
    assert cmd[0] == "/usr/bin/pg_restore" and "--clean" in cmd and "--if-exists" in cmd
    assert cmd[-1] == str(tmp_path / "x.dump")


def _manage(*args: str, db: Path, backup_dir: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_BACKUP_DIR": str(backup_dir),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        **extra,
    }
    return subprocess.run(  # noqa: S603 - our interpreter, our manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_commands_round_trip_the_app_database(tmp_path, capsys):
    db, out = tmp_path / "app.sqlite3", tmp_path / "backups"
    assert _manage("migrate", "--noinput", "-v0", db=db, backup_dir=out).returncode == 0
    code = (
        "from tests.factories import make_branch, make_person;"
        "b = make_branch(name='备份支部');"
        "[make_person(b, full_name=f'人员{i}') for i in range(25)]"
    )
    assert _manage("shell", "-c", code, db=db, backup_dir=out).returncode == 0
    made = _manage("backup", "--keep", "3", db=db, backup_dir=out)
    assert made.returncode == 0, made.stderr
    (backup,) = backups.backups_in(out)
    assert "Backup written" in made.stdout

    with closing(sqlite3.connect(db)) as conn:  # a lost afternoon: people deleted
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DELETE FROM members_user_groups")
        conn.execute("DELETE FROM members_user")
        conn.commit()
    refused = _manage("restore", str(backup), db=db, backup_dir=out)  # no "yes" on stdin
    assert refused.returncode != 0
    restored = _manage("restore", str(backup), "--noinput", db=db, backup_dir=out)
    assert restored.returncode == 0, restored.stderr
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        people = conn.execute("SELECT count(*) FROM members_user").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert people == 25
    with capsys.disabled():
        print(
            f"\n[backup] command round trip: {people} people back; {backup.stat().st_size:,} bytes;"
            f" journal mode after restore: {mode}"
        )


def test_restore_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.sqlite3"), "--noinput")


PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_TEST_DB = "chuangxian_hardening_backup"


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - no server: the test is skipped
        return False
    return True


@pytest.mark.skipif(not _pg_available(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_postgres_round_trip_with_pg_dump_and_pg_restore(tmp_path, capsys):
    import psycopg

    def admin(sql: str) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {PG_TEST_DB} WITH (FORCE)")
    admin(f"CREATE DATABASE {PG_TEST_DB}")
    url = f"postgres://postgres@127.0.0.1:5432/{PG_TEST_DB}"
    out = tmp_path / "backups"
    try:
        env = {"DATABASE_URL": url}
        assert (
            _manage("migrate", "-v0", db=tmp_path / "unused", backup_dir=out, **env).returncode == 0
        )
        code = (
            "from tests.factories import make_branch, make_person;"
            "b = make_branch(name='备份支部');"
            "[make_person(b, full_name=f'人员{i}') for i in range(25)]"
        )
        assert (
            _manage("shell", "-c", code, db=tmp_path / "unused", backup_dir=out, **env).returncode
            == 0
        )
        made = _manage("backup", db=tmp_path / "unused", backup_dir=out, **env)
        assert made.returncode == 0, made.stderr
        (backup,) = backups.backups_in(out)
        assert backup.suffix == ".dump" and backup.read_bytes()[:5] == b"PGDMP"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DELETE FROM members_user_groups")
            conn.execute("DELETE FROM members_user")
        restored = _manage(
            "restore", str(backup), "--noinput", db=tmp_path / "x", backup_dir=out, **env
        )
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(url) as conn:
            people = conn.execute("SELECT count(*) FROM members_user").fetchone()[0]
        assert people == 25
        with capsys.disabled():
            print(
                f"\n[backup] PostgreSQL round trip: {people} people back, "
                f"{backup.stat().st_size:,} bytes custom-format dump"
            )
    finally:
        admin(f"DROP DATABASE IF EXISTS {PG_TEST_DB} WITH (FORCE)")
