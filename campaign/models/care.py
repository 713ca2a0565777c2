"""关爱慰问: visits to staff (生病住院, 家庭困难, 退休, 节日慰问) and reports that a colleague is in
hospital, so that nobody waits more than a week for a visit.

Health details (the reason's particulars, notes) are for the secretary and the leaders only
(rules: campaign.rules_care); anyone of the branch may report "同事住院" to the secretary.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Branch, TimeStampedModel

VISIT_WITHIN_DAYS = 7  # a reported hospitalization not visited within this many days stands out


class CareVisit(TimeStampedModel):
    class Reason(models.TextChoices):
        HOSPITAL = "hospital", _("生病住院")
        HARDSHIP = "hardship", _("家庭困难")
        RETIREMENT = "retirement", _("退休")
        FESTIVAL = "festival", _("节日慰问")
        OTHER = "other", _("其他")

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="care_visits", verbose_name=_("党支部")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="care_visits",
        verbose_name=_("慰问对象"),
    )
    reason = models.CharField(_("慰问原因"), max_length=12, choices=Reason.choices)
    visited_on = models.DateField(_("慰问日期"))
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="care_visits_made", verbose_name=_("慰问人")
    )
    gifts = models.CharField(_("慰问品"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("慰问金（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Health details and circumstances: the secretary and leaders only.
    notes = models.TextField(_("情况记录"), max_length=2000, blank=True)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
        null=True,
    )

    class Meta:
        verbose_name = _("关爱慰问")
        verbose_name_plural = _("关爱慰问")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="campaign_carevisit_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up_on__isnull=True)
                | models.Q(follow_up_on__gte=models.F("visited_on")),
                name="campaign_carevisit_follow_up_after_visit",
            ),
        ]
        indexes = [models.Index(fields=["branch", "-visited_on"], name="carevisit_list_idx")]

    def __str__(self) -> str:
        return f"{self.person}·{self.get_reason_display()}"


class IllnessReportQuerySet(models.QuerySet):
    def not_visited(self) -> IllnessReportQuerySet:
        return self.filter(visit__isnull=True, closed=False)

    def late(self, today: dt.date | None = None) -> IllnessReportQuerySet:
        """Not visited, reported more than VISIT_WITHIN_DAYS ago."""
        today = today or timezone.localdate()
        return self.not_visited().filter(
            reported_on__lt=today - dt.timedelta(days=VISIT_WITHIN_DAYS)
        )


class IllnessReport(TimeStampedModel):
    """ "同事住院": anyone of the branch tells the secretary that a colleague is in hospital. A
    visit answers it (`visit`); the secretary may also close it with a reason (e.g. 已出院)."""

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="illness_reports", verbose_name=_("党支部")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="illness_reports",
        verbose_name=_("住院同事"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("报告人"),
        null=True,
    )
    reported_on = models.DateField(_("报告日期"))
    hospital = models.CharField(_("医院/病区"), max_length=100, blank=True)
    # Health details: the secretary and leaders only.
    note = models.TextField(_("情况说明"), max_length=2000, blank=True)
    visit = models.ForeignKey(
        CareVisit,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("慰问记录"),
        null=True,
        blank=True,
    )
    closed = models.BooleanField(_("已关闭"), default=False)
    close_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)

    objects = IllnessReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("住院报告")
        verbose_name_plural = _("住院报告")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["branch", "visit", "reported_on"], name="illness_open_idx")]

    def __str__(self) -> str:
        return f"{self.person}·{self.reported_on}"
