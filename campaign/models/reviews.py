"""领导点评: a leader's or the secretary's comment on a member's (or the branch's) fulfilment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import TimeStampedModel

from .campaigns import Campaign
from .voiding import Voidable, VoidableQuerySet, void_has_reason


class LeaderReviewQuerySet(VoidableQuerySet):
    def for_register(self) -> LeaderReviewQuerySet:
        """点评登记表: every comment with reviewer and subject joined."""
        return self.select_related(
            "reviewer", "subject__department", "campaign__branch", "voided_by"
        ).order_by("-reviewed_on", "-pk")


class LeaderReview(Voidable, TimeStampedModel):
    """A voided comment (作废, with its reason) stays on the register, struck through, and counts
    in no coverage or score."""

    class Rating(models.TextChoices):
        GOOD = "good", _("好")
        FAIRLY_GOOD = "fairly_good", _("较好")
        AVERAGE = "average", _("一般")
        POOR = "poor", _("差")

    SCORES = {Rating.GOOD: 10, Rating.FAIRLY_GOOD: 7, Rating.AVERAGE: 5, Rating.POOR: 2}

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("活动")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews_given",
        verbose_name=_("点评人"),
    )
    # Empty subject: the comment is on the branch (党支部) as a whole.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews_received",
        verbose_name=_("点评对象"),
        null=True,
        blank=True,
    )
    rating = models.CharField(_("评价等次"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("点评意见"))
    reviewed_on = models.DateField(_("点评日期"))

    objects = LeaderReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("领导点评")
        verbose_name_plural = _("领导点评")
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject__isnull=True) | ~models.Q(subject=models.F("reviewer")),
                name="campaign_leaderreview_not_self",
            ),
            void_has_reason("campaign_leaderreview_void_has_reason"),
        ]
        indexes = [
            # Coverage view and "comments on me": one campaign's comments by subject.
            models.Index(fields=["campaign", "subject"], name="campaign_review_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.subject_label}：{self.get_rating_display()}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:review_list")

    @property
    def subject_label(self) -> str:
        return str(self.subject) if self.subject_id else str(_("党支部"))

    @property
    def score(self) -> int:
        return self.SCORES[self.Rating(self.rating)]

    @classmethod
    def score_scale(cls) -> str:
        """The scale in words, from SCORES: "好 10 分、较好 7 分、一般 5 分、差 2 分"."""
        return "、".join(
            _("%(rating)s %(score)d 分") % {"rating": rating.label, "score": score}
            for rating, score in cls.SCORES.items()
        )
