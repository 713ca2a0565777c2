"""Hidden and featured posts stay as the secretary decided.

No edits while hidden; what a post said before a hide stays with the secretary after the restore;
an edit of a 精华 takes it off the showcase and the 宣传 page until the secretary confirms it again.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import audit
from members.models import AuditEntry
from reading import services
from reading.models import Feature, Revision

from .factories import make_activity, make_reflection, select_books

ROLES = ("secretary", "leader", "member", "staff")


@pytest.fixture
def post(branch, secretary, member):
    activity = make_activity(branch, "discuss")
    select_books(activity, secretary)
    return make_reflection(activity, member, title="把每一单药送到", body="第一稿：客户张某电话。")


def edit(post, by, **changes):
    data = {"selection": post.selection, "title": post.title, "body": post.body, **changes}
    return services.reflection_update(reflection=post, by=by, **data)


# --- No edits while hidden ------------------------------------------------------------------------


def test_the_author_cannot_edit_a_hidden_post_and_is_told_why(
    post, member, secretary, member_client
):
    services.reflection_hide(reflection=post, reason="含有客户个人信息", by=secretary)
    with pytest.raises(ValidationError, match="隐藏期间不能修改.*含有客户个人信息"):
        edit(post, member, body="偷偷改掉")
    url = reverse("reading:reflection_edit", args=[post.pk])
    for response in (
        member_client.get(url),
        member_client.post(url, {"selection": post.selection_id, "title": "改", "body": "改"}),
    ):
        assert response.status_code == 302 and response.url == post.get_absolute_url()
    post.refresh_from_db()
    assert (post.title, post.body) == ("把每一单药送到", "第一稿：客户张某电话。")
    assert not Revision.objects.exists()
    page = member_client.get(url, follow=True).content.decode()
    assert "隐藏期间不能修改" in page and "含有客户个人信息" in page
    assert f'href="{url}"' not in page  # no 修改 button on the hidden post


def test_a_stale_copy_of_the_post_does_not_get_past_the_rule(post, member, secretary):
    stale = type(post).objects.get(pk=post.pk)
    services.reflection_hide(reflection=post, reason="含有客户个人信息", by=secretary)
    with pytest.raises(ValidationError, match="隐藏期间不能修改"):
        edit(stale, member, body="偷偷改掉")


# --- Revisions from before a hide ---------------------------------------------------------------


def test_revisions_from_before_a_hide_are_for_the_secretary_only(post, member, secretary, personas):
    edit(post, member, body="第二稿：去掉了电话。")  # revision holds 第一稿
    services.reflection_hide(reflection=post, reason="修改记录里有客户电话", by=secretary)
    services.reflection_restore(reflection=post, by=secretary)
    edit(post, member, body="第三稿。")  # revision holds 第二稿, public since the restore
    url = reverse("reading:reflection_revisions", args=[post.pk])
    for role in ROLES:
        html = personas[role].get(url).content.decode()
        assert ("第一稿" in html) is (role == "secretary"), role
        assert "第二稿" in html, role
        detail = personas[role].get(post.get_absolute_url())
        assert detail.context["revision_count"] == (2 if role == "secretary" else 1), role
    assert "仅支部书记可见" in personas["secretary"].get(url).content.decode()


def test_the_author_does_not_see_sealed_revisions_while_hidden(post, member, secretary, personas):
    edit(post, member, body="第二稿。")
    services.reflection_hide(reflection=post, reason="待核实", by=secretary)
    html = personas["member"].get(reverse("reading:reflection_revisions", args=[post.pk]))
    assert "第一稿" not in html.content.decode()


def test_the_data_migration_seals_revisions_of_posts_hidden_before(post, member, secretary):
    """Old code let the author edit while hidden: that revision holds the hidden text."""
    audit.record(by=secretary, action="隐藏读后感", obj=post, detail="x")
    Revision.objects.create(
        reflection=post, title=post.title, body="被隐藏的原文", edited_by=member
    )
    audit.record(by=secretary, action="恢复读后感", obj=post)
    Revision.objects.create(
        reflection=post, title=post.title, body="恢复后的版本", edited_by=member
    )
    import_module("reading.migrations.0003_seal_revisions_before_hides").seal(apps, None)
    sealed = dict(Revision.objects.values_list("body", "sealed"))
    assert sealed == {"被隐藏的原文": True, "恢复后的版本": False}


# --- Features go back to review -----------------------------------------------------------------


def _on_show(personas, post):
    """Roles that find the post on the showcase and on the 宣传 page."""
    found = set()
    for role in ROLES:
        for name in ("reflection_showcase", "reflection_publicity"):
            html = personas[role].get(reverse(f"reading:{name}", args=[post.activity_id]))
            if "联系岗位实际" in html.content.decode():
                found.add((role, name))
    return found


def test_an_edit_takes_a_feature_back_to_review_until_the_secretary_confirms(
    post, member, secretary, personas
):
    services.reflection_feature(reflection=post, reason="联系岗位实际，朴实感人。", by=secretary)
    everywhere = {(r, n) for r in ROLES for n in ("reflection_showcase", "reflection_publicity")}
    assert _on_show(personas, post) == everywhere

    edit(post, member, body="改成了别的内容。")
    feature = Feature.objects.get()
    assert feature.status == Feature.Status.REVIEW and feature.reason == "联系岗位实际，朴实感人。"
    assert AuditEntry.objects.filter(action="精华待复核", actor=member).exists()
    assert _on_show(personas, post) == set()
    forum = reverse("reading:reflection_list", args=[post.activity_id]) + "?featured=on"
    assert post.title not in personas["staff"].get(forum).content.decode()
    staff_page = personas["staff"].get(post.get_absolute_url()).content.decode()
    assert "联系岗位实际" not in staff_page  # no reason under text it was not written for
    assert "待支部书记重新确认" in personas["member"].get(post.get_absolute_url()).content.decode()
    showcase = reverse("reading:reflection_showcase", args=[post.activity_id])
    assert "请复核后确认" in personas["secretary"].get(showcase).content.decode()
    form = (
        personas["secretary"]
        .get(reverse("reading:reflection_feature", args=[post.pk]))
        .content.decode()
    )
    assert "确认并重新展示" in form and "联系岗位实际，朴实感人。" in form  # the reason is kept

    response = personas["secretary"].post(
        reverse("reading:reflection_feature", args=[post.pk]),
        {"reason": "联系岗位实际，朴实感人。"},
    )
    assert response.status_code == 302
    assert Feature.objects.get().status == Feature.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="确认精华", actor=secretary).exists()
    assert _on_show(personas, post) == everywhere


def test_saving_without_a_change_keeps_the_feature(post, member, secretary):
    services.reflection_feature(reflection=post, reason="好", by=secretary)
    edit(post, member)
    assert Feature.objects.get().status == Feature.Status.PUBLISHED
    assert not AuditEntry.objects.filter(action="精华待复核").exists()


def test_the_author_is_warned_before_editing_a_feature(post, secretary, member_client):
    services.reflection_feature(reflection=post, reason="好", by=secretary)
    url = reverse("reading:reflection_edit", args=[post.pk])
    assert "精华推荐暂停展示" in member_client.get(url).content.decode()
    response = member_client.post(
        url, {"selection": post.selection_id, "title": post.title, "body": "新正文"}, follow=True
    )
    assert "待支部书记重新确认" in response.content.decode()
