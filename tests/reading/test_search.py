"""The 读书论坛 search (`?q=` of reading:reflection_list, reading.selectors.forum): every word found
in a post's title, body, excerpt or author's name, letter case ignored, as the viewer may see the
posts; a fixed number of queries; on PostgreSQL served by the trigram indexes of 0007."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role
from reading import selectors, services
from reading.models import Reflection
from tests.factories import make_branch, make_person

from .factories import make_reflection

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

BODY = "我想起去年冬天给一位独居老人送药，那天下大雪，但还是按时送到了。今后严格执行GSP规范。"


@pytest.fixture
def writer(branch):
    return make_person(branch, (Role.MEMBER,), full_name="陈晓东")


@pytest.fixture
def posts(activity, writer, branch):
    other = make_person(branch, (Role.MEMBER,), full_name="周海燕")
    return {
        "winter": make_reflection(activity, writer, title="把每一单药送到", body=BODY),
        "quality": make_reflection(
            activity,
            other,
            title="质量工作没有差不多",
            body="责任胜于能力。",
            excerpt="泰山不拒细壤，故能成其高。",
        ),
        "plain": make_reflection(activity, other, title="读书心得", body="感谢支部组织读书。"),
    }


def found(activity, viewer, q: str) -> set[str]:
    return {p.title for p in selectors.forum(activity=activity, viewer=viewer, q=q)}


@pytest.mark.parametrize(
    "q, titles",
    [
        ("单药送", {"把每一单药送到"}),  # title
        ("独居老人", {"把每一单药送到"}),  # body
        ("不拒细壤", {"质量工作没有差不多"}),  # excerpt
        ("大雪", {"把每一单药送到"}),  # two characters: no trigram, still found
        ("读书", {"读书心得"}),
        ("晓东", {"把每一单药送到"}),  # part of the author's name
        ("周海燕", {"质量工作没有差不多", "读书心得"}),
        ("区块链", set()),
    ],
)
def test_a_word_is_found_in_title_body_excerpt_or_author(activity, member, posts, q, titles):
    assert found(activity, member, q) == titles


@pytest.mark.parametrize("q", ["gsp", "GSP", "Gsp规范", "gSP规"])
def test_latin_letters_ignore_case(activity, member, posts, q):
    assert found(activity, member, q) == {"把每一单药送到"}


def test_every_word_must_be_found_in_the_same_post(activity, member, posts):
    assert found(activity, member, "送药 大雪") == {"把每一单药送到"}
    assert found(activity, member, "陈晓东 送药") == {"把每一单药送到"}  # author and body
    assert found(activity, member, "周海燕 感谢") == {"读书心得"}
    assert found(activity, member, "送药 责任") == set()


def test_like_wildcards_are_plain_characters(activity, member, writer):
    make_reflection(activity, writer, title="完成率100%", body="正文")
    make_reflection(activity, writer, title="完成率1000", body="正文")
    assert found(activity, member, "100%") == {"完成率100%"}
    assert found(activity, member, "_") == set()


def test_holds_is_a_plain_substring_search_on_sqlite(activity, writer):
    """config.queries.Holds: INSTR() on SQLite (LIKE on PostgreSQL, which the trigram indexes
    serve); the same posts as `contains` for a word without letter case."""
    make_reflection(activity, writer, title="完成率100%", body="正文\\反斜杠")
    make_reflection(activity, writer, title="完成率1000", body="正文")
    titles = Reflection.objects.filter(activity=activity)
    for word in ("完成率", "100%", "0%", "\\", "率1000", "%", "_"):
        held = set(titles.filter(title__holds=word).values_list("title", flat=True))
        held |= set(titles.filter(body__holds=word).values_list("title", flat=True))
        contained = set(titles.filter(title__contains=word).values_list("title", flat=True))
        contained |= set(titles.filter(body__contains=word).values_list("title", flat=True))
        assert held == contained, word
    sql = str(titles.filter(title__holds="完成率").query)
    if connection.vendor == "sqlite":
        assert 'INSTR("reading_reflection"."title", ' in sql and "LIKE" not in sql
    else:
        assert '"reading_reflection"."title"::text LIKE' in sql


def test_search_results_page_through_every_match_once(member_client, activity, writer):
    for n in range(25):
        make_reflection(activity, writer, title=f"送药第{n:02d}天", body=BODY)
    make_reflection(activity, writer, title="读书心得", body="感谢支部组织读书。")
    url = reverse("reading:reflection_list", args=[activity.pk])
    pages = [member_client.get(url, {"q": "送药", "page": n}) for n in (1, 2)]
    shown = [p.title for response in pages for p in response.context["page"].object_list]
    assert len(shown) == len(set(shown)) == 25
    assert shown == [f"送药第{n:02d}天" for n in reversed(range(25))]  # newest first
    assert "共 25 条" in pages[1].content.decode()


def test_a_hidden_post_is_found_only_by_its_author_and_the_secretary(
    activity, posts, secretary, member, writer
):
    services.reflection_hide(reflection=posts["winter"], reason="涉及客户个人信息", by=secretary)
    assert found(activity, member, "送药") == set()
    assert found(activity, member, "陈晓东") == set()
    assert found(activity, writer, "送药") == {"把每一单药送到"}
    assert found(activity, secretary, "送药") == {"把每一单药送到"}


def test_another_branchs_forum_is_not_searched(activity, posts, writer):
    outsider = make_person(make_branch(), (Role.MEMBER,))
    assert found(activity, outsider, "送药") == set()


def test_the_page_shows_the_matches(member_client, activity, posts):
    url = reverse("reading:reflection_list", args=[activity.pk])
    html = member_client.get(url, {"q": "独居老人"}).content.decode()
    assert "把每一单药送到" in html and "质量工作没有差不多" not in html


def test_the_search_page_runs_the_same_queries_for_3_and_for_30_posts(
    member_client, activity, branch, django_assert_num_queries
):
    people = [make_person(branch, (Role.MEMBER,), full_name=f"送药员{n}") for n in range(3)]
    url = reverse("reading:reflection_list", args=[activity.pk])

    def add(n: int) -> None:
        for i in range(n):
            make_reflection(activity, people[i % 3], title=f"送药第{i}天", body=BODY)

    add(3)
    member_client.get(url, {"q": "送药 gsp"})  # warm-up (first-run check, session)
    with CaptureQueriesContext(connection) as small:
        assert member_client.get(url, {"q": "送药 gsp"}).status_code == 200
    add(27)
    people += [make_person(branch, (Role.MEMBER,), full_name=f"送药员{n}") for n in range(3, 30)]
    with django_assert_num_queries(len(small.captured_queries)):
        response = member_client.get(url, {"q": "送药 gsp"})
    assert response.context["page"].paginator.count == 30


# --- PostgreSQL: the trigram indexes ------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)
INDEXES = {
    f"reading_reflection_{column}_{kind}trgm"
    for column in ("title", "body", "excerpt")
    for kind in ("", "upper_")
}


@postgresql_only
@pytest.mark.django_db
def test_the_trigram_indexes_exist_after_migrate():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reading_reflection'"
        )
        defs = dict(cursor.fetchall())
    assert INDEXES <= defs.keys()
    for name in INDEXES:
        assert "USING gin" in defs[name] and "gin_trgm_ops" in defs[name], defs[name]
        assert ("upper(" in defs[name]) is ("_upper_" in name), defs[name]


@postgresql_only
@pytest.mark.parametrize("column", ["title", "body", "excerpt"])
@pytest.mark.parametrize("word, kind", [("独居老人", ""), ("gsp规范", "upper_")])
def test_the_search_sql_is_served_by_its_index(activity, member, posts, column, word, kind):
    """The forum writes the lookup whose expression is indexed: with sequential scans priced
    out, PostgreSQL answers the column's condition from the column's trigram index."""
    lookup = "contains" if kind == "" else "icontains"
    expression = f'"reading_reflection"."{column}"::text'
    written = str(selectors.forum(activity=activity, viewer=member, q=word).query)
    assert (f"UPPER({expression}) LIKE" if kind else f"{expression} LIKE") in written, written
    query = Reflection.objects.filter(**{f"{column}__{lookup}": word}).values("pk")
    with connection.cursor() as cursor:  # until the test's transaction ends
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = query.explain()
    assert f"reading_reflection_{column}_{kind}trgm" in plan, plan
    assert found(activity, member, word) == {"把每一单药送到"}
