"""Every change by the secretary is in the audit trail with who, what, when and the object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from members import audit, services
from members.imports import validate
from members.models import AuditEntry, Role, User
from tests.factories import make_branch, make_person, make_responsibility


def only_new_entry(before: int) -> AuditEntry:
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    assert len(entries) == 1, [str(e) for e in entries]
    return entries[0]


def assert_entry(entry: AuditEntry, *, actor: User, action: str, obj=None) -> None:
    assert entry.actor == actor
    assert entry.branch_id == actor.branch_id
    assert entry.action == action
    assert abs(timezone.now() - entry.created_at) < dt.timedelta(minutes=1)
    if obj is not None:
        assert entry.object_id == str(obj.pk)
        assert entry.object_type == str(obj._meta.verbose_name)
        assert entry.object_repr == str(obj)


PERSON = {
    "full_name": "新同事",
    "username": "xintongshi",
    "employee_no": "N001",
    "gender": "F",
    "department": None,
    "position": "会计",
    "phone": "",
    "political_status": User.PoliticalStatus.MASSES,
    "joined_party_on": None,
}


def test_person_create_is_recorded(branch, secretary):
    before = AuditEntry.objects.count()
    person, _ = services.person_create(branch=branch, data=PERSON, by=secretary)
    assert_entry(only_new_entry(before), actor=secretary, action="添加人员", obj=person)


def test_person_update_is_recorded_with_the_changed_fields_and_roles(branch, secretary, member):
    before = AuditEntry.objects.count()
    data = {**{k: getattr(member, k) for k in PERSON}, "position": "主管"}
    services.person_update(person=member, data=data, roles={Role.MEMBER, Role.LEADER}, by=secretary)
    entry = only_new_entry(before)
    assert_entry(entry, actor=secretary, action="编辑人员", obj=member)
    assert "岗位" in entry.detail and "领导班子成员" in entry.detail


@pytest.mark.parametrize(("active", "action"), [(False, "停用账号"), (True, "恢复账号")])
def test_person_set_active_is_recorded(secretary, member, active, action):
    before = AuditEntry.objects.count()
    services.person_set_active(person=member, active=active, by=secretary)
    assert_entry(only_new_entry(before), actor=secretary, action=action, obj=member)


def test_password_reset_is_recorded_without_the_password(secretary, member):
    before = AuditEntry.objects.count()
    credential = services.person_reset_password(person=member, by=secretary)
    entry = only_new_entry(before)
    assert_entry(entry, actor=secretary, action="重置密码", obj=member)
    assert credential.password not in f"{entry.detail} {entry.object_repr}"


def test_people_import_is_recorded(branch, secretary):
    table = [["姓名", "工号", "政治面貌"], ["甲", "I001", "群众"], ["乙", "I002", "中共党员"]]
    result = validate(table, branch=branch)
    assert result.ok
    before = AuditEntry.objects.count()
    services.people_import(branch=branch, rows=result.rows, by=secretary)
    entry = only_new_entry(before)
    assert_entry(entry, actor=secretary, action="批量导入人员")
    assert "2" in entry.detail


def test_responsibility_save_and_delete_are_recorded(secretary, leader):
    responsibility = make_responsibility(leader)
    before = AuditEntry.objects.count()
    responsibility.title = "副总经理"
    services.responsibility_save(responsibility=responsibility, by=secretary)
    assert_entry(only_new_entry(before), actor=secretary, action="编辑分工", obj=responsibility)

    before = AuditEntry.objects.count()
    label, pk = str(responsibility), responsibility.pk
    services.responsibility_delete(responsibility=responsibility, by=secretary)
    entry = only_new_entry(before)
    assert entry.action == "删除分工" and entry.object_id == str(pk) and entry.object_repr == label


def test_credentials_download_is_recorded(secretary, secretary_client, member):
    secretary_client.post(reverse("members:person_reset_password", args=[member.pk]))
    before = AuditEntry.objects.count()
    response = secretary_client.post(reverse("members:credentials_download"))
    assert response.status_code == 200
    entry = only_new_entry(before)
    assert_entry(entry, actor=secretary, action="下载一次性密码")
    assert "1 人" in entry.detail


def test_views_write_through_the_services(secretary, secretary_client, leader):
    before = AuditEntry.objects.count()
    response = secretary_client.post(
        reverse("members:responsibility_create"),
        {
            "leader": leader.pk,
            "title": "书记",
            "business_area": "党建",
            "party_duty": "全面",
            "order": 1,
        },
    )
    assert response.status_code == 302
    assert_entry(only_new_entry(before), actor=secretary, action="添加分工")


def test_the_secretary_reads_the_trail_and_nobody_else_does(personas, branch, secretary):
    leaving = make_person(branch, full_name="调走的人")
    services.person_set_active(person=leaving, active=False, by=secretary)
    outsider = make_person(make_branch(), (Role.SECRETARY,))
    audit.record(by=outsider, action="别的支部的操作", obj=outsider)
    url = reverse("members:audit_log")
    page = personas["secretary"].get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "停用账号" in html and "调走的人" in html and secretary.full_name in html
    assert "别的支部的操作" not in html, "another branch's trail leaked"
    for role in ("leader", "member", "staff"):
        assert personas[role].get(url).status_code == 403
    assert personas["anonymous"].get(url).status_code == 302


def test_audit_entries_are_listed_in_the_admin_read_only_or_not_at_all(secretary, secretary_client):
    from django.contrib import admin

    if AuditEntry not in admin.site._registry:
        return  # not in the admin at all: nothing to edit there
    model_admin = admin.site._registry[AuditEntry]
    request = type("R", (), {"user": secretary})()
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
