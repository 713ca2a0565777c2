"""The campaign (创先争优活动) and its phases (阶段)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Branch, TimeStampedModel

from .standards import StandardSet


class CampaignQuerySet(models.QuerySet):
    def in_branch(self, branch: Branch | None) -> CampaignQuerySet:
        return self.filter(branch=branch)

    def active(self) -> CampaignQuerySet:
        return self.filter(status=Campaign.Status.ACTIVE)


class Campaign(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNING = "planning", _("筹备中")
        ACTIVE = "active", _("进行中")
        FINISHED = "finished", _("已结束")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("党支部")
    )
    name = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNING
    )
    current_phase = models.ForeignKey(
        "Phase",
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("当前阶段"),
        null=True,
        blank=True,
    )
    branch_standards = models.ForeignKey(
        StandardSet,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("党组织标准"),
        null=True,
        blank=True,
    )
    member_standards = models.ForeignKey(
        StandardSet,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("党员标准"),
        null=True,
        blank=True,
    )
    team_standards = models.ForeignKey(
        StandardSet,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("领导班子标准"),
        null=True,
        blank=True,
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("创先争优活动")
        verbose_name_plural = _("创先争优活动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="campaign_campaign_ends_after_start",
            ),
            # The home page, pledges and rounds all hang off "the" running campaign of a branch.
            models.UniqueConstraint(
                fields=["branch"],
                condition=models.Q(status="active"),
                name="campaign_campaign_one_active_per_branch",
            ),
        ]
        permissions = [
            ("manage_campaign", _("管理创先争优活动、标准、群众评议和评选表彰")),
            ("make_pledge", _("作出公开承诺")),
            ("review_members", _("领导点评")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign:campaign_detail", args=[self.pk])

    def standards_for(self, scope: str) -> StandardSet | None:
        return {
            StandardSet.AppliesTo.BRANCH: self.branch_standards,
            StandardSet.AppliesTo.MEMBER: self.member_standards,
            StandardSet.AppliesTo.TEAM: self.team_standards,
        }.get(scope)


class Phase(TimeStampedModel):
    """A dated stage of a campaign. `kind` lets the home panel say what is expected now."""

    class Kind(models.TextChoices):
        MOBILIZE = "mobilize", _("动员部署")
        COMPETE = "compete", _("全面争创")
        RECTIFY = "rectify", _("整改提升")
        COMMEND = "commend", _("总结表彰")
        OTHER = "other", _("其他")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("活动")
    )
    name = models.CharField(_("阶段名称"), max_length=50)
    kind = models.CharField(_("阶段类型"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    guidance = models.TextField(_("本阶段要求"), blank=True)

    class Meta:
        verbose_name = _("活动阶段")
        verbose_name_plural = _("活动阶段")
        ordering = ["campaign", "order", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_phase_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["campaign", "order"], name="campaign_phase_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.campaign.get_absolute_url()
