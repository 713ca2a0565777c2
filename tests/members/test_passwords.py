from django.test import Client
from django.urls import reverse

from members.models import AuditEntry, User
from tests.factories import PASSWORD


def test_reset_password_forces_change_at_next_sign_in(secretary_client, member):
    response = secretary_client.post(reverse("members:person_reset_password", args=[member.pk]))
    assert response["Location"] == reverse("members:credentials")
    password = secretary_client.get(reverse("members:credentials")).context["rows"][0]["password"]
    member.refresh_from_db()
    assert member.must_change_password and member.check_password(password)
    assert not member.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="重置密码", object_id=str(member.pk)).exists()

    client = Client()
    response = client.post(reverse("login"), {"username": "member", "password": password})
    assert response.status_code == 302
    # Every page now leads to the password change form.
    for url in ["/", reverse("members:directory")]:
        assert client.get(url)["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Zhiqian-2011x",
            "new_password2": "Zhiqian-2011x",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.must_change_password
    assert client.get("/").status_code == 200


def test_new_password_must_satisfy_the_validators(member, member_client):
    User.objects.filter(pk=member.pk).update(must_change_password=True)
    response = member_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "1234567", "new_password2": "1234567"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "至少" in errors and "8" in errors
    member.refresh_from_db()
    assert member.must_change_password and member.check_password(PASSWORD)


def test_secretary_cannot_reset_own_password_here(secretary_client, secretary):
    secretary_client.post(reverse("members:person_reset_password", args=[secretary.pk]))
    secretary.refresh_from_db()
    assert secretary.check_password(PASSWORD) and not secretary.must_change_password


def test_one_time_passwords_use_the_fast_hasher_and_real_ones_the_strong_one(
    secretary_client, member
):
    secretary_client.post(reverse("members:person_reset_password", args=[member.pk]))
    member.refresh_from_db()
    assert member.password.startswith("pbkdf2_onetime$1000$")
