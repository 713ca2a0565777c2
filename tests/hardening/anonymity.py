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
    storage_truth: Callable[[], dict[type[models.Model], dict[str, tuple[int, str]]]] | None = None,
) -> Any:
    """Run `action` (the anonymous submission) and fail if anything links it to `evaluator`.

    With `storage_truth` (called after the action: {anonymous model: {row pk: (owner, unit)}}),
    the storage-level attacks below run too: system columns, physical order, timestamps.
    """
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

    if storage_truth is not None:
        problems += storage_attacks(storage_truth())

    assert not problems, "anonymity broken:\n" + "\n".join(problems)
    return result


def _looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# --- Storage level: hidden columns, physical order and per-person timestamps ------------------
#
# `assert_storage_unlinkable` is the attack of someone holding the database file or a backup:
# it reads every table with its system columns (SQLite: rowid; PostgreSQL: ctid, xmin, cmin) and
# tries to join the anonymous rows to people through anything that is not a column naming them:
#   * equality joins: an anonymous row written in the same transaction (xmin) as a row that
#     names a person, or stamped with the same day as a person's sign-in, session, audit entry…;
#   * order: the rank correlation between an anonymous row's position (rowid/ctid, xmin, cmin,
#     an integer id, a date) and every per-person value (each timestamp column of every table
#     that names people, their rows' positions and transaction ids, first and last);
#   * blocks: physically adjacent anonymous rows, or rows sharing a transaction, that belong to
#     the same person more often than chance (one block of ballots per voter).
# The test knows the true owner of each anonymous row (it chose distinctive votes) and passes it
# in; the helper measures how much better than chance each attack guesses that owner.

MAX_RANK_CORRELATION = 0.5  # |Spearman rho|; a random order gives about 1/sqrt(n)
MAX_ADVANTAGE = 0.2  # share of owners guessed right beyond chance
MIN_ROWS = 30  # fewer anonymous rows prove nothing either way


@dataclass
class StorageRow:
    owner: int | None
    unit: str  # rows of one unit (a ballot and its marks) belong together by design
    signals: dict[str, float] = field(default_factory=dict)
    days: set = field(default_factory=set)


def _system_select(table: str) -> str:
    quoted = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        system = "ctid::text AS __ctid, xmin::text AS __xmin, cmin::text AS __cmin"
        return f"SELECT {system}, * FROM {quoted}"  # noqa: S608
    return f"SELECT rowid AS __rowid, * FROM {quoted}"  # noqa: S608


def _read_with_system_columns(table: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(_system_select(table))
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if connection.vendor == "postgresql":
            page, tup = row.pop("__ctid").strip("()").split(",")
            row["__pos"] = (int(page), int(tup))
            row["__xmin"] = int(row["__xmin"])
            row["__cmin"] = int(row["__cmin"])
        else:
            row["__pos"] = row.pop("__rowid")
    order = sorted(range(len(rows)), key=lambda i: rows[i]["__pos"])
    for rank, i in enumerate(order):
        rows[i]["__pos"] = float(rank)
    return rows


def _time_value(value: Any) -> float | None:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.timestamp()
    if isinstance(value, dt.date):
        return float(value.toordinal() * 86400)
    if isinstance(value, str) and _DAY.match(value):  # SQLite returns text for raw selects
        try:
            return dt.datetime.fromisoformat(value).timestamp()
        except ValueError:
            return None
    return None


def _day(value: Any) -> Any:
    import datetime as dt

    from django.utils import timezone

    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _row_signals(row: dict, pk_column: str | None) -> tuple[dict[str, float], set]:
    signals: dict[str, float] = {"pos": row["__pos"]}
    for key in ("__xmin", "__cmin"):
        if key in row:
            signals[key.strip("_")] = float(row[key])
    days = set()
    for column, value in row.items():
        if column.startswith("__"):
            continue
        if column == pk_column and isinstance(value, int):
            signals["id"] = float(value)
        if (t := _time_value(value)) is not None:
            signals[column] = t
            days.add(_day(value))
    return signals, days


def _person_side(exclude: set[str]) -> dict[int, dict[str, list[float]]]:
    """Every per-person value in the database: person pk → signal name → values."""
    user_model = get_user_model()
    user_table = user_model._meta.db_table
    usernames = dict(user_model.objects.values_list(user_model.USERNAME_FIELD, "pk"))
    by_table = _models_by_table()
    people: dict[int, dict[str, list[float]]] = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    for table in tables:
        if table in exclude:
            continue
        model = by_table.get(table)
        fks = _user_fk_columns(model)
        pk_column = model._meta.pk.column if model is not None else None
        for row in _read_with_system_columns(table):
            owners = {row[c] for c in fks if row.get(c) is not None}
            if table == user_table:
                owners.add(row["id"])
            if isinstance(row.get("username"), str) and row["username"] in usernames:
                owners.add(usernames[row["username"]])
            if table == SESSION_TABLE:
                text = _session_text(row)
                owners |= {pk for pk in usernames.values() if f"'_auth_user_id': '{pk}'" in text}
            if not owners:
                continue
            signals, days = _row_signals(row, pk_column)
            for owner in owners:
                bucket = people.setdefault(owner, {})
                for name, value in signals.items():
                    bucket.setdefault(f"{table}.{name}", []).append(value)
                bucket.setdefault("days", []).extend(days)
    return people


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def rank_correlation(x: list[float], y: list[float]) -> float | None:
    """Spearman's rho, or None when either side is constant."""
    import statistics

    if len(set(x)) < 2 or len(set(y)) < 2:
        return None
    return statistics.correlation(_ranks(x), _ranks(y))


def _same_owner_rate(pairs: list[tuple[StorageRow, StorageRow]]) -> float | None:
    pairs = [(a, b) for a, b in pairs if a.unit != b.unit]
    if not pairs:
        return None
    return sum(a.owner == b.owner for a, b in pairs) / len(pairs)


def _chance_same_owner(rows: list[StorageRow]) -> float:
    units = {r.unit: r.owner for r in rows}
    counts = Counter(units.values())
    n = len(units)
    return sum(k * (k - 1) for k in counts.values()) / (n * (n - 1)) if n > 1 else 0.0


def storage_attacks(
    anonymous: dict[type[models.Model], dict[str, tuple[int, str]]],
) -> list[str]:
    """Run every storage-level attack; the list of the ones that beat chance."""
    tables = {m._meta.db_table for m in anonymous}
    people = _person_side(exclude=tables)
    problems: list[str] = []
    for model, truth in anonymous.items():
        table = model._meta.db_table
        pk_column = model._meta.pk.column
        rows: list[StorageRow] = []
        for raw in _read_with_system_columns(table):
            key = raw[pk_column]
            key = uuid.UUID(str(key)).hex if _looks_like_uuid(str(key)) else str(key)
            if key not in truth:
                continue
            owner, unit = truth[key]
            signals, days = _row_signals(raw, pk_column)
            rows.append(StorageRow(owner, unit, signals, days))
        if len(rows) < MIN_ROWS:
            problems.append(f"{table}: only {len(rows)} rows with a known owner; need {MIN_ROWS}")
            continue
        owners = sorted({r.owner for r in rows})
        chance = 1 / len(owners)
        names = sorted({n for r in rows for n in r.signals})

        # Equality joins: the same transaction id, or the same day, as a person's rows.
        joins = {
            "xmin": {
                p: {v for n, vals in people.get(p, {}).items() if n.endswith(".xmin") for v in vals}
                for p in owners
            },
            "days": {p: set(people.get(p, {}).get("days", [])) for p in owners},
        }
        for kind, by_person in joins.items():
            hits = 0.0
            for row in rows:
                keys = {row.signals["xmin"]} if "xmin" in row.signals else set()
                keys = keys if kind == "xmin" else row.days
                cand = [p for p in owners if keys & by_person[p]]
                hits += (1 / len(cand) if row.owner in cand else 0.0) if cand else chance
            advantage = hits / len(rows) - chance
            if advantage > MAX_ADVANTAGE:
                problems.append(
                    f"{table}: joining on {kind} guesses the owner {advantage:.0%} better "
                    "than chance"
                )

        # Order: an anonymous row's position against every per-person value.
        person_names = sorted({n for p in people.values() for n in p if n != "days"})
        for name in names:
            for person_name in person_names:
                for agg in (min, max):
                    pairs = [
                        (r.signals[name], agg(people[r.owner][person_name]))
                        for r in rows
                        if name in r.signals and person_name in people.get(r.owner, {})
                    ]
                    if len(pairs) < MIN_ROWS:
                        continue
                    rho = rank_correlation([a for a, _ in pairs], [b for _, b in pairs])
                    if rho is not None and abs(rho) > MAX_RANK_CORRELATION:
                        problems.append(
                            f"{table}.{name} follows {agg.__name__}({person_name}) "
                            f"(rank correlation {rho:.2f})"
                        )

        # Blocks: neighbours in physical order, or rows sharing a transaction, by one owner.
        base = _chance_same_owner(rows)
        for name in names:
            ordered = sorted((r for r in rows if name in r.signals), key=lambda r: r.signals[name])
            groups: dict[float, list[StorageRow]] = {}
            for r in ordered:
                groups.setdefault(r.signals[name], []).append(r)
            if len(groups) == len(ordered):  # all distinct: look at neighbours
                rate = _same_owner_rate(list(zip(ordered, ordered[1:], strict=False)))
            elif len(groups) > 1:  # shared values: look inside each group
                rate = _same_owner_rate(
                    [(a, b) for g in groups.values() for a in g for b in g if a is not b]
                )
            else:
                rate = None  # one value for every row tells nothing
            if rate is not None and rate > base + MAX_ADVANTAGE:
                problems.append(
                    f"{table}: rows next to each other by {name} share an owner {rate:.0%} "
                    f"of the time (chance {base:.0%}): one block per person"
                )
    return problems


def assert_storage_unlinkable(
    anonymous: dict[type[models.Model], dict[str, tuple[int, str]]],
) -> None:
    """Fail if any storage-level attack links anonymous rows to their owners beyond chance.

    `anonymous` maps each anonymous model to {row pk (hex for UUIDs): (owner pk, unit)}, the
    ground truth only the test knows.
    """
    problems = storage_attacks(anonymous)
    assert not problems, "anonymity broken at the storage level:\n" + "\n".join(problems)
