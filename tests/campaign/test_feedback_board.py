"""The 整改公示 board of staff feedback (issue 13): accepted items only, de-identified (a 对外匿名
sender's name reaches no page and no export, for no role), the public face of the linked
rectification item, filters, the 台账 and constant queries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import services
from campaign.models import Campaign, Feedback, FeedbackNote, Measure
from campaign.selectors_feedback import feedback_board, with_faces
from members.models import Role
from tests.exports import read_export
from tests.factories import make_branch, make_person

from .factories import make_campaign, make_measure, make_rectification

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]

BOARD = reverse("campaign:feedback_board")
EXPORT = {"format": "xlsx"}
DAY = dt.date(2011, 5, 16)
HIDDEN_NAME = "赵隐名"  # the 对外匿名 sender: never on the board
REAL_NAME = "钱实名"
_days = itertools.count()


def _item(branch, *, identity="real", sender=None, status="accepted", **data) -> Feedback:
    fields = {
        "kind": Feedback.Kind.COMPLAINT,
        "category": Feedback.Category.CANTEEN,
        "text": "午饭的菜太咸了",
        "submitted_on": DAY - dt.timedelta(days=next(_days)),
        **data,
    }
    if identity == "none":
        sender = None
        fields["receipt_digest"] = services.receipt_digest(services.receipt_new())
    return Feedback.objects.create(
        branch=branch, identity=identity, sender=sender, status=status, **fields
    )


@pytest.fixture
def hidden(branch):
    return make_person(branch, (Role.STAFF,), full_name=HIDDEN_NAME)


@pytest.fixture
def real(branch):
    return make_person(branch, (Role.STAFF,), full_name=REAL_NAME)


@pytest.fixture
def rectification(secretary, leader, staff):
    item = make_rectification(make_campaign(secretary), secretary, leader, title="改进食堂配菜")
    measure = make_measure(item, secretary, staff, content="每周公布菜单")
    Measure.objects.filter(pk=measure.pk).update(percent=40)
    return item


@pytest.fixture
def board(branch, hidden, real, rectification, leader):
    """One item of each identity mode, a redacted one, one linked to a rectification item with
    an internal note, and items the board must not show."""
    items = {
        "real": _item(branch, sender=real, text="实名提的意见"),
        "handlers": _item(
            branch,
            identity="handlers",
            sender=hidden,
            text=f"{HIDDEN_NAME}反映：窗口打饭太慢",
            public_text="有职工反映：窗口打饭太慢",
            public_reply="已增开一个窗口",
            status=Feedback.Status.RECTIFYING,
            rectification=rectification,
            category=Feedback.Category.ENVIRONMENT,
        ),
        "none": _item(branch, identity="none", text="完全匿名的意见", kind=Feedback.Kind.PRAISE),
        "new": _item(branch, identity="handlers", sender=hidden, status="new", text="待受理的"),
        "declined": _item(
            branch, sender=real, status="declined", declined_reason="不属实", text="不予采纳的"
        ),
        "elsewhere": _item(make_branch(), sender=None, identity="none", text="别的支部的"),
    }
    FeedbackNote.objects.create(
        feedback=items["handlers"], author=leader, text="内部备注：找过本人"
    )
    return items


def _html(client, **params) -> str:
    response = client.get(BOARD, params)
    assert response.status_code == 200
    return response.content.decode()


def test_everyone_of_the_branch_reads_the_accepted_items_only(personas, board):
    for role in ("staff", "member", "leader", "secretary"):
        html = _html(personas[role])
        for shown in ("实名提的意见", "有职工反映：窗口打饭太慢", "完全匿名的意见"):
            assert shown in html, (role, shown)
        for hidden in ("待受理的", "不予采纳的", "别的支部的"):
            assert hidden not in html, (role, hidden)


def test_a_handlers_sender_is_named_on_no_page_and_in_no_export_for_any_role(personas, board):
    for role in ("staff", "member", "leader", "secretary"):
        html = _html(personas[role])
        assert HIDDEN_NAME not in html, role
        assert REAL_NAME in html, role  # the 实名 sender is named
    for role in ("leader", "secretary"):
        ledger = read_export(personas[role].get(BOARD, EXPORT), ledger="意见建议整改公示")
        assert HIDDEN_NAME not in ledger.text(), role
        senders = dict(zip(ledger.column("意见内容"), ledger.column("提出人"), strict=True))
        assert senders == {
            "实名提的意见": REAL_NAME,
            "有职工反映：窗口打饭太慢": "匿名",
            "完全匿名的意见": "匿名",
        }


def test_the_sender_of_an_anonymous_item_is_not_even_loaded(branch, board):
    rows = {item.pk: item for item in feedback_board(branch=branch)}
    handlers, real = rows[board["handlers"].pk], rows[board["real"].pk]
    assert handlers.sender_name == "" and rows[board["none"].pk].sender_name == ""
    assert real.sender_name == REAL_NAME
    # Not loaded at all: no sender id, no handler, no receipt digest in the row.
    assert {"sender_id", "handler_id", "receipt_digest"} <= handlers.get_deferred_fields()


def test_the_board_shows_the_redacted_copy_and_no_internal_note(personas, board):
    html = _html(personas["secretary"])
    assert "有职工反映：窗口打饭太慢" in html and "已增开一个窗口" in html
    assert f"{HIDDEN_NAME}反映" not in html
    assert "内部备注" not in html and "找过本人" not in html
    assert "涉及人员调整" not in html  # the rectification item's internal note
    ledger = read_export(personas["secretary"].get(BOARD, EXPORT))
    assert "找过本人" not in ledger.text() and "涉及人员调整" not in ledger.text()


def test_a_linked_rectification_shows_its_public_face(personas, board, rectification):
    html = _html(personas["staff"])
    assert "改进食堂配菜" in html
    assert "每周公布菜单" in html and "40%" in html
    assert reverse("campaign:rectification_detail", args=[rectification.pk]) in html
    ledger = read_export(personas["leader"].get(BOARD, EXPORT))
    row = ledger.rows[ledger.column("意见内容").index("有职工反映：窗口打饭太慢")]
    cells = dict(zip(ledger.headers, row, strict=True))
    assert cells["整改事项"] == "改进食堂配菜" and cells["整改进度（%）"] == 40
    assert "每周公布菜单" in cells["整改措施"]


def test_newest_first(branch, board):
    dates = [item.submitted_on for item in feedback_board(branch=branch)]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "rectifying"}, {"有职工反映：窗口打饭太慢"}),
        ({"category": "environment"}, {"有职工反映：窗口打饭太慢"}),
        ({"kind": "praise"}, {"完全匿名的意见"}),
        ({"q": "打饭"}, {"有职工反映：窗口打饭太慢"}),
        ({"q": "增开"}, {"有职工反映：窗口打饭太慢"}),  # the public reply
        # A name the secretary took out of the public copy finds nothing.
        ({"q": HIDDEN_NAME}, set()),
        # 待受理 is not a status of the board: the filter refuses it, the board stays public.
        ({"status": "new"}, {"实名提的意见", "有职工反映：窗口打饭太慢", "完全匿名的意见"}),
    ],
)
def test_filters(staff_client, branch, board, params, expected):
    response = staff_client.get(BOARD, params)
    shown = {item.shown_text for item in response.context["items"]}
    assert shown == expected


def test_a_refused_filter_says_why_in_chinese(staff_client, board):
    html = _html(staff_client, status="new")
    assert "所选状态不在可选范围内" in html
    assert "Select a valid choice" not in html


def test_pages(staff_client, branch, hidden):
    for _ in range(25):
        _item(branch, identity="handlers", sender=hidden)
    assert len(staff_client.get(BOARD).context["items"]) == 20
    assert len(staff_client.get(BOARD, {"page": 2}).context["items"]) == 5


def test_only_the_secretary_and_leaders_take_the_ledger(personas, board):
    for role in ("staff", "member"):
        assert personas[role].get(BOARD, EXPORT).status_code == 403
        assert "导出Excel" not in _html(personas[role])
    assert "导出Excel" in _html(personas["leader"])


def test_the_secretary_finds_the_poster_from_the_board(personas):
    poster = reverse("campaign:feedback_poster")
    assert poster in _html(personas["secretary"])
    assert poster not in _html(personas["leader"])


def test_the_empty_board(staff_client):
    assert "还没有公示的意见。" in _html(staff_client)


# --- Constant queries ---------------------------------------------------------------------------


def _grow(branch, secretary, leader, staff, n: int) -> None:
    """n items: a third 实名, a third 对外匿名, a third 完全匿名; every other one linked to its own
    rectification item with two measures, one item in three with one without measures."""
    campaign = Campaign.objects.filter(branch=branch).first() or make_campaign(secretary)
    modes = itertools.cycle(["real", "handlers", "none"])
    for i in range(n):
        link = None
        if i % 2 == 0:
            link = make_rectification(campaign, secretary, leader, title=f"整改{i}")
            if i % 3:
                make_measure(link, secretary, staff, content=f"措施{i}甲")
                make_measure(link, secretary, staff, content=f"措施{i}乙")
        mode = next(modes)
        _item(
            branch,
            identity=mode,
            sender=None if mode == "none" else staff,
            rectification=link,
            status=Feedback.Status.RECTIFYING if link else Feedback.Status.ACCEPTED,
        )


def _queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params or {})  # warm up: per-process caches are not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "params"),
    [("staff", {}), ("secretary", {}), ("secretary", EXPORT), ("member", {"q": "咸"})],
)
def test_the_board_runs_the_same_queries_for_3_and_40_items(
    personas, branch, secretary, leader, staff, who, params
):
    _grow(branch, secretary, leader, staff, 3)
    small = _queries(personas[who], BOARD, params)
    _grow(branch, secretary, leader, staff, 37)
    assert Feedback.objects.count() == 40
    large = _queries(personas[who], BOARD, params)
    assert small == large <= 12, (small, large)


def test_with_faces_costs_no_query(branch, secretary, leader, staff, django_assert_num_queries):
    _grow(branch, secretary, leader, staff, 6)
    with django_assert_num_queries(3):  # items, rectification items, measures
        rows = with_faces(feedback_board(branch=branch))
    assert sum(1 for row in rows if row.face) == 3
