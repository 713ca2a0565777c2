from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from campaign import demo as campaign_demo
from members import demo as members_demo
from reading import demo as reading_demo


class Command(BaseCommand):
    help = "载入演示数据（可重复运行）：种子报告中的党支部、人员、创先争优活动和读书活动。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True, help="每个演示账号的密码（至少8位）")

    def handle(self, *args: object, password: str, **options: object) -> None:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + " ".join(exc.messages)) from exc
        with transaction.atomic():
            # Each app seeds its own part of the story; later issues add theirs here.
            people = members_demo.seed(password=password)
            branch = people["secretary"].branch
            reading_demo.seed(branch=branch, people=people)
            campaign_demo.seed(branch=branch, people=people)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已载入：{branch.name}，{len(people)} 人，创先争优活动和读书活动各一项。"
                "登录名 secretary / leader / member / staff，密码为 --password 指定的值。"
            )
        )
