import pytest
from django.test import Client
from django.urls import reverse

from members.models import Branch, Role, User


@pytest.mark.django_db
def test_every_page_leads_to_setup_while_no_user_exists():
    client = Client()
    for url in ["/", reverse("members:person_list"), reverse("login"), "/no-such-page/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("setup")


@pytest.mark.django_db
def test_healthz_is_not_redirected_during_first_run():
    assert Client().get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_setup_creates_branch_and_secretary_and_signs_her_in():
    client = Client()
    response = client.post(
        reverse("setup"),
        {
            "create": "1",
            "branch_name": "新特参茸药业党支部",
            "parent_org": "国药控股党委",
            "full_name": "王志刚",
            "username": "wangzg",
            "password1": "Hongqi-2011-05",
            "password2": "Hongqi-2011-05",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    branch = Branch.objects.get()
    assert branch.parent_org == "国药控股党委"
    user = User.objects.get(username="wangzg")
    assert user.branch == branch and user.is_staff and not user.must_change_password
    assert user.has_role(Role.SECRETARY) and user.has_role(Role.MEMBER)
    assert user.check_password("Hongqi-2011-05")
    # Signed in: the home page opens, with the message and the people page one step away.
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.context["user"] == user
    assert "您已登录" in home.content.decode()
    assert client.get(reverse("members:person_list")).status_code == 200
    # Once set up, the setup page is gone.
    assert Client().get(reverse("setup")).status_code == 404


@pytest.mark.django_db
def test_setup_with_bad_input_keeps_input_and_saves_nothing():
    response = Client().post(
        reverse("setup"),
        {
            "create": "1",
            "branch_name": "新特党支部",
            "full_name": "王志刚",
            "username": "wang zg!",
            "password1": "123",
            "password2": "456",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "两次输入的密码不一致" in content
    assert 'value="新特党支部"' in content
    assert not User.objects.exists() and not Branch.objects.exists()


@pytest.mark.django_db
def test_setup_can_load_the_demo_instead_and_signs_in_its_secretary():
    client = Client()
    response = client.post(reverse("setup"), {"demo": "1", "demo_password": "Demo-pass-2011"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    secretary = User.objects.get(username="secretary")
    assert client.session["_auth_user_id"] == str(secretary.pk)
    assert client.get(reverse("home")).status_code == 200
    assert secretary.check_password("Demo-pass-2011")
    assert secretary.branch.name == "国药控股新疆新特参茸药业有限公司党支部"


@pytest.mark.django_db
def test_demo_setup_refuses_a_weak_password():
    response = Client().post(reverse("setup"), {"demo": "1", "demo_password": "12345678"})
    assert response.status_code == 200
    assert "demo_password" in response.context["demo_form"].errors
    assert not User.objects.exists()
