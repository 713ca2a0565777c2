"""Demo data for the seed report's branch: the 2010–2012 campaign in its 全面争创 phase.

Idempotent: every row is found by its natural key and updated, and the closed 2010 round's
ballots are generated only once. Consistent with the report of 2011年5月16日: the reading
activity (《你在为谁工作》《责任胜于能力》), the drug-delivery posts, cost saving, the canteen,
care for the sick.
"""

from __future__ import annotations

import datetime as dt
import random

from members.models import Branch, User

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
    StandardSet,
)
from .services.campaigns import DEFAULT_PHASES
from .services.evaluation import BRANCH_ITEMS, round_tally, write_ballots
from .services.standards import standards_install_defaults

D = dt.date.fromisoformat
CAMPAIGN_NAME = "2010—2012年深入开展创先争优活动"
PHASE_DATES = [
    ("2010-06-01", "2010-08-31"),
    ("2010-09-01", "2011-12-31"),
    ("2012-01-01", "2012-03-31"),
    ("2012-04-01", "2012-06-30"),
]

BRANCH_PLEDGES = {
    "政治引领力强": (
        "把创先争优与巩固学习实践科学发展观成果结合起来",
        "开展“创先争优”读书活动；每季度召开一次专题组织生活会。",
        "推荐书目、统一购书发放，在QQ群“读书论坛”交流读后感。",
    ),
    "推动发展力强": (
        "对照“整合、转型、创新、跨跃”战略，完成年度经营指标",
        "查找经营管理中的问题，逐项制定措施。",
        "支委会每月听取经营情况，党员带头攻坚急难险重任务。",
    ),
    "改革创新力强": (
        "以“党员先锋岗”为载体深化创先争优",
        "将经营一线的药品配送岗位确定为“党员先锋岗”；倡导增收节支。",
        "先锋岗挂牌上岗，每季度评选先锋之星。",
    ),
    "凝聚保障力强": (
        "把创先争优打造成群众满意工程",
        "解决职工反映的食堂伙食问题；关心生病住院职工。",
        "改进蔬菜和副食品采购方式，提高午餐费标准；领导班子上门慰问。",
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
        "带头执行《廉政准则》和《若干规定》",
        "落实“一岗双责”。",
        "要求下属做到的班子成员先做到。",
    ),
}
# Per 四优 item: goal, tasks, measures ({position} is filled in).
MEMBER_TEMPLATES = {
    "政治素质优": (
        "认真读完《你在为谁工作》《责任胜于能力》，写出读后感",
        "参加支部读书活动和组织生活，按时交纳党费。",
        "每周读书不少于3小时，在读书论坛发表读后感。",
    ),
    "岗位技能优": (
        "做{position}岗位的业务能手",
        "熟练掌握本岗位操作规程和GSP要求。",
        "参加公司业务培训，每季度带一名新同事。",
    ),
    "工作业绩优": (
        "{position}工作全年零差错、零投诉",
        "完成部门下达的各项任务，在急难险重任务中打头阵。",
        "每月对照目标自查，增收节支有实效。",
    ),
    "群众评价优": (
        "热情服务，以诚待人、以信立身",
        "主动帮助身边职工解决实际困难。",
        "每季度至少为群众办一件实事。",
    ),
}
PUBLISHED = [
    "secretary",
    "leader",
    "xt003",
    "xt004",
    "member",
    "xt006",
    "xt007",
    "xt008",
    "xt009",
    "xt010",
    "xt011",
    "xt012",
]
REVIEWS = [  # reviewer, subject, rating, date, comment
    (
        "secretary",
        "member",
        "good",
        "2011-03-18",
        "带领配送部全员参与党员先锋岗，配送差错明显下降。",
    ),
    ("secretary", "xt006", "good", "2011-03-18", "药品配送任务完成出色，客户多次来电表扬。"),
    (
        "secretary",
        "xt007",
        "fairly_good",
        "2011-03-20",
        "工作踏实，读后感写得认真，业务技能还可提高。",
    ),
    ("leader", "xt008", "good", "2011-04-02", "严把质量关，全年无质量事故。"),
    ("leader", "xt009", "fairly_good", "2011-04-02", "销售任务完成较好，要进一步加强回款管理。"),
    ("leader", "xt011", "fairly_good", "2011-04-08", "仓储管理规范，带头开展节支降耗。"),
    ("xt004", "xt012", "average", "2011-04-10", "安全行车无事故，参加组织生活还需更积极。"),
    ("leader", "secretary", "good", "2011-04-12", "主持支部工作有力，读书活动组织得好。"),
    ("secretary", "leader", "good", "2011-04-12", "带头落实“一岗双责”，经营指标完成良好。"),
    ("leader", None, "good", "2011-05-10", "支部把创先争优与经营工作结合得好，食堂整改职工满意。"),
]
VOTE_SKIPS = {"xt014": 27}  # 何静 joined late: only 4 ballots, below the floor of 5


def _people_members(people: dict[str, User]) -> list[User]:
    return [p for p in people.values() if p.has_role("member")]


def seed(*, branch: Branch, people: dict[str, User]) -> Campaign:
    sets = standards_install_defaults(branch=branch)
    campaign, _ = Campaign.objects.update_or_create(
        branch=branch,
        name=CAMPAIGN_NAME,
        defaults={
            "description": (
                "围绕争创“四强”党组织、争做“四优”共产党员，把依靠员工、发扬民主贯穿活动始终。"
            ),
            "starts_on": D("2010-06-01"),
            "ends_on": D("2012-06-30"),
            "status": Campaign.Status.ACTIVE,
            "branch_standards": sets["siqiang"],
            "member_standards": sets["siyou"],
            "team_standards": sets["sihao"],
        },
    )
    phases = []
    for order, ((name, kind, _share, guidance), (start, end)) in enumerate(
        zip(DEFAULT_PHASES, PHASE_DATES, strict=True), 1
    ):
        phase, _ = Phase.objects.update_or_create(
            campaign=campaign,
            order=order,
            defaults={
                "name": name,
                "kind": kind,
                "starts_on": D(start),
                "ends_on": D(end),
                "guidance": guidance,
            },
        )
        phases.append(phase)
    campaign.current_phase = phases[1]  # 全面争创
    campaign.save(update_fields=["current_phase"])
    _seed_pledges(campaign, sets, people)
    _seed_reviews(campaign, people)
    round_ = _seed_round(campaign, people)
    _seed_honours(campaign, round_, people)
    return campaign


def _pledge(
    campaign: Campaign,
    scope: str,
    owner: User | None,
    standard,
    texts,
    status: str,
    published_on: str | None,
    **extra,
) -> Pledge:
    goal, tasks, measures = texts
    pledge, _ = Pledge.objects.update_or_create(
        campaign=campaign,
        scope=scope,
        owner=owner,
        standard=standard,
        defaults={
            "goal": goal,
            "tasks": tasks,
            "measures": measures,
            "deadline": extra.pop("deadline", D("2011-12-31")),
            "status": status,
            "submitted_on": D("2010-09-10") if status != Pledge.Status.DRAFT else None,
            "published_on": D(published_on) if published_on else None,
            "return_reason": extra.pop("return_reason", ""),
            "verdict": extra.pop("verdict", ""),
            "verdict_note": extra.pop("verdict_note", ""),
            "judged_on": extra.pop("judged_on", None),
            **extra,
        },
    )
    return pledge


def _progress(pledge: Pledge, on: str, content: str, by: User | None) -> None:
    PledgeProgress.objects.update_or_create(
        pledge=pledge, happened_on=D(on), defaults={"content": content, "recorded_by": by}
    )


def _seed_pledges(campaign: Campaign, sets: dict[str, StandardSet], people: dict[str, User]):
    secretary = people["secretary"]
    P = Pledge.Status
    for item in sets["siqiang"].items.all():
        pledge = _pledge(
            campaign,
            Pledge.Scope.BRANCH,
            None,
            item,
            BRANCH_PLEDGES[item.name],
            P.PUBLISHED,
            "2010-09-20",
            approved_by=secretary,
        )
        if item.name == "凝聚保障力强":
            _progress(
                pledge,
                "2010-11-15",
                "针对职工反映的食堂伙食问题，改进蔬菜和副食品采购方式，"
                "午餐费标准提高，伙食质量明显改善。",
                secretary,
            )
            _progress(
                pledge,
                "2011-02-22",
                "领导班子带慰问品看望生病住院职工，详细询问病情和治疗情况。",
                secretary,
            )
        elif item.name == "政治引领力强":
            _progress(
                pledge,
                "2010-10-08",
                "汇总推荐书目，选定《你在为谁工作》《责任胜于能力》，统一购买发给每位党员干部。",
                secretary,
            )
        elif item.name == "改革创新力强":
            _progress(pledge, "2010-10-20", "药品配送岗位确定为“党员先锋岗”，挂牌上岗。", secretary)
    for item in sets["sihao"].items.all():
        _pledge(
            campaign,
            Pledge.Scope.TEAM,
            None,
            item,
            TEAM_PLEDGES[item.name],
            P.PUBLISHED,
            "2010-09-20",
            approved_by=secretary,
        )
    items = list(sets["siyou"].items.all())
    for username in PUBLISHED:
        person = people[username]
        position = person.position.split("、")[0] or "本职"
        for item in items:
            goal, tasks, measures = MEMBER_TEMPLATES[item.name]
            texts = (goal.format(position=position), tasks, measures)
            extra = {}
            if username == "xt006" and item.name == "岗位技能优":
                extra = {
                    "deadline": D("2010-12-31"),
                    "verdict": Pledge.Verdict.FULFILLED,
                    "verdict_note": "全年配送零差错，被评为配送能手。",
                    "judged_on": D("2011-01-10"),
                }
            status = P.JUDGED if extra else P.PUBLISHED
            pledge = _pledge(
                campaign,
                Pledge.Scope.MEMBER,
                person,
                item,
                texts,
                status,
                "2010-09-20",
                # Nobody approves his or her own pledge: the secretary's goes to another 支委.
                approved_by=people["leader"] if person == secretary else secretary,
                **extra,
            )
            if item.name == "政治素质优":
                _progress(
                    pledge, "2010-12-15", "读完《你在为谁工作》，在读书论坛发表读后感。", person
                )
            elif (
                item.name == "工作业绩优"
                and person.department
                and person.department.name == "配送部"
            ):
                _progress(pledge, "2011-01-25", "春节前药品保供，连续加班配送，无一差错。", person)
                _progress(pledge, "2011-04-18", "优化配送线路，每月节约油费约800元。", person)
    for item in items:  # 杨帆 (probationary): submitted, waiting for the secretary
        goal, tasks, measures = MEMBER_TEMPLATES[item.name]
        _pledge(
            campaign,
            Pledge.Scope.MEMBER,
            people["xt013"],
            item,
            (goal.format(position="采购员"), tasks, measures),
            P.SUBMITTED,
            None,
        )
    states = [P.SUBMITTED, P.SUBMITTED, P.RETURNED, P.DRAFT]
    for item, status in zip(items, states, strict=True):  # 何静: one returned, one draft
        goal, tasks, measures = MEMBER_TEMPLATES[item.name]
        reason = "措施不够具体，请写明每月做什么、怎么检查。" if status == P.RETURNED else ""
        _pledge(
            campaign,
            Pledge.Scope.MEMBER,
            people["xt014"],
            item,
            (goal.format(position="行政文员"), tasks, measures),
            status,
            None,
            return_reason=reason,
        )
    # xt015 and xt016 have not pledged yet: they show on the "who has not pledged" page.


def _seed_reviews(campaign: Campaign, people: dict[str, User]) -> None:
    for reviewer, subject, rating, on, comment in REVIEWS:
        LeaderReview.objects.update_or_create(
            campaign=campaign,
            reviewer=people[reviewer],
            subject=people[subject] if subject else None,
            reviewed_on=D(on),
            defaults={"rating": rating, "comment": comment},
        )


def _seed_round(campaign: Campaign, people: dict[str, User]) -> EvaluationRound:
    round_, _ = EvaluationRound.objects.update_or_create(
        campaign=campaign,
        name="2010年度群众评议",
        defaults={
            "starts_on": D("2010-12-20"),
            "ends_on": D("2010-12-31"),
            "threshold": 80,
            "status": EvaluationRound.Status.CLOSED,
            "opened_on": D("2010-12-20"),
            "closed_on": D("2010-12-31"),
        },
    )
    for n, name in enumerate(BRANCH_ITEMS, 1):
        EvaluationItem.objects.update_or_create(
            round=round_, applies_to="branch", order=n, defaults={"name": name}
        )
    for n, item in enumerate(campaign.member_standards.items.all(), 1):
        EvaluationItem.objects.update_or_create(
            round=round_, applies_to="member", order=n, defaults={"name": item.name}
        )
    subjects = [EvaluationSubject.objects.get_or_create(round=round_, is_branch=True)[0]]
    subjects += [
        EvaluationSubject.objects.get_or_create(round=round_, person=m)[0]
        for m in _people_members(people)
    ]
    evaluators = [p for p in people.values() if p.has_role("member") or p.has_role("staff")]
    if Ballot.objects.filter(subject__round=round_).exists():
        return round_
    rng = random.Random(2010)  # noqa: S311 - demo data, reproducible on purpose  # nosec B311
    items = {kind: list(round_.items.filter(applies_to=kind)) for kind in ("branch", "member")}
    votes = []
    for subject in subjects:
        voters = [e for e in evaluators if e.pk != subject.person_id]
        skip = VOTE_SKIPS.get(subject.person.username if subject.person else "", 2)
        voters_voted = voters[: max(0, len(voters) - skip)]
        weak = subject.person is not None and subject.person.username == "xt012"
        for evaluator in voters:
            EvaluationTurnout.objects.get_or_create(
                round=round_,
                evaluator=evaluator,
                subject=subject,
                defaults={"has_voted": evaluator in voters_voted},
            )
        weights = [30, 30, 25, 15] if weak else [60, 28, 10, 2]
        votes += [
            (
                subject,
                {
                    item.pk: rng.choices(BallotMark.Level.values, weights)[0]
                    for item in items[subject.applies_to]
                },
            )
            for _voter in voters_voted
        ]
    # The closed round's ballots go in as closing writes them: shuffled, no time, no voter.
    write_ballots(votes)
    round_tally(round_)
    return round_


def _seed_honours(campaign: Campaign, round_: EvaluationRound, people: dict[str, User]) -> None:
    ma = people["xt006"]
    nomination, _ = Nomination.objects.update_or_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=ma,
        defaults={
            "reason": (
                "药品配送“党员先锋岗”骨干，全年配送零差错，热情服务赢得客户信赖，群众评议满意率高。"
            ),
            "status": Nomination.Status.AWARDED,
            "nominated_by": people["secretary"],
            "recommended_on": D("2011-01-05"),
            "reported_on": D("2011-01-08"),
        },
    )
    nomination.evidence_pledges.set(campaign.pledges.filter(owner=ma, status=Pledge.Status.JUDGED))
    nomination.evidence_reviews.set(campaign.reviews.filter(subject=ma))
    nomination.evidence_results.set(round_.subjects.filter(person=ma))
    Honour.objects.update_or_create(
        nomination=nomination,
        defaults={
            "branch": campaign.branch,
            "campaign": campaign,
            "title": "2010年度优秀共产党员",
            "person": ma,
            "awarded_on": D("2011-01-20"),
            "awarding_body": campaign.branch.parent_org or "上级党委",
        },
    )
    org, _ = Nomination.objects.update_or_create(
        campaign=campaign,
        kind=Nomination.Kind.SIQIANG_ORG,
        nominee=None,
        defaults={
            "reason": (
                "支部围绕“四强”标准开展读书活动、设立党员先锋岗、解决职工食堂问题，职工满意。"
            ),
            "status": Nomination.Status.NOMINATED,
            "nominated_by": people["secretary"],
        },
    )
    org.evidence_pledges.set(campaign.pledges.filter(scope=Pledge.Scope.BRANCH))
    org.evidence_results.set(round_.subjects.filter(is_branch=True))
