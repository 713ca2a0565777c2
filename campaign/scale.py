"""The campaign part of `manage.py seed_scale`: three years of 创先争优, one campaign a year.

The first campaigns are finished: every pledge judged, two closed rounds of 群众评议, honours.
The last one runs today in its 全面争创 phase: most pledges published, some waiting for review,
returned or still drafts, a few members without any; its first round is closed and its second
is open, with the votes cast so far sealed on the voters' turnout rows.

Everything is stored as the services store it (campaign/services): statuses with their dates and
approvers, the standards copied from the templates, `EvaluationSubject`'s counters as
`round_tally` computes them, closed rounds' ballots as `write_ballots` writes them (shuffled, no
voter, no time, random UUID keys; the turnout rows keep only has_voted) and the open round's
votes sealed by campaign/sealing.py. The audit trail gets the entries the services write.
"""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from members.hooks import Scale
from members.models import AuditEntry, Role, User
from members.scale import audit, dated, insert

from . import scale_feedback, scale_fortress, sealing
from .models import (
    Ballot,
    BallotMark,
    Campaign,
    EvaluationItem,
    EvaluationRound,
    EvaluationSubject,
    EvaluationTurnout,
    Honour,
    LeaderReview,
    Nomination,
    Phase,
    Pledge,
    PledgeProgress,
    Standard,
    StandardSet,
    satisfaction_rate,
)
from .services.campaigns import DEFAULT_PHASES, default_phase_dates
from .services.evaluation import BRANCH_ITEMS

P = Pledge.Status
Level = BallotMark.Level
CAMPAIGN_DAYS = 365
# Today is this day of the running campaign (its 全面争创 phase), and its second round of
# 群众评议 runs from five days ago to nine days ahead.
TODAY_IN_CAMPAIGN = 200
ROUNDS = [(100, 14, "年中群众评议"), (TODAY_IN_CAMPAIGN - 5, 14, "年度群众评议")]

MEMBER_PLEDGES: dict[str, list[tuple[str, str, str]]] = {
    "政治素质优": [
        (
            "读完支部选定的两本书，写出读后感",
            "参加支部读书活动和组织生活，按时交纳党费。",
            "每周读书不少于3小时，在读书论坛发表读后感。",
        ),
        (
            "坚定理想信念，做政治上的明白人",
            "认真参加“三会一课”，学习党的理论和公司的决策部署。",
            "每月写一篇学习笔记，组织生活会上带头发言。",
        ),
        (
            "严守党的纪律，做遵规守纪的表率",
            "对照党章党规查找不足，自觉接受党员和群众监督。",
            "每季度与支部书记谈一次思想，按时完成党员学习任务。",
        ),
    ],
    "岗位技能优": [
        (
            "做{position}岗位的业务能手",
            "熟练掌握本岗位操作规程和GSP要求。",
            "参加公司业务培训，每季度带一名新同事。",
        ),
        (
            "{position}岗位考核全年保持优秀",
            "学习新版GSP和岗位操作规程，考取相关岗位证书。",
            "每月自学一项业务知识，参加技能比武。",
        ),
        (
            "总结{position}岗位经验，带出一个好徒弟",
            "整理本岗位常见问题和处理办法，形成操作手册。",
            "与新员工结成师徒对子，每周讲解一次操作要点。",
        ),
    ],
    "工作业绩优": [
        (
            "{position}工作全年零差错、零投诉",
            "完成部门下达的各项任务，在急难险重任务中打头阵。",
            "每月对照目标自查，增收节支有实效。",
        ),
        (
            "超额完成{position}岗位年度指标",
            "分解年度指标到月，主动承担重点任务。",
            "每月分析完成情况，找差距、定措施。",
        ),
        (
            "在{position}岗位上为公司增收节支",
            "查找本岗位浪费和低效的环节，提出改进建议。",
            "每季度至少落实一条节支措施，记录节约金额。",
        ),
    ],
    "群众评价优": [
        (
            "热情服务，以诚待人、以信立身",
            "主动帮助身边职工解决实际困难。",
            "每季度至少为群众办一件实事。",
        ),
        (
            "做职工群众信得过的党员",
            "经常与身边职工谈心，及时反映职工的意见和建议。",
            "每月走访一名困难职工或生病职工。",
        ),
        (
            "服务客户不推诿，客户满意率不断提高",
            "对客户的咨询和投诉当天回复、限时办结。",
            "每月回访重点客户，听取意见并改进。",
        ),
    ],
}
# 四强 (the branch) and 四好 (the leadership team), per item: goal, tasks, measures.
BRANCH_PLEDGES = {
    "政治引领力强": (
        "把创先争优与学习型党组织建设结合起来",
        "开展“多读书、读好书”读书活动；每季度召开一次专题组织生活会。",
        "推荐书目、统一购书发放，在读书论坛交流读后感。",
    ),
    "推动发展力强": (
        "围绕公司年度经营目标发挥战斗堡垒作用",
        "查找经营管理中的问题，逐项制定措施。",
        "支委会每月听取经营情况，党员带头攻坚急难险重任务。",
    ),
    "改革创新力强": (
        "以“党员先锋岗”为载体深化创先争优",
        "在配送、仓储、冷链一线设立党员先锋岗；倡导增收节支。",
        "先锋岗挂牌上岗，每季度评选先锋之星。",
    ),
    "凝聚保障力强": (
        "把创先争优打造成群众满意工程",
        "解决职工反映的食堂、通勤等实际问题；关心生病住院职工。",
        "每季度召开职工座谈会，领导班子上门慰问困难职工。",
    ),
}
TEAM_PLEDGES = {
    "政治素质好": (
        "班子成员带头学习，提高驾驭复杂局面的能力",
        "中心组每月集中学习一次。",
        "每人每年撰写一篇调研报告。",
    ),
    "经营业绩好": (
        "完成国药控股下达的年度经营目标",
        "分解指标到部门和个人。",
        "每月经营分析会，班子成员分片督导。",
    ),
    "团结协作好": (
        "坚持民主集中制，集体领导与个人分工负责相结合",
        "重大事项集体研究决定。",
        "“三重一大”事项全部上会。",
    ),
    "作风形象好": (
        "带头执行廉洁从业各项规定",
        "落实“一岗双责”。",
        "要求下属做到的班子成员先做到。",
    ),
}
PROGRESS: dict[str, list[str]] = {
    "政治素质优": [
        "读完支部选定的书目，在读书论坛发表读后感。",
        "参加支部专题组织生活会，结合岗位谈了学习体会。",
        "按时参加“三会一课”，完成本季度学习笔记{n}篇。",
        "参加公司党史知识竞赛，获得优秀奖。",
        "主动向支部书记汇报思想和工作情况。",
    ],
    "岗位技能优": [
        "参加GSP业务培训并通过考核。",
        "本季度带教新员工{n}名，均已独立上岗。",
        "整理本岗位常见问题{n}条，编入岗位操作手册。",
        "参加公司技能比武，取得第{n}名。",
        "考取岗位相关职业资格证书。",
    ],
    "工作业绩优": [
        "药品保供任务紧，连续加班{n}天，无一差错。",
        "优化工作流程，每月节约费用约{n}00元。",
        "本季度完成指标的{n}0%以上，超额完成任务。",
        "主动承担疫情防控物资保供任务，按时完成。",
        "提出的合理化建议被部门采纳并推广。",
    ],
    "群众评价优": [
        "帮助生病住院的同事联系医院、代办手续。",
        "走访困难职工家庭{n}户，反映的问题已协调解决。",
        "利用休息时间为社区老人讲解安全用药知识。",
        "对客户投诉当天回复，本季度客户满意率提高。",
        "组织部门职工开展义务献血活动。",
    ],
}
BRANCH_PROGRESS = [
    "召开专题组织生活会，党员对照“四优”标准逐一发言。",
    "配送、仓储、冷链一线{n}个岗位确定为“党员先锋岗”，挂牌上岗。",
    "针对职工反映的食堂伙食问题，改进采购方式，伙食质量明显改善。",
    "领导班子带慰问品看望生病住院职工{n}人次。",
    "召开职工座谈会，收集意见建议{n}条，已逐条答复。",
    "支委会听取经营情况汇报，研究解决重点难点问题{n}项。",
]
VERDICT_NOTES = {
    Pledge.Verdict.FULFILLED: ["全年承诺事项全部完成，群众评价好。", "承诺兑现，践诺记录完整。"],
    Pledge.Verdict.PARTLY: ["大部分事项完成，个别措施落实不够。", "基本兑现，还需持续改进。"],
    Pledge.Verdict.UNFULFILLED: ["承诺事项未按期完成，需整改。", "践诺记录不足，未能兑现。"],
}
RETURN_REASONS = [
    "措施不够具体，请写明每月做什么、怎么检查。",
    "争创目标过于笼统，请结合本岗位写得具体一些。",
    "完成时限请写到具体日期。",
]
REVIEW_COMMENTS = {
    LeaderReview.Rating.GOOD: [
        "工作积极主动，承诺事项落实到位，在岗位上起到了示范带头作用。",
        "业务过硬，急难险重任务冲在前面，群众反映好。",
        "践诺扎实，读书活动参与积极，读后感写得有深度。",
        "服务热情，多次受到客户表扬，是部门的骨干。",
    ],
    LeaderReview.Rating.FAIRLY_GOOD: [
        "工作踏实，承诺事项基本完成，业务技能还可提高。",
        "能够完成本职工作，参加组织生活还需更积极。",
        "践诺情况较好，要进一步加强与群众的联系。",
    ],
    LeaderReview.Rating.AVERAGE: [
        "承诺事项落实不够，践诺记录较少，希望抓紧改进。",
        "工作中偶有差错，要增强责任意识。",
    ],
    LeaderReview.Rating.POOR: [
        "承诺事项基本没有落实，请对照“四优”标准认真整改。",
    ],
}
BRANCH_REVIEWS = [
    "支部把创先争优与经营工作结合得好，党员先锋岗作用明显。",
    "读书活动组织得好，党员参与率高，学习氛围浓厚。",
    "关心职工生活，食堂和通勤问题解决得好，职工满意。",
]
NOMINATION_REASONS = [
    "“党员先锋岗”骨干，全年工作零差错，热情服务赢得客户信赖，群众评议满意率高。",
    "承诺事项全部兑现，践诺记录完整，在急难险重任务中冲锋在前。",
    "业务精湛，带教新人成效显著，领导点评和群众评议均为优秀。",
]


@dataclass
class _Year:
    """One campaign being seeded, and what its parts need from each other."""

    campaign: Campaign
    phases: list[Phase]
    running: bool
    members: list[User]
    pledges: list[Pledge] = field(default_factory=list)
    reviews: list[LeaderReview] = field(default_factory=list)
    subjects: list[EvaluationSubject] = field(default_factory=list)

    def phase_start(self, order: int) -> dt.date:
        return self.phases[order - 1].starts_on

    def day(self, n: int) -> dt.date:
        return self.campaign.starts_on + dt.timedelta(days=n)


@dataclass
class _Run:
    scale: Scale
    sets: dict[str, StandardSet]
    items: dict[str, list[Standard]]
    entries: list[AuditEntry] = field(default_factory=list)
    # Each member's standing with colleagues (0 good … 2 weak), the same in every round.
    standing: dict[int, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def seed(scale: Scale) -> None:
    sets, items = _standard_sets(scale)
    run = _Run(scale=scale, sets=sets, items=items)
    rng = scale.rng
    run.standing = {p.pk: rng.choices([0, 1, 2], [90, 7, 3])[0] for p in scale.party()}
    campaigns = []
    for n in range(scale.years):
        year = _campaign(run, n)
        campaigns.append(year.campaign)
        _pledges(run, year)
        _reviews(run, year)
        for spec in ROUNDS:
            _round(run, year, *spec)
        _honours(run, year)
    c = run.counts
    scale.loaded.append(
        f"创先争优活动 {scale.years} 项：公开承诺 {c['pledges']} 条，践诺 {c['progress']} 条，"
        f"领导点评 {c['reviews']} 条，群众评议 {c['rounds']} 轮（选票 {c['ballots']} 张），"
        f"表彰 {c.get('honours', 0)} 项"
    )
    # 战斗堡垒 (issue 12): its audit entries join the campaign's, inserted in time order.
    scale_fortress.seed(
        scale, campaigns=campaigns, standards=items.get("siyou", []), entries=run.entries
    )
    scale_feedback.seed(scale, campaigns=campaigns, entries=run.entries)
    insert(scale, AuditEntry, sorted(run.entries, key=lambda e: e.created_at))


# --- Standards and campaigns --------------------------------------------------------------------


def _standard_sets(scale: Scale) -> tuple[dict[str, StandardSet], dict[str, list[Standard]]]:
    """The branch's own copy of every template set (services.standards_install_defaults)."""
    db = scale.database
    when = scale.at(scale.today - dt.timedelta(days=CAMPAIGN_DAYS * scale.years + 30))
    if not StandardSet.objects.using(db).filter(branch__isnull=True).exists():
        _load_templates(scale, when)
    templates = list(
        StandardSet.objects.using(db).filter(branch__isnull=True).prefetch_related("items")
    )
    copies = insert(
        scale,
        StandardSet,
        [
            dated(
                StandardSet(
                    branch=scale.branch,
                    code=t.code,
                    name=t.name,
                    applies_to=t.applies_to,
                    description=t.description,
                    order=t.order,
                ),
                when,
            )
            for t in templates
        ],
    )
    standards = insert(
        scale,
        Standard,
        [
            dated(
                Standard(standard_set=copy, name=i.name, description=i.description, order=i.order),
                when,
            )
            for t, copy in zip(templates, copies, strict=True)
            for i in t.items.all()
        ],
    )
    sets = {s.code: s for s in copies}
    items = {
        code: sorted((i for i in standards if i.standard_set is s), key=lambda i: i.order)
        for code, s in sets.items()
    }
    return sets, items


def _load_templates(scale: Scale, when: dt.datetime) -> None:
    """A flushed database (--reset on DATABASE_URL) has lost the templates that the migration
    0002_fill_standards loads: load its sets again (services.standards._load_templates, dated)."""
    migration = importlib.import_module("campaign.migrations.0002_fill_standards")
    sets = insert(
        scale,
        StandardSet,
        [
            dated(
                StandardSet(code=code, name=name, applies_to=applies_to, description=text, order=n),
                when,
            )
            for n, (code, name, applies_to, text, _items) in enumerate(migration.SETS, 1)
        ],
    )
    insert(
        scale,
        Standard,
        [
            dated(Standard(standard_set=s, name=item, description=text, order=n), when)
            for s, (*_set, items) in zip(sets, migration.SETS, strict=True)
            for n, (item, text) in enumerate(items, 1)
        ],
    )


def _campaign(run: _Run, n: int) -> _Year:
    scale, sec = run.scale, run.scale.logins["sec"]
    last_start = scale.today - dt.timedelta(days=TODAY_IN_CAMPAIGN)
    starts_on = last_start - dt.timedelta(days=CAMPAIGN_DAYS * (scale.years - 1 - n))
    ends_on = starts_on + dt.timedelta(days=CAMPAIGN_DAYS - 1)
    running = n == scale.years - 1
    year = f"{starts_on.year}—{ends_on.year}" if starts_on.year != ends_on.year else starts_on.year
    created = scale.at(starts_on - dt.timedelta(days=14), 10)
    campaign = dated(
        Campaign(
            branch=scale.branch,
            name=f"{year}年度深入开展创先争优活动",
            description=(
                "围绕争创“四强”党组织、争做“四优”共产党员，把依靠员工、发扬民主贯穿活动始终。"
            ),
            starts_on=starts_on,
            ends_on=ends_on,
            status=Campaign.Status.ACTIVE if running else Campaign.Status.FINISHED,
            branch_standards=run.sets["siqiang"],
            member_standards=run.sets["siyou"],
            team_standards=run.sets["sihao"],
        ),
        created,
    )
    insert(scale, Campaign, [campaign])
    spans = default_phase_dates(starts_on=starts_on, ends_on=ends_on)
    phases = insert(
        scale,
        Phase,
        [
            dated(
                Phase(
                    campaign=campaign,
                    name=name,
                    kind=kind,
                    order=order,
                    starts_on=start,
                    ends_on=end,
                    guidance=guidance,
                ),
                created,
            )
            for order, ((name, kind, _share, guidance), (start, end)) in enumerate(
                zip(DEFAULT_PHASES, spans, strict=True), 1
            )
        ],
    )
    started = [p for p in phases if p.starts_on <= scale.today]
    campaign.current_phase = started[-1]
    campaign.updated_at = scale.at(campaign.current_phase.starts_on)
    Campaign.objects.using(scale.database).filter(pk=campaign.pk).update(
        current_phase=campaign.current_phase, updated_at=campaign.updated_at
    )
    run.entries.append(audit(by=sec, action="新建创先争优活动", obj=campaign, at=created))
    run.entries.append(
        audit(by=sec, action="启动创先争优活动", obj=campaign, at=scale.at(starts_on, 9))
    )
    for phase in started[1:]:
        run.entries.append(
            audit(
                by=sec,
                action="切换活动阶段",
                obj=campaign,
                detail=phase.name,
                at=scale.at(phase.starts_on, 9),
            )
        )
    if not running:
        run.entries.append(
            audit(by=sec, action="结束创先争优活动", obj=campaign, at=scale.at(ends_on, 17))
        )
    members = [
        p for p in scale.party() if p.joined_party_on is None or p.joined_party_on <= starts_on
    ]
    return _Year(campaign=campaign, phases=phases, running=running, members=members)


# --- Pledges and 践诺 ---------------------------------------------------------------------------


def _pledges(run: _Run, year: _Year) -> None:
    scale, rng = run.scale, run.scale.rng
    sec, leader = scale.logins["sec"], scale.logins["leader"]
    committee = scale.with_role(Role.SECRETARY)
    pledges: list[Pledge] = []
    for scope, code, texts in (
        (Pledge.Scope.BRANCH, "siqiang", BRANCH_PLEDGES),
        (Pledge.Scope.TEAM, "sihao", TEAM_PLEDGES),
    ):
        for item in run.items[code]:
            goal, tasks, measures = texts.get(item.name, (item.name, item.description, "—"))
            pledges.append(
                _pledge(run, year, scope, None, item, (goal, tasks, measures), sec, P.PUBLISHED)
            )
    for person in year.members:
        state = _member_state(run, year, person)
        if state is None:
            continue
        approver = leader if person == sec else rng.choice([c for c in committee if c != person])
        position = person.position.split("、")[0] or "本职"
        for n, item in enumerate(run.items["siyou"]):
            status = state
            if state == P.RETURNED and n > 0:
                status = P.SUBMITTED
            goal, tasks, measures = rng.choice(MEMBER_PLEDGES[item.name])
            texts = (goal.format(position=position), tasks, measures)
            pledges.append(
                _pledge(run, year, Pledge.Scope.MEMBER, person, item, texts, approver, status)
            )
    if not year.running:
        for pledge in pledges:
            _judge(run, year, pledge)
    insert(scale, Pledge, pledges)
    year.pledges = pledges
    run.count("pledges", len(pledges))
    _audit_pledges(run, year, pledges)
    _progress(run, year, pledges)


def _member_state(run: _Run, year: _Year, person: User) -> str | None:
    """Where a member's pledges stand: all published in a finished campaign (judged later); in
    the running one a few are still waiting, returned or drafts, and some members have none."""
    if not year.running or person.username in ("sec", "leader", "member"):
        return P.PUBLISHED
    states = [P.PUBLISHED, P.APPROVED, P.SUBMITTED, P.RETURNED, P.DRAFT, None]
    return run.scale.rng.choices(states, [82, 5, 5, 2, 2, 4])[0]


def _pledge(
    run: _Run,
    year: _Year,
    scope: str,
    owner: User | None,
    item: Standard,
    texts: tuple[str, str, str],
    approver: User,
    status: str,
) -> Pledge:
    scale, rng = run.scale, run.scale.rng
    compete = year.phase_start(2)
    published_on = compete + dt.timedelta(days=25)
    submitted_on = compete + dt.timedelta(days=rng.randint(0, 20))
    if status in (P.SUBMITTED, P.RETURNED, P.DRAFT):
        submitted_on = min(scale.today, compete + dt.timedelta(days=rng.randint(20, 150)))
    created = scale.at(submitted_on - dt.timedelta(days=rng.randint(1, 6)), rng.randint(8, 21))
    goal, tasks, measures = texts
    pledge = Pledge(
        campaign=year.campaign,
        scope=scope,
        owner=owner,
        standard=item,
        goal=goal[:200],
        tasks=tasks,
        measures=measures,
        deadline=year.campaign.ends_on - dt.timedelta(days=rng.choice([0, 30, 60, 90])),
        status=status,
        return_reason=rng.choice(RETURN_REASONS) if status == P.RETURNED else "",
        submitted_on=None if status == P.DRAFT else submitted_on,
        approved_by=approver if status in (P.APPROVED, P.PUBLISHED) else None,
        published_on=published_on if status == P.PUBLISHED else None,
    )
    updated = {
        P.DRAFT: created,
        P.SUBMITTED: scale.at(submitted_on, 10),
        P.RETURNED: scale.at(submitted_on + dt.timedelta(days=2), 15),
        P.APPROVED: scale.at(submitted_on + dt.timedelta(days=3), 15),
        P.PUBLISHED: scale.at(published_on, 10),
    }[status]
    return dated(pledge, created, min(updated, scale.now))


def _judge(run: _Run, year: _Year, pledge: Pledge) -> None:
    """The 评定 of a finished campaign's pledge (services.pledges.pledge_judge)."""
    rng = run.scale.rng
    verdict = rng.choices(list(Pledge.Verdict), [80, 15, 5])[0]
    pledge.status = P.JUDGED
    pledge.verdict = verdict
    pledge.verdict_note = rng.choice(VERDICT_NOTES[verdict])
    pledge.judged_on = year.phase_start(4) + dt.timedelta(days=rng.randint(0, 15))
    pledge.updated_at = run.scale.at(pledge.judged_on, 16)


def _audit_pledges(run: _Run, year: _Year, pledges: list[Pledge]) -> None:
    """What the services record: officers' own drafts and submissions (the branch's and the
    team's by the secretary), approvals, returns, the 亮诺 meeting, the 评定 (by a 支委 other
    than the pledge's owner)."""
    scale = run.scale
    sec, leader = scale.logins["sec"], scale.logins["leader"]
    officers = _officers(scale)
    entries = run.entries
    for pledge in pledges:
        owner = pledge.owner
        author = owner or sec
        if author.pk in officers:
            entries.append(
                audit(by=author, action="起草公开承诺", obj=pledge, at=pledge.created_at)
            )
            if pledge.submitted_on:
                at = scale.at(pledge.submitted_on, 9)
                entries.append(audit(by=author, action="提交公开承诺", obj=pledge, at=at))
        if pledge.status == P.RETURNED:
            at = scale.at(pledge.submitted_on + dt.timedelta(days=2), 15)
            entries.append(
                audit(by=sec, action="退回公开承诺", obj=pledge, detail=pledge.return_reason, at=at)
            )
        if pledge.approved_by is not None:
            at = scale.at(pledge.submitted_on + dt.timedelta(days=3), 15)
            entries.append(
                audit(by=pledge.approved_by, action="审核通过公开承诺", obj=pledge, at=at)
            )
        if pledge.published_on:
            at = scale.at(pledge.published_on, 10)
            entries.append(audit(by=sec, action="亮诺", obj=pledge, at=at))
        if pledge.status == P.JUDGED:
            judge = leader if owner == sec else sec
            entries.append(
                audit(
                    by=judge,
                    action="评定承诺兑现情况",
                    obj=pledge,
                    detail=str(pledge.get_verdict_display()),
                    at=scale.at(pledge.judged_on, 16),
                )
            )


def _officers(scale: Scale) -> set[int]:
    """The secretary and the leaders: what they do goes to the audit trail (services._common)."""
    return {p.pk for p in scale.with_role(Role.SECRETARY) + scale.with_role(Role.LEADER)}


def _progress(run: _Run, year: _Year, pledges: list[Pledge]) -> None:
    """践诺 on published pledges, between 亮诺 and today (or the 评定, or the campaign's end)."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    officers = _officers(scale)
    entries = []
    for pledge in pledges:
        if pledge.published_on is None:
            continue
        until = min(scale.today, year.campaign.ends_on, pledge.judged_on or scale.today)
        span = (until - pledge.published_on).days
        if span <= 0:
            continue
        k = (
            rng.randint(2, 4)
            if pledge.owner is None
            else rng.choices(range(5), [20, 30, 25, 15, 10])[0]
        )
        texts = PROGRESS.get(pledge.standard.name, BRANCH_PROGRESS)
        by = pledge.owner or sec
        days = sorted(rng.randint(1, span) for _ in range(k))
        for happened_on in (pledge.published_on + dt.timedelta(days=d) for d in days):
            at = scale.at(happened_on, rng.randint(12, 21))
            content = rng.choice(texts).format(n=rng.randint(2, 9))
            entries.append(
                dated(
                    PledgeProgress(
                        pledge=pledge, happened_on=happened_on, content=content, recorded_by=by
                    ),
                    at,
                )
            )
            if by.pk in officers:
                run.entries.append(audit(by=by, action="记录践诺", obj=pledge, at=at))
    insert(scale, PledgeProgress, entries)
    run.count("progress", len(entries))


# --- 领导点评 -----------------------------------------------------------------------------------


def _reviews(run: _Run, year: _Year) -> None:
    """Leaders comment on most members once (some twice) and on the branch a few times."""
    scale, rng = run.scale, run.scale.rng
    leaders = scale.with_role(Role.LEADER)
    compete = year.phase_start(2)
    until = min(scale.today, year.phase_start(3))
    span = max(1, (until - compete).days)
    coverage = 0.55 if year.running else 0.85
    ratings = list(LeaderReview.Rating)
    reviews = []

    def review(subject: User | None, rating: str, comment: str) -> LeaderReview:
        reviewer = rng.choice([p for p in leaders if p != subject])
        reviewed_on = compete + dt.timedelta(days=rng.randint(10, span))
        return dated(
            LeaderReview(
                campaign=year.campaign,
                reviewer=reviewer,
                subject=subject,
                rating=rating,
                comment=comment,
                reviewed_on=min(reviewed_on, scale.today),
            ),
            scale.at(min(reviewed_on, scale.today), rng.randint(9, 17)),
        )

    for person in year.members:
        if rng.random() >= coverage:
            continue
        for _ in range(2 if rng.random() < 0.1 else 1):
            weights = [[50, 35, 12, 3], [20, 40, 30, 10], [5, 25, 45, 25]][
                run.standing.get(person.pk, 0)
            ]
            rating = rng.choices(ratings, weights)[0]
            reviews.append(review(person, rating, rng.choice(REVIEW_COMMENTS[rating])))
    for comment in BRANCH_REVIEWS:
        reviews.append(review(None, LeaderReview.Rating.GOOD, comment))
    insert(scale, LeaderReview, reviews)
    for r in reviews:
        run.entries.append(audit(by=r.reviewer, action="领导点评", obj=r, at=r.created_at))
    year.reviews = reviews
    run.count("reviews", len(reviews))


# --- 群众评议 -----------------------------------------------------------------------------------

# Level weights (满意, 比较满意, 基本满意, 不满意) by a subject's standing; the branch's last.
LEVEL_WEIGHTS = [[62, 27, 9, 2], [45, 32, 15, 8], [28, 30, 25, 17], [55, 30, 12, 3]]


def _round(run: _Run, year: _Year, offset: int, days: int, title: str) -> None:
    """One round with the chosen evaluators' turnout; closed: ballots and the tally; open (the
    running campaign's second): the votes so far, sealed."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    starts_on = year.day(offset)
    ends_on = starts_on + dt.timedelta(days=days - 1)
    is_open = ends_on >= scale.today
    round_ = dated(
        EvaluationRound(
            campaign=year.campaign,
            name=f"{starts_on.year}{title}",
            starts_on=starts_on,
            ends_on=ends_on,
            status=EvaluationRound.Status.OPEN if is_open else EvaluationRound.Status.CLOSED,
            threshold=80,
            evaluator_scope=EvaluationRound.EvaluatorScope.CHOSEN,
            opened_on=starts_on,
            closed_on=None if is_open else ends_on,
        ),
        scale.at(starts_on - dt.timedelta(days=10), 10),
        scale.at(starts_on if is_open else ends_on, 17),
    )
    insert(scale, EvaluationRound, [round_])
    evaluators = _evaluators(run)
    insert(
        scale,
        EvaluationRound.chosen_evaluators.through,
        [
            EvaluationRound.chosen_evaluators.through(evaluationround_id=round_.pk, user_id=e.pk)
            for e in evaluators
        ],
    )
    items = insert(
        scale,
        EvaluationItem,
        [
            EvaluationItem(round=round_, applies_to="branch", name=name, order=n)
            for n, name in enumerate(BRANCH_ITEMS, 1)
        ]
        + [
            EvaluationItem(round=round_, applies_to="member", name=s.name, order=n)
            for n, s in enumerate(run.items["siyou"], 1)
        ],
    )
    by_kind = {kind: [i for i in items if i.applies_to == kind] for kind in ("branch", "member")}
    members = [
        p for p in year.members if p.joined_party_on is None or p.joined_party_on <= starts_on
    ]
    subjects = [EvaluationSubject(round=round_, is_branch=True)]
    subjects += [EvaluationSubject(round=round_, person=m) for m in members]
    # Who votes on whom: most evaluators on (nearly) everyone, some on part, a few on nobody.
    diligence = {e.pk: rng.choices([0.97, 0.5, 0.0], [80, 15, 5])[0] for e in evaluators}
    if is_open:  # half-way through the round
        diligence = {pk: share * 0.6 for pk, share in diligence.items()}
    votes: list[tuple[int, int, dict[int, str]]] = []  # (subject index, evaluator pk, levels)
    for index, subject in enumerate(subjects):
        standing = 3 if subject.is_branch else run.standing.get(subject.person.pk, 0)
        weights = LEVEL_WEIGHTS[standing]
        kind_items = by_kind[subject.applies_to]
        for e in evaluators:
            if e.pk == subject.person_id or rng.random() >= diligence[e.pk]:
                continue
            levels = rng.choices(Level.values, weights, k=len(kind_items))
            votes.append(
                (index, e.pk, {i.pk: lv for i, lv in zip(kind_items, levels, strict=True)})
            )
    if not is_open:
        _tally(subjects, votes, round_)
    insert(scale, EvaluationSubject, subjects)
    voted = {(index, pk): levels for index, pk, levels in votes}
    turnout = insert(
        scale,
        EvaluationTurnout,
        [
            EvaluationTurnout(
                round_id=round_.pk,
                evaluator_id=e.pk,
                subject_id=subject.pk,
                has_voted=(index, e.pk) in voted,
            )
            for e in evaluators
            for index, subject in enumerate(subjects)
            if subject.person_id != e.pk
        ],
    )
    if is_open:
        _seal(run, turnout, subjects, voted, by_kind)
    else:
        _write_ballots(run, subjects, votes)
    year.subjects += subjects
    run.count("rounds", 1)
    run.count("ballots", 0 if is_open else len(votes))
    detail = f"参评 {len(evaluators)} 人，评议对象 {len(subjects)} 个"
    run.entries.append(audit(by=sec, action="新建群众评议", obj=round_, at=round_.created_at))
    run.entries.append(
        audit(by=sec, action="开始群众评议", obj=round_, detail=detail, at=scale.at(starts_on, 9))
    )
    if not is_open:
        flagged = sum(1 for s in subjects if s.needs_rectification)
        run.entries.append(
            audit(
                by=sec,
                action="结束群众评议",
                obj=round_,
                detail=f"列入整改 {flagged} 个",
                at=scale.at(ends_on, 17),
            )
        )


def _evaluators(run: _Run) -> list[User]:
    """指定参评人员: party members' and staff representatives, the sign-ins among them."""
    scale, rng = run.scale, run.scale.rng
    logins = [scale.logins[name] for name in ("sec", "member", "staff") if name in scale.logins]
    party = [p for p in scale.party() if p not in logins]
    staff = [p for p in scale.with_role(Role.STAFF) if p not in logins]
    wanted = max(0, scale.evaluators - len(logins))
    from_party = min(len(party), wanted * 2 // 5)
    chosen = logins + rng.sample(party, from_party)
    chosen += rng.sample(staff, min(len(staff), wanted - from_party))
    return sorted(chosen, key=lambda p: p.pk)


def _tally(
    subjects: list[EvaluationSubject],
    votes: Sequence[tuple[int, int, dict[int, str]]],
    round_: EvaluationRound,
) -> None:
    """Each subject's counters as services.evaluation.round_tally stores them."""
    ballots = [0] * len(subjects)
    marks = [0] * len(subjects)
    satisfied = [0] * len(subjects)
    counts: list[dict[str, dict[str, int]]] = [{} for _ in subjects]
    for index, _pk, levels in votes:
        ballots[index] += 1
        marks[index] += len(levels)
        satisfied[index] += sum(1 for lv in levels.values() if lv in BallotMark.SATISFIED_LEVELS)
        for item_pk, level in levels.items():
            by_level = counts[index].setdefault(str(item_pk), {})
            by_level[level] = by_level.get(level, 0) + 1
    for index, subject in enumerate(subjects):
        subject.level_counts = counts[index]
        subject.ballot_count = ballots[index]
        subject.mark_count = marks[index]
        subject.satisfied_count = satisfied[index]
        subject.satisfaction = satisfaction_rate(satisfied[index], marks[index])
        subject.needs_rectification = (
            subject.has_enough_ballots
            and subject.satisfaction is not None
            and subject.satisfaction < round_.threshold
        )


def _write_ballots(
    run: _Run,
    subjects: list[EvaluationSubject],
    votes: Sequence[tuple[int, int, dict[int, str]]],
) -> None:
    """The closed round's ballots as services.evaluation.write_ballots writes them: in shuffled
    order, random UUID keys, no evaluator and no time; the marks in item order. (Shuffled and
    keyed by the seeded generator, so that the same seed gives the same database: these are
    made-up votes of made-up people.)"""
    rng = run.scale.rng
    order = list(range(len(votes)))
    rng.shuffle(order)
    ballots, marks = [], []
    for n in order:
        index, _evaluator, levels = votes[n]
        ballot = Ballot(
            id=uuid.UUID(int=rng.getrandbits(128), version=4), subject_id=subjects[index].pk
        )
        ballots.append(ballot)
        marks += [
            BallotMark(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                ballot_id=ballot.id,
                item_id=item_pk,
                level=level,
            )
            for item_pk, level in sorted(levels.items())
        ]
    insert(run.scale, Ballot, ballots)
    insert(run.scale, BallotMark, marks)


def _seal(
    run: _Run,
    turnout: list[EvaluationTurnout],
    subjects: list[EvaluationSubject],
    voted: dict[tuple[int, int], dict[int, str]],
    by_kind: dict[str, list[EvaluationItem]],
) -> None:
    """The open round: each vote cast so far sealed onto its voter's turnout row
    (services.evaluation.ballot_cast); no ballots until the round closes."""
    index_of = {subject.pk: n for n, subject in enumerate(subjects)}
    sealed = []
    for row in turnout:
        levels = voted.get((index_of[row.subject_id], row.evaluator_id))
        if levels is None:
            continue
        items = by_kind[subjects[index_of[row.subject_id]].applies_to]
        row.sealed = sealing.seal(turnout=row, items=items, levels=levels)
        sealed.append(row)
    EvaluationTurnout.objects.using(run.scale.database).bulk_update(
        sealed, ["sealed"], batch_size=500
    )


# --- 评选表彰 -----------------------------------------------------------------------------------


def _honours(run: _Run, year: _Year) -> None:
    """A finished campaign: the best-rated members nominated, recommended, reported and mostly
    awarded, the branch as 四强党组织; the running one: a few nominations so far."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    closed = [s for s in year.subjects if s.round.is_closed]
    last_round = [s for s in closed if s.person_id and s.round is closed[-1].round]
    ranked = sorted(
        (s for s in last_round if s.has_enough_ballots),
        key=lambda s: (-(s.satisfaction or 0), s.person_id),
    )
    count = max(1, len(year.members) // 40)
    nominees = [s.person for s in ranked[: 2 if year.running else count]]
    commend = year.phase_start(4)
    nominations = []
    for person in [None, *nominees]:
        kind = (
            Nomination.Kind.SIQIANG_ORG
            if person is None
            else rng.choice([Nomination.Kind.EXCELLENT_MEMBER] * 3 + [Nomination.Kind.SIYOU_MEMBER])
        )
        nominated_on = scale.today - dt.timedelta(days=3) if year.running else commend
        nomination = Nomination(
            campaign=year.campaign,
            kind=kind,
            nominee=person,
            reason=(
                "支部围绕“四强”标准开展读书活动、设立党员先锋岗、解决职工实际问题，职工满意。"
                if person is None
                else rng.choice(NOMINATION_REASONS)
            ),
            nominated_by=sec,
        )
        if year.running:
            nomination.status = Nomination.Status.NOMINATED
        else:
            nomination.status = rng.choices(
                [
                    Nomination.Status.AWARDED,
                    Nomination.Status.NOT_AWARDED,
                    Nomination.Status.WITHDRAWN,
                ],
                [70, 22, 8],
            )[0]
            if nomination.status != Nomination.Status.WITHDRAWN:
                nomination.recommended_on = commend + dt.timedelta(days=3)
                nomination.reported_on = commend + dt.timedelta(days=7)
        dated(
            nomination,
            scale.at(nominated_on, 10),
            scale.at(min(scale.today, commend + dt.timedelta(days=25)), 10),
        )
        nominations.append(nomination)
    insert(scale, Nomination, nominations)
    honours = [
        dated(
            Honour(
                branch=scale.branch,
                campaign=year.campaign,
                nomination=n,
                title=f"{year.campaign.starts_on.year}年度{n.get_kind_display()}",
                person=n.nominee,
                awarded_on=commend + dt.timedelta(days=25),
                awarding_body=scale.branch.parent_org or "上级党委",
            ),
            scale.at(commend + dt.timedelta(days=25), 15),
        )
        for n in nominations
        if n.status == Nomination.Status.AWARDED
    ]
    insert(scale, Honour, honours)
    _evidence(run, year, nominations)
    for n in nominations:
        run.entries.append(audit(by=sec, action="提名评选表彰", obj=n, at=n.created_at))
        if n.recommended_on:
            run.entries.append(
                audit(by=sec, action="支委会推荐", obj=n, at=scale.at(n.recommended_on, 15))
            )
            run.entries.append(
                audit(by=sec, action="上报评选推荐", obj=n, at=scale.at(n.reported_on, 10))
            )
        if n.status == Nomination.Status.NOT_AWARDED:
            run.entries.append(audit(by=sec, action="登记未获表彰", obj=n, at=n.updated_at))
        if n.status == Nomination.Status.WITHDRAWN:
            run.entries.append(audit(by=sec, action="撤回评选推荐", obj=n, at=n.updated_at))
    for h in honours:
        run.entries.append(audit(by=sec, action="登记表彰", obj=h, at=h.created_at))
    run.count("honours", len(honours))


def _evidence(run: _Run, year: _Year, nominations: list[Nomination]) -> None:
    """Each nomination's evidence: the nominee's (or the branch's) pledges, 点评 and results."""
    links: dict[str, list[object]] = {"pledges": [], "reviews": [], "results": []}
    through = {
        "pledges": (Nomination.evidence_pledges.through, "pledge_id"),
        "reviews": (Nomination.evidence_reviews.through, "leaderreview_id"),
        "results": (Nomination.evidence_results.through, "evaluationsubject_id"),
    }
    for n in nominations:
        person_id = n.nominee_id
        scope = Pledge.Scope.MEMBER if person_id else Pledge.Scope.BRANCH
        chosen = {
            "pledges": [p.pk for p in year.pledges if p.owner_id == person_id and p.scope == scope],
            "reviews": [r.pk for r in year.reviews if r.subject_id == person_id],
            "results": [
                s.pk
                for s in year.subjects
                if s.person_id == person_id and s.is_branch != bool(person_id) and s.round.is_closed
            ],
        }
        for what, pks in chosen.items():
            model, column = through[what]
            links[what] += [model(nomination_id=n.pk, **{column: pk}) for pk in pks]
    for what, rows in links.items():
        insert(run.scale, through[what][0], rows)
