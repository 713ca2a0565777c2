"""党员先锋岗 (vanguard posts) with their holders, plaque (挂牌/摘牌) and quarterly stars; 先锋事迹
(deeds) with tags and photos; 增收节支 (revenue and savings) records in yuan.

A post belongs to its branch and outlives campaigns; what a campaign produces on it (reviews,
deeds, saving records) points to the Campaign. Services (campaign/services/vanguard.py) make every
change; the database holds the rules it can (stars 1–5, amount > 0, one open holding, a reason for
摘牌).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.media import ServedImageField
from config.uploads import RandomUploadPath
from members.models import Branch, Department, TimeStampedModel

from .campaigns import Campaign
from .standards import Standard
from .voiding import Voidable, VoidableQuerySet, void_has_reason

# One 增收节支 record is at most this many yuan (just under 1亿元): a typing slip of a few zeros
# (10^12) is refused by the database, not summed into the branch's totals.
MAX_AMOUNT = Decimal("99999999.99")
AMOUNT_DIGITS, AMOUNT_PLACES = 10, 2
# Totals add many records: their output field has room for every record of a large company.
TOTAL_DIGITS = 18


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(year, quarter) of a date."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a quarter."""
    first = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, following - dt.timedelta(days=1)


class VanguardPost(TimeStampedModel):
    """One 党员先锋岗, e.g. 药品配送岗 of the 配送部."""

    class Plaque(models.TextChoices):
        NONE = "none", _("未挂牌")
        HUNG = "hung", _("已挂牌")
        REMOVED = "removed", _("已摘牌")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="vanguard_posts", verbose_name=_("党支部")
    )
    name = models.CharField(_("岗位名称"), max_length=50)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="vanguard_posts", verbose_name=_("部门")
    )
    duties = models.TextField(_("岗位职责"))
    promise = models.TextField(_("服务承诺"))
    plaque = models.CharField(
        _("挂牌状态"), max_length=10, choices=Plaque.choices, default=Plaque.NONE
    )
    # The date of the latest 挂牌 or 摘牌; every one of them is a PlaqueEvent.
    plaque_on = models.DateField(_("挂牌/摘牌日期"), null=True, blank=True)
    removal_reason = models.CharField(_("摘牌原因"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("党员先锋岗")
        verbose_name_plural = _("党员先锋岗")
        ordering = ["branch", "order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="campaign_post_unique_name"),
            models.CheckConstraint(
                condition=models.Q(plaque="removed", removal_reason__gt="")
                | (~models.Q(plaque="removed") & models.Q(removal_reason="")),
                name="campaign_post_removal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(plaque="none", plaque_on__isnull=True)
                | (~models.Q(plaque="none") & models.Q(plaque_on__isnull=False)),
                name="campaign_post_plaque_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign:post_detail", args=[self.pk])

    @property
    def is_hung(self) -> bool:
        return self.plaque == self.Plaque.HUNG


class PostHolderQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> PostHolderQuerySet:
        """Holdings running on `on` (today): started, and not ended before it."""
        on = on or timezone.localdate()
        return self.filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on), starts_on__lte=on
        )


class PostHolder(TimeStampedModel):
    """A member on a post from a date to a date; an ended holding stays as the post's history."""

    post = models.ForeignKey(
        VanguardPost, on_delete=models.CASCADE, related_name="holders", verbose_name=_("先锋岗")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="post_holdings",
        verbose_name=_("党员"),
    )
    starts_on = models.DateField(_("上岗日期"))
    # Empty while the member holds the post.
    ends_on = models.DateField(_("离岗日期"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("安排人"),
        null=True,
    )

    objects = PostHolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("先锋岗党员")
        verbose_name_plural = _("先锋岗党员")
        ordering = ["post", "-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_postholder_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["post", "member"],
                condition=models.Q(ends_on__isnull=True),
                name="campaign_postholder_one_open_per_member",
            ),
        ]
        indexes = [
            # "Posts I hold" (deed form, to-do): one member's holdings.
            models.Index(fields=["member", "post"], name="campaign_holder_member"),
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.member}"

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


class PlaqueEvent(TimeStampedModel):
    """One 挂牌 or 摘牌 of a post: the plaque's history, never changed afterwards."""

    class Action(models.TextChoices):
        HANG = "hang", _("挂牌")
        REMOVE = "remove", _("摘牌")

    post = models.ForeignKey(
        VanguardPost,
        on_delete=models.CASCADE,
        related_name="plaque_events",
        verbose_name=_("先锋岗"),
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    happened_on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
        null=True,
    )

    class Meta:
        verbose_name = _("挂牌记录")
        verbose_name_plural = _("挂牌记录")
        ordering = ["post", "-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action="hang") | models.Q(reason__gt=""),
                name="campaign_plaqueevent_removal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.get_action_display()} · {self.happened_on:%Y-%m-%d}"


class PostReview(TimeStampedModel):
    """The quarterly review of a post: 1–5 stars and a note, judged against the campaign's member
    standards (the 四优 items), each of which may get its own stars (PostReviewScore). The overall
    stars are the secretary's judgement, not an average: an item may weigh more in a quarter."""

    STARS = range(1, 6)

    post = models.ForeignKey(
        VanguardPost, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("先锋岗")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="post_reviews", verbose_name=_("活动")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    stars = models.PositiveSmallIntegerField(_("星级"))
    note = models.TextField(_("评语"), blank=True)
    reviewed_on = models.DateField(_("评定日期"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("评定人"),
        null=True,
    )

    class Meta:
        verbose_name = _("先锋岗季度评星")
        verbose_name_plural = _("先锋岗季度评星")
        ordering = ["post", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "year", "quarter"], name="campaign_postreview_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="campaign_postreview_stars"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="campaign_postreview_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="campaign_postreview_year",
            ),
        ]
        indexes = [
            # Reviews still to fill: one campaign's reviews of a quarter.
            models.Index(fields=["campaign", "year", "quarter"], name="campaign_postreview_q"),
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.period_label} · {self.stars}★"

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url()

    @property
    def period_label(self) -> str:
        return _("%(year)d年第%(quarter)d季度") % {"year": self.year, "quarter": self.quarter}


class PostReviewScore(models.Model):
    """The stars one 四优 item got in a quarterly review."""

    review = models.ForeignKey(
        PostReview, on_delete=models.CASCADE, related_name="scores", verbose_name=_("季度评星")
    )
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="+", verbose_name=_("标准条目")
    )
    stars = models.PositiveSmallIntegerField(_("星级"))

    class Meta:
        verbose_name = _("分项星级")
        verbose_name_plural = _("分项星级")
        ordering = ["review", "standard__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "standard"], name="campaign_postreviewscore_one_per_item"
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5),
                name="campaign_postreviewscore_stars",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} · {self.stars}★"


class DeedQuerySet(models.QuerySet):
    def confirmed(self) -> DeedQuerySet:
        return self.filter(status=Deed.Status.CONFIRMED)

    def publicized(self) -> DeedQuerySet:
        """Deeds the secretary marked 宣传: what staff read."""
        return self.filter(status=Deed.Status.CONFIRMED, publicized=True)

    def tagged(self, tag: str) -> DeedQuerySet:
        return self.filter(tags__tag=tag)


class Deed(TimeStampedModel):
    """先锋事迹: what a member did. A member records deeds on the posts he or she holds (待确认,
    until the secretary confirms them); the secretary records any member's deed, with or without
    a post, confirmed at once. Only a confirmed deed can be marked 宣传."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待确认")
        RETURNED = "returned", _("已退回")
        CONFIRMED = "confirmed", _("已确认")

    class Tag(models.TextChoices):
        URGENT = "urgent", _("急难险重任务")
        PRAISE = "praise", _("客户表扬")
        SERVICE = "service", _("优质服务")
        SAVING = "saving", _("增收节支")
        INNOVATION = "innovation", _("创新创效")
        HELPING = "helping", _("帮扶群众")

    MAX_PHOTOS = 6

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deeds", verbose_name=_("活动")
    )
    post = models.ForeignKey(
        VanguardPost,
        on_delete=models.PROTECT,
        related_name="deeds",
        verbose_name=_("先锋岗"),
        null=True,
        blank=True,
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deeds",
        verbose_name=_("党员"),
    )
    happened_on = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("事迹经过"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    publicized = models.BooleanField(_("宣传"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
        null=True,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("确认人"),
        null=True,
        blank=True,
    )

    objects = DeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("先锋事迹")
        verbose_name_plural = _("先锋事迹")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publicized=False) | models.Q(status="confirmed"),
                name="campaign_deed_publicized_when_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(status="returned", return_reason__gt="")
                | (~models.Q(status="returned") & models.Q(return_reason="")),
                name="campaign_deed_return_has_reason",
            ),
        ]
        indexes = [
            # Deeds list: one campaign's deeds by status, newest first.
            models.Index(
                fields=["campaign", "status", "-happened_on", "-id"], name="campaign_deed_list"
            ),
            # A post's page: its deeds, newest first.
            models.Index(fields=["post", "-happened_on", "-id"], name="campaign_deed_post"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign:deed_detail", args=[self.pk])

    @property
    def tag_labels(self) -> list[str]:
        """The tags in the order of Tag (needs `tags` prefetched for lists)."""
        chosen = {t.tag for t in self.tags.all()}
        return [str(label) for value, label in self.Tag.choices if value in chosen]


class DeedTag(models.Model):
    """One tag of a deed: a row per tag, so that a list filters on it on every database."""

    deed = models.ForeignKey(
        Deed, on_delete=models.CASCADE, related_name="tags", verbose_name=_("先锋事迹")
    )
    tag = models.CharField(_("标签"), max_length=20, choices=Deed.Tag.choices)

    class Meta:
        verbose_name = _("事迹标签")
        verbose_name_plural = _("事迹标签")
        ordering = ["deed", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["deed", "tag"], name="campaign_deedtag_unique"),
        ]
        indexes = [
            # Deeds list filtered by a tag.
            models.Index(fields=["tag", "deed"], name="campaign_deedtag_tag"),
        ]

    def __str__(self) -> str:
        return self.get_tag_display()


class DeedPhoto(TimeStampedModel):
    """A photo of a deed, checked and re-encoded by config/uploads.py, served by
    campaign:deed_photo to whoever may see the deed (config/media.py)."""

    deed = models.ForeignKey(
        Deed, on_delete=models.CASCADE, related_name="photos", verbose_name=_("先锋事迹")
    )
    photo = ServedImageField(
        _("照片"),
        upload_to=RandomUploadPath("deeds"),
        max_length=200,
        view_name="campaign:deed_photo",
    )
    caption = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("事迹照片")
        verbose_name_plural = _("事迹照片")
        ordering = ["deed", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.deed)

    def get_absolute_url(self) -> str:
        return self.deed.get_absolute_url()


class SavingRecord(Voidable, TimeStampedModel):
    """增收节支: one amount of extra revenue (增收) or of savings (节支), of a post or a department.
    A record entered by mistake is voided with its reason (作废), never deleted, and no total
    counts it."""

    class Kind(models.TextChoices):
        INCOME = "income", _("增收")
        SAVING = "saving", _("节支")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="saving_records", verbose_name=_("活动")
    )
    post = models.ForeignKey(
        VanguardPost,
        on_delete=models.PROTECT,
        related_name="saving_records",
        verbose_name=_("先锋岗"),
        null=True,
        blank=True,
    )
    # A post's record carries the post's department of the day, so that department totals are one
    # GROUP BY and a post moved to another department later keeps its history where it was.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="saving_records",
        verbose_name=_("部门"),
        null=True,
        blank=True,
    )
    happened_on = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    item = models.CharField(_("项目"), max_length=100)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES
    )
    basis = models.TextField(_("测算依据"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("核实人"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
        null=True,
    )

    objects = VoidableQuerySet.as_manager()

    class Meta:
        verbose_name = _("增收节支记录")
        verbose_name_plural = _("增收节支记录")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=MAX_AMOUNT),
                name="campaign_savingrecord_amount_range",
            ),
            models.CheckConstraint(
                condition=models.Q(post__isnull=False) | models.Q(department__isnull=False),
                name="campaign_savingrecord_post_or_department",
            ),
            void_has_reason("campaign_savingrecord_void_has_reason"),
        ]
        indexes = [
            # Summary page: one campaign's records by date (quarters, the list).
            models.Index(
                fields=["campaign", "-happened_on", "-id"], name="campaign_saving_campaign"
            ),
            # A post's totals (correlated sums on the posts list).
            models.Index(fields=["post", "kind"], name="campaign_saving_post"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.item} · {self.amount} 元"

    def get_absolute_url(self) -> str:
        return reverse("campaign:saving_list")
