"""作废: a record entered by mistake is voided, not deleted. It stays listed with its reason (and
who voided it, when), and no count, coverage or score includes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VoidableQuerySet(models.QuerySet):
    def valid(self) -> VoidableQuerySet:
        """The records that count: not voided."""
        return self.filter(voided_at__isnull=True)


class Voidable(models.Model):
    """The three fields of a voidable record. Services set them (`*_void`), nothing else."""

    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("作废人"),
        null=True,
        blank=True,
    )
    void_reason = models.CharField(_("作废原因"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


def void_has_reason(name: str) -> models.CheckConstraint:
    """A voided record always says why; a valid one has no reason. For the model's Meta."""
    return models.CheckConstraint(
        condition=models.Q(voided_at__isnull=True, void_reason="")
        | models.Q(voided_at__isnull=False, void_reason__gt=""),
        name=name,
    )


def valid_only(prefix: str) -> models.Q:
    """For an aggregate across a relation: `Count("reviews_received",
    filter=valid_only("reviews_received"))`."""
    return models.Q(**{f"{prefix}__voided_at__isnull": True})
