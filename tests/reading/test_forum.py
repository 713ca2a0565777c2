"""Phase 3, the 读书论坛: posting, revisions, comments, likes, 精华, hiding, search."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from members.models import AuditEntry, Role
from reading import services
from reading.models import Comment, Feature, Like, Reflection, Revision
from tests.factories import make_person

from .factories import make_activity, make_comment, make_reflection, select_books


@pytest.fixture
def post(activity, member):
    return make_reflection(
        activity, member, title="把每一单药送到", body="读《你在为谁工作》有感。"
    )


def test_a_member_posts_a_reflection(member_client, activity, member):
    url = reverse("reading:reflection_create", args=[activity.pk])
    body = "第一段。\n\n第二段 **重点**。"
    response = member_client.post(
        url,
        {
            "selection": activity.selections.first().pk,
            "title": "读后感",
            "body": body,
            "excerpt": "原文一句",
            "excerpt_page": 36,
        },
    )
    post = Reflection.objects.get()
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert post.body == body and post.author == member and post.excerpt_page == 36
    html = member_client.get(post.get_absolute_url()).content.decode()
    assert "<strong>重点</strong>" in html and "第 36 页" in html


def test_a_page_number_without_an_excerpt_is_refused(member_client, activity):
    url = reverse("reading:reflection_create", args=[activity.pk])
    response = member_client.post(
        url,
        {
            "selection": activity.selections.first().pk,
            "title": "读后感",
            "body": "正文",
            "excerpt_page": 3,
        },
    )
    assert "请同时填写摘抄" in response.content.decode()
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    "phase, message", [("read", "交流阶段尚未开始"), ("finished", "交流阶段已结束")]
)
def test_posting_outside_phase_3_is_refused(branch, secretary, member, phase, message):
    activity = make_activity(branch, phase)
    book = select_books(activity, secretary)[0]
    with pytest.raises(ValidationError, match=message):
        services.reflection_create(
            activity=activity, by=member, selection=book, title="题", body="正文"
        )


def test_staff_read_and_comment_but_do_not_post(staff_client, activity, post):
    assert (
        staff_client.get(reverse("reading:reflection_create", args=[activity.pk])).status_code
        == 403
    )
    assert staff_client.get(post.get_absolute_url()).status_code == 200
    response = staff_client.post(
        reverse("reading:comment_create", args=[post.pk]), {"body": "写得好，向您学习！"}
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "写得好，向您学习！"


def test_an_empty_comment_saves_nothing(staff_client, post):
    staff_client.post(reverse("reading:comment_create", args=[post.pk]), {"body": "  "})
    assert not Comment.objects.exists()


def test_every_edit_keeps_a_revision(member_client, post):
    url = reverse("reading:reflection_edit", args=[post.pk])
    data = {"selection": post.selection_id, "title": "新标题", "body": "新正文"}
    assert member_client.post(url, data).status_code == 302
    member_client.post(url, {**data, "body": "再改一次"})
    member_client.post(url, {**data, "body": "再改一次"})  # unchanged: no revision
    post.refresh_from_db()
    assert post.body == "再改一次"
    assert list(Revision.objects.order_by("pk").values_list("title", "body")) == [
        ("把每一单药送到", "读《你在为谁工作》有感。"),
        ("新标题", "新正文"),
    ]
    html = member_client.get(reverse("reading:reflection_revisions", args=[post.pk])).content
    assert "读《你在为谁工作》有感。" in html.decode()


def test_only_the_author_edits(leader_client, secretary_client, post):
    url = reverse("reading:reflection_edit", args=[post.pk])
    for client in (leader_client, secretary_client):
        assert (
            client.post(
                url, {"selection": post.selection_id, "title": "改", "body": "改"}
            ).status_code
            == 403
        )
    with pytest.raises(ValidationError, match="只能修改自己的"):
        services.reflection_update(
            reflection=post,
            by=make_person(post.activity.branch),
            selection=post.selection,
            title="改",
            body="改",
        )
    post.refresh_from_db()
    assert post.title == "把每一单药送到"


def test_one_like_per_person_and_a_count_never_a_ranking(staff_client, member_client, post, staff):
    url = reverse("reading:reflection_like", args=[post.pk])
    staff_client.post(url)
    member_client.post(url)
    assert Like.objects.filter(reflection=post).count() == 2
    staff_client.post(url)  # the second click takes the like back
    assert Like.objects.filter(reflection=post).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(reflection=post, person=post.author)
        Like.objects.create(reflection=post, person=post.author)


def test_the_secretary_features_a_post_with_a_reason(secretary_client, staff_client, post):
    url = reverse("reading:reflection_feature", args=[post.pk])
    assert secretary_client.post(url, {"reason": ""}).status_code == 200
    assert not Feature.objects.exists()
    assert secretary_client.post(url, {"reason": "联系岗位实际，朴实感人。"}).status_code == 302
    assert AuditEntry.objects.filter(action="设为精华").exists()
    html = staff_client.get(
        reverse("reading:reflection_showcase", args=[post.activity_id])
    ).content.decode()
    assert "把每一单药送到" in html and "联系岗位实际，朴实感人。" in html
    text = staff_client.get(
        reverse("reading:reflection_publicity", args=[post.activity_id])
    ).content.decode()
    assert "推荐理由：联系岗位实际，朴实感人。" in text and "data-print" in text


def test_members_cannot_feature_or_hide(member_client, leader_client, post):
    for client in (member_client, leader_client):
        assert (
            client.post(
                reverse("reading:reflection_feature", args=[post.pk]), {"reason": "好"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("reading:reflection_hide", args=[post.pk]), {"reason": "x"}
            ).status_code
            == 403
        )
    assert not Feature.objects.exists() and not Reflection.objects.filter(hidden=True).exists()


def test_hiding_a_post_keeps_it_for_the_author_with_the_reason(
    secretary_client, member_client, staff_client, post
):
    Feature.objects.create(reflection=post, reason="好")
    url = reverse("reading:reflection_hide", args=[post.pk])
    assert secretary_client.post(url, {"reason": ""}).status_code == 200
    assert secretary_client.post(url, {"reason": "含有客户个人信息"}).status_code == 302
    post.refresh_from_db()
    assert post.hidden and post.body == "读《你在为谁工作》有感。"
    assert not Feature.objects.exists()  # a hidden post leaves the showcase
    assert staff_client.get(post.get_absolute_url()).status_code == 404
    forum = reverse("reading:reflection_list", args=[post.activity_id])
    assert "把每一单药送到" not in staff_client.get(forum).content.decode()
    own = member_client.get(post.get_absolute_url()).content.decode()
    assert "已被隐藏" in own and "含有客户个人信息" in own
    assert "含有客户个人信息" in member_client.get("/").content.decode()  # told on the home page
    assert AuditEntry.objects.filter(action="隐藏读后感", detail="含有客户个人信息").exists()
    secretary_client.post(url, {"restore": "1"})
    post.refresh_from_db()
    assert not post.hidden


def test_hiding_a_comment(secretary_client, staff_client, member_client, post, staff):
    comment = make_comment(post, staff, "不当言论")
    url = reverse("reading:comment_hide", args=[comment.pk])
    assert secretary_client.post(url, {"reason": "与读书无关"}).status_code == 302
    assert "不当言论" not in member_client.get(post.get_absolute_url()).content.decode()
    own = staff_client.get(post.get_absolute_url()).content.decode()
    assert "不当言论" in own and "与读书无关" in own
    assert AuditEntry.objects.filter(action="隐藏评论").exists()


def test_hidden_reason_is_a_database_rule(post):
    with pytest.raises(IntegrityError), transaction.atomic():
        Reflection.objects.filter(pk=post.pk).update(hidden=True, hidden_reason="")


@pytest.mark.parametrize("q", ["送药", "为谁工作", "陈晓东", "晓东", "一单 药"])
def test_search_by_title_text_or_author_in_chinese(member_client, activity, branch, q):
    author = make_person(branch, (Role.MEMBER,), full_name="陈晓东")
    make_reflection(activity, author, title="把每一单药送到", body="读《你在为谁工作》有感：送药。")
    make_reflection(
        activity,
        make_person(branch, (Role.MEMBER,), full_name="周海燕"),
        title="质量工作没有差不多",
        body="责任胜于能力。",
    )
    url = reverse("reading:reflection_list", args=[activity.pk])
    html = member_client.get(url, {"q": q}).content.decode()
    assert "把每一单药送到" in html and "质量工作没有差不多" not in html


def test_the_list_shows_author_book_date_and_counts(member_client, post, staff):
    make_comment(post, staff)
    Like.objects.create(reflection=post, person=staff)
    html = member_client.get(reverse("reading:reflection_list", args=[post.activity_id])).content
    html = html.decode()
    assert post.author.full_name in html and str(post.selection) in html
    assert "评论 1 · 点赞 1" in html and "年" in html


def test_the_list_is_paginated_by_page_size(member_client, activity, member, settings):
    settings.PAGE_SIZE = 20
    for _ in range(21):
        make_reflection(activity, member)
    html = member_client.get(reverse("reading:reflection_list", args=[activity.pk])).content
    assert html.decode().count('class="list-group-item"') == 20


def test_hostile_text_is_stored_as_written_and_rendered_inert(member_client, activity, member):
    body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [x](javascript:alert(3))"
    post = make_reflection(
        activity, member, title="<b>标题</b>", body=body, excerpt="<i onclick=x>摘</i>"
    )
    assert Reflection.objects.get(pk=post.pk).body == body
    html = member_client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "javascript:" not in html and "<b>标题</b>" not in html and "<i onclick" not in html


def test_sending_the_same_comment_twice_saves_one(staff_client, post):
    token = staff_client.get(post.get_absolute_url()).context["request"].once_token
    url = reverse("reading:comment_create", args=[post.pk])
    for _ in range(2):
        staff_client.post(url, {"body": "写得好", "_once": token})
    assert Comment.objects.count() == 1
