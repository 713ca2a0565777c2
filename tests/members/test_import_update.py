"""Updating the people from the secretary's master list: preview, then confirm (issue 9.6)."""

import datetime as dt
import re
import time

import pytest
from django.urls import reverse

from members import imports, services
from members.models import AuditEntry, Department, Role, User
from tests.conftest import client_for
from tests.factories import make_branch, make_department, make_person
from tests.members.test_import import GOOD, HEADER, csv_file, xlsx

# These count the queries of drawing each page: a page served again from the cache runs
# fewer (tests/test_pagecache.py counts those).
pytestmark = pytest.mark.usefixtures("page_cache_off")

URL = "members:person_import"


def upload(client, file, mode="update"):
    return client.post(reverse(URL), {"file": file, "mode": mode})


def confirm(client, response):
    return client.post(reverse(URL), {"token": response.context["token"]})


@pytest.fixture
def people(branch):
    """The branch's people as the system has them before the updated list comes back."""
    delivery = make_department(branch, "配送部")
    return {
        "马玉兰": make_person(
            branch,
            (Role.MEMBER, Role.LEADER),
            username="XT0006",
            employee_no="XT0006",
            full_name="马玉兰",
            gender=User.Gender.FEMALE,
            department=delivery,
            position="药品配送员",
            phone="13900000006",
            political_status=User.PoliticalStatus.PARTY_MEMBER,
            joined_party_on=dt.date(2006, 6, 30),
        ),
        "王小军": make_person(
            branch,
            (Role.STAFF,),
            username="wangxj",
            employee_no="XT0017",
            full_name="王小军",
            gender=User.Gender.MALE,
            department=delivery,
            position="配送员",
            phone="13900000017",
            political_status=User.PoliticalStatus.MASSES,
            is_active=False,
        ),
        "赵老师": make_person(branch, employee_no="XT0100", full_name="赵老师"),
    }


# The updated list: 马玉兰 unchanged, 王小军 changed position and phone, 杨帆 new.
UPDATED = [
    GOOD[0],
    ["王小军", "XT0017", "男", "配送部", "药品配送员", "13911111117", "群众", "", "支部书记"],
    GOOD[2],
]


def test_the_preview_lists_new_changed_and_unchanged_and_saves_nothing(
    secretary_client, people, branch
):
    before = User.objects.count()
    response = upload(secretary_client, xlsx(UPDATED))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [row["employee_no"] for row in plan.new] == ["XT0013"]
    assert [c.person.full_name for c in plan.changed] == ["王小军"]
    assert [(f.column, f.old, f.new) for f in plan.changed[0].changes] == [
        ("岗位", "配送员", "药品配送员"),
        ("手机", "13900000017", "13911111117"),
    ]
    assert [p.full_name for p in plan.unchanged] == ["马玉兰"]
    page = response.content.decode()
    assert re.search(r"新增\s*<strong>1</strong>\s*人", page)
    assert re.search(r"更新\s*<strong>1</strong>\s*人", page)
    assert re.search(r"资料未变\s*<strong>1</strong>\s*人", page)
    assert "岗位：配送员 → <strong>药品配送员</strong>" in page
    # 赵老师 and the secretary are not in the file.
    assert "系统中另有 2 人不在这份名单里" in page and "不会被停用" in page
    assert User.objects.count() == before
    assert User.objects.get(employee_no="XT0017").phone == "13900000017"
    assert not AuditEntry.objects.exists()


def test_the_preview_page_carries_no_data_only_a_token(secretary_client, people):
    response = upload(secretary_client, xlsx(UPDATED))
    forms = re.findall(r"<form.*?</form>", response.content.decode(), re.S)
    (form,) = [f for f in forms if 'name="token"' in f]
    names = sorted(re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', form))
    assert names == ["csrfmiddlewaretoken", "token"]
    assert "马玉兰" not in form and "XT0013" not in form


def test_confirming_applies_the_preview_in_one_go_and_audits_it(
    secretary_client, secretary, people, branch
):
    untouched = people["赵老师"]
    response = confirm(secretary_client, upload(secretary_client, xlsx(UPDATED)))
    assert response.status_code == 302 and response["Location"] == reverse("members:credentials")

    changed = User.objects.get(employee_no="XT0017")
    assert (changed.position, changed.phone) == ("药品配送员", "13911111117")
    # Account fields and roles stay: the file's 支部书记 is not given, nor the account reactivated.
    assert changed.username == "wangxj" and not changed.is_active and not changed.is_staff
    assert changed.role_names == {Role.STAFF}
    assert changed.check_password("Test-pass-2011")
    unchanged = User.objects.get(employee_no="XT0006")
    assert unchanged.role_names == {Role.MEMBER, Role.LEADER}

    new = User.objects.get(username="XT0013")
    assert new.branch == branch and new.must_change_password and new.role_names == {Role.MEMBER}
    rows = secretary_client.get(response["Location"]).context["rows"]
    assert [r["username"] for r in rows] == ["XT0013"]

    untouched.refresh_from_db()
    assert untouched.full_name == "赵老师" and untouched.is_active

    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "object_repr", "detail"))
    assert entries == [
        (
            "按名单更新人员",
            "",
            "新增 1 人，更新 1 人，资料未变 1 人；名单中没有的 2 人保持不变",
        ),
        ("按名单更新人员资料", "王小军", "修改字段：岗位、手机"),
    ]
    assert AuditEntry.objects.filter(actor=secretary, branch=branch).count() == 2


def test_a_list_with_only_changes_goes_back_to_the_people_list(secretary_client, people):
    rows = [["马玉兰", "XT0006", "女", "采购部", "采购员", "", "中共党员", "", ""]]
    response = confirm(secretary_client, upload(secretary_client, csv_file(rows)))
    assert response["Location"] == reverse("members:person_list")
    person = User.objects.get(employee_no="XT0006")
    assert person.department.name == "采购部" and person.position == "采购员"
    assert Department.objects.filter(name="采购部").count() == 1
    page = secretary_client.get(response["Location"]).content.decode()
    assert "新增 0 人，更新 1 人的资料" in page


def test_the_number_matches_whatever_its_case_and_stays_as_it_was(secretary_client, people):
    rows = [["马玉兰", "xt0006", "女", "配送部", "药品配送员", "13900000006", "中共党员", "", ""]]
    response = upload(secretary_client, csv_file(rows))
    plan = response.context["plan"]
    assert not plan.new and [p.employee_no for p in plan.unchanged] == ["XT0006"]


def test_an_empty_cell_never_erases_what_the_system_has(secretary_client, people):
    rows = [["马玉兰", "XT0006", "", "", "", "", "中共党员", "", ""]]
    response = upload(secretary_client, csv_file(rows))
    assert not response.context["plan"].has_work
    page = response.content.decode()
    assert "没有需要更新的内容" in page and 'name="token"' not in page


def test_a_file_without_optional_columns_changes_only_what_it_has(secretary_client, people):
    file = xlsx([["王小军", "XT0017", "中共预备党员"]], header=["姓名", "工号", "政治面貌"])
    confirm(secretary_client, upload(secretary_client, file))
    person = User.objects.get(employee_no="XT0017")
    assert person.political_status == User.PoliticalStatus.PROBATIONARY
    assert person.phone == "13900000017" and person.department.name == "配送部"


def test_changes_made_after_the_preview_stop_the_confirmation(secretary_client, people, branch):
    preview = upload(secretary_client, xlsx(UPDATED))
    User.objects.filter(employee_no="XT0017").update(position="仓库主管")  # someone else edits
    response = confirm(secretary_client, preview)
    assert response.status_code == 302 and response["Location"] == reverse(URL)
    page = secretary_client.get(response["Location"]).content.decode()
    assert "预览之后人员资料有了变动，本次更新没有保存" in page
    assert User.objects.get(employee_no="XT0017").position == "仓库主管"
    assert not User.objects.filter(username="XT0013").exists()
    assert not AuditEntry.objects.exists()


def test_a_new_number_taken_after_the_preview_stops_the_confirmation(secretary_client, people):
    preview = upload(secretary_client, xlsx(UPDATED))
    make_person(make_branch(), username="xt0013", employee_no="")
    response = confirm(secretary_client, preview)
    assert response["Location"] == reverse(URL)
    assert User.objects.get(employee_no="XT0017").phone == "13900000017", "all or nothing"
    assert not User.objects.filter(employee_no="XT0013").exists()


def test_a_preview_is_confirmed_once(secretary_client, people):
    preview = upload(secretary_client, xlsx(UPDATED))
    confirm(secretary_client, preview)
    again = confirm(secretary_client, preview)
    assert again["Location"] == reverse(URL)
    page = secretary_client.get(again["Location"]).content.decode()
    assert "这次预览已过期或已经确认过" in page
    assert User.objects.filter(username="XT0013").count() == 1
    assert AuditEntry.objects.filter(action="按名单更新人员").count() == 1


def test_a_wrong_or_expired_token_saves_nothing(secretary_client, people, monkeypatch):
    upload(secretary_client, xlsx(UPDATED))
    response = secretary_client.post(reverse(URL), {"token": "forged-token-1234567890"})
    assert response["Location"] == reverse(URL)
    preview = upload(secretary_client, xlsx(UPDATED))
    later = time.time() + imports.PREVIEW_TTL + 1
    monkeypatch.setattr(imports.time, "time", lambda: later)
    confirm(secretary_client, preview)
    assert not User.objects.filter(username="XT0013").exists()
    assert User.objects.get(employee_no="XT0017").phone == "13900000017"


def test_a_token_works_only_in_the_session_that_previewed(secretary_client, people, branch):
    preview = upload(secretary_client, xlsx(UPDATED))
    colleague = client_for(make_person(branch, (Role.SECRETARY,)))
    response = confirm(colleague, preview)
    assert response["Location"] == reverse(URL)
    assert not User.objects.filter(username="XT0013").exists()


def test_only_people_managers_may_confirm(member_client, secretary_client, people):
    preview = upload(secretary_client, xlsx(UPDATED))
    response = member_client.post(reverse(URL), {"token": preview.context["token"]})
    assert response.status_code in (403, 404)
    assert not User.objects.filter(username="XT0013").exists()


def test_row_errors_in_update_mode_keep_their_row_numbers(secretary_client, people):
    make_person(make_branch(), username="XT0500", employee_no="XT0500")  # another branch
    rows = [
        GOOD[0],
        ["甲", "XT0500", "", "", "", "", "群众", "", ""],  # someone else's sign-in name
        ["乙", "XT0020", "", "", "", "", "群众", "", ""],
        ["丙", "xt0020", "", "", "", "", "群众", "", ""],  # twice in the file
        ["王小军", "XT0017", "", "", "", "1390", "群众", "", ""],  # bad phone
    ]
    response = upload(secretary_client, xlsx(rows))
    assert response.status_code == 200 and "plan" not in response.context
    assert [(e.row, e.column) for e in response.context["result"].errors] == [
        (3, "工号"),
        (5, "工号"),
        (6, "手机"),
    ]
    page = response.content.decode()
    assert "工号 XT0500 已被系统中另一个账号用作登录名" in page
    assert "与第 4 行工号重复" in page


def test_a_number_two_people_share_in_different_case_is_an_error(secretary_client, people, branch):
    make_person(branch, username="other", employee_no="xt0006")
    response = upload(secretary_client, xlsx([GOOD[0]]))
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(2, "工号")]
    assert "系统中有 2 人的工号是 XT0006" in response.content.decode()


def test_adding_people_still_refuses_numbers_that_exist(secretary_client, people):
    response = upload(secretary_client, xlsx(UPDATED), mode="create")
    assert [(e.row, e.column) for e in response.context["result"].errors] == [
        (2, "工号"),
        (3, "工号"),
    ]


def test_the_old_templates_example_is_skipped_in_update_mode_too(secretary_client, people, branch):
    # Imported earlier from an old template, and named in the secretary's list again.
    earlier = make_person(branch, username="XT0101", employee_no="XT0101", full_name="张建国")
    sample = ["张建国", "XT0101", "男", "配送部", "药品配送员", "13912345678", "中共党员", "", ""]
    response = upload(secretary_client, xlsx([sample, *UPDATED]))
    page = response.content.decode()
    assert "第 2 行是旧版模板中的示例" in page
    assert "系统中已有工号为 XT0101 的人员，可能是以前导入的模板示例" in page
    plan = response.context["plan"]
    assert [row["employee_no"] for row in plan.new] == ["XT0013"]
    assert earlier not in [c.person for c in plan.changed] + plan.unchanged


def test_the_stash_is_bounded(secretary_client, people, monkeypatch):
    monkeypatch.setattr(imports, "PREVIEW_MAX_CHARS", 100)
    response = upload(secretary_client, xlsx(UPDATED))
    assert "名单太大，无法预览" in response.context["form"].errors["file"][0]


def test_the_service_refuses_a_plan_other_than_the_confirmed_one(branch, secretary, people):
    rows = imports.validate([HEADER, *UPDATED], branch=branch, update=True).rows
    with pytest.raises(Exception) as refused:
        services.people_import_update(branch=branch, rows=rows, expected="0" * 64, by=secretary)
    assert getattr(refused.value, "code", None) == "stale_preview"
    assert not User.objects.filter(username="XT0013").exists()


def test_updating_5000_rows_is_fast_and_takes_a_few_queries(
    secretary_client, secretary, branch, django_assert_max_num_queries
):
    def row(i, department):
        return [f"职工{i}", f"B{i:05d}", "男", department, "", f"139{i:08d}", "群众", "", ""]

    existing = [row(i, f"部门{i % 7}") for i in range(4000)]
    result = imports.validate([HEADER, *existing], branch=branch)
    services.people_import(branch=branch, rows=result.rows, by=secretary)
    # 2,000 move department, 2,000 stay as they are, 1,000 are new.
    rows = [row(i, "新部门" if i % 2 else f"部门{i % 7}") for i in range(5000)]
    file = csv_file(rows)

    started = time.monotonic()
    with django_assert_max_num_queries(30):
        preview = upload(secretary_client, file)
    previewed = time.monotonic()
    plan = preview.context["plan"]
    assert (len(plan.new), len(plan.changed), len(plan.unchanged)) == (1000, 2000, 2000)
    # Batched: ~100 statements for 1,000 new accounts (with their roles), ~100 for 2,000 updates,
    # 4 for 2,000 audit entries; never one query per person.
    with django_assert_max_num_queries(300):
        response = confirm(secretary_client, preview)
    done = time.monotonic()
    print(
        f"\n5000-row update: preview {previewed - started:.2f} s, confirm {done - previewed:.2f} s"
    )
    assert response.status_code == 302
    assert User.objects.filter(department__name="新部门").count() == 2500
    assert User.objects.filter(username__startswith="B").count() == 5000
    assert AuditEntry.objects.filter(action="按名单更新人员资料").count() == 2000
