"""领导班子: decisions taken under democratic centralism (Decision) and integrity records
(IntegrityRecord: 《廉政准则》/《若干规定》 study sessions, pledges signed). Each leader's
一岗双责 is members.models.Responsibility; it is not repeated here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Branch, TimeStampedModel


class Decision(TimeStampedModel):
    """One decision of the leadership team: what was proposed, discussed and resolved, and how."""

    class Method(models.TextChoices):
        SHOW_OF_HANDS = "show_of_hands", _("举手表决")
        SECRET_BALLOT = "secret_ballot", _("无记名投票")
        ROLL_CALL = "roll_call", _("记名投票")
        CONSENSUS = "consensus", _("会议协商一致")

    VOTING_METHODS = (Method.SHOW_OF_HANDS, Method.SECRET_BALLOT, Method.ROLL_CALL)

    branch = models.ForeignKey(
        Branch, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("党支部")
    )
    decided_on = models.DateField(_("会议日期"))
    meeting = models.CharField(_("会议名称"), max_length=50, blank=True)
    topic = models.CharField(_("议题"), max_length=100)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="decisions_attended",
        verbose_name=_("参会人员"),
    )
    proposal = models.TextField(_("提议"))
    discussion = models.TextField(_("讨论情况"))
    resolution = models.TextField(_("决定事项"))
    method = models.CharField(_("决策方式"), max_length=15, choices=Method.choices)
    # Vote counts, where the team voted (and someone counted); empty for 会议协商一致.
    votes_for = models.PositiveSmallIntegerField(_("赞成票"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对票"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("弃权票"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
        null=True,
    )

    class Meta:
        verbose_name = _("班子决策")
        verbose_name_plural = _("班子决策")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(method="consensus")
                | models.Q(
                    votes_for__isnull=True, votes_against__isnull=True, abstentions__isnull=True
                ),
                name="campaign_decision_no_votes_on_consensus",
            ),
            # Counted votes are all three or none.
            models.CheckConstraint(
                condition=models.Q(
                    votes_for__isnull=True, votes_against__isnull=True, abstentions__isnull=True
                )
                | models.Q(
                    votes_for__isnull=False,
                    votes_against__isnull=False,
                    abstentions__isnull=False,
                ),
                name="campaign_decision_votes_complete",
            ),
        ]
        indexes = [
            # Decision list: one branch's decisions, newest first.
            models.Index(fields=["branch", "-decided_on", "-id"], name="campaign_decision_list"),
        ]

    def __str__(self) -> str:
        return f"{self.decided_on:%Y-%m-%d} · {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:decision_detail", args=[self.pk])


class IntegrityRecord(TimeStampedModel):
    """廉洁自律: a study session of 《廉政准则》 or 《若干规定》, a pledge the leaders signed,
    a talk."""

    class Kind(models.TextChoices):
        STUDY = "study", _("学习《廉政准则》《若干规定》")
        PLEDGE = "pledge", _("签订廉洁自律承诺书")
        TALK = "talk", _("廉政谈话")
        OTHER = "other", _("其他")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="integrity_records",
        verbose_name=_("党支部"),
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("主题"), max_length=100)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="integrity_records",
        verbose_name=_("参加人员"),
    )
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("记录人"),
        null=True,
    )

    class Meta:
        verbose_name = _("廉洁自律记录")
        verbose_name_plural = _("廉洁自律记录")
        ordering = ["-held_on", "-pk"]
        indexes = [
            # Integrity list: one branch's records, newest first.
            models.Index(fields=["branch", "-held_on", "-id"], name="campaign_integrity_list"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaign:integrity_list")
