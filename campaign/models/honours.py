"""评选表彰: nominations with their evidence, and the honours awarded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Branch, TimeStampedModel

from .campaigns import Campaign
from .evaluation import EvaluationSubject
from .pledges import Pledge
from .reviews import LeaderReview


class Nomination(TimeStampedModel):
    class Kind(models.TextChoices):
        ADVANCED_ORG = "advanced_org", _("先进基层党组织")
        SIQIANG_ORG = "siqiang_org", _("四强党组织")
        EXCELLENT_MEMBER = "excellent_member", _("优秀共产党员")
        SIYOU_MEMBER = "siyou_member", _("四优共产党员")

    ORG_KINDS = (Kind.ADVANCED_ORG, Kind.SIQIANG_ORG)

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("已提名")
        RECOMMENDED = "recommended", _("支委会已推荐")
        REPORTED = "reported", _("已上报")
        AWARDED = "awarded", _("已表彰")
        NOT_AWARDED = "not_awarded", _("未获表彰")
        WITHDRAWN = "withdrawn", _("已撤回")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("活动")
    )
    kind = models.CharField(_("表彰类别"), max_length=20, choices=Kind.choices)
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("被提名党员"),
        null=True,
        blank=True,
    )
    reason = models.TextField(_("推荐理由"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提名人"),
        null=True,
    )
    recommended_on = models.DateField(_("支委会推荐日期"), null=True, blank=True)
    reported_on = models.DateField(_("上报日期"), null=True, blank=True)
    evidence_pledges = models.ManyToManyField(
        Pledge, related_name="nominations", verbose_name=_("承诺践诺"), blank=True
    )
    evidence_reviews = models.ManyToManyField(
        LeaderReview, related_name="nominations", verbose_name=_("领导点评"), blank=True
    )
    evidence_results = models.ManyToManyField(
        EvaluationSubject, related_name="nominations", verbose_name=_("群众评议结果"), blank=True
    )

    class Meta:
        verbose_name = _("评选推荐")
        verbose_name_plural = _("评选推荐")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["advanced_org", "siqiang_org"], nominee__isnull=True)
                    | (
                        ~models.Q(kind__in=["advanced_org", "siqiang_org"])
                        & models.Q(nominee__isnull=False)
                    )
                ),
                name="campaign_nomination_nominee_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.nominee_label}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:nomination_detail", args=[self.pk])

    @property
    def nominee_label(self) -> str:
        return str(self.nominee) if self.nominee_id else str(self.campaign.branch)


class Honour(TimeStampedModel):
    """An honour awarded (by the 上级党委 or the company), shown on the honours list."""

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="honours", verbose_name=_("党支部")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        related_name="honours",
        verbose_name=_("活动"),
        null=True,
        blank=True,
    )
    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.SET_NULL,
        related_name="honour",
        verbose_name=_("推荐"),
        null=True,
        blank=True,
    )
    title = models.CharField(_("荣誉称号"), max_length=100)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="honours",
        verbose_name=_("获奖党员"),
        null=True,
        blank=True,
    )
    awarded_on = models.DateField(_("表彰日期"))
    awarding_body = models.CharField(_("表彰单位"), max_length=100)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-awarded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient_label} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:honour_list")

    @property
    def recipient_label(self) -> str:
        return str(self.person) if self.person_id else str(self.branch)
