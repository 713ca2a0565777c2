"""Sign-in names become case-insensitive: no two accounts may differ only in the case of theirs.

Accounts that already clash are not renamed behind anyone's back: the migration stops and names
them, so that the secretary can give one of each pair a new sign-in name first.
"""

import django.core.validators
import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_clashing_usernames(apps, schema_editor):
    User = apps.get_model("members", "User")
    clashes = (
        User.objects.annotate(key=Lower("username"))
        .values("key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    names = sorted(
        User.objects.annotate(key=Lower("username"))
        .filter(key__in=list(clashes))
        .values_list("username", flat=True)
    )
    if names:
        raise RuntimeError(
            "These sign-in names differ only in case and would become one: "
            + ", ".join(names)
            + ". Rename one of each (admin, 人员 → 登录名) and run migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_clashing_usernames, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="members_user_unique_username_ci",
                violation_error_code="username_taken",
                violation_error_message="这个登录名已被使用（登录名不区分大小写）。",
            ),
        ),
        # The phone validator's own error code (no change to the table).
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=models.CharField(
                blank=True,
                max_length=11,
                validators=[
                    django.core.validators.RegexValidator(
                        "^1[3-9]\\d{9}$",
                        "请输入11位手机号码，如 13912345678。",
                        code="invalid_phone",
                    )
                ],
                verbose_name="手机",
            ),
        ),
    ]
