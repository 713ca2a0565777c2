from django.conf import settings
from django.urls import reverse

from members.models import Role
from members.roles import ROLE_PERMISSIONS


def test_secretary_uses_the_django_admin(secretary_client, member):
    assert secretary_client.get(reverse("admin:members_user_changelist")).status_code == 200
    response = secretary_client.get(reverse("admin:members_user_change", args=[member.pk]))
    assert response.status_code == 200
    assert member.full_name in response.content.decode()


def test_members_cannot_use_the_admin(member_client):
    response = member_client.get(reverse("admin:members_user_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_role_groups_carry_their_permissions(secretary, member, staff):
    assert secretary.has_perm("members.manage_people")
    assert secretary.has_perm("members.change_user")  # every model permission of our apps
    assert not member.has_perm("members.manage_people")
    assert staff.has_perm("members.view_directory")
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_sqlite_is_tuned_for_concurrent_writers():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 20
        assert "journal_mode=WAL" in options["init_command"]
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS")


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
