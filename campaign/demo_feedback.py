"""Demo data of serving the staff (issue 13), part of seed_demo's campaign (campaign/demo.py).

From the seed report: staff said the canteen food was bad (菜品单一，价格偏高) — one by name, one
对外匿名, one 完全匿名 — the secretary accepted the complaints and linked them to the rectification
item 改进职工食堂伙食 (campaign/demo_fortress.py: two measures, fixed and 验收), and the senders
said they were satisfied; later a staff member praised the canteen. A few other items show the
other states: a suggestion just sent, an old complaint nobody accepted yet (it stands out), one
not taken (不予采纳) and one 对外匿名 item being rectified.

Everything goes through the services; dates the services take as "today" are set afterwards to
the story's days. Idempotent: an item is found by its text.
"""

from __future__ import annotations

import datetime as dt

from members.hooks import Demo
from members.models import User

from . import services
from .models import Feedback, Rectification, SatisfactionRating

F = Feedback.Status
CANTEEN_ITEM = "改进职工食堂伙食"  # the rectification item of demo_fortress

# sender (None: 完全匿名), identity, kind, category, story date, text, fate
ITEMS: list[tuple[str | None, str, str, str, str, str, str]] = [
    (
        "staff",
        "real",
        "complaint",
        "canteen",
        "2010-09-13",
        "食堂的菜品太单一，天天土豆白菜，价格还偏高，希望改进。",
        "canteen",
    ),
    (
        "xt018",
        "handlers",
        "complaint",
        "canteen",
        "2010-09-14",
        "午饭的蔬菜经常不新鲜，副食品种类太少。",
        "canteen",
    ),
    (
        None,
        "none",
        "suggestion",
        "canteen",
        "2010-09-15",
        "建议食堂蔬菜改为从基地定点采购，既新鲜又便宜。",
        "canteen",
    ),
    (
        "xt023",
        "real",
        "praise",
        "canteen",
        "2010-11-22",
        "食堂改进后饭菜可口多了，午餐标准也提高了，感谢领导关心！",
        "praised",
    ),
    (
        "xt022",
        "handlers",
        "complaint",
        "environment",
        "2011-03-28",
        "仓储部分拣区夏天太热，没有降温设备，希望安装风扇或空调。",
        "rectifying",
    ),
    (
        "xt027",
        "real",
        "suggestion",
        "welfare",
        "2011-04-02",
        "建议每年组织一次职工体检，并增加女职工专项检查。",
        "declined",
    ),
    (
        None,
        "none",
        "complaint",
        "welfare",
        "2011-05-10",
        "加班后没有车送回家，晚上打车不安全也不报销。",
        "late",
    ),
    (
        "xt026",
        "handlers",
        "suggestion",
        "environment",
        "2011-05-15",
        "建议在办公楼门口设置电动车充电桩。",
        "new",
    ),
]
ENVIRONMENT_ITEM = {
    "title": "仓储分拣区夏季降温",
    "public_description": "在仓储分拣区安装工业风扇和空调，6 月底前完成。",
    "internal_note": "",
    "deadline": "2011-06-30",
}


def seed(demo: Demo) -> list[str]:
    """Returns phrases for seed_demo's closing line."""
    secretary = demo.person("secretary")
    for username, identity, kind, category, day, text, fate in ITEMS:
        if Feedback.objects.filter(branch=demo.branch, text=text).exists():
            continue
        item = _send(demo, username, identity, kind, category, day, text)
        _handle(demo, item, fate, secretary)
    n = Feedback.objects.filter(branch=demo.branch).count()
    return [f"群众意见 {n} 条"] if n else []


def _send(
    demo: Demo,
    username: str | None,
    identity: str,
    kind: str,
    category: str,
    day: str,
    text: str,
) -> Feedback:
    data = {"kind": kind, "category": category, "text": text}
    if identity == "none":
        _item, code = services.feedback_send(
            branch=demo.branch, by=None, identity="none", data=data
        )
        services.feedback_release(today=demo.today + dt.timedelta(days=1))
        item = services.receipt_lookup(code)
    else:
        item, _code = services.feedback_send(
            branch=demo.branch, by=demo.person(username), identity=identity, data=data
        )
    Feedback.objects.filter(pk=item.pk).update(submitted_on=demo.day(day))
    item.refresh_from_db()
    return item


def _handle(demo: Demo, item: Feedback, fate: str, secretary: User) -> None:
    sent = item.submitted_on
    if fate in ("new", "late"):
        return
    handler = secretary if fate in ("canteen", "praised", "declined") else demo.person("xt004")
    if fate == "declined":
        services.feedback_decline(
            item=item,
            reason="职工体检已列入工会年度计划，由工会统一组织，支部将转交工会研究。",
            by=secretary,
        )
        Feedback.objects.filter(pk=item.pk).update(closed_on=sent + dt.timedelta(days=2))
        return
    services.feedback_accept(item=item, handler=handler, by=secretary)
    Feedback.objects.filter(pk=item.pk).update(accepted_on=sent + dt.timedelta(days=1))
    item.refresh_from_db()
    if fate == "praised":
        services.feedback_close(
            item=item, reply="感谢您的肯定，已转达食堂全体工作人员。", by=secretary
        )
        Feedback.objects.filter(pk=item.pk).update(closed_on=sent + dt.timedelta(days=2))
        return
    if fate == "rectifying":
        rectification = Rectification.objects.filter(
            branch=demo.branch, title=ENVIRONMENT_ITEM["title"]
        ).first()
        if rectification is None:
            data = {
                **ENVIRONMENT_ITEM,
                "responsible": handler,
                "deadline": demo.day(ENVIRONMENT_ITEM["deadline"]),
            }
            rectification = services.feedback_rectify(item=item, data=data, by=secretary)
            Rectification.objects.filter(pk=rectification.pk).update(
                opened_on=sent + dt.timedelta(days=2)
            )
        else:
            services.feedback_link(items=[item], rectification=rectification, by=secretary)
        services.feedback_reply(item=item, reply="已列入整改，6 月底前安装降温设备。", by=handler)
        return
    # The canteen: linked to the item fixed and accepted in demo_fortress, then rated.
    rectification = Rectification.objects.get(branch=demo.branch, title=CANTEEN_ITEM)
    services.feedback_link(items=[item], rectification=rectification, by=secretary)
    services.feedback_reply(
        item=item,
        reply="蔬菜和副食品已改为定点集中采购，午餐费标准由每人每天 8 元提高到 10 元。",
        by=secretary,
    )
    item.refresh_from_db()
    if item.status == F.FIXED:
        services.feedback_rate(item=item, level=SatisfactionRating.Level.SATISFIED)
        closed = rectification.accepted_on or rectification.fixed_on
        Feedback.objects.filter(pk=item.pk).update(closed_on=closed)
        SatisfactionRating.objects.filter(feedback=item).update(rated_on=closed)
