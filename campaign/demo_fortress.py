"""Demo data of 战斗堡垒 (issue 12), part of seed_demo's campaign (campaign/demo.py).

From the seed report: the front-line drug delivery posts made 党员先锋岗 and hung in October
2010, with members on them, quarterly stars and deeds (one praised by a customer, some 宣传, one
waiting for the secretary); 增收节支 on posts and a department (the canteen's purchasing); the
problems found by checking management against the group's strategy (整合、转型、创新、跨跃) and the
canteen problem raised by staff, turned into rectification items in different states (整改中
with measures at different percents, 已验收, one overdue); and the leadership team's decisions
under democratic centralism and its integrity records (《廉政准则》《若干规定》).

Everything goes through the services (campaign/services), as the secretary and the leaders
would do it, so that statuses, plaque history, measures' progress and the audit trail are what
the pages expect. Only dates the services take as "today" (a quarter's stars, a measure done) are
set afterwards to the story's day, as if the service had run then.

Idempotent: each row is found by a key that does not move with the calendar (a post's name, a
deed's member and title, an item's title …); what exists is left as it is, what is missing is
added, and each state is reached once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from config.uploads import clean_image
from members.hooks import Demo
from members.models import Department, User

from . import services
from .models import (
    Campaign,
    Decision,
    Deed,
    IntegrityRecord,
    Measure,
    PostHolder,
    PostReview,
    Problem,
    Rectification,
    SavingRecord,
    VanguardPost,
)
from .models.vanguard import quarter_bounds, quarter_of

R = Rectification.Status
HUNG_ON = "2010-10-20"  # 药品配送岗位确定为“党员先锋岗”，挂牌上岗 (campaign/demo.py)

# name, department, duties, 服务承诺, holders (username, from), hung on (None: not yet)
POSTS: list[tuple[str, str, str, str, list[tuple[str, str]], str | None]] = [
    (
        "药品配送岗",
        "配送部",
        "按时、准确、安全地把药品送到医院、诊所和药店；急难险重的配送任务冲在前面。",
        "以诚待人，以信立身，热情服务，乐于奉献：当日订单当日送达，急救药品随叫随送。",
        [("xt006", HUNG_ON), ("xt007", HUNG_ON)],
        HUNG_ON,
    ),
    (
        "配送调度岗",
        "配送部",
        "安排配送线路和车辆，跟踪在途药品，及时处理客户催货和投诉。",
        "线路合理、调度及时：客户来电 10 分钟内答复，催货当天有结果。",
        [("member", HUNG_ON)],
        HUNG_ON,
    ),
    (
        "安全行车岗",
        "配送部",
        "驾驶配送车辆，保证药品和人员安全；车辆按时保养，冷链药品全程控温。",
        "遵章守纪，安全行车零事故；冷链药品温度全程可查。",
        [("xt012", HUNG_ON)],
        HUNG_ON,
    ),
    (
        "仓储养护岗",
        "仓储部",
        "药品入库后的储存养护，库房温湿度管理，近效期药品预警。",
        "账货相符，养护到位；近效期药品提前三个月预警，减少报废。",
        [("xt011", "2010-11-01")],
        "2010-11-01",
    ),
    (
        "质量验收岗",
        "质量管理部",
        "按 GSP 要求验收到货药品，把好药品质量第一关。",
        "验收不漏项、不放过一件可疑药品，验收记录当天完成。",
        [("xt016", "2011-04-06")],
        None,  # being prepared: 挂牌 after its first quarter
    ),
]
# Stars of the hung posts per quarter, oldest first (the last one is the latest quarter's).
STARS = {
    "药品配送岗": [4, 5, 5],
    "配送调度岗": [4, 4, 5],
    "安全行车岗": [5, 4, 4],
    "仓储养护岗": [3, 4],
}
NOTES = [
    "服务承诺落实到位，客户满意。",
    "急难险重任务冲在前面，配送零差错。",
    "增收节支有实效，要继续保持。",
    "业务技能还可提高，希望多带新同事。",
]
# The latest finished quarter: the secretary has rated these posts, the others are her to-do.
LATEST_REVIEWED = {"药品配送岗", "配送调度岗"}

# member, post, story date, title, what happened, tags, recorded by the member himself, 宣传,
# photo caption (or "")
DEEDS: list[tuple[str, str | None, str, str, str, list[str], bool, bool, str]] = [
    (
        "xt006",
        "药品配送岗",
        HUNG_ON,
        "先锋岗挂牌，公开服务承诺",
        "药品配送岗挂牌上岗，马玉兰代表岗位党员向客户公开服务承诺：当日订单当日送达，"
        "急救药品随叫随送。",
        ["service"],
        False,
        True,
        "药品配送岗的党员先锋岗标牌",
    ),
    (
        "xt012",
        "安全行车岗",
        "2010-12-20",
        "全年安全行车无事故",
        "吴建军全年驾驶配送车辆行驶约 6 万公里，无一起交通事故；冷链药品温度记录完整。",
        ["service"],
        False,
        False,
        "",
    ),
    (
        "xt006",
        "药品配送岗",
        "2011-01-25",
        "春节前连续加班保供，配送零差错",
        "春节前药品需求集中，马玉兰连续 12 天加班配送，覆盖 30 多家医院和诊所，无一差错。",
        ["urgent"],
        False,
        True,
        "",
    ),
    (
        "xt011",
        "仓储养护岗",
        "2011-02-10",
        "清理近效期药品，减少报废损失",
        "古丽娜尔带领仓储部逐库清点近效期药品 46 个品规，提前调剂销售，减少报废损失五千多元。",
        ["saving"],
        False,
        False,
        "",
    ),
    (
        "xt007",
        "药品配送岗",
        "2011-03-08",
        "大雪天把急救药品按时送到县医院",
        "大雪封路，艾力·买买提绕行山路四个小时，把一批急救药品按时送到县医院。"
        "县医院药剂科专门打来电话，并送来感谢信表扬。",
        ["urgent", "praise"],
        False,
        True,
        "",
    ),
    (
        "member",
        "配送调度岗",
        "2011-04-18",
        "优化配送线路，每月节约油费约 800 元",
        "陈晓东重新规划市区和县乡配送线路，合并重复线路两条，每月少跑约 1,200 公里，"
        "节约油费约 800 元。",
        ["saving", "innovation"],
        True,  # recorded by himself: 待确认, the secretary's to-do
        False,
        "",
    ),
]

# kind, post, department (None: the post's), story date, item, amount, basis, verified by,
# void reason ("" stays valid)
SAVINGS: list[tuple[str, str | None, str | None, str, str, str, str, str, str]] = [
    (
        "saving",
        None,
        "综合办",
        "2010-11-30",
        "改进食堂蔬菜、副食品采购方式",
        "3650.00",
        "由零星采购改为定点集中采购，三个月比上年同期节约 3,650 元（财务部核定）。",
        "xt003",
        "",
    ),
    (
        "saving",
        "安全行车岗",
        None,
        "2011-01-31",
        "配送车辆自行保养，节约维修费",
        "1860.00",
        "4 台配送车辆的常规保养由驾驶员自行完成，按原外包价格核算。",
        "xt003",
        "",
    ),
    (
        "saving",
        "仓储养护岗",
        None,
        "2011-02-28",
        "近效期药品提前调剂，减少报废",
        "5320.50",
        "调剂销售近效期药品 46 个品规，按进价核算减少的报废损失。",
        "xt003",
        "",
    ),
    (
        "income",
        "药品配送岗",
        None,
        "2011-03-31",
        "新增社区诊所配送客户",
        "18600.00",
        "一季度新开发 6 家社区诊所，配送毛利合计 18,600 元（财务部核定）。",
        "xt003",
        "",
    ),
    (
        "saving",
        "配送调度岗",
        None,
        "2011-04-30",
        "优化配送线路节约燃油费",
        "2400.00",
        "线路调整后每月少跑约 1,200 公里，按百公里油耗 10 升、油价 6.60 元计，"
        "每月约 800 元；三个月合计。",
        "xt003",
        "",
    ),
    (
        "saving",
        "药品配送岗",
        None,
        "2011-04-30",
        "优化配送线路节约燃油费（重复登记）",
        "2400.00",
        "同配送调度岗的“优化配送线路节约燃油费”。",
        "xt003",
        "与配送调度岗的记录重复，节约额只计一次。",
    ),
    (
        "income",
        None,
        "销售部",
        "2011-04-30",
        "基层医疗机构新品种销售",
        "42000.00",
        "当月向县乡卫生院新推广 12 个基本药物品种，毛利合计 42,000 元（财务部核定）。",
        "xt003",
        "",
    ),
]

# source, area, title, description, found on
PROBLEMS: dict[str, tuple[str, str, str, str, str]] = {
    "network": (
        "strategy",
        "management",
        "县乡基层医疗机构配送覆盖不足",
        "对照国药控股“转型”的要求，公司配送网络集中在市区，县乡基层医疗机构的订单响应慢，"
        "急救药品有送达不及时的情况。",
        "2011-03-05",
    ),
    "systems": (
        "strategy",
        "management",
        "采购与仓储信息系统不统一，库存周转慢",
        "对照“整合”的要求，采购、仓储两套系统数据不互通，要靠人工对账，"
        "库存周转天数高于集团平均水平。",
        "2010-10-12",
    ),
    "incentive": (
        "strategy",
        "management",
        "新业务拓展缺少激励办法",
        "对照“创新、跨跃”的要求，开发新客户、推广新品种没有相应的考核和激励，员工积极性不高。",
        "2011-03-05",
    ),
    "canteen": (
        "masses",
        "service",
        "职工食堂伙食质量不高",
        "职工反映食堂伙食不好：菜品单一，价格偏高。",
        "2010-09-15",
    ),
}

# problem key, title, public description, internal note, responsible, opened, deadline,
# measures (content, owner, deadline, percent, evidence note, done on), fixed on, accepted on,
# accepted by
RECTIFICATIONS: list[dict[str, Any]] = [
    {
        "problem": "network",
        "title": "完善县乡配送网络",
        "public_description": "开通县乡配送专线，配送车辆加装温湿度监控，建立配送时效考核，"
        "让基层医疗机构的药品按时送到。",
        "internal_note": "县医院反映过两次急救药品延误，要重点跟进。",
        "responsible": "leader",
        "opened": "2011-03-10",
        "deadline": "2011-06-30",
        "measures": [
            (
                "开通县乡两条配送专线",
                "member",
                "2011-04-15",
                100,
                "两条专线已开通，每周三班。",
                "2011-04-12",
            ),
            (
                "配送车辆加装温湿度监控设备",
                "xt024",
                "2011-05-20",
                60,
                "已有 3 台车辆安装完毕，还有 2 台。",
                None,
            ),
            (
                "制定配送时效考核办法",
                "leader",
                "2011-05-10",
                20,
                "初稿已拟好，待领导班子会议讨论。",
                None,
            ),
        ],
    },
    {
        "problem": "systems",
        "title": "统一采购仓储信息系统",
        "public_description": "打通采购、仓储两套系统的数据，把库存周转天数纳入月度考核。",
        "internal_note": "系统改造费用由信息化专项列支。",
        "responsible": "xt004",
        "opened": "2010-10-15",
        "deadline": "2011-01-31",
        "measures": [
            (
                "采购、仓储数据接口改造",
                "xt004",
                "2010-12-15",
                100,
                "接口已上线，两套系统每日自动对账。",
                "2010-12-10",
            ),
            (
                "库存周转天数纳入月度考核",
                "xt003",
                "2011-01-15",
                100,
                "考核办法已印发，下月起执行。",
                "2011-01-12",
            ),
        ],
        "fixed": "2011-01-25",
        "accepted": "2011-02-15",
        "accepted_by": "secretary",
    },
    {
        "problem": "incentive",
        "title": "建立新业务拓展激励办法",
        "public_description": "制定开发新客户、推广新品种的考核激励办法。",
        "internal_note": "需与集团薪酬政策衔接，财务部测算后报班子会。",
        "responsible": "xt003",
        "opened": "2011-03-10",
        "deadline": "2011-04-30",  # passed with the work not started: overdue
        "measures": [],
    },
    {
        "problem": "canteen",
        "title": "改进职工食堂伙食",
        "public_description": "改进蔬菜和副食品的采购方式，提高午餐费标准，提高伙食质量。",
        "internal_note": "",
        "responsible": "secretary",
        "opened": "2010-09-20",
        "deadline": "2010-10-31",
        "measures": [
            (
                "蔬菜和副食品改为定点集中采购",
                "xt025",
                "2010-10-10",
                100,
                "已与两家蔬菜基地签订供货协议。",
                "2010-10-08",
            ),
            (
                "午餐费标准由每人每天 8 元提高到 10 元",
                "secretary",
                "2010-10-31",
                100,
                "下月起执行。",
                "2010-10-01",
            ),
        ],
        "fixed": "2010-10-30",
        "accepted": "2010-11-10",
        "accepted_by": "xt004",  # the secretary is responsible: another 支委 accepts
    },
]

TEAM = ["secretary", "leader", "xt003", "xt004"]
# story date, meeting, topic, attendees, proposal, discussion, resolution, method, votes
DECISIONS: list[
    tuple[str, str, str, list[str], str, str, str, str, tuple[int, int, int] | None]
] = [
    (
        "2010-09-08",
        "领导班子会议",
        "以“党员先锋岗”为载体深化创先争优",
        [*TEAM, "member"],
        "支部书记提议：以“党员先锋岗”为载体深化创先争优，将经营一线的药品配送岗位确定为"
        "党员先锋岗，倡导增收节支。",
        "班子成员逐一发表意见。总经理提出先锋岗要与降低经营成本结合；财务总监建议增收节支"
        "由财务部每月核实；配送部经理（列席）汇报了配送一线的人员情况。",
        "在配送部设立药品配送岗、配送调度岗、安全行车岗三个党员先锋岗，下月挂牌上岗；"
        "增收节支由财务部每月核实，每季度评选先锋之星。",
        "show_of_hands",
        (5, 0, 0),
    ),
    (
        "2010-09-20",
        "党政联席会",
        "改进职工食堂伙食",
        TEAM,
        "针对职工反映的食堂伙食问题，改进采购方式，提高午餐费标准。",
        "财务总监测算：定点集中采购每月可节约约 1,200 元，节约部分用于提高午餐费标准；"
        "班子成员一致同意。",
        "蔬菜和副食品改为定点集中采购；午餐费标准由每人每天 8 元提高到 10 元，下月起执行。",
        "consensus",
        None,
    ),
    (
        "2011-03-10",
        "领导班子会议",
        "对照集团战略查找经营管理问题",
        TEAM,
        "对照国药控股“整合、转型、创新、跨跃”的发展战略，逐项查找经营管理中存在的问题。",
        "班子成员分别从分管领域查找问题，梳理出县乡配送覆盖不足、新业务缺少激励办法等问题，"
        "逐项讨论整改措施和时限。",
        "确定“完善县乡配送网络”“建立新业务拓展激励办法”两项整改事项，由分管领导负责，"
        "限期整改，支委会每月听取进展。",
        "show_of_hands",
        (4, 0, 0),
    ),
    (
        "2011-04-12",
        "领导班子会议",
        "年度增收节支目标分解",
        [*TEAM, "member"],
        "将年度增收节支目标分解到部门和党员先锋岗。",
        "配送部提出燃油价格上涨，节支目标偏高；经讨论，维持原目标，配送部通过优化线路完成。"
        "一名班子成员认为目标过高，投了弃权票。",
        "年度增收节支目标 50 万元，其中配送部 20 万元；每季度通报一次完成情况。",
        "secret_ballot",
        (4, 0, 1),
    ),
]
# kind, story date, title, participants, note
INTEGRITY: list[tuple[str, str, str, list[str], str]] = [
    (
        "study",
        "2010-07-15",
        "学习《中国共产党党员领导干部廉洁从政若干准则》",
        TEAM,
        "逐条学习“八个禁止”“52 个不准”，班子成员结合分管工作谈了体会。",
    ),
    (
        "pledge",
        "2010-07-15",
        "班子成员签订廉洁自律承诺书",
        TEAM,
        "要求下属做到的，班子成员先做到；禁止下属做的，自己坚决不做。",
    ),
    (
        "study",
        "2011-01-18",
        "学习《国有企业领导人员廉洁从业若干规定》",
        [*TEAM, "member"],
        "结合“三重一大”决策制度，对照检查采购、销售、财务等环节的廉政风险点。",
    ),
    (
        "talk",
        "2011-03-25",
        "对采购岗位人员进行廉政谈话",
        ["xt004", "xt013", "xt021"],
        "采购环节是廉政风险点，要求严格执行供应商准入和比价制度，不收受供应商礼品礼金。",
    ),
]


def seed(campaign: Campaign, demo: Demo) -> list[str]:
    """The 战斗堡垒 of the demo; returns phrases for seed_demo's closing line."""
    posts = _seed_posts(campaign, demo)
    _seed_reviews(campaign, posts, demo)
    _seed_deeds(campaign, posts, demo)
    _seed_savings(campaign, posts, demo)
    items = _seed_rectification(campaign, demo)
    _seed_leadership(demo)
    return [f"党员先锋岗 {len(posts)} 个", f"整改事项 {len(items)} 项"]


def _departments(demo: Demo) -> dict[str, Department]:
    return {d.name: d for d in Department.objects.filter(branch=demo.branch)}


def _people(demo: Demo, usernames: list[str]) -> list[User]:
    return [demo.person(name) for name in usernames]


# --- Posts, holders, plaques, quarterly stars -------------------------------------------------


def _seed_posts(campaign: Campaign, demo: Demo) -> dict[str, VanguardPost]:
    secretary = demo.person("secretary")
    departments = _departments(demo)
    posts = {}
    for order, (name, department, duties, promise, holders, hung_on) in enumerate(POSTS, 1):
        data = {
            "name": name,
            "department": departments[department],
            "duties": duties,
            "promise": promise,
            "order": order,
        }
        post = VanguardPost.objects.filter(branch=demo.branch, name=name).first()
        if post is None:
            post = services.post_create(branch=demo.branch, data=data, by=secretary)
        for username, starts_on in holders:
            member = demo.person(username)
            if not PostHolder.objects.filter(post=post, member=member).exists():
                services.post_assign(
                    post=post, member=member, starts_on=demo.day(starts_on), by=secretary
                )
        if hung_on and post.plaque == VanguardPost.Plaque.NONE:
            services.post_hang_plaque(post=post, on=demo.day(hung_on), by=secretary)
        posts[name] = post
    return posts


def _quarters(first: dt.date, last: tuple[int, int]) -> list[tuple[int, int]]:
    """The quarters from the one of `first` to `last`, in order."""
    year, quarter = quarter_of(first)
    quarters = []
    while (year, quarter) <= last:
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def _seed_reviews(campaign: Campaign, posts: dict[str, VanguardPost], demo: Demo) -> None:
    """Every finished quarter since the plaques went up, the latest one only for some posts:
    the others are the secretary's to-do. Dated a few days after each quarter's end."""
    secretary = demo.person("secretary")
    year, quarter = quarter_of(demo.today)
    latest = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    items = list(campaign.member_standards.items.all())
    for name, stars in STARS.items():
        post = posts[name]
        quarters = _quarters(post.plaque_on, latest)[-len(stars) :]
        for n, ((y, q), given) in enumerate(zip(quarters, stars[-len(quarters) :], strict=True)):
            if (y, q) == latest and name not in LATEST_REVIEWED:
                continue
            item_stars = {item: max(1, given - (i + n) % 2) for i, item in enumerate(items)}
            review = services.post_review_save(
                post=post,
                campaign=campaign,
                year=y,
                quarter=q,
                stars=given,
                note=NOTES[(n + len(name)) % len(NOTES)],
                item_stars=item_stars,
                by=secretary,
            )
            reviewed_on = min(quarter_bounds(y, q)[1] + dt.timedelta(days=5), demo.today)
            PostReview.objects.filter(pk=review.pk).update(reviewed_on=reviewed_on)


# --- Deeds and 增收节支 -----------------------------------------------------------------------


def _seed_deeds(campaign: Campaign, posts: dict[str, VanguardPost], demo: Demo) -> None:
    secretary = demo.person("secretary")
    for username, post, on, title, body, tags, own, publicize, caption in DEEDS:
        member = demo.person(username)
        deed = Deed.objects.filter(campaign=campaign, member=member, title=title).first()
        if deed is None:
            deed = services.deed_create(
                campaign=campaign,
                member=member,
                post=posts[post] if post else None,
                happened_on=demo.day(on),
                title=title,
                body=body,
                tags=tags,
                by=member if own else secretary,
            )
            if caption:
                services.deed_photo_add(deed=deed, photo=_photo(), caption=caption, by=secretary)
        if publicize and not deed.publicized:
            services.deed_publicize(deed=deed, publicized=True, by=secretary)


def _photo() -> Any:
    """The demo's drawn plaque, checked and re-encoded as an upload through the deed form is."""
    from .demo import _demo_photo

    return clean_image(SimpleUploadedFile("plaque.jpg", _demo_photo().read(), "image/jpeg"))


def _seed_savings(campaign: Campaign, posts: dict[str, VanguardPost], demo: Demo) -> None:
    secretary = demo.person("secretary")
    departments = _departments(demo)
    for kind, post, department, on, item, amount, basis, verifier, void in SAVINGS:
        entry = SavingRecord.objects.filter(campaign=campaign, item=item).first()
        if entry is None:
            data = {
                "post": posts[post] if post else None,
                "department": departments[department] if department else None,
                "kind": kind,
                "happened_on": demo.day(on),
                "item": item,
                "amount": Decimal(amount),
                "basis": basis,
                "verified_by": demo.person(verifier),
            }
            entry = services.saving_create(campaign=campaign, data=data, by=secretary)
        if void and not entry.is_voided:
            services.saving_void(entry=entry, reason=void, by=secretary)


# --- Problems and rectification ---------------------------------------------------------------


def _seed_rectification(campaign: Campaign, demo: Demo) -> list[Rectification]:
    secretary = demo.person("secretary")
    problems = {}
    for key, (source, area, title, description, found_on) in PROBLEMS.items():
        problem = Problem.objects.filter(campaign=campaign, title=title).first()
        if problem is None:
            data = {
                "source": source,
                "area": area,
                "title": title,
                "description": description,
                "found_on": demo.day(found_on),
            }
            problem = services.problem_create(campaign=campaign, data=data, by=secretary)
        problems[key] = problem
    return [_seed_item(campaign, spec, problems[spec["problem"]], demo) for spec in RECTIFICATIONS]


def _seed_item(
    campaign: Campaign, spec: dict[str, Any], problem: Problem, demo: Demo
) -> Rectification:
    secretary = demo.person("secretary")
    responsible = demo.person(spec["responsible"])
    item = Rectification.objects.filter(branch=demo.branch, title=spec["title"]).first()
    if item is None:
        data = {
            "title": spec["title"],
            "public_description": spec["public_description"],
            "internal_note": spec["internal_note"],
            "responsible": responsible,
            "deadline": demo.day(spec["deadline"]),
        }
        item = services.rectification_create(
            branch=demo.branch,
            campaign=campaign,
            data=data,
            opened_on=demo.day(spec["opened"]),
            by=secretary,
        )
    if problem.rectification_id is None and not item.is_closed:
        services.problem_link(problem=problem, rectification=item, by=secretary)
    for content, owner, deadline, percent, note, done_on in spec["measures"]:
        measure = Measure.objects.filter(rectification=item, content=content).first()
        if measure is None and item.is_open:
            data = {"content": content, "owner": demo.person(owner), "deadline": demo.day(deadline)}
            measure = services.measure_add(rectification=item, data=data, by=responsible)
        if measure is not None and item.is_open and measure.percent != percent:
            measure = services.measure_progress(
                measure=measure, percent=percent, evidence_note=note, by=responsible
            )
            item.refresh_from_db()
            if done_on:  # done that day, not on the day the demo was loaded
                Measure.objects.filter(pk=measure.pk).update(completed_on=demo.day(done_on))
    if spec.get("fixed") and item.status == R.IN_PROGRESS:
        services.rectification_report_fixed(
            rectification=item, on=demo.day(spec["fixed"]), by=responsible
        )
    if spec.get("accepted") and item.status == R.FIXED:
        services.rectification_accept(
            rectification=item,
            on=demo.day(spec["accepted"]),
            by=demo.person(spec["accepted_by"]),
        )
    return item


# --- The leadership team's record -------------------------------------------------------------


def _seed_leadership(demo: Demo) -> None:
    secretary = demo.person("secretary")
    for on, meeting, topic, attendees, proposal, discussion, resolution, method, votes in DECISIONS:
        if Decision.objects.filter(branch=demo.branch, topic=topic).exists():
            continue
        counts = dict(zip(("votes_for", "votes_against", "abstentions"), votes or (), strict=False))
        data = {
            "decided_on": demo.day(on),
            "meeting": meeting,
            "topic": topic,
            "proposal": proposal,
            "discussion": discussion,
            "resolution": resolution,
            "method": method,
            **counts,
        }
        services.decision_create(
            branch=demo.branch, data=data, attendees=_people(demo, attendees), by=secretary
        )
    for kind, on, title, participants, note in INTEGRITY:
        if IntegrityRecord.objects.filter(branch=demo.branch, title=title).exists():
            continue
        data = {"kind": kind, "held_on": demo.day(on), "title": title, "note": note}
        services.integrity_create(
            branch=demo.branch,
            data=data,
            participants=_people(demo, participants),
            by=secretary,
        )


__all__ = ["seed"]
