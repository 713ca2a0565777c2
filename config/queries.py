"""Query pieces every app uses."""

from __future__ import annotations

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, *, group: str) -> Coalesce:
    """COUNT(*) of `rows` as a correlated scalar subquery, 0 when there are none. `rows` is
    filtered on an OuterRef through the field `group` (`Like.objects.filter(reflection=
    OuterRef("pk"))`, group="reflection"). Served by that field's index and computed only for
    the rows a page selects, unlike Count over a join grouped by every column of the list."""
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
