"""Votes are sealed until closing; ballots lose their date and change-token hash.

Ballots written before this migration lie in the order they were cast, one block per voter.
`reshuffle_ballots` rewrites every existing ballot and mark in an order shuffled by the OS's
CSPRNG, with new random ids, in the migration's transaction, so their rowid/ctid no longer
follows the order of voting.
"""

import secrets
import uuid
from collections import defaultdict

from django.db import migrations, models


def reshuffle_ballots(apps, schema_editor):
    Ballot = apps.get_model("campaign", "Ballot")
    BallotMark = apps.get_model("campaign", "BallotMark")
    marks = defaultdict(list)
    for ballot_id, item_id, level in BallotMark.objects.values_list("ballot_id", "item_id", "level"):
        marks[ballot_id].append((item_id, level))
    ballots = list(Ballot.objects.values_list("id", "subject_id"))
    if not ballots:
        return
    secrets.SystemRandom().shuffle(ballots)
    BallotMark.objects.all().delete()
    Ballot.objects.all().delete()
    new = [Ballot(id=uuid.uuid4(), subject_id=subject_id) for _old, subject_id in ballots]
    Ballot.objects.bulk_create(new, batch_size=500)
    BallotMark.objects.bulk_create(
        (
            BallotMark(id=uuid.uuid4(), ballot_id=ballot.id, item_id=item_id, level=level)
            for ballot, (old_id, _subject) in zip(new, ballots)
            for item_id, level in sorted(marks[old_id])
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaign", "0002_fill_standards"),
    ]

    operations = [
        migrations.RemoveField(model_name="ballot", name="cast_on"),
        migrations.RemoveField(model_name="ballot", name="change_key_hash"),
        migrations.AddField(
            model_name="evaluationturnout",
            name="sealed",
            field=models.BinaryField(blank=True, null=True, verbose_name="密封的评价"),
        ),
        migrations.RunPython(reshuffle_ballots, migrations.RunPython.noop),
    ]
