"""增收节支 pages: the records one by one (the secretary and leaders), entering, correcting and
作废 them (the secretary), bad amounts refused at the field with nothing saved, the summary's
totals (summed by the database), both exports, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from campaign import services
from campaign.models import SavingRecord
from members.models import AuditEntry, Role
from tests.conftest import client_for
from tests.exports import read_export
from tests.factories import make_branch, make_department, make_person

from .factories import FORTRESS_DAY, make_campaign, make_post, make_saving

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

LIST = reverse("campaign:saving_list")
CREATE = reverse("campaign:saving_create")
SUMMARY = reverse("campaign:saving_summary")
K = SavingRecord.Kind


def edit_url(entry) -> str:
    return reverse("campaign:saving_edit", args=[entry.pk])


def void_url(entry) -> str:
    return reverse("campaign:saving_void", args=[entry.pk])


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def world(branch, campaign, secretary, leader):
    """Two posts in two departments, a department of its own, and four records: 1,000.00 节支 and
    250.50 增收 on the delivery post (Q2 2011), 3,000.25 节支 of the office (Q4 2010), and a
    voided 99,999.00 on the storage post."""
    delivery_dept, storage_dept = (
        make_department(branch, "配送部"),
        make_department(branch, "仓储部"),
    )
    office = make_department(branch, "综合办")
    delivery = make_post(branch, secretary, name="药品配送岗", department=delivery_dept)
    storage = make_post(branch, secretary, name="仓储保管岗", department=storage_dept)
    records = {
        "saving": make_saving(campaign, secretary, post=delivery, item="优化配送路线"),
        "income": make_saving(
            campaign, secretary, post=delivery, kind=K.INCOME, amount="250.50", item="拓展客户"
        ),
        "office": make_saving(
            campaign,
            secretary,
            department=office,
            amount="3000.25",
            item="集中采购耗材",
            happened_on=dt.date(2010, 11, 3),
            verified_by=leader,
        ),
        "voided": make_saving(campaign, secretary, post=storage, amount="99999", item="重复录入"),
    }
    services.saving_void(entry=records["voided"], reason="重复登记", by=secretary)
    return {"delivery": delivery, "storage": storage, "office_department": office, **records}


@pytest.fixture
def outsider(db):
    person = make_person(make_branch(), (Role.SECRETARY, Role.MEMBER))
    make_campaign(person)
    return client_for(person)


# --- Who reaches what ----------------------------------------------------------------------------


def test_records_are_for_the_secretary_and_leaders_the_summary_for_everyone(
    client, personas, outsider, world
):
    pages = {
        LIST: {"staff": 403, "member": 403, "leader": 200, "secretary": 200},
        CREATE: {"staff": 403, "member": 403, "leader": 403, "secretary": 200},
        edit_url(world["saving"]): {"staff": 403, "member": 403, "leader": 403, "secretary": 200},
        void_url(world["saving"]): {"staff": 403, "member": 403, "leader": 403, "secretary": 200},
        SUMMARY: {"staff": 200, "member": 200, "leader": 200, "secretary": 200},
    }
    for target, statuses in pages.items():
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"], target
        for role, status in statuses.items():
            assert personas[role].get(target).status_code == status, (target, role)
    # Another branch's secretary: his own (empty) pages, and a 404 for our records.
    assert "优化配送路线" not in outsider.get(LIST).content.decode()
    assert "药品配送岗" not in outsider.get(SUMMARY).content.decode()
    assert outsider.get(edit_url(world["saving"])).status_code == 404
    assert outsider.post(void_url(world["saving"]), {"reason": "x"}).status_code == 404
    assert not SavingRecord.objects.get(pk=world["saving"].pk).is_voided


def test_the_leader_reads_the_records_but_gets_no_buttons(leader_client, world):
    html = leader_client.get(LIST).content.decode()
    assert "优化配送路线" in html
    assert CREATE not in html and edit_url(world["saving"]) not in html


# --- The list ------------------------------------------------------------------------------------


def test_a_voided_record_is_struck_through_and_the_totals_count_valid_records_only(
    secretary_client, world
):
    html = secretary_client.get(LIST).content.decode()
    assert "¥99,999.00" in html and "重复登记" in html
    assert html.count("text-decoration-line-through") == 7  # the voided row's seven cells
    assert edit_url(world["voided"]) not in html and edit_url(world["saving"]) in html
    footer = html[html.index("<tfoot>") :]
    assert "有效记录 3 条：增收 ¥250.50，节支 ¥4,000.25，合计 ¥4,250.75。" in footer


@pytest.mark.parametrize(
    ("query", "items", "total"),
    [
        ({"post": "@delivery"}, {"优化配送路线", "拓展客户"}, "¥1,250.50"),
        ({"department": "@office_department"}, {"集中采购耗材"}, "¥3,000.25"),
        ({"kind": K.INCOME}, {"拓展客户"}, "¥250.50"),
        ({"quarter": "2010-4"}, {"集中采购耗材"}, "¥3,000.25"),
        ({"quarter": "2011-2", "kind": K.SAVING}, {"优化配送路线", "重复录入"}, "¥1,000.00"),
    ],
)
def test_filters_and_their_totals(secretary_client, world, query, items, total):
    query = {k: world[v[1:]].pk if v[0] == "@" else v for k, v in query.items()}
    html = secretary_client.get(LIST, query).content.decode()
    every = {"优化配送路线", "拓展客户", "集中采购耗材", "重复录入"}
    assert {item for item in every if item in html} == items
    assert f"合计 {total}。" in html[html.index("<tfoot>") :]


def test_the_list_export_has_numbers_a_blank_for_the_voided_and_the_total(
    branch, secretary_client, leader_client, world
):
    export = read_export(leader_client.get(LIST, {"format": "xlsx"}), ledger="增收节支台账")
    amounts = dict(zip(export.column("项目"), export.column("金额（元）"), strict=True))
    assert amounts["集中采购耗材"] == 3000.25  # a number cell (openpyxl reads it as a float)
    assert amounts["重复录入"] is None
    assert export.rows[-1][0] == "合计" and export.column("金额（元）")[-1] == 4250.75
    row = export.column("项目").index("优化配送路线")
    assert export.number_format("金额（元）", row) == "#,##0.00"
    assert export.cell_type("金额（元）", row) == "n"
    assert "已作废：重复登记（原金额 99999.00 元）" in export.column("状态")
    filtered = read_export(secretary_client.get(LIST, {"format": "xlsx", "kind": K.INCOME}))
    assert filtered.column("项目") == ["拓展客户", None] and "类别：增收" in filtered.title


# --- Entering and correcting ----------------------------------------------------------------------


def _form(world, **data):
    base = {
        "post": world["delivery"].pk,
        "happened_on": FORTRESS_DAY.isoformat(),
        "kind": K.SAVING,
        "item": "节约包装材料",
        "amount": "1234.56",
        "basis": "每月少用纸箱 200 个",
        "verified_by": world["saving"].verified_by_id,
    }
    return {**base, **data}


def test_the_secretary_enters_a_record_in_yuan_to_the_cent(secretary_client, world):
    response = secretary_client.post(CREATE, _form(world))
    assert response.status_code == 302 and response["Location"] == LIST
    entry = SavingRecord.objects.get(item="节约包装材料")
    assert entry.amount == Decimal("1234.56") and str(entry.amount) == "1234.56"
    assert entry.department == world["delivery"].department  # a post's record: its department
    assert AuditEntry.objects.filter(action="登记增收节支").exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额须大于 0。"),
        ("-5", "金额须大于 0。"),
        ("一千元", "金额（元）请填写数字，例如 28.50。"),
        ("1000000000000", "单笔金额不能超过 99,999,999.99 元，请核对。"),
        ("12.345", "金额最多保留两位小数（精确到分）。"),
        ("", "请填写金额（元）。"),
    ],
)
def test_bad_amounts_are_refused_at_the_field_with_the_input_kept(
    secretary_client, world, amount, message
):
    before = SavingRecord.objects.count()
    response = secretary_client.post(CREATE, _form(world, amount=amount))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["amount"] == [message]
    assert form["amount"].value() == amount and form["item"].value() == "节约包装材料"
    assert SavingRecord.objects.count() == before


def test_a_record_needs_a_post_or_a_department_that_fit(secretary_client, world):
    response = secretary_client.post(CREATE, _form(world, post=""))
    assert response.context["form"].errors["post"] == ["请选择先锋岗或部门（至少一项）。"]
    response = secretary_client.post(CREATE, _form(world, department=world["office_department"].pk))
    assert response.context["form"].errors["department"] == ["所选部门与先锋岗所在部门不一致。"]
    assert not SavingRecord.objects.filter(item="节约包装材料").exists()


def test_a_correction_is_saved_with_old_and_new_in_the_audit_trail(secretary_client, world):
    entry = world["office"]
    page = secretary_client.get(edit_url(entry)).content.decode()
    assert 'value="3000.25"' in page and "集中采购耗材" in page
    data = _form(world, post="", department=world["office_department"].pk, amount="3100.00")
    assert secretary_client.post(edit_url(entry), data).status_code == 302
    entry.refresh_from_db()
    assert entry.amount == Decimal("3100.00") and entry.item == "节约包装材料"
    detail = AuditEntry.objects.get(action="修改增收节支记录").detail
    assert "3000.25 → 3100.00" in detail


def test_a_bad_correction_saves_nothing(secretary_client, world):
    entry = world["saving"]
    response = secretary_client.post(edit_url(entry), _form(world, amount="0", item="改了"))
    assert response.context["form"].errors["amount"] == ["金额须大于 0。"]
    entry.refresh_from_db()
    assert (entry.item, entry.amount) == ("优化配送路线", Decimal("1000.00"))


def test_void_needs_a_reason_and_a_voided_record_cannot_be_changed(secretary_client, world):
    entry = world["saving"]
    response = secretary_client.post(void_url(entry), {"reason": ""})
    assert response.context["form"].errors["reason"] == ["请填写作废原因。"]
    assert not SavingRecord.objects.get(pk=entry.pk).is_voided
    assert secretary_client.post(void_url(entry), {"reason": "金额有误"}).status_code == 302
    entry.refresh_from_db()
    assert entry.is_voided and entry.void_reason == "金额有误"
    for target in (edit_url(entry), void_url(entry)):
        response = secretary_client.get(target, follow=True)
        assert response.redirect_chain[-1][0] == LIST
        assert "已作废，不能再修改或作废" in response.content.decode()


# --- The summary ----------------------------------------------------------------------------------


def test_the_summary_adds_up_by_post_department_and_quarter(secretary_client, staff_client, world):
    response = secretary_client.get(SUMMARY)
    context = response.context
    assert context["totals"] == {
        "income": Decimal("250.50"),
        "saving": Decimal("4000.25"),
        "total": Decimal("4250.75"),
        "n": 3,
    }
    by_post = {row["label"]: row["total"] for row in context["by_post"]}
    assert by_post == {"药品配送岗": Decimal("1250.50")}  # the voided record counts nowhere
    by_department = {row["label"]: row["total"] for row in context["by_department"]}
    assert by_department == {"配送部": Decimal("1250.50"), "综合办": Decimal("3000.25")}
    by_quarter = {row["key"]: row["total"] for row in context["by_quarter"]}
    assert by_quarter == {"2010-4": Decimal("3000.25"), "2011-2": Decimal("1250.50")}
    html = response.content.decode()
    assert "¥4,250.75" in html and "2010年第4季度" in html
    assert f"{LIST}?quarter=2010-4" in html  # each number leads to its records
    staff_html = staff_client.get(SUMMARY).content.decode()
    assert "¥4,250.75" in staff_html and f"{LIST}?" not in staff_html


def test_the_summary_export_has_a_sheet_per_grouping_for_the_secretary_and_leaders(
    branch, personas, world
):
    for role in ("staff", "member"):
        assert personas[role].get(SUMMARY, {"format": "xlsx"}).status_code == 403
    response = personas["leader"].get(SUMMARY, {"format": "xlsx"})
    overview = read_export(response, branch=branch, ledger="增收节支汇总")
    assert overview.rows == [["增收", 250.5], ["节支", 4000.25], ["合计", 4250.75]]
    assert overview.number_format("金额（元）") == "#,##0.00"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["增收节支汇总", "按先锋岗", "按部门", "按季度"]
    rows = {
        name: [list(r) for r in book[name].iter_rows(min_row=3, values_only=True) if r[0]]
        for name in ("按先锋岗", "按部门", "按季度")
    }
    assert rows["按先锋岗"][0] == ["药品配送岗", 250.5, 1000, 1250.5, 2]
    assert rows["按部门"][-1] == ["合计", 250.5, 4000.25, 4250.75, 3]
    assert [r[0] for r in rows["按季度"][:3]] == ["2010年第4季度", "2011年第2季度", "合计"]
    assert book["按部门"].cell(row=3, column=2).number_format == "#,##0.00"


# --- Queries --------------------------------------------------------------------------------------


def _records(campaign, secretary, branch, n: int) -> None:
    department = make_department(branch)
    post = make_post(branch, secretary, department=department)
    for i in range(n):
        make_saving(
            campaign,
            secretary,
            post=post if i % 2 else None,
            department=None if i % 2 else department,
            kind=K.INCOME if i % 3 else K.SAVING,
            amount=f"{100 + i}.25",
            happened_on=dt.date(2010, 7 + i % 6, 1),
        )


def _count(client, target: str) -> int:
    client.get(target)  # warm up per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["secretary", "leader", "staff"])
def test_list_and_summary_cost_the_same_queries_for_3_and_30_records(
    branch, campaign, secretary, personas, role, django_assert_num_queries
):
    client = personas[role]
    targets = [SUMMARY] if role == "staff" else [SUMMARY, LIST, f"{LIST}?kind=income"]
    _records(campaign, secretary, branch, 3)
    small = {target: _count(client, target) for target in targets}
    assert max(small.values()) <= 12, small
    _records(campaign, secretary, branch, 27)
    for target in targets:
        with django_assert_num_queries(small[target]):
            assert client.get(target).status_code == 200
