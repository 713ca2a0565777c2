import pytest
from django.urls import reverse

from members.models import AuditEntry, Role, User
from tests.factories import make_branch, make_department, make_person


def test_list_searches_chinese_names_工号_and_phone(secretary_client, branch):
    make_person(branch, full_name="艾力·买买提", employee_no="XT0007", phone="13900000007")
    make_person(branch, full_name="马玉兰", employee_no="XT0006", phone="13900000006")
    url = reverse("members:person_list")
    for query in ["买买提", "XT0007", "13900000007"]:
        names = [p.full_name for p in secretary_client.get(url, {"q": query}).context["page"]]
        assert names == ["艾力·买买提"], query


def test_list_filters_by_department_status_and_role(secretary_client, branch):
    delivery = make_department(branch, "配送部")
    make_person(branch, full_name="配送党员", department=delivery)
    make_person(branch, (Role.STAFF,), full_name="配送职工", department=delivery)
    make_person(branch, full_name="预备党员甲", political_status=User.PoliticalStatus.PROBATIONARY)
    url = reverse("members:person_list")

    def names(**params):
        return {p.full_name for p in secretary_client.get(url, params).context["page"]}

    assert names(department=delivery.pk) == {"配送党员", "配送职工"}
    assert names(political_status="probationary") == {"预备党员甲"}
    assert names(role="staff", department=delivery.pk) == {"配送职工"}


def test_list_shows_only_own_branch(secretary_client, branch):
    other = make_branch()
    make_person(other, full_name="外支部人员")
    response = secretary_client.get(reverse("members:person_list"))
    assert "外支部人员" not in response.content.decode()
    outsider = make_person(other)
    assert (
        secretary_client.get(reverse("members:person_detail", args=[outsider.pk])).status_code
        == 404
    )


def test_list_paginates(secretary_client, branch, settings):
    settings.PAGE_SIZE = 5
    for _ in range(12):
        make_person(branch)
    response = secretary_client.get(reverse("members:person_list"), {"page": 3})
    assert response.context["page"].number == 3
    assert len(response.context["page"]) == 13 - 10  # 12 people + the secretary


def test_create_person_shows_one_time_password_once(secretary_client, branch):
    dept = make_department(branch, "采购部")
    response = secretary_client.post(
        reverse("members:person_create"),
        {
            "full_name": "杨帆",
            "username": "xt013",
            "employee_no": "XT0013",
            "gender": "M",
            "department": dept.pk,
            "position": "采购员",
            "phone": "13900000013",
            "political_status": "probationary",
            "joined_party_on": "2010-11-18",
            "roles": ["member"],
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="xt013")
    assert person.must_change_password and person.has_role(Role.MEMBER)
    first = secretary_client.get(reverse("members:credentials"))
    rows = first.context["rows"]
    assert rows[0]["username"] == "xt013"
    assert person.check_password(rows[0]["password"])
    second = secretary_client.get(reverse("members:credentials"))
    assert second.context["rows"] is None
    assert rows[0]["password"] not in second.content.decode()
    assert AuditEntry.objects.filter(action="添加人员", object_id=str(person.pk)).exists()


def test_create_person_invalid_keeps_input_and_saves_nothing(secretary_client, branch):
    before = User.objects.count()
    response = secretary_client.post(
        reverse("members:person_create"),
        {
            "full_name": "杨帆",
            "username": "xt013",
            "phone": "12345",
            "political_status": "masses",
            "joined_party_on": "2010-11-18",
            "roles": ["staff"],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "请输入11位手机号码" in errors["phone"][0]
    assert "只有党员和预备党员填写入党日期" in errors["joined_party_on"][0]
    assert 'value="杨帆"' in response.content.decode()
    assert User.objects.count() == before


def test_duplicate_employee_no_is_refused_at_the_field(secretary_client, branch):
    make_person(branch, employee_no="XT0001")
    response = secretary_client.post(
        reverse("members:person_create"),
        {
            "full_name": "重复",
            "username": "dup",
            "employee_no": "XT0001",
            "political_status": "masses",
            "roles": ["staff"],
        },
    )
    assert "这个工号已被其他人使用" in response.context["form"].errors["employee_no"][0]


def test_edit_changes_roles(secretary_client, member):
    response = secretary_client.post(
        reverse("members:person_edit", args=[member.pk]),
        {
            "full_name": member.full_name,
            "username": member.username,
            "employee_no": member.employee_no,
            "political_status": "party_member",
            "roles": ["member", "leader"],
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.has_role(Role.LEADER)
    entry = AuditEntry.objects.get(action="编辑人员")
    assert "领导班子成员" in entry.detail


def test_secretary_cannot_drop_own_secretary_role(secretary_client, secretary):
    response = secretary_client.post(
        reverse("members:person_edit", args=[secretary.pk]),
        {
            "full_name": secretary.full_name,
            "username": secretary.username,
            "political_status": "party_member",
            "roles": ["member"],
        },
    )
    assert response.status_code == 200
    assert "不能取消自己的支部书记角色" in response.content.decode()
    assert "不能取消自己的支部书记角色" in response.context["form"].errors["roles"][0]
    secretary.refresh_from_db()
    assert secretary.has_role(Role.SECRETARY)


def test_deactivate_keeps_records_and_blocks_sign_in(secretary_client, member, client):
    response = secretary_client.post(
        reverse("members:person_set_active", args=[member.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active and User.objects.filter(pk=member.pk).exists()
    response = client.post(reverse("login"), {"username": "member", "password": "Test-pass-2011"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # and back
    secretary_client.post(reverse("members:person_set_active", args=[member.pk]), {"active": "1"})
    member.refresh_from_db()
    assert member.is_active


def test_secretary_cannot_deactivate_self(secretary_client, secretary):
    secretary_client.post(
        reverse("members:person_set_active", args=[secretary.pk]), {"active": "0"}
    )
    secretary.refresh_from_db()
    assert secretary.is_active


def test_directory_hides_phone_numbers(member_client, branch):
    make_person(branch, full_name="周海燕", phone="13911112222")
    content = member_client.get(reverse("members:directory")).content.decode()
    assert "周海燕" in content
    assert "13911112222" not in content
    # and the phone search does not work there either
    response = member_client.get(reverse("members:directory"), {"q": "13911112222"})
    assert list(response.context["page"]) == []


def test_directory_omits_deactivated_people(staff_client, branch):
    make_person(branch, full_name="已离职人员", is_active=False)
    assert "已离职人员" not in staff_client.get(reverse("members:directory")).content.decode()


def test_leadership_page_lists_leaders_with_responsibilities(staff_client, leader):
    from tests.factories import make_responsibility

    make_responsibility(
        leader, title="总经理", business_area="经营管理全面工作", party_duty="抓班子廉洁从业"
    )
    content = staff_client.get(reverse("members:leadership")).content.decode()
    assert leader.full_name in content
    assert "经营管理全面工作" in content and "抓班子廉洁从业" in content


@pytest.mark.parametrize("role", ["member", "staff", "leader"])
def test_non_secretaries_cannot_manage_people(role, personas, member):
    client = personas[role]
    assert client.get(reverse("members:person_list")).status_code == 403
    assert (
        client.post(reverse("members:person_reset_password", args=[member.pk])).status_code == 403
    )
