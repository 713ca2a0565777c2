"""Pages kept rendered until their data changes (config/pagecache.py): what makes a page served
again the page that would be drawn now."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from campaign.models import EvaluationRound, Feedback, VanguardPost
from config import pagecache
from members.models import Department, Role, User
from reading.models import Comment, ReadingActivity, Reflection

from .factories import make_branch

PASSWORD = "Demo-pass-2011"
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|_once)" value="([^"]+)"')


@pytest.fixture
def demo(db, settings):
    settings.PAGE_CACHE = True
    call_command("seed_demo", password=PASSWORD, verbosity=0)
    cache.clear()
    return User.objects


def signed_in(username: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(User.objects.get(username=username))
    return client


def content(html: str) -> str:
    """The page without what is drawn per request: the shell, the messages and the tokens."""
    for start, end in (pagecache.SHELL, pagecache.MESSAGES):
        html = re.sub(re.escape(start) + ".*?" + re.escape(end), "", html, flags=re.S)
    return TOKEN.sub(r'name="\1" value=""', html)


def is_hit(response) -> bool:
    return response.headers.get("X-Page-Cache") == "hit"


# --- Which tables a statement writes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "reading_comment" ("body") VALUES (%s)', "reading_comment"),
        ('INSERT OR IGNORE INTO "reading_like" ("x") VALUES (%s)', "reading_like"),
        ('UPDATE "campaign_pledge" SET "status" = %s WHERE "id" = %s', "campaign_pledge"),
        ('DELETE FROM "reading_like" WHERE "id" IN (%s)', "reading_like"),
        ("delete from reading_like where id = 1", "reading_like"),
        ('REPLACE INTO "x" VALUES (1)', "x"),
        ('TRUNCATE "members_user" CASCADE', "members_user"),
        ('UPDATE "members_user" SET "last_login" = %s WHERE "id" = %s', "members_user.last_login"),
        ('UPDATE "members_user" SET "last_login" = %s, "full_name" = %s', "members_user"),
        ('ALTER TABLE "reading_comment" ADD COLUMN "x" int', pagecache.ANY_TABLE),
        ("WITH x AS (DELETE FROM y RETURNING *) SELECT 1", pagecache.ANY_TABLE),
        ('SELECT "id" FROM "reading_comment"', None),
        ('SAVEPOINT "s1"', None),
        ('  select count(*) from "x"', None),
    ],
)
def test_the_table_a_statement_writes(sql, table):
    assert pagecache.written_table(sql) == table


def test_the_tables_a_query_reads():
    sql = (
        'SELECT "a"."id" FROM "reading_reflection" INNER JOIN "members_user" ON x LEFT OUTER '
        'JOIN "reading_like" ON y WHERE EXISTS (SELECT 1 FROM "reading_feature" U0)'
    )
    assert set(pagecache.READ_TABLE.findall(sql)) == {
        "reading_reflection",
        "members_user",
        "reading_like",
        "reading_feature",
    }


# --- Stamps -------------------------------------------------------------------------------------


def current(*tables: str) -> dict[str, str]:
    return pagecache.stamps(tables)


@pytest.mark.django_db(transaction=True)
def test_a_write_stamps_its_table_when_it_commits_and_not_when_it_rolls_back():
    branch = make_branch(name="第一支部")
    before = current("members_department", pagecache.LAST_WRITE)
    with transaction.atomic():
        Department.objects.create(branch=branch, name="一部")
        assert current("members_department") == {
            k: v for k, v in before.items() if k != pagecache.LAST_WRITE
        }, "stamped before the commit: a page drawn now would be kept with the old data"
    after = current("members_department", pagecache.LAST_WRITE)
    assert after["members_department"] != before["members_department"]
    assert after[pagecache.LAST_WRITE] != before[pagecache.LAST_WRITE]

    with pytest.raises(RuntimeError), transaction.atomic():
        Department.objects.create(branch=branch, name="二部")
        raise RuntimeError
    assert current("members_department", pagecache.LAST_WRITE) == after

    # Autocommit: stamped at once. A rolled-back savepoint does not lose the outer write's stamp.
    Department.objects.create(branch=branch, name="三部")
    third = current("members_department")
    assert third["members_department"] != after["members_department"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                Department.objects.create(branch=branch, name="四部")
                raise RuntimeError
        except RuntimeError:
            pass
        Department.objects.filter(name="三部").update(name="三部（改）")
    assert current("members_department")["members_department"] != third["members_department"]


@pytest.mark.django_db(transaction=True)
def test_a_raw_statement_of_unknown_shape_stamps_everything():
    before = current()[pagecache.ANY_TABLE]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE pagecache_probe (x int)")
        cursor.execute("DROP TABLE pagecache_probe")
    assert current()[pagecache.ANY_TABLE] != before


@pytest.mark.django_db(transaction=True)
def test_an_emptied_cache_serves_nothing_kept_before():
    before = current("members_department")
    cache.clear()
    assert current("members_department")["members_department"] != before["members_department"]


@pytest.mark.django_db(transaction=True)
def test_a_stamp_another_process_wrote_is_seen():
    """stamps() trusts what this process read while LAST_WRITE is unchanged; another process's
    stamp() (here: its writes to the shared cache) sets the tables' stamps, then LAST_WRITE."""
    current("members_department", "members_branch")  # known to this process now
    cache.set(pagecache._stamp_key("members_department"), "elsewhere", timeout=None)
    cache.set(pagecache._stamp_key(pagecache.LAST_WRITE), "elsewhere", timeout=None)
    seen = current("members_department", "members_branch")
    assert seen["members_department"] == "elsewhere"


def test_the_last_write_is_stamped_after_the_tables(monkeypatch):
    """Whoever sees a new LAST_WRITE must find the tables' new stamps: stamp() sets it last."""
    written: list[str] = []
    set_many, set_one = cache.set_many, cache.set
    monkeypatch.setattr(
        cache, "set_many", lambda data, **k: written.extend(data) or set_many(data, **k)
    )
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **k: written.append(key) or set_one(key, *a, **k)
    )
    pagecache.stamp(["members_department", "members_branch"])
    last = pagecache._stamp_key(pagecache.LAST_WRITE)
    assert written[-1] == last and written.count(last) == 1
    assert {pagecache._stamp_key(t) for t in ("members_department", "members_branch")} <= set(
        written[:-1]
    )


# --- Pages --------------------------------------------------------------------------------------


def test_a_page_is_served_again_until_what_it_shows_changes(demo):
    client = signed_in("member")
    activity = ReadingActivity.objects.order_by("-pk").first()
    url = reverse("reading:reflection_list", args=[activity.pk])
    first = client.get(url)
    again = client.get(url)
    assert not is_hit(first) and is_hit(again)
    assert content(again.content.decode()) == content(first.content.decode())

    # A comment changes the post's count on the list: the next view draws the page again.
    post = Reflection.objects.filter(activity=activity, hidden=False).order_by("pk").first()
    Comment.objects.create(
        reflection=post, author=User.objects.get(username="leader"), body="写得好，值得学习"
    )
    fresh = client.get(url)
    assert not is_hit(fresh)
    assert content(fresh.content.decode()) != content(first.content.decode())
    assert is_hit(client.get(url))


def test_a_search_is_kept_until_a_post_it_would_find_is_written(demo):
    client = signed_in("member")
    activity = ReadingActivity.objects.order_by("-pk").first()
    url = reverse("reading:reflection_list", args=[activity.pk], query={"q": "石榴籽"})
    first = client.get(url)
    assert not is_hit(first) and is_hit(client.get(url))
    assert "没有找到相关的读后感" in first.content.decode()
    # Another search (or the list without one) is another page.
    other = reverse("reading:reflection_list", args=[activity.pk], query={"q": "石榴"})
    assert not is_hit(client.get(other))

    Reflection.objects.create(
        activity=activity,
        selection=activity.selections.first(),
        author=User.objects.get(username="leader"),
        title="像石榴籽一样紧紧抱在一起",
        body="读后感正文",
    )
    fresh = client.get(url)
    assert not is_hit(fresh)
    assert "像石榴籽一样紧紧抱在一起" in fresh.content.decode()


def test_a_page_drawn_while_something_was_written_is_not_kept(demo, monkeypatch):
    client = signed_in("staff")
    url = reverse("campaign:feedback_board")
    real = pagecache._region

    def write_meanwhile(html, marks):
        pagecache.stamp(["some_other_table"])  # another request's commit, mid-render
        return real(html, marks)

    monkeypatch.setattr(pagecache, "_region", write_meanwhile)
    client.get(url)
    monkeypatch.setattr(pagecache, "_region", real)
    assert not is_hit(client.get(url))
    assert is_hit(client.get(url))


def test_the_shell_and_the_tokens_are_the_viewers_own(demo):
    """A page kept for everyone with the same roles names the viewer, not who drew it; its
    forms carry the viewer's CSRF token, which the server accepts."""
    first = User.objects.get(username="member")
    second = User.objects.create_user(
        username="member2", password=PASSWORD, full_name="第二党员", branch=first.branch
    )
    second.groups.set(first.groups.all())
    url = reverse("members:directory")
    signed_in("member").get(url)
    client = signed_in("member2", enforce_csrf_checks=True)
    page = client.get(url)
    html = page.content.decode()
    assert is_hit(page)
    assert "第二党员" in html.split("<main", 1)[0]
    assert first.full_name not in html.split("<main", 1)[0]
    assert f'data-draft-user="{second.pk}"' in html
    # The sign-out form's token is this session's.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_kept_page_gets_a_fresh_one_time_token(demo):
    client = signed_in("staff")
    post = Reflection.objects.filter(hidden=False).order_by("pk").first()
    first = client.get(post.get_absolute_url())
    again = client.get(post.get_absolute_url())
    assert is_hit(again)
    once = [dict(TOKEN.findall(r.content.decode()))["_once"] for r in (first, again)]
    assert once[0] != once[1], "the same one-time token twice: the second comment is refused"
    # The comment sent from the kept page is saved.
    response = client.post(
        reverse("reading:comment_create", args=[post.pk]),
        {"body": "读后很受启发", "_once": once[1]},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(reflection=post, body="读后很受启发").exists()


def test_flash_messages_appear_on_a_kept_page(demo):
    client = signed_in("secretary")
    url = reverse("members:audit_log")
    client.get(url)
    request = client.get(url).wsgi_request
    assert is_hit(client.get(url))
    # A message waiting in the session, as a form's redirect leaves it.
    storage = SessionStorage(request)
    session = client.session
    session[storage.session_key] = storage.serialize_messages(
        [Message(constants.SUCCESS, "已保存。")]
    )
    session.save()
    page = client.get(url)
    assert is_hit(page)
    assert "已保存。" in page.content.decode()


def test_a_hit_runs_few_queries(demo):
    client = signed_in("member")
    url = reverse("campaign:post_list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert is_hit(client.get(url))
    # The session is read from the cache (cached_db), the person with the branch and roles are
    # kept too: no query at all.
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]


def test_a_hit_reads_few_cache_entries(demo, monkeypatch):
    """The session, the person's entry, the page's, and the stamp of the last write: not one
    stamp per table the page shows (a file each with the file cache)."""
    client = signed_in("leader")
    url = reverse("campaign:saving_summary")
    client.get(url)
    read: list[str] = []
    get, get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: read.append(key) or get(key, *a, **k))
    monkeypatch.setattr(cache, "get_many", lambda keys, *a: read.extend(keys) or get_many(keys, *a))
    assert is_hit(client.get(url))
    stamps_read = {key for key in read if ":stamp:" in key}
    assert stamps_read == {pagecache._stamp_key(pagecache.LAST_WRITE)}, read
    others = set(read) - stamps_read
    assert len(others) == 3, read
    assert sum("session" in key for key in others) == 1


def test_a_deactivated_person_is_not_kept_signed_in(demo):
    client = signed_in("member")
    url = reverse("campaign:post_list")
    client.get(url)
    assert is_hit(client.get(url))
    User.objects.filter(username="member").update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_losing_a_role_is_not_hidden_by_a_kept_page(demo):
    secretary = User.objects.get(username="secretary")
    client = signed_in("secretary")
    url = reverse("members:person_list")
    client.get(url)
    assert is_hit(client.get(url))
    secretary.groups.remove(*secretary.groups.filter(name=Role.SECRETARY))
    client.force_login(User.objects.get(pk=secretary.pk))
    assert client.get(url).status_code == 403


def test_completely_anonymous_feedback_leaves_no_stamp(demo):
    """Sending 完全匿名 feedback (the sealed drop box) changes no stamp: a stamp's change, or the
    time of the cache file holding it, would say when somebody sent."""

    def keys() -> dict:  # LocMem's own keys: every stamp there is
        return {k: cache.get(k) for k in list(cache._cache) if ":pagecache:" in k}

    client = signed_in("staff")
    client.get(reverse("campaign:feedback_board"))
    before = keys()
    staff = User.objects.get(username="staff")
    response = client.post(
        reverse("campaign:feedback_send", args=[staff.branch_id]),
        {"kind": "complaint", "category": "canteen", "identity": "none", "text": "菜太咸了。"},
    )
    assert response.status_code == 200
    assert "回执码" in response.content.decode()
    assert keys() == before
    # The secretary's list reads the drop box: its stamp is the number of drops.
    secretary = signed_in("secretary")
    url = reverse("campaign:feedback_list")
    secretary.get(url)
    assert is_hit(secretary.get(url))
    before = keys()
    client.post(
        reverse("campaign:feedback_send", args=[staff.branch_id]),
        {"kind": "complaint", "category": "canteen", "identity": "none", "text": "汤太咸了。"},
    )
    assert keys() == before
    assert not is_hit(secretary.get(url))
    assert is_hit(secretary.get(url))


# --- Pages kept for everyone with the same roles ------------------------------------------------


def shared_pages() -> list[tuple[str, str]]:
    """(role's sign-in name, url) of every page kept per="roles"."""
    activity = ReadingActivity.objects.order_by("-pk").first()
    closed = EvaluationRound.objects.filter(status=EvaluationRound.Status.CLOSED).first()
    pages = [
        ("secretary", reverse("members:person_list")),
        ("member", reverse("members:directory")),
        ("secretary", reverse("members:audit_log")),
        ("leader", reverse("reading:activity_stats", args=[activity.pk])),
        ("leader", reverse("reading:distribution_list", args=[activity.pk])),
        ("secretary", reverse("campaign:pledge_missing")),
        ("secretary", reverse("campaign:round_results", args=[closed.pk])),
        ("leader", reverse("campaign:saving_summary")),
        ("staff", reverse("campaign:feedback_board")),
        ("staff", reverse("campaign:feedback_satisfaction")),
    ]
    for _, url in pages:
        assert resolve(url).func.page_cache == "roles", url
    return pages


def test_the_pages_kept_per_roles_are_the_same_for_everyone_with_them(demo, settings):
    """The same page drawn for two people with the same roles (in another department, with
    another name) is the same page: nothing in it is the viewer's own."""
    settings.PAGE_CACHE = False
    departments = list(Department.objects.order_by("pk"))
    found = []
    for username, url in shared_pages():
        first = User.objects.get(username=username)
        other = next(d for d in departments if d.pk != first.department_id)
        twin, _ = User.objects.get_or_create(
            username=f"{username}-twin",
            defaults={
                "full_name": f"{first.full_name}双",
                "branch": first.branch,
                "department": other,
                "political_status": first.political_status,
            },
        )
        twin.groups.set(first.groups.all())
        pages = [
            content(signed_in(name).get(url).content.decode()) for name in (username, twin.username)
        ]
        if pages[0] != pages[1]:
            found.append(url)
    assert not found, f"per='roles' pages that differ by viewer: {found}"


def test_every_kept_page_is_the_page_drawn_now(demo):
    """Each kept page, served again, equals the page drawn without the cache."""
    activity = ReadingActivity.objects.order_by("-pk").first()
    post = VanguardPost.objects.order_by("pk").first()
    reflection = Reflection.objects.filter(activity=activity, hidden=False).first()
    pages = [
        *shared_pages(),
        ("member", reverse("home")),
        ("leader", reverse("home")),
        ("member", reverse("reading:reflection_list", args=[activity.pk])),
        ("staff", reflection.get_absolute_url()),
        ("staff", reverse("reading:reflection_showcase", args=[activity.pk])),
        ("secretary", reverse("reading:recommendation_list", args=[activity.pk])),
        ("member", reverse("reading:progress_list", args=[activity.pk])),
        ("staff", reverse("campaign:pledge_wall")),
        ("secretary", reverse("campaign:pledge_queue")),
        ("leader", reverse("campaign:review_list")),
        ("member", reverse("campaign:post_list")),
        ("member", post.get_absolute_url()),
        ("secretary", reverse("campaign:rectification_list")),
        ("secretary", reverse("campaign:feedback_list")),
        ("secretary", reverse("home")),
    ]
    missed = []
    for username, url in pages:
        client = signed_in(username)
        drawn = client.get(url)
        kept = client.get(url)
        if not is_hit(kept):
            missed.append(url)
        assert content(kept.content.decode()) == content(drawn.content.decode()), url
    assert not missed, f"not kept: {missed}"
    assert Feedback.objects.exists()
