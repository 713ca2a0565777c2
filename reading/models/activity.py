"""The reading activity and its phase 1: recommendations, seconds (附议) and the selection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from members.models import Branch, TimeStampedModel


class ReadingActivityQuerySet(models.QuerySet):
    def in_branch(self, branch: Branch | None) -> ReadingActivityQuerySet:
        return self.filter(branch=branch)

    def current_for(
        self, branch: Branch | None, today: dt.date | None = None
    ) -> ReadingActivity | None:
        """The activity a home page talks about: running today (the one furthest along when a
        second one has started already), else the next one, else the last."""
        live = self.live_for(branch, today)
        return live[0] if live else None

    def live_for(
        self, branch: Branch | None, today: dt.date | None = None
    ) -> list[ReadingActivity]:
        """Every activity running today, the one furthest along first; when none is running, the
        next one, else the last one (a list of one), else nothing."""
        today = today or timezone.localdate()
        mine = self.in_branch(branch)
        running = list(self.running_for(branch, today))
        if running:
            return running
        upcoming = mine.filter(recommend_start__gt=today).order_by("recommend_start", "pk")
        other = upcoming.first() or mine.order_by("-discuss_end", "-pk").first()
        return [other] if other else []

    def running_for(
        self, branch: Branch | None, today: dt.date | None = None
    ) -> ReadingActivityQuerySet:
        """Activities whose dates contain today, the one furthest along first."""
        today = today or timezone.localdate()
        return (
            self.in_branch(branch)
            .filter(recommend_start__lte=today, discuss_end__gte=today)
            .order_by("recommend_start", "pk")
        )

    def forum_for(
        self, branch: Branch | None, today: dt.date | None = None
    ) -> ReadingActivity | None:
        """The nav's 读书论坛: the activity whose forum is open today, else the last one that had
        its forum open, else the current activity (whose forum opens later)."""
        today = today or timezone.localdate()
        mine = self.in_branch(branch)
        return mine.filter(discuss_start__lte=today).order_by(
            "-discuss_start", "-pk"
        ).first() or self.current_for(branch, today)


class ReadingActivity(TimeStampedModel):
    """读书活动: three dated phases (推荐 / 阅读 / 交流), a number of books to pick and a budget."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("尚未开始")
        RECOMMEND = "recommend", _("第一阶段：推荐好书")
        READ = "read", _("第二阶段：读好书")
        DISCUSS = "discuss", _("第三阶段：交流读后感")
        FINISHED = "finished", _("已结束")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="reading_activities",
        verbose_name=_("党支部"),
    )
    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动说明"), blank=True)
    recommend_start = models.DateField(_("推荐阶段开始"))
    recommend_end = models.DateField(_("推荐阶段结束"))
    read_start = models.DateField(_("阅读阶段开始"))
    read_end = models.DateField(_("阅读阶段结束"))
    discuss_start = models.DateField(_("交流阶段开始"))
    discuss_end = models.DateField(_("交流阶段结束"))
    books_to_pick = models.PositiveSmallIntegerField(
        _("选定书目数"), default=2, validators=[MinValueValidator(1)]
    )
    budget = models.DecimalField(
        _("购书预算（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # The selection (支委会决定): set once by activity_select_books, which closes phase 1.
    decision_note = models.TextField(_("支委会决定"), blank=True)
    selected_at = models.DateTimeField(_("选定时间"), null=True, blank=True)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("选定人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )

    objects = ReadingActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("读书活动")
        verbose_name_plural = _("读书活动")
        ordering = ["-recommend_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recommend_end__gte=F("recommend_start")),
                name="reading_readingactivity_recommend_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(read_start__gt=F("recommend_end")),
                name="reading_readingactivity_read_after_recommend",
            ),
            models.CheckConstraint(
                condition=Q(read_end__gte=F("read_start")),
                name="reading_readingactivity_read_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(discuss_start__gt=F("read_end")),
                name="reading_readingactivity_discuss_after_read",
            ),
            models.CheckConstraint(
                condition=Q(discuss_end__gte=F("discuss_start")),
                name="reading_readingactivity_discuss_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(books_to_pick__gte=1),
                name="reading_readingactivity_books_to_pick_positive",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="reading_readingactivity_budget_not_negative"
            ),
        ]
        indexes = [
            # Home panel and activity list: one branch's activities by date.
            models.Index(
                fields=["branch", "recommend_start"], name="reading_activity_branch_start"
            ),
        ]
        permissions = [
            ("view_reading", _("阅读读书论坛")),
            ("comment_reading", _("评论和点赞读后感")),
            ("participate_reading", _("推荐书目、附议、登记阅读进度、发表读后感")),
            ("view_reading_summary", _("查看读书活动统计、采购与发放台账")),
            ("manage_reading", _("组织读书活动：选定书目、采购、发放、精华与隐藏")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reading:activity_detail", args=[self.pk])

    def phase_on(self, day: dt.date) -> str:
        """The phase by its dates alone: choosing the books early closes recommending (see
        `recommending_open`) but the badge keeps saying 第一阶段 until the dates move on."""
        if day < self.recommend_start:
            return self.Phase.UPCOMING
        if day <= self.recommend_end:
            return self.Phase.RECOMMEND
        if day < self.discuss_start:
            return self.Phase.READ
        if day <= self.discuss_end:
            return self.Phase.DISCUSS
        return self.Phase.FINISHED

    @cached_property
    def phase(self) -> str:
        return self.phase_on(timezone.localdate())

    @property
    def phase_label(self) -> str:
        return str(self.Phase(self.phase).label)

    @property
    def is_selected(self) -> bool:
        return self.selected_at is not None

    @property
    def recommending_open(self) -> bool:
        return self.phase == self.Phase.RECOMMEND and not self.is_selected

    @property
    def books_chosen_or_due(self) -> bool:
        """The books are chosen, or recommending is over: hand-outs and their confirmations."""
        return self.is_selected or self.phase not in (self.Phase.UPCOMING, self.Phase.RECOMMEND)


class Recommendation(TimeStampedModel):
    """推荐书目: one per member per activity, editable until phase 1 closes."""

    activity = models.ForeignKey(
        ReadingActivity,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("读书活动"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="book_recommendations",
        verbose_name=_("推荐人"),
    )
    title = models.CharField(_("书名"), max_length=100)
    author = models.CharField(_("作者"), max_length=100)
    publisher = models.CharField(_("出版社"), max_length=100)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    reason = models.TextField(_("推荐理由"))

    class Meta:
        verbose_name = _("推荐书目")
        verbose_name_plural = _("推荐书目")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="reading_recommendation_one_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.display_title}》（{self.author}）"

    @property
    def display_title(self) -> str:
        """The title without the 《》 people sometimes type around it (stored as written)."""
        return self.title.strip().strip("《》〈〉 ").strip()

    def get_absolute_url(self) -> str:
        # The book alone, with every recommendation of it: the tally shows a few per book.
        tally = reverse("reading:recommendation_list", args=[self.activity_id])
        return f"{tally}?book={self.pk}#rec-{self.pk}"


class Endorsement(models.Model):
    """附议: a member seconds someone else's recommendation; at most 3 per member and activity."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("推荐书目"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="book_endorsements",
        verbose_name=_("附议人"),
    )
    created_at = models.DateTimeField(_("附议时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "member"], name="reading_endorsement_once_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} 附议 {self.recommendation}"


class Selection(TimeStampedModel):
    """选定书目: a book the branch committee picked, with the recommendation it came from."""

    activity = models.ForeignKey(
        ReadingActivity,
        on_delete=models.CASCADE,
        related_name="selections",
        verbose_name=_("读书活动"),
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来自推荐"),
    )
    title = models.CharField(_("书名"), max_length=100)
    author = models.CharField(_("作者"), max_length=100)
    publisher = models.CharField(_("出版社"), max_length=100, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("选定书目")
        verbose_name_plural = _("选定书目")
        ordering = ["activity", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "title"], name="reading_selection_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title.strip('《》 ')}》"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
