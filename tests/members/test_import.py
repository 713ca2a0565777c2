import io
import time
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members import imports
from members.models import Department, Role, User
from tests.factories import make_person

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

HEADER = ["姓名", "工号", "性别", "部门", "岗位", "手机", "政治面貌", "入党日期", "角色"]
GOOD = [
    [
        "马玉兰",
        "XT0006",
        "女",
        "配送部",
        "药品配送员",
        "13900000006",
        "中共党员",
        "2006-06-30",
        "党员",
    ],
    ["王小军", "XT0017", "男", "配送部", "药品配送员", "13900000017", "群众", "", ""],
    ["杨帆", "XT0013", "男", "采购部", "采购员", "", "中共预备党员", "2010/11/18", ""],
]


def xlsx(rows, header=HEADER, name="people.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def csv_file(rows, encoding="utf-8-sig", name="people.csv"):
    text = "\n".join(",".join(r) for r in [HEADER, *rows])
    return SimpleUploadedFile(name, text.encode(encoding))


def post(client, upload):
    return client.post(reverse("members:person_import"), {"file": upload})


def errors_of(response):
    return [(e.row, e.column) for e in response.context["result"].errors]


def test_template_download_is_a_valid_workbook(secretary_client):
    response = secretary_client.get(reverse("members:import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.active[1]] == HEADER


def test_the_template_keeps_its_example_on_the_notes_sheet_not_in_the_data(secretary_client):
    response = secretary_client.get(reverse("members:import_template"))
    wb = load_workbook(io.BytesIO(response.content))
    people, notes = wb["人员"], wb["填写说明"]
    assert people.max_row == 1, "the people sheet holds the header only"
    examples = {row[0]: row[2] for row in notes.iter_rows(min_row=2, values_only=True) if row[0]}
    assert examples["姓名"] == "张建国" and examples["工号"] == "XT0101"


def test_the_template_sent_back_unfilled_imports_nobody(secretary_client):
    template = secretary_client.get(reverse("members:import_template")).content
    response = post(secretary_client, SimpleUploadedFile("people.xlsx", template))
    assert "没有人员" in response.context["form"].errors["file"][0]
    assert User.objects.filter(employee_no__iexact="XT0101").count() == 0


OLD_SAMPLE = [
    "张建国",
    "XT0101",
    "男",
    "配送部",
    "药品配送员",
    "13912345678",
    "中共党员",
    "2005-07-01",
]


@pytest.mark.parametrize("number", ["XT0101", "xt0101"])
def test_the_old_templates_example_row_is_skipped_with_a_notice(secretary_client, number):
    rows = [[OLD_SAMPLE[0], number, *OLD_SAMPLE[2:], "党员"], *GOOD]
    response = post(secretary_client, xlsx(rows))
    assert response.status_code == 302
    assert not User.objects.filter(full_name="张建国").exists()
    assert User.objects.filter(username__in=["XT0006", "XT0017", "XT0013"]).count() == 3
    page = secretary_client.get(response["Location"]).content.decode()
    assert "第 2 行是旧版模板中的示例（张建国 / XT0101），已跳过" in page


def test_a_file_holding_only_the_old_example_is_refused(secretary_client):
    response = post(secretary_client, xlsx([[*OLD_SAMPLE, "党员"]]))
    assert response.status_code == 200
    assert "只有模板中的示例" in response.context["form"].errors["file"][0]
    assert not User.objects.filter(full_name="张建国").exists()


def test_rows_after_a_skipped_example_keep_their_row_numbers(secretary_client):
    rows = [[*OLD_SAMPLE, "党员"], GOOD[0], [*GOOD[1][:5], "1390", *GOOD[1][6:]]]
    response = post(secretary_client, xlsx(rows))
    assert errors_of(response) == [(4, "手机")]


@pytest.mark.parametrize("make", [xlsx, csv_file, lambda rows: csv_file(rows, "gb18030")])
def test_valid_file_imports_everyone_with_one_time_passwords(secretary_client, branch, make):
    response = post(secretary_client, make(GOOD))
    assert response.status_code == 302, response.context and response.context["form"].errors
    people = {u.username: u for u in User.objects.filter(username__startswith="XT")}
    assert set(people) == {"XT0006", "XT0017", "XT0013"}
    assert people["XT0006"].has_role(Role.MEMBER) and people["XT0017"].has_role(Role.STAFF)
    assert people["XT0013"].political_status == "probationary"
    assert str(people["XT0013"].joined_party_on) == "2010-11-18"
    assert Department.objects.filter(branch=branch, name="配送部").count() == 1
    assert all(p.must_change_password and p.branch == branch for p in people.values())

    rows = secretary_client.get(reverse("members:credentials")).context["rows"]
    by_name = {r["username"]: r["password"] for r in rows}
    assert people["XT0006"].check_password(by_name["XT0006"])

    download = secretary_client.post(reverse("members:credentials_download"))
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert {row[2] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)} == set(
        by_name
    )
    # Downloadable once.
    again = secretary_client.post(reverse("members:credentials_download"))
    assert again.status_code == 302


def test_row_errors_are_listed_by_row_and_column_and_nothing_is_saved(secretary_client, branch):
    make_person(branch, employee_no="XT9999")
    rows = [
        ["", "XT0001", "", "", "", "", "群众", "", ""],  # missing name
        ["甲", "XT0002", "", "", "", "", "群众", "", ""],
        ["乙", "XT0002", "", "", "", "", "群众", "", ""],  # duplicate in file
        ["丙", "XT9999", "", "", "", "", "群众", "", ""],  # duplicate in database
        ["丁", "XT0005", "", "", "", "1390000", "群众", "", ""],  # bad phone
        ["戊", "XT0006", "", "", "", "", "党外人士", "", ""],  # unknown status
        ["己", "XT0007", "", "", "", "", "中共党员", "2011-13-45", ""],  # bad date
        ["庚", "XT0008", "未知", "", "", "", "中共党员", "", "主任"],  # bad gender, bad role
    ]
    before = User.objects.count()
    response = post(secretary_client, xlsx(rows))
    assert response.status_code == 200
    assert errors_of(response) == [
        (2, "姓名"),
        (4, "工号"),
        (5, "工号"),
        (6, "手机"),
        (7, "政治面貌"),
        (8, "入党日期"),
        (9, "性别"),
        (9, "角色"),
    ]
    content = response.content.decode()
    assert "第 4 行" in content and "与第 3 行工号重复" in content
    assert "工号 XT9999 已存在于系统中" in content
    assert User.objects.count() == before
    assert not Department.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("people.pdf", b"%PDF-1.4 not a table"), "文件类型不支持"),
        (SimpleUploadedFile("people.csv", b""), "文件是空的"),
        (SimpleUploadedFile("people.csv", "\ufeff姓名,工号\n".encode()), "缺少必需的列"),
        (SimpleUploadedFile("people.xlsx", b"PK\x03\x04 broken zip"), "无法读取该 Excel 文件"),
        (
            SimpleUploadedFile("people.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old"),
            "不支持旧版 .xls",
        ),
        (SimpleUploadedFile("people.csv", b"x" * (5 * 1024 * 1024 + 1)), "文件超过 5 MB"),
    ],
    ids=["wrong-type", "empty", "missing-columns", "broken-xlsx", "old-xls", "too-big"],
)
def test_file_level_errors_are_shown_at_the_field(secretary_client, upload, message):
    response = post(secretary_client, upload)
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert User.objects.filter(username__startswith="XT").count() == 0


def test_header_only_file_is_refused(secretary_client):
    response = post(secretary_client, xlsx([]))
    assert "没有人员" in response.context["form"].errors["file"][0]


def test_more_than_5000_rows_is_refused(secretary_client):
    rows = [[f"人{i}", f"N{i}", "", "", "", "", "群众", "", ""] for i in range(5001)]
    response = post(secretary_client, csv_file(rows))
    assert "一次最多导入 5000 人" in response.context["form"].errors["file"][0]
    assert not User.objects.filter(username__startswith="N").exists()


def test_validate_accepts_aliases_and_excel_dates(branch):
    import datetime as dt

    table = [
        HEADER,
        ["甲", 1001.0, "男", "", "", 13900000001, "党员", dt.datetime(2005, 7, 1), "领导"],
    ]
    result = imports.validate(table, branch=branch)
    assert result.errors == []
    row = result.rows[0]
    assert row["employee_no"] == "1001" and row["phone"] == "13900000001"
    assert row["political_status"] == "party_member" and row["roles"] == {Role.LEADER}
    assert str(row["joined_party_on"]) == "2005-07-01"


def test_import_of_5000_rows_runs_in_a_few_queries(
    secretary_client, branch, django_assert_max_num_queries
):
    rows = [
        [f"职工{i}", f"B{i:05d}", "男", f"部门{i % 7}", "", f"139{i:08d}", "群众", "", ""]
        for i in range(5000)
    ]
    upload = csv_file(rows)
    # Batched inserts: SQLite's variable limit allows ~45 users per INSERT, so ~110 INSERTs in all,
    # never one query per person.
    started = time.monotonic()
    with django_assert_max_num_queries(200):
        response = post(secretary_client, upload)
    print(f"\n5000-row import: {time.monotonic() - started:.2f} s")
    assert response.status_code == 302
    assert User.objects.filter(username__startswith="B").count() == 5000
    assert User.objects.filter(groups__name="staff", username__startswith="B").count() == 5000


# --- Hostile workbooks: refused before openpyxl inflates them ----------------------------------


def _rezip(parts: dict[str, bytes]) -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("people.xlsx", buf.getvalue())


def _parts_of(upload) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _bomb_sheet(megabytes: int) -> bytes:
    """A worksheet whose one inline string cell holds `megabytes` MB of text."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    )
    tail = b"</t></is></c></row></sheetData></worksheet>"
    return head + b"A" * (megabytes * 1024 * 1024) + tail


def test_a_zip_bomb_is_refused_quickly_before_openpyxl_reads_it(secretary_client):
    parts = _parts_of(xlsx(GOOD))
    parts["xl/worksheets/sheet1.xml"] = _bomb_sheet(60)
    upload = _rezip(parts)
    assert upload.size < 200_000, "60 MB of text compress to almost nothing"
    started = time.monotonic()
    with mock.patch("members.imports.load_workbook") as load:
        response = post(secretary_client, upload)
    assert time.monotonic() - started < 5
    load.assert_not_called()
    assert "解压后过大" in response.context["form"].errors["file"][0]
    assert not User.objects.filter(username__startswith="XT").exists()


def test_parts_adding_up_past_the_total_are_refused(secretary_client):
    parts = _parts_of(xlsx(GOOD))
    for i in range(4):
        parts[f"xl/media/filler{i}.bin"] = b"\0" * (15 * 1024 * 1024)
    response = post(secretary_client, _rezip(parts))
    assert "超过 50 MB" in response.context["form"].errors["file"][0]


def test_a_workbook_of_too_many_parts_is_refused(secretary_client):
    parts = _parts_of(xlsx(GOOD))
    parts.update({f"xl/junk/{i}.xml": b"<a/>" for i in range(600)})
    response = post(secretary_client, _rezip(parts))
    assert "部件" in response.context["form"].errors["file"][0]


def test_an_overlong_cell_is_a_row_error_and_nothing_is_saved(secretary_client):
    long_department = "配送部" * 70  # 210 characters
    rows = [GOOD[0], [*GOOD[1][:3], long_department, *GOOD[1][4:]]]
    response = post(secretary_client, xlsx(rows))
    assert response.status_code == 200
    assert errors_of(response) == [(3, "部门")]
    assert "超过 200 个字" in response.content.decode()
    assert not User.objects.filter(username__startswith="XT").exists()


def test_a_cell_far_to_the_right_does_not_widen_every_row(branch):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in GOOD:
        ws.append(row)
    ws.cell(row=2, column=16384, value="x")  # column XFD
    buf = io.BytesIO()
    wb.save(buf)
    table = imports.read_table(SimpleUploadedFile("people.xlsx", buf.getvalue()))
    assert all(len(row) <= imports.MAX_COLUMNS for row in table)
    assert imports.validate(table, branch=branch).ok


def test_blank_rows_do_not_count_towards_the_limit_nor_hide_people(secretary_client):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(GOOD[0])
    for col, value in enumerate(GOOD[1], 1):
        ws.cell(row=9000, column=col, value=value)  # 8,997 blank rows in between
    buf = io.BytesIO()
    wb.save(buf)
    response = post(secretary_client, SimpleUploadedFile("people.xlsx", buf.getvalue()))
    assert response.status_code == 302
    assert set(
        User.objects.filter(username__startswith="XT").values_list("username", flat=True)
    ) == {
        "XT0006",
        "XT0017",
    }


@pytest.mark.parametrize("make", [xlsx, csv_file])
def test_an_error_names_the_row_the_secretary_sees_after_blank_rows(secretary_client, make):
    blank = [""] * len(HEADER)
    rows = [GOOD[0], blank, blank, ["", "XT0031", "", "", "", "", "群众", "", ""]]
    response = post(secretary_client, make(rows))
    # Header in row 1, 马玉兰 in row 2, two blank rows, the nameless person in row 5.
    assert errors_of(response) == [(5, "姓名")]
