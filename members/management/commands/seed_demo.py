from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from members import demo as members_demo


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）：种子报告中的党支部、领导班子、党员和职工。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="每个演示账号的密码（至少8位）")

    def handle(self, *args: object, password: str, **options: object) -> None:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + " ".join(exc.messages)) from exc
        with transaction.atomic():
            people = members_demo.seed(password=password)
            # Later issues add their demo data here, each from its own app's demo module.
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已载入：{len(people)} 人。登录名 secretary / leader / member / staff，"
                "密码为 --password 指定的值。"
            )
        )
