"""查找问题 → 整改 pages: who reaches each page (secretary, the responsible leader, another leader,
member, staff, anonymous, another branch), the public face without internal fields, every
transition through the view with its refusals in Chinese, forms that keep what was typed and save
nothing on an error, evidence photos checked by content, the 台账 export, and constant queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaign import services
from campaign.models import Measure, Problem, Rectification
from config.uploads import MAX_BYTES
from members.models import Role
from tests.conftest import client_for
from tests.exports import read_export
from tests.factories import make_branch, make_person

from .factories import make_campaign, make_measure, make_problem, make_rectification

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

R = Rectification.Status
TODAY = timezone.localdate()
NOTE = "涉及两名司机岗位调整，暂不公开"
OWNER = "赵措施"
PROBLEM = "配送成本偏高"


def url(name: str, *args) -> str:
    return reverse(f"campaign:{name}", args=args)


def png(size: tuple[int, int] = (40, 30), fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buf, fmt)
    return buf.getvalue()


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def owner(branch):
    return make_person(branch, (Role.MEMBER,), full_name=OWNER)


@pytest.fixture
def item(campaign, secretary, leader):
    """待整改, the leader responsible, from one problem."""
    problem = make_problem(campaign, secretary, title=PROBLEM)
    return make_rectification(campaign, secretary, leader, problems=[problem], internal_note=NOTE)


@pytest.fixture
def measure(item, leader, owner):
    """Half done, with an evidence note and photo; this starts the item (整改中)."""
    measure = make_measure(item, leader, owner, content="重新规划配送线路")
    services.measure_progress(measure=measure, percent=50, evidence_note="试行两周", by=leader)
    measure.evidence_photo.save("evidence.png", ContentFile(png()), save=True)
    item.refresh_from_db()
    return measure


@pytest.fixture
def other_leader(branch):
    return make_person(branch, (Role.LEADER, Role.MEMBER), full_name="张副总")


@pytest.fixture
def clients(personas, other_leader):
    outsider = make_person(make_branch(), (Role.SECRETARY, Role.MEMBER), full_name="外支部书记")
    return {**personas, "other_leader": client_for(other_leader), "outsider": client_for(outsider)}


def post(client: Client, item: Rectification, status: str, reason: str | None = None, **kw):
    data = {"status": status} | ({"reason": reason} if reason is not None else {})
    return client.post(url("rectification_transition", item.pk), data, **kw)


def shown(response) -> str:
    return response.content.decode()


# --- Who reaches what -----------------------------------------------------------------------------

WHO = ("secretary", "leader", "other_leader", "member", "staff", "anonymous", "outsider")
PAGES = {
    # name: (args from the world, statuses in WHO's order); "leader" is the responsible one.
    "problem_list": ((), (200, 200, 200, 403, 403, 302, 200)),
    "problem_create": ((), (200, 403, 403, 403, 403, 302, 200)),
    "problem_rectify": ((), (200, 403, 403, 403, 403, 302, 200)),
    "problem_detail": (("problem",), (200, 200, 200, 403, 403, 302, 404)),
    "problem_edit": (("problem",), (200, 403, 403, 403, 403, 302, 404)),
    "rectification_list": ((), (200, 200, 200, 200, 200, 302, 200)),
    "rectification_detail": (("item",), (200, 200, 200, 200, 200, 302, 404)),
    "rectification_edit": (("item",), (200, 403, 403, 403, 403, 302, 404)),
    "measure_create": (("item",), (200, 200, 403, 403, 403, 302, 404)),
    "measure_edit": (("measure",), (200, 200, 403, 404, 404, 302, 404)),
    "measure_progress": (("measure",), (200, 200, 403, 404, 404, 302, 404)),
    "measure_photo": (("measure", "photo"), (200, 200, 200, 404, 404, 302, 404)),
}


@pytest.mark.parametrize("name", PAGES)
def test_who_reaches_each_page(clients, item, measure, name):
    world = {
        "item": item.pk,
        "problem": item.problems.get().pk,
        "measure": measure.pk,
        "photo": measure.evidence_photo.name.rsplit("/", 1)[-1],
    }
    args, expected = PAGES[name]
    target = url(name, *(world[a] for a in args))
    got = tuple(clients[who].get(target).status_code for who in WHO)
    assert got == expected, dict(zip(WHO, got, strict=True))


def test_another_branch_sees_none_of_it_in_its_lists(clients, item, measure):
    for name in ("rectification_list", "problem_list"):
        assert item.title not in shown(clients["outsider"].get(url(name)))


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [
        ("secretary", R.IN_PROGRESS, 302),
        ("leader", R.IN_PROGRESS, 302),
        ("other_leader", R.IN_PROGRESS, 403),
        ("member", R.IN_PROGRESS, 403),
        ("staff", R.IN_PROGRESS, 403),
        ("anonymous", R.IN_PROGRESS, 302),
        ("outsider", R.IN_PROGRESS, 404),
        ("leader", R.DECLINED, 403),  # 不予整改 is the secretary's
        ("leader", R.ACCEPTED, 403),  # and so is 验收
    ],
)
def test_who_may_move_an_item(clients, item, who, status, expected):
    response = post(clients[who], item, status, reason="理由")
    assert response.status_code == expected
    item.refresh_from_db()
    moved = who in ("secretary", "leader") and expected == 302
    assert item.status == (status if moved else R.PENDING)


def test_the_transition_url_takes_no_get(secretary_client, item):
    assert secretary_client.get(url("rectification_transition", item.pk)).status_code == 405


# --- The public face and the internal view ----------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "member"])
def test_staff_and_members_read_the_public_face_only(clients, item, measure, who):
    for page in (url("rectification_list"), url("rectification_detail", item.pk)):
        html = shown(clients[who].get(page))
        assert item.title in html and item.public_description in html
        assert measure.content in html and "50%" in html
        assert NOTE not in html  # the internal note
        assert OWNER not in html  # the measure's owner
        assert "试行两周" not in html and measure.evidence_photo.url not in html  # evidence
        assert PROBLEM not in html and "李总" not in html  # origins, responsible leader
        assert url("measure_progress", measure.pk) not in html
        assert 'action="' + url("rectification_transition", item.pk) not in html


@pytest.mark.parametrize("who", ["secretary", "other_leader", "leader"])
def test_the_secretary_and_leaders_see_the_internals(clients, item, measure, who):
    html = shown(clients[who].get(url("rectification_detail", item.pk)))
    for text in (NOTE, OWNER, PROBLEM, "试行两周", measure.evidence_photo.url, "李总"):
        assert text in html
    assert url("problem_detail", item.problems.get().pk) in html  # 来源, a link
    html = shown(clients[who].get(url("rectification_list")))
    assert f"查找问题：{PROBLEM}" in html and "李总" in html


def test_each_person_is_offered_only_what_the_service_allows(clients, item):
    buttons = {
        who: shown(clients[who].get(url("rectification_detail", item.pk)))
        for who in ("secretary", "leader", "other_leader")
    }
    assert "开始整改" in buttons["secretary"] and "开始整改" in buttons["leader"]
    assert "不予整改原因" in buttons["secretary"] and "不予整改原因" not in buttons["leader"]
    assert url("rectification_edit", item.pk) in buttons["secretary"]
    assert url("rectification_edit", item.pk) not in buttons["leader"]
    assert url("measure_create", item.pk) in buttons["leader"]
    other = buttons["other_leader"]
    assert "开始整改" not in other and url("measure_create", item.pk) not in other


# --- Every transition through the view --------------------------------------------------------


def test_the_whole_flow_with_its_refusals(secretary_client, leader_client, item, measure):
    response = post(leader_client, item, R.FIXED, follow=True)
    assert "还有 1 项整改措施没有完成，全部完成后才能报告已整改。" in shown(response)
    item.refresh_from_db()
    assert item.status == R.IN_PROGRESS

    response = leader_client.post(
        url("measure_progress", measure.pk), {"percent": "100", "evidence_note": "全部线路已调整"}
    )
    assert response.status_code == 302
    assert "全部措施已完成，可以报告已整改" in shown(leader_client.get(response["Location"]))
    response = post(leader_client, item, R.FIXED, follow=True)
    assert "已报告整改完成" in shown(response)
    item.refresh_from_db()
    assert (item.status, item.fixed_on) == (R.FIXED, TODAY)

    response = post(secretary_client, item, R.IN_PROGRESS, reason="")  # 重新整改 needs a reason
    assert response.status_code == 200 and "请填写重新整改原因。" in shown(response)
    item.refresh_from_db()
    assert item.status == R.FIXED
    response = post(secretary_client, item, R.IN_PROGRESS, reason="部分线路仍绕行", follow=True)
    assert "已退回重新整改" in shown(response) and "部分线路仍绕行" in shown(response)
    item.refresh_from_db()
    assert (item.status, item.fixed_on) == (R.IN_PROGRESS, None)

    post(leader_client, item, R.FIXED)
    assert post(leader_client, item, R.ACCEPTED).status_code == 403  # not the leader's
    response = post(secretary_client, item, R.ACCEPTED, follow=True)
    assert "整改事项已验收" in shown(response)
    item.refresh_from_db()
    assert (item.status, item.accepted_on) == (R.ACCEPTED, TODAY)

    response = post(secretary_client, item, R.DECLINED, reason="晚了", follow=True)
    assert "这个整改事项当前是“已验收”，不能不予整改。" in shown(response)
    response = post(secretary_client, item, R.IN_PROGRESS, follow=True)
    assert "当前是“已验收”，不能改为“整改中”" in shown(response)
    item.refresh_from_db()
    assert item.status == R.ACCEPTED


def test_an_item_without_measures_cannot_be_reported_fixed(leader_client, item):
    post(leader_client, item, R.IN_PROGRESS)
    response = post(leader_client, item, R.FIXED, follow=True)
    assert "还没有整改措施，不能报告已整改。" in shown(response)
    item.refresh_from_db()
    assert item.status == R.IN_PROGRESS


def test_declining_needs_a_reason_kept_at_the_field(secretary_client, item):
    response = post(secretary_client, item, R.DECLINED, reason="   ")
    assert response.status_code == 200
    assert "请填写不予整改原因。" in shown(response)
    long_reason = "集团统一安排" * 60  # 360 characters: too long, and kept for correcting
    response = post(secretary_client, item, R.DECLINED, reason=long_reason)
    assert "不予整改原因最多 300 个字" in shown(response) and long_reason in shown(response)
    item.refresh_from_db()
    assert (item.status, item.decline_reason) == (R.PENDING, "")

    response = post(secretary_client, item, R.DECLINED, reason="集团已统一安排", follow=True)
    assert "已决定不予整改" in shown(response)
    item.refresh_from_db()
    assert (item.status, item.decline_reason, item.declined_on) == (
        R.DECLINED,
        "集团已统一安排",
        TODAY,
    )


def test_the_public_face_shows_why_an_item_is_not_fixed(secretary_client, staff_client, item):
    post(secretary_client, item, R.DECLINED, reason="集团已统一安排")
    html = shown(staff_client.get(url("rectification_detail", item.pk)))
    assert "不予整改" in html and "集团已统一安排" in html and NOTE not in html


def test_nobody_accepts_his_own_item(campaign, secretary, secretary_client, owner):
    item = make_rectification(campaign, secretary, secretary)
    measure = make_measure(item, secretary, owner)
    services.measure_progress(measure=measure, percent=100, by=secretary)
    post(secretary_client, item, R.FIXED)
    page = shown(secretary_client.get(url("rectification_detail", item.pk)))
    assert "这是您负责的整改事项，须由其他支委验收。" in page
    response = post(secretary_client, item, R.ACCEPTED, follow=True)
    assert "不能验收自己负责的整改事项，请由其他支委验收。" in shown(response)
    item.refresh_from_db()
    assert item.status == R.FIXED


def test_a_post_without_a_target_is_explained(secretary_client, item):
    response = secretary_client.post(url("rectification_transition", item.pk), follow=True)
    assert "请选择要进行的操作。" in shown(response)


# --- Problems ---------------------------------------------------------------------------------


def _problem_data(**data):
    return {
        "source": "strategy",
        "area": "management",
        "title": "库存周转偏慢",
        "description": "参茸品种库存超过 90 天",
        "found_on": TODAY.isoformat(),
        **data,
    }


def test_the_secretary_records_and_corrects_a_problem(secretary_client, campaign):
    response = secretary_client.post(url("problem_create"), _problem_data())
    problem = Problem.objects.get()
    assert response["Location"] == problem.get_absolute_url()
    assert (problem.source, problem.campaign) == ("strategy", campaign)
    response = secretary_client.post(
        url("problem_edit", problem.pk), _problem_data(source="masses", title="库存积压")
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.source, problem.title) == ("masses", "库存积压")


def test_a_bad_problem_keeps_what_was_typed_and_saves_nothing(secretary_client, campaign):
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    response = secretary_client.post(
        url("problem_create"), _problem_data(title="", source="rumour", found_on=tomorrow)
    )
    html = shown(response)
    assert response.status_code == 200
    assert "请填写问题概述。" in html and "所选问题来源不在可选范围内" in html
    assert "参茸品种库存超过 90 天" in html
    assert not Problem.objects.exists()
    response = secretary_client.post(url("problem_create"), _problem_data(found_on=tomorrow))
    assert "查找日期不能晚于今天。" in shown(response) and not Problem.objects.exists()


def _rectify_data(problems, **data):
    return {
        "problems": [p.pk for p in problems],
        "rectification": "",
        "title": "降低库存",
        "public_description": "清理积压品种",
        "internal_note": "",
        "responsible": "",
        "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
        **data,
    }


def test_problems_become_one_new_item(secretary_client, campaign, secretary, leader):
    first = make_problem(campaign, secretary, title="库存周转慢")
    second = make_problem(campaign, secretary, title="积压资金")
    form = secretary_client.get(url("problem_rectify") + f"?problems={first.pk}").context["form"]
    assert form["problems"].value() == [str(first.pk)]  # from the problem's page: ticked
    response = secretary_client.post(
        url("problem_rectify"), _rectify_data([first, second], responsible=leader.pk)
    )
    item = Rectification.objects.get()
    assert response["Location"] == item.get_absolute_url()
    assert set(item.problems.all()) == {first, second}
    assert (item.status, item.opened_on, item.responsible) == (R.PENDING, TODAY, leader)


def test_a_deadline_before_the_opening_keeps_the_form_and_saves_nothing(
    secretary_client, campaign, secretary, leader
):
    problem = make_problem(campaign, secretary)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    response = secretary_client.post(
        url("problem_rectify"),
        _rectify_data([problem], responsible=leader.pk, deadline=yesterday, title="压缩成本"),
    )
    html = shown(response)
    assert response.status_code == 200
    assert "整改时限不能早于立项日期。" in html and 'value="压缩成本"' in html
    assert not Rectification.objects.exists()
    problem.refresh_from_db()
    assert problem.rectification is None


def test_rectify_needs_a_problem_and_a_new_item_its_fields(secretary_client, campaign, secretary):
    response = secretary_client.post(url("problem_rectify"), _rectify_data([]))
    assert "请选择要整改的问题。" in shown(response)
    problem = make_problem(campaign, secretary)
    response = secretary_client.post(url("problem_rectify"), _rectify_data([problem], title=""))
    assert "请填写整改事项。" in shown(response) and not Rectification.objects.exists()


def test_problems_join_an_item_that_is_not_closed(secretary_client, campaign, secretary, item):
    late = make_problem(campaign, secretary, title="群众反映送货慢", source="masses")
    response = secretary_client.post(
        url("problem_rectify"), _rectify_data([late], rectification=item.pk, title="")
    )
    assert response["Location"] == item.get_absolute_url()
    assert item.problems.count() == 2
    services.rectification_decline(rectification=item, reason="不整改", by=secretary)
    another = make_problem(campaign, secretary, title="又一个")
    response = secretary_client.post(
        url("problem_rectify"), _rectify_data([another], rectification=item.pk)
    )
    assert "所选并入已有的整改事项不在可选范围内" in shown(response)
    another.refresh_from_db()
    assert another.rectification is None


def test_the_problem_list_filters(leader_client, campaign, secretary, item):
    make_problem(campaign, secretary, title="窗口服务态度", source="self_check", area="conduct")
    html = shown(leader_client.get(url("problem_list") + "?source=self_check"))
    assert "窗口服务态度" in html and f">{PROBLEM}<" not in html
    html = shown(leader_client.get(url("problem_list") + "?status=none"))
    assert "窗口服务态度" in html and f">{PROBLEM}<" not in html
    html = shown(leader_client.get(url("problem_list") + "?status=pending&area=management"))
    assert f">{PROBLEM}<" in html and "窗口服务态度" not in html
    assert "登记问题" not in html  # leaders read; the secretary records


# --- Rectification items: edit, list, statistics ------------------------------------------------


def test_the_secretary_edits_an_item_until_it_is_closed(secretary_client, leader, item):
    data = {
        "title": "压缩配送成本",
        "public_description": "优化线路",
        "internal_note": "",
        "responsible": leader.pk,
        "deadline": item.deadline.isoformat(),
    }
    response = secretary_client.post(url("rectification_edit", item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.internal_note) == ("压缩配送成本", "")
    response = secretary_client.post(
        url("rectification_edit", item.pk), data | {"deadline": "2000-01-01"}
    )
    assert "整改时限不能早于立项日期。" in shown(response)
    post(secretary_client, item, R.DECLINED, reason="集团统一安排")
    response = secretary_client.get(url("rectification_edit", item.pk), follow=True)
    assert "整改事项已“不予整改”，不能再修改。" in shown(response)


def _overdue_item(campaign, secretary, responsible, title: str = "窗口服务规范"):
    return services.rectification_create(
        branch=campaign.branch,
        campaign=campaign,
        data={
            "title": title,
            "public_description": "制定服务用语规范",
            "responsible": responsible,
            "deadline": TODAY - dt.timedelta(days=2),
        },
        by=secretary,
        opened_on=TODAY - dt.timedelta(days=30),
    )


def test_overdue_items_come_first_with_a_badge_and_filter(
    secretary_client, campaign, secretary, other_leader, item
):
    _overdue_item(campaign, secretary, other_leader)
    html = shown(secretary_client.get(url("rectification_list")))
    assert html.index("窗口服务规范") < html.index(item.title)
    assert 'class="table-danger"' in html and "逾期</span>" in html
    html = shown(secretary_client.get(url("rectification_list") + "?overdue=yes"))
    assert "窗口服务规范" in html and item.title not in html
    html = shown(
        secretary_client.get(url("rectification_list") + f"?responsible={item.responsible_id}")
    )
    assert item.title in html and "窗口服务规范" not in html


def test_the_statistics_keep_declined_apart_from_fixed(
    secretary_client, campaign, secretary, leader, owner
):
    fixed = make_rectification(campaign, secretary, leader, title="已整改的")
    done = make_measure(fixed, leader, owner)
    services.measure_progress(measure=done, percent=100, by=leader)
    services.rectification_report_fixed(rectification=fixed, on=TODAY, by=leader)
    declined = make_rectification(campaign, secretary, leader, title="不整改的")
    services.rectification_decline(rectification=declined, reason="不具备条件", by=secretary)
    make_rectification(campaign, secretary, leader, title="刚立项的")
    response = secretary_client.get(url("rectification_list"))
    cards = {c["label"]: c["value"] for c in response.context["cards"]}
    assert cards == {"未完成": 1, "已整改": 1, "不予整改": 1, "逾期": 0}
    assert "不予整改的 1 项已关闭，但不计入已整改" in shown(response)
    html = shown(secretary_client.get(url("rectification_list") + "?status=done"))
    assert "已整改的" in html and "不整改的" not in html and "刚立项的" not in html


# --- Measures -----------------------------------------------------------------------------------


def test_the_responsible_leader_adds_and_corrects_measures(leader_client, item, owner):
    data = {"content": "清理积压品种", "owner": owner.pk, "deadline": item.deadline.isoformat()}
    assert leader_client.post(url("measure_create", item.pk), data).status_code == 302
    measure = item.measures.get()
    assert (measure.content, measure.owner, measure.percent) == ("清理积压品种", owner, 0)
    response = leader_client.post(url("measure_edit", measure.pk), data | {"content": "促销"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.content == "促销"


def test_a_measure_due_before_the_opening_is_refused_and_kept(leader_client, item, owner):
    data = {"content": "清理积压品种", "owner": owner.pk, "deadline": "2000-01-01"}
    response = leader_client.post(url("measure_create", item.pk), data)
    html = shown(response)
    assert "完成时限不能早于整改事项的立项日期。" in html and 'value="清理积压品种"' in html
    assert not item.measures.exists()


@pytest.mark.parametrize("percent", ["101", "-1", "五十"])
def test_a_percent_out_of_range_keeps_the_form_and_saves_nothing(leader_client, measure, percent):
    response = leader_client.post(
        url("measure_progress", measure.pk), {"percent": percent, "evidence_note": "快完成了"}
    )
    html = shown(response)
    assert response.status_code == 200 and "快完成了" in html
    message = {"101": "完成进度（％）不能大于 100。", "-1": "不能小于 0", "五十": "请填写整数"}
    assert message[percent] in html
    measure.refresh_from_db()
    assert (measure.percent, measure.evidence_note) == (50, "试行两周")


def test_progress_with_a_photo_is_served_to_the_internal_readers_only(
    leader_client, secretary_client, staff_client, member_client, measure
):
    photo = SimpleUploadedFile("现场.jpg", png(fmt="JPEG"), "image/jpeg")
    response = leader_client.post(
        url("measure_progress", measure.pk),
        {"percent": "80", "evidence_note": "线路已调整", "evidence_photo": photo},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.percent == 80 and measure.evidence_photo.name.endswith(".jpg")
    assert "现场" not in measure.evidence_photo.name
    served = secretary_client.get(measure.evidence_photo.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert staff_client.get(measure.evidence_photo.url).status_code == 404
    assert member_client.get(measure.evidence_photo.url).status_code == 404


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>'


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"not an image at all", "a.jpg", "JPG、PNG 或 WebP"),
        (SVG, "a.svg", "JPG、PNG 或 WebP"),
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "JPG、PNG 或 WebP"),
        (png(fmt="GIF"), "a.gif", "JPG、PNG 或 WebP"),
        (png() + b"\0" * MAX_BYTES, "big.png", "5 MB"),
    ],
    ids=["text", "svg", "renamed-html", "gif", "oversized"],
)
def test_a_bad_evidence_photo_is_refused_at_the_field(leader_client, measure, data, name, message):
    before = measure.evidence_photo.name
    response = leader_client.post(
        url("measure_progress", measure.pk),
        {
            "percent": "90",
            "evidence_note": "附照片",
            "evidence_photo": SimpleUploadedFile(name, data),
        },
    )
    html = shown(response)
    assert response.status_code == 200 and message in html and "附照片" in html
    measure.refresh_from_db()
    assert (measure.percent, measure.evidence_photo.name) == (50, before)


def test_measures_of_a_closed_item_are_refused_without_reading_the_photo(
    secretary, leader_client, item, measure, monkeypatch
):
    services.rectification_decline(rectification=item, reason="集团统一安排", by=secretary)
    from config import uploads

    monkeypatch.setattr(uploads, "decode", lambda *a, **k: pytest.fail("decoded"))
    response = leader_client.get(url("measure_progress", measure.pk), follow=True)
    assert "整改事项是“不予整改”状态，整改措施不能再修改。" in shown(response)
    photo = SimpleUploadedFile("a.png", png(), "image/png")
    response = leader_client.post(
        url("measure_progress", measure.pk),
        {"percent": "100", "evidence_note": "补交", "evidence_photo": photo},
    )
    html = shown(response)
    assert response.status_code == 200 and "整改措施不能再修改" in html and "补交" in html
    assert Measure.objects.get().percent == 50
    response = leader_client.get(url("measure_create", item.pk), follow=True)
    assert "整改措施不能再修改" in shown(response)


# --- Export -------------------------------------------------------------------------------------


def test_the_internal_list_exports_every_row_the_filters_keep(
    secretary_client, leader_client, staff_client, campaign, secretary, other_leader, item, measure
):
    _overdue_item(campaign, secretary, other_leader)
    response = secretary_client.get(url("rectification_list") + "?format=xlsx")
    export = read_export(response, ledger="整改事项")
    assert export.column("整改事项") == ["窗口服务规范", item.title]
    assert export.column("内部备注")[1] == NOTE
    assert export.column("来源")[1] == f"查找问题：{PROBLEM}"
    assert export.column("逾期") == ["是", "否"]
    assert export.column("平均进度（%）") == [0, 50]
    filtered = read_export(leader_client.get(url("rectification_list") + "?overdue=no&format=xlsx"))
    assert filtered.column("整改事项") == [item.title]
    assert staff_client.get(url("rectification_list") + "?format=xlsx").status_code == 403


def test_the_problem_list_exports(secretary_client, item):
    export = read_export(secretary_client.get(url("problem_list") + "?format=xlsx"))
    assert export.column("问题概述") == [PROBLEM]
    assert export.column("整改状态") == ["待整改"]


# --- Queries: the same for 3 rows as for 30, at most 12 ----------------------------------------


def _grow(campaign, secretary, leader, owner, *, items: int, measures: int) -> Rectification:
    """`items` more items, each from a problem and with a measure, as many problems waiting to
    be rectified, and one item with `measures` measures (returned)."""
    for i in range(items):
        item = make_rectification(campaign, secretary, leader, title=f"事项{i}")
        make_measure(item, leader, owner, content=f"措施{i}")
        make_problem(campaign, secretary, title=f"待整改问题{i}")
    big = make_rectification(campaign, secretary, leader, title=f"{measures} 项措施的事项")
    for i in range(measures):
        make_measure(big, leader, owner, content=f"措施{i}")
    return big


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("secretary", "rectification_list"),
        ("staff", "rectification_list"),
        ("secretary", "rectification_detail"),
        ("staff", "rectification_detail"),
        ("secretary", "problem_list"),
        ("secretary", "problem_rectify"),
        ("leader", "measure_create"),
    ],
)
def test_same_queries_for_3_and_30_rows(
    django_assert_num_queries, personas, campaign, secretary, leader, owner, who, name
):
    client = personas[who]

    def page(big):
        return (
            url(name, big.pk) if name in ("rectification_detail", "measure_create") else url(name)
        )

    small = _grow(campaign, secretary, leader, owner, items=3, measures=3)
    client.get(page(small))  # warm up per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page(small)).status_code == 200
    assert len(ctx) <= 12, [q["sql"] for q in ctx.captured_queries]
    large = _grow(campaign, secretary, leader, owner, items=27, measures=30)  # 30 in all
    with django_assert_num_queries(len(ctx)):
        assert client.get(page(large)).status_code == 200
