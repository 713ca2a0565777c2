"""Demo data: the seed report's reading activity, now in its third phase (交流读后感).

`seed_demo` calls `seed(demo)` through the app's hook; running it again updates rather than
duplicates. The dates are the story's (books chosen and handed out in October 2010, the forum open
since December, the report of 2011年5月16日 being "today"), moved by `demo.day()` so that the
story's today is today: the forum is open whenever the demo is loaded.
"""

from __future__ import annotations

from decimal import Decimal

from members.hooks import Demo
from members.models import Role, User

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
    Selection,
)

TITLE = "“创先争优”读书活动：多读书、读好书"

# username, title, author, publisher, reason — spelled the way people type them: the tally groups
# 《你在为谁工作》 / 你在为谁工作 and “陈安之 著” / 陈安之 as one book.
RECOMMENDATIONS = [
    (
        "secretary",
        "你在为谁工作",
        "陈安之",
        "中国长安出版社",
        "这本书讲清楚了工作不只是为老板、为工资，更是为自己的成长和价值。适合每位党员干部对照反思自己的工作态度。",
    ),
    (
        "member",
        "《你在为谁工作》",
        "陈安之 著",
        "中国长安出版社",
        "配送部每天和客户打交道，工作态度直接影响公司的口碑。这本书能帮助大家想明白“为谁工作”，把被动变主动。",
    ),
    (
        "xt006",
        "你在为谁 工作",
        "陈安之",
        "中国长安出版社",
        "我在一线送药，常常觉得工作就是跑腿。读了几章后明白，把每一单送好，就是对患者负责，也是对自己负责。",
    ),
    (
        "xt004",
        "责任胜于能力",
        "孙学敏",
        "北京联合出版公司",
        "采购岗位责任重大，能力再强，没有责任心也会出问题。这本书用很多案例说明责任心比能力更重要，值得全体党员一读。",
    ),
    (
        "xt008",
        "《责任胜于能力 》",
        "孙学敏",
        "北京联合出版公司",
        "质量管理工作靠的就是一份责任心。书中“没有任何借口”的观点对我们落实岗位责任制、减少差错很有启发。",
    ),
    (
        "xt003",
        "细节决定成败",
        "汪中求",
        "新华出版社",
        "财务和成本控制处处是细节，增收节支要从每一张单据做起。这本书提醒我们把小事做细、把细事做精。",
    ),
    (
        "xt009",
        "把信送给加西亚",
        "（美）阿尔伯特·哈伯德",
        "北京联合出版公司",
        "罗文中尉不讲条件、不找借口完成任务的精神，正是销售团队需要的执行力。书很薄，大家都能读完。",
    ),
    (
        "xt012",
        "把信送给加西亚",
        "阿尔伯特 哈伯德",
        "北京联合出版公司",
        "驾驶员的任务就是把药品按时安全送到，这本书讲的就是这种忠诚和敬业，推荐给配送部的同事们一起读。",
    ),
    (
        "xt010",
        "没有任何借口",
        "费拉尔·凯普",
        "中国社会科学出版社",
        "工作中出了问题，先找自己的原因而不是找借口。这本书对提高执行力、培养担当精神很有帮助。",
    ),
    (
        "xt011",
        "谁动了我的奶酪？",
        "斯宾塞·约翰逊",
        "中信出版社",
        "医药行业变化快，公司正在整合转型。这本小书讲怎样面对变化、主动适应，篇幅短，适合利用业余时间阅读。",
    ),
    (
        "leader",
        "执行力",
        "拉里·博西迪",
        "机械工业出版社",
        "公司提出“整合、转型、创新、跨越”，关键在执行。这本书系统讲了执行的方法，适合领导班子和中层干部学习。",
    ),
    (
        "xt014",
        "平凡的世界",
        "路遥",
        "人民文学出版社",
        "孙少平在平凡岗位上不甘平庸、艰苦奋斗的精神很感人。作为预备党员，我想推荐一本能给人精神力量的文学作品。",
    ),
]

ENDORSEMENTS = [
    ("xt007", "member"),
    ("xt013", "member"),
    ("xt015", "xt004"),
    ("xt016", "xt004"),
    ("xt010", "secretary"),
    ("xt011", "xt004"),
    ("xt012", "xt008"),
    ("xt014", "xt009"),
    ("leader", "xt004"),
    ("xt003", "member"),
]

DECISION_NOTE = (
    "支委会研究决定：从党员干部推荐的 8 种书中，"
    "选定推荐和附议最多的《你在为谁工作》和《责任胜于能力》"
    "两本，由支部统一购买，每位党员干部各发一本。阅读阶段结束后，在读书论坛交流读后感，"
    "支部择优在宣传栏和QQ群推荐。"
)

REFLECTIONS = [
    (
        "xt006",
        1,
        "把每一单药送到，就是为自己工作",
        "读《你在为谁工作》之前，我觉得送药就是完成任务，多跑一趟少跑一趟没什么区别。\n\n"
        "书里说：**工作是为了自己**。我想起上个月给一位独居老人送降压药，那天下大雪，"
        "我本可以改到第二天，但还是按时送到了。老人说药正好吃完了。那一刻我明白，"
        "我的工作关系到别人的健康，做好它就是实现自己的价值。\n\n"
        "今后我要做到：\n- 每一单都按时送达\n- 每一次都核对药品和单据\n- 对客户多一分耐心",
        "工作不是为了老板，也不是为了薪水，而是为了自己。",
        36,
    ),
    (
        "member",
        1,
        "从“要我干”到“我要干”",
        "作为配送部经理，我常为排班和超时发愁。读了这本书，我把书中的观点在部门例会上和大家交流，"
        "大家讨论后主动提出了错峰配送的办法，这个月准时率提高了。\n\n"
        "*态度决定一切*，党员干部要先把态度端正，才能带动身边的员工。",
        "",
        None,
    ),
    (
        "xt004",
        2,
        "采购岗位上的责任心",
        "《责任胜于能力》让我重新审视采购工作。采购环节关系成本，更关系廉洁。"
        "能力可以培养，责任心却要时时自省。\n\n"
        "我给自己定了三条：比价留痕、验收到位、供应商评价公开。",
        "责任胜于能力，态度决定高度。",
        12,
    ),
    (
        "xt008",
        2,
        "质量工作没有“差不多”",
        "质量验收最怕“差不多”。书中讲一个零件的疏忽导致整台机器报废，这让我想到药品验收中的每一个批号。"
        "我们质量管理部要把责任落实到每个人、每个环节。",
        "",
        None,
    ),
    (
        "xt009",
        1,
        "销售也要问一问“为谁工作”",
        "做销售容易只盯着指标。读完这本书，我想明白了：把客户服务好，指标自然会来；"
        "把自己当成公司的主人，才能走得更远。参考：[国药控股官网](https://www.sinopharmholding.com)",
        "",
        None,
    ),
]

COMMENTS = [
    (0, "staff", "我也是配送员，看了很受触动，大雪天送药真不容易！"),
    (0, "xt004", "写得实在，把书里的道理和自己的岗位结合起来了，值得大家学习。"),
    (0, "xt020", "老人那段读哭了，为你点赞。"),
    (1, "xt006", "错峰配送的办法确实好，我们都轻松了不少。"),
    (2, "xt003", "比价留痕这一条财务部全力支持。"),
    (3, "xt016", "“没有差不多”说得好，我们验收员要牢记。"),
]

LIKES = {
    0: ["staff", "xt004", "xt020", "member", "xt008", "xt003", "leader"],
    1: ["xt006", "xt012"],
    2: ["xt003", "secretary"],
    3: ["xt016"],
    4: [],
}

FEATURE_REASON = (
    "结合药品配送一线的真实经历谈读书体会，朴实感人，把“为谁工作”落到了每一单药的按时送达上，"
    "体现了党员立足岗位、服务群众的先锋模范作用。"
)


# The three phases in the story's dates; the books were chosen on the last day of recommending.
STORY_DATES = {
    "recommend_start": "2010-09-13",
    "recommend_end": "2010-10-08",
    "read_start": "2010-10-15",
    "read_end": "2010-11-30",
    "discuss_start": "2010-12-01",
    "discuss_end": "2011-06-30",
}
SELECTED_AT = ("2010-10-08", 16, 30)
PURCHASED_ON = "2010-10-11"
ISSUED_ON = "2010-10-13"
CONFIRMED_AT = ("2010-10-15", 9, 0)
# When each of REFLECTIONS was posted (story dates), in the same order.
POSTED_AT = [
    ("2010-12-06", 20, 15),
    ("2010-12-15", 21, 0),
    ("2011-01-12", 19, 30),
    ("2011-03-02", 12, 40),
    ("2011-05-06", 22, 5),
]


def seed(demo: Demo) -> ReadingActivity:
    activity = _seed_activity(demo)
    recommendations = _seed_recommendations(activity, demo)
    books = _seed_books(activity, recommendations, demo)
    members = demo.with_role(Role.MEMBER)
    _seed_supply(books, members, demo)
    _seed_progress(books, members)
    _seed_forum(activity, books, demo)
    demo.loaded.append("读书活动一项")
    return activity


def _seed_activity(demo: Demo) -> ReadingActivity:
    secretary = demo.person("secretary")
    activity, _ = ReadingActivity.objects.update_or_create(
        branch=demo.branch,
        title=TITLE,
        defaults={
            **{field: demo.day(day) for field, day in STORY_DATES.items()},
            "description": (
                "第一阶段每人推荐一本好书；第二阶段读好书；第三阶段在读书论坛交流读后感。"
            ),
            "books_to_pick": 2,
            "budget": Decimal("1000.00"),
            "decision_note": DECISION_NOTE,
            "selected_at": demo.at(*SELECTED_AT),
            "selected_by": secretary,
            "created_by": secretary,
        },
    )
    return activity


def _seed_recommendations(activity: ReadingActivity, demo: Demo) -> dict[str, Recommendation]:
    recs = {}
    for username, title, author, publisher, reason in RECOMMENDATIONS:
        recs[username], _ = Recommendation.objects.update_or_create(
            activity=activity,
            member=demo.person(username),
            defaults={"title": title, "author": author, "publisher": publisher, "reason": reason},
        )
    for endorser, recommender in ENDORSEMENTS:
        Endorsement.objects.get_or_create(
            recommendation=recs[recommender], member=demo.person(endorser)
        )
    return recs


def _seed_books(
    activity: ReadingActivity, recs: dict[str, Recommendation], demo: Demo
) -> list[Selection]:
    """The two books the 支委会 chose: the secretary's and 孙立新's recommendations."""
    books = []
    for order, key in enumerate(["secretary", "xt004"], 1):
        rec = recs[key]
        book, _ = Selection.objects.update_or_create(
            activity=activity,
            title=rec.title.strip("《》 "),
            defaults={
                "recommendation": rec,
                "author": rec.author,
                "publisher": rec.publisher,
                "order": order,
            },
        )
        books.append(book)
    return books


def _seed_supply(books: list[Selection], members: list[User], demo: Demo) -> None:
    """Bought for every member and handed out; 杨帆 and 郭志强 have not confirmed the second book,
    黄晓梅 has not been given it yet."""
    secretary = demo.person("secretary")
    for book, price in zip(books, (Decimal("28.00"), Decimal("29.80")), strict=True):
        Purchase.objects.update_or_create(
            selection=book,
            supplier="新华书店乌鲁木齐分店",
            voided_at=None,  # a 作废 one stays as it is
            defaults={
                "quantity": len(members),
                "unit_price": price,
                "purchased_on": demo.day(PURCHASED_ON),
                "recorded_by": secretary,
            },
        )
    unconfirmed = {"xt013", "xt015"}
    not_issued = {"xt016"}
    for person in members:
        for n, book in enumerate(books):
            if n == 1 and person.username in not_issued:
                continue
            confirmed = n == 1 and person.username in unconfirmed
            Distribution.objects.update_or_create(
                selection=book,
                member=person,
                voided_at=None,  # the one valid hand-out; a 作废 one stays as it is
                defaults={
                    "issued_on": demo.day(ISSUED_ON),
                    "issued_by": secretary,
                    "confirmed_at": None if confirmed else demo.at(*CONFIRMED_AT),
                },
            )


def _seed_progress(books: list[Selection], members: list[User]) -> None:
    reading = {"xt013": 60, "xt015": 40, "xt007": 80}
    quiet = {"xt011", "xt014"}  # chose not to show their progress to others
    for person in members:
        for n, book in enumerate(books):
            if person.username == "xt016" and n == 1:
                continue
            pct = reading.get(person.username, 100) if n == 1 else 100
            status = (
                ReadingProgress.Status.FINISHED if pct == 100 else ReadingProgress.Status.READING
            )
            ReadingProgress.objects.update_or_create(
                selection=book,
                member=person,
                defaults={
                    "status": status,
                    "percent": pct,
                    "visible_to_members": person.username not in quiet,
                },
            )


def _seed_forum(activity: ReadingActivity, books: list[Selection], demo: Demo) -> None:
    """The posts, spread over the discussion phase so far; comments, likes, one featured post."""
    posts = []
    for (username, book_no, title, body, excerpt, page), posted in zip(
        REFLECTIONS, POSTED_AT, strict=True
    ):
        post, _ = Reflection.objects.update_or_create(
            activity=activity,
            author=demo.person(username),
            title=title,
            defaults={
                "selection": books[book_no - 1],
                "body": body,
                "excerpt": excerpt,
                "excerpt_page": page,
            },
        )
        Reflection.objects.filter(pk=post.pk).update(created_at=demo.at(*posted))
        posts.append(post)
    for index, username, body in COMMENTS:
        Comment.objects.get_or_create(
            reflection=posts[index], author=demo.person(username), body=body
        )
    for index, usernames in LIKES.items():
        for username in usernames:
            Like.objects.get_or_create(reflection=posts[index], person=demo.person(username))
    Feature.objects.update_or_create(
        reflection=posts[0],
        defaults={"reason": FEATURE_REASON, "featured_by": demo.person("secretary")},
    )
