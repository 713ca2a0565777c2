"""查找问题 → 整改: problems found (Problem), the rectification items (Rectification) they become,
and each item's measures (Measure).

A Rectification knows nothing of where it came from: its origins point to it (Problem.rectification
now; staff feedback later, several items to one rectification), so one model serves both. It has a
public face (PUBLIC_FIELDS, `public_face()`: title, public description, measures, percent done,
dates, status, the reason when it is 不予整改) that staff and the public board read, and internal
fields (internal note, evidence) only the secretary, the leaders and the responsible leader read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.media import ServedImageField
from config.queries import count_of
from config.uploads import RandomUploadPath
from members.models import Branch, TimeStampedModel

from .campaigns import Campaign


class RectificationQuerySet(models.QuerySet):
    def in_branch(self, branch: Branch) -> RectificationQuerySet:
        return self.filter(branch=branch)

    def open(self) -> RectificationQuerySet:
        return self.filter(status__in=Rectification.OPEN_STATUSES)

    def overdue(self, today: dt.date | None = None) -> RectificationQuerySet:
        return self.filter(
            status__in=Rectification.OPEN_STATUSES, deadline__lt=today or timezone.localdate()
        )

    def with_overdue(self, today: dt.date | None = None) -> RectificationQuerySet:
        """`overdue` (a boolean column a list sorts or marks by), computed by the database."""
        return self.annotate(
            overdue=models.ExpressionWrapper(
                models.Q(
                    status__in=Rectification.OPEN_STATUSES,
                    deadline__lt=today or timezone.localdate(),
                ),
                output_field=models.BooleanField(),
            )
        )

    def with_progress(self) -> RectificationQuerySet:
        """`n_measures`, `avg_percent` and `min_percent` (0 without measures), as correlated
        subqueries on the measures' rectification index: computed for the page's rows only."""
        measures = Measure.objects.filter(rectification=models.OuterRef("pk")).order_by()

        def of(aggregate: type[models.Aggregate]) -> Coalesce:
            value = measures.values("rectification").annotate(v=aggregate("percent")).values("v")
            return Coalesce(
                models.Subquery(value, output_field=models.FloatField()),
                models.Value(0.0),
                output_field=models.FloatField(),
            )

        return self.annotate(
            n_measures=count_of(measures, group="rectification"),
            avg_percent=of(models.Avg),
            min_percent=of(models.Min),
        )

    def for_public(self, today: dt.date | None = None) -> RectificationQuerySet:
        """The public face only: internal fields are not even read from the database."""
        return (
            self.only(*Rectification.PUBLIC_FIELDS)
            .with_progress()
            .with_overdue(today)
            .prefetch_related(
                models.Prefetch("measures", queryset=Measure.objects.only(*Measure.PUBLIC_FIELDS))
            )
        )


class Rectification(TimeStampedModel):
    """整改事项: 待整改 → 整改中 → 已整改 → 已验收, or 不予整改 (with a reason everyone reads).

    已整改 can go back to 整改中 (验收不通过; for feedback: the sender is not satisfied)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待整改")
        IN_PROGRESS = "in_progress", _("整改中")
        FIXED = "fixed", _("已整改")
        ACCEPTED = "accepted", _("已验收")
        DECLINED = "declined", _("不予整改")

    # The work is still to do: what can be overdue. An item 已整改 waits for the secretary's
    # 验收; its responsible leader is not late.
    OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS)
    # Statistics: a fixed item is 已整改 or 已验收; a 不予整改 item is closed but not fixed.
    FIXED_STATUSES = (Status.FIXED, Status.ACCEPTED)
    CLOSED_STATUSES = (Status.ACCEPTED, Status.DECLINED)
    # What staff and the public board see (with the measures' MEASURE_PUBLIC_FIELDS).
    PUBLIC_FIELDS = (
        "branch",
        "campaign",
        "title",
        "public_description",
        "opened_on",
        "deadline",
        "status",
        "fixed_on",
        "accepted_on",
        "declined_on",
        "decline_reason",
    )

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="rectifications", verbose_name=_("党支部")
    )
    # The campaign in which the item was opened (empty for one opened outside a campaign).
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        related_name="rectifications",
        verbose_name=_("活动"),
        null=True,
        blank=True,
    )
    title = models.CharField(_("整改事项"), max_length=100)
    public_description = models.TextField(_("整改事项说明"))
    internal_note = models.TextField(_("内部备注"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("责任领导"),
    )
    opened_on = models.DateField(_("立项日期"))
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    fixed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("验收人"),
        null=True,
        blank=True,
    )
    declined_on = models.DateField(_("不予整改日期"), null=True, blank=True)
    decline_reason = models.CharField(_("不予整改原因"), max_length=300, blank=True)
    # Why the item went back from 已整改 to 整改中 the last time (验收不通过, not satisfied).
    reopen_reason = models.CharField(_("重新整改原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("立项人"),
        null=True,
    )

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("opened_on")),
                name="campaign_rectification_deadline_after_open",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status="declined", decline_reason__gt="", declined_on__isnull=False
                )
                | (
                    ~models.Q(status="declined")
                    & models.Q(decline_reason="", declined_on__isnull=True)
                ),
                name="campaign_rectification_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["fixed", "accepted"])
                | models.Q(fixed_on__isnull=False),
                name="campaign_rectification_fixed_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(status="accepted", accepted_on__isnull=False)
                | (~models.Q(status="accepted") & models.Q(accepted_on__isnull=True)),
                name="campaign_rectification_accepted_dated",
            ),
        ]
        indexes = [
            # Rectification list: one branch's items by status and deadline (overdue first).
            models.Index(fields=["branch", "status", "deadline", "id"], name="campaign_rect_list"),
            # "My rectification items" (the responsible leader's to-do).
            models.Index(fields=["responsible", "status"], name="campaign_rect_responsible"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign:rectification_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_fixed(self) -> bool:
        return self.status in self.FIXED_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Deadline passed with the work not done (the `overdue` annotation when the row has it)."""
        annotated = getattr(self, "overdue", None)
        if annotated is not None:
            return bool(annotated)
        return self.is_open and self.deadline < timezone.localdate()

    def public_face(self) -> PublicRectification:
        """What staff and the public board may read, and nothing else (no internal note, no
        evidence, no owner of a measure). Lists: from `for_public()`, which prefetches the
        measures' public fields and annotates the progress."""
        measures = tuple(
            PublicMeasure(
                content=m.content,
                deadline=m.deadline,
                percent=m.percent,
                completed_on=m.completed_on,
            )
            for m in self.measures.all()
        )
        percent = getattr(self, "avg_percent", None)
        if percent is None:
            percent = round(sum(m.percent for m in measures) / len(measures)) if measures else 0
        return PublicRectification(
            pk=self.pk,
            title=self.title,
            description=self.public_description,
            status=self.status,
            status_label=str(self.get_status_display()),
            opened_on=self.opened_on,
            deadline=self.deadline,
            fixed_on=self.fixed_on,
            accepted_on=self.accepted_on,
            declined_on=self.declined_on,
            decline_reason=self.decline_reason,
            percent=round(percent),
            is_overdue=self.is_overdue,
            measures=measures,
        )


@dataclass(frozen=True)
class PublicMeasure:
    content: str
    deadline: dt.date
    percent: int
    completed_on: dt.date | None


@dataclass(frozen=True)
class PublicRectification:
    """The public face of a rectification item: a plain value a template cannot dig through."""

    pk: int
    title: str
    description: str
    status: str
    status_label: str
    opened_on: dt.date
    deadline: dt.date
    fixed_on: dt.date | None
    accepted_on: dt.date | None
    declined_on: dt.date | None
    decline_reason: str
    percent: int
    is_overdue: bool
    measures: tuple[PublicMeasure, ...]


class MeasureQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None) -> MeasureQuerySet:
        """Measures past their deadline, not done, on an item whose work is still open."""
        return self.filter(
            deadline__lt=today or timezone.localdate(),
            percent__lt=100,
            rectification__status__in=Rectification.OPEN_STATUSES,
        )


class Measure(TimeStampedModel):
    """整改措施: what is done, by whom, by when, how far (percent), with evidence."""

    PUBLIC_FIELDS = ("rectification", "content", "deadline", "percent", "completed_on", "order")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="measures", verbose_name=_("整改事项")
    )
    content = models.CharField(_("整改措施"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("责任人"),
    )
    deadline = models.DateField(_("完成时限"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0)
    # Set when the measure reaches 100 %, cleared if it goes back.
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence_note = models.TextField(_("佐证说明"), blank=True)
    # Served by campaign:measure_photo to whoever may see the item's internal view.
    evidence_photo = ServedImageField(
        _("佐证照片"),
        upload_to=RandomUploadPath("measures"),
        blank=True,
        max_length=200,
        view_name="campaign:measure_photo",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering = ["rectification", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="campaign_measure_percent_range",
            ),
            models.CheckConstraint(
                condition=models.Q(percent=100, completed_on__isnull=False)
                | (models.Q(percent__lt=100) & models.Q(completed_on__isnull=True)),
                name="campaign_measure_completed_when_done",
            ),
        ]
        indexes = [
            # Measures due (the to-do of a measure's owner and of the responsible leader).
            models.Index(fields=["owner", "deadline"], name="campaign_measure_owner"),
        ]

    def __str__(self) -> str:
        return self.content

    def get_absolute_url(self) -> str:
        return self.rectification.get_absolute_url()

    @property
    def is_done(self) -> bool:
        return self.percent >= 100

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_done
            and self.deadline < timezone.localdate()
            and self.rectification.status in Rectification.OPEN_STATUSES
        )


class ProblemQuerySet(models.QuerySet):
    def without_rectification(self) -> ProblemQuerySet:
        return self.filter(rectification__isnull=True)


class Problem(TimeStampedModel):
    """查找问题: a problem found in the campaign, by its source and area. It becomes (or joins) a
    rectification item; several problems may share one."""

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", _("自查")
        MASSES = "masses", _("群众意见")
        INSPECTION = "inspection", _("上级检查")
        STRATEGY = "strategy", _("对照集团战略")

    class Area(models.TextChoices):
        MANAGEMENT = "management", _("经营管理")
        PARTY = "party", _("党建工作")
        SERVICE = "service", _("服务群众")
        CONDUCT = "conduct", _("作风建设")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="problems", verbose_name=_("活动")
    )
    source = models.CharField(_("问题来源"), max_length=12, choices=Source.choices)
    area = models.CharField(_("问题方面"), max_length=12, choices=Area.choices)
    title = models.CharField(_("问题概述"), max_length=100)
    description = models.TextField(_("问题描述"))
    found_on = models.DateField(_("查找日期"))
    # RESTRICT: an item with origins is not deleted on its own (a branch's cascade still works).
    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.RESTRICT,
        related_name="problems",
        verbose_name=_("整改事项"),
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
        null=True,
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("查找问题")
        verbose_name_plural = _("查找问题")
        ordering = ["-found_on", "-pk"]
        indexes = [
            # Problems list: one campaign's problems, newest first.
            models.Index(fields=["campaign", "-found_on", "-id"], name="campaign_problem_list"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaign:problem_detail", args=[self.pk])
