"""The secretary's people list finds a person by 登录名 (any case) too; the directory, which every
member sees, does not search sign-in names."""

from django.urls import reverse

from tests.factories import make_person


def _names(response):
    return [person.full_name for person in response.context["page"]]


def test_the_people_list_finds_a_person_by_sign_in_name(secretary_client, branch):
    make_person(branch, username="wangzg", employee_no="XT0101", full_name="王志刚")
    make_person(branch, username="XT0102", employee_no="XT0102", full_name="李建华")
    url = reverse("members:person_list")
    assert _names(secretary_client.get(url, {"q": "wangzg"})) == ["王志刚"]
    assert _names(secretary_client.get(url, {"q": "WANGZ"})) == ["王志刚"]
    assert _names(secretary_client.get(url, {"q": "xt0102"})) == ["李建华"]
    page = secretary_client.get(url).content.decode()
    assert "姓名、登录名、工号或手机" in page


def test_the_people_list_shows_a_sign_in_name_that_is_not_the_number(secretary_client, branch):
    make_person(branch, username="wangzg", employee_no="XT0101", full_name="王志刚")
    make_person(branch, username="xt0102", employee_no="XT0102", full_name="李建华")
    page = secretary_client.get(reverse("members:person_list")).content.decode()
    assert "wangzg" in page
    assert "xt0102" not in page  # the same as the 工号 but for the case: not repeated


def test_the_directory_does_not_search_sign_in_names(member_client, branch):
    make_person(branch, username="wangzg", employee_no="XT0101", full_name="王志刚")
    url = reverse("members:directory")
    assert _names(member_client.get(url, {"q": "wangzg"})) == []
    assert _names(member_client.get(url, {"q": "XT0101"})) == ["王志刚"]
    assert "wangzg" not in member_client.get(url).content.decode()
