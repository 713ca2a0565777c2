"""Purchases against the budget, the hand-out ledger and receipt confirmation (已领取)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from members.models import AuditEntry
from reading import services
from reading.models import Distribution, Purchase
from tests.factories import make_branch

from .factories import make_activity, make_distribution, make_members, make_purchase, select_books


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return SimpleUploadedFile("发票.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def books(branch, secretary):
    return select_books(make_activity(branch, "read"), secretary)


def test_the_secretary_records_a_purchase_with_an_invoice(secretary_client, books):
    activity = books[0].activity
    url = reverse("reading:purchase_create", args=[activity.pk])
    response = secretary_client.post(
        url,
        {
            "selection": books[0].pk,
            "quantity": 16,
            "unit_price": "28.50",
            "supplier": "新华书店",
            "purchased_on": "2011-04-01",
            "invoice": png(),
        },
    )
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert purchase.total == Decimal("456.00")
    assert (
        purchase.invoice.name.startswith("reading/invoices/")
        and "发票" not in purchase.invoice.name
    )
    assert AuditEntry.objects.filter(action="登记购书").exists()
    page = secretary_client.get(reverse("reading:purchase_list", args=[activity.pk])).content
    assert "合计 456.00 元" in page.decode()
    invoice = secretary_client.get(purchase.invoice.url)
    assert invoice.status_code == 200


@pytest.mark.parametrize(
    "field, value", [("quantity", "0"), ("unit_price", "0"), ("unit_price", "-3"), ("supplier", "")]
)
def test_bad_purchases_save_nothing(secretary_client, books, field, value):
    data = {
        "selection": books[0].pk,
        "quantity": 5,
        "unit_price": "10",
        "supplier": "书店",
        "purchased_on": "2011-04-01",
        field: value,
    }
    url = reverse("reading:purchase_create", args=[books[0].activity_id])
    response = secretary_client.post(url, data)
    assert response.status_code == 200
    assert not Purchase.objects.exists()


def test_a_fake_invoice_image_is_refused(secretary_client, books):
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    url = reverse("reading:purchase_create", args=[books[0].activity_id])
    response = secretary_client.post(
        url,
        {
            "selection": books[0].pk,
            "quantity": 1,
            "unit_price": "1",
            "supplier": "书店",
            "purchased_on": "2011-04-01",
            "invoice": fake,
        },
    )
    assert "不是有效的图片" in response.content.decode()
    assert not Purchase.objects.exists()


def test_amounts_are_database_constraints(books):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_purchase(books[0], quantity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_purchase(books[0], unit_price=Decimal("0"))


def test_totals_show_over_budget(secretary_client, branch, secretary):
    activity = make_activity(branch, "read", budget=Decimal("100"))
    book = select_books(activity, secretary)[0]
    make_purchase(book, quantity=5, unit_price=Decimal("30"))
    html = secretary_client.get(reverse("reading:purchase_list", args=[activity.pk])).content
    assert "超出预算" in html.decode()


def test_issuing_never_hands_out_more_copies_than_bought(books, secretary, member, leader):
    make_purchase(books[0], quantity=1)
    with pytest.raises(ValidationError, match="还剩 1 册"):
        services.distribution_issue(
            selection=books[0],
            members=[member, leader],
            issued_on=timezone.localdate(),
            by=secretary,
        )
    assert not Distribution.objects.exists()
    services.distribution_issue(
        selection=books[0], members=[member], issued_on=timezone.localdate(), by=secretary
    )
    with pytest.raises(ValidationError, match="都已领过"):
        services.distribution_issue(
            selection=books[0], members=[member], issued_on=timezone.localdate(), by=secretary
        )
    assert AuditEntry.objects.filter(action="发放图书").count() == 1


def test_staff_are_not_handed_books(books, secretary, staff):
    make_purchase(books[0])
    with pytest.raises(ValidationError, match="不是本支部党员"):
        services.distribution_issue(
            selection=books[0], members=[staff], issued_on=timezone.localdate(), by=secretary
        )


def test_the_issue_view_and_the_ledger(secretary_client, books, member, leader):
    make_purchase(books[0])
    url = reverse("reading:distribution_create", args=[books[0].activity_id])
    response = secretary_client.post(
        url, {"selection": books[0].pk, "members": [member.pk], "issued_on": "2011-04-02"}
    )
    assert response.status_code == 302
    d = Distribution.objects.get()
    assert d.issued_by.username == "secretary" and d.confirmed_at is None
    ledger = reverse("reading:distribution_list", args=[books[0].activity_id])
    html = secretary_client.get(ledger + "?show=unconfirmed").content.decode()
    assert member.full_name in html and leader.full_name in html and "待确认" in html


def test_a_member_confirms_receipt_once(member_client, books, member):
    d = make_distribution(books[0], member)
    url = reverse("reading:distribution_confirm", args=[d.pk])
    assert member_client.post(url).status_code == 302
    d.refresh_from_db()
    assert d.confirmed_at is not None
    with pytest.raises(ValidationError, match="已经确认"):
        services.distribution_confirm(distribution=d, by=member)


def test_nobody_confirms_someone_elses_book(leader_client, books, member):
    d = make_distribution(books[0], member)
    assert (
        leader_client.post(reverse("reading:distribution_confirm", args=[d.pk])).status_code == 404
    )
    d.refresh_from_db()
    assert d.confirmed_at is None


def test_the_ledger_lists_who_has_not_received_or_confirmed(secretary_client, branch, secretary):
    activity = make_activity(branch, "read")
    book = select_books(activity, secretary, ("一本书",))[0]
    got, waiting, none = make_members(branch, 3)
    make_distribution(book, got, confirmed_at=timezone.now())
    make_distribution(book, waiting)
    url = reverse("reading:distribution_list", args=[activity.pk])
    html = secretary_client.get(url + "?show=not_issued").content.decode()
    assert none.full_name in html and waiting.full_name not in html and got.full_name not in html
    html = secretary_client.get(url + "?show=unconfirmed").content.decode()
    assert none.full_name in html and waiting.full_name in html and got.full_name not in html


def test_another_branch_cannot_see_the_ledger(leader_client, secretary):
    other = make_activity(make_branch(), "read")
    assert (
        leader_client.get(reverse("reading:distribution_list", args=[other.pk])).status_code == 404
    )


def test_sending_the_same_purchase_form_twice_records_one_purchase(secretary_client, books):
    url = reverse("reading:purchase_create", args=[books[0].activity_id])
    token = secretary_client.get(url).context["request"].once_token
    data = {
        "selection": books[0].pk,
        "quantity": 3,
        "unit_price": "28",
        "supplier": "新华书店",
        "purchased_on": "2011-04-01",
        "_once": token,
    }
    assert secretary_client.post(url, data).status_code == 302
    assert secretary_client.post(url, data).status_code == 302
    assert Purchase.objects.count() == 1
