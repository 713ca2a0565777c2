"""Sign-in names are case-insensitive: `XT0202` signs in as `xt0202`, and no two accounts differ
only in the case of theirs (form, import, admin, setup and the database all refuse it)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from config import signin
from members.models import USERNAME_TAKEN, User
from tests.factories import PASSWORD, make_person
from tests.members.test_import import GOOD, errors_of, post, xlsx

LOGIN = reverse("login")


@pytest.fixture
def imported(branch):
    """A person imported with an upper-case 工号, which is also the sign-in name."""
    return make_person(branch, username="XT0202", employee_no="XT0202", full_name="马建新")


@pytest.mark.parametrize("typed", ["XT0202", "xt0202", "Xt0202", " xt0202 "])
def test_an_imported_number_signs_in_in_any_case(imported, typed):
    client = Client()
    response = client.post(LOGIN, {"username": typed, "password": PASSWORD})
    assert response.status_code == 302, typed
    assert client.session["_auth_user_id"] == str(imported.pk)


def test_the_password_stays_case_sensitive(imported):
    response = Client().post(LOGIN, {"username": "xt0202", "password": PASSWORD.upper()})
    assert response.status_code == 200
    assert "登录名或密码不正确" in response.content.decode()


def test_authenticate_and_the_manager_find_the_account_in_any_case(imported, rf):
    request = rf.post(LOGIN)
    assert authenticate(request, username="xT0202", password=PASSWORD) == imported
    assert User.objects.get_by_natural_key("xt0202") == imported


def test_the_database_refuses_two_names_that_differ_only_in_case(imported, branch):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="xt0202", full_name="另一人", branch=branch)


def test_model_validation_names_the_clash(imported, branch):
    with pytest.raises(ValidationError) as caught:
        User(username="xT0202", full_name="另一人", branch=branch).full_clean(exclude=["password"])
    assert USERNAME_TAKEN in caught.value.messages


def _person_data(**overrides):
    return {
        "full_name": "杨帆",
        "username": "xt0202",
        "employee_no": "XT0303",
        "political_status": "masses",
        "roles": ["staff"],
        **overrides,
    }


def test_the_person_form_refuses_a_name_taken_in_another_case(imported, secretary_client):
    before = User.objects.count()
    response = secretary_client.post(reverse("members:person_create"), _person_data())
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [USERNAME_TAKEN]
    assert User.objects.count() == before


def test_editing_a_person_keeps_their_own_name_in_another_case(imported, secretary_client):
    data = _person_data(username="xt0202", employee_no="XT0202", full_name="马建新")
    response = secretary_client.post(reverse("members:person_edit", args=[imported.pk]), data)
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.username == "xt0202"


def test_the_admin_form_refuses_a_name_taken_in_another_case(imported, member, secretary):
    from members.admin import PersonAdminForm

    PersonAdminForm.editor = secretary
    form = PersonAdminForm(
        data={**_person_data(username="XT0202", employee_no=member.employee_no), "is_active": "on"},
        instance=member,
    )
    assert not form.is_valid()
    assert form.errors["username"] == [USERNAME_TAKEN]


def test_the_import_refuses_a_number_taken_as_a_name_in_another_case(imported, secretary_client):
    rows = [list(GOOD[0])]
    rows[0][1] = "xt0202"
    response = post(secretary_client, xlsx(rows))
    assert errors_of(response) == [(2, "工号")]
    assert not User.objects.filter(full_name=GOOD[0][0]).exists()


def test_the_import_refuses_two_rows_whose_numbers_differ_only_in_case(branch, secretary_client):
    first, second = list(GOOD[0]), list(GOOD[1])
    first[1], second[1] = "XT0909", "xt0909"
    response = post(secretary_client, xlsx([first, second]))
    assert errors_of(response) == [(3, "工号")]
    assert "与第 2 行工号重复" in response.content.decode()


def test_failures_in_any_case_count_for_one_name(imported):
    client = Client()
    for typed in ["XT0202", "xt0202", "Xt0202", "xT0202", "xt0202"]:
        client.post(LOGIN, {"username": typed, "password": "wrong-one"})
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"xt0202"}
    # Locked, whatever case the right password comes with.
    assert client.post(LOGIN, {"username": "XT0202", "password": PASSWORD}).status_code == 429
    assert signin.lockout_ends("XT0202") is not None


def test_a_successful_sign_in_in_another_case_clears_the_failures(imported):
    client = Client()
    for _ in range(3):
        client.post(LOGIN, {"username": "XT0202", "password": "wrong-one"})
    assert client.post(LOGIN, {"username": "xt0202", "password": PASSWORD}).status_code == 302
    assert not AccessAttempt.objects.exists()
