"""增收节支: amounts are Decimal yuan (> 0, to the cent, at most MAX_AMOUNT), a record names a
post or a department, corrections and 作废 are audited, and the totals per post, department,
quarter and campaign come from the database exact to the cent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from campaign import selectors_fortress as selectors
from campaign import services
from campaign.models import SavingRecord
from campaign.models.vanguard import MAX_AMOUNT
from members.models import AuditEntry
from tests.factories import make_branch, make_department

from .factories import FORTRESS_DAY, make_campaign, make_post, make_saving

INCOME, SAVING = SavingRecord.Kind.INCOME, SavingRecord.Kind.SAVING


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


@pytest.fixture
def depot(branch):
    return make_department(branch, "配送部")


@pytest.fixture
def post(branch, secretary, depot):
    return make_post(branch, secretary, name="药品配送岗", department=depot)


# --- Amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "金额须大于 0"),
        (Decimal("-5.00"), "金额须大于 0"),
        (Decimal(10) ** 12, "单笔金额不能超过 99,999,999.99 元"),
        (MAX_AMOUNT + Decimal("0.01"), "单笔金额不能超过"),
        ("一千元", "请填写金额（元）"),
        ("", "请填写金额（元）"),
        (None, "请填写金额（元）"),
        (12.5, "请填写金额（元）"),  # a float cannot hold cents exactly
        (Decimal("NaN"), "请填写金额（元）"),
        (Decimal("Infinity"), "请填写金额（元）"),
        (Decimal("1.005"), "金额最多保留两位小数"),
    ],
)
def test_bad_amounts_are_refused(campaign, secretary, post, amount, message):
    with pytest.raises(ValidationError, match=message):
        services.saving_create(
            campaign=campaign,
            data={
                "post": post,
                "kind": SAVING,
                "item": "x",
                "basis": "x",
                "happened_on": FORTRESS_DAY,
                "verified_by": secretary,
                "amount": amount,
            },
            by=secretary,
        )
    assert not SavingRecord.objects.exists()


def test_good_amounts_are_kept_to_the_cent(campaign, secretary, post):
    assert services.check_amount("1250.5") == Decimal("1250.50")
    assert services.check_amount(3) == Decimal("3.00")
    entry = make_saving(campaign, secretary, post=post, amount=str(MAX_AMOUNT))
    entry.refresh_from_db()
    assert entry.amount == MAX_AMOUNT and isinstance(entry.amount, Decimal)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1.00"), Decimal(10) ** 12])
def test_the_database_refuses_bad_amounts(campaign, secretary, post, amount):
    entry = make_saving(campaign, secretary, post=post)
    # SQLite: the check constraint; PostgreSQL refuses 10^12 already as a NUMERIC(10, 2) overflow.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        SavingRecord.objects.filter(pk=entry.pk).update(amount=amount)


def test_a_record_names_a_post_or_a_department(branch, campaign, secretary, post, depot):
    with pytest.raises(ValidationError, match="请选择先锋岗或部门"):
        make_saving(campaign, secretary)
    entry = make_saving(campaign, secretary, post=post)
    assert entry.department == depot  # a post's record carries its department
    with pytest.raises(ValidationError, match="所选部门与先锋岗所在部门不一致"):
        make_saving(campaign, secretary, post=post, department=make_department(branch))
    with pytest.raises(ValidationError, match="请选择本支部的部门"):
        make_saving(campaign, secretary, department=make_department(make_branch()))
    with pytest.raises(IntegrityError), transaction.atomic():
        SavingRecord.objects.filter(pk=entry.pk).update(post=None, department=None)


def test_only_the_secretary_records_and_other_fields_are_checked(
    campaign, secretary, leader, member, post
):
    for person in (leader, member):
        with pytest.raises(ValidationError, match="只有支部书记可以登记增收节支"):
            make_saving(campaign, person, post=post)
    with pytest.raises(ValidationError, match="请选择增收或节支"):
        make_saving(campaign, secretary, post=post, kind="bonus")
    with pytest.raises(ValidationError, match="请填写测算依据"):
        make_saving(campaign, secretary, post=post, basis="")
    with pytest.raises(ValidationError, match="日期不能早于"):
        make_saving(campaign, secretary, post=post, happened_on=dt.date(2010, 1, 1))


def test_a_correction_keeps_old_and_new_and_a_void_keeps_the_reason(campaign, secretary, post):
    entry = make_saving(campaign, secretary, post=post, amount="1000.00")
    data = {
        "post": post,
        "kind": INCOME,
        "item": entry.item,
        "basis": entry.basis,
        "happened_on": entry.happened_on,
        "verified_by": secretary,
        "amount": Decimal("1200.50"),
    }
    services.saving_update(entry=entry, data=data, by=secretary)
    detail = AuditEntry.objects.get(action="修改增收节支记录").detail
    assert "金额（元）：1000.00 → 1200.50" in detail and "类别：节支 → 增收" in detail
    services.saving_void(entry=entry, reason="重复登记", by=secretary)
    assert entry.is_voided and entry.void_reason == "重复登记"
    with pytest.raises(ValidationError, match="已作废"):
        services.saving_update(entry=entry, data=data, by=secretary)
    assert AuditEntry.objects.filter(
        action="作废增收节支记录", detail="作废原因：重复登记"
    ).exists()


# --- Totals -----------------------------------------------------------------------------------


def test_totals_per_post_department_quarter_and_campaign(branch, campaign, secretary, post, depot):
    office = make_department(branch, "办公室")
    other_post = make_post(branch, secretary, name="仓储岗", department=office)
    q2, q3 = FORTRESS_DAY, dt.date(2011, 8, 1)
    make_saving(campaign, secretary, post=post, kind=SAVING, amount="0.10", happened_on=q2)
    make_saving(campaign, secretary, post=post, kind=SAVING, amount="0.20", happened_on=q2)
    make_saving(campaign, secretary, post=post, kind=INCOME, amount="33.33", happened_on=q3)
    make_saving(campaign, secretary, post=other_post, kind=INCOME, amount="33.33", happened_on=q3)
    make_saving(campaign, secretary, department=office, kind=INCOME, amount="33.33", happened_on=q3)
    voided = make_saving(campaign, secretary, post=post, amount="99999.99", happened_on=q3)
    services.saving_void(entry=voided, reason="录错", by=secretary)
    # Another campaign's record counts in neither total.
    services.campaign_finish(campaign=campaign, by=secretary)
    later = make_campaign(secretary, name="下一次活动")
    make_saving(later, secretary, post=post, amount="5.00")

    summary = selectors.saving_summary(campaign=campaign)
    assert summary["totals"] == {
        "income": Decimal("99.99"),
        "saving": Decimal("0.30"),
        "total": Decimal("100.29"),
        "n": 5,
    }
    by_post = {row["post__name"]: (row["income"], row["saving"]) for row in summary["by_post"]}
    assert by_post == {
        "药品配送岗": (Decimal("33.33"), Decimal("0.30")),
        "仓储岗": (Decimal("33.33"), Decimal("0.00")),
    }
    by_department = {row["department__name"]: row["total"] for row in summary["by_department"]}
    assert by_department == {"配送部": Decimal("33.63"), "办公室": Decimal("66.66")}
    by_quarter = [(r["year"], r["quarter"], r["total"], r["n"]) for r in summary["by_quarter"]]
    assert by_quarter == [(2011, 2, Decimal("0.30"), 2), (2011, 3, Decimal("99.99"), 3)]
    for value in (*by_department.values(), summary["totals"]["total"]):
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -2

    listed = {p.name: p for p in selectors.post_list(branch=branch, campaign=campaign)}
    assert (listed["药品配送岗"].income_total, listed["药品配送岗"].saving_total) == (
        Decimal("33.33"),
        Decimal("0.30"),
    )
    assert listed["药品配送岗"].total == Decimal("33.63")
    all_time = {p.name: p.total for p in selectors.post_list(branch=branch)}
    assert all_time["药品配送岗"] == Decimal("38.63")
    page = selectors.post_detail(post=post, viewer=secretary, campaign=campaign)
    assert page["totals"]["total"] == Decimal("33.63") and page["totals"]["n"] == 3


def test_many_cents_add_up_exactly(branch, campaign, secretary, post):
    for _ in range(30):
        make_saving(campaign, secretary, post=post, amount="0.10")
    make_saving(campaign, secretary, post=post, amount=str(MAX_AMOUNT))
    totals = selectors.saving_summary(campaign=campaign)["totals"]
    assert totals["saving"] == MAX_AMOUNT + Decimal("3.00")


def test_a_summary_without_records_is_zero(campaign):
    summary = selectors.saving_summary(campaign=campaign)
    assert summary["totals"] == {
        "income": Decimal("0.00"),
        "saving": Decimal("0.00"),
        "total": Decimal("0.00"),
        "n": 0,
    }
    assert summary["by_post"] == summary["by_department"] == summary["by_quarter"] == []
