"""The reading part of `manage.py seed_scale`: six reading activities, two a year.

The first five are finished; the last one is in its third phase (交流读后感) today. Each went
through the services' steps: recommendations (one per party member) and 附议 (at most three),
the 支委会's choice of two books, purchases, hand-outs with their confirmations, reading
progress, and the 读书论坛: 20,000 读后感 with their revisions, 200,000 comments, 100,000
likes, 精华推荐 and a few posts and comments hidden with their reasons (the revisions of a hidden
post sealed, as `reflection_hide` leaves them). The audit trail gets the entries the services
write. Nothing in this app stores a counter: the forum counts comments and likes when it reads.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from members.hooks import Scale
from members.models import AuditEntry, User
from members.scale import audit, dated, insert

from .models import (
    Comment,
    Distribution,
    Endorsement,
    Feature,
    Like,
    Purchase,
    ReadingActivity,
    ReadingProgress,
    Recommendation,
    Reflection,
    Revision,
    Selection,
)

# title, author, publisher, price
BOOKS: list[tuple[str, str, str, str]] = [
    ("你在为谁工作", "陈安之", "中国长安出版社", "28.00"),
    ("责任胜于能力", "孙学敏", "北京联合出版公司", "29.80"),
    ("细节决定成败", "汪中求", "新华出版社", "32.00"),
    ("把信送给加西亚", "阿尔伯特·哈伯德", "北京联合出版公司", "25.00"),
    ("没有任何借口", "费拉尔·凯普", "中国社会科学出版社", "26.00"),
    ("谁动了我的奶酪？", "斯宾塞·约翰逊", "中信出版社", "22.00"),
    ("执行力", "拉里·博西迪", "机械工业出版社", "39.00"),
    ("平凡的世界", "路遥", "人民文学出版社", "108.00"),
    ("人生", "路遥", "人民文学出版社", "29.00"),
    ("活着", "余华", "作家出版社", "28.00"),
    ("白鹿原", "陈忠实", "人民文学出版社", "59.00"),
    ("红岩", "罗广斌、杨益言", "中国青年出版社", "39.00"),
    ("长征", "王树增", "人民文学出版社", "76.00"),
    ("钢铁是怎样炼成的", "尼古拉·奥斯特洛夫斯基", "人民文学出版社", "35.00"),
    ("红星照耀中国", "埃德加·斯诺", "人民文学出版社", "45.00"),
    ("高效能人士的七个习惯", "史蒂芬·柯维", "中国青年出版社", "59.00"),
    ("第五项修炼", "彼得·圣吉", "中信出版社", "68.00"),
    ("卓有成效的管理者", "彼得·德鲁克", "机械工业出版社", "45.00"),
    ("从优秀到卓越", "吉姆·柯林斯", "中信出版社", "56.00"),
    ("万历十五年", "黄仁宇", "中华书局", "38.00"),
    ("苏东坡传", "林语堂", "湖南文艺出版社", "42.00"),
    ("曾国藩", "唐浩明", "人民文学出版社", "128.00"),
    ("丰田生产方式", "大野耐一", "中国铁道出版社", "36.00"),
    ("精益思想", "詹姆斯·沃麦克", "机械工业出版社", "59.00"),
]
# Well-known lines of some of the books, for the 摘抄 of a post (others have none).
QUOTES = {
    "你在为谁工作": "工作不是为了老板，也不是为了薪水，而是为了自己。",
    "平凡的世界": "生活不能等待别人来安排，要自己去争取和奋斗。",
    "活着": "人是为活着本身而活着，而不是为了活着之外的任何事物所活着。",
    "钢铁是怎样炼成的": "人最宝贵的东西是生命，生命属于人只有一次。",
    "细节决定成败": "泰山不拒细壤，故能成其高；江海不择细流，故能就其深。",
}
SUPPLIERS = [
    "新华书店乌鲁木齐分店",
    "新疆人民出版社读者服务部",
    "当当网（企业采购）",
    "京东（企业购）",
]
RECOMMEND_REASONS = [
    "这本书讲清楚了{theme}的道理，和我们{dept}的工作联系很紧，适合每位党员对照反思。",
    "我读过这本书，书里的很多例子就像发生在我们身边，读完对{theme}有了新的认识，推荐大家一读。",
    "篇幅不长，语言朴实，利用业余时间就能读完。书中关于{theme}的观点值得我们学习。",
    "公司正在转型发展，这本书讲的{theme}正是我们需要的，适合党员干部和职工一起读。",
]
THEMES = [
    "把责任扛在肩上",
    "在平凡岗位上发光",
    "从“要我干”到“我要干”",
    "细节里见担当",
    "工作是为了什么",
    "做一名合格的共产党员",
    "态度决定高度",
    "向书中的榜样学习",
    "干一行爱一行",
    "用心服务每一位客户",
    "没有借口，只有行动",
    "让读书成为习惯",
    "初心不改，岗位建功",
    "小事做细，细事做精",
    "学以致用，知行合一",
    "团队的力量",
    "在变化中成长",
    "责任心是最好的能力",
    "守住质量的底线",
    "把每一单药送到",
]
TITLES = ["读《{book}》有感", "{theme}——读《{book}》", "{theme}", "《{book}》读后感"]
OPENINGS = [
    "支部发了《{book}》以后，我利用下班时间和周末，用了{n}个星期读完了。",
    "刚拿到《{book}》的时候，我以为又是一本讲大道理的书，读了几章以后才发现，书里说的就是我们每天遇到的事。",
    "这次读书活动，我选读的是《{book}》。",
    "读《{book}》之前，我对工作的理解很简单：完成任务，拿到工资。",
    "《{book}》这本书我读了两遍，有几段还抄在了笔记本上。",
]
MIDDLES = [
    "我在{dept}做{position}，每天面对的都是具体而琐碎的事情。书里说的道理让我重新审视自己的工作：同样一件事，用心做和应付做，结果完全不一样。",
    "上个月部门任务紧，大家连续加班。以前遇到这种情况我难免有怨气，现在想想，越是任务重的时候，越是党员站出来的时候。",
    "药品关系到患者的健康和生命，我们工作中的每一个环节都不能有“差不多”的思想。",
    "书中有一个例子让我印象很深：一个不起眼的小疏忽，最后造成了很大的损失。这让我想到我们验收、复核的每一个批号、每一张单据。",
    "作为一名党员，我想的不仅是把自己的事做好，还要带动身边的同事一起做好。",
    "读书的过程中，我把书里的方法用到了工作上：每天下班前把当天的工作过一遍，发现问题及时改正。一个月下来，差错明显少了。",
    "公司正处在转型发展的关键时期，变化多、任务重。书里讲的主动适应变化、积极面对困难，对我们每个人都很有启发。",
    "和同事们交流读书体会时，大家说得最多的就是“责任”两个字。",
    "我想起去年冬天给一位独居老人送药，那天下大雪，本可以改到第二天，但还是按时送到了。老人说药正好吃完了。",
    "在{dept}工作这些年，我越来越体会到，客户记住的往往不是我们说了什么，而是我们做了什么。",
]
MAXIMS = [
    "工作是为了自己的成长",
    "责任胜于能力",
    "态度决定一切",
    "细节决定成败",
    "没有任何借口",
    "干一行、爱一行、钻一行",
    "把简单的事情做好就是不简单",
]
PROMISES = [
    "每一单都按时送达",
    "每一次都核对药品和单据",
    "对客户多一分耐心",
    "坚持每周读书不少于3小时",
    "把学到的方法用到工作中",
    "主动帮助新同事熟悉岗位",
    "严格执行GSP规范",
    "遇到问题先找自己的原因",
    "积极参加支部组织生活",
    "为身边职工办一件实事",
]
CLOSINGS = [
    "读书不是为了读完一本书，而是为了把书里的道理用到工作中去。我会继续努力，在岗位上践行“四优”标准。",
    "感谢支部组织这次读书活动，让我们在忙碌的工作之余静下心来读一本好书。",
    "今后我要把读书当成习惯，多读书、读好书，用学到的东西指导工作。",
]
COMMENT_OPENINGS = [
    "",
    "写得真好！",
    "很有同感，",
    "说到心坎里了。",
    "学习了！",
    "赞同！",
    "感谢分享，",
    "读完很受启发，",
]
COMMENT_BODIES = [
    "我们部门也遇到过类似的情况。",
    "把书里的道理和自己的岗位结合起来了，值得大家学习。",
    "这本书我也在读，第三章写得特别好。",
    "“没有差不多”这句话说得好，我们要牢记。",
    "向您学习，我也要把读后感写出来。",
    "大雪天送药真不容易，为您点赞！",
    "书里的方法我们部门也可以试试。",
    "责任心确实比能力更重要。",
    "写得很实在，没有空话。",
    "期待您下一篇读后感。",
    "我们一起把支部的读书活动搞好。",
    "您说的那件事我也记得，当时大家都很感动。",
    "建议在部门例会上分享一下。",
    "看了您的读后感，我决定也去读这本书。",
    "细节决定成败，深有体会。",
    "态度决定高度，说得好！",
    "我不是党员，看了也很受教育。",
    "党员就是要这样带头。",
    "有道理，工作确实是为了自己的成长。",
    "希望公司多组织这样的读书活动。",
]
FEATURE_REASONS = [
    "结合{dept}工作实际谈读《{book}》的体会，朴实感人，体现了党员立足岗位、服务群众的先锋模范作用。",
    "把《{book}》中的道理落到了具体工作上，有事例、有反思、有措施，值得大家学习。",
    "文字质朴，感情真挚，讲出了一线职工对“为谁工作”的真实思考。",
]
POST_HIDE_REASONS = [
    "与读书活动无关的内容",
    "涉及客户和患者的个人信息，请修改后再发",
    "内容重复发布",
]
COMMENT_HIDE_REASONS = ["与读书交流无关", "含有不文明用语", "涉及他人隐私", "重复发布"]


@dataclass
class _Run:
    scale: Scale
    entries: list[AuditEntry] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def seed(scale: Scale) -> None:
    run = _Run(scale=scale)
    n = scale.activities
    per_activity = [
        scale.reflections // n + (1 if k < scale.reflections % n else 0) for k in range(n)
    ]
    posts: list[Reflection] = []
    for k in range(n):
        activity, books, participants = _activity(run, k)
        posts += _forum_posts(run, activity, books, participants, per_activity[k])
    _comments_and_likes(run, posts)
    insert(scale, AuditEntry, sorted(run.entries, key=lambda e: e.created_at))
    c = run.counts
    scale.loaded.append(
        f"读书活动 {n} 项：读后感 {c['reflections']} 篇，评论 {c['comments']} 条，"
        f"点赞 {c['likes']} 个，精华 {c['features']} 篇"
    )


def _isbn(title: str) -> str:
    """A well-formed ISBN-13 (valid check digit) for a title, the same every run."""
    core = "9787" + f"{random.Random(title).randrange(10**8):08d}"
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(core)) % 10) % 10
    return core + str(check)


# --- Activity, phase 1 and 2 --------------------------------------------------------------------


def _activity(run: _Run, k: int) -> tuple[ReadingActivity, list[Selection], list[User]]:
    """Dates (the last activity's 交流 phase contains today), recommendations and 附议, the
    two books chosen, bought, handed out and read."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    start = scale.today - dt.timedelta(days=75 + 182 * (scale.activities - 1 - k))
    season = "春季" if start.month < 7 else "秋季"
    dates = {
        "recommend_start": start,
        "recommend_end": start + dt.timedelta(days=13),
        "read_start": start + dt.timedelta(days=17),
        "read_end": start + dt.timedelta(days=58),
        "discuss_start": start + dt.timedelta(days=59),
        "discuss_end": start + dt.timedelta(days=100),
    }
    participants = [
        p for p in scale.party() if p.joined_party_on is None or p.joined_party_on <= start
    ]
    activity = dated(
        ReadingActivity(
            branch=scale.branch,
            title=f"{start.year}年{season}“多读书、读好书”读书活动",
            description=(
                "第一阶段每人推荐一本好书；第二阶段读好书；第三阶段在读书论坛交流读后感。"
            ),
            books_to_pick=2,
            created_by=sec,
            selected_by=sec,
            selected_at=scale.at(dates["recommend_end"], 16, 30),
            **dates,
        ),
        scale.at(start - dt.timedelta(days=7), 10),
    )
    candidates = rng.sample(BOOKS, 8)
    recommendations = _recommendations(run, activity, candidates, participants)
    tally = Counter(r.display_title for r in recommendations)
    winners = [title for title, _n in tally.most_common(2)]
    picked = [next(r for r in recommendations if r.display_title == t) for t in winners]
    activity.decision_note = (
        f"支委会研究决定：从党员推荐的 {len(tally)} 种书中，选定推荐和附议最多的"
        + "".join(f"《{t}》" for t in winners)
        + "两本，由支部统一购买，每位党员各发一本。阅读阶段结束后，在读书论坛交流读后感，"
        "支部择优在宣传栏推荐。"
    )
    prices = {title: Decimal(price) for title, _a, _p, price in BOOKS}
    cost = sum(prices[t] for t in winners) * (len(participants) + 10)
    activity.budget = (cost * Decimal("1.1") / 100).to_integral_value() * 100
    insert(scale, ReadingActivity, [activity])
    for r in recommendations:
        r.activity = activity
    insert(scale, Recommendation, recommendations)
    _endorsements(run, recommendations, participants, activity)
    books = insert(
        scale,
        Selection,
        [
            dated(
                Selection(
                    activity=activity,
                    recommendation=r,
                    title=r.display_title,
                    author=r.author,
                    publisher=r.publisher,
                    isbn=r.isbn,
                    order=n,
                ),
                activity.selected_at,
            )
            for n, r in enumerate(picked, 1)
        ],
    )
    run.entries += [
        audit(by=sec, action="创建读书活动", obj=activity, at=activity.created_at),
        audit(
            by=sec,
            action="选定读书书目",
            obj=activity,
            detail="、".join(str(s) for s in books) + "\n" + activity.decision_note,
            at=activity.selected_at,
        ),
    ]
    _supply(run, activity, books, participants, prices)
    _progress(run, activity, books, participants)
    return activity, books, participants


def _recommendations(
    run: _Run,
    activity: ReadingActivity,
    candidates: list[tuple[str, str, str, str]],
    participants: list[User],
) -> list[Recommendation]:
    """About half the members recommend a book, most of them one of the popular few, spelled
    the way people type it (《》 around the title, 著 after the author)."""
    scale, rng = run.scale, run.scale.rng
    weights = [30, 22, 12, 10, 8, 8, 5, 5]
    span = (activity.recommend_end - activity.recommend_start).days
    rows: list[Recommendation] = []
    sure = {scale.logins["sec"], scale.logins["leader"]}  # two titles at least, to choose two
    for person in participants:
        if rng.random() >= 0.55 and person not in sure:
            continue
        if len(rows) < 2:
            title, author, publisher, _price = candidates[len(rows)]
        else:
            title, author, publisher, _price = rng.choices(candidates, weights)[0]
        typed_title = f"《{title}》" if rng.random() < 0.3 else title
        typed_author = f"{author} 著" if rng.random() < 0.2 else author
        reason = rng.choice(RECOMMEND_REASONS).format(
            theme=rng.choice(THEMES), dept=person.department.name if person.department else "部门"
        )
        day = activity.recommend_start + dt.timedelta(days=rng.randint(0, span))
        rows.append(
            dated(
                Recommendation(
                    activity=activity,
                    member=person,
                    title=typed_title,
                    author=typed_author,
                    publisher=publisher,
                    isbn=_isbn(title) if rng.random() < 0.6 else "",
                    reason=reason,
                ),
                scale.at(day, rng.randint(8, 22), rng.randint(0, 59)),
            )
        )
    return rows


def _endorsements(
    run: _Run,
    recommendations: list[Recommendation],
    participants: list[User],
    activity: ReadingActivity,
) -> None:
    """附议: some members second one to three recommendations of others (never their own)."""
    scale, rng = run.scale, run.scale.rng
    rows = []
    for person in participants:
        if rng.random() >= 0.4:
            continue
        others = [
            r
            for r in rng.sample(recommendations, min(6, len(recommendations)))
            if r.member != person
        ]
        for r in others[: rng.randint(1, 3)]:
            at = max(r.created_at, scale.at(activity.recommend_start, 9)) + dt.timedelta(
                hours=rng.randint(1, 72)
            )
            rows.append(
                Endorsement(
                    recommendation=r,
                    member=person,
                    created_at=min(at, scale.at(activity.recommend_end, 23)),
                )
            )
    insert(scale, Endorsement, rows)


def _supply(
    run: _Run,
    activity: ReadingActivity,
    books: list[Selection],
    participants: list[User],
    prices: dict[str, Decimal],
) -> None:
    """Bought for every member plus a few spare, handed out on the first day of reading, most
    copies confirmed (已领取) within days."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    purchased_on = activity.recommend_end + dt.timedelta(days=2)
    purchases, hand_outs = [], []
    for book in books:
        supplier = rng.choice(SUPPLIERS)
        purchase = dated(
            Purchase(
                selection=book,
                quantity=len(participants) + rng.randint(2, 10),
                unit_price=prices[book.title],
                supplier=supplier,
                purchased_on=purchased_on,
                recorded_by=sec,
            ),
            scale.at(purchased_on, 15),
        )
        purchases.append(purchase)
        given = [p for p in participants if rng.random() < 0.98 or p in scale.logins.values()]
        for person in given:
            confirmed = None
            if rng.random() < 0.92:
                confirmed = scale.at(
                    activity.read_start + dt.timedelta(days=rng.randint(0, 5)),
                    rng.randint(9, 18),
                )
            hand_outs.append(
                dated(
                    Distribution(
                        selection=book,
                        member=person,
                        issued_on=activity.read_start,
                        issued_by=sec,
                        confirmed_at=confirmed,
                    ),
                    scale.at(activity.read_start, 10),
                    confirmed,
                )
            )
        run.entries.append(
            audit(
                by=sec,
                action="发放图书",
                obj=book,
                detail=f"{activity.read_start:%Y-%m-%d} 发给 "
                + "、".join(p.full_name for p in given),
                at=scale.at(activity.read_start, 10),
            )
        )
    insert(scale, Purchase, purchases)
    insert(scale, Distribution, hand_outs)
    for p in purchases:
        run.entries.append(
            audit(
                by=sec,
                action="登记购书",
                obj=p,
                detail=f"{p.quantity} 册 × {p.unit_price} 元，{p.supplier}",
                at=p.created_at,
            )
        )


def _progress(
    run: _Run, activity: ReadingActivity, books: list[Selection], participants: list[User]
) -> None:
    """阅读进度: most members record it; finished activities are mostly read to the end."""
    scale, rng = run.scale, run.scale.rng
    running = activity.discuss_end >= scale.today
    weights = [65, 25, 10] if running else [82, 14, 4]
    Status = ReadingProgress.Status
    rows = []
    for book in books:
        for person in participants:
            if rng.random() >= 0.85:
                continue
            status = rng.choices([Status.FINISHED, Status.READING, Status.NOT_STARTED], weights)[0]
            percent = {Status.FINISHED: 100, Status.NOT_STARTED: 0}.get(status, rng.randint(5, 95))
            created = scale.at(
                activity.read_start + dt.timedelta(days=rng.randint(0, 10)), rng.randint(12, 22)
            )
            updated = created + dt.timedelta(days=rng.randint(0, 40))
            rows.append(
                dated(
                    ReadingProgress(
                        selection=book,
                        member=person,
                        status=status,
                        percent=percent,
                        visible_to_members=rng.random() < 0.9,
                    ),
                    created,
                    min(updated, scale.now),
                )
            )
    insert(scale, ReadingProgress, rows)


# --- Phase 3: the 读书论坛 ------------------------------------------------------------------------


def _forum_posts(
    run: _Run,
    activity: ReadingActivity,
    books: list[Selection],
    participants: list[User],
    count: int,
) -> list[Reflection]:
    """读后感 over the 交流 phase so far (more at its start), some members writing many; a few
    edited (their revisions kept), a few hidden by the secretary, the best featured."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    opens = scale.at(activity.discuss_start, 8)
    closes = min(scale.at(activity.discuss_end, 22), scale.now)
    span = (closes - opens).total_seconds()
    keen = [rng.lognormvariate(0, 1) for _ in participants]
    authors = rng.choices(participants, keen, k=count)
    posts = []
    for author in authors:
        book = rng.choice(books)
        created = opens + dt.timedelta(seconds=span * rng.random() ** 1.6)
        quote = QUOTES.get(book.title) if rng.random() < 0.6 else None
        post = dated(
            Reflection(
                activity=activity,
                selection=book,
                author=author,
                title=_title(rng, book.title),
                body=_body(rng, book.title, author),
                excerpt=quote or "",
                excerpt_page=rng.randint(3, 280) if quote else None,
            ),
            created,
        )
        if rng.random() < 0.005:
            post.hidden = True
            post.hidden_reason = rng.choice(POST_HIDE_REASONS)
            post.hidden_at = min(created + dt.timedelta(hours=rng.randint(6, 30)), scale.now)
            post.hidden_by = sec
            post.updated_at = post.hidden_at
        posts.append(post)
    posts.sort(key=lambda p: p.created_at)
    insert(scale, Reflection, posts)
    _revisions(run, posts)
    _features(run, posts)
    for post in posts:
        if post.hidden:
            run.entries.append(
                audit(
                    by=sec,
                    action="隐藏读后感",
                    obj=post,
                    detail=post.hidden_reason,
                    at=post.hidden_at,
                )
            )
    run.counts["reflections"] += len(posts)
    return posts


def _title(rng: random.Random, book: str) -> str:
    return rng.choice(TITLES).format(book=book.rstrip("？"), theme=rng.choice(THEMES))[:100]


def _body(rng: random.Random, book: str, author: User) -> str:
    dept = author.department.name if author.department else "部门"
    position = author.position.split("、")[0] or "普通职工"
    paragraphs = [rng.choice(OPENINGS).format(book=book, n=rng.randint(2, 4))]
    paragraphs += [
        m.format(dept=dept, position=position) for m in rng.sample(MIDDLES, rng.randint(2, 3))
    ]
    if rng.random() < 0.4:
        paragraphs.append(f"**{rng.choice(MAXIMS)}**，这句话我会一直记在心里。")
    if rng.random() < 0.5:
        paragraphs.append("今后我要做到：\n" + "\n".join(f"- {p}" for p in rng.sample(PROMISES, 3)))
    else:
        paragraphs.append(rng.choice(CLOSINGS))
    return "\n\n".join(paragraphs)


def _revisions(run: _Run, posts: list[Reflection]) -> None:
    """About one post in twenty was edited once or twice soon after posting: each edit keeps the
    text before it (services.forum.reflection_update). A hidden post's are sealed."""
    scale, rng = run.scale, run.scale.rng
    rows = []
    for post in posts:
        if rng.random() >= 0.05:
            continue
        edits = rng.randint(1, 2)
        limit = post.hidden_at or scale.now
        for n in range(edits):
            at = min(post.created_at + dt.timedelta(hours=n + rng.random()), limit)
            earlier = post.body.rsplit("\n\n", edits - n)[0]
            rows.append(
                Revision(
                    reflection=post,
                    title=post.title,
                    body=earlier,
                    excerpt=post.excerpt,
                    excerpt_page=post.excerpt_page,
                    edited_by=post.author,
                    created_at=at,
                    sealed=post.hidden,
                )
            )
            if not post.hidden:
                post.updated_at = at
    insert(scale, Revision, rows)
    edited = [r.reflection for r in rows if not r.reflection.hidden]
    Reflection.objects.using(scale.database).bulk_update(
        list({p.pk: p for p in edited}.values()), ["updated_at"], batch_size=500
    )


def _features(run: _Run, posts: list[Reflection]) -> None:
    """精华推荐: about one visible post in eighty, chosen by the secretary days after posting."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    rows = []
    for post in posts:
        if post.hidden or rng.random() >= 0.012:
            continue
        at = min(post.updated_at + dt.timedelta(days=rng.randint(1, 5)), scale.now)
        dept = post.author.department.name if post.author.department else "本部门"
        reason = rng.choice(FEATURE_REASONS).format(dept=dept, book=post.selection.title)
        rows.append(dated(Feature(reflection=post, reason=reason, featured_by=sec), at))
        run.entries.append(audit(by=sec, action="设为精华", obj=post, detail=reason, at=at))
    insert(scale, Feature, rows)
    run.counts["features"] += len(rows)


def _comments_and_likes(run: _Run, posts: list[Reflection]) -> None:
    """Comments and likes from everyone (party members and staff), on visible posts, many on a
    few popular ones; a few comments hidden with their reasons."""
    scale, rng = run.scale, run.scale.rng
    sec = scale.logins["sec"]
    visible = [p for p in posts if not p.hidden]
    if not visible:
        return
    appeal = [rng.lognormvariate(0, 0.9) for _ in visible]
    party, staff = scale.party(), [p for p in scale.people if not p.has_role("member")]
    writers = party + staff
    writer_weights = [3.0] * len(party) + [1.0] * len(staff)
    comments = []
    targets = rng.choices(visible, appeal, k=scale.comments)
    authors = rng.choices(writers, writer_weights, k=scale.comments)
    for post, author in zip(targets, authors, strict=True):
        closes = min(scale.at(post.activity.discuss_end, 23), scale.now)
        at = post.created_at + (closes - post.created_at) * rng.random() ** 3
        body = rng.choice(COMMENT_OPENINGS) + rng.choice(COMMENT_BODIES)
        comment = Comment(
            reflection_id=post.pk, author_id=author.pk, body=body, created_at=at, updated_at=at
        )
        if rng.random() < 0.003:
            comment.author = author  # for the audit entry's 对象 (Comment.__str__)
            comment.hidden = True
            comment.hidden_reason = rng.choice(COMMENT_HIDE_REASONS)
            comment.hidden_at = min(at + dt.timedelta(hours=rng.randint(1, 24)), scale.now)
            comment.hidden_by = sec
            comment.updated_at = comment.hidden_at
        comments.append(comment)
    comments.sort(key=lambda c: c.created_at)
    insert(scale, Comment, comments)
    run.entries += [
        audit(by=sec, action="隐藏评论", obj=c, detail=c.hidden_reason, at=c.hidden_at)
        for c in comments
        if c.hidden
    ]
    run.counts["comments"] += len(comments)
    people = scale.people
    pairs: set[tuple[int, int]] = set()
    likes: list[Like] = []
    wanted = min(scale.likes, len(visible) * (len(people) - 1) // 2)
    while len(likes) < wanted:
        want = wanted - len(likes)
        for index, person in zip(
            rng.choices(range(len(visible)), appeal, k=want),
            rng.choices(range(len(people)), k=want),
            strict=True,
        ):
            post = visible[index]
            who = people[person]
            if (index, person) in pairs or who.pk == post.author_id:
                continue
            pairs.add((index, person))
            closes = min(scale.at(post.activity.discuss_end, 23), scale.now)
            at = post.created_at + (closes - post.created_at) * rng.random() ** 3
            likes.append(Like(reflection_id=post.pk, person_id=who.pk, created_at=at))
    likes.sort(key=lambda like: like.created_at)
    insert(scale, Like, likes)
    run.counts["likes"] += len(likes)
