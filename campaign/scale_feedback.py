"""The 服务群众 part of seed_scale (issue 13), called by campaign/scale.py after the 战斗堡垒 part.

At the full company's size: 3,000 pieces of staff feedback over the campaigns' three years (three
in ten 完全匿名, four 对外匿名, three 实名; the senders are the company's people) in every status:
300 待受理 (80 of them waiting longer than three days), 150 已受理, 800 列入整改 on the
rectification items of scale_fortress, 280 不予采纳, 120 重复 and the rest 办结 with an answer;
1,200 satisfaction verdicts, 2,000 handlers' notes; 400 关爱慰问 visits and 300 住院报告 (most
answered by a visit, 40 closed, 20 late). The smaller companies of the tests get the same in
proportion.

Stored as the services store them (campaign/services/feedback.py, care.py):

* a 完全匿名 item has no sender and the HMAC of a receipt code nobody holds
  (`receipt_digest(receipt_new())`), and was released the day after it was sent (never today);
  rows are written in date order, shuffled within a day, as `feedback_release` leaves them;
* each status has the fields its transitions set: 受理 the handler (a leader or the secretary)
  and its date, 不予采纳 the reason and the date, 重复 the item it repeats and the date, 办结 the
  answer and the date;
* an item linked to a rectification item has the status `_status_for` gives it: 整改中 while
  the item is 待整改/整改中, 已整改(待评价) or 已办结 once it is 已整改/已验收, 不予采纳 (with
  the item's reason) when it is 不予整改;
* verdicts only on items that reached 已整改, numbered 1..n: every one but an item's last is
  不满意 (which reopened the rectification item: its 重新整改原因 is the verdict's), the last of
  an 已办结 item is 满意 or 基本满意 and dated its 办结日期;
* the audit entries the services write for the secretary's and the leaders' actions (受理, 不予
  采纳, 重复, 答复, 办结, 列入整改, 关爱慰问, 关闭住院报告), appended to the campaign part's list;
  never for a verdict, never naming a sender.

The part draws from a generator of its own, seeded from the company's: the reading activities
seeded after it stay the same company they were before this part existed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from config.dates import cn_date
from members.hooks import Scale
from members.models import AuditEntry, Role, User
from members.scale import audit, dated, insert

from .models import (
    Campaign,
    CareVisit,
    Feedback,
    FeedbackNote,
    IllnessReport,
    Rectification,
    SatisfactionRating,
)
from .services.feedback import REASON_MAX, receipt_digest, receipt_new

F = Feedback.Status
R = Rectification.Status
Level = SatisfactionRating.Level
FULL_SIZES = {
    "feedback": 3000,
    "new": 300,
    "late": 80,  # of the 待受理: sent more than NOT_ACCEPTED_DAYS ago
    "accepted": 150,
    "linked": 800,
    "declined": 280,
    "duplicate": 120,
    "ratings": 1200,
    "notes": 2000,
    "visits": 400,
    "reports": 300,
    "reports_closed": 40,
    "reports_late": 20,
    "reports_waiting": 8,  # reported within the week, not visited yet
}
LEAST = {
    "feedback": 40,
    "new": 4,
    "late": 2,
    "accepted": 2,
    "linked": 10,
    "declined": 3,
    "duplicate": 2,
    "ratings": 14,
    "notes": 20,
    "visits": 8,
    "reports": 8,
    "reports_closed": 1,
    "reports_late": 1,
    "reports_waiting": 1,
}
IDENTITIES = (Feedback.Identity.NONE, Feedback.Identity.HANDLERS, Feedback.Identity.REAL)
IDENTITY_WEIGHTS = (30, 40, 30)
KINDS = (Feedback.Kind.COMPLAINT, Feedback.Kind.SUGGESTION, Feedback.Kind.PRAISE)
CATEGORIES = ("canteen", "welfare", "environment", "other")
CATEGORY_WEIGHTS = (25, 30, 25, 20)
# Of the items 列入整改: shares on open and on 不予整改 rectification items; the rest on fixed ones.
OPEN_SHARE, DECLINED_SHARE = 0.12, 0.02
WAITING_SHARE = 0.1  # of those on fixed items: 已整改, the sender has not rated (yet)
WAITING_REJECTED = 0.3  # of the waiting: rated 不满意 before the item was fixed again

TEXTS: dict[tuple[str, str], list[str]] = {
    ("complaint", "canteen"): [
        "食堂的菜品太单一，天天土豆白菜，价格还偏高，希望改进。",
        "午饭的蔬菜经常不新鲜，副食品种类太少。",
        "食堂开饭时间太短，配送回来的同事常常吃不上热饭。",
    ],
    ("complaint", "welfare"): [
        "加班费的核算办法不清楚，希望公开计算方法。",
        "夜班补贴标准多年没有调整。",
        "劳保用品发放不及时，手套和工作服不够用。",
    ],
    ("complaint", "environment"): [
        "仓储分拣区夏天太热，没有降温设备，希望安装风扇或空调。",
        "冷库门口地面经常结冰，容易滑倒。",
        "配送车辆停车场没有照明，晚上收车不安全。",
    ],
    ("complaint", "other"): [
        "报销审批环节太多，一笔差旅费要跑好几个部门签字。",
        "加班后没有车送回家，晚上打车不安全也不报销。",
    ],
    ("suggestion", "canteen"): [
        "建议食堂蔬菜改为从基地定点采购，既新鲜又便宜。",
        "建议为夜班的同事准备夜宵。",
    ],
    ("suggestion", "welfare"): [
        "建议每年组织一次职工体检，并增加女职工专项检查。",
        "建议为长途配送的驾驶员购买意外伤害保险。",
    ],
    ("suggestion", "environment"): [
        "建议在办公楼门口设置电动车充电桩。",
        "建议在仓库休息区增加饮水机和座椅。",
    ],
    ("suggestion", "other"): [
        "建议把常用的业务表格放到内网上，方便下载。",
        "建议定期开展药品知识培训，提高门店的服务水平。",
    ],
    ("praise", "canteen"): ["食堂改进后饭菜可口多了，午餐标准也提高了，感谢领导关心！"],
    ("praise", "welfare"): ["工会组织的职工体检安排得很周到，感谢！"],
    ("praise", "environment"): ["仓库新装了空调，夏天干活舒服多了，谢谢！"],
    ("praise", "other"): ["配送中心的同事大雪天坚持把急救药品送到县医院，值得表扬。"],
}
# Items 列入整改, by the title of the rectification item (scale_fortress.PROBLEM_TEXTS).
LINKED_TEXTS: dict[str, list[tuple[str, str, str]]] = {
    "县乡基层医疗机构配送覆盖不足": [
        ("suggestion", "other", "建议开通到县乡卫生院的配送专线，基层的订单送得太慢。"),
    ],
    "采购与仓储信息系统不统一": [
        ("complaint", "environment", "采购和仓储两套系统对不上账，每月都要加班人工核对。"),
    ],
    "新业务拓展缺少激励办法": [
        ("suggestion", "welfare", "开发新客户没有奖励，大家积极性不高，建议制定激励办法。"),
    ],
    "库存周转天数高于集团平均水平": [
        ("suggestion", "other", "仓库里近效期药品积压较多，建议及时调剂，减少报废。"),
    ],
    "职工食堂伙食质量不高": [
        ("complaint", "canteen", text) for text in TEXTS[("complaint", "canteen")]
    ]
    + [("suggestion", "canteen", text) for text in TEXTS[("suggestion", "canteen")]],
    "党员学习教育形式单一": [
        ("suggestion", "other", "支部学习以读文件为主，建议多组织参观和交流。"),
    ],
    "客户投诉处理不及时": [
        ("complaint", "other", "客户投诉转来转去没人负责，一线员工很为难，建议明确专人处理。"),
    ],
    "部分岗位服务承诺没有公开": [
        ("suggestion", "other", "建议把各岗位的服务承诺在公开栏公布，方便群众监督。"),
    ],
}
ANSWERS = {
    "complaint": ["已责成相关部门处理，问题已经解决。", "已督促相关部门整改，下月起执行新办法。"],
    "suggestion": [
        "您的建议已采纳，由相关部门负责落实。",
        "建议很好，已转有关部门研究，纳入明年的工作计划。",
    ],
    "praise": ["感谢您的肯定，已转达相关部门和同事。"],
}
LINKED_REPLY = "已列入整改，整改进展在意见整改公示栏公布。"
ACCEPTED_REPLY = "已受理，正在了解情况，十个工作日内答复。"
DECLINE_REASONS = [
    "涉及集团统一规定，本公司无权调整，已向上级反映。",
    "经核实，情况与反映的不符，已在职工大会上说明。",
    "职工体检已列入工会年度计划，由工会统一组织，支部将转交工会研究。",
]
NOTES = [
    "已与相关部门负责人沟通，了解了情况。",
    "到现场查看，反映的情况属实。",
    "已安排专人跟进，每周汇报一次进展。",
    "整改方案已报领导班子会议研究。",
    "相关部门已拿出处理意见，待落实。",
    "同类意见较多，拟统一答复。",
]
UNSATISFIED = ["问题只解决了一部分，还需要继续改进。", "整改后又出现反复，希望长期坚持。"]
SATISFIED_COMMENTS = ["", "", "改进明显，谢谢！", "基本解决了，希望保持。"]
REOPEN = "群众评价不满意：%s"  # services.rectification: rectification_reopen_for_feedback

GIFTS = ["鲜花、水果、营养品", "大米、面粉、清油", "水果、牛奶", "慰问品一份"]
AMOUNTS = [Decimal("200.00"), Decimal("300.00"), Decimal("500.00"), Decimal("800.00")]
HOSPITALS = [
    "新疆医科大学第一附属医院 骨科二病区",
    "自治区人民医院 心内科",
    "乌鲁木齐市友谊医院 普外科",
    "自治区中医医院 内科",
]
ILLNESS_NOTES = [
    "搬货时扭伤腰部，需住院治疗两周左右。",
    "下班路上摔伤，右腿骨折，住院治疗。",
    "急性阑尾炎，已手术，恢复良好。",
    "高血压住院观察。",
]
VISIT_NOTES = {
    "hospital": "详细询问了病情和治疗情况，叮嘱安心养病，工作由同事分担。",
    "hardship": "家庭生活困难，已帮助申请困难职工补助。",
    "retirement": "感谢多年来的辛勤工作，欢迎常回公司看看。",
    "festival": "节前走访，送上节日的问候。",
    "other": "了解了近况，转达了公司的关心。",
}
CLOSE_REASONS = ["已出院，家属谢绝探望。", "住院时间短，已康复上班。"]
# Visits not answering a report, by reason.
VISIT_REASONS = ("festival", "hardship", "hospital", "retirement", "other")
VISIT_WEIGHTS = (40, 25, 15, 12, 8)


def sizes(scale: Scale) -> dict[str, int]:
    """The full company's numbers, in proportion to the company's people."""
    factor = scale.people_count / Scale.FULL_PEOPLE
    return {k: max(LEAST[k], round(v * factor)) for k, v in FULL_SIZES.items()}


@dataclass
class _Link:
    """An item 列入整改: its rectification item and the day it was linked."""

    rectification: Rectification
    on: dt.date


@dataclass
class _Service:
    scale: Scale
    rng: random.Random
    start: dt.date
    entries: list[AuditEntry]
    sizes: dict[str, int]
    committee: list[User]
    leaders: list[User]
    senders: list[User]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return self.scale.today

    def log(self, by: User, action: str, obj: object, on: dt.date, detail: str = "") -> None:
        """An audit entry as services._common.record writes it: for the secretary and leaders."""
        if by.has_role(Role.SECRETARY) or by.has_role(Role.LEADER):
            at = self.scale.at(on, self.rng.randint(9, 17), self.rng.randint(0, 59))
            self.entries.append(audit(by=by, action=action, obj=obj, at=at, detail=detail))

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        """A day from `first` to `last` (both included; `first` when they cross)."""
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def after(self, day: dt.date, low: int, high: int) -> dt.date:
        """`low`..`high` days after `day`, never after today."""
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), self.today)


def seed(scale: Scale, *, campaigns: Sequence[Campaign], entries: list) -> None:
    rng = random.Random(f"scale_feedback:{scale.rng.getstate()!r}")
    leaders = scale.with_role(Role.LEADER)
    run = _Service(
        scale=scale,
        rng=rng,
        start=campaigns[0].starts_on,
        entries=entries,
        sizes=sizes(scale),
        committee=scale.with_role(Role.SECRETARY),
        leaders=leaders,
        senders=[p for p in scale.people if p not in leaders],
    )
    _feedback(run)
    _care(run)
    c = run.counts
    scale.loaded.append(
        f"群众意见 {c['feedback']} 条（完全匿名 {c['anonymous']} 条，列入整改 {c['linked']} 条，"
        f"满意度评价 {c['ratings']} 次，处理备注 {c['notes']} 条），关爱慰问 {c['visits']} 次，"
        f"住院报告 {c['reports']} 份"
    )


# --- Feedback -----------------------------------------------------------------------------------


def _new_item(run: _Service, sent: dt.date, what: tuple[str, str, str] | None = None) -> Feedback:
    """An item as feedback_send (实名/对外匿名) or feedback_release (完全匿名) writes it; `what`:
    its kind, category and text, else drawn."""
    rng = run.rng
    identity = rng.choices(IDENTITIES, IDENTITY_WEIGHTS)[0]
    if what is None:
        kind = rng.choices(KINDS, (45, 40, 15))[0]
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        what = (kind, category, rng.choice(TEXTS[(kind, category)]))
    kind, category, text = what
    item = Feedback(
        branch=run.scale.branch,
        kind=kind,
        category=category,
        text=text,
        public_text=text,
        identity=identity,
        submitted_on=sent,
    )
    if identity == Feedback.Identity.NONE:
        # Released the day after it was sent: never dated today. Its receipt code is not kept.
        item.submitted_on = min(sent, run.today - dt.timedelta(days=1))
        item.receipt_digest = receipt_digest(receipt_new())
    else:
        item.sender = rng.choice(run.senders)
    return item


def _accept(run: _Service, item: Feedback, on: dt.date) -> None:
    """受理 by a secretary, given to a leader (or kept)."""
    rng = run.rng
    item.status = F.ACCEPTED
    item.handler = rng.choice(run.leaders)
    item.accepted_on = max(on, item.submitted_on)
    by = rng.choice(run.committee)
    run.log(by, "受理意见", item, item.accepted_on, f"负责领导：{item.handler.full_name}")


def _feedback(run: _Service) -> None:
    scale, rng, today, n = run.scale, run.rng, run.today, run.sizes
    items: list[Feedback] = []
    links: dict[object, _Link] = {}
    # 待受理: most sent in the last three days, some waiting longer (they stand out).
    for i in range(n["new"]):
        if i < n["late"]:
            sent = today - dt.timedelta(days=rng.randint(4, 40))
        else:
            sent = today - dt.timedelta(days=rng.randint(0, 3))
        items.append(_new_item(run, sent))
    # 已受理, not yet answered nor 列入整改: the last two months.
    for _ in range(n["accepted"]):
        item = _new_item(run, today - dt.timedelta(days=rng.randint(2, 60)))
        _accept(run, item, run.after(item.submitted_on, 0, 3))
        if rng.random() < 0.3:
            item.public_reply = ACCEPTED_REPLY
            run.log(item.handler, "答复意见", item, run.after(item.accepted_on, 0, 2))
        items.append(item)
    # 不予采纳: half straight away by the secretary, half after 受理 by the handler.
    for i in range(n["declined"]):
        item = _new_item(run, run.day(run.start, today - dt.timedelta(days=5)))
        by = rng.choice(run.committee)
        if i % 2:
            _accept(run, item, run.after(item.submitted_on, 0, 3))
            by = item.handler
        item.status = F.DECLINED
        item.declined_reason = rng.choice(DECLINE_REASONS)
        item.closed_on = run.after(item.accepted_on or item.submitted_on, 1, 10)
        run.log(by, "不予采纳意见", item, item.closed_on, item.declined_reason)
        items.append(item)
    # 办结 with an answer: suggestions taken, praise passed on, complaints settled.
    answered = n["feedback"] - sum(n[k] for k in ("new", "accepted", "declined", "duplicate"))
    answered -= n["linked"]
    for _ in range(max(1, answered)):
        item = _new_item(run, run.day(run.start, today - dt.timedelta(days=3)))
        _accept(run, item, run.after(item.submitted_on, 0, 3))
        item.status = F.CLOSED
        item.public_reply = rng.choice(ANSWERS[item.kind])
        item.closed_on = run.after(item.accepted_on, 1, 20)
        run.log(item.handler, "办结意见", item, item.closed_on)
        items.append(item)
    linked = _linked(run, links)
    ratings = _ratings(run, linked, links)
    items += linked
    # 重复: the secretary marks an item sent after an earlier one on the same matter.
    items.sort(key=lambda i: i.submitted_on)
    originals = list(items)
    for _ in range(n["duplicate"]):
        item = _new_item(run, run.day(run.start, today - dt.timedelta(days=2)))
        earlier = [o for o in originals if o.submitted_on <= item.submitted_on] or originals
        same = [o for o in earlier[-40:] if o.category == item.category] or earlier[-40:]
        item.status = F.DUPLICATE
        item.duplicate_of = rng.choice(same)
        item.closed_on = run.after(item.submitted_on, 0, 3)
        run.log(
            rng.choice(run.committee),
            "标记重复意见",
            item,
            item.closed_on,
            str(item.duplicate_of.pk),
        )
        items.append(item)
    # Written in date order, shuffled within a day (what feedback_release leaves).
    rng.shuffle(items)
    items.sort(key=lambda i: i.submitted_on)
    insert(scale, Feedback, items)
    insert(scale, SatisfactionRating, ratings)
    notes = _notes(run, items)
    run.counts.update(
        feedback=len(items),
        anonymous=sum(1 for i in items if i.identity == Feedback.Identity.NONE),
        linked=len(links),
        ratings=len(ratings),
        notes=notes,
    )


def _linked(run: _Service, links: dict[object, _Link]) -> list[Feedback]:
    """Items 列入整改 on scale_fortress's rectification items, with the status each one's item
    gives them (services.feedback._status_for)."""
    rng, today, total = run.rng, run.today, run.sizes["linked"]
    rectifications = list(
        Rectification.objects.using(run.scale.database)
        .filter(branch=run.scale.branch)
        .order_by("pk")
    )
    groups = {
        "fixed": [r for r in rectifications if r.status in Rectification.FIXED_STATUSES],
        "open": [r for r in rectifications if r.status in Rectification.OPEN_STATUSES],
        "declined": [r for r in rectifications if r.status == R.DECLINED],
    }
    wanted = {
        "open": max(1, round(total * OPEN_SHARE)) if groups["open"] else 0,
        "declined": round(total * DECLINED_SHARE) if groups["declined"] else 0,
    }
    wanted["fixed"] = total - wanted["open"] - wanted["declined"]
    if not groups["fixed"]:  # a company without a fixed item: its share waits on open ones
        wanted["open" if groups["open"] else "declined"] += wanted.pop("fixed")
    items = []
    for group, count in wanted.items():
        if not groups[group]:
            continue
        for _ in range(count):
            rectification = rng.choice(groups[group])
            until = rectification.fixed_on or rectification.declined_on or today
            on = run.day(
                rectification.opened_on, min(until, rectification.opened_on + dt.timedelta(days=60))
            )
            sent = max(run.start, on - dt.timedelta(days=rng.randint(0, 10)))
            item = _new_item(run, sent, _about(run, rectification))
            _accept(
                run,
                item,
                run.day(item.submitted_on, min(on, item.submitted_on + dt.timedelta(days=3))),
            )
            item.rectification = rectification
            linker = rng.choice([item.handler, rng.choice(run.committee)])
            run.log(linker, "意见列入整改", item, on, str(rectification))
            if group == "declined":
                item.status = F.DECLINED
                reason = f"整改事项不予整改：{rectification.decline_reason}"
                item.declined_reason = reason[:REASON_MAX]
                item.closed_on = max(rectification.declined_on, on)
            else:
                item.status = F.RECTIFYING if group == "open" else F.FIXED
                if rng.random() < 0.6:
                    item.public_reply = LINKED_REPLY
                    run.log(item.handler, "答复意见", item, on)
            links[item.pk] = _Link(rectification, on)
            items.append(item)
    return items


def _about(run: _Service, rectification: Rectification) -> tuple[str, str, str]:
    """What an item 列入整改 says: the matter of its rectification item (scale_fortress's
    problems), or a complaint or suggestion of its own."""
    fitting = LINKED_TEXTS.get(rectification.title)
    if fitting:
        return run.rng.choice(fitting)
    kind = run.rng.choice([Feedback.Kind.COMPLAINT, Feedback.Kind.SUGGESTION])
    category = run.rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    return kind, category, run.rng.choice(TEXTS[(kind, category)])


def _ratings(
    run: _Service, linked: list[Feedback], links: dict[object, _Link]
) -> list[SatisfactionRating]:
    """The senders' verdicts on the items whose rectification item is fixed: most closed by a
    满意/基本满意 (after one or two 不满意 for many), some still 待评价 (a few of them after a
    不满意 and the item fixed again). Exactly `ratings` verdicts while the items can hold them
    (three at most each). Sets the closed items' status and date; inserts nothing but the
    reopened rectification items' reason."""
    rng, today = run.rng, run.today
    fixed = [i for i in linked if i.status == F.FIXED]
    waiting = max(1, round(len(fixed) * WAITING_SHARE)) if fixed else 0
    rejected = round(waiting * WAITING_REJECTED)
    # attempts[i]: how many verdicts item i has; the closed ones end on a satisfied one.
    closing = {i.pk for i in fixed[waiting:]}
    attempts = {pk: 1 for pk in closing} | {i.pk: 1 for i in fixed[:rejected]}
    # Room for two more verdicts on a closed item, one more on a waiting one.
    room = [pk for pk in attempts for _ in range(2 if pk in closing else 1)]
    extra = max(0, min(len(room), run.sizes["ratings"] - len(attempts)))
    for pk in rng.sample(room, extra):
        attempts[pk] += 1
    rows: list[SatisfactionRating] = []
    reopened: dict[int, Rectification] = {}
    for item in fixed:
        count = attempts.get(item.pk, 0)
        if not count:
            continue
        link = links[item.pk]
        fixed_on = link.rectification.fixed_on
        closes = item.pk in closing
        # 不满意 while the rectification item stood fixed before it was reopened; the last verdict
        # of a closed item once it was fixed again.
        rejected_days = sorted(run.day(link.on, fixed_on) for _ in range(count - closes))
        for n, on in enumerate(rejected_days, 1):
            comment = rng.choice(UNSATISFIED)
            rows.append(_rating(item, Level.UNSATISFIED, comment, on, n))
            rectification = link.rectification
            rectification.reopen_reason = (REOPEN % comment)[:REASON_MAX]
            reopened[rectification.pk] = rectification
        if closes:
            on = min(max(fixed_on, link.on) + dt.timedelta(days=rng.randint(0, 30)), today)
            level = rng.choices([Level.SATISFIED, Level.BASIC], [75, 25])[0]
            rows.append(_rating(item, level, rng.choice(SATISFIED_COMMENTS), on, count))
            item.status = F.CLOSED
            item.closed_on = on
    Rectification.objects.using(run.scale.database).bulk_update(
        list(reopened.values()), ["reopen_reason"], batch_size=500
    )
    return rows


def _rating(
    item: Feedback, level: str, comment: str, on: dt.date, attempt: int
) -> SatisfactionRating:
    return SatisfactionRating(
        feedback=item, level=level, comment=comment, rated_on=on, attempt=attempt
    )


def _notes(run: _Service, items: list[Feedback]) -> int:
    """Handlers' notes (the item's leader, or a secretary) while they handled the item."""
    scale, rng = run.scale, run.rng
    handled = [i for i in items if i.handler_id is not None]
    rows = []
    for _ in range(run.sizes["notes"] if handled else 0):
        item = rng.choice(handled)
        author = item.handler if rng.random() < 0.7 else rng.choice(run.committee)
        on = run.day(item.accepted_on, item.closed_on or run.today)
        note = FeedbackNote(feedback=item, author=author, text=rng.choice(NOTES))
        note.created_at = scale.at(on, rng.randint(8, 19), rng.randint(0, 59))
        rows.append(note)
    rows.sort(key=lambda note: note.created_at)
    insert(scale, FeedbackNote, rows)
    return len(rows)


# --- 关爱慰问 ----------------------------------------------------------------------------------


def _care(run: _Service) -> None:
    """Reports of colleagues in hospital (most answered by a visit, some closed by the secretary,
    a few late), and the leaders' visits, spread over the three years."""
    scale, rng, today, n = run.scale, run.rng, run.today, run.sizes
    people = scale.people
    answered = n["reports"] - n["reports_closed"] - n["reports_late"] - n["reports_waiting"]
    answered = max(0, min(answered, n["visits"]))
    reports: list[IllnessReport] = []
    fates: list[str] = []
    for fate, count in [
        ("answered", answered),
        ("closed", n["reports_closed"]),
        ("late", n["reports_late"]),
        ("waiting", n["reports_waiting"]),
    ]:
        for _ in range(count):
            if fate == "late":
                on = today - dt.timedelta(days=rng.randint(8, 40))
            elif fate == "waiting":
                on = today - dt.timedelta(days=rng.randint(0, 6))
            else:
                on = run.day(run.start, today - dt.timedelta(days=8))
            person, reporter = rng.sample(people, 2)
            report = IllnessReport(
                branch=scale.branch,
                person=person,
                reported_by=reporter,
                reported_on=on,
                hospital=rng.choice(HOSPITALS),
                note=rng.choice(ILLNESS_NOTES),
            )
            if fate == "closed":
                report.closed = True
                report.close_reason = rng.choice(CLOSE_REASONS)
            reports.append(report)
            fates.append(fate)
    # Visits: one for each answered report (its person, within the week mostly), then the others.
    visits: list[CareVisit] = []
    answers: list[IllnessReport | None] = []
    for report, fate in zip(reports, fates, strict=True):
        if fate == "answered":
            visits.append(
                _visit(run, report.person, "hospital", run.after(report.reported_on, 0, 9))
            )
            answers.append(report)
    for _ in range(n["visits"] - len(visits)):
        reason = rng.choices(VISIT_REASONS, VISIT_WEIGHTS)[0]
        visits.append(_visit(run, rng.choice(people), reason, run.day(run.start, today)))
        answers.append(None)
    visitors = [rng.sample(run.leaders, min(len(run.leaders), rng.randint(1, 3))) for _ in visits]
    visits = insert(scale, CareVisit, visits)
    through = CareVisit.visitors.through
    insert(
        scale,
        through,
        [
            through(carevisit_id=v.pk, user_id=p.pk)
            for v, chosen in zip(visits, visitors, strict=True)
            for p in chosen
        ],
    )
    for visit, report in zip(visits, answers, strict=True):
        if report is not None:
            report.visit = visit
    for report in reports:
        created = scale.at(report.reported_on, rng.randint(8, 16))  # before the day's visit
        updated = created
        if report.visit is not None:
            updated = report.visit.created_at
        elif report.closed:
            updated = scale.at(run.after(report.reported_on, 2, 10), 16)
        dated(report, created, max(created, updated))
    reports = insert(scale, IllnessReport, reports)
    for report in reports:
        if report.reported_by.has_role(Role.SECRETARY) or report.reported_by.has_role(Role.LEADER):
            run.entries.append(
                audit(
                    by=report.reported_by, action="报告同事住院", obj=report, at=report.created_at
                )
            )
    for visit, chosen, report in zip(visits, visitors, answers, strict=True):
        names = "、".join(sorted(p.full_name for p in chosen))
        detail = f"慰问人：{names}"
        if report is not None:
            detail = f"{detail}；答复住院报告（{cn_date(report.reported_on)}）"
        run.entries.append(
            audit(
                by=visit.recorded_by,
                action="登记关爱慰问",
                obj=visit,
                at=visit.created_at,
                detail=detail,
            )
        )
    for report in reports:
        if report.closed:
            closer = rng.choice(run.committee)
            run.entries.append(
                audit(by=closer, action="关闭住院报告", obj=report, at=report.updated_at)
            )
    run.counts.update(visits=len(visits), reports=len(reports))


def _visit(run: _Service, person: User, reason: str, on: dt.date) -> CareVisit:
    rng = run.rng
    follow_up = on + dt.timedelta(days=rng.randint(7, 30)) if rng.random() < 0.3 else None
    visit = CareVisit(
        branch=run.scale.branch,
        person=person,
        reason=reason,
        visited_on=on,
        gifts=rng.choice(GIFTS),
        amount=rng.choice(AMOUNTS) if rng.random() < 0.6 else None,
        notes=VISIT_NOTES[reason],
        follow_up_on=follow_up,
        recorded_by=rng.choice(run.leaders),
    )
    created = run.scale.at(on, 17, rng.randint(0, 59))
    return dated(visit, created)
