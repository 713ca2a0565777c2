"""Seal the revisions of posts hidden before sealing existed.

A hidden post's revisions, and a restored post's revisions from before its last restore (older code
let the author edit while hidden, so those hold the text that was hidden), become visible to the
secretary only. The hide and restore times come from the audit trail.
"""

from django.db import migrations
from django.db.models import Max


def seal(apps, schema_editor):
    Reflection = apps.get_model("reading", "Reflection")
    Revision = apps.get_model("reading", "Revision")
    AuditEntry = apps.get_model("members", "AuditEntry")

    Revision.objects.filter(reflection__hidden=True).update(sealed=True)
    last_moderation = (
        AuditEntry.objects.filter(action__in=["隐藏读后感", "恢复读后感"])
        .values("object_id")
        .annotate(at=Max("created_at"))
        .order_by()
    )
    for row in last_moderation:
        if not row["object_id"].isdigit():
            continue
        pk = int(row["object_id"])
        if Reflection.objects.filter(pk=pk).exists():
            Revision.objects.filter(reflection_id=pk, created_at__lte=row["at"]).update(sealed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("reading", "0002_feature_review_and_sealed_revisions"),
    ]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop)]
