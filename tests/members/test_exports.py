"""导出Excel of the people list and 操作记录: what the filters show, every row (not one page),
text stored as text, dates as dates, and each export recorded in 操作记录."""

import datetime as dt

from django.urls import reverse

from members.models import AuditEntry, User
from tests.exports import read_export
from tests.factories import make_department, make_person


def test_the_people_export_holds_what_the_filters_show_across_pages(
    secretary_client, branch, settings
):
    settings.PAGE_SIZE = 2
    delivery = make_department(branch, "配送部")
    for n in range(5):
        make_person(branch, full_name=f"配送员{n}", department=delivery, phone=f"1390000000{n}")
    make_person(
        branch,
        full_name='=HYPERLINK("http://x","点此")',
        department=delivery,
        political_status=User.PoliticalStatus.PARTY_MEMBER,
        joined_party_on=dt.date(2001, 7, 1),
    )
    make_person(branch, full_name="别的部门")
    url = reverse("members:person_list")
    page = secretary_client.get(url, {"department": delivery.pk}).content.decode()
    assert f"department={delivery.pk}&amp;format=xlsx" in page
    assert "导出Excel" in page

    response = secretary_client.get(url, {"department": delivery.pk, "format": "xlsx", "page": 2})
    export = read_export(response, branch=branch, ledger="人员名单")
    assert export.headers[:4] == ["姓名", "工号", "登录名", "部门"]
    assert len(export.rows) == 6  # all six, though the page holds two
    assert "别的部门" not in export.column("姓名")
    assert set(export.column("部门")) == {"配送部"}
    assert '=HYPERLINK("http://x","点此")' in export.column("姓名")
    assert (
        export.cell_type("姓名", export.column("姓名").index('=HYPERLINK("http://x","点此")'))
        == "s"
    )
    joined = export.column("入党日期")
    assert dt.datetime(2001, 7, 1) in joined
    row = joined.index(dt.datetime(2001, 7, 1))
    assert export.number_format("入党日期", row) == 'yyyy"年"m"月"d"日"'
    assert "13900000000" in export.column("手机")  # a phone number stays text
    assert AuditEntry.objects.filter(action="导出Excel", detail__startswith="人员名单").exists()


def test_only_the_secretary_exports_people_and_the_log(member_client, leader_client):
    for client in (member_client, leader_client):
        for name in ("members:person_list", "members:audit_log"):
            assert client.get(reverse(name), {"format": "xlsx"}).status_code == 403


def test_the_audit_log_export_lists_every_entry_of_the_branch(secretary_client, secretary, branch):
    secretary_client.get(reverse("members:person_list"), {"format": "xlsx"})
    response = secretary_client.get(reverse("members:audit_log"), {"format": "xlsx"})
    export = read_export(response, branch=branch, ledger="操作记录")
    assert export.headers == ["时间", "操作人", "操作", "对象类型", "对象", "说明"]
    assert "导出Excel" in export.column("操作")
    assert isinstance(export.column("时间")[0], dt.datetime)
    assert export.column("操作人")[0] == secretary.full_name
