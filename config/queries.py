"""Query pieces every app uses."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, IntegerField, QuerySet, Subquery, TextField
from django.db.models.functions import Coalesce
from django.db.models.lookups import Contains, Lookup


def count_of(rows: QuerySet, *, group: str) -> Coalesce:
    """COUNT(*) of `rows` as a correlated scalar subquery, 0 when there are none. `rows` is
    filtered on an OuterRef through the field `group` (`Like.objects.filter(reflection=
    OuterRef("pk"))`, group="reflection"). Served by that field's index and computed only for
    the rows a page selects, unlike Count over a join grouped by every column of the list."""
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@CharField.register_lookup
@TextField.register_lookup
class Holds(Lookup):
    """`field__holds=word`: the text holds `word`, letter case counting (INSTR() on SQLite,
    `contains` elsewhere). SQLite's LIKE ignores the case of ASCII letters, so on SQLite
    `contains` and `holds` differ for words with letters: use it for words without letter case
    (中文, digits), where they agree.

    On SQLite INSTR(text, word) > 0 is a plain substring search; LIKE '%word%' with an escape
    character does the same in about twice the time, and the forum's search reads every post of
    an activity. PostgreSQL gets exactly `contains`' SQL, which its trigram indexes serve."""

    lookup_name = "holds"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return Contains(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"INSTR({lhs}, {rhs}) > 0", [*lhs_params, *rhs_params]
