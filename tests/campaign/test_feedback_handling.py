"""Handling staff feedback (issue 13): 受理, 不予采纳, 重复, 答复, internal notes, 列入整改 and the
item following its rectification, satisfaction (signed in and with the receipt code), reopening
on 不满意, the flags, who reads a 对外匿名 sender's name, the ledger and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import services
from campaign.models import Feedback, Rectification, SatisfactionRating
from members.models import Role
from tests.exports import read_export
from tests.factories import make_person

from .factories import make_campaign, make_measure, make_rectification

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_off")]
F = Feedback.Status
TODAY = dt.date.today()


def _named(branch, sender, identity="handlers", **fields):
    item, _code = services.feedback_send(
        branch=branch,
        by=sender,
        identity=identity,
        data={"kind": "complaint", "category": "canteen", "text": "午饭的菜太咸", **fields},
    )
    return item


def _anonymous(branch, text="食堂的汤太凉"):
    _item, code = services.feedback_send(
        branch=branch,
        by=None,
        identity="none",
        data={"kind": "complaint", "category": "canteen", "text": text},
    )
    services.feedback_release(today=TODAY + dt.timedelta(days=1))
    return services.receipt_lookup(code), code


def _url(name, item):
    return reverse(f"campaign:feedback_{name}", args=[item.pk])


def _campaign(secretary):
    from campaign.models import Campaign

    running = Campaign.objects.filter(branch=secretary.branch, status="active").first()
    return running or make_campaign(secretary)


def _fixed_rectification(secretary, leader, item):
    """Link `item` to a new rectification with one measure, done and reported fixed."""
    campaign = _campaign(secretary)
    rectification = make_rectification(campaign, secretary, leader, title="改善食堂伙食")
    services.feedback_link(items=[item], rectification=rectification, by=secretary)
    measure = make_measure(rectification, secretary, leader, content="改进蔬菜采购方式")
    services.rectification_start(rectification=rectification, by=leader)
    services.measure_progress(measure=measure, percent=100, evidence_note="已换供应商", by=leader)
    services.rectification_report_fixed(rectification=rectification, on=TODAY, by=leader)
    item.refresh_from_db()
    return rectification


# --- 受理 and who reads the name -------------------------------------------------------------


def test_the_secretary_accepts_and_gives_the_item_to_a_leader(
    branch, staff, secretary, leader, secretary_client, leader_client
):
    item = _named(branch, staff)
    other_leader = make_person(branch, (Role.LEADER, Role.MEMBER))
    other_client = Client()
    other_client.force_login(other_leader)
    # Before it is accepted no leader reads the 对外匿名 sender's name; the secretary does.
    assert staff.full_name in secretary_client.get(item.get_absolute_url()).content.decode()
    assert staff.full_name not in leader_client.get(item.get_absolute_url()).content.decode()
    # A leader cannot accept.
    response = leader_client.post(_url("accept", item), {"handler": leader.pk})
    assert response.status_code == 403
    response = secretary_client.post(_url("accept", item), {"handler": leader.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == F.ACCEPTED and item.handler == leader and item.accepted_on == TODAY
    # The handler now reads the name; another leader still does not.
    assert staff.full_name in leader_client.get(item.get_absolute_url()).content.decode()
    html = other_client.get(item.get_absolute_url()).content.decode()
    assert staff.full_name not in html and "对外匿名" in html
    # Nor in the list.
    listing = other_client.get(reverse("campaign:feedback_list")).content.decode()
    assert staff.full_name not in listing


def test_a_real_name_item_shows_its_sender_to_every_handler(branch, staff, leader_client):
    item = _named(branch, staff, identity="real")
    assert staff.full_name in leader_client.get(item.get_absolute_url()).content.decode()


def test_accepting_needs_a_leader_of_the_branch(branch, staff, member, secretary_client):
    item = _named(branch, staff)
    response = secretary_client.post(_url("accept", item), {"handler": member.pk})
    assert response.status_code == 200
    assert response.context["forms"]["accept"].errors["handler"]
    item.refresh_from_db()
    assert item.status == F.NEW


def test_staff_and_members_cannot_handle(branch, staff, staff_client, member_client, leader):
    item = _named(branch, staff)
    for client, status in ((staff_client, 403), (member_client, 404)):
        assert client.post(_url("accept", item), {"handler": leader.pk}).status_code == status
        assert client.post(_url("decline", item), {"reason": "不"}).status_code == status
    assert client.get(reverse("campaign:feedback_list")).status_code == 403


# --- 不予采纳, 重复, 答复, notes ------------------------------------------------------------------


def test_declining_needs_a_reason_the_sender_reads(branch, staff, staff_client, secretary_client):
    item = _named(branch, staff)
    response = secretary_client.post(_url("decline", item), {"reason": ""})
    assert "请填写不予采纳原因" in response.content.decode()
    secretary_client.post(_url("decline", item), {"reason": "伙食标准由集团统一规定"})
    item.refresh_from_db()
    assert item.status == F.DECLINED
    assert "伙食标准由集团统一规定" in staff_client.get(item.get_absolute_url()).content.decode()


def test_a_duplicate_points_to_the_item_handled_instead(branch, staff, secretary_client):
    first = _named(branch, staff)
    again = _named(branch, staff, text="菜还是太咸")
    response = secretary_client.post(_url("duplicate", again), {"of": first.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == F.DUPLICATE and again.duplicate_of == first
    with pytest.raises(ValidationError):
        services.feedback_mark_duplicate(item=first, of=first, by=first.branch.people.first())


def test_internal_notes_are_for_handlers_only(
    branch, staff, staff_client, secretary, secretary_client, leader_client
):
    item = _named(branch, staff)
    secretary_client.post(_url("note", item), {"note": "与食堂承包方核实过"})
    assert item.notes.get().author == secretary
    assert "与食堂承包方核实过" in leader_client.get(item.get_absolute_url()).content.decode()
    assert "与食堂承包方核实过" not in staff_client.get(item.get_absolute_url()).content.decode()
    assert staff_client.post(_url("note", item), {"note": "我也写"}).status_code == 403


def test_a_reply_is_public_only_after_accepting(branch, staff, leader, secretary):
    item = _named(branch, staff)
    with pytest.raises(ValidationError):
        services.feedback_reply(item=item, reply="已收到", by=secretary)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    services.feedback_reply(item=item, reply="下周起调整菜谱", by=leader)  # the handler
    assert Feedback.objects.get().public_reply == "下周起调整菜谱"


def test_a_praise_is_closed_with_an_answer(branch, staff, leader, secretary, leader_client):
    item = _named(branch, staff, kind="praise")
    services.feedback_accept(item=item, handler=leader, by=secretary)
    response = leader_client.post(_url("close", item), {"reply": "已转达食堂，谢谢"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == F.CLOSED and item.closed_on == TODAY


def test_the_secretary_redacts_the_public_copy_only(branch, staff, secretary_client, leader):
    item = _named(branch, staff, text="厨师张三态度差")
    secretary_client.post(_url("redact", item), {"public_text": "厨师态度差"})
    item.refresh_from_db()
    assert item.public_text == "厨师态度差" and item.text == "厨师张三态度差"
    # the form opens again with the current public copy
    forms = secretary_client.get(item.get_absolute_url()).context["forms"]
    assert forms["redact"]["public_text"].value() == "厨师态度差" and not forms["redact"].is_bound


# --- 整改, following the rectification, satisfaction ---------------------------------------------


def test_the_item_follows_its_rectification_and_the_sender_rates_it(
    branch, staff, staff_client, secretary, leader
):
    item = _named(branch, staff)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    rectification = _fixed_rectification(secretary, leader, item)
    assert item.status == F.FIXED
    page = staff_client.get(item.get_absolute_url())
    assert page.context["rate_form"] is not None
    # 不满意 needs a reason, then reopens the item and its rectification.
    response = staff_client.post(_url("rate", item), {"level": "unsatisfied", "comment": ""})
    assert "请写明哪里还不满意" in response.content.decode()
    staff_client.post(_url("rate", item), {"level": "unsatisfied", "comment": "菜量还是少"})
    item.refresh_from_db()
    rectification.refresh_from_db()
    assert item.status == F.RECTIFYING
    assert rectification.status == Rectification.Status.IN_PROGRESS
    assert "菜量还是少" in rectification.reopen_reason
    # Fixed again, then 满意 closes it.
    services.rectification_report_fixed(rectification=rectification, on=TODAY, by=leader)
    item.refresh_from_db()
    assert item.status == F.FIXED
    staff_client.post(_url("rate", item), {"level": "satisfied", "comment": ""})
    item.refresh_from_db()
    assert item.status == F.CLOSED and item.closed_on == TODAY
    assert [r.level for r in item.ratings.order_by("attempt")] == ["unsatisfied", "satisfied"]


def test_an_accepted_rectification_reopens_on_dissatisfaction(branch, staff, secretary, leader):
    item = _named(branch, staff)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    rectification = _fixed_rectification(secretary, leader, item)
    services.rectification_accept(rectification=rectification, on=TODAY, by=secretary)
    item.refresh_from_db()
    assert item.status == F.FIXED
    services.feedback_rate(item=item, level="unsatisfied", comment="没有变化")
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.IN_PROGRESS
    assert rectification.accepted_on is None and rectification.accepted_by is None


def test_an_anonymous_sender_rates_with_the_receipt_code(branch, secretary, leader):
    item, code = _anonymous(branch)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    _fixed_rectification(secretary, leader, item)
    track = reverse("campaign:feedback_track")
    client = Client()
    page = client.post(track, {"code": code})
    assert page.context["rate_form"] is not None
    response = client.post(track, {"code": code, "level": "basic", "comment": ""})
    assert "感谢您的评价" in response.content.decode()
    item.refresh_from_db()
    assert item.status == F.CLOSED
    rating = SatisfactionRating.objects.get()
    assert rating.level == "basic" and rating.rated_on == TODAY
    # nothing of the rater: the model has no user, session or time column
    columns = {f.column for f in SatisfactionRating._meta.concrete_fields}
    assert columns == {"id", "feedback_id", "level", "comment", "rated_on", "attempt"}
    # Not again: it is closed.
    again = client.post(track, {"code": code, "level": "unsatisfied", "comment": "再评"})
    assert again.context["rate_form"] is None
    assert SatisfactionRating.objects.count() == 1


def test_only_the_sender_rates_a_named_item(branch, staff, member, secretary, leader):
    item = _named(branch, staff)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    _fixed_rectification(secretary, leader, item)
    other = Client()
    other.force_login(leader)  # reads the item, is not its sender
    assert other.post(_url("rate", item), {"level": "satisfied"}).status_code == 403


def test_the_secretary_opens_a_new_rectification_from_an_item(
    branch, staff, secretary, leader, secretary_client
):
    make_campaign(secretary)
    item = _named(branch, staff)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    data = {
        "title": "改善食堂伙食",
        "public_description": "调整采购方式，提高午餐补贴",
        "responsible": leader.pk,
        "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
    }
    response = secretary_client.post(_url("rectify", item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == F.RECTIFYING and item.rectification.title == "改善食堂伙食"
    # the rectification list names the item as an origin, without its sender
    listing = secretary_client.get(reverse("campaign:rectification_list")).content.decode()
    assert "群众意见" in listing and staff.full_name not in listing


def test_a_declined_rectification_declines_its_feedback(branch, staff, secretary, leader):
    item = _named(branch, staff)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    campaign = make_campaign(secretary)
    rectification = make_rectification(campaign, secretary, leader)
    services.feedback_link(items=[item], rectification=rectification, by=secretary)
    services.rectification_decline(rectification=rectification, reason="超出权限", by=secretary)
    item.refresh_from_db()
    assert item.status == F.DECLINED and "超出权限" in item.declined_reason


def test_linking_needs_an_accepted_item(branch, staff, secretary, leader):
    item = _named(branch, staff)
    campaign = make_campaign(secretary)
    rectification = make_rectification(campaign, secretary, leader)
    with pytest.raises(ValidationError, match="只有已受理的意见"):
        services.feedback_link(items=[item], rectification=rectification, by=secretary)


def test_transitions_follow_the_map(branch, staff, secretary, leader):
    item = _named(branch, staff)
    services.feedback_decline(item=item, reason="不属实", by=secretary)
    with pytest.raises(ValidationError, match="不能改为"):
        services.feedback_accept(item=item, handler=leader, by=secretary)


# --- The list: flags, names, ledger, queries ---------------------------------------------------


def test_items_not_accepted_in_3_days_and_overdue_ones_stand_out(
    branch, staff, secretary, leader, secretary_client
):
    old = _named(branch, staff, text="四天前的意见")
    Feedback.objects.filter(pk=old.pk).update(submitted_on=TODAY - dt.timedelta(days=4))
    fresh = _named(branch, staff, text="三天前的意见")
    Feedback.objects.filter(pk=fresh.pk).update(submitted_on=TODAY - dt.timedelta(days=3))
    late = secretary_client.get(reverse("campaign:feedback_list"), {"flag": "late"})
    texts = [item.text for item, _sender in late.context["rows"]]
    assert texts == ["四天前的意见"]
    assert late.context["counts"]["n_late"] == 1

    services.feedback_accept(item=fresh, handler=leader, by=secretary)
    campaign = make_campaign(secretary)
    rectification = make_rectification(campaign, secretary, leader)
    services.feedback_link(items=[fresh], rectification=rectification, by=secretary)
    Rectification.objects.filter(pk=rectification.pk).update(
        opened_on=TODAY - dt.timedelta(days=20), deadline=TODAY - dt.timedelta(days=1)
    )
    overdue = secretary_client.get(reverse("campaign:feedback_list"), {"flag": "overdue"})
    assert [item.text for item, _sender in overdue.context["rows"]] == ["三天前的意见"]
    assert overdue.context["counts"]["n_overdue"] == 1
    assert "整改逾期 1 条" in overdue.content.decode()


def test_the_ledger_names_real_senders_only(branch, staff, member, secretary, secretary_client):
    _named(branch, staff, identity="handlers", text="对外匿名的意见")
    _named(branch, member, identity="real", text="实名的意见")
    _anonymous(branch, text="完全匿名的意见")
    export = read_export(
        secretary_client.get(reverse("campaign:feedback_list"), {"format": "xlsx"}),
        branch=branch,
    )
    cells = " ".join(str(c) for row in export.rows for c in row)
    assert member.full_name in cells
    assert staff.full_name not in cells
    assert "对外匿名" in cells and "完全匿名" in cells


def _grow(branch, secretary, leader, n):
    campaign = _campaign(secretary)
    rectification = make_rectification(campaign, secretary, leader)
    for index in range(n):
        sender = make_person(branch, (Role.STAFF,))
        item = _named(branch, sender, identity=("real", "handlers")[index % 2])
        if index % 3 == 0:
            services.feedback_accept(item=item, handler=leader, by=secretary)
            services.feedback_link(items=[item], rectification=rectification, by=secretary)
    _anonymous(branch)


@pytest.mark.parametrize("role", ["secretary", "leader"])
def test_the_list_runs_the_same_queries_for_3_and_40_items(
    branch, secretary, leader, secretary_client, leader_client, role
):
    client = {"secretary": secretary_client, "leader": leader_client}[role]
    url = reverse("campaign:feedback_list")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _grow(branch, secretary, leader, 3)
    small = count()
    _grow(branch, secretary, leader, 37)
    large = count()
    assert small == large <= 12, (small, large)


# --- 满意率 ------------------------------------------------------------------------------------


def _rated(branch, secretary, leader, level, *, category="canteen", again=None):
    """An item fixed and rated `level` (and, with `again`, reopened and rated again)."""
    sender = make_person(branch, (Role.STAFF,))
    item = _named(branch, sender, category=category)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    rectification = _fixed_rectification(secretary, leader, item)
    services.feedback_rate(
        item=item, level=level, comment="还是不好" if level == "unsatisfied" else ""
    )
    if again:
        services.rectification_report_fixed(rectification=rectification, on=TODAY, by=leader)
        item.refresh_from_db()
        services.feedback_rate(item=item, level=again)
    return item


def test_satisfaction_counts_each_items_latest_verdict_from_5_up(
    branch, staff, secretary, leader, staff_client
):
    url = reverse("campaign:feedback_satisfaction")
    for _ in range(3):
        _rated(branch, secretary, leader, "satisfied")
    _rated(branch, secretary, leader, "unsatisfied", again="basic")  # counts as 基本满意
    # Four verdicts: no rate shown anywhere.
    page = staff_client.get(url)
    assert page.context["rates"]["overall"][0].percent is None
    assert "评价不足 5 个" in page.content.decode()
    _rated(branch, secretary, leader, "unsatisfied", category="welfare")
    # A declined item and an item closed with an answer have no verdict: not counted.
    services.feedback_decline(item=_named(branch, staff), reason="不属实", by=secretary)
    rates = staff_client.get(url).context["rates"]
    overall = rates["overall"][0]
    assert (overall.rated, overall.satisfied, overall.percent) == (5, 4, 80.0)
    canteen = next(r for r in rates["category"] if r.label == "食堂伙食")
    assert canteen.rated == 4 and canteen.percent is None  # 4 < 5: not shown
    export = read_export(staff_client.get(url, {"format": "xlsx"}), branch=branch)
    cells = [str(c) for row in export.rows for c in row]
    assert "80" in cells and "不足 5 个评价，不计算" in cells


def test_the_to_do_lists_what_waits_for_each_role(
    branch, staff, secretary, leader, secretary_client, leader_client, staff_client
):
    from campaign.tasks import tasks_for

    def texts(user):
        return [str(t.text) for t in tasks_for(user=user)]

    _named(branch, staff)
    # A 完全匿名 item of yesterday, not yet written out, counts for the secretary too.
    services.feedback_send(
        branch=branch,
        by=None,
        identity="none",
        data={"kind": "complaint", "category": "canteen", "text": "昨天的匿名意见"},
        today=TODAY - dt.timedelta(days=1),
    )
    assert "受理群众意见 2 条" in texts(secretary)
    item = Feedback.objects.get(sender=staff)
    services.feedback_accept(item=item, handler=leader, by=secretary)
    assert "交给您处理的群众意见 1 条" in texts(leader)
    _fixed_rectification(secretary, leader, item)
    assert "您的意见已整改，请评价是否满意" in texts(staff)
