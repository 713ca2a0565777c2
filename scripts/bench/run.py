"""`make bench`: how fast the main pages are, on a large database, served as in production.

    .venv/bin/python scripts/bench/run.py            # bench/scale.sqlite3 (seed_scale builds it)
    DATABASE_URL=postgres://… scripts/bench/run.py   # the same on that database (seeded if empty)
    .venv/bin/python scripts/bench/run.py --demo     # the demo branch (bench/demo.sqlite3)

What one run does:
1. Builds or reuses the database (`manage.py seed_scale`; migrations are applied either way) and
   the demo database (`seed_demo`, bench/demo.sqlite3).
2. Counts each page's SQL queries in-process (django.test.Client, CaptureQueriesContext) on both
   databases: `queries` (the large one) and `queries_demo`, drawing the page; `queries_kept`,
   serving it again from the page cache (config/pagecache.py; "–" for a page not kept); and
   times drawing it in-process (`drawn ms`, the median of 5): what a request costs when the page
   cannot be served again, because something it shows was written or nobody asked before. The
   load below measures pages served again: wrk asks for one page as one person, and nothing
   is written meanwhile, as when people read a list that has not changed since it was drawn.
   A search is kept like any page; the row "搜索 (每次新词)" asks for a new word every request
   (about 1,400 words in turn, none twice), so each of its requests draws the page.
3. Starts gunicorn as `make run` does (DEBUG off, whitenoise, 2 sync workers) on a free port and
   loads each page with wrk, as the role that uses it (a signed-in session in a cookie):
   16 connections, a 1 s warm-up, then 5 s measured. /healthz (one `SELECT 1`) is the ceiling:
   measured first and last (5 s), and for 2 s just before each page; a page's `ratio` is its
   throughput over that of /healthz just before it, so that other work on the machine during the
   run changes both alike.
4. The write test: 50 clients at once each post 20 comments to one 读后感 (CSRF token from the
   page, like a browser); every acknowledged comment must be in the database, with no error and
   no "database is locked" in the server's log. The comments and sessions are deleted afterwards.
5. Times the people .xlsx export (one request, the median of three) and an import of 5,000 people
   through the people import into a throwaway copy of the database.
6. Prints a table and writes bench/results.json.

The machine has 2 cores: gunicorn is pinned to CPU 0 and wrk, the write clients and this script to
CPU 1 (taskset / sched_setaffinity), so the client's own work does not take the server's CPU.
Absolute figures depend on the machine; compare pages by their ratio to /healthz of the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PROBE = str(Path(__file__).with_name("probe.py"))
LUA = str(Path(__file__).with_name("report.lua"))
PATHS_LUA = str(Path(__file__).with_name("paths.lua"))
SCALE_DB = BENCH / "scale.sqlite3"
DEMO_DB = BENCH / "demo.sqlite3"
SEED_TIMES = BENCH / "seed_times.json"  # seed_scale's duration, for a run that reuses the database
SERVER_LOG = BENCH / "server.log"
RESULTS = BENCH / "results.json"
HOST = "127.0.0.1"
SERVER_CPU, CLIENT_CPU = 0, 1
WRITERS, COMMENTS_EACH = 50, 20
NEAR_S = 2  # seconds of /healthz measured just before each page
LOCKED = "database is locked"


def say(text: str) -> None:
    print(text, flush=True)


# --- Databases --------------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path:
    """sqlite:////abs/path or sqlite:///relative/path (dj-database-url's forms) as a path."""
    return Path(url.split(":///", 1)[1])


def shown(url: str) -> str:
    """The database's address without a password."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = sqlite_path(url)
        with contextlib.suppress(ValueError):
            path = path.relative_to(ROOT)
        return str(path)
    host = parts.hostname or ""
    if parts.username:
        host = f"{parts.username}@{host}"
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def django_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    # Production mode, on plain HTTP at 127.0.0.1 (HTTPS would redirect every request).
    env.update(
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS=f"{HOST},localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(url: str | None, *args: str, quiet: bool = True) -> None:
    env = django_env(url) if url else {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.DEVNULL if quiet else None
    # An argument list (our interpreter, our manage.py), no shell.
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)  # noqa: S603


def probe(url: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our interpreter and probe.py, no shell
        [PY, PROBE, *args], cwd=ROOT, env=django_env(url), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"bench: probe.py {args[0]} failed on {shown(url)}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def seed_times() -> dict[str, float]:
    return json.loads(SEED_TIMES.read_text()) if SEED_TIMES.exists() else {}


def remember_seed_time(label: str, seconds: float) -> None:
    SEED_TIMES.write_text(json.dumps(seed_times() | {label: round(seconds, 1)}, indent=2))


FINGERPRINTS = BENCH / "fingerprints.json"  # what built each database, to know when it is stale


def fingerprint(*parts: str) -> str:
    """A hash of the migrations and of the files that fill a database (`parts`, globs under the
    project): a database built by other ones lacks what they now add, so it is built again."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/0*.py"))
    for pattern in parts:
        files += sorted(ROOT.glob(pattern))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stale(label: str, current: str) -> bool:
    known = json.loads(FINGERPRINTS.read_text()) if FINGERPRINTS.exists() else {}
    return known.get(label) not in (None, current)


def remember_fingerprint(label: str, current: str) -> None:
    known = json.loads(FINGERPRINTS.read_text()) if FINGERPRINTS.exists() else {}
    FINGERPRINTS.write_text(json.dumps(known | {label: current}, indent=2))


SCALE_SOURCES = ("*/scale*.py", "members/management/commands/seed_scale.py")
DEMO_SOURCES = ("*/demo*.py", "members/management/commands/seed_demo.py")


def has_seed_scale() -> bool:
    return (ROOT / "members" / "management" / "commands" / "seed_scale.py").exists()


def scale_database(args: argparse.Namespace) -> tuple[str, str, float | None]:
    """The database to measure: (url, how it came to be, seed_scale's seconds if known)."""
    if args.demo:
        return sqlite_url(DEMO_DB), "the demo branch", None
    url = os.environ.get("DATABASE_URL") or sqlite_url(SCALE_DB)
    label = shown(url)
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        exists = path.exists() and path.stat().st_size > 0
    else:
        manage(url, "migrate", "--noinput")
        status = probe(url, "status")
        exists = status["people"] > 0
        if exists and not status["seed_scale"] and not args.any_database:
            sys.exit(
                f"bench: {label} was not made by seed_scale. The bench writes into the database it "
                "measures (1,000 comments, deleted afterwards; 操作记录 entries for the exports): "
                "point DATABASE_URL at a database of its own, or add --any-database."
            )
    current = fingerprint(*SCALE_SOURCES)
    if exists and not args.rebuild and not stale(label, current):
        manage(url, "migrate", "--noinput")
        return url, "reused", seed_times().get(label)
    if exists and stale(label, current):
        say(f"{label} was built by older migrations or seed code: building it again.")
    if not has_seed_scale():
        sys.exit("bench: manage.py seed_scale is missing; `--demo` measures the demo branch")
    say(f"Building {label} with manage.py seed_scale (a couple of minutes) …")
    command = ["seed_scale"]
    if url.startswith("sqlite"):
        command += ["--database-path", str(sqlite_path(url))]
    if exists:
        command.append("--reset")
    start = time.perf_counter()
    # seed_scale migrates its database itself and takes DATABASE_URL from the environment.
    manage(None if url.startswith("sqlite") else url, *command, quiet=False)
    seconds = time.perf_counter() - start
    remember_seed_time(label, seconds)
    remember_fingerprint(label, current)
    return url, "built", seconds


def demo_database() -> str:
    url = sqlite_url(DEMO_DB)
    current = fingerprint(*DEMO_SOURCES)
    if DEMO_DB.exists() and stale("demo", current):
        say("bench/demo.sqlite3 was built by older migrations or demo code: building it again.")
        for suffix in ("", "-wal", "-shm"):
            DEMO_DB.with_name(DEMO_DB.name + suffix).unlink(missing_ok=True)
    fresh = not DEMO_DB.exists()
    manage(url, "migrate", "--noinput")
    if fresh:
        say("Building bench/demo.sqlite3 with manage.py seed_demo …")
        manage(url, "seed_demo", "--password", "demo12345")
        remember_fingerprint("demo", current)
    return url


@contextlib.contextmanager
def throwaway_copy(url: str) -> Iterator[tuple[str, bool]]:
    """(url, rollback): a copy of a SQLite database, or PostgreSQL itself inside a rollback."""
    if not url.startswith("sqlite"):
        yield url, True
        return
    source = sqlite_path(url)
    with tempfile.TemporaryDirectory(dir=BENCH) as folder:
        copy = Path(folder) / "import.sqlite3"
        with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        yield sqlite_url(copy), False


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def pinned(cpu: int, command: list[str], pin: bool) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if pin else command


@contextlib.contextmanager
def server(url: str, port: int, workers: int, pin: bool) -> Iterator[subprocess.Popen]:
    command = [GUNICORN, "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    with SERVER_LOG.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - gunicorn from .venv, no shell
            pinned(SERVER_CPU, command, pin),
            cwd=ROOT,
            env=django_env(url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5) as r:
                        if r.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"bench: gunicorn did not start; see {SERVER_LOG}")
                time.sleep(0.2)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- Load (wrk) -------------------------------------------------------------------------------


def wrk(
    base: str,
    path: str,
    session: str | None,
    seconds: int,
    connections: int,
    pin: bool,
    paths: list[str] | None = None,
) -> dict[str, Any]:
    """One wrk run against `path`, or against each of `paths` in turn (report.lua)."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "-s",
        LUA,
    ]
    if session:
        command += ["-H", f"Cookie: sessionid={session}"]
    command.append(base + path)
    with contextlib.ExitStack() as temporary:
        env = None
        if paths:  # report.lua + paths.lua, reading the paths from a file
            listed = temporary.enter_context(tempfile.NamedTemporaryFile("w", suffix=".txt"))
            listed.write("".join(f"{p}\n" for p in paths))
            listed.flush()
            script = temporary.enter_context(tempfile.NamedTemporaryFile("w", suffix=".lua"))
            script.write(Path(LUA).read_text() + "\n" + Path(PATHS_LUA).read_text())
            script.flush()
            command[command.index(LUA)] = script.name
            env = {**os.environ, "BENCH_PATHS": listed.name}
        done = subprocess.run(  # noqa: S603 - wrk with our arguments, no shell
            pinned(CLIENT_CPU, command, pin), capture_output=True, text=True, check=True, env=env
        )
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6 or 1
    errors = raw["not_200"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "errors": errors,
        "requests": raw["requests"],
        "first_status": raw["first_status"] or None,
        "repeated": bool(paths) and raw["requests"] > len(paths),
    }


def drain(base: str, workers: int) -> None:
    """Wait for the requests wrk left behind: gunicorn still answers the connections waiting in
    its backlog after wrk has gone, which would slow down the next measurement."""
    for _ in range(workers + 1):
        with urllib.request.urlopen(base + "/healthz", timeout=300) as response:  # noqa: S310
            response.read()


def measure(
    base: str,
    path: str,
    session: str | None,
    args: argparse.Namespace,
    seconds: int | None = None,
    paths: list[str] | None = None,
) -> dict[str, Any]:
    """Warm up, then measure (or only measure, `seconds` long: /healthz before each page).
    With `paths` (a new search each request), the warm-up asks for the second half of them and
    the measurement for the first, so that no page is asked for twice."""
    half = len(paths) // 2 if paths else 0
    if seconds is None:
        wrk(base, path, session, args.warmup, args.connections, args.pin, paths and paths[half:])
        drain(base, args.workers)
    result = wrk(
        base,
        path,
        session,
        seconds or args.duration,
        args.connections,
        args.pin,
        paths and paths[:half],
    )
    drain(base, args.workers)
    if not result["requests"]:  # nothing answered within the time: no latency to report
        result.update(p50_ms=None, p95_ms=None, p99_ms=None)
    return result


def timed_get(base: str, path: str, session: str) -> float:
    cookie = {"Cookie": f"sessionid={session}"}
    request = urllib.request.Request(base + path, headers=cookie)  # noqa: S310 - our server
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - start


# --- The write test ---------------------------------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COMMENT_ID = re.compile(r"#comment-(\d+)$")


def write_client(
    port: int, write: dict[str, Any], number: int, start: threading.Barrier, out: dict[str, Any]
) -> None:
    session = write["sessions"][number]
    cookie = f"sessionid={session}"
    try:
        conn = HTTPConnection(HOST, port, timeout=120)
        conn.request("GET", write["path"], headers={"Cookie": cookie})
        page = conn.getresponse()
        html = page.read().decode()
        csrf = next(
            c.split(";")[0].split("=", 1)[1]
            for c in page.headers.get_all("Set-Cookie") or []
            if c.startswith("csrftoken=")
        )
        token = TOKEN.search(html).group(1)
        conn.close()
    except (OSError, StopIteration, AttributeError) as exc:
        start.abort()
        out["errors"].append(f"client {number}: no comment form ({exc!r})")
        return
    start.wait()
    for n in range(COMMENTS_EACH):
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "_once": secrets.token_urlsafe(16),
                "body": f"{write['marker']} {number}-{n} 压力测试评论：这本书值得一读。",
            }
        )
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        try:
            conn = HTTPConnection(HOST, port, timeout=120)
            conn.request("POST", write["comment_path"], body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            location = response.headers.get("Location", "")
            conn.close()
        except OSError as exc:
            out["errors"].append(f"client {number}: {exc!r}")
            continue
        found = COMMENT_ID.search(location)
        if response.status == 302 and found:
            out["ids"].append(int(found.group(1)))
        else:
            out["errors"].append(f"client {number}: HTTP {response.status} {location}")


def write_test(port: int, write: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ids": [], "errors": []}
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=write_client, args=(port, write, i, start, out))
        for i in range(WRITERS)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out["seconds"] = round(time.perf_counter() - began, 2)
    return out


# --- Output -----------------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell(value: Any, size: int, left: bool = False) -> str:
    text = "–" if value is None else str(value)
    pad = " " * max(0, size - width(text))
    return text + pad if left else pad + text


def ratio(rps: float, ceiling: float) -> float | None:
    return round(rps / ceiling, 3) if ceiling else None


def table(pages: list[dict[str, Any]], ceiling: dict[str, Any]) -> str:
    head = ["page", "role", "req/s", "healthz", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors"]
    head += ["queries", "demo", "kept", "drawn ms"]
    sizes = [24, 9, 7, 7, 5, 7, 7, 7, 6, 7, 5, 5, 8]
    lines = [" ".join(cell(h, s, i < 2) for i, (h, s) in enumerate(zip(head, sizes, strict=True)))]
    lines.append("-" * (sum(sizes) + len(sizes) - 1))
    top = {"name": "/healthz (ceiling)", "role": "-", **ceiling, "healthz": ceiling["rps"]}
    for page in [top, *pages]:
        share = ratio(page["rps"], page["healthz"])
        values = [page["name"], page["role"], page["rps"], page["healthz"]]
        values += [None if share is None else f"{share:.2f}", page["p50_ms"]]
        values += [page["p95_ms"], page["p99_ms"], page["errors"]]
        kept = "–" if page.get("paths") else page.get("queries_kept", "–")
        values += [page.get("queries"), page.get("queries_demo"), kept, page.get("drawn_ms")]
        lines.append(
            " ".join(cell(v, s, i < 2) for i, (v, s) in enumerate(zip(values, sizes, strict=True)))
        )
    return "\n".join(lines)


def private_json(path: Path, data: dict[str, Any]) -> None:
    """Write JSON readable by the owner only: it holds signed-in session keys."""
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(json.dumps(data))


def load(
    url: str,
    prepared: dict[str, Any],
    pages: list[dict[str, Any]],
    pinning: str,
    args: argparse.Namespace,
) -> tuple[dict[str, Any], dict[str, Any], list[float], dict[str, Any] | None]:
    """Serve the app and measure: /healthz, the pages, the export, the write test."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    say(f"Serving on {base}: {pinning}.")
    say(
        f"Each page: wrk -t1 -c{args.connections}, {args.warmup} s warm-up + "
        f"{args.duration} s measured."
    )
    export_times: list[float] = []
    with server(url, port, args.workers, args.pin):
        ceiling = measure(base, "/healthz", None, args)
        say(f"  /healthz: {ceiling['rps']} req/s")
        for page in pages:
            # The ceiling again just before the page: other work on the machine changes both alike.
            page["healthz"] = measure(base, "/healthz", None, args, seconds=NEAR_S)["rps"]
            session = prepared["sessions"][page["role"]]
            page.update(measure(base, page["path"], session, args, paths=page.get("paths")))
            if page.get("repeated"):
                say(f"  {page['name']}: more requests than paths, some were asked for twice")
            say(
                f"  {page['name']} ({page['role']}): {page['rps']} req/s "
                f"(/healthz {page['healthz']}), {page['errors']} errors"
            )
        ceiling_end = measure(base, "/healthz", None, args)
        say(f"  /healthz again: {ceiling_end['rps']} req/s")
        export = next((p for p in prepared["pages"] if p["key"] == "person_list_xlsx"), None)
        if export:
            session = prepared["sessions"][export["role"]]
            export_times = [timed_get(base, export["path"], session) for _ in range(3)]
        say(f"Write test: {WRITERS} clients × {COMMENTS_EACH} comments at once …")
        written = write_test(port, prepared["write"]) if "write" in prepared else None
    return ceiling, ceiling_end, export_times, written


# --- The run ----------------------------------------------------------------------------------


def stop(signum: int, frame: object) -> None:
    sys.exit(f"bench: stopped by signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="measure the demo branch instead")
    parser.add_argument("--rebuild", action="store_true", help="seed the large database anew")
    parser.add_argument("--duration", type=int, default=5, help="seconds measured per page")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument(
        "--any-database",
        action="store_true",
        help="measure DATABASE_URL's database even if seed_scale did not make it",
    )
    args = parser.parse_args()
    # Stopped by Ctrl-C or kill (even when started in the background, where SIGINT is ignored):
    # unwind, so that gunicorn stops and the database is cleaned up (the `finally`s below).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    began = time.perf_counter()
    BENCH.mkdir(exist_ok=True)
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing (Debian: apt-get install wrk); `make bench` installs it")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(None, "collectstatic", "--noinput", "--verbosity", "0")

    args.pin = (os.cpu_count() or 1) >= 2 and bool(shutil.which("taskset"))
    if args.pin:
        os.sched_setaffinity(0, {CLIENT_CPU})  # this script, the probes and the write clients
        pinning = (
            f"gunicorn ({args.workers} sync workers) on CPU {SERVER_CPU}; wrk (1 thread), "
            f"the write clients and this script on CPU {CLIENT_CPU}"
        )
    else:
        pinning = "not pinned (fewer than 2 CPUs or no taskset): client and server share the CPU"

    url, origin, seed_seconds = scale_database(args)
    demo_url = demo_database()
    say(f"Database: {shown(url)} ({origin}); counting SQL queries per page …")
    demo = probe(demo_url, "prepare")
    prepared = probe(url, "prepare", "--writes")
    prepared_file = BENCH / "prepared.json"
    private_json(prepared_file, prepared)
    demo_file = BENCH / "prepared-demo.json"
    private_json(demo_file, demo)
    probe(demo_url, "cleanup", str(demo_file))
    demo_file.unlink()
    demo_pages = {page["key"]: page for page in demo["pages"]}
    pages = [p for p in prepared["pages"] if not args.only or args.only in p["name"]]
    for page in pages:
        page["queries_demo"] = demo_pages.get(page["key"], {}).get("queries")
        page["drawn_ms_demo"] = demo_pages.get(page["key"], {}).get("drawn_ms")
        if page["status"] != 200:
            say(f"  ! {page['name']}: HTTP {page['status']} in-process {page.get('error', '')}")

    try:
        ceiling, ceiling_end, export_times, written = load(url, prepared, pages, pinning, args)
        if written is not None:
            prepared["acknowledged_ids"] = written["ids"]
            private_json(prepared_file, prepared)
    finally:
        # The database as it was, even after Ctrl-C: the test's comments and the sessions go.
        check = probe(url, "writes", str(prepared_file))
        prepared_file.unlink()
    locked = SERVER_LOG.read_text(errors="replace").count(LOCKED)
    writes: dict[str, Any] = {"acknowledged": 0, "stored": 0, "errors": 0}
    if written is not None:
        writes = {
            "acknowledged": check["acknowledged"],
            "stored": check["stored"],
            "errors": len(written["errors"]),
            "database_locked": locked,
            "rows_found": check["rows"],
            "seconds": written["seconds"],
            "comments_per_second": round(check["acknowledged"] / written["seconds"], 1),
            "first_errors": written["errors"][:5],
        }

    say("Importing 5,000 people into a throwaway copy …")
    with throwaway_copy(url) as (copy_url, rollback):
        imported = probe(copy_url, "import", *(["--rollback"] if rollback else []))

    results = {
        "database": shown(url),
        "database_origin": origin,
        "database_rows": prepared["database"],
        "ceiling_rps": ceiling["rps"],
        "ceiling_rps_end": ceiling_end["rps"],
        "ceiling_rps_median": statistics.median(
            [ceiling["rps"], ceiling_end["rps"], *(p["healthz"] for p in pages)]
        ),
        "pages": [
            {
                "name": p["name"],
                "role": p["role"],
                "rps": p["rps"],
                "p50_ms": p["p50_ms"],
                "p95_ms": p["p95_ms"],
                "p99_ms": p["p99_ms"],
                "errors": p["errors"],
                "queries": p["queries"],
                "queries_demo": p["queries_demo"],
                "drawn_ms": p.get("drawn_ms"),
                "drawn_ms_demo": p.get("drawn_ms_demo"),
                # A new search every request: none is served again.
                "queries_kept": None if p.get("paths") else p.get("queries_kept"),
                "new_path_each_request": bool(p.get("paths")),
                "ratio": ratio(p["rps"], p["healthz"]),
                "healthz_rps": p["healthz"],
                "path": p["path"],
                "status_in_process": p["status"],
            }
            for p in pages
        ],
        "writes": writes,
        "seconds": {
            "seed_scale": round(seed_seconds, 1) if seed_seconds is not None else None,
            "import_5000": imported["seconds"],
            "export": round(statistics.median(export_times), 3) if export_times else None,
        },
        "setup": {
            "pinning": pinning,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "gunicorn_workers": args.workers,
            "import_rolled_back": imported["rolled_back"],
            "total_s": round(time.perf_counter() - began, 1),
        },
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2))

    rows = prepared["database"]
    say("")
    say(
        f"{shown(url)} ({origin}): {rows['people']} people, {rows['reflections']} 读后感, "
        f"{rows['comments']} comments; {prepared['database']['vendor']}."
    )
    say(f"{pinning}.")
    say(
        "ratio: the page's req/s over /healthz's measured just before it (the healthz column); "
        "compare pages by it, not by absolute req/s."
    )
    if pages:
        say(table(pages, ceiling))
    say(
        f"/healthz {ceiling['rps']} req/s at the start, {ceiling_end['rps']} at the end "
        "(a large difference means the machine was busy with something else)."
    )
    w = writes
    say(
        f"Writes: {w['acknowledged']} acknowledged, {w['stored']} stored, {w['errors']} errors, "
        f"{w.get('database_locked', locked)} 'database is locked'"
        + (f" ({w['comments_per_second']} comments/s)" if w.get("comments_per_second") else "")
    )
    for error in w.get("first_errors", []):
        say(f"  ! {error}")
    s = results["seconds"]
    say(
        f"Seconds: seed_scale {s['seed_scale']}, import of 5,000 people {s['import_5000']}"
        f"{' (rolled back)' if imported['rolled_back'] else ''}, people .xlsx export {s['export']}"
    )
    say(f"Written to {RESULTS.relative_to(ROOT)} in {results['setup']['total_s']} s.")
    failed = any(p["errors"] for p in pages) or w["errors"] or w["stored"] != w["acknowledged"]
    sys.exit(1 if failed or locked else 0)


if __name__ == "__main__":
    main()
