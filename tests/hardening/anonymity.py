"""`assert_untraceable`: proof that an anonymous action leaves nothing that points to its author.

Use it on every anonymous feature (群众评议 ballots, anonymous staff feedback)::

    from tests.hardening.anonymity import assert_untraceable

    assert_untraceable(
        evaluator,
        lambda: member_client.post(url, data),
        allowed_tables={"campaign_evaluationturnout"},  # may name the person, never the ballot
        admin_client=secretary_client,                   # someone other than the evaluator
        pages=[reverse("campaign:round_export", ...)],   # exports the secretary can download
        session_key=member_client.session.session_key,
    )

It snapshots every table, runs the action and then fails if
  * a row the action created or changed (outside `allowed_tables` and the evaluator's own session)
    points to the evaluator: a foreign key to the user, or text containing their username, name,
    staff number, phone, e-mail, session key, address, or a plain hash of these;
  * such a row carries its order of creation (an integer auto id, a time of day) while rows that
    do name the person changed too: lining the two up by order would re-identify the author;
  * the evaluator's side (allowed tables, the session, the user row) holds any id or value of the
    anonymous rows (a ballot id in the session, a token);
  * a new audit entry names the evaluator or was written by them;
  * any log record written meanwhile (every logger, DEBUG and up) names the evaluator;
  * the admin changelist or change page of a changed model, or any of `pages`, names the evaluator.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, models
from django.urls import NoReverseMatch, reverse

SESSION_TABLE = "django_session"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")  # a time of day in a stored value


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: Counter = field(default_factory=Counter)


def _value(v: Any) -> Any:
    if isinstance(v, memoryview | bytes):
        return bytes(v).hex()
    if isinstance(v, dict | list):  # JSON columns on PostgreSQL
        return json.dumps(v, sort_keys=True, default=str)
    return v


def snapshot() -> dict[str, Table]:
    tables: dict[str, Table] = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            table = Table(name, columns)
            table.rows.update(tuple(_value(v) for v in row) for row in cursor.fetchall())
            tables[name] = table
    return tables


def changed_rows(before: dict[str, Table], after: dict[str, Table]) -> dict[str, list[dict]]:
    """Rows present after and not before (created, or changed in any column), by table."""
    out: dict[str, list[dict]] = {}
    for name, table in after.items():
        old = before.get(name, Table(name, table.columns)).rows
        new = table.rows - old
        if new:
            out[name] = [dict(zip(table.columns, row, strict=True)) for row in new.elements()]
    return out


def identifiers(
    user: Any, *, session_key: str | None, ip: str | None, extra: Iterable[str]
) -> set[str]:
    values = {
        user.get_username(),
        getattr(user, "full_name", ""),
        getattr(user, "employee_no", ""),
        getattr(user, "phone", ""),
        getattr(user, "email", ""),
        session_key or "",
        ip or "",
        *extra,
    }
    values = {str(v) for v in values if v and len(str(v)) >= 2}
    for raw in [*list(values), str(user.pk)]:
        for algorithm in ("md5", "sha1", "sha256"):
            values.add(hashlib.new(algorithm, raw.encode()).hexdigest())
    return values


def _models_by_table() -> dict[str, type[models.Model]]:
    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}


def _user_fk_columns(model: type[models.Model] | None) -> set[str]:
    if model is None:
        return set()
    user_model = get_user_model()
    return {
        f.column
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is user_model
    }


def _orderable(model: type[models.Model] | None, row: dict) -> str | None:
    """Why this row betrays its order of creation, or None."""
    if model is not None and isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
        return f"its id {row.get(model._meta.pk.column)} is a counter"
    for column, value in row.items():
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        if hasattr(value, "hour") or (isinstance(value, str) and _DAY.match(text)):
            return f"column {column} holds a time of day ({text})"
    return None


def _session_text(row: dict) -> str:
    try:
        return str(SessionStore().decode(row.get("session_data", "")))
    except Exception:  # noqa: BLE001 - undecodable is reported as its raw text
        return str(row)


def _count(text: str, needle: str) -> int:
    # Latin names match whole words only ("member" is not in "/members/"); CJK names anywhere.
    return len(re.findall(rf"(?<![A-Za-z0-9]){re.escape(needle)}(?![A-Za-z0-9])", text))


def _names(text: str, needles: set[str]) -> list[str]:
    return sorted(n for n in needles if _count(text, n))


def _new_names(before: str, after: str, needles: set[str]) -> list[str]:
    return sorted(n for n in needles if _count(after, n) > _count(before, n))


@contextmanager
def captured_logs() -> Iterable[list[str]]:
    """Every record any logger emits meanwhile, formatted, at DEBUG and up."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(f"{record.name}: {record.getMessage()} {getattr(record, 'request', '')}")

    handler = Collect(level=logging.DEBUG)
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)
    ]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    try:
        yield lines
    finally:
        for lg, level, disabled in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
            lg.disabled = disabled


def _content_text(response: Any) -> str:
    content = b"".join(response) if getattr(response, "streaming", False) else response.content
    if content[:4] == b"PK\x03\x04":  # xlsx/docx exports: look inside
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(n).decode(errors="replace") for n in archive.namelist())
    return content.decode(errors="replace")


def assert_untraceable(
    evaluator: Any,
    action: Callable[[], Any],
    *,
    allowed_tables: Iterable[str] = (),
    admin_client: Any = None,
    pages: Iterable[str] = (),
    session_key: str | None = None,
    ip: str | None = None,
    extra_identifiers: Iterable[str] = (),
    allow_order: bool = False,
) -> Any:
    """Run `action` (the anonymous submission) and fail if anything links it to `evaluator`."""
    allowed = set(allowed_tables)
    needles = identifiers(evaluator, session_key=session_key, ip=ip, extra=extra_identifiers)
    by_table = _models_by_table()
    user_table = get_user_model()._meta.db_table
    own_side = allowed | {SESSION_TABLE, user_table}

    def read(url: str) -> str:
        return _content_text(admin_client.get(url))

    admin_lists = {}
    if admin_client is not None:
        for model in admin.site._registry:
            opts = model._meta
            if opts.db_table not in own_side:
                admin_lists[opts.db_table] = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_changelist"
                )
    pages = list(pages)
    pages_before = {url: read(url) for url in pages} if admin_client is not None else {}
    lists_before = {t: read(url) for t, url in admin_lists.items()}

    before = snapshot()
    with captured_logs() as logs:
        result = action()
    changes = changed_rows(before, snapshot())

    problems: list[str] = []
    anonymous: dict[str, list[dict]] = {t: r for t, r in changes.items() if t not in own_side}
    evaluator_side = {t: r for t, r in changes.items() if t in own_side}

    # 1. Anonymous rows must not point to the person.
    for table, rows in anonymous.items():
        model = by_table.get(table)
        fks = _user_fk_columns(model)
        for row in rows:
            for column in fks:
                if row.get(column) == evaluator.pk:
                    problems.append(f"{table}.{column} points to the evaluator: {row}")
            if hits := _names(str(row), needles):
                problems.append(f"{table} row names the evaluator ({hits}): {row}")
            if (
                model is not None
                and "object_id" in row
                and str(row["object_id"]) == str(evaluator.pk)
            ):
                user_words = {str(get_user_model()._meta.verbose_name), "user"}
                if any(w in str(row) for w in user_words):
                    problems.append(f"{table} row refers to the evaluator by id: {row}")

    # 2. Order of creation on both sides lets one line them up.
    if not allow_order and evaluator_side:
        for table, rows in anonymous.items():
            reasons = {r for row in rows if (r := _orderable(by_table.get(table), row))}
            if reasons:
                problems.append(
                    f"{table} rows carry their order of creation ({sorted(reasons)[0]}) while "
                    f"{sorted(evaluator_side)} changed for the evaluator: "
                    "line them up to re-identify"
                )

    # 3. The evaluator's side must not hold anything of the anonymous rows.
    anonymous_values = set()
    for table, rows in anonymous.items():
        model = by_table.get(table)
        for row in rows:
            for column, value in row.items():
                text = str(value)
                if len(text) >= 16 or (
                    model is not None
                    and column == model._meta.pk.column
                    and not str(value).isdigit()
                ):
                    anonymous_values.add(text)
                    if _looks_like_uuid(text):  # SQLite keeps UUIDs as 32 hex digits
                        anonymous_values |= {text.replace("-", ""), str(uuid.UUID(text))}
    for table, rows in evaluator_side.items():
        for row in rows:
            text = _session_text(row) if table == SESSION_TABLE else str(row)
            if hits := _names(text, anonymous_values):
                problems.append(f"{table} (the evaluator's side) holds anonymous values {hits}")

    # 4. Audit trail, logs, admin, exports.
    from members.models import AuditEntry

    audit_table = AuditEntry._meta.db_table
    for row in changes.get(audit_table, []):
        if row.get("actor_id") == evaluator.pk:
            problems.append(f"audit entry written as the evaluator: {row}")
    for line in logs:
        if hits := _names(line, needles):
            problems.append(f"log record names the evaluator ({hits}): {line[:300]}")
    if admin_client is not None:
        # What the action added to the admin and to the pages (exports) must not name the person.
        for table, url in admin_lists.items():
            if hits := _new_names(lists_before[table], read(url), needles):
                problems.append(f"admin list {url} now names the evaluator ({hits})")
        for table, rows in anonymous.items():
            model = by_table.get(table)
            if model is None or model not in admin.site._registry:
                continue
            opts = model._meta
            for row in rows:
                try:
                    url = reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_change",
                        args=[row[opts.pk.column]],
                    )
                except NoReverseMatch:
                    continue
                if hits := _names(read(url), needles):
                    problems.append(f"admin page {url} names the evaluator ({hits})")
        for url in pages:
            if hits := _new_names(pages_before[url], read(url), needles):
                problems.append(f"page {url} names the evaluator ({hits})")

    assert not problems, "anonymity broken:\n" + "\n".join(problems)
    return result


def _looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
