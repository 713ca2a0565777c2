"""公开承诺 (Pledge) per standard item, and 践诺 progress entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.media import ServedImageField
from config.queries import count_of
from config.uploads import RandomUploadPath
from members.models import Role, TimeStampedModel, User

from .campaigns import Campaign
from .standards import Standard, StandardSet
from .voiding import Voidable, VoidableQuerySet, void_has_reason


class PledgeQuerySet(models.QuerySet):
    def published(self) -> PledgeQuerySet:
        return self.filter(status__in=Pledge.PUBLIC_STATUSES)

    def for_wall(self) -> PledgeQuerySet:
        """The pledge wall: published pledges with owner, department, roles and standard joined."""
        return (
            self.published()
            .select_related("owner__department", "standard__standard_set", "campaign__branch")
            .prefetch_related("owner__groups")
            .annotate(
                # A correlated count on the progress table's pledge index: counting over a join
                # grouped every published pledge of the campaign on each request (29 ms of 2,000).
                progress_count=count_of(
                    PledgeProgress.objects.filter(pledge=models.OuterRef("pk")).valid(),
                    group="pledge",
                ),
                # The branch's pledges first, then the leadership team's, then the members'.
                scope_order=models.Case(
                    models.When(scope="branch", then=models.Value(0)),
                    models.When(scope="team", then=models.Value(1)),
                    default=models.Value(2),
                ),
            )
            .order_by(
                "scope_order", "owner__department__order", "owner__full_name", "standard__order"
            )
        )


class Pledge(TimeStampedModel):
    """One 公开承诺 on one standard item, by the branch, the leadership team or one member."""

    Scope = StandardSet.AppliesTo

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审核")
        PUBLISHED = "published", _("已亮诺")
        JUDGED = "judged", _("已评定")

    class Verdict(models.TextChoices):
        FULFILLED = "fulfilled", _("已兑现")
        PARTLY = "partly", _("部分兑现")
        UNFULFILLED = "unfulfilled", _("未兑现")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.JUDGED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("活动")
    )
    scope = models.CharField(_("承诺主体"), max_length=10, choices=Scope.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("承诺人"),
        null=True,
        blank=True,
    )
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("标准条目")
    )
    goal = models.CharField(_("争创目标"), max_length=200)
    tasks = models.TextField(_("争创事项"))
    measures = models.TextField(_("争创措施"))
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
        null=True,
        blank=True,
    )
    published_on = models.DateField(_("亮诺日期"), null=True, blank=True)
    verdict = models.CharField(_("兑现情况"), max_length=12, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(_("评定说明"), blank=True)
    judged_on = models.DateField(_("评定日期"), null=True, blank=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["campaign", "scope", "owner__full_name", "standard__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope="member") & models.Q(owner__isnull=False))
                | (~models.Q(scope="member") & models.Q(owner__isnull=True)),
                name="campaign_pledge_owner_matches_scope",
            ),
            models.UniqueConstraint(
                fields=["campaign", "owner", "standard"],
                condition=models.Q(owner__isnull=False),
                name="campaign_pledge_one_per_member_item",
            ),
            models.UniqueConstraint(
                fields=["campaign", "scope", "standard"],
                condition=models.Q(owner__isnull=True),
                name="campaign_pledge_one_per_branch_item",
            ),
            models.CheckConstraint(
                condition=models.Q(status="judged", verdict__gt="")
                | (~models.Q(status="judged") & models.Q(verdict="")),
                name="campaign_pledge_verdict_when_judged",
            ),
        ]
        indexes = [
            # Pledge wall and review queue: one campaign's pledges by status.
            models.Index(fields=["campaign", "status"], name="campaign_pledge_status"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_label} · {self.standard}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:pledge_detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return str(self.owner)
        return str(self.Scope(self.scope).label)

    @property
    def is_by_leader(self) -> bool:
        """Leaders' pledges are marked on the wall (needs owner__groups prefetched for lists)."""
        return self.owner is not None and self.owner.is_leader

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def takes_progress(self) -> bool:
        """践诺 is recorded between 亮诺 and 评定."""
        return self.status == self.Status.PUBLISHED

    def may_edit(self, user: User) -> bool:
        """Who writes and keeps this pledge (status aside, see `is_editable`): a member his or her
        own, the secretary the branch's, the leaders (and the secretary) the leadership team's."""
        return self.may_write(self.scope, user, owner_id=self.owner_id)

    @classmethod
    def may_write(cls, scope: str, user: User, *, owner_id: int | None = None) -> bool:
        """Whether `user` writes pledges of this scope (a member's: only his or her own)."""
        if scope == cls.Scope.MEMBER:
            return owner_id == user.pk
        if scope == cls.Scope.TEAM:
            return user.is_secretary or user.has_role(Role.LEADER)
        return user.is_secretary

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.deadline < timezone.localdate()


class PledgeProgress(Voidable, TimeStampedModel):
    """践诺: what was done on a date to keep a published pledge. A voided entry (作废, with its
    reason) stays on the pledge's page, struck through, and is not counted."""

    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, related_name="progress", verbose_name=_("承诺")
    )
    happened_on = models.DateField(_("日期"))
    content = models.TextField(_("践诺情况"))
    # Served by campaign:progress_photo to whoever may see the pledge (config/media.py).
    photo = ServedImageField(
        _("照片"),
        upload_to=RandomUploadPath("pledges"),
        blank=True,
        max_length=200,
        view_name="campaign:progress_photo",
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
        verbose_name = _("践诺记录")
        verbose_name_plural = _("践诺记录")
        ordering = ["-happened_on", "-pk"]
        constraints = [void_has_reason("campaign_pledgeprogress_void_has_reason")]

    def __str__(self) -> str:
        return f"{self.pledge} · {self.happened_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return self.pledge.get_absolute_url()
