"""Trigram indexes for the 读书论坛 search (reading.selectors.forum), on PostgreSQL only.

pg_trgm's GIN indexes serve `LIKE '%…%'` for any word of three characters or more, 中文 too
(the database's ctype is C.UTF-8, under which pg_trgm takes CJK characters as word characters).
The forum matches a word without letter case (中文, digits) with Django's `contains`,
`"col"::text LIKE %s`, and a word with letter case (Latin) with `icontains`,
`UPPER("col"::text) LIKE UPPER(%s)`: each kind has its own index, on exactly that expression.

SQLite has no such index: there the search reads the activity's posts through the forum's
(activity, -created_at, -id) index. Nothing here is in the models' state (Meta.indexes would
have SQLite build them), so `makemigrations` has nothing to add.
"""

from django.db import migrations

TABLE = "reading_reflection"
COLUMNS = ("title", "body", "excerpt")


def _indexes() -> list[tuple[str, str]]:
    """(name, indexed expression) of every index this migration makes."""
    out = []
    for column in COLUMNS:
        out.append((f"{TABLE}_{column}_trgm", f'("{column}"::text)'))
        out.append((f"{TABLE}_{column}_upper_trgm", f'UPPER("{column}"::text)'))
    return out


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in _indexes():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" '
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in _indexes():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # Left in place when anything else still uses it (no CASCADE).
    schema_editor.execute(
        "DO $$ BEGIN DROP EXTENSION IF EXISTS pg_trgm; "
        "EXCEPTION WHEN dependent_objects_still_exist THEN NULL; END $$"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reading", "0006_comment_shown_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
