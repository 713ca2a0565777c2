"""Serving the staff: feedback (投诉 / 建议 / 表扬) in three identity modes, and the drop box that
keeps 完全匿名 feedback unlinkable to its sender.

How 完全匿名 stays anonymous, even to someone holding the database
-----------------------------------------------------------------
The threat is the one the ballots face (campaign/models/evaluation.py): someone with the database,
a backup or the admin tries to link an item to its sender through columns, hidden and system
columns (rowid, ctid, xmin), physical row order and timestamps, sessions and sign-in logs. So:

* A `Feedback` row has a random UUID key, no user, no address, no session key and no time of day:
  `submitted_on` is a date. It has no created/updated timestamps at all (handlers' actions are
  dated in their own records).
* A 完全匿名 submission is not written into the feedback table when it is sent: that row's place
  (rowid/ctid) and transaction id (xmin) would follow the order of sending, and so the order of
  the senders' sign-ins. It goes into the drop box (`FeedbackDrop`), sealed with AES-GCM under a
  key derived from SECRET_KEY (not in the database), with only its date in clear. When the day is
  over, the day's drops are opened and written out as feedback rows in an order shuffled by the
  CSPRNG, in one transaction that also deletes the drops (campaign.services.feedback.
  feedback_release). What the storage order then tells is the date, which is stored anyway.
  The price: handlers see a 完全匿名 item the day after it was sent; the form says so.
* The sender keeps a receipt code (shown once, never stored in clear, compared through an HMAC
  of it in constant time) to follow the item and rate it; no cookie or session carries it.

实名 and 对外匿名 items name their sender (`sender`) by design and are written at once.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.media import ServedImageField
from config.uploads import RandomUploadPath
from members.models import Branch

from .rectification import Rectification

TEXT_MAX = 2000  # a long complaint is a page; 10,000 characters is a paste gone wrong
NOT_ACCEPTED_DAYS = 3  # an item not 受理 within this many days stands out


class FeedbackQuerySet(models.QuerySet):
    def in_branch(self, branch: Branch) -> FeedbackQuerySet:
        return self.filter(branch=branch)

    def public(self) -> FeedbackQuerySet:
        """Accepted items, on the public board (整改公示)."""
        return self.filter(status__in=Feedback.PUBLIC_STATUSES)

    def with_flags(self, today: dt.date | None = None) -> FeedbackQuerySet:
        """`late_accept` (待受理 longer than NOT_ACCEPTED_DAYS) and `overdue` (its rectification
        item past its deadline and still open), computed by the database."""
        today = today or timezone.localdate()
        return self.annotate(
            late_accept=models.ExpressionWrapper(
                models.Q(
                    status=Feedback.Status.NEW,
                    submitted_on__lt=today - dt.timedelta(days=NOT_ACCEPTED_DAYS),
                ),
                output_field=models.BooleanField(),
            ),
            overdue=models.ExpressionWrapper(
                models.Q(
                    rectification__status__in=Rectification.OPEN_STATUSES,
                    rectification__deadline__lt=today,
                ),
                output_field=models.BooleanField(),
            ),
        )


class Feedback(models.Model):
    """One piece of staff feedback. 待受理 → 已受理 → 整改中 → 已整改(待评价) → 已办结, or 不予采纳
    (with a reason the sender reads), or 重复 (of another item)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("投诉")
        SUGGESTION = "suggestion", _("建议")
        PRAISE = "praise", _("表扬")

    class Category(models.TextChoices):
        CANTEEN = "canteen", _("食堂伙食")
        WELFARE = "welfare", _("福利待遇")
        ENVIRONMENT = "environment", _("工作环境")
        OTHER = "other", _("其他")

    class Identity(models.TextChoices):
        REAL = "real", _("实名")
        HANDLERS = "handlers", _("对外匿名")
        NONE = "none", _("完全匿名")

    class Status(models.TextChoices):
        NEW = "new", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        RECTIFYING = "rectifying", _("整改中")
        FIXED = "fixed", _("已整改（待评价）")
        CLOSED = "closed", _("已办结")
        DECLINED = "declined", _("不予采纳")
        DUPLICATE = "duplicate", _("重复")

    PUBLIC_STATUSES = (Status.ACCEPTED, Status.RECTIFYING, Status.FIXED, Status.CLOSED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("党支部")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    text = models.TextField(_("内容"), max_length=TEXT_MAX)
    # The copy the public board shows: the sender's words, unless the secretary redacted a name.
    public_text = models.TextField(_("公示内容"), max_length=TEXT_MAX, blank=True)
    photo = ServedImageField(
        _("照片"),
        upload_to=RandomUploadPath("feedback"),
        max_length=200,
        view_name="campaign:feedback_photo",
        blank=True,
    )
    identity = models.CharField(_("身份方式"), max_length=10, choices=Identity.choices)
    # 实名 and 对外匿名 only; a 完全匿名 item never has one (a database constraint says so).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="feedback_sent",
        verbose_name=_("提出人"),
        null=True,
        blank=True,
    )
    submitted_on = models.DateField(_("提出日期"))  # a date, never a time: see the module doc
    # 完全匿名 only: HMAC-SHA256 of the receipt code (services.feedback.receipt_digest).
    receipt_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    # The leader responsible for handling it, chosen when it is accepted (受理): with the
    # secretary, the only one who sees the name of a 对外匿名 sender.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="feedback_handled",
        verbose_name=_("负责领导"),
        null=True,
        blank=True,
    )
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    declined_reason = models.CharField(_("不予采纳原因"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
    )
    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("整改事项"),
        null=True,
        blank=True,
    )
    public_reply = models.TextField(_("公开答复"), max_length=TEXT_MAX, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        # By date, then by the random key: within a day the order tells nothing.
        ordering = ["-submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    identity="none", sender__isnull=True, receipt_digest__isnull=False
                )
                | models.Q(identity__in=["real", "handlers"], receipt_digest__isnull=True),
                name="campaign_feedback_identity_consistent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | models.Q(declined_reason__gt=""),
                name="campaign_feedback_declined_has_reason",
            ),
        ]
        indexes = [
            # The handler's list: one branch's items by status, newest first.
            models.Index(fields=["branch", "status", "-submitted_on"], name="feedback_queue_idx"),
            models.Index(fields=["sender", "-submitted_on"], name="feedback_sender_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:feedback_detail", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.identity == self.Identity.NONE

    @property
    def shown_text(self) -> str:
        """What the public board shows."""
        return self.public_text or self.text


class FeedbackDrop(models.Model):
    """完全匿名 feedback sent today, sealed, waiting for the day's shuffled release.

    Only the day is in clear; the rest (kind, category, text, photo, receipt digest) is one
    AES-GCM ciphertext (campaign/sealing.py: seal_drop). Rows are deleted when released."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    # The receipt's digest, so the sender can look the item up before its release.
    receipt_digest = models.CharField(max_length=64, unique=True)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("待送达的完全匿名意见")
        verbose_name_plural = _("待送达的完全匿名意见")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.day}"


class FeedbackNote(models.Model):
    """A handler's internal note on an item (处理记录): only the secretary and the leaders read
    them, never the sender or the board. Dated to the minute: they are the handler's acts."""

    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="notes", verbose_name=_("意见")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )
    text = models.TextField(_("内部备注"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("处理备注")
        verbose_name_plural = _("处理备注")
        ordering = ["feedback", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]


class SatisfactionRating(models.Model):
    """The sender's verdict on an item that reached 已整改: 满意 and 基本满意 close it (已办结),
    不满意 sends it back to 整改中. Every verdict is kept (a reopened item is rated again); the
    rates count each item's latest. No rater is stored: the sender is the item's, or nobody's."""

    class Level(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    SATISFIED_LEVELS = (Level.SATISFIED, Level.BASIC)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    feedback = models.ForeignKey(
        Feedback, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("意见")
    )
    level = models.CharField(_("评价"), max_length=12, choices=Level.choices)
    comment = models.CharField(_("评价说明"), max_length=300, blank=True)
    rated_on = models.DateField(_("评价日期"))
    # 1 for the first verdict, 2 after a reopening, …: the latest counts.
    attempt = models.PositiveSmallIntegerField(_("第几次评价"), default=1)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["feedback", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "attempt"], name="campaign_rating_one_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return self.get_level_display()
