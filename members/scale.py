"""The members part of `manage.py seed_scale`: a large company in one branch, and the helpers the
apps' parts share (the target database, bulk inserts, dated rows, audit entries).

5,000 people (500 party members) in 20 departments of a pharmaceutical distributor in Xinjiang,
with Chinese and Uyghur names drawn from lists, positions that fit each department, and the
leadership team with its 分工 (一岗双责). Every account shares one password hash (one
`make_password` call); the sign-in names sec / leader / member / staff are the accounts of the
benchmark, the others sign in with their 工号.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connections, models, router

from .audit import _entry
from .hooks import Scale
from .models import AuditEntry, Branch, Department, Responsibility, Role, User

M = TypeVar("M", bound=models.Model)

# The alias under which seed_scale opens an SQLite file of its own.
SCALE_ALIAS = "seed_scale"
# The project's SQLite tuning (config/settings.py) less the durability a throw-away benchmark
# database does not need while it is filled: WAL stays (it is kept in the file), syncs go.
SQLITE_OPTIONS = {
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON; "
        "PRAGMA cache_size=-200000;"
    ),
}

# --- The target database and bulk writing -------------------------------------------------------


class _TargetRouter:
    """Sends every query that names no database to the target: code that does not take a
    database (data migrations, services.standards._load_templates) must not write to the
    project's own database while the target is being migrated or filled."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def db_for_read(self, model: type[models.Model], **hints: object) -> str:
        return self.alias

    def db_for_write(self, model: type[models.Model], **hints: object) -> str:
        return self.alias


@contextmanager
def sqlite_database(path: Path) -> Iterator[str]:
    """Open the SQLite file `path` under its own alias, the target of every query that names no
    database meanwhile (the project's database is not touched); closed and forgotten on leaving."""
    databases = connections.settings
    databases[SCALE_ALIAS] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }
    connections.configure_settings(databases)
    target = _TargetRouter(SCALE_ALIAS)
    router.routers.insert(0, target)
    try:
        yield SCALE_ALIAS
    finally:
        router.routers.remove(target)
        connections[SCALE_ALIAS].close()
        del connections[SCALE_ALIAS]
        del databases[SCALE_ALIAS]


def made_by_seed_scale(alias: str) -> bool:
    """Whether the database is empty or holds what seed_scale made (its one branch and the
    sign-in sec): --reset empties no other database."""
    branches = list(Branch.objects.using(alias).values_list("name", flat=True))
    if not branches and not User.objects.using(alias).exists():
        return True
    return branches == [BRANCH_NAME] and User.objects.using(alias).filter(username="sec").exists()


def insert(scale: Scale, model: type[M], rows: Iterable[M]) -> list[M]:
    """Bulk insert into the target database, in batches; the rows come back with their keys."""
    return model._default_manager.db_manager(scale.database).bulk_create(
        list(rows), batch_size=scale.batch_size
    )


@contextmanager
def own_dates() -> Iterator[None]:
    """While seeding, `auto_now`/`auto_now_add` fields keep the dates the seed gives them (a post
    written last spring says so): both are switched off on every model and switched back after.
    A row left without its dates fails loudly (NOT NULL)."""
    switched = [
        (f, f.auto_now, f.auto_now_add)
        for model in apps.get_models()
        for f in model._meta.local_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    ]
    for f, _now, _add in switched:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in switched:
            f.auto_now, f.auto_now_add = now, add


def dated(row: M, created: dt.datetime, updated: dt.datetime | None = None) -> M:
    """Set a TimeStampedModel row's two dates."""
    row.created_at = created
    row.updated_at = updated or created
    return row


def audit(
    *,
    by: User,
    action: str,
    at: dt.datetime,
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEntry:
    """The audit entry the service writes for this action (members.audit), dated `at`."""
    entry = _entry(by=by, action=str(action), obj=obj, detail=detail)
    entry.created_at = at
    return entry


# --- The company --------------------------------------------------------------------------------

BRANCH_NAME = "国药控股新疆医药有限公司党支部"
PARENT_ORG = "国药控股股份有限公司党委"

# name, relative size, positions (the first is the department's head)
DEPARTMENTS: list[tuple[str, int, list[str]]] = [
    ("综合办公室", 3, ["综合办公室主任", "行政文员", "文秘", "档案管理员", "驾驶员"]),
    ("党群工作部", 1, ["党群工作部部长", "党务专员", "宣传干事", "团委干事"]),
    ("人力资源部", 2, ["人力资源部经理", "人事专员", "薪酬专员", "培训主管"]),
    ("财务部", 3, ["财务部经理", "会计", "出纳", "成本会计", "税务专员"]),
    ("审计部", 1, ["审计部经理", "审计员"]),
    ("采购部", 4, ["采购部经理", "采购员", "采购主管", "供应商管理专员"]),
    ("销售一部", 8, ["销售一部经理", "销售代表", "销售主管", "开票员", "客户经理"]),
    ("销售二部", 8, ["销售二部经理", "销售代表", "销售主管", "开票员", "客户经理"]),
    ("医院事业部", 6, ["医院事业部经理", "医院客户经理", "学术专员", "销售代表"]),
    ("零售连锁部", 10, ["零售连锁部经理", "门店店长", "执业药师", "营业员", "收银员"]),
    ("配送中心", 14, ["配送中心主任", "药品配送员", "驾驶员", "配送调度", "装卸工"]),
    ("仓储中心", 12, ["仓储中心主任", "保管员", "分拣员", "叉车司机", "仓储主管", "复核员"]),
    ("质量管理部", 4, ["质量负责人", "质量验收员", "养护员", "质量管理员"]),
    ("信息技术部", 2, ["信息技术部经理", "系统管理员", "软件工程师", "网络管理员"]),
    ("物流调度中心", 3, ["物流调度中心主任", "调度员", "线路规划员"]),
    ("冷链物流部", 3, ["冷链物流部经理", "冷链专员", "冷藏车驾驶员", "温控管理员"]),
    ("客户服务部", 4, ["客户服务部经理", "客服专员", "客服主管", "投诉处理专员"]),
    ("市场部", 2, ["市场部经理", "市场专员", "品牌主管"]),
    ("安全保卫部", 2, ["安全保卫部经理", "安全员", "保安", "消防管理员"]),
    ("后勤服务中心", 3, ["后勤服务中心主任", "食堂管理员", "厨师", "保洁", "维修工"]),
]

# The leadership team: title, business area, party duty (一岗双责). The first two are the
# secretary's and the leader's sign-ins; the next ones are also 支委 while the committee has room.
LEADERSHIP: list[tuple[str, str, str]] = [
    (
        "党支部书记、副总经理",
        "行政后勤、人力资源、企业文化",
        "主持支部全面工作，履行党风廉政建设第一责任人职责",
    ),
    ("总经理", "公司经营管理全面工作", "落实“一岗双责”，抓经营班子廉洁从业"),
    ("副总经理、支部委员（组织委员）", "采购与供应链管理", "组织发展、党员教育，采购环节廉政监督"),
    ("财务总监、支部委员（纪检委员）", "财务管理、成本控制、增收节支", "财务领域廉政风险防控"),
    ("副总经理、支部委员（宣传委员）", "销售与市场", "宣传思想工作，销售环节廉洁从业"),
    ("副总经理", "仓储物流与冷链", "分管领域安全生产和廉政建设"),
    ("质量总监", "药品质量管理、GSP认证", "质量领域廉政风险防控"),
    ("工会主席", "工会、职工福利、食堂", "联系职工群众，维护职工合法权益"),
    ("总经理助理", "信息化建设、客户服务", "分管部门党风廉政建设"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
MALE_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发"
MALE_CHARS += "武新利清飞彬富顺信杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦"
FEMALE_CHARS = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞"
FEMALE_CHARS += "香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡"
UYGHUR_MALE = [
    "艾力",
    "买买提",
    "阿不都",
    "吐尔逊",
    "艾尔肯",
    "麦麦提",
    "努尔",
    "热合曼",
    "买尔旦",
    "亚森",
    "伊力哈木",
    "肉孜",
    "阿布来提",
    "艾合买提",
    "玉素甫",
]
UYGHUR_FEMALE = [
    "古丽娜尔",
    "阿依古丽",
    "热依拉",
    "迪丽努尔",
    "帕提古丽",
    "努尔古丽",
    "米热古丽",
    "再努尔",
    "阿依努尔",
    "祖丽胡玛尔",
    "热娜",
    "海尼古丽",
]

P, PR, AC, LG, MS = (
    User.PoliticalStatus.PARTY_MEMBER,
    User.PoliticalStatus.PROBATIONARY,
    User.PoliticalStatus.ACTIVIST,
    User.PoliticalStatus.LEAGUE_MEMBER,
    User.PoliticalStatus.MASSES,
)
S, L, MB, ST = Role.SECRETARY, Role.LEADER, Role.MEMBER, Role.STAFF


def seed(scale: Scale) -> None:
    """The branch, its departments, its people with their roles, the leaders' 分工."""
    rng = scale.rng
    branch = insert(
        scale,
        Branch,
        [dated(Branch(name=BRANCH_NAME, parent_org=PARENT_ORG), _long_ago(scale))],
    )[0]
    shown = DEPARTMENTS[: scale.departments]
    departments = insert(
        scale,
        Department,
        [
            dated(Department(branch=branch, name=name, order=n), _long_ago(scale))
            for n, (name, _size, _positions) in enumerate(shown, 1)
        ],
    )
    plan = _plan_roles(scale)
    people = []
    weights = [size for _name, size, _positions in shown]
    heads: set[int] = set()
    for n, roles in enumerate(plan, 1):
        person = _person(scale, branch, n, roles, plan)
        if L in roles:
            index = n - 1
            person.position = LEADERSHIP[index][0] if index < len(LEADERSHIP) else "副总经理"
            person.department = departments[0]
        else:
            department_no = rng.choices(range(len(shown)), weights)[0]
            positions = shown[department_no][2]
            person.department = departments[department_no]
            is_head = department_no not in heads and (MB in roles or rng.random() < 0.3)
            if is_head:
                heads.add(department_no)
            person.position = positions[0] if is_head else rng.choice(positions[1:])
        people.append(person)
    people = insert(scale, User, people)
    groups = {g.name: g for g in Group.objects.using(scale.database).all()}
    Membership = User.groups.through
    insert(
        scale,
        Membership,
        [
            Membership(user_id=person.pk, group_id=groups[role].pk)
            for person, roles in zip(people, plan, strict=True)
            for role in sorted(roles)
        ],
    )
    for person, roles in zip(people, plan, strict=True):
        person.__dict__["role_names"] = frozenset(roles)  # User.role_names, without a query
    leaders = [p for p in people if L in p.role_names]
    insert(
        scale,
        Responsibility,
        [
            dated(
                Responsibility(
                    leader=leader, title=title, business_area=area, party_duty=duty, order=n
                ),
                _long_ago(scale),
            )
            for n, (leader, (title, area, duty)) in enumerate(
                zip(leaders, LEADERSHIP, strict=False), 1
            )
        ],
    )
    scale.branch = branch
    scale.people = people
    scale.logins = {p.username: p for p in people if p.username in LOGINS}
    party = len([p for p in people if MB in p.role_names])
    scale.loaded.append(f"{len(people)} 人（党员 {party} 人），{len(departments)} 个部门")


# The sign-in accounts of the benchmark, by the roles they stand for.
LOGINS = ("sec", "leader", "member", "staff")


def _plan_roles(scale: Scale) -> list[set[str]]:
    """Each person's roles in employee-number order: the secretary (sec), the leader, the other
    leaders (the first of them 支委), the party members (member first), then staff (staff first)."""
    leaders = max(2, min(scale.leaders, scale.party_members - 1))
    committee = max(1, min(scale.committee, leaders))
    plan: list[set[str]] = [{S, L, MB}, {L, MB}]
    plan += [{S, L, MB} if n < committee else {L, MB} for n in range(1, leaders - 1)]
    plan += [{MB} for _ in range(scale.party_members - len(plan))]
    plan += [{ST} for _ in range(scale.people_count - len(plan))]
    return plan


def _login_name(n: int, roles: set[str], plan: list[set[str]]) -> str:
    """sec and leader are the first two people, member the first plain party member, staff the
    first staff member; everyone else signs in with the 工号."""
    if n <= 2:
        return LOGINS[n - 1]
    if roles in ({MB}, {ST}) and plan[n - 2] != roles:
        return "member" if roles == {MB} else "staff"
    return f"GY{n:05d}"


def _long_ago(scale: Scale) -> dt.datetime:
    """When the company's records begin: before the first campaign and activity."""
    return scale.at(scale.today - dt.timedelta(days=365 * scale.years + 400), 8, 30)


def _name(scale: Scale, gender: str) -> str:
    rng = scale.rng
    if rng.random() < 0.08:  # Uyghur colleagues: 名·父名
        given = UYGHUR_MALE if gender == "M" else UYGHUR_FEMALE
        return f"{rng.choice(given)}·{rng.choice(UYGHUR_MALE)}"
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _person(scale: Scale, branch: Branch, n: int, roles: set[str], plan: list[set[str]]) -> User:
    rng = scale.rng
    gender = "M" if rng.random() < 0.56 else "F"
    if L in roles:
        status = P
    elif MB in roles:
        status = P if rng.random() < 0.95 else PR
    else:
        status = rng.choices([MS, LG, AC], [75, 15, 10])[0]
    joined = None
    if status == P:
        joined = scale.today - dt.timedelta(days=rng.randint(3 * 365 + 200, 35 * 365))
    elif status == PR:  # joined within the year: still on probation
        joined = scale.today - dt.timedelta(days=rng.randint(30, 330))
    return User(
        username=_login_name(n, roles, plan),
        password=scale.password_hash,
        branch=branch,
        full_name=_name(scale, gender),
        gender=gender,
        employee_no=f"GY{n:05d}",
        phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        political_status=status,
        joined_party_on=joined,
        is_staff=S in roles,
        is_active=True,
        must_change_password=False,
        date_joined=_long_ago(scale) + dt.timedelta(days=rng.randint(0, 400)),
    )
