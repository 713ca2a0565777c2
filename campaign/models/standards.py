"""Standards (标准): 四强, 四优, 五个好, 五带头, 四好 as data the secretary can edit."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Branch, TimeStampedModel


class StandardSet(TimeStampedModel):
    """One set of standards. Rows without a branch are the templates loaded by 0002_fill_standards;
    a branch works on its own copy (made by `standards_install_defaults`), so that one secretary's
    edits never change another branch's standards."""

    class AppliesTo(models.TextChoices):
        BRANCH = "branch", _("党组织")
        MEMBER = "member", _("党员")
        TEAM = "team", _("领导班子")

    branch = models.ForeignKey(
        Branch,
        on_delete=models.CASCADE,
        related_name="standard_sets",
        verbose_name=_("党支部"),
        null=True,
        blank=True,
    )
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=50)
    applies_to = models.CharField(_("适用对象"), max_length=10, choices=AppliesTo.choices)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("标准")
        verbose_name_plural = _("标准")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "code"],
                condition=models.Q(branch__isnull=False),
                name="campaign_standardset_unique_code",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(branch__isnull=True),
                name="campaign_standardset_unique_template_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign:standard_list") + f"#set-{self.pk}"

    def new_item(self) -> Standard:
        """An unsaved item placed after the set's last one."""
        return Standard(standard_set=self, order=self.items.count() + 1)


class Standard(TimeStampedModel):
    """One item of a set, e.g. 政治引领力强."""

    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="items", verbose_name=_("所属标准")
    )
    name = models.CharField(_("条目"), max_length=50)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("标准条目")
        verbose_name_plural = _("标准条目")
        ordering = ["standard_set__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard_set", "name"], name="campaign_standard_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def branch_id(self) -> int | None:
        return self.standard_set.branch_id
