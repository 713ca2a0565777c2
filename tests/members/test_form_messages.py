"""Every members form speaks as a person would: no Django stock message ("这个字段是必填项。",
"选择一个有效的选项…", "确保该值不超过…"), and select boxes offer 请选择 instead of "---------"."""

import re

import pytest
from django import forms
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import translation

from members.forms import (
    DemoSetupForm,
    DirectoryFilter,
    ImportForm,
    PersonFilter,
    PersonForm,
    ResponsibilityForm,
    SetupForm,
)
from members.forms_auth import LoginForm, PasswordChangeForm
from members.models import User
from tests.factories import make_responsibility


def _subclasses(base):
    found = {base}
    for sub in base.__subclasses__():
        found |= _subclasses(sub)
    return found


def _django_message_patterns() -> list[re.Pattern]:
    """Every default message of Django's form fields, model fields and validators, in Chinese,
    as a pattern (its %(…)s placeholders match anything)."""
    texts = set()
    for base in (forms.Field, models.Field):
        for klass in _subclasses(base):
            if klass.__module__.startswith("django."):
                texts |= {str(m) for m in getattr(klass, "default_error_messages", {}).values()}
    for klass in _subclasses(validators.BaseValidator) | {
        validators.RegexValidator,
        validators.EmailValidator,
        validators.URLValidator,
        validators.DecimalValidator,
        validators.ProhibitNullCharactersValidator,
    }:
        if isinstance(
            getattr(klass, "message", None), str | type(validators.RegexValidator.message)
        ):
            texts.add(str(klass.message))
    texts.add(str(User._meta.get_field("username").validators[0].message))
    texts.add(str(User._meta.get_field("username").error_messages["unique"]))
    patterns = []
    for text in texts:
        if not text:
            continue
        pattern = re.escape(text)
        pattern = re.sub(r"%\\\(\w+\\\)[sdr]", ".*", pattern)
        pattern = re.sub(r"%[sdr]", ".*", pattern)
        patterns.append(re.compile(f"^{pattern}$"))
    return patterns


@pytest.fixture
def stock():
    with translation.override("zh-hans"):
        return _django_message_patterns()


def _messages(form) -> list[str]:
    form.is_valid()
    return [str(m) for errors in form.errors.values() for m in errors]


def _stock_in(messages, stock):
    return [m for m in messages if any(p.match(m) for p in stock)]


def test_the_stock_messages_are_found(stock):
    """The check itself: Django's required message is among the patterns."""
    assert _stock_in(["这个字段是必填项。"], stock) == ["这个字段是必填项。"]


def _forms(branch, member, secretary):
    long = "长" * 300
    return {
        "setup-empty": SetupForm({"create": "1"}),
        "setup-bad": SetupForm(
            {
                "branch_name": long,
                "parent_org": long,
                "full_name": long,
                "username": "bad name!",
                "password1": "x",
                "password2": "y",
            }
        ),
        "demo-empty": DemoSetupForm({}),
        "person-empty": PersonForm({}, branch=branch),
        "person-bad": PersonForm(
            {
                "full_name": long,
                "username": "bad name!",
                "employee_no": long,
                "gender": "X",
                "department": "999999",
                "position": long,
                "phone": "123",
                "political_status": "nope",
                "joined_party_on": "not-a-date",
                "roles": ["bogus"],
            },
            branch=branch,
        ),
        "person-taken": PersonForm(
            {"full_name": "甲", "username": "MEMBER", "political_status": "masses"},
            branch=branch,
        ),
        "person-old-date": PersonForm(
            {"joined_party_on": "1900-01-01", "political_status": "party_member"},
            branch=branch,
        ),
        "import-empty": ImportForm({}, {}),
        "import-empty-file": ImportForm({}, {"file": SimpleUploadedFile("a.csv", b"")}),
        "responsibility-empty": ResponsibilityForm({}, branch=branch),
        "responsibility-bad": ResponsibilityForm(
            {
                "leader": "999999",
                "title": long,
                "business_area": long,
                "party_duty": long,
                "order": "abc",
            },
            branch=branch,
        ),
        "responsibility-negative": ResponsibilityForm({"order": "-1"}, branch=branch),
        "login-empty": LoginForm(None, {}),
        "password-empty": PasswordChangeForm(member, {}),
        "password-mismatch": PasswordChangeForm(
            member,
            {"old_password": "wrong", "new_password1": "Aa-123456x", "new_password2": "other"},
        ),
        "directory-bad": DirectoryFilter(
            {"q": long, "department": "999999", "political_status": "x", "role": "x"},
            queryset=User.objects.all(),
            branch=branch,
        ).form,
        "people-bad": PersonFilter(
            {"department": "999999", "active": "7"}, queryset=User.objects.all(), branch=branch
        ).form,
    }


def test_no_members_form_shows_a_django_stock_message(branch, member, secretary, stock):
    found = {}
    for name, form in _forms(branch, member, secretary).items():
        messages = _messages(form)
        assert messages, f"{name} raised no error: the case tests nothing"
        if stock_messages := _stock_in(messages, stock):
            found[name] = stock_messages
    assert found == {}


def test_the_messages_name_the_field(branch, member, secretary):
    forms_ = _forms(branch, member, secretary)
    person = forms_["person-empty"]
    person.is_valid()
    assert person.errors["full_name"] == ["请填写姓名。"]
    assert person.errors["username"] == ["请填写登录名。"]
    bad = forms_["person-bad"]
    bad.is_valid()
    assert "请输入11位手机号码" in bad.errors["phone"][0]
    assert "登录名只能包含字母、数字" in bad.errors["username"][0]
    assert "1921年7月1日" in forms_["person-old-date"].errors["joined_party_on"][0]
    login = forms_["login-empty"]
    login.is_valid()
    assert login.errors["username"] == ["请填写登录名。"]


def test_a_person_may_have_joined_the_party_before_2000(branch):
    form = PersonForm(
        {
            "full_name": "老党员",
            "username": "laodangyuan",
            "political_status": "party_member",
            "joined_party_on": "1978-07-01",
            "roles": ["member"],
        },
        branch=branch,
    )
    assert form.is_valid(), form.errors
    assert form["joined_party_on"].field.widget.attrs["min"] == "1921-07-01"


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("members:person_create", None),
        ("members:person_edit", "member"),
        ("members:responsibility_create", None),
        ("members:responsibility_edit", "responsibility"),
        ("members:person_list", None),
        ("members:directory", None),
    ],
)
def test_select_boxes_say_please_choose(secretary_client, member, leader, url_name, kwargs):
    args = {
        None: None,
        "member": [member.pk],
        "responsibility": [make_responsibility(leader).pk],
    }[kwargs]
    page = secretary_client.get(reverse(url_name, args=args)).content.decode()
    assert "---------" not in page
    if url_name.startswith("members:person_") and url_name != "members:person_list":
        assert "请选择" in page


def test_the_password_pages_use_one_form_of_address(member_client):
    page = member_client.get(reverse("password_change")).content.decode()
    assert "你" not in page
    assert "原密码" in page and "不能与您的姓名或登录名太相似" in page
