"""Purchases, the per-person hand-out (发放) and reading progress (phase 2)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.media import ServedImageField
from config.uploads import RandomUploadPath
from members.models import TimeStampedModel, User

from ..rules import moderates, sees_members_progress
from .activity import Selection

CENTS = Decimal("0.01")


def money(value: Decimal | float | int | None) -> Decimal:
    """An amount from the database as Decimal with 2 places (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(CENTS)


class Voidable(models.Model):
    """作废: a record entered by mistake is not deleted. It stays, struck through with its reason,
    and no longer counts (every total asks `.valid()`)."""

    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作废人"),
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class VoidableQuerySet(models.QuerySet):
    def valid(self) -> VoidableQuerySet:
        """The records that count: not 作废."""
        return self.filter(voided_at__isnull=True)


class PurchaseQuerySet(VoidableQuerySet):
    def cost(self) -> Decimal:
        """Sum of quantity × unit price, computed by the database."""
        return money(self.aggregate(n=Sum(Purchase.COST))["n"])


class Purchase(TimeStampedModel, Voidable):
    """采购: copies of a selected book bought from a supplier on a date."""

    # quantity × unit price, for aggregates (the row's own amount is `total`).
    COST = ExpressionWrapper(
        F("quantity") * F("unit_price"), output_field=DecimalField(max_digits=12, decimal_places=2)
    )

    selection = models.ForeignKey(
        Selection, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("书目")
    )
    quantity = models.PositiveIntegerField(_("数量（册）"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("单价（元）"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    supplier = models.CharField(_("供应商"), max_length=100)
    purchased_on = models.DateField(_("采购日期"))
    # Served by reading:purchase_invoice to whoever may see the purchases (config/media.py).
    invoice = ServedImageField(
        _("发票照片"),
        upload_to=RandomUploadPath("reading/invoices"),
        blank=True,
        view_name="reading:purchase_invoice",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    objects = PurchaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("采购记录")
        verbose_name_plural = _("采购记录")
        ordering = ["purchased_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="reading_purchase_void_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="reading_purchase_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="reading_purchase_unit_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.selection} × {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("reading:purchase_list", args=[self.selection.activity_id])

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class Distribution(TimeStampedModel, Voidable):
    """发放: one copy of a selected book handed to one member, who confirms it (已领取). A hand-out
    recorded by mistake is 作废 with a reason; the member may then be given the book again."""

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="distributions", verbose_name=_("书目")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="book_distributions",
        verbose_name=_("领书人"),
    )
    issued_on = models.DateField(_("发放日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经手人"),
    )
    confirmed_at = models.DateTimeField(_("确认领取时间"), null=True, blank=True)

    objects = VoidableQuerySet.as_manager()

    class Meta:
        verbose_name = _("发放记录")
        verbose_name_plural = _("发放记录")
        ordering = ["selection", "member__full_name", "pk"]
        constraints = [
            # One valid hand-out per member and book; voided ones stay beside it.
            models.UniqueConstraint(
                fields=["selection", "member"],
                condition=Q(voided_at__isnull=True),
                name="reading_distribution_one_copy_per_member",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="reading_distribution_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.selection} → {self.member}"

    def get_absolute_url(self) -> str:
        return reverse("reading:distribution_list", args=[self.selection.activity_id])


class ReadingProgressQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ReadingProgressQuerySet:
        """THE rule for progress, used by the progress board, the people list and every count:
        rows of the user's branch; one its member keeps private (只有您本人和支部书记) only for
        that member and the secretary. Leaders see what other members see; staff (群众) see none
        ("其他党员可见" speaks of party members)."""
        mine = self.filter(selection__activity__branch_id=user.branch_id)
        if moderates(user):
            return mine
        if not sees_members_progress(user):
            return mine.filter(member=user)
        return mine.filter(Q(visible_to_members=True) | Q(member=user))


class ReadingProgress(TimeStampedModel):
    """阅读进度: one row per member and book, updated in place. No reading time, no ranking."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开始")
        READING = "reading", _("在读")
        FINISHED = "finished", _("读完")

    selection = models.ForeignKey(
        Selection, on_delete=models.CASCADE, related_name="progress", verbose_name=_("书目")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reading_progress",
        verbose_name=_("党员"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(
        _("已读百分比"), default=0, validators=[MaxValueValidator(100)]
    )
    visible_to_members = models.BooleanField(
        _("其他党员可见"), default=True, help_text=_("不勾选时只有您本人和支部书记能看到进度。")
    )

    objects = ReadingProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("阅读进度")
        verbose_name_plural = _("阅读进度")
        ordering = ["selection", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "member"], name="reading_readingprogress_one_per_member_book"
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="reading_readingprogress_percent_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.selection} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reading:progress_list", args=[self.selection.activity_id])
