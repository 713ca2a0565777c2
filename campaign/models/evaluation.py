"""群众评议: rounds, their items and subjects, anonymous ballots and the separate turnout record.

How a ballot stays anonymous, even to someone holding the database
------------------------------------------------------------------
The threat: someone with the database file, a backup, or a database superuser session tries to
link a ballot to its voter, not only through columns that name a person but through hidden and
system columns (SQLite's rowid, PostgreSQL's ctid and xmin), physical row order, ids, timestamps,
sessions and sign-in logs. The design:

* While a round is open there are no ballots. A vote is sealed onto the voter's own turnout row
  (`EvaluationTurnout.sealed`, see campaign/sealing.py): AES-GCM under a key derived from the
  server's SECRET_KEY, which is not in the database. A copy of the database shows who has voted
  and a ciphertext of constant length, nothing else. The voter can change the vote from any
  device until the round closes, because the server can open his or her own sealed row; no
  token or cookie is involved, so a shared office computer gives the next person nothing.
* Closing the round (services.evaluation.round_close) opens every sealed vote, writes all the
  ballots and their marks in one transaction in an order shuffled by the operating system's
  CSPRNG, erases every sealed value of the round in the same transaction, and tallies. So every
  ballot of a round has the same PostgreSQL xmin (shared with every turnout row of the round, so
  it joins nothing), and its rowid/ctid is a random position. SQLite runs with secure_delete, and
  the WAL is checkpointed and truncated after closing, so erased ciphertexts leave no copy in
  the file; on PostgreSQL the turnout table is vacuumed after closing.
* `Ballot` and `BallotMark` carry no evaluator, no date or time, and random UUID keys.
* `EvaluationTurnout` knows (round, evaluator, subject, has_voted, sealed); all its rows are
  created when the round opens.

What remains visible: who has voted on whom (turnout counts), and when a person last signed in.
What is outside an app's reach: someone who holds the server's SECRET_KEY and a copy of the
database taken while the round was open can open the sealed votes, and someone watching the
database server live, statement by statement, sees each vote arrive. README "群众评议的匿名性".
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import TimeStampedModel

from .campaigns import Campaign

LEVEL_ORDER = ("satisfied", "fairly_satisfied", "basically_satisfied", "dissatisfied")


class EvaluationRound(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("未开始")
        OPEN = "open", _("评议中")
        CLOSED = "closed", _("已结束")

    class EvaluatorScope(models.TextChoices):
        EVERYONE = "everyone", _("全体党员和职工")
        CHOSEN = "chosen", _("指定人员")

    # The one ballot floor: a subject's result is published (EvaluationSubject.result_is_public)
    # and flagged for rectification only with at least this many ballots, so it stays anonymous.
    MIN_BALLOTS = 5

    # What a voter is told about anonymity: on the round's page and above each ballot. The promise
    # is the design described at the top of this module; keep the two in step.
    ANONYMITY_NOTE = _(
        "本次评议不记名：系统只记录您是否已评。评议结束前，您的评价加密保存，登录后可以随时修改；"
        "评议结束时，全部评价以打乱顺序的不记名选票计入，不再与任何人关联。"
    )
    BALLOT_NOTE = _(
        "请对每一项选择：满意、比较满意、基本满意或不满意。选票不记名：评议结束前，您的评价加密保存，"
        "只有您登录后能看到和修改；评议结束时才以不记名选票计入，与您的姓名再无关联。"
    )

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("活动")
    )
    name = models.CharField(_("评议名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    threshold = models.PositiveSmallIntegerField(
        _("满意率警戒线（%）"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("满意率低于此值的对象列入整改。"),
    )
    evaluator_scope = models.CharField(
        _("参评人员"),
        max_length=10,
        choices=EvaluatorScope.choices,
        default=EvaluatorScope.EVERYONE,
    )
    chosen_evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        verbose_name=_("指定参评人员"),
        blank=True,
    )
    opened_on = models.DateField(_("开始评议日期"), null=True, blank=True)
    closed_on = models.DateField(_("结束评议日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("群众评议")
        verbose_name_plural = _("群众评议")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_evaluationround_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(threshold__gte=1, threshold__lte=100),
                name="campaign_evaluationround_threshold_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign:round_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class EvaluationItem(models.Model):
    """One question of a round, copied from the defaults when the round is created."""

    class AppliesTo(models.TextChoices):
        BRANCH = "branch", _("党组织")
        MEMBER = "member", _("党员")

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("评议")
    )
    applies_to = models.CharField(_("适用对象"), max_length=10, choices=AppliesTo.choices)
    name = models.CharField(_("评议内容"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评议内容")
        verbose_name_plural = _("评议内容")
        ordering = ["round", "applies_to", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class EvaluationSubjectQuerySet(models.QuerySet):
    @staticmethod
    def public_q() -> models.Q:
        """The condition form of `EvaluationSubject.result_is_public` (for filters in counts)."""
        return models.Q(
            round__status=EvaluationRound.Status.CLOSED,
            ballot_count__gte=EvaluationRound.MIN_BALLOTS,
        )

    def public_results(self) -> EvaluationSubjectQuerySet:
        """The query form of `EvaluationSubject.result_is_public`."""
        return self.filter(self.public_q())

    def for_results(self) -> EvaluationSubjectQuerySet:
        return self.select_related("person__department").order_by(
            "-is_branch", "person__department__order", "person__full_name"
        )


class EvaluationSubject(models.Model):
    """Who is evaluated in a round: the branch or one member. The result is stored at closing."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("评议")
    )
    is_branch = models.BooleanField(_("党支部"), default=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("党员"),
        null=True,
        blank=True,
    )
    ballot_count = models.PositiveIntegerField(_("有效票数"), default=0)
    mark_count = models.PositiveIntegerField(_("评价项次"), default=0)
    satisfied_count = models.PositiveIntegerField(_("满意和比较满意项次"), default=0)
    satisfaction = models.DecimalField(
        _("满意率（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    needs_rectification = models.BooleanField(_("列入整改"), default=False)
    # {"<item pk>": {"<level>": n}}: how the ballots marked each item, stored at closing with the
    # other counts, so that the results page never aggregates the ballots again.
    level_counts = models.JSONField(_("各项评价计数"), default=dict, blank=True, editable=False)

    objects = EvaluationSubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["round", "-is_branch", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_branch=True, person__isnull=True)
                | models.Q(is_branch=False, person__isnull=False),
                name="campaign_evaluationsubject_branch_or_person",
            ),
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=models.Q(person__isnull=False),
                name="campaign_evaluationsubject_unique_person",
            ),
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(is_branch=True),
                name="campaign_evaluationsubject_unique_branch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.label}"

    @property
    def label(self) -> str:
        return str(_("党支部")) if self.is_branch else str(self.person)

    @property
    def applies_to(self) -> str:
        return (
            EvaluationItem.AppliesTo.BRANCH if self.is_branch else EvaluationItem.AppliesTo.MEMBER
        )

    @property
    def result_is_public(self) -> bool:
        """Results exist only after closing, and only with enough ballots to stay anonymous."""
        return self.round.is_closed and self.has_enough_ballots

    def counts_of(self, item_pk: int) -> list[int]:
        """The number of marks of each level (in Level order) the ballots gave one item."""
        counts = (self.level_counts or {}).get(str(item_pk), {})
        return [counts.get(level, 0) for level in BallotMark.Level.values]

    @property
    def has_enough_ballots(self) -> bool:
        """The ballot floor (EvaluationRound.MIN_BALLOTS): fewer ballots would give voters away."""
        return self.ballot_count >= EvaluationRound.MIN_BALLOTS


class EvaluationTurnout(models.Model):
    """Who is invited to evaluate whom, and whether they have voted. Never which ballot."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="turnout", verbose_name=_("评议")
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_turnout",
        verbose_name=_("参评人"),
    )
    subject = models.ForeignKey(
        EvaluationSubject,
        on_delete=models.CASCADE,
        related_name="turnout",
        verbose_name=_("评议对象"),
    )
    has_voted = models.BooleanField(_("已投票"), default=False)
    # The vote while the round is open, encrypted (campaign/sealing.py); erased at closing.
    sealed = models.BinaryField(_("密封的评价"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("参评情况")
        verbose_name_plural = _("参评情况")
        ordering = ["round", "evaluator", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "subject"], name="campaign_evaluationturnout_one_per_subject"
            ),
        ]
        indexes = [
            # "My rounds": an evaluator's rows in a round.
            models.Index(fields=["round", "evaluator"], name="campaign_turnout_evaluator"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.evaluator} → {self.subject.label}"


class Ballot(models.Model):
    """One anonymous ballot on one subject, written at closing. Read the module docstring before
    adding any column: no evaluator, no time, no counter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        EvaluationSubject,
        on_delete=models.CASCADE,
        related_name="ballots",
        verbose_name=_("评议对象"),
    )

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["subject", "id"]

    def __str__(self) -> str:
        return str(_("选票"))


class BallotMark(models.Model):
    class Level(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY_SATISFIED = "fairly_satisfied", _("比较满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    SATISFIED_LEVELS = (Level.SATISFIED, Level.FAIRLY_SATISFIED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="marks", verbose_name=_("选票")
    )
    item = models.ForeignKey(
        EvaluationItem, on_delete=models.CASCADE, related_name="marks", verbose_name=_("评议内容")
    )
    level = models.CharField(_("评价"), max_length=20, choices=Level.choices)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["ballot", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "item"], name="campaign_ballotmark_one_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}：{self.get_level_display()}"


def satisfaction_rate(satisfied: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(satisfied) * 100 / Decimal(total)).quantize(Decimal("0.1"))
