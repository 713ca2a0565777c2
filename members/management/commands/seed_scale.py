import os
import random
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from members import hooks
from members.models import Branch, User
from members.scale import LOGINS, made_by_seed_scale, own_dates, sqlite_database

DEFAULT_PATH = Path("bench") / "scale.sqlite3"
# The benchmark signs in with it; the command prints it. Not for a real database.
DEFAULT_PASSWORD = "Bench-pass-2011"  # noqa: S105


class Command(BaseCommand):
    help = (
        "生成性能测试用的大规模数据（写入另一个数据库）：5000 人（党员 500 人）、20 个部门，"
        "3 年创先争优活动（公开承诺、践诺、领导点评、每年两轮群众评议），6 次读书活动"
        "（读后感 2 万篇、评论 20 万条、点赞 10 万个）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database-path",
            type=Path,
            help=(
                "写入的 SQLite 文件（默认 bench/scale.sqlite3；"
                "未指定本项而设置了 DATABASE_URL 时写入 DATABASE_URL 的数据库）"
            ),
        )
        parser.add_argument(
            "--people",
            type=int,
            default=hooks.Scale.FULL_PEOPLE,
            help="人数（默认 5000；其余规模按比例缩放，测试时用小数字）",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"所有账号的密码（默认 {DEFAULT_PASSWORD}）",
        )
        parser.add_argument(
            "--seed", type=int, default=2011, help="随机数种子（同一种子同一批数据）"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先清空目标数据库（只清空 seed_scale 生成的；SQLite 文件删除重建）",
        )

    def handle(
        self,
        *args: object,
        database_path: Path | None,
        people: int,
        password: str,
        seed: int,
        reset: bool,
        **options: object,
    ) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        if people < 20:
            raise CommandError("人数至少为 20。")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + " ".join(exc.messages)) from exc
        if database_path is None and os.environ.get("DATABASE_URL"):
            self._fill(DEFAULT_DB_ALIAS, "DATABASE_URL", people, password, seed, reset)
            return
        path = Path(database_path or settings.BASE_DIR / DEFAULT_PATH).resolve()
        if path == Path(settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]).resolve():
            raise CommandError("不能写入本系统正在使用的数据库，请另指定 --database-path。")
        if path.exists() and reset:
            with sqlite_database(path) as alias:
                try:
                    ours = made_by_seed_scale(alias)
                except DatabaseError:  # not a database of this project at all
                    ours = False
            if not ours:
                raise CommandError(self._not_ours(str(path)))
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite_database(path) as alias:
            self._fill(alias, str(path), people, password, seed, reset=False)

    def _fill(
        self, alias: str, where: str, people: int, password: str, seed: int, reset: bool
    ) -> None:
        say = self.stdout.write if self.verbosity else (lambda *_args, **_kw: None)
        started = time.perf_counter()
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        if reset:
            if not made_by_seed_scale(alias):
                raise CommandError(self._not_ours(where))
            call_command("flush", database=alias, interactive=False, verbosity=0)
        if User.objects.using(alias).exists() or Branch.objects.using(alias).exists():
            raise CommandError(f"目标数据库（{where}）已有数据。要清空后重新生成，请加 --reset。")
        say(f"目标数据库：{where}（迁移 {time.perf_counter() - started:.1f} 秒）")
        scale = hooks.Scale.sized(
            people=people,
            password_hash=make_password(password),
            rng=random.Random(seed),
            database=alias,
        )
        with own_dates():
            hooks.seed_scale(scale)
        for app, seconds, loaded in scale.timings:
            say(f"  {app}：{seconds:.1f} 秒  {loaded}")
        # Statistics for the planner, as after any bulk load: PostgreSQL's autovacuum would take
        # them within minutes (where it is on), and until then it plans from none (the forum's
        # search scanned the activity instead of asking the trigram index for a rare word).
        # SQLite keeps none unless asked, like the app's own database.
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute("ANALYZE")
        say(
            self.style.SUCCESS(
                f"大规模数据已生成，共 {time.perf_counter() - started:.1f} 秒。"
                f"登录名 {' / '.join(LOGINS)}（其他人用工号，如 GY00100），密码：{password}"
            )
        )

    def _not_ours(self, where: str) -> str:
        return (
            f"目标数据库（{where}）不是 seed_scale 生成的（没有它的党支部和登录名 sec），"
            "--reset 不会清空它。"
        )
