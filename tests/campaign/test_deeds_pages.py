"""先锋事迹 pages: who reads which deed (list, page, photos), who records and corrects one, the
secretary's 确认 / 退回 / 宣传, bad input and bad photos (nothing saved), the export, and a
constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import django_filters
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaign.models import Deed, DeedPhoto
from config import uploads
from config.uploads import clean_image
from members.models import Role
from tests.conftest import client_for
from tests.exports import read_export
from tests.factories import make_branch, make_person

from .factories import FORTRESS_DAY, make_campaign, make_deed, make_holder, make_post

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

D = Deed.Status
LIST = reverse("campaign:deed_list")
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
CREATE = reverse("campaign:deed_create")


def image(fmt: str = "JPEG", size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def upload(data: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def stored(name: str = "p.jpg"):
    """What the form's field hands the service: a checked, re-encoded image."""
    return clean_image(upload(image(), name))


def url(name: str, deed) -> str:
    return reverse(f"campaign:{name}", args=[deed.pk])


def photo_url(deed) -> str:
    return deed.photos.get().photo.url


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def post(branch, secretary, member):
    post = make_post(branch, secretary, name="药品配送岗")
    make_holder(post, member, secretary)
    return post


@pytest.fixture
def deeds(branch, campaign, secretary, member, post):
    """The member's deed waiting for confirmation, another member's one, a confirmed deed and a
    confirmed deed marked 宣传 (each with a photo)."""
    other = make_person(branch, (Role.MEMBER,), full_name="何静")
    make_holder(post, other, secretary)
    waiting = make_deed(
        campaign, member, member, post=post, title="我的待确认事迹", photos=[stored()]
    )
    others = make_deed(
        campaign, other, other, post=post, title="别人的待确认事迹", photos=[stored()]
    )
    confirmed = make_deed(
        campaign,
        member,
        secretary,
        post=post,
        title="已确认未宣传",
        tags=["praise"],
        photos=[stored()],
    )
    public = make_deed(campaign, other, secretary, title="宣传的事迹", photos=[stored()])
    from campaign import services

    services.deed_publicize(deed=public, publicized=True, by=secretary)
    return {"waiting": waiting, "others": others, "confirmed": confirmed, "public": public}


@pytest.fixture
def outsider(db):
    """The secretary of another branch (a running campaign of its own)."""
    person = make_person(make_branch(), (Role.SECRETARY, Role.MEMBER))
    make_campaign(person)
    return client_for(person)


# --- Who reads what ------------------------------------------------------------------------------

READS = {
    "secretary": {"waiting", "others", "confirmed", "public"},
    "leader": {"waiting", "others", "confirmed", "public"},
    "member": {"waiting", "confirmed", "public"},
    "staff": {"public"},
}
TITLES = {
    "waiting": "我的待确认事迹",
    "others": "别人的待确认事迹",
    "confirmed": "已确认未宣传",
    "public": "宣传的事迹",
}


@pytest.mark.parametrize("role", sorted(READS))
def test_each_role_reads_the_deeds_it_may_see_on_the_list_the_page_and_the_photo(
    personas, deeds, role
):
    client = personas[role]
    html = client.get(LIST).content.decode()
    shown = {key for key, title in TITLES.items() if title in html}
    assert shown == READS[role]
    for key, deed in deeds.items():
        expected = 200 if key in READS[role] else 404
        assert client.get(url("deed_detail", deed)).status_code == expected, key
        response = client.get(photo_url(deed))
        assert response.status_code == expected, key
        if expected == 200:
            assert response["Content-Type"] == "image/jpeg"


def test_anonymous_goes_to_sign_in_and_another_branch_sees_nothing(client, outsider, deeds):
    for target in (LIST, url("deed_detail", deeds["public"]), photo_url(deeds["public"])):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"]
    response = outsider.get(LIST)
    assert response.status_code == 200 and "宣传的事迹" not in response.content.decode()
    for key in ("public", "waiting"):
        deed = deeds[key]
        assert outsider.get(url("deed_detail", deed)).status_code == 404
        assert outsider.get(photo_url(deed)).status_code == 404
        assert outsider.get(url("deed_edit", deed)).status_code == 404
        assert outsider.post(url("deed_confirm", deed)).status_code == 404
    assert Deed.objects.get(pk=deeds["waiting"].pk).status == D.SUBMITTED


def test_staff_cannot_fetch_a_photo_until_the_deed_is_marked_publicize(
    staff_client, secretary_client, deeds
):
    deed = deeds["confirmed"]
    assert staff_client.get(photo_url(deed)).status_code == 404
    secretary_client.post(url("deed_publicize", deed), {"publicized": "1"})
    assert staff_client.get(photo_url(deed)).status_code == 200
    secretary_client.post(url("deed_publicize", deed), {"publicized": "0"})
    assert staff_client.get(photo_url(deed)).status_code == 404


def test_a_photo_url_with_another_name_or_a_removed_photo_is_a_404(
    member_client, deeds, django_capture_on_commit_callbacks
):
    deed = deeds["waiting"]
    photo = deed.photos.get()
    wrong = reverse("campaign:deed_photo", args=[photo.pk, "other.jpg"])
    assert member_client.get(wrong).status_code == 404
    target = photo.photo.url
    path = Path(photo.photo.path)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once saved
        response = member_client.post(reverse("campaign:deed_photo_remove", args=[photo.pk]))
    assert response.status_code == 302
    assert not DeedPhoto.objects.filter(pk=photo.pk).exists() and not path.exists()
    assert member_client.get(target).status_code == 404


def test_list_filters_by_post_tag_status_and_publicized(secretary_client, member_client, deeds):
    def titles(client, **query):
        html = client.get(LIST, query).content.decode()
        return {key for key, title in TITLES.items() if title in html}

    post = deeds["waiting"].post
    assert titles(secretary_client, post=post.pk) == {"waiting", "others", "confirmed"}
    assert titles(secretary_client, tag="praise") == {"confirmed"}
    assert titles(secretary_client, status=D.SUBMITTED) == {"waiting", "others"}
    assert titles(secretary_client, publicized="on") == {"public"}
    # A member's filters narrow what he may read, never widen it.
    assert titles(member_client, status=D.SUBMITTED) == {"waiting"}


def test_staff_filter_has_no_status_or_publicize_choice(staff_client, member_client, deeds):
    assert 'name="status"' not in staff_client.get(LIST).content.decode()
    assert 'name="status"' in member_client.get(LIST).content.decode()


def test_the_export_is_for_the_secretary_and_leaders(
    branch, personas, deeds, secretary_client, leader_client
):
    for role in ("staff", "member"):
        assert personas[role].get(LIST, {"format": "xlsx"}).status_code == 403
    export = read_export(
        leader_client.get(LIST, {"format": "xlsx", "status": D.CONFIRMED}),
        branch=branch,
        ledger="先锋事迹",
    )
    assert sorted(export.column("标题")) == ["宣传的事迹", "已确认未宣传"]
    row = export.rows[export.column("标题").index("已确认未宣传")]
    by = dict(zip(export.headers, row, strict=True))
    assert by["标签"] == "客户表扬" and by["宣传"] == "否" and by["照片（张）"] == 1
    assert by["日期"].date() == FORTRESS_DAY and by["先锋岗"] == "药品配送岗"
    assert "状态：已确认" in export.title
    assert secretary_client.get(LIST, {"format": "xlsx"}).status_code == 200


# --- Recording a deed ----------------------------------------------------------------------------


def _form(post=None, **data):
    base = {
        "happened_on": FORTRESS_DAY.isoformat(),
        "title": "雪夜送药",
        "body": "冒雪将急需药品送到医院。",
        "tags": ["urgent", "praise"],
    }
    if post is not None:
        base["post"] = post.pk
    return {**base, **data}


def test_who_may_open_the_form(branch, campaign, personas, post):
    expected = {"staff": 403, "leader": 403, "member": 200, "secretary": 200}
    for role, status in expected.items():
        assert personas[role].get(CREATE).status_code == status, role
    # A party member without a post now may not record either.
    loner = client_for(make_person(branch, (Role.MEMBER,)))
    assert loner.get(CREATE).status_code == 403
    assert loner.post(CREATE, _form(post)).status_code == 403
    assert not Deed.objects.exists()
    # The list offers the form to those it lets in.
    assert CREATE not in loner.get(LIST).content.decode()
    assert CREATE not in personas["leader"].get(LIST).content.decode()
    assert CREATE in personas["member"].get(LIST).content.decode()
    # A post page's link preselects its post.
    form = personas["secretary"].get(CREATE, {"post": post.pk}).context["form"]
    assert form["post"].value() == post.pk


def test_a_member_chooses_only_the_posts_he_holds_and_records_with_photos(
    branch, campaign, secretary, member, member_client, post
):
    make_post(branch, secretary, name="仓储保管岗")
    html = member_client.get(CREATE).content.decode()
    assert "药品配送岗" in html and "仓储保管岗" not in html and 'name="member"' not in html
    files = [upload(image(), "a.jpg"), upload(image("PNG"), "b.png", "image/png")]
    response = member_client.post(CREATE, {**_form(post), "photos": files})
    deed = Deed.objects.get()
    assert response.status_code == 302 and response["Location"] == deed.get_absolute_url()
    assert (deed.member, deed.recorded_by, deed.status) == (member, member, D.SUBMITTED)
    assert deed.tag_labels == ["急难险重任务", "客户表扬"]
    assert sorted(Path(p.photo.name).suffix for p in deed.photos.all()) == [".jpg", ".png"]


def test_a_member_cannot_record_on_a_post_he_does_not_hold(
    branch, campaign, secretary, member_client, post
):
    other = make_post(branch, secretary, name="仓储保管岗")
    response = member_client.post(CREATE, _form(other))
    assert response.status_code == 200
    assert "所选先锋岗不在可选范围内" in response.context["form"].errors["post"][0]
    assert not Deed.objects.exists()


def test_the_secretary_records_any_members_deed_confirmed_at_once(
    campaign, secretary, secretary_client, member
):
    response = secretary_client.post(CREATE, _form(member=member.pk))
    deed = Deed.objects.get()
    assert response.status_code == 302
    assert (deed.member, deed.post, deed.status, deed.confirmed_by) == (
        member,
        None,
        D.CONFIRMED,
        secretary,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "请填写标题。"),
        ({"title": "长" * 101}, "title", "标题最多 100 个字"),
        ({"body": "  "}, "body", "请填写事迹经过。"),
        ({"happened_on": "2011-13-40"}, "happened_on", "事迹日期请按“年-月-日”填写"),
        ({"happened_on": TOMORROW}, "happened_on", "事迹日期不能晚于今天。"),
        ({"happened_on": "2011-05-15"}, "happened_on", "事迹日期不能早于 2011年5月16日"),
        ({"tags": ["nonsense"]}, "tags", "所选标签不在可选范围内"),
    ],
)
def test_bad_input_is_refused_at_the_field_kept_and_nothing_saved(
    campaign, member_client, post, data, field, message
):
    response = member_client.post(CREATE, _form(post, **data))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert form["body"].value() == data.get("body", "冒雪将急需药品送到医院。")
    assert not Deed.objects.exists()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text, not a picture", "notes.jpg", "不是有效的图片"),
        (SVG, "logo.svg", "不是有效的图片"),
        (HTML, "photo.png", "不是有效的图片"),
        (b"\xff\xd8" + b"0" * uploads.MAX_BYTES, "huge.jpg", "图片不能超过 5 MB"),
    ],
)
def test_bad_photos_are_refused_at_the_field_and_nothing_is_saved(
    campaign, member_client, post, settings, data, name, message
):
    files = [upload(image(), "good.jpg"), upload(data, name)]
    response = member_client.post(CREATE, {**_form(post), "photos": files})
    assert response.status_code == 200
    [error] = response.context["form"].errors["photos"]
    assert error.startswith("第 2 张照片：") and message in error
    assert response.context["form"]["title"].value() == "雪夜送药"
    assert not Deed.objects.exists() and not DeedPhoto.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "deeds").exists()


def test_an_image_with_too_many_pixels_is_refused(campaign, member_client, post):
    big = image("PNG", size=(6000, 4100))  # 24.6 megapixels: over the PNG cap
    response = member_client.post(
        CREATE, {**_form(post), "photos": [upload(big, "big.png", "image/png")]}
    )
    assert "图片的尺寸过大" in response.context["form"].errors["photos"][0]
    assert not Deed.objects.exists()


def test_more_photos_than_allowed_are_refused_before_any_is_decoded(
    campaign, member_client, post, monkeypatch
):
    decoded = []
    monkeypatch.setattr(uploads, "decode", lambda *a: decoded.append(a))
    files = [upload(image(), f"{n}.jpg") for n in range(Deed.MAX_PHOTOS + 1)]
    response = member_client.post(CREATE, {**_form(post), "photos": files})
    assert "最多还能上传 6 张照片，这次选了 7 张" in response.context["form"].errors["photos"][0]
    assert decoded == [] and not Deed.objects.exists()


# --- Corrections and the secretary's actions ---------------------------------------------------


def test_the_author_corrects_until_confirmed_and_a_returned_deed_goes_back(
    campaign, member_client, secretary_client, leader_client, deeds
):
    deed = deeds["waiting"]
    data = {"happened_on": FORTRESS_DAY.isoformat(), "title": "改过的标题", "body": "补充经过"}
    assert leader_client.get(url("deed_edit", deed)).status_code == 403
    response = secretary_client.post(url("deed_return", deed), {"reason": "请补充时间地点"})
    assert response.status_code == 302
    page = member_client.get(url("deed_edit", deed)).content.decode()
    assert "请补充时间地点" in page
    assert member_client.post(url("deed_edit", deed), data).status_code == 302
    deed.refresh_from_db()
    assert (deed.title, deed.status, deed.return_reason) == ("改过的标题", D.SUBMITTED, "")
    assert secretary_client.post(url("deed_confirm", deed)).status_code == 302
    assert member_client.get(url("deed_edit", deed)).status_code == 403
    assert (
        secretary_client.post(url("deed_edit", deed), {**data, "title": "书记改"}).status_code
        == 302
    )
    assert Deed.objects.get(pk=deed.pk).title == "书记改"


def test_edit_adds_photos_only_up_to_the_maximum(member_client, deeds):
    deed = deeds["waiting"]  # one photo already
    for _n in range(Deed.MAX_PHOTOS - 2):
        DeedPhoto.objects.create(deed=deed, photo=stored())
    data = {"happened_on": FORTRESS_DAY.isoformat(), "title": "新标题", "body": "经过"}
    files = [upload(image(), "a.jpg"), upload(image(), "b.jpg")]
    response = member_client.post(url("deed_edit", deed), {**data, "photos": files})
    files = [upload(image(), "c.jpg")]
    assert "最多还能上传 1 张照片，这次选了 2 张" in response.context["form"].errors["photos"][0]
    deed.refresh_from_db()
    assert deed.title == "我的待确认事迹" and deed.photos.count() == Deed.MAX_PHOTOS - 1
    response = member_client.post(url("deed_edit", deed), {**data, "photos": files})
    assert response.status_code == 302 and deed.photos.count() == Deed.MAX_PHOTOS
    assert 'name="photos"' not in member_client.get(url("deed_edit", deed)).content.decode()


def test_return_needs_a_reason_and_only_the_secretary_acts(
    member_client, leader_client, secretary_client, deeds
):
    deed = deeds["waiting"]
    for client in (member_client, leader_client):
        for action in ("deed_confirm", "deed_return", "deed_publicize"):
            assert client.post(url(action, deed), {"reason": "x"}).status_code == 403
    response = secretary_client.post(url("deed_return", deed), {"reason": " "})
    assert response.status_code == 200
    assert response.context["return_form"].errors["reason"] == ["请填写退回原因。"]
    assert Deed.objects.get(pk=deed.pk).status == D.SUBMITTED
    # 宣传 only once confirmed: the refusal is explained.
    response = secretary_client.post(url("deed_publicize", deed), {"publicized": "1"}, follow=True)
    assert "确认后才能宣传" in response.content.decode()
    assert not Deed.objects.get(pk=deed.pk).publicized


def test_the_detail_page_offers_what_the_service_allows(secretary_client, member_client, deeds):
    html = secretary_client.get(url("deed_detail", deeds["waiting"])).content.decode()
    assert url("deed_confirm", deeds["waiting"]) in html and "退回修改" in html
    html = secretary_client.get(url("deed_detail", deeds["confirmed"])).content.decode()
    assert "设为宣传" in html and url("deed_confirm", deeds["confirmed"]) not in html
    html = member_client.get(url("deed_detail", deeds["confirmed"])).content.decode()
    assert "设为宣传" not in html and url("deed_edit", deeds["confirmed"]) not in html
    html = member_client.get(url("deed_detail", deeds["waiting"])).content.decode()
    assert url("deed_edit", deeds["waiting"]) in html


def test_photo_remove_follows_the_edit_rule(member_client, leader_client, deeds):
    photo = deeds["confirmed"].photos.get()
    remove = reverse("campaign:deed_photo_remove", args=[photo.pk])
    assert member_client.post(remove).status_code == 403
    assert leader_client.post(remove).status_code == 403
    assert member_client.get(remove).status_code == 405
    assert DeedPhoto.objects.filter(pk=photo.pk).exists()


# --- Queries -----------------------------------------------------------------------------------


def _world(campaign, secretary, post, member, n: int) -> Deed:
    for i in range(n):
        deed = make_deed(
            campaign, member, secretary, post=post, title=f"事迹{i}", tags=["urgent", "saving"]
        )
        DeedPhoto.objects.create(deed=deed, photo=stored())
    return deed


def _count(client, target: str) -> int:
    client.get(target)  # warm up per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["secretary", "member", "staff"])
def test_the_list_and_a_deed_cost_the_same_queries_for_3_and_30_deeds(
    campaign, secretary, member, post, personas, role, django_assert_num_queries
):
    client = personas[role]
    filtered = f"{LIST}?tag=urgent&post={post.pk}"  # the chosen post is read once more
    deed = _world(campaign, secretary, post, member, 3)
    Deed.objects.update(publicized=True)  # staff read 宣传 deeds
    small = {
        LIST: _count(client, LIST),
        filtered: _count(client, filtered),
        "detail": _count(client, url("deed_detail", deed)),
    }
    assert max(small.values()) <= 12, small
    deed = _world(campaign, secretary, post, member, 27)
    Deed.objects.update(publicized=True)
    for _n in range(4):
        DeedPhoto.objects.create(deed=deed, photo=stored())
    for target in (LIST, filtered, f"{filtered}&page=2"):
        with django_assert_num_queries(small[target.removesuffix("&page=2")]):
            assert client.get(target).status_code == 200
    with django_assert_num_queries(small["detail"]):
        client.get(url("deed_detail", deed))


# --- Messages ------------------------------------------------------------------------------------


def _deed_forms() -> list[tuple[str, type]]:
    from django import forms as django_forms

    import campaign.forms_deeds as module

    return [
        (name, klass)
        for name, klass in vars(module).items()
        if isinstance(klass, type)
        and klass.__module__ == module.__name__
        and issubclass(klass, django_forms.BaseForm | django_filters.FilterSet)
    ]


@pytest.mark.parametrize(("name", "klass"), _deed_forms(), ids=[n for n, _ in _deed_forms()])
def test_no_form_here_answers_in_djangos_wording(name, klass, branch, campaign, post):
    """tests/test_form_messages.py's check (it reads campaign/forms.py only) on these forms."""
    from tests.test_form_messages import FRAGMENTS, _bad_values, _build, _messages

    pool = {"branch": branch, "campaign": campaign, "secretary": True, "all_states": True}
    pool["posts"] = post.branch.vanguard_posts.all()
    empty = _build(klass, {}, pool)
    assert "---------" not in str(empty)
    seen = _messages(empty)
    for field_name, field in empty.fields.items():
        for value in _bad_values(field):
            seen += _messages(_build(klass, {field_name: value}, pool))
    generic = [(f, m, p) for f, m in seen for p in FRAGMENTS if p in m]
    assert not generic, generic[:5]
    assert all("%(" not in m and "{label}" not in m for _f, m in seen), seen
