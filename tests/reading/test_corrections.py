"""Corrections of purchases and hand-outs (issue 9 point 4): 修改 a purchase, 作废 a purchase or a
hand-out with a reason that stays visible, and a purchase over the budget saved only once the
secretary confirms the overrun it names."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from members.models import AuditEntry, Role
from reading import selectors, services
from reading.models import Distribution, Purchase
from reading.tasks import _participant_tasks
from tests.conftest import client_for
from tests.factories import make_branch, make_person

from .factories import make_activity, make_distribution, make_members, make_purchase, select_books

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")


@pytest.fixture
def books(branch, secretary):
    return select_books(make_activity(branch, "read", budget=Decimal("1000")), secretary)


@pytest.fixture
def book(books):
    return books[0]


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(out, "PNG")
    return SimpleUploadedFile("新发票.png", out.getvalue(), content_type="image/png")


def edit_data(purchase: Purchase, **changes) -> dict:
    data = {
        "quantity": purchase.quantity,
        "unit_price": str(purchase.unit_price),
        "supplier": purchase.supplier,
        "purchased_on": purchase.purchased_on.isoformat(),
    }
    return {**data, **changes}


def other_branch_secretary_client():
    other = make_branch()
    return client_for(make_person(other, (Role.SECRETARY, Role.MEMBER)))


# --- 修改 a purchase ------------------------------------------------------------------------------


def test_the_secretary_corrects_a_purchase_and_the_audit_says_old_to_new(secretary_client, book):
    purchase = make_purchase(book, quantity=10, unit_price=Decimal("28.00"))
    url = reverse("reading:purchase_edit", args=[purchase.pk])
    assert 'value="28.00"' in secretary_client.get(url).content.decode()
    response = secretary_client.post(
        url, edit_data(purchase, quantity=12, unit_price="29.50", supplier="新华书店二分店")
    )
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert (purchase.quantity, purchase.unit_price) == (12, Decimal("29.50"))
    assert purchase.supplier == "新华书店二分店" and purchase.selection == book
    entry = AuditEntry.objects.get(action="修改采购记录")
    assert "数量 10 → 12" in entry.detail
    assert "单价 28.00 → 29.50" in entry.detail
    assert "供应商 新华书店 → 新华书店二分店" in entry.detail
    assert "采购日期" not in entry.detail  # unchanged fields are not listed


def test_an_edit_keeps_the_invoice_unless_a_new_one_is_chosen(secretary_client, book):
    purchase = make_purchase(book)
    url = reverse("reading:purchase_edit", args=[purchase.pk])
    secretary_client.post(url, {**edit_data(purchase), "invoice": png()})
    purchase.refresh_from_db()
    first = purchase.invoice.name
    assert first.startswith("reading/invoices/")
    assert "补上发票照片" in AuditEntry.objects.get(action="修改采购记录").detail
    secretary_client.post(url, edit_data(purchase, quantity=11))
    purchase.refresh_from_db()
    assert purchase.invoice.name == first and purchase.quantity == 11


def test_an_edit_that_changes_nothing_is_said_so(secretary_client, book):
    purchase = make_purchase(book)
    url = reverse("reading:purchase_edit", args=[purchase.pk])
    response = secretary_client.post(url, edit_data(purchase, unit_price="28.0"))
    assert response.status_code == 200
    assert "您没有改动任何内容" in response.content.decode()
    assert not AuditEntry.objects.filter(action="修改采购记录").exists()


def test_bad_input_in_an_edit_is_shown_at_the_field_and_saves_nothing(secretary_client, book):
    purchase = make_purchase(book, quantity=10)
    url = reverse("reading:purchase_edit", args=[purchase.pk])
    response = secretary_client.post(url, edit_data(purchase, quantity="0", supplier="另一家"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="另一家"' in html  # what was typed stays
    purchase.refresh_from_db()
    assert purchase.quantity == 10 and purchase.supplier == "新华书店"


def test_an_edit_never_leaves_fewer_copies_than_were_handed_out(book, secretary, branch):
    purchase = make_purchase(book, quantity=3)
    for person in make_members(branch, 3):
        make_distribution(book, person)
    with pytest.raises(ValidationError) as caught:
        services.purchase_update(
            purchase=purchase,
            quantity=2,
            unit_price=purchase.unit_price,
            supplier=purchase.supplier,
            purchased_on=purchase.purchased_on,
            by=secretary,
        )
    assert "已发放 3 册" in caught.value.message_dict["quantity"][0]
    purchase.refresh_from_db()
    assert purchase.quantity == 3


def test_only_the_secretary_of_the_branch_corrects(leader_client, secretary_client, book, leader):
    purchase = make_purchase(book)
    for name in ("purchase_edit", "purchase_void"):
        url = reverse(f"reading:{name}", args=[purchase.pk])
        assert leader_client.get(url).status_code == 403
        assert leader_client.post(url, {"reason": "x", **edit_data(purchase)}).status_code == 403
        assert other_branch_secretary_client().get(url).status_code == 404
    with pytest.raises(ValidationError, match="只有组织读书活动的人"):
        services.purchase_void(purchase=purchase, reason="录错了", by=leader)
    purchase.refresh_from_db()
    assert purchase.voided_at is None


# --- 作废 a purchase ------------------------------------------------------------------------------


def test_a_voided_purchase_stays_listed_with_its_reason_and_counts_nowhere(
    secretary_client, leader_client, book, secretary
):
    keep = make_purchase(book, quantity=10, unit_price=Decimal("20.00"))
    wrong = make_purchase(book, quantity=7, unit_price=Decimal("31.00"), supplier="重复录入书店")
    url = reverse("reading:purchase_void", args=[wrong.pk])
    assert "作废采购记录" in secretary_client.get(url).content.decode()
    response = secretary_client.post(url, {"reason": "同一张发票录了两次"})
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.is_voided and wrong.voided_by == secretary
    assert wrong.void_reason == "同一张发票录了两次"

    data = selectors.purchases(activity=book.activity)
    assert data["total"] == Decimal("200.00") and data["copies"] == 10
    assert data["books"][0]["cost"] == Decimal("200.00")
    assert services.copies_left(selection=book) == 10
    stats = selectors.activity_stats(activity=book.activity, viewer=secretary)
    assert (stats["copies"], stats["cost"]) == (10, Decimal("200.00"))

    html = leader_client.get(reverse("reading:purchase_list", args=[book.activity_id])).content
    html = html.decode()
    assert "重复录入书店" in html and "已作废：同一张发票录了两次" in html
    assert "合计 200.00 元" in html and "text-decoration-line-through" in html
    assert reverse("reading:purchase_edit", args=[keep.pk]) not in html  # leaders only look

    entry = AuditEntry.objects.get(action="作废采购记录")
    assert entry.object_id == str(wrong.pk)
    assert "有效 → 已作废：同一张发票录了两次" in entry.detail


def test_a_void_needs_a_reason(secretary_client, book):
    purchase = make_purchase(book)
    url = reverse("reading:purchase_void", args=[purchase.pk])
    response = secretary_client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "请填写作废原因" in response.content.decode()
    purchase.refresh_from_db()
    assert purchase.voided_at is None


def test_a_voided_purchase_is_neither_edited_nor_voided_again(secretary_client, book, secretary):
    purchase = make_purchase(book)
    services.purchase_void(purchase=purchase, reason="录错了", by=secretary)
    for name in ("purchase_edit", "purchase_void"):
        url = reverse(f"reading:{name}", args=[purchase.pk])
        response = secretary_client.post(url, {"reason": "再作废", **edit_data(purchase)})
        assert response.status_code == 302
        assert response.url == reverse("reading:purchase_list", args=[book.activity_id])
    with pytest.raises(ValidationError, match="已作废"):
        services.purchase_void(purchase=purchase, reason="再作废", by=secretary)
    assert AuditEntry.objects.filter(action="作废采购记录").count() == 1
    purchase.refresh_from_db()
    assert purchase.void_reason == "录错了"


def test_a_purchase_whose_copies_were_handed_out_cannot_be_voided(book, secretary, member):
    purchase = make_purchase(book, quantity=1)
    make_distribution(book, member)
    with pytest.raises(ValidationError, match="已发放 1 册"):
        services.purchase_void(purchase=purchase, reason="录错了", by=secretary)
    purchase.refresh_from_db()
    assert purchase.voided_at is None


# --- Over the budget ------------------------------------------------------------------------------


@pytest.fixture
def tight(branch, secretary):
    """A book of an activity with a budget of 100 元, 60 元 of it spent."""
    book = select_books(make_activity(branch, "read", budget=Decimal("100")), secretary)[0]
    make_purchase(book, quantity=2, unit_price=Decimal("30.00"))
    return book


def new_purchase(book, **changes) -> dict:
    return {
        "selection": book.pk,
        "quantity": 3,
        "unit_price": "20.00",
        "supplier": "新华书店",
        "purchased_on": "2011-04-01",
        **changes,
    }


def test_a_purchase_over_the_budget_asks_for_confirmation_and_says_by_how_much(
    secretary_client, tight
):
    url = reverse("reading:purchase_create", args=[tight.activity_id])
    response = secretary_client.post(url, new_purchase(tight))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本次采购后将超出预算 ¥20.00（预算 ¥100.00，已用 ¥60.00）" in html
    assert "仍然保存" in html
    assert 'name="confirmed_overrun" value="20.00"' in html
    assert Purchase.objects.count() == 1

    response = secretary_client.post(url, new_purchase(tight, confirmed_overrun="20.00"))
    assert response.status_code == 302
    assert Purchase.objects.count() == 2
    entry = AuditEntry.objects.get(action="登记购书")
    assert "超出预算 ¥20.00" in entry.detail
    page = secretary_client.get(reverse("reading:purchase_list", args=[tight.activity_id]))
    assert "超出预算 20.00 元" in page.content.decode()


def test_a_confirmation_covers_only_the_overrun_that_was_shown(secretary_client, tight):
    url = reverse("reading:purchase_create", args=[tight.activity_id])
    response = secretary_client.post(url, new_purchase(tight, quantity=5, confirmed_overrun="20"))
    assert response.status_code == 200
    assert "超出预算 ¥60.00" in response.content.decode()
    for garbage in ("abc", "-5", "NaN", "Infinity"):
        response = secretary_client.post(url, new_purchase(tight, confirmed_overrun=garbage))
        assert response.status_code == 200
    assert Purchase.objects.count() == 1


def test_the_budget_is_counted_in_exact_cents(secretary, tight):
    # 60 spent; 3 × 13.33 = 39.99 stays within 100, 3 × 13.34 = 40.02 is 0.02 over.
    args = {"supplier": "书店", "purchased_on": timezone.localdate(), "by": secretary}
    services.purchase_record(selection=tight, quantity=3, unit_price=Decimal("13.33"), **args)
    purchase = Purchase.objects.latest("pk")
    with pytest.raises(ValidationError) as caught:
        services.purchase_update(purchase=purchase, quantity=3, unit_price=Decimal("13.34"), **args)
    assert caught.value.code == "over_budget"
    assert caught.value.params == {"overrun": "0.02", "budget": "100.00", "spent": "60.00"}


def test_a_voided_purchase_frees_its_budget(secretary, tight):
    services.purchase_void(purchase=tight.purchases.get(), reason="录错了", by=secretary)
    services.purchase_record(
        selection=tight,
        quantity=4,
        unit_price=Decimal("25.00"),
        supplier="书店",
        purchased_on=timezone.localdate(),
        by=secretary,
    )
    assert Purchase.objects.valid().cost() == Decimal("100.00")


def test_an_edit_over_the_budget_asks_but_a_smaller_one_does_not(secretary_client, tight):
    purchase = tight.purchases.get()  # 2 × 30.00 of a budget of 100
    url = reverse("reading:purchase_edit", args=[purchase.pk])
    response = secretary_client.post(url, edit_data(purchase, quantity=4))
    assert "本次采购后将超出预算 ¥20.00（预算 ¥100.00，已用 ¥0.00）" in response.content.decode()
    purchase.refresh_from_db()
    assert purchase.quantity == 2
    response = secretary_client.post(url, edit_data(purchase, quantity=4, confirmed_overrun="20"))
    assert response.status_code == 302
    # Still over the budget, but the correction spends less: no question asked.
    response = secretary_client.post(url, edit_data(purchase, quantity=4, unit_price="29.00"))
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert purchase.total == Decimal("116.00")
    details = list(
        AuditEntry.objects.filter(action="修改采购记录")
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details[0] == "数量 2 → 4；超出预算 ¥20.00（已确认仍然保存）"
    assert details[1] == "单价 30.00 → 29.00；仍超出预算 ¥16.00"


# --- 作废 a hand-out ------------------------------------------------------------------------------


def test_a_hand_out_to_the_wrong_person_is_voided_and_the_book_given_again(
    secretary_client, book, secretary, member, leader
):
    make_purchase(book, quantity=1)
    wrong = make_distribution(book, leader, issued_by=secretary)
    assert services.copies_left(selection=book) == 0
    ledger = reverse("reading:distribution_list", args=[book.activity_id])
    url = reverse("reading:distribution_void", args=[wrong.pk])
    assert url in secretary_client.get(ledger).content.decode()
    response = secretary_client.post(url, {"reason": "发错了人，书已收回", "next": ledger})
    assert response.status_code == 302 and response.url == ledger
    wrong.refresh_from_db()
    assert wrong.is_voided and wrong.void_reason == "发错了人，书已收回"
    assert services.copies_left(selection=book) == 1

    html = secretary_client.get(ledger + "?show=not_issued").content.decode()
    assert leader.full_name in html and "已作废：发错了人，书已收回" in html
    stats = selectors.activity_stats(activity=book.activity, viewer=secretary)
    assert stats["issued"] == 0

    services.distribution_issue(
        selection=book, members=[member], issued_on=timezone.localdate(), by=secretary
    )
    make_purchase(book, quantity=1)
    services.distribution_issue(
        selection=book, members=[leader], issued_on=timezone.localdate(), by=secretary
    )
    assert Distribution.objects.filter(member=leader).count() == 2
    assert Distribution.objects.valid().filter(member=leader).count() == 1
    html = secretary_client.get(ledger).content.decode()
    assert "已作废：发错了人，书已收回" in html  # still on the ledger beside the new hand-out

    entry = AuditEntry.objects.get(action="作废发放记录")
    assert entry.object_id == str(wrong.pk)
    assert leader.full_name in entry.detail and "未确认领取" in entry.detail
    assert "有效 → 已作废：发错了人，书已收回" in entry.detail


def test_a_confirmed_hand_out_may_be_voided_and_is_then_no_task(book, secretary, member):
    handout = make_distribution(book, member, confirmed_at=timezone.now())
    services.distribution_void(distribution=handout, reason="代为确认时点错了人", by=secretary)
    assert "已确认领取" in AuditEntry.objects.get(action="作废发放记录").detail
    pending = make_distribution(book.activity.selections.last(), member)
    services.distribution_void(distribution=pending, reason="书目发错了", by=secretary)
    assert not [t for t in _participant_tasks(member, book.activity) if "确认已领取" in t.text]
    pending.refresh_from_db()
    with pytest.raises(ValidationError, match="已作废"):
        services.distribution_confirm(distribution=pending, by=member)
    with pytest.raises(ValidationError, match="已作废"):
        services.distribution_confirm_for(distribution=pending, by=secretary)


def test_the_member_sees_the_voided_hand_out_with_its_reason(
    member_client, book, secretary, member
):
    handout = make_distribution(book, member)
    services.distribution_void(distribution=handout, reason="书目发错了", by=secretary)
    html = member_client.get(book.activity.get_absolute_url()).content.decode()
    assert "已作废：书目发错了" in html
    assert reverse("reading:distribution_confirm", args=[handout.pk]) not in html


def test_voiding_a_hand_out_needs_a_reason_and_happens_once(secretary_client, book, secretary):
    handout = make_distribution(book, make_members(book.activity.branch, 1)[0])
    url = reverse("reading:distribution_void", args=[handout.pk])
    response = secretary_client.post(url, {"reason": ""})
    assert response.status_code == 200 and "请填写作废原因" in response.content.decode()
    handout.refresh_from_db()
    assert handout.voided_at is None
    services.distribution_void(distribution=handout, reason="录错了", by=secretary)
    with pytest.raises(ValidationError, match="已经作废"):
        services.distribution_void(distribution=handout, reason="再来", by=secretary)
    response = secretary_client.get(url)
    assert response.status_code == 302


def test_only_the_secretary_of_the_branch_voids_a_hand_out(leader_client, book, leader, member):
    handout = make_distribution(book, member)
    url = reverse("reading:distribution_void", args=[handout.pk])
    assert leader_client.post(url, {"reason": "x"}).status_code == 403
    assert other_branch_secretary_client().post(url, {"reason": "x"}).status_code == 404
    with pytest.raises(ValidationError, match="只有组织读书活动的人"):
        services.distribution_void(distribution=handout, reason="x", by=leader)
    handout.refresh_from_db()
    assert handout.voided_at is None


def test_counts_of_people_skip_voided_hand_outs(book, secretary, member):
    handout = make_distribution(book, member, confirmed_at=timezone.now())
    services.distribution_void(distribution=handout, reason="录错了", by=secretary)
    people = selectors.participants_overview(activity=book.activity, viewer=secretary)
    me = people.get(pk=member.pk)
    assert (me.issued, me.confirmed) == (0, 0)
    issued = selectors.distribution_people(activity=book.activity, show="issued")
    assert member not in issued


# --- Database rules -------------------------------------------------------------------------------


def test_one_valid_hand_out_per_member_and_book(book, member, secretary):
    handout = make_distribution(book, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_distribution(book, member)
    Distribution.objects.filter(pk=handout.pk).update(
        voided_at=timezone.now(), void_reason="录错了"
    )
    make_distribution(book, member)  # allowed beside the voided one
    assert Distribution.objects.filter(member=member).count() == 2


def test_a_voided_record_always_has_its_reason(book, member):
    purchase = make_purchase(book)
    handout = make_distribution(book, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Purchase.objects.filter(pk=purchase.pk).update(voided_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.filter(pk=handout.pk).update(voided_at=timezone.now())


# --- Queries --------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_with_voided_rows_run_a_fixed_number_of_queries(
    secretary_client, book, secretary, branch, settings
):
    settings.PAGE_SIZE = 50
    lists = [
        reverse(f"reading:{name}", args=[book.activity_id])
        for name in ("purchase_list", "distribution_list")
    ]

    def add(n):
        for person in make_members(branch, n):
            make_purchase(book, quantity=1)
            purchase = make_purchase(book, quantity=1)
            services.purchase_void(purchase=purchase, reason="录错了", by=secretary)
            handout = make_distribution(book, person, issued_by=secretary)
            services.distribution_void(distribution=handout, reason="发错了", by=secretary)
            make_distribution(book, person, issued_by=secretary)

    add(3)
    for url in lists:
        secretary_client.get(url)
    small = [count_queries(secretary_client, url) for url in lists]
    add(20)
    assert [count_queries(secretary_client, url) for url in lists] == small
