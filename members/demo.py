"""Demo people of the seed report's branch: the first part of the demo (members.hooks.Demo).

The story is the one of the seed report of 2011年5月16日 (`STORY_TODAY`); every date of it is
moved so that that day is today (`Demo.day`): 入党日期 too, so the 预备党员 are still on probation.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from .hooks import Demo
from .models import Branch, Department, Responsibility, Role, User

# The day the seed report was written: the story's "today".
STORY_TODAY = dt.date(2011, 5, 16)

BRANCH_NAME = "国药控股新疆新特参茸药业有限公司党支部"
PARENT_ORG = "国药控股股份有限公司党委"
DEPARTMENTS = ["综合办", "配送部", "采购部", "财务部", "销售部", "仓储部", "质量管理部"]

P, PR, AC, LG, MS = (
    User.PoliticalStatus.PARTY_MEMBER,
    User.PoliticalStatus.PROBATIONARY,
    User.PoliticalStatus.ACTIVIST,
    User.PoliticalStatus.LEAGUE_MEMBER,
    User.PoliticalStatus.MASSES,
)
S, L, M, ST = Role.SECRETARY, Role.LEADER, Role.MEMBER, Role.STAFF

# username, 姓名, 性别, 部门, 岗位, 政治面貌, 入党日期, roles
PEOPLE: list[tuple[str, str, str, str, str, str, str | None, set[str]]] = [
    ("secretary", "王志刚", "M", "综合办", "党支部书记、副总经理", P, "1996-07-01", {S, M, L}),
    ("leader", "李建华", "M", "综合办", "总经理", P, "1992-06-18", {L, M}),
    ("xt003", "赵淑芬", "F", "财务部", "财务总监", P, "1998-11-20", {L, M}),
    ("xt004", "孙立新", "M", "采购部", "采购部经理、支部委员", P, "2001-05-12", {S, L, M}),
    ("member", "陈晓东", "M", "配送部", "配送部经理", P, "2004-07-01", {M}),
    ("xt006", "马玉兰", "F", "配送部", "药品配送员", P, "2006-06-30", {M}),
    ("xt007", "艾力·买买提", "M", "配送部", "药品配送员", P, "2007-10-15", {M}),
    ("xt008", "周海燕", "F", "质量管理部", "质量负责人", P, "2003-03-08", {M}),
    ("xt009", "刘鹏", "M", "销售部", "销售经理", P, "2005-12-26", {M}),
    ("xt010", "张丽娟", "F", "财务部", "会计", P, "2008-07-01", {M}),
    ("xt011", "古丽娜尔", "F", "仓储部", "仓储主管", P, "2009-06-20", {M}),
    ("xt012", "吴建军", "M", "配送部", "驾驶员", P, "2002-08-01", {M}),
    ("xt013", "杨帆", "M", "采购部", "采购员", PR, "2010-11-18", {M}),
    ("xt014", "何静", "F", "综合办", "行政文员", PR, "2010-12-01", {M}),
    ("xt015", "郭志强", "M", "销售部", "业务员", P, "2007-04-22", {M}),
    ("xt016", "黄晓梅", "F", "质量管理部", "质量验收员", P, "2006-09-09", {M}),
    ("staff", "王小军", "M", "配送部", "药品配送员", MS, None, {ST}),
    ("xt018", "李娜", "F", "仓储部", "保管员", LG, None, {ST}),
    ("xt019", "买尔旦·吐尔逊", "M", "配送部", "驾驶员", MS, None, {ST}),
    ("xt020", "韩梅", "F", "财务部", "出纳", AC, None, {ST}),
    ("xt021", "徐刚", "M", "采购部", "采购员", MS, None, {ST}),
    ("xt022", "陈静", "F", "销售部", "开票员", LG, None, {ST}),
    ("xt023", "阿依古丽", "F", "仓储部", "分拣员", MS, None, {ST}),
    ("xt024", "赵军", "M", "配送部", "配送调度", AC, None, {ST}),
    ("xt025", "刘芳", "F", "综合办", "食堂管理员", MS, None, {ST}),
    ("xt026", "宋伟", "M", "质量管理部", "养护员", MS, None, {ST}),
    ("xt027", "冯雪", "F", "销售部", "客服", LG, None, {ST}),
    ("xt028", "蒋大勇", "M", "仓储部", "叉车司机", MS, None, {ST}),
    ("xt029", "谢婷", "F", "财务部", "会计", MS, None, {ST}),
    ("xt030", "杜红", "F", "综合办", "保洁", MS, None, {ST}),
    ("xt031", "邵明", "M", "配送部", "药品配送员", AC, None, {ST}),
]

RESPONSIBILITIES = [
    (
        "secretary",
        "党支部书记、副总经理",
        "行政后勤、人力资源、食堂与职工福利",
        "主持支部全面工作，负责党风廉政建设第一责任",
        1,
    ),
    ("leader", "总经理", "公司经营管理全面工作", "落实“一岗双责”，抓经营班子廉洁从业", 2),
    ("xt003", "财务总监", "财务管理、成本控制、增收节支", "财务领域廉政风险防控", 3),
    (
        "xt004",
        "采购部经理、支部委员（组织委员）",
        "药品及物资采购、供应商管理",
        "组织发展、党员教育，采购环节廉政监督",
        4,
    ),
]


def seed(demo: Demo) -> None:
    """Create or update the demo branch and people; puts them in `demo.branch` / `demo.people`."""
    branch, _ = Branch.objects.update_or_create(
        name=BRANCH_NAME, defaults={"parent_org": PARENT_ORG}
    )
    departments = {}
    for order, name in enumerate(DEPARTMENTS):
        departments[name], _ = Department.objects.update_or_create(
            branch=branch, name=name, defaults={"order": order}
        )
    groups = {g.name: g for g in Group.objects.all()}
    people: dict[str, User] = {}
    for n, (username, name, gender, dept, position, status, joined, roles) in enumerate(PEOPLE, 1):
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "branch": branch,
                "full_name": name,
                "gender": gender,
                "department": departments[dept],
                "position": position,
                "employee_no": f"XT{n:04d}",
                "phone": f"139{n:08d}",
                "political_status": status,
                "joined_party_on": demo.day(joined) if joined else None,
                "is_staff": S in roles,
                "is_active": True,
                "must_change_password": False,
            },
        )
        user.set_password(demo.password)
        user.save(update_fields=["password"])
        user.groups.set([groups[r] for r in roles])
        people[username] = user
    for username, title, area, duty, order in RESPONSIBILITIES:
        Responsibility.objects.update_or_create(
            leader=people[username],
            title=title,
            defaults={"business_area": area, "party_duty": duty, "order": order},
        )
    demo.branch = branch
    demo.people = people
