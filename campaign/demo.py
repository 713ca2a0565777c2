"""Demo data for the seed report's branch: the campaign in its 全面争创 phase.

The story is told in the report's own dates (2010–2012; the report of 2011年5月16日 is
"today") and each date goes through `demo.day()`, which moves it so that the story's today is
today: the campaign is running, 全面争创 contains today, 动员部署 and the 2010 round of 群众评议
lie in the past. The round is closed, so its ballots are written as closing writes them
(`write_ballots`: no voter, no time). The years in names (活动, 年度) follow the moved dates.

Idempotent: every row is found by a key that does not move with the calendar (never by a date or
a dated name) and updated; the closed round's ballots are generated only once. Consistent with
the report: the reading activity (《你在为谁工作》《责任胜于能力》), the drug-delivery posts,
cost saving, the canteen, care for the sick.
"""

from __future__ import annotations

import io
import math
import random
from typing import TypeVar

from django.core.files.base import ContentFile

from members.hooks import Demo
from members.models import Branch, Role, User

from . import demo_care, demo_feedback, demo_fortress
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
)
from .services.campaigns import DEFAULT_PHASES
from .services.evaluation import BRANCH_ITEMS, round_tally, write_ballots
from .services.standards import standards_install_defaults

# The campaign's name without its years: the years follow the dates, the rest finds the row again.
CAMPAIGN_TITLE = "深入开展创先争优活动"
CAMPAIGN_DATES = ("2010-06-01", "2012-06-30")
PHASE_DATES = [
    ("2010-06-01", "2010-08-31"),
    ("2010-09-01", "2011-12-31"),  # 全面争创: contains the story's today
    ("2012-01-01", "2012-03-31"),
    ("2012-04-01", "2012-06-30"),
]
CURRENT_PHASE = 2
ROUND_TITLE = "年度群众评议"  # preceded by the round's year
ROUND_DATES = ("2010-12-20", "2010-12-31")
SUBMITTED_ON = "2010-09-10"
PUBLISHED_ON = "2010-09-20"
DEADLINE = "2011-12-31"
P = Pledge.Status
Dated = TypeVar("Dated", Campaign, EvaluationRound)

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
REVIEWS = [  # reviewer, subject, rating, story date, comment
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


# Progress entries (story date, what was done) of the branch's 四强 pledges, by standard.
BRANCH_PROGRESS = {
    "凝聚保障力强": [
        (
            "2010-11-15",
            "针对职工反映的食堂伙食问题，改进蔬菜和副食品采购方式，"
            "午餐费标准提高，伙食质量明显改善。",
        ),
        ("2011-02-22", "领导班子带慰问品看望生病住院职工，详细询问病情和治疗情况。"),
    ],
    "政治引领力强": [
        (
            "2010-10-13",  # the day the books were handed out (reading.demo)
            "汇总推荐书目，选定《你在为谁工作》《责任胜于能力》，统一购买发给每位党员干部。",
        )
    ],
    "改革创新力强": [("2010-10-20", "药品配送岗位确定为“党员先锋岗”，挂牌上岗。")],
}
# The entry that carries a photo, so that a newcomer sees how a 践诺 photo looks (_demo_photo).
PHOTO_PROGRESS = "药品配送岗位确定为“党员先锋岗”，挂牌上岗。"
READING_PROGRESS = ("2010-12-15", "读完《你在为谁工作》，在读书论坛发表读后感。")
DELIVERY_PROGRESS = [  # 工作业绩优 of the 配送部's members
    ("2011-01-25", "药品保供任务紧，连续加班配送，无一差错。"),
    ("2011-04-18", "优化配送线路，每月节约油费约800元。"),
]
# 马玉兰's 岗位技能优 pledge: due at the end of 2010, judged fulfilled in January.
JUDGED = ("xt006", "岗位技能优")
JUDGED_FIELDS = {
    "deadline": "2010-12-31",
    "verdict": Pledge.Verdict.FULFILLED,
    "verdict_note": "全年配送零差错，被评为配送能手。",
    "judged_on": "2011-01-10",
}
RETURN_REASON = "措施不够具体，请写明每月做什么、怎么检查。"


def seed(demo: Demo) -> Campaign:
    sets = standards_install_defaults(branch=demo.branch)
    campaign = _seed_campaign(demo, sets)
    _seed_pledges(campaign, sets, demo)
    _seed_reviews(campaign, demo)
    round_ = _seed_round(campaign, demo)
    _seed_honours(campaign, round_, demo)
    fortress = demo_fortress.seed(campaign, demo)
    fortress += demo_feedback.seed(demo)
    fortress += demo_care.seed_care(demo.branch, demo.people, day=demo.day)
    demo.loaded.append(f"创先争优活动一项（{'，'.join(fortress)}）")
    return campaign


def _upsert(row: Dated, **values: object) -> Dated:
    """Save a row found by a calendar-free key (or a new one) with these values."""
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    return row


def _seed_campaign(demo: Demo, sets: dict[str, StandardSet]) -> Campaign:
    """The running campaign, its four phases, 全面争创 current."""
    branch: Branch = demo.branch
    starts_on, ends_on = (demo.day(day) for day in CAMPAIGN_DATES)
    found = Campaign.objects.filter(branch=branch, name__endswith=CAMPAIGN_TITLE).first()
    campaign = _upsert(
        found or Campaign(branch=branch),
        name=f"{starts_on.year}—{ends_on.year}年{CAMPAIGN_TITLE}",
        description=(
            "围绕争创“四强”党组织、争做“四优”共产党员，把依靠员工、发扬民主贯穿活动始终。"
        ),
        starts_on=starts_on,
        ends_on=ends_on,
        status=Campaign.Status.ACTIVE,
        branch_standards=sets["siqiang"],
        member_standards=sets["siyou"],
        team_standards=sets["sihao"],
    )
    for order, ((name, kind, _share, guidance), (start, end)) in enumerate(
        zip(DEFAULT_PHASES, PHASE_DATES, strict=True), 1
    ):
        phase, _ = Phase.objects.update_or_create(
            campaign=campaign,
            order=order,
            defaults={
                "name": name,
                "kind": kind,
                "starts_on": demo.day(start),
                "ends_on": demo.day(end),
                "guidance": guidance,
            },
        )
        if order == CURRENT_PHASE:
            campaign.current_phase = phase
    campaign.save(update_fields=["current_phase"])
    return campaign


# --- Pledges: one step per kind, each with its progress -----------------------------------------


def _seed_pledges(campaign: Campaign, sets: dict[str, StandardSet], demo: Demo) -> None:
    """Every state the pages show: published 四强 and 四好 pledges, twelve members' published 四优
    pledges (one judged), 杨帆's waiting for review, 何静's submitted, returned and draft ones.
    xt015 and xt016 have not pledged yet: they show on the "who has not pledged" page."""
    _seed_branch_pledges(campaign, sets["siqiang"], demo)
    _seed_team_pledges(campaign, sets["sihao"], demo)
    items = list(sets["siyou"].items.all())
    for username in PUBLISHED:
        _seed_published_member_pledges(campaign, items, demo.person(username), demo)
    _seed_waiting_member_pledges(campaign, items, demo)


def _seed_branch_pledges(campaign: Campaign, siqiang: StandardSet, demo: Demo) -> None:
    for item in siqiang.items.all():
        pledge = _pledge(
            campaign,
            demo,
            scope=Pledge.Scope.BRANCH,
            standard=item,
            texts=BRANCH_PLEDGES[item.name],
            status=P.PUBLISHED,
            approved_by=demo.person("secretary"),
        )
        for on, content in BRANCH_PROGRESS.get(item.name, []):
            _progress(pledge, demo, on, content, by=demo.person("secretary"))


def _seed_team_pledges(campaign: Campaign, sihao: StandardSet, demo: Demo) -> None:
    for item in sihao.items.all():
        _pledge(
            campaign,
            demo,
            scope=Pledge.Scope.TEAM,
            standard=item,
            texts=TEAM_PLEDGES[item.name],
            status=P.PUBLISHED,
            approved_by=demo.person("secretary"),
        )


def _seed_published_member_pledges(
    campaign: Campaign, items: list[Standard], person: User, demo: Demo
) -> None:
    """One published pledge per 四优 item, approved by the secretary (the secretary's own by
    another 支委: nobody approves his or her own pledge), with its progress."""
    secretary = demo.person("secretary")
    approver = demo.person("leader") if person == secretary else secretary
    in_delivery = person.department is not None and person.department.name == "配送部"
    for item in items:
        judged = (person.username, item.name) == JUDGED
        pledge = _pledge(
            campaign,
            demo,
            scope=Pledge.Scope.MEMBER,
            owner=person,
            standard=item,
            texts=_member_texts(item, person.position.split("、")[0] or "本职"),
            status=P.JUDGED if judged else P.PUBLISHED,
            approved_by=approver,
            **(_judged_fields(demo) if judged else {}),
        )
        if item.name == "政治素质优":
            _progress(pledge, demo, *READING_PROGRESS, by=person)
        elif item.name == "工作业绩优" and in_delivery:
            for on, content in DELIVERY_PROGRESS:
                _progress(pledge, demo, on, content, by=person)


def _seed_waiting_member_pledges(campaign: Campaign, items: list[Standard], demo: Demo) -> None:
    """杨帆 (probationary): all four submitted, waiting for the secretary. 何静: two submitted, one
    returned with a reason, one still a draft."""
    for item in items:
        _pledge(
            campaign,
            demo,
            scope=Pledge.Scope.MEMBER,
            owner=demo.person("xt013"),
            standard=item,
            texts=_member_texts(item, "采购员"),
            status=P.SUBMITTED,
        )
    states = [P.SUBMITTED, P.SUBMITTED, P.RETURNED, P.DRAFT]
    for item, status in zip(items, states, strict=True):
        _pledge(
            campaign,
            demo,
            scope=Pledge.Scope.MEMBER,
            owner=demo.person("xt014"),
            standard=item,
            texts=_member_texts(item, "行政文员"),
            status=status,
            return_reason=RETURN_REASON if status == P.RETURNED else "",
        )


def _member_texts(item: Standard, position: str) -> tuple[str, str, str]:
    goal, tasks, measures = MEMBER_TEMPLATES[item.name]
    return goal.format(position=position), tasks, measures


def _judged_fields(demo: Demo) -> dict[str, object]:
    return {
        **JUDGED_FIELDS,
        "deadline": demo.day(JUDGED_FIELDS["deadline"]),
        "judged_on": demo.day(JUDGED_FIELDS["judged_on"]),
    }


def _pledge(
    campaign: Campaign,
    demo: Demo,
    *,
    scope: str,
    standard: Standard,
    texts: tuple[str, str, str],
    status: str,
    owner: User | None = None,
    **extra: object,
) -> Pledge:
    """Submitted in September 2010 (unless a draft), 亮诺 on 20 September if published."""
    goal, tasks, measures = texts
    published = status in (P.PUBLISHED, P.JUDGED)
    pledge, _ = Pledge.objects.update_or_create(
        campaign=campaign,
        scope=scope,
        owner=owner,
        standard=standard,
        defaults={
            "goal": goal,
            "tasks": tasks,
            "measures": measures,
            "deadline": demo.day(DEADLINE),
            "status": status,
            "submitted_on": demo.day(SUBMITTED_ON) if status != P.DRAFT else None,
            "published_on": demo.day(PUBLISHED_ON) if published else None,
            "return_reason": "",
            "verdict": "",
            "verdict_note": "",
            "judged_on": None,
            **extra,
        },
    )
    return pledge


def _progress(pledge: Pledge, demo: Demo, on: str, content: str, *, by: User) -> None:
    entry, _created = PledgeProgress.objects.update_or_create(
        pledge=pledge, content=content, defaults={"happened_on": demo.day(on), "recorded_by": by}
    )
    if content == PHOTO_PROGRESS and not entry.photo:
        entry.photo.save("plaque.jpg", _demo_photo(), save=True)


def _demo_photo() -> ContentFile:
    """A drawn stand-in for a photo: a red 党员先锋岗 plaque with a gold star on a wall."""
    from PIL import Image, ImageDraw

    width, height = 640, 480
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a wall lit from above
        shade = 236 - y * 40 // height
        draw.line([(0, y), (width, y)], fill=(shade, shade - 6, shade - 16))
    draw.rounded_rectangle(
        (170, 110, 470, 340), radius=14, fill="#b71c1c", outline="#d4af37", width=8
    )
    cx, cy, outer, inner = 320, 195, 52, 21
    points = [
        (
            cx + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            cy - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(points, fill="#ffd54f")
    for top in (272, 300):  # where the plaque's words would be
        draw.rectangle((225, top, 415, top + 12), fill="#ffd54f")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue())


# --- Reviews, the closed round, honours ---------------------------------------------------------


def _seed_reviews(campaign: Campaign, demo: Demo) -> None:
    for reviewer, subject, rating, on, comment in REVIEWS:
        LeaderReview.objects.update_or_create(
            campaign=campaign,
            reviewer=demo.person(reviewer),
            subject=demo.person(subject) if subject else None,
            comment=comment,
            defaults={"rating": rating, "reviewed_on": demo.day(on)},
        )


def _seed_round(campaign: Campaign, demo: Demo) -> EvaluationRound:
    """The 2010 round of 群众评议, closed: turnout per evaluator, anonymous ballots, the tally."""
    starts_on, ends_on = (demo.day(day) for day in ROUND_DATES)
    found = campaign.rounds.filter(name__endswith=ROUND_TITLE).first()
    round_ = _upsert(
        found or EvaluationRound(campaign=campaign),
        name=f"{starts_on.year}{ROUND_TITLE}",
        starts_on=starts_on,
        ends_on=ends_on,
        threshold=80,
        status=EvaluationRound.Status.CLOSED,
        opened_on=starts_on,
        closed_on=ends_on,
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
        for m in demo.with_role(Role.MEMBER)
    ]
    if not Ballot.objects.filter(subject__round=round_).exists():
        _seed_votes(round_, subjects, demo)
    return round_


def _seed_votes(round_: EvaluationRound, subjects: list[EvaluationSubject], demo: Demo) -> None:
    evaluators = [
        p for p in demo.people.values() if p.has_role(Role.MEMBER) or p.has_role(Role.STAFF)
    ]
    rng = random.Random(2010)  # demo data, reproducible on purpose (S311 is off)
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


def _seed_honours(campaign: Campaign, round_: EvaluationRound, demo: Demo) -> None:
    ma = demo.person("xt006")
    secretary = demo.person("secretary")
    nomination, _ = Nomination.objects.update_or_create(
        campaign=campaign,
        kind=Nomination.Kind.EXCELLENT_MEMBER,
        nominee=ma,
        defaults={
            "reason": (
                "药品配送“党员先锋岗”骨干，全年配送零差错，热情服务赢得客户信赖，群众评议满意率高。"
            ),
            "status": Nomination.Status.AWARDED,
            "nominated_by": secretary,
            "recommended_on": demo.day("2011-01-05"),
            "reported_on": demo.day("2011-01-08"),
        },
    )
    nomination.evidence_pledges.set(campaign.pledges.filter(owner=ma, status=P.JUDGED))
    nomination.evidence_reviews.set(campaign.reviews.filter(subject=ma))
    nomination.evidence_results.set(round_.subjects.filter(person=ma))
    Honour.objects.update_or_create(
        nomination=nomination,
        defaults={
            "branch": campaign.branch,
            "campaign": campaign,
            "title": f"{round_.starts_on.year}年度优秀共产党员",  # the year of the round
            "person": ma,
            "awarded_on": demo.day("2011-01-20"),
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
            "nominated_by": secretary,
        },
    )
    org.evidence_pledges.set(campaign.pledges.filter(scope=Pledge.Scope.BRANCH))
    org.evidence_results.set(round_.subjects.filter(is_branch=True))
