"""Every list, count and summary shows what the object's own page would show to the same person.

One branch, four personas. 周静 keeps her progress private (只有本人和支部书记) and her post was
hidden; 陈党员 (the member persona) keeps his own progress private and had a comment hidden.
"""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Role
from reading import services
from reading.models import ReadingProgress
from tests.factories import make_person

from .factories import make_activity, make_comment, make_reflection, select_books

ROLES = ("secretary", "leader", "member", "staff")


@pytest.fixture
def world(branch, secretary, leader, member, staff):
    activity = make_activity(branch, "discuss")
    books = select_books(activity, secretary)
    quiet = make_person(branch, (Role.MEMBER,), full_name="周静")
    open_ = make_person(branch, (Role.MEMBER,), full_name="吴公开")
    for book in books:
        ReadingProgress.objects.create(
            selection=book, member=quiet, status="finished", percent=100, visible_to_members=False
        )
        ReadingProgress.objects.create(selection=book, member=open_, status="finished", percent=100)
    ReadingProgress.objects.create(
        selection=books[0], member=member, status="reading", percent=37, visible_to_members=False
    )
    shown = make_reflection(activity, open_, title="公开的读后感")
    make_comment(shown, staff, "公开评论")
    rude = make_comment(shown, member, "被隐藏的评论")
    services.comment_hide(comment=rude, reason="与读书无关", by=secretary)
    hidden = make_reflection(activity, quiet, title="被隐藏的读后感")
    make_comment(hidden, staff, "隐藏帖下的评论")
    services.reflection_hide(reflection=hidden, reason="含有客户个人信息", by=secretary)
    return {"activity": activity, "quiet": quiet, "open": open_, "shown": shown, "member": member}


def _get(personas, role, name, activity):
    return personas[role].get(reverse(f"reading:{name}", args=[activity.pk]))


def _by_name(people, full_name):
    return next(p for p in people if p.full_name == full_name)


@pytest.mark.parametrize(
    "role, quiet_finished, quiet_posts",
    [("secretary", 2, 1), ("leader", 0, 0), ("member", None, None), ("staff", None, None)],
)
def test_people_list_counts_private_progress_and_hidden_posts_only_for_the_secretary(
    personas, world, role, quiet_finished, quiet_posts
):
    response = _get(personas, role, "participant_list", world["activity"])
    if quiet_finished is None:
        assert response.status_code == 403
        return
    people = list(response.context["page"])
    quiet = _by_name(people, "周静")
    assert (quiet.finished, quiet.posts) == (quiet_finished, quiet_posts)
    assert _by_name(people, "吴公开").finished == 2


@pytest.mark.parametrize(
    "role, sees_quiet, sees_members_own",
    [
        ("secretary", True, True),
        ("leader", False, False),
        ("member", False, True),  # his own private progress
        ("staff", False, False),
    ],
)
def test_progress_board_shows_private_progress_to_self_and_secretary_only(
    personas, world, role, sees_quiet, sees_members_own
):
    response = _get(personas, role, "progress_list", world["activity"])
    if role == "staff":  # "其他党员可见" is for party members: staff see no one's progress
        assert not list(response.context["page"])
        assert "阅读进度只在党员之间分享" in response.content.decode()
        return
    rows = {row.member.full_name: row for row in response.context["page"]}
    assert (rows["周静"].cells[0][1] is not None) is sees_quiet
    assert (rows["陈党员"].cells[0][1] is not None) is sees_members_own
    assert rows["吴公开"].cells[0][1].percent == 100
    html = response.content.decode()
    assert ("37%" in html) is sees_members_own


@pytest.mark.parametrize(
    "role, sees_hidden_post, comments_on_shown",
    [("secretary", True, 2), ("leader", False, 1), ("member", False, 2), ("staff", False, 1)],
)
def test_forum_list_hides_hidden_posts_and_counts_the_comments_the_post_page_shows(
    personas, world, role, sees_hidden_post, comments_on_shown
):
    response = _get(personas, role, "reflection_list", world["activity"])
    assert ("被隐藏的读后感" in response.content.decode()) is sees_hidden_post
    posts = {p.title: p for p in response.context["page"]}
    assert posts["公开的读后感"].comment_count == comments_on_shown  # member: his hidden one too
    for post in posts.values():
        detail = personas[role].get(post.get_absolute_url())
        assert len(detail.context["comments"]) == post.comment_count, post.title


def test_the_author_of_a_hidden_post_still_finds_it_in_the_list(world):
    client = Client()
    client.force_login(world["quiet"])
    response = client.get(reverse("reading:reflection_list", args=[world["activity"].pk]))
    assert "被隐藏的读后感" in response.content.decode()


@pytest.mark.parametrize(
    "role, expected",
    [
        ("secretary", {"公开评论", "被隐藏的评论", "隐藏帖下的评论"}),
        ("leader", {"公开评论"}),
        ("member", None),
        ("staff", None),
    ],
)
def test_comment_list_applies_the_comment_rule(personas, world, role, expected):
    response = _get(personas, role, "comment_list", world["activity"])
    if expected is None:
        assert response.status_code == 403
        return
    assert {c.body for c in response.context["page"]} == expected
    html = response.content.decode()
    assert ("被隐藏的读后感" in html) is (role == "secretary")  # a hidden post's title
    assert ("被隐藏的评论" in html) is (role == "secretary")


@pytest.mark.parametrize(
    "role, finished_people, posts, hidden_posts, comments",
    [
        ("secretary", 2, 2, 1, 3),
        ("leader", 1, 1, 0, 1),
        ("member", None, None, None, None),
        ("staff", None, None, None, None),
    ],
)
def test_summary_counts_what_the_lists_behind_them_show(
    personas, world, role, finished_people, posts, hidden_posts, comments
):
    response = _get(personas, role, "activity_stats", world["activity"])
    if finished_people is None:
        assert response.status_code == 403
        return
    n = response.context["n"]
    assert (n["finished_people"], n["posts"], n["hidden_posts"], n["comments"]) == (
        finished_people,
        posts,
        hidden_posts,
        comments,
    )
    assert n["finished_pairs"] == 2 * finished_people
    # The drill-down lists agree with the numbers.
    forum = _get(personas, role, "reflection_list", world["activity"]).context["page"]
    assert len(forum.object_list) == posts
    listed = _get(personas, role, "comment_list", world["activity"]).context["page"]
    assert len(listed.object_list) == comments


def test_the_secretarys_finished_filter_matches_the_summary(personas, world):
    url = reverse("reading:progress_list", args=[world["activity"].pk]) + "?show=finished"
    names = {row.member.full_name for row in personas["secretary"].get(url).context["page"]}
    assert names == {"周静", "吴公开"}
