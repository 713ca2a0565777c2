"""The Django side of `make bench` (scripts/bench/run.py starts it as a subprocess).

It runs against the database of DATABASE_URL, like the app, and prints one JSON object:

    probe.py status         how many people the database holds (0: seed it first), and whether
                            seed_scale made it
    probe.py prepare        sign each role in (sessions in the database, no password and no axes
                            sign-in), find the pages to measure and count each page's SQL queries
                            in-process (django.test.Client + CaptureQueriesContext)
    probe.py writes FILE    check the write test: every acknowledged comment id of FILE is stored;
                            then delete the test's comments and every session `prepare` made (the
                            database is as before; also run after an interrupted bench)
    probe.py cleanup FILE   delete the sessions `prepare` made (FILE: its output)
    probe.py import         time an import of 5,000 people through the people import (read_table,
                            validate, services.people_import); run it on a throwaway copy
                            (`--rollback` on PostgreSQL: the same inside a transaction rolled back)
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import random
import re
import secrets
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connection, transaction  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.db.models.functions import Abs  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from campaign.models import EvaluationRound, VanguardPost  # noqa: E402
from members.models import Role, User  # noqa: E402
from reading import scale  # noqa: E402
from reading import selectors as reading_selectors  # noqa: E402
from reading.models import Comment, ReadingActivity, Reflection  # noqa: E402

HOST = "127.0.0.1"
WRITERS = 50
DRAWS = 5  # in-process drawings of each page timed (count_queries)
COMMENTS = 50  # the 读后感 measured: the one with (nearest to) this many comments
# Sign-in names tried first for each role: seed_scale's, then seed_demo's.
PREFERRED = {
    Role.SECRETARY: ("sec", "secretary"),
    Role.LEADER: ("leader",),
    Role.MEMBER: ("member",),
    Role.STAFF: ("staff",),
}


def session_store() -> Any:
    """The session engine's SessionStore class (cached_db: a row and a cached copy)."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def new_session(user: User) -> str:
    """A signed-in session for `user`, as the sign-in form would leave it."""
    store = session_store()()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def can_sign_in() -> Q:
    return Q(is_active=True, must_change_password=False)


def role_user(role: str) -> User:
    people = User.objects.filter(can_sign_in(), groups__name=role)
    for name in PREFERRED[role]:
        if user := people.filter(username=name).first():
            return user
    user = people.order_by("pk").first()
    if user is None:
        sys.exit(f"probe: nobody with the role {role} can sign in")
    return user


def search_words(n: int = 4000) -> list[str]:
    """Words a member might search for: runs of 2-4 Chinese characters from the phrases and
    books seed_scale writes (reading/scale.py), frequent and rare ones and some found nowhere
    (mixed up from two phrases), in a fixed random order."""
    phrases = [
        *scale.THEMES,
        *scale.MAXIMS,
        *scale.PROMISES,
        *scale.MIDDLES,
        *scale.CLOSINGS,
        *scale.OPENINGS,
        *scale.COMMENT_BODIES,
        *(book[0] for book in scale.BOOKS),
    ]
    runs = [r for p in phrases for r in re.findall(r"[\u4e00-\u9fff]+", p)]
    words = {r[i : i + k] for r in runs for k in (2, 3, 4) for i in range(len(r) - k + 1)}
    rng = random.Random(11)
    words |= {rng.choice(runs)[:2] + rng.choice(runs)[-2:] for _ in range(n // 10)}
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered[:n]


def pages(users: dict[str, User]) -> list[dict[str, str]]:
    """The main pages, each as the role that uses it (issue 11: `make bench`)."""
    branch = users[Role.SECRETARY].branch
    activity = ReadingActivity.objects.filter(branch=branch).order_by("-pk").first()
    closed = (
        EvaluationRound.objects.filter(
            campaign__branch=branch, status=EvaluationRound.Status.CLOSED
        )
        .order_by("-pk")
        .first()
    )
    out = [
        {"key": f"home_{role}", "name": f"首页 ({role})", "role": role, "path": reverse("home")}
        for role in (Role.SECRETARY, Role.LEADER, Role.MEMBER, Role.STAFF)
    ]
    if activity is None:
        print("probe: no reading activity; the reading pages are left out", file=sys.stderr)
    else:
        member = users[Role.MEMBER]
        posts = reading_selectors.forum(activity=activity, viewer=member).count()
        last = max(1, math.ceil(posts / settings.PAGE_SIZE))
        forum = reverse("reading:reflection_list", args=[activity.pk])
        out += [
            {"key": "forum_first", "name": "论坛 第1页", "role": Role.MEMBER, "path": forum},
            {
                "key": "forum_last",
                "name": f"论坛 末页 (第{last}页)",
                "role": Role.MEMBER,
                "path": f"{forum}?page={last}",
            },
        ]
        # The forum's search: words seed_scale writes into many posts (reading/scale.py), one of
        # two characters (no trigram: PostgreSQL reads the activity's posts) and one longer
        # (served by the trigram indexes of reading/migrations/0007).
        out += [
            {
                "key": f"forum_search_{key}",
                "name": f"论坛 搜索“{q}”",
                "role": Role.MEMBER,
                "path": reverse("reading:reflection_list", args=[activity.pk], query={"q": q}),
            }
            for key, q in (("short", "责任"), ("long", "独居老人"))
        ]
        # A new search every request: wrk asks for `paths` in turn (none twice in one run), so
        # nothing is served from the page cache. Its queries are counted on `path`, the first
        # search's: the demo's posts hold that word too, and few of these.
        out.append(
            {
                "key": "forum_search_new",
                "name": "论坛 搜索 (每次新词)",
                "role": Role.MEMBER,
                "path": out[-2]["path"],
                "paths": [
                    reverse("reading:reflection_list", args=[activity.pk], query={"q": q})
                    for q in search_words()
                ],
            }
        )
        # The post whose number of shown comments is nearest to 50 (the demo has a few only).
        post = (
            Reflection.objects.filter(activity__branch=branch, hidden=False)
            .annotate(n=Count("comments", filter=Q(comments__hidden=False)))
            .order_by(Abs(F("n") - COMMENTS), "-n", "pk")
            .first()
        )
        if post is not None:
            out.append(
                {
                    "key": "reflection",
                    "name": f"读后感 ({post.n} 条评论)",
                    "role": Role.STAFF,
                    "path": post.get_absolute_url(),
                }
            )
        out += [
            {
                "key": "showcase",
                "name": "精华展示",
                "role": Role.STAFF,
                "path": reverse("reading:reflection_showcase", args=[activity.pk]),
            },
            {
                "key": "activity_stats",
                "name": "活动统计",
                "role": Role.LEADER,
                "path": reverse("reading:activity_stats", args=[activity.pk]),
            },
            {
                "key": "tally",
                "name": "推荐汇总 (tally)",
                "role": Role.SECRETARY,
                "path": reverse("reading:recommendation_list", args=[activity.pk]),
            },
            {
                "key": "handout",
                "name": "发放台账",
                "role": Role.LEADER,
                "path": reverse("reading:distribution_list", args=[activity.pk]),
            },
            {
                "key": "progress",
                "name": "阅读进度",
                "role": Role.MEMBER,
                "path": reverse("reading:progress_list", args=[activity.pk]),
            },
        ]
    out += [
        {
            "key": "pledge_wall",
            "name": "承诺墙",
            "role": Role.STAFF,
            "path": reverse("campaign:pledge_wall"),
        },
        {
            "key": "pledge_queue",
            "name": "承诺审核",
            "role": Role.SECRETARY,
            "path": reverse("campaign:pledge_queue"),
        },
        {
            "key": "pledge_missing",
            "name": "未承诺名单",
            "role": Role.SECRETARY,
            "path": reverse("campaign:pledge_missing"),
        },
        {
            "key": "review_list",
            "name": "点评登记表",
            "role": Role.LEADER,
            "path": reverse("campaign:review_list"),
        },
    ]
    if closed is None:
        print("probe: no closed 群众评议 round; its results are left out", file=sys.stderr)
    else:
        out.append(
            {
                "key": "round_results",
                "name": "群众评议结果",
                "role": Role.SECRETARY,
                "path": reverse("campaign:round_results", args=[closed.pk]),
            }
        )
    # 战斗堡垒 (issue 12): the posts, the post with the most deeds, 整改, 增收节支.
    post = (
        VanguardPost.objects.filter(branch=branch)
        .annotate(n=Count("deeds"))
        .order_by("-n", "pk")
        .first()
    )
    out.append(
        {
            "key": "post_list",
            "name": "党员先锋岗",
            "role": Role.MEMBER,
            "path": reverse("campaign:post_list"),
        }
    )
    if post is not None:
        out.append(
            {
                "key": "post_detail",
                "name": f"先锋岗 ({post.n} 条事迹)",
                "role": Role.MEMBER,
                "path": reverse("campaign:post_detail", args=[post.pk]),
            }
        )
    out += [
        {
            "key": "rectification_list",
            "name": "整改事项",
            "role": Role.SECRETARY,
            "path": reverse("campaign:rectification_list"),
        },
        {
            "key": "saving_summary",
            "name": "增收节支汇总",
            "role": Role.LEADER,
            "path": reverse("campaign:saving_summary"),
        },
        # 服务群众 (issue 13): the handlers' list, the public board, the satisfaction rates.
        {
            "key": "feedback_list",
            "name": "群众意见处理",
            "role": Role.SECRETARY,
            "path": reverse("campaign:feedback_list"),
        },
        {
            "key": "feedback_board",
            "name": "意见整改公示",
            "role": Role.STAFF,
            "path": reverse("campaign:feedback_board"),
        },
        {
            "key": "feedback_satisfaction",
            "name": "群众满意度",
            "role": Role.STAFF,
            "path": reverse("campaign:feedback_satisfaction"),
        },
    ]
    people = reverse("members:person_list")
    out += [
        {"key": "person_list", "name": "人员管理", "role": Role.SECRETARY, "path": people},
        {
            "key": "directory",
            "name": "通讯录",
            "role": Role.MEMBER,
            "path": reverse("members:directory"),
        },
        {
            "key": "audit_log",
            "name": "操作记录",
            "role": Role.SECRETARY,
            "path": reverse("members:audit_log"),
        },
        {
            "key": "person_list_xlsx",
            "name": "人员名单 .xlsx",
            "role": Role.SECRETARY,
            "path": f"{people}?format=xlsx",
        },
    ]
    return out


def count_queries(path: str, session_key: str) -> dict[str, Any]:
    """The page's SQL queries: asked twice (the first warms per-process caches), counted once;
    `queries` drawing the page, `queries_kept` serving it again from the page cache
    (config/pagecache.py; None for a page not kept). `drawn_ms`: the median time of drawing it
    in this process (DRAWS times), what a request costs when the page cannot be served again
    (something it shows was written, or nobody asked for it before)."""
    client = Client(headers={"host": HOST}, raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with override_settings(PAGE_CACHE=False):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        # Read now: every request (request_started) empties the connection's query log.
        queries = len(captured.captured_queries)
        drawn = []
        for _ in range(DRAWS):
            start = time.perf_counter()
            client.get(path)
            drawn.append(time.perf_counter() - start)
    out = {
        "status": response.status_code,
        "queries": queries,
        "drawn_ms": round(statistics.median(drawn) * 1000, 1),
    }
    if response.exc_info:
        out["error"] = repr(response.exc_info[1])[:300]
    client.get(path)  # drawn, and kept if it may be
    with CaptureQueriesContext(connection) as captured:
        again = client.get(path)
    kept = again.headers.get("X-Page-Cache") == "hit"
    out["queries_kept"] = len(captured.captured_queries) if kept else None
    return out


def database() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['HOST']}/{db['NAME']}"
    return {
        "vendor": connection.vendor,
        "name": str(where),
        "people": User.objects.count(),
        "reflections": Reflection.objects.count(),
        "comments": Comment.objects.count(),
    }


def writers(users: dict[str, User], target: Reflection) -> list[str]:
    """One session per write client: different people (members and staff) while there are."""
    people = list(
        User.objects.filter(
            can_sign_in(),
            branch=users[Role.SECRETARY].branch,
            groups__name__in=[Role.MEMBER, Role.STAFF],
        )
        .distinct()
        .order_by("pk")[:WRITERS]
    )
    return [new_session(people[i % len(people)]) for i in range(WRITERS)]


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    users = {role: role_user(role) for role in PREFERRED}
    sessions = {role: new_session(user) for role, user in users.items()}
    targets = pages(users)
    for page in targets:
        page.update(count_queries(page["path"], sessions[page["role"]]))
    result: dict[str, Any] = {
        "database": database(),
        "users": {role: user.username for role, user in users.items()},
        "sessions": sessions,
        "pages": targets,
    }
    if args.writes:
        # The write test comments on the quietest visible post, not on the page measured above.
        target = (
            Reflection.objects.filter(activity__branch=users[Role.SECRETARY].branch, hidden=False)
            .annotate(n=Count("comments"))
            .order_by("n", "pk")
            .first()
        )
        if target is not None:
            result["write"] = {
                "path": target.get_absolute_url(),
                "comment_path": reverse("reading:comment_create", args=[target.pk]),
                "reflection": target.pk,
                "sessions": writers(users, target),
                "marker": f"bench-{secrets.token_hex(4)}",
            }
    return result


def session_model() -> Any:
    return session_store().get_model_class()


def cleanup(prepared: dict[str, Any]) -> None:
    """End the sessions `prepare` made through the session engine: with cached_db the cache's
    copy goes too, not only the row."""
    keys = list(prepared.get("sessions", {}).values())
    keys += prepared.get("write", {}).get("sessions", [])
    store = session_store()
    for key in keys:
        store(session_key=key).delete()


def writes(args: argparse.Namespace) -> dict[str, Any]:
    data = json.loads(Path(args.file).read_text())
    write = data.get("write")
    if write is None:  # no post to comment on: only the sessions to delete
        cleanup(data)
        return {"acknowledged": 0, "stored": 0, "rows": 0, "missing": []}
    acknowledged = set(data.get("acknowledged_ids", []))
    mine = Comment.objects.filter(
        reflection_id=write["reflection"], body__startswith=write["marker"]
    )
    stored_ids = set(mine.values_list("pk", flat=True))
    result = {
        "acknowledged": len(acknowledged),
        "stored": len(acknowledged & stored_ids),
        "rows": len(stored_ids),  # also counts a comment stored but not acknowledged
        "missing": sorted(acknowledged - stored_ids)[:20],
    }
    mine.delete()
    cleanup(data)
    return result


def people_rows(n: int, prefix: str) -> list[list[str]]:
    statuses = ("中共党员", "群众", "群众", "中共预备党员", "共青团员")
    return [
        [
            f"导入{i}",
            f"{prefix}{i:05d}",
            "男" if i % 2 else "女",
            f"部门{i % 12}",
            "职员",
            f"139{i:08d}",
            statuses[i % len(statuses)],
            "2005-07-01" if i % 5 in (0, 3) else "",
            "",
        ]
        for i in range(n)
    ]


def import_people(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from members import imports
    from members import services as member_services

    secretary = role_user(Role.SECRETARY)
    book = Workbook()
    sheet = book.active
    sheet.append(imports.HEADERS)
    for row in people_rows(args.people, f"BX{secrets.token_hex(2).upper()}"):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    upload = SimpleUploadedFile("people.xlsx", buf.getvalue())

    def run() -> int:
        table = imports.read_table(upload)
        result = imports.validate(table, branch=secretary.branch)
        if not result.ok:
            sys.exit(
                f"probe: the import file was refused: {result.file_error or result.errors[:3]}"
            )
        credentials = member_services.people_import(
            branch=secretary.branch, rows=result.rows, by=secretary
        )
        return len(credentials)

    start = time.perf_counter()
    if args.rollback:
        with transaction.atomic():
            imported = run()
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
    else:
        imported = run()
        seconds = time.perf_counter() - start
    return {"imported": imported, "seconds": round(seconds, 3), "rolled_back": args.rollback}


def status() -> dict[str, Any]:
    from members.scale import made_by_seed_scale

    return {"people": User.objects.count(), "seed_scale": made_by_seed_scale(DEFAULT_DB_ALIAS)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("status")
    p = sub.add_parser("prepare")
    p.add_argument("--writes", action="store_true", help="also prepare the write test")
    sub.add_parser("writes").add_argument("file")
    sub.add_parser("cleanup").add_argument("file")
    p = sub.add_parser("import")
    p.add_argument("--people", type=int, default=5000)
    p.add_argument("--rollback", action="store_true")
    args = parser.parse_args()
    # A page that fails is reported in the output (its exception, shortened), not as a traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    if args.command == "status":
        out = status()
    elif args.command == "prepare":
        out = prepare(args)
    elif args.command == "writes":
        out = writes(args)
    elif args.command == "cleanup":
        cleanup(json.loads(Path(args.file).read_text()))
        out = {"ok": True}
    else:
        out = import_people(args)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
