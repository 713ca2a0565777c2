"""The 战斗堡垒 part of seed_scale (issue 12), called by campaign/scale.py after the campaigns.

At the full company's size: 60 党员先锋岗 with their holders (and some history), plaques hung,
a few taken down (摘牌) and one hung again; a quarterly review of every hung post for each
finished quarter (the last one left partly open: the secretary's to-do); 3,000 先锋事迹 with
their tags; 6,000 增收节支 records on posts and departments; 300 problems, 250 rectification items
and 1,000 measures in every state; 150 decisions of the leadership team and 100 integrity
records. The smaller companies of the tests get the same in proportion.

Stored as the services store them (campaign/services/vanguard.py, rectification.py,
leadership.py): a post's plaque state and date are its last PlaqueEvent's, one open holding per
member and post, a deed 宣传 only when confirmed and 已退回 only with its reason, a measure dated
done exactly when it is at 100 %, an item's dates and 验收人 as its status needs them, votes only
where the team voted and never more than the people in the room, and the audit entries the
services write for the secretary's and the leaders' actions (appended to the campaign part's
list, inserted with it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from members.hooks import Scale
from members.models import AuditEntry, Department, Role, User
from members.scale import audit, dated, insert

from .models import (
    Campaign,
    Decision,
    Deed,
    DeedTag,
    IntegrityRecord,
    Measure,
    PlaqueEvent,
    PostHolder,
    PostReview,
    PostReviewScore,
    Problem,
    Rectification,
    SavingRecord,
    Standard,
    VanguardPost,
)
from .models.vanguard import quarter_bounds, quarter_of

R = Rectification.Status
FULL_SIZES = {
    "posts": 60,
    "deeds": 3000,
    "savings": 6000,
    "problems": 300,
    "items": 250,
    "measures": 1000,
    "decisions": 150,
    "integrity": 100,
}
LEAST = {
    "posts": 6,
    "deeds": 30,
    "savings": 40,
    "problems": 12,
    "items": 10,
    "measures": 30,
    "decisions": 6,
    "integrity": 4,
}

# Post names by the department they belong to (members/scale.py DEPARTMENTS); a department the
# company does not have gives its posts to the departments it has.
POST_NAMES: list[tuple[str, str]] = [
    ("配送中心", "药品配送岗"),
    ("配送中心", "急救药品配送岗"),
    ("配送中心", "县乡配送专线岗"),
    ("配送中心", "配送调度岗"),
    ("冷链物流部", "冷链配送岗"),
    ("冷链物流部", "冷链温控岗"),
    ("仓储中心", "仓储养护岗"),
    ("仓储中心", "分拣复核岗"),
    ("仓储中心", "出库发货岗"),
    ("质量管理部", "质量验收岗"),
    ("质量管理部", "药品养护岗"),
    ("零售连锁部", "执业药师服务岗"),
    ("零售连锁部", "便民药店岗"),
    ("客户服务部", "客户服务热线岗"),
    ("客户服务部", "投诉处理岗"),
    ("医院事业部", "医院驻点服务岗"),
    ("销售一部", "基层医疗客户服务岗"),
    ("销售二部", "回款管理岗"),
    ("采购部", "阳光采购岗"),
    ("物流调度中心", "线路优化岗"),
]
GROUPS = "一二三四五六七八九十"
DUTIES = "按时、准确、安全地完成本岗位任务；急难险重任务冲在前面，带动身边职工。"
PROMISES = [
    "以诚待人，以信立身，热情服务，乐于奉献。",
    "当日订单当日送达，急救药品随叫随送。",
    "客户来电 10 分钟内答复，问题当天有结果。",
    "账货相符，养护到位，零差错、零投诉。",
]
REMOVAL_REASONS = [
    "岗位调整，合并到配送调度岗",
    "季度评星连续两个季度为一星，限期整改后再挂牌",
    "岗位党员全部调离，暂时摘牌",
]
REVIEW_NOTES = [
    "服务承诺落实到位，客户满意。",
    "急难险重任务冲在前面，零差错。",
    "增收节支有实效，要继续保持。",
    "业务技能还可提高，希望多带新同事。",
    "",
]
DEED_TITLES = [
    ("大雪天把急救药品按时送到县医院", ["urgent", "praise"]),
    ("春节前连续加班保供，配送零差错", ["urgent"]),
    ("客户来信表扬热情周到的服务", ["praise", "service"]),
    ("优化配送线路，节约燃油费", ["saving", "innovation"]),
    ("清理近效期药品，减少报废损失", ["saving"]),
    ("帮助生病住院的同事代办手续", ["helping"]),
    ("主动回访客户，收集意见建议", ["service"]),
    ("提出的合理化建议被公司采纳", ["innovation"]),
    ("冷链药品全程控温，温度记录完整", ["service"]),
    ("夜间紧急调货，保障医院手术用药", ["urgent", "praise"]),
]
DEED_BODIES = [
    "接到医院的紧急电话后，立即调配车辆，{n} 小时内把药品送到。",
    "连续 {n} 天加班，完成了全部配送任务，没有一件差错。",
    "客户专门打来电话表扬，说服务热情周到，解决了他们的实际困难。",
    "经过测算，每月可节约费用约 {n}00 元。",
    "带领岗位党员逐项落实服务承诺，群众评价好。",
]
RETURN_REASONS = ["请补充事迹的时间和具体经过。", "请附上客户表扬的证明材料。"]
SAVING_ITEMS = {
    "income": [
        ("新增社区诊所配送客户", "新开发客户的配送毛利（财务部核定）。"),
        ("基层医疗机构新品种销售", "新推广品种的销售毛利（财务部核定）。"),
        ("加快回款减少资金占用", "回款提前天数 × 日资金成本。"),
    ],
    "saving": [
        ("优化配送线路节约燃油费", "少跑里程 × 百公里油耗 × 油价。"),
        ("近效期药品提前调剂，减少报废", "调剂品规按进价核算的报废损失。"),
        ("配送车辆自行保养节约维修费", "按原外包价格核算。"),
        ("改进采购方式降低采购成本", "与上年同期采购单价比较。"),
        ("节约办公用电用纸", "与上年同期费用比较。"),
    ],
}
PROBLEM_TEXTS = [
    ("县乡基层医疗机构配送覆盖不足", "对照“转型”的要求，配送网络集中在市区，县乡订单响应慢。"),
    ("采购与仓储信息系统不统一", "对照“整合”的要求，两套系统数据不互通，要靠人工对账。"),
    ("新业务拓展缺少激励办法", "对照“创新、跨跃”的要求，开发新客户缺少考核激励。"),
    ("库存周转天数高于集团平均水平", "近效期药品占比偏高，资金占用大。"),
    ("职工食堂伙食质量不高", "职工反映菜品单一，价格偏高。"),
    ("党员学习教育形式单一", "以读文件为主，党员参与积极性不高。"),
    ("客户投诉处理不及时", "部分投诉超过三天才答复。"),
    ("部分岗位服务承诺没有公开", "先锋岗以外的岗位没有公开服务承诺。"),
]
MEASURE_TEXTS = [
    "制定整改方案，明确责任人和时限",
    "开通县乡配送专线",
    "配送车辆加装温湿度监控设备",
    "建立配送时效考核办法",
    "采购、仓储数据接口改造",
    "把库存周转天数纳入月度考核",
    "召开职工座谈会听取意见",
    "整改情况在公开栏公示",
]
DECLINE_REASONS = ["涉及集团统一规划，本公司不具备整改条件，已向上级反映。"]
DECISION_TOPICS = [
    ("年度增收节支目标分解", "将年度增收节支目标分解到部门和党员先锋岗。"),
    ("党员先锋岗设立与调整", "根据业务变化调整党员先锋岗的设置。"),
    ("职工食堂改进方案", "改进采购方式，提高午餐费标准。"),
    ("对照集团战略查找经营管理问题", "对照“整合、转型、创新、跨跃”查找问题，确定整改事项。"),
    ("评选表彰优秀共产党员", "研究推荐年度优秀共产党员人选。"),
    ("重大采购项目决策", "“三重一大”事项：年度药品集中采购方案。"),
]
INTEGRITY_TITLES = {
    "study": [
        "学习《中国共产党党员领导干部廉洁从政若干准则》",
        "学习《国有企业领导人员廉洁从业若干规定》",
    ],
    "pledge": ["班子成员签订廉洁自律承诺书"],
    "talk": ["对采购岗位人员进行廉政谈话", "对新任中层干部进行任前廉政谈话"],
    "other": ["观看廉政警示教育片"],
}


def sizes(scale: Scale) -> dict[str, int]:
    """The full company's numbers, in proportion to the company's people."""
    factor = scale.people_count / Scale.FULL_PEOPLE
    return {k: max(LEAST[k], round(v * factor)) for k, v in FULL_SIZES.items()}


@dataclass
class _Holding:
    member: User
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass
class _Fortress:
    scale: Scale
    campaigns: list[Campaign]
    standards: list[Standard]
    entries: list[AuditEntry]
    sizes: dict[str, int]
    posts: list[VanguardPost] = field(default_factory=list)
    holdings: dict[int, list[_Holding]] = field(default_factory=dict)
    hung: dict[int, list[tuple[dt.date, dt.date | None]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    committee: list[User] = field(default_factory=list)
    leaders: list[User] = field(default_factory=list)

    @property
    def sec(self) -> User:
        return self.scale.logins["sec"]

    def log(self, by: User, action: str, obj: object, at: dt.datetime, detail: str = "") -> None:
        """An audit entry, as services._common.record writes it: for the secretary and leaders."""
        if by.has_role(Role.SECRETARY) or by.has_role(Role.LEADER):
            self.entries.append(audit(by=by, action=action, obj=obj, at=at, detail=detail))

    def elapsed(self, campaign: Campaign) -> tuple[dt.date, dt.date]:
        """The part of a campaign that has happened: its start to its end, or to today."""
        return campaign.starts_on, min(campaign.ends_on, self.scale.today)

    def day_in(self, campaign: Campaign, not_before: dt.date | None = None) -> dt.date:
        first, last = self.elapsed(campaign)
        first = max(first, not_before or first)
        if first > last:
            return last
        return first + dt.timedelta(days=self.scale.rng.randint(0, (last - first).days))

    def spread(self, total: int) -> list[tuple[Campaign, int]]:
        """`total` shared out between the campaigns by the days each has run."""
        days = [(c, (self.elapsed(c)[1] - c.starts_on).days + 1) for c in self.campaigns]
        whole = sum(d for _c, d in days)
        shares = [(c, total * d // whole) for c, d in days]
        shares[-1] = (shares[-1][0], total - sum(n for _c, n in shares[:-1]))
        return shares


def seed(
    scale: Scale, *, campaigns: Sequence[Campaign], standards: list[Standard], entries: list
) -> None:
    run = _Fortress(
        scale=scale,
        campaigns=list(campaigns),
        standards=standards,
        entries=entries,
        sizes=sizes(scale),
        committee=scale.with_role(Role.SECRETARY),
        leaders=scale.with_role(Role.LEADER),
    )
    _posts(run)
    _reviews(run)
    _deeds(run)
    _savings(run)
    _rectification(run)
    _leadership(run)
    c = run.counts
    scale.loaded.append(
        f"党员先锋岗 {c['posts']} 个（季度评星 {c['reviews']} 次），先锋事迹 {c['deeds']} 条，"
        f"增收节支 {c['savings']} 条，查找问题 {c['problems']} 个，整改事项 {c['items']} 项"
        f"（措施 {c['measures']} 项），班子决策 {c['decisions']} 项，廉洁自律记录 "
        f"{c['integrity']} 条"
    )


# --- Posts, holders, plaques ------------------------------------------------------------------


def _post_names(n: int, departments: list[Department]) -> list[tuple[str, Department]]:
    by_name = {d.name: d for d in departments}
    names = []
    for i in range(n):
        dept_name, base = POST_NAMES[i % len(POST_NAMES)]
        group = i // len(POST_NAMES)
        department = by_name.get(dept_name) or departments[i % len(departments)]
        names.append((f"{base}（{GROUPS[group % 10]}组）" if group else base, department))
    return names


def _posts(run: _Fortress) -> None:
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    departments = list(
        Department.objects.using(scale.database).filter(branch=scale.branch).order_by("order")
    )
    first = run.campaigns[0].starts_on
    created = scale.at(first - dt.timedelta(days=10), 10)
    n = run.sizes["posts"]
    posts = []
    plans = []
    not_yet = max(1, n // 20)
    for i, (name, department) in enumerate(_post_names(n, departments)):
        # Most hung early in the first campaign; the last few not yet; three in twenty taken
        # down (摘牌), one of them hung again.
        hung_on = first + dt.timedelta(days=rng.randint(20, 60)) if i < n - not_yet else None
        plan: list[tuple[str, dt.date, str]] = []
        if hung_on:
            plan.append(("hang", hung_on, ""))
            if i % 20 in (2, 9, 16):
                removed = min(hung_on + dt.timedelta(days=rng.randint(200, 500)), scale.today)
                plan.append(("remove", removed, REMOVAL_REASONS[i % 20 % 3]))
                if i % 20 == 9 and removed + dt.timedelta(days=90) < scale.today:
                    plan.append(("hang", removed + dt.timedelta(days=90), ""))
        last = plan[-1] if plan else None
        post = VanguardPost(
            branch=scale.branch,
            name=name,
            department=department,
            duties=DUTIES,
            promise=PROMISES[i % len(PROMISES)],
            order=i + 1,
            plaque={"hang": "hung", "remove": "removed"}[last[0]] if last else "none",
            plaque_on=last[1] if last else None,
            removal_reason=last[2] if last else "",
        )
        posts.append(dated(post, created, scale.at(last[1], 10) if last else created))
        plans.append(plan)
    run.posts = insert(scale, VanguardPost, posts)
    events = []
    for post, plan in zip(run.posts, plans, strict=True):
        run.log(sec, "设立党员先锋岗", post, created)
        spans: list[tuple[dt.date, dt.date | None]] = []
        for action, on, reason in plan:
            event = PlaqueEvent(post=post, action=action, happened_on=on, reason=reason, by=sec)
            events.append(dated(event, scale.at(on, 10)))
            if action == "hang":
                spans.append((on, None))
            else:
                spans[-1] = (spans[-1][0], on)
        run.hung[post.pk] = spans
    insert(scale, PlaqueEvent, events)
    for event in events:
        action = "先锋岗挂牌" if event.action == "hang" else "先锋岗摘牌"
        run.log(sec, action, event.post, event.created_at, event.reason)
    _holders(run)
    run.counts["posts"] = len(run.posts)


def _holders(run: _Fortress) -> None:
    """One to three party members a post, from its department where it has them; the member
    sign-in on the first post; every fifth post has a former holder (history)."""
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    party = scale.party()
    by_department: dict[int | None, list[User]] = {}
    for person in party:
        by_department.setdefault(person.department_id, []).append(person)
    rows = []
    for i, post in enumerate(run.posts):
        start = run.hung[post.pk][0][0] if run.hung[post.pk] else scale.today
        pool = by_department.get(post.department_id) or party
        chosen = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        if i == 0 and scale.logins["member"] not in chosen:
            chosen[0] = scale.logins["member"]
        holdings = [_Holding(member, start, None) for member in dict.fromkeys(chosen)]
        if i % 5 == 4:
            former = rng.choice(party)
            if former not in chosen:
                left = start + dt.timedelta(days=rng.randint(60, 200))
                if left < scale.today:
                    holdings.append(_Holding(former, start, left))
        run.holdings[post.pk] = holdings
        for h in holdings:
            holder = PostHolder(
                post=post,
                member=h.member,
                starts_on=h.starts_on,
                ends_on=h.ends_on,
                assigned_by=sec,
            )
            rows.append(dated(holder, scale.at(h.starts_on, 9), scale.at(h.ends_on or h.starts_on)))
    for holder in insert(scale, PostHolder, rows):
        run.log(sec, "安排先锋岗党员", holder, holder.created_at)
        if holder.ends_on:
            run.log(sec, "先锋岗党员离岗", holder, holder.updated_at)


# --- Quarterly reviews --------------------------------------------------------------------------


def _quarter_campaign(run: _Fortress, year: int, quarter: int) -> Campaign | None:
    first, last = quarter_bounds(year, quarter)
    for day in (last, first):
        for campaign in run.campaigns:
            if campaign.starts_on <= day <= campaign.ends_on:
                return campaign
    return None


def _reviews(run: _Fortress) -> None:
    """Every finished quarter in which a post was hung, within the campaigns; of the latest
    finished quarter nine posts in ten (the rest is the secretary's to-do)."""
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    year, quarter = quarter_of(scale.today)
    latest = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    y, q = quarter_of(run.campaigns[0].starts_on)
    quarters = []
    while (y, q) <= latest:
        quarters.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    reviews: list[PostReview] = []
    for post in run.posts:
        stars = rng.choice([3, 4, 4, 5])
        for y, q in quarters:
            first, last = quarter_bounds(y, q)
            hung = any(s <= last and (e is None or e >= first) for s, e in run.hung[post.pk])
            campaign = _quarter_campaign(run, y, q)
            if not hung or campaign is None:
                continue
            if (y, q) == latest and post.order % 10 == 0:
                continue
            stars = max(1, min(5, stars + rng.choice([-1, 0, 0, 1])))
            on = min(last + dt.timedelta(days=rng.randint(3, 15)), scale.today)
            review = PostReview(
                post=post,
                campaign=campaign,
                year=y,
                quarter=q,
                stars=stars,
                note=rng.choice(REVIEW_NOTES),
                reviewed_on=on,
                reviewed_by=sec,
            )
            reviews.append(dated(review, scale.at(on, 15)))
    reviews = insert(scale, PostReview, reviews)
    scores = []
    for review in reviews:
        given = [
            (s, max(1, min(5, review.stars + rng.choice([-1, 0, 0, 1])))) for s in run.standards
        ]
        scores += [PostReviewScore(review=review, standard=s, stars=n) for s, n in given]
        detail = "；".join(f"{s.name}：{n}★" for s, n in given)
        run.log(sec, "先锋岗季度评星", review, review.created_at, detail)
    insert(scale, PostReviewScore, scores)
    run.counts["reviews"] = len(reviews)


# --- Deeds and 增收节支 -----------------------------------------------------------------------


def _deeds(run: _Fortress) -> None:
    """Deeds of the posts' holders while they held them: recorded by the member (confirmed by the
    secretary) or by the secretary (confirmed at once). In the running campaign some still wait
    (待确认) and a few went back (已退回); one in five confirmed is 宣传."""
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    deeds: list[Deed] = []
    tags: list[list[str]] = []
    running = run.campaigns[-1]
    for campaign, n in run.spread(run.sizes["deeds"]):
        first, last = run.elapsed(campaign)
        active = [
            (post, h)
            for post in run.posts
            for h in run.holdings[post.pk]
            if h.starts_on <= last and (h.ends_on is None or h.ends_on >= first)
        ]
        for _ in range(n if active else 0):
            post, holding = rng.choice(active)
            on = run.day_in(campaign, not_before=holding.starts_on)
            if holding.ends_on and on > holding.ends_on:
                on = max(holding.ends_on, first)
            own = rng.random() < 0.7
            status = Deed.Status.CONFIRMED
            if campaign is running and own and on > scale.today - dt.timedelta(days=40):
                status = rng.choice([Deed.Status.SUBMITTED] * 3 + [Deed.Status.RETURNED])
            title, chosen = rng.choice(DEED_TITLES)
            created = scale.at(on + dt.timedelta(days=rng.randint(0, 3)), rng.randint(8, 20))
            deed = Deed(
                campaign=campaign,
                post=post,
                member=holding.member,
                happened_on=on,
                title=title,
                body=rng.choice(DEED_BODIES).format(n=rng.randint(2, 9)),
                status=status,
                return_reason=rng.choice(RETURN_REASONS) if status == Deed.Status.RETURNED else "",
                publicized=status == Deed.Status.CONFIRMED and rng.random() < 0.2,
                recorded_by=holding.member if own else sec,
                confirmed_by=sec if status == Deed.Status.CONFIRMED else None,
            )
            deeds.append(dated(deed, created, created + dt.timedelta(days=2)))
            tags.append(chosen)
    deeds = insert(scale, Deed, deeds)
    insert(
        scale,
        DeedTag,
        [DeedTag(deed=d, tag=t) for d, ts in zip(deeds, tags, strict=True) for t in ts],
    )
    for deed in deeds:
        run.log(deed.recorded_by, "记录先锋事迹", deed, deed.created_at)
        later = min(deed.updated_at, scale.now)
        if deed.status == Deed.Status.CONFIRMED and deed.recorded_by != sec:
            run.log(sec, "确认先锋事迹", deed, later)
        if deed.status == Deed.Status.RETURNED:
            run.log(sec, "退回先锋事迹", deed, later, deed.return_reason)
        if deed.publicized:
            run.log(sec, "宣传先锋事迹", deed, later)
    run.counts["deeds"] = len(deeds)


def _amount(run: _Fortress) -> Decimal:
    """Yuan to the cent: most a few hundred to a few thousand, a few large ones."""
    rng = run.scale.rng
    cents = rng.randint(100_00, 5000_00) if rng.random() < 0.9 else rng.randint(5000_00, 80000_00)
    return Decimal(cents).scaleb(-2)


def _savings(run: _Fortress) -> None:
    """On a post (carrying its department) four in five, else on a department; verified by a
    leader; one in a hundred voided with its reason."""
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    verifiers = run.leaders
    departments = sorted({p.department_id for p in run.posts})
    rows = []
    for campaign, n in run.spread(run.sizes["savings"]):
        for _ in range(n):
            post = rng.choice(run.posts) if rng.random() < 0.8 else None
            kind = "income" if rng.random() < 0.4 else "saving"
            item, basis = rng.choice(SAVING_ITEMS[kind])
            on = run.day_in(campaign)
            created = scale.at(min(on + dt.timedelta(days=rng.randint(0, 5)), scale.today), 11)
            entry = SavingRecord(
                campaign=campaign,
                post=post,
                department_id=post.department_id if post else rng.choice(departments),
                happened_on=on,
                kind=kind,
                item=item,
                amount=_amount(run),
                basis=basis,
                verified_by=rng.choice(verifiers),
                recorded_by=sec,
            )
            if rng.random() < 0.01:
                entry.voided_at = min(created + dt.timedelta(days=1), scale.now)
                entry.voided_by = sec
                entry.void_reason = "重复登记，金额只计一次。"
            rows.append(dated(entry, created, entry.voided_at or created))
    rows = insert(scale, SavingRecord, rows)
    for entry in rows:
        run.log(sec, "登记增收节支", entry, entry.created_at)
        if entry.voided_at:
            detail = f"作废原因：{entry.void_reason}"
            run.log(sec, "作废增收节支记录", entry, entry.voided_at, detail)
    run.counts["savings"] = len(rows)


# --- Problems, rectification items, measures -----------------------------------------------------


def _status(run: _Fortress, campaign: Campaign, deadline: dt.date) -> str:
    """What became of an item: a finished campaign's are mostly accepted; the running one's are
    spread over every state; an item whose deadline is far ahead is still open."""
    rng = run.scale.rng
    if campaign is not run.campaigns[-1]:
        return rng.choices([R.ACCEPTED, R.FIXED, R.DECLINED, R.IN_PROGRESS], [70, 10, 10, 10])[0]
    if deadline > run.scale.today + dt.timedelta(days=30):
        return rng.choices([R.PENDING, R.IN_PROGRESS], [30, 70])[0]
    weights = [15, 45, 15, 20, 5]
    return rng.choices([R.PENDING, R.IN_PROGRESS, R.FIXED, R.ACCEPTED, R.DECLINED], weights)[0]


def _rectification(run: _Fortress) -> None:
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    leaders = run.leaders
    owners = leaders + scale.party()[: max(10, len(leaders) * 4)]
    problems = []
    for campaign, n in run.spread(run.sizes["problems"]):
        for _ in range(n):
            title, description = rng.choice(PROBLEM_TEXTS)
            on = run.day_in(campaign)
            problem = Problem(
                campaign=campaign,
                source=rng.choice(Problem.Source.values),
                area=rng.choice(Problem.Area.values),
                title=title,
                description=description,
                found_on=on,
                recorded_by=sec,
            )
            problems.append(dated(problem, scale.at(on, 16)))
    # `items` problems, drawn at random, each open an item; most of the others join an item of
    # their campaign, a few are not yet rectified (未列入整改).
    n_items = min(run.sizes["items"], len(problems))
    openers = sorted(rng.sample(range(len(problems)), n_items))
    items: list[Rectification] = []
    for problem in (problems[i] for i in openers):
        opened = min(problem.found_on + dt.timedelta(days=rng.randint(1, 10)), scale.today)
        deadline = opened + dt.timedelta(days=rng.randint(30, 120))
        status = _status(run, problem.campaign, deadline)
        responsible = rng.choice(leaders)
        item = Rectification(
            branch=scale.branch,
            campaign=problem.campaign,
            title=problem.title,
            public_description=f"针对“{problem.title}”，制定措施，限期整改。",
            internal_note=problem.description if rng.random() < 0.5 else "",
            responsible=responsible,
            opened_on=opened,
            deadline=deadline,
            status=status,
            created_by=sec,
        )
        _close(run, item, opened)
        items.append(dated(item, scale.at(opened, 10), scale.at(_last_day(item), 17)))
    items = insert(scale, Rectification, items)
    by_campaign: dict[int, list[Rectification]] = {}
    for item in items:
        by_campaign.setdefault(item.campaign_id, []).append(item)
    opened = dict(zip(openers, items, strict=True))
    for n, problem in enumerate(problems):
        if n in opened:
            problem.rectification = opened[n]
        elif rng.random() < 0.8 and by_campaign.get(problem.campaign.pk):
            problem.rectification = rng.choice(by_campaign[problem.campaign.pk])
    problems = insert(scale, Problem, problems)
    measures = _measures(run, items, owners)
    for problem in problems:
        run.log(sec, "登记查找问题", problem, problem.created_at)
    for item in items:
        run.log(sec, "确定整改事项", item, item.created_at)
        titles = "、".join(p.title for p in problems if p.rectification_id == item.pk)
        run.log(sec, "问题列入整改", item, item.created_at, titles)
        _log_item(run, item)
    run.counts.update(problems=len(problems), items=len(items), measures=len(measures))


def _close(run: _Fortress, item: Rectification, opened: dt.date) -> None:
    """The dates and people an item's status needs (the model's constraints)."""
    rng, today = run.scale.rng, run.scale.today
    if item.status in (R.FIXED, R.ACCEPTED):
        item.fixed_on = min(opened + dt.timedelta(days=rng.randint(10, 90)), today)
    if item.status == R.ACCEPTED:
        item.accepted_on = min(item.fixed_on + dt.timedelta(days=rng.randint(1, 20)), today)
        others = [p for p in run.committee if p.pk != item.responsible_id]
        if not others:  # nobody accepts his or her own item: a leader outside 支委 answers for it
            committee = {p.pk for p in run.committee}
            item.responsible = next(p for p in run.leaders if p.pk not in committee)
            others = run.committee
        item.accepted_by = rng.choice(others)
    if item.status == R.DECLINED:
        item.declined_on = min(opened + dt.timedelta(days=rng.randint(5, 30)), today)
        item.decline_reason = DECLINE_REASONS[0]


def _last_day(item: Rectification) -> dt.date:
    return item.accepted_on or item.fixed_on or item.declined_on or item.opened_on


def _measures(run: _Fortress, items: list[Rectification], owners: list[User]) -> list[Measure]:
    """Spread over the items that have work (a declined or pending item may have none yet): all
    done on a fixed item, part done on an open one."""
    scale, rng = run.scale, run.scale.rng
    with_work = [i for i in items if i.status != R.DECLINED] or items
    rows = []
    for n in range(run.sizes["measures"]):
        item = with_work[n % len(with_work)]
        order = n // len(with_work) + 1
        span = max(0, (item.deadline - item.opened_on).days)
        deadline = item.opened_on + dt.timedelta(days=rng.randint(span // 3, span))
        if item.status in Rectification.FIXED_STATUSES:
            percent = 100
        elif item.status == R.PENDING:
            percent = 0
        else:
            percent = rng.choice([0, 20, 40, 60, 80, 100])
        completed = None
        if percent == 100:
            completed = min(item.fixed_on or scale.today, deadline, scale.today)
            completed = max(completed, item.opened_on)
        measure = Measure(
            rectification=item,
            content=MEASURE_TEXTS[(n + order) % len(MEASURE_TEXTS)],
            owner=rng.choice(owners),
            deadline=deadline,
            percent=percent,
            completed_on=completed,
            evidence_note="已按期完成，资料已归档。" if percent == 100 else "",
            order=order,
        )
        rows.append(
            dated(measure, scale.at(item.opened_on, 14), scale.at(completed or item.opened_on, 16))
        )
    rows = insert(scale, Measure, rows)
    for measure in rows:
        item = measure.rectification
        run.log(item.responsible, "制定整改措施", measure, measure.created_at, str(item))
        if measure.percent:
            detail = f"完成进度：0% → {measure.percent}%"
            run.log(item.responsible, "更新整改进度", measure, measure.updated_at, detail)
    return rows


def _log_item(run: _Fortress, item: Rectification) -> None:
    scale = run.scale
    if item.status != R.PENDING and item.status != R.DECLINED:
        run.log(item.responsible, "开始整改", item, scale.at(item.opened_on, 15))
    if item.fixed_on:
        run.log(item.responsible, "报告已整改", item, scale.at(item.fixed_on, 16))
    if item.accepted_on:
        run.log(item.accepted_by, "验收整改事项", item, scale.at(item.accepted_on, 10))
    if item.declined_on:
        run.log(run.sec, "不予整改", item, scale.at(item.declined_on, 10), item.decline_reason)


# --- The leadership team's record -------------------------------------------------------------


def _leadership(run: _Fortress) -> None:
    """Decisions taken by the leaders (with some members attending) and integrity records of
    the leaders, spread over the campaigns."""
    scale, rng, sec = run.scale, run.scale.rng, run.sec
    leaders = run.leaders
    party = scale.party()
    Method = Decision.Method
    decisions, attendance = [], []
    for campaign, n in run.spread(run.sizes["decisions"]):
        for _ in range(n):
            on = run.day_in(campaign)
            people = list(
                dict.fromkeys(leaders + rng.sample(party, min(len(party), rng.randint(0, 3))))
            )
            method = rng.choice(Method.values)
            votes: tuple[int | None, int | None, int | None] = (None, None, None)
            if method != Method.CONSENSUS:
                against = rng.choice([0, 0, 0, 1])
                abstain = rng.choice([0, 0, 1])
                votes = (len(people) - against - abstain, against, abstain)
            topic, proposal = rng.choice(DECISION_TOPICS)
            decision = Decision(
                branch=scale.branch,
                decided_on=on,
                meeting=rng.choice(["领导班子会议", "支委会", "党政联席会"]),
                topic=f"{topic}（{on:%Y年%m月}）",
                proposal=proposal,
                discussion="班子成员逐一发表意见，充分讨论。",
                resolution="按讨论意见执行，由分管领导负责落实。",
                method=method,
                votes_for=votes[0],
                votes_against=votes[1],
                abstentions=votes[2],
                recorded_by=sec,
            )
            decisions.append(dated(decision, scale.at(on, 17)))
            attendance.append(people)
    decisions = insert(scale, Decision, decisions)
    through = Decision.attendees.through
    insert(
        scale,
        through,
        [
            through(decision_id=d.pk, user_id=p.pk)
            for d, people in zip(decisions, attendance, strict=True)
            for p in people
        ],
    )
    entries, participants = [], []
    kinds = list(INTEGRITY_TITLES)
    for campaign, n in run.spread(run.sizes["integrity"]):
        for i in range(n):
            kind = kinds[i % len(kinds)]
            on = run.day_in(campaign)
            entry = IntegrityRecord(
                branch=scale.branch,
                kind=kind,
                held_on=on,
                title=rng.choice(INTEGRITY_TITLES[kind]),
                note="班子成员结合分管工作谈了体会。" if kind == "study" else "",
                recorded_by=sec,
            )
            entries.append(dated(entry, scale.at(on, 16)))
            people = leaders if kind != "talk" else rng.sample(party, min(len(party), 3))
            participants.append(people)
    entries = insert(scale, IntegrityRecord, entries)
    through = IntegrityRecord.participants.through
    insert(
        scale,
        through,
        [
            through(integrityrecord_id=e.pk, user_id=p.pk)
            for e, people in zip(entries, participants, strict=True)
            for p in people
        ],
    )
    for decision in decisions:
        run.log(sec, "记录班子决策", decision, decision.created_at)
    for entry in entries:
        run.log(sec, "记录廉洁自律", entry, entry.created_at)
    run.counts.update(decisions=len(decisions), integrity=len(entries))
