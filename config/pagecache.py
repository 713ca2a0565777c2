"""Pages kept rendered until the data they show changes (issue 11: the lists at company size).

A list page at company size spends its time in Python (compiling 8-12 queries, drawing a table of
rows), not in SQL. `@cached_page` keeps the rendered page in the shared cache and serves it again
while nothing it was drawn from has changed. Why a page served again is the page drawn now:

- **Table stamps.** Every statement that writes (INSERT, UPDATE, DELETE, REPLACE, TRUNCATE) gives
  the tables it names a new random stamp once its transaction commits; a writing statement whose
  table cannot be read (DDL, raw SQL of another shape) stamps everything. This happens below the
  ORM (a database execute wrapper), so services, the admin, bulk updates, raw SQL and management
  commands are all seen. A transaction rolled back stamps nothing. Stamps are random, not times:
  the cache keeps no moment of anybody's write.
- **Dependencies.** While a page renders for the cache, the tables its queries read are noted. It
  is kept with their stamps, and served again only while every stamp is unchanged. It is not kept
  when any write committed while it was drawn (the stamp of the last write changed), when the
  request itself wrote, or when it answered anything but a plain 200 HTML page.
- **Anonymity.** The sealed drop box of 完全匿名 feedback and the satisfaction verdicts are
  `VOLATILE`: writing them stamps nothing (a stamp's change, or a cache file's time, would say
  when someone sent or rated). Their stamp is read from the database instead: the number of rows
  (drops are only added, or deleted by the release, which also writes the feedback; verdicts are
  only added). A page is not kept when that number changed while it was drawn.
- **The key** holds what else a page depends on: the view and its URL with the query string; the
  viewer (`per="person"`: the person; `per="roles"`: their branch and roles, for pages that are
  the same for everyone with them, which tests/test_pagecache.py checks page by page); today's
  date; the language; the templates and code (a hash of the files, so a deploy starts afresh).
- **Per request**, the shell (the `<body>` tag and the navigation bar, which name the viewer) and
  the flash messages are drawn again, and every form gets this request's CSRF token.
- **Permissions** are checked as before: the decorator sits inside them (login, role), and a
  check in the view's body ran when the page was drawn against the same data, for the same
  viewer or the same roles. A page served from the cache is at most `PAGE_CACHE_SECONDS` old;
  that bounds what a database edited by hand (not through Django) could leave stale.

Only the read-mostly pages use it (the lists and pages of `make bench`); forms, the public
feedback pages and anything a 完全匿名 sender sees never do.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation

from config.idempotency import new_token

ANY_TABLE = "*"  # the stamp every page depends on: bumped by a write whose table is unknown
LAST_WRITE = "+"  # the stamp every write changes: a page drawn while it changed is not kept
# What every page depends on besides what its own queries read: the viewer, loaded before the
# view (the footer names their branch; a per-person page may show their name).
VIEWER_TABLES = frozenset({"members_user", "members_branch"})
# Writes that must leave no trace of their moment (see the module): stamped by their row count.
VOLATILE = frozenset({"campaign_feedbackdrop", "campaign_satisfactionrating"})
SHELL = ("<!--shell-->", "<!--/shell-->")
MESSAGES = ("<!--messages-->", "<!--/messages-->")
# Per-request values inside forms: kept as holes (NUL never occurs in a page: the middleware
# strips it from input) and filled for each request.
HOLES: tuple[tuple[re.Pattern[str], str, Callable[[HttpRequest], str]], ...] = (
    (
        re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")'),
        "\x00csrf\x00",
        get_token,
    ),
    (  # config/idempotency.py's one-time token: @idempotent sits above @cached_page
        re.compile(r'(name="_once" value=")[^"]*(")'),
        "\x00once\x00",
        lambda request: getattr(request, "once_token", None) or new_token(),
    ),
)
# What the ORM and our raw SQL write with: the table is the first quoted or bare name after it.
WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM"
    r'|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?',
    re.IGNORECASE,
)
READS_ONLY = re.compile(
    r"^\s*(?:SELECT|EXPLAIN|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW)\b", re.IGNORECASE
)
READ_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# Signing in updates only this column; no cached page shows it (person_detail is not cached).
LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"?(\w+)"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.I)


class _Seen:
    """What the statements of a drawing did: the tables they read, and whether any wrote."""

    def __init__(self) -> None:
        self.reads: set[str] = set()
        self.wrote = False


_seen: ContextVar[_Seen | None] = ContextVar("pagecache_seen", default=None)


@contextlib.contextmanager
def _watching() -> Iterator[_Seen]:
    seen = _Seen()
    token = _seen.set(seen)
    try:
        yield seen
    finally:
        _seen.reset(token)


# --- Table stamps -------------------------------------------------------------------------------


def _database_id() -> str:
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    where = f"{db.get('ENGINE')}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db.get('NAME')}"
    return hashlib.sha256(where.encode()).hexdigest()[:12]


def _stamp_key(table: str) -> str:
    return f"pagecache:stamp:{_database_id()}:{table}"


def stamp(tables: Iterable[str]) -> None:
    """Give `tables` new stamps (after the commit that changed them): the tables' first, then
    the last write's, so that whoever sees the new LAST_WRITE finds the tables' new stamps too
    (stamps() trusts what it read while LAST_WRITE is unchanged)."""
    tables = set(tables) - VOLATILE - {LAST_WRITE}
    if tables:
        cache.set_many({_stamp_key(table): secrets.token_hex(8) for table in tables}, timeout=None)
        cache.set(_stamp_key(LAST_WRITE), secrets.token_hex(8), timeout=None)


def _read(tables: Iterable[str]) -> dict[str, str]:
    """The stamps of `tables` in the cache; a table with none (a new or emptied cache) gets one
    now, so that nothing kept before the cache lost it can match."""
    keys = {_stamp_key(table): table for table in tables}
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(8), timeout=None)
        found |= cache.get_many(missing)
    return {keys[key]: found.get(key, "") for key in keys}


# The stamps this process read, with the LAST_WRITE stamp they were read under: while that is
# unchanged no table was stamped since (stamp() sets it last), so a page served again reads one
# stamp from the cache instead of one for each table it shows (a file each with the file cache).
_known: dict[str, str] = {}
_known_lock = threading.Lock()


def stamps(tables: Iterable[str]) -> dict[str, str]:
    """The current stamp of each table (and of ANY_TABLE)."""
    tables = {*tables, ANY_TABLE}
    last = _read([LAST_WRITE])[LAST_WRITE]
    with _known_lock:
        if _known.get(LAST_WRITE) != last:
            _known.clear()
            _known[LAST_WRITE] = last
        current = {table: _known[table] for table in tables if table in _known}
    unknown = tables - current.keys()
    if unknown:
        found = _read(unknown)
        with _known_lock:
            if _known.get(LAST_WRITE) == last:  # read after `last`: at least as new as it
                _known.update(found)
        current |= found
    return current | _counted(VOLATILE.intersection(tables))


def _counted(tables: Iterable[str]) -> dict[str, str]:
    """The stamps of VOLATILE tables: their number of rows, read from the database."""
    marks = {}
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - our own constant
            marks[table] = f"rows={cursor.fetchone()[0]}"
    return marks


class _Pending:
    """The tables one connection's open transaction wrote, stamped when it commits."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.tables: set[str] = set()

    def __call__(self) -> None:
        tables, self.tables = self.tables, set()
        stamp(tables)

    def add(self, table: str) -> None:
        connection = self.connection
        # Autocommit: the statement has committed. Inside a test case's own transaction (which
        # never commits) every statement is as good as committed for the test's one connection.
        if not connection.in_atomic_block or any(
            getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
        ):
            stamp([table])
            return
        registered = any(func is self for _, func, _ in connection.run_on_commit)
        if not registered:
            # A new transaction, or the one that registered us rolled back: start afresh.
            self.tables = set()
            connection.on_commit(self)
        self.tables.add(table)


def written_table(sql: str) -> str | None:
    """The table a writing statement changes; ANY_TABLE when it writes something we cannot name;
    None for a statement that only reads."""
    if READS_ONLY.match(sql):
        return None
    if match := LAST_LOGIN.match(sql):
        return f"{match.group(1)}.last_login"
    if match := WRITE.match(sql):
        return match.group(1).split(".")[-1]
    return ANY_TABLE


def _watch(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    text = sql if isinstance(sql, str) else str(sql)
    table = written_table(text)
    seen = _seen.get()
    if table is None:
        if seen is not None:
            seen.reads.update(READ_TABLE.findall(text))
        return result
    connection = context["connection"]
    pending = connection.__dict__.get("_pagecache_pending")
    if pending is None:
        pending = connection.__dict__["_pagecache_pending"] = _Pending(connection)
    pending.add(table)
    if seen is not None:
        seen.wrote = True
    return result


def watch_connection(*, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: every statement of the connection passes `_watch`."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def install() -> None:
    from django.db.backends.signals import connection_created

    connection_created.connect(watch_connection, dispatch_uid="config.pagecache.watch")
    for connection in connections.all(initialized_only=True):
        watch_connection(connection=connection)


# --- Pages --------------------------------------------------------------------------------------


@functools.cache
def _build() -> str:
    """A hash of the templates and the Python code: a deploy does not serve pages drawn by the
    code it replaced."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ("config", "members", "campaign", "reading", "templates"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def viewer_scope(request: HttpRequest, per: str) -> str:
    user = request.user
    roles = ",".join(sorted(user.role_names))
    who = f"branch={user.branch_id}|roles={roles}|super={user.is_superuser}"
    if per == "person":
        who += f"|person={user.pk}"
    return who


def page_key(request: HttpRequest, view: str, per: str) -> str:
    parts = (
        view,
        request.get_full_path(),
        viewer_scope(request, per),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        _build(),
        _database_id(),
    )
    return "pagecache:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _region(html: str, marks: tuple[str, str]) -> tuple[int, int] | None:
    start = html.find(marks[0])
    end = html.find(marks[1], start)
    if start < 0 or end < 0:
        return None
    return start, end + len(marks[1])


def _render_part(request: HttpRequest, template: str, marks: tuple[str, str]) -> str:
    return marks[0] + get_template(template).render({}, request) + marks[1]


_shells: dict[tuple, str] = {}
SHELLS_KEPT = 2000


def _shell(request: HttpRequest) -> str:
    """The shell names the viewer and shows their roles' menus, nothing else: drawn once per
    process for each such viewer (its CSRF token a hole, filled like the page's)."""
    user = request.user
    key = (
        user.pk,
        user.username,
        user.full_name,
        user.branch_id,
        user.role_names,
        translation.get_language(),
        _build(),
    )
    shell = _shells.get(key)
    if shell is None:
        shell = _render_part(request, "includes/_shell.html", SHELL)
        for field, hole, _ in HOLES:
            shell = field.sub(rf"\g<1>{hole}\g<2>", shell)
        if len(_shells) >= SHELLS_KEPT:
            _shells.clear()
        _shells[key] = shell
    return shell


def _served(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    html: str = entry["html"]
    if span := _region(html, SHELL):
        html = html[: span[0]] + _shell(request) + html[span[1] :]
    if span := _region(html, MESSAGES):
        messages = _render_part(request, "includes/_messages.html", MESSAGES)
        html = html[: span[0]] + messages + html[span[1] :]
    for _, hole, fill in HOLES:
        if hole in html:
            html = html.replace(hole, fill(request))
    response = HttpResponse(html)
    for header, value in entry["headers"]:
        response.headers[header] = value
    response.headers["X-Page-Cache"] = "hit"
    return response


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
    )


def _entry(
    response: HttpResponse, reads: set[str], before: dict[str, str]
) -> dict[str, Any] | None:
    html = response.content.decode(response.charset)
    if not (_region(html, SHELL) and _region(html, MESSAGES)) or "\x00" in html:
        return None
    current = stamps(reads | {LAST_WRITE})
    watched = {LAST_WRITE, *VOLATILE.intersection(reads)}
    if any(current[table] != before[table] for table in watched):
        return None  # something was written while the page was drawn: it may show the old data
    del current[LAST_WRITE]
    for field, hole, _ in HOLES:
        html = field.sub(rf"\g<1>{hole}\g<2>", html)
    headers = [
        (header, value)
        for header, value in response.items()
        if header.lower() not in {"content-length", "content-type", "set-cookie"}
    ]
    return {"html": html, "stamps": current, "headers": headers}


def _unchanged(entry: dict[str, Any] | None) -> bool:
    return entry is not None and stamps(entry["stamps"]) == entry["stamps"]


def remembered(name: str, load: Callable[[], Any]) -> Any:
    """`load()`'s result, kept like a page: while the tables it read are unchanged (the signed-in
    person with their branch and roles, asked for on every request)."""
    if not settings.PAGE_CACHE:
        return load()
    key = f"pagecache:object:{_database_id()}:{_build()}:{name}"
    entry = cache.get(key)
    if _unchanged(entry):
        return entry["value"]
    before = stamps([LAST_WRITE])[LAST_WRITE]
    with _watching() as seen:
        value = load()
    current = stamps(seen.reads | {LAST_WRITE})
    if current.pop(LAST_WRITE) == before and not seen.wrote and not seen.reads & VOLATILE:
        cache.set(key, {"value": value, "stamps": current}, timeout=settings.PAGE_CACHE_SECONDS)
    return value


def cached_page(per: str) -> Callable:
    """Serve the view's page from the cache while its data is unchanged (see the module).

    per="person": the page shows something of the viewer's own (their likes, their items);
    per="roles": it is the same for everyone of the branch with the same roles.
    A search is kept like any page (its words are in the key's URL): a person going back from a
    post to the results is served them again.
    """
    if per not in {"person", "roles"}:
        raise ValueError(per)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                not settings.PAGE_CACHE
                or request.method != "GET"
                or not request.user.is_authenticated
            ):
                return view(request, *args, **kwargs)
            key = page_key(request, name, per)
            entry = cache.get(key)
            if _unchanged(entry):
                return _served(request, entry)
            # The VOLATILE tables' counts too (two cheap COUNTs): they have no "last write".
            before = stamps([LAST_WRITE, *VOLATILE])
            with _watching() as seen:
                response = view(request, *args, **kwargs)
            reads = seen.reads | VIEWER_TABLES
            if _storable(response) and not seen.wrote:
                fresh = _entry(response, reads, before)
                if fresh is not None:
                    cache.set(key, fresh, timeout=settings.PAGE_CACHE_SECONDS)
            return response

        wrapper.page_cache = per  # type: ignore[attr-defined]
        return wrapper

    return decorate
