from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from members import hooks
from members.demo import STORY_TODAY


class Command(BaseCommand):
    help = (
        "载入演示数据（可重复运行）：种子报告中的党支部、人员，以及各应用的演示内容"
        "（日期以今天为准）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="每个演示账号的密码（至少8位）")

    def handle(self, *args: object, password: str, **options: object) -> None:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + " ".join(exc.messages)) from exc
        demo = hooks.Demo(password=password, story_today=STORY_TODAY)
        with transaction.atomic():
            # members first (the branch and people), then every app above it, through one hook.
            hooks.seed_demo(demo)
        loaded = "".join(f"，{phrase}" for phrase in demo.loaded)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已载入：{demo.branch.name}，{len(demo.people)} 人{loaded}。"
                "登录名 secretary / leader / member / staff，密码为 --password 指定的值。"
            )
        )
