"""No form of campaign or reading answers bad input in Django's generic wording.

Every form class (and filter set) of campaign/forms.py and reading/forms.py is built with
whatever its `__init__` asks for (KWARGS, by name: a new form with a new keyword fails here until
it is added), then fed empty, too long, malformed and out-of-range input field by field. None of
the messages may contain a phrase of Django's default messages (form fields, validators, model
fields, unique and constraint checks), in Chinese or English; every message names its field.
"""

from __future__ import annotations

import inspect
import re

import django_filters
import pytest
from django import forms
from django.core import validators
from django.db import models
from django.db.models.constraints import BaseConstraint
from django.utils import translation
from django.utils.functional import Promise

from campaign import forms as campaign_forms
from campaign.models import Phase, StandardSet
from members.models import User
from reading import forms as reading_forms
from tests.campaign.factories import make_campaign, make_round
from tests.reading.factories import make_activity, select_books

pytestmark = pytest.mark.django_db


def _subclasses(klass: type) -> set[type]:
    found = set()
    for sub in klass.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _django_messages() -> list[str]:
    messages: list = []
    for klass in {forms.Field, *_subclasses(forms.Field), models.Field, *_subclasses(models.Field)}:
        if klass.__module__.startswith("django."):
            messages += klass.__dict__.get("default_error_messages", {}).values()
    for name in dir(validators):
        thing = getattr(validators, name)
        if inspect.isclass(thing):
            for attr in ("message", "messages"):
                value = thing.__dict__.get(attr)
                messages += value.values() if isinstance(value, dict) else [value]
    messages += [
        BaseConstraint.default_violation_error_message,
        "%(model_name)s with this %(field_label)s already exists.",
        "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s.",
        "%(model_name)s with this %(field_labels)s already exists.",
    ]
    return [m for m in messages if isinstance(m, str | Promise) and m]


class _Seven(dict):
    def __missing__(self, key: str) -> int:
        return 7


def _render(message: str | Promise) -> str:
    """The message in the active language, every placeholder filled with 7 (plural forms too)."""
    try:
        return str(message % _Seven())
    except (TypeError, ValueError, KeyError):
        return str(message)


def _fragments() -> set[str]:
    """The literal pieces of Django's messages, in English and in Chinese, 4 characters or more."""
    pieces: set[str] = set()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for message in _django_messages():
                for piece in re.split(r"7|%\(\w+\)[sdr]|%[sdr]|\{\w*\}", _render(message)):
                    piece = piece.strip(" .。，,：:“”\"'（）()")
                    if len(piece) >= 4:
                        pieces.add(piece)
    return pieces


FRAGMENTS = _fragments()


def _form_classes() -> list[tuple[str, type]]:
    found = []
    for module in (campaign_forms, reading_forms):
        for name, klass in vars(module).items():
            if not inspect.isclass(klass) or klass.__module__ != module.__name__:
                continue
            if issubclass(klass, forms.BaseForm | django_filters.FilterSet):
                found.append((f"{module.__name__}.{name}", klass))
    return found


@pytest.fixture
def kwargs(branch, secretary, leader, member):
    campaign = make_campaign(secretary)
    activity = make_activity(branch, "read")
    select_books(activity, secretary)
    round_ = make_round(campaign, secretary)
    subject = round_.subjects.first()
    return {
        "branch": branch,
        "reviewer": leader,
        "standard_set": StandardSet.objects.filter(branch=branch).first(),
        "items": list(round_.items.filter(applies_to=subject.applies_to)),
        "campaign": campaign,
        "nominee": member,
        "exclude": secretary,
        "activity": activity,
        "people": User.objects.filter(branch=branch),
        "choices": [(1, "《你在为谁工作》"), (2, "《责任胜于能力》")],
        "label": None,
        "phase": Phase.objects.filter(campaign=campaign).first(),
    }


def _build(klass: type, data: dict | None, pool: dict) -> forms.BaseForm:
    wanted = {}
    for name, param in inspect.signature(klass.__init__).parameters.items():
        if param.kind is param.KEYWORD_ONLY and param.default is param.empty:
            assert name in pool, f"{klass.__name__} needs `{name}=`: add it to the kwargs fixture"
            wanted[name] = pool[name]
    built = klass(data, **wanted)
    return built.form if isinstance(built, django_filters.FilterSet) else built


def _bad_values(field: forms.Field) -> list:
    """Bad input for one field, each triggering a different check."""
    if isinstance(field, forms.FileField):
        return []
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [["no-such-choice"], ["999999"]]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return ["no-such-choice", "999999"]
    if isinstance(field, forms.DateField):
        return ["2024-13-45", "昨天", "9999-12-31", "1900-01-01"]
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return ["abc", "-5", "1.23456", "99999999999999", "1e400"]
    if isinstance(field, forms.IntegerField):
        return ["abc", "-5", "1.5", "99999999999"]
    if isinstance(field, forms.BooleanField):
        return []
    if isinstance(field, forms.CharField):
        longest = field.max_length or 5000
        return ["x" * (longest + 7), "x"]
    return ["???"]


def _messages(form: forms.BaseForm) -> list[tuple[str, str]]:
    form.is_valid()
    return [(name, str(m)) for name, errors in form.errors.items() for m in errors]


@pytest.mark.parametrize(("name", "klass"), _form_classes(), ids=[n for n, _ in _form_classes()])
def test_bad_input_gets_a_message_a_person_would_write(name, klass, kwargs):
    seen: list[tuple[str, str]] = []
    empty = _build(klass, {}, kwargs)
    assert "---------" not in str(empty), f"{name}: a select offers '---------', not 请选择"
    seen += _messages(empty)
    fields = empty.fields
    for field_name, field in fields.items():
        for value in _bad_values(field):
            data = {field_name: value}
            form = _build(klass, data, kwargs)
            if form.prefix:
                form = _build(klass, {form.add_prefix(field_name): value}, kwargs)
            seen += _messages(form)
    generic = [(f, m, p) for f, m in seen for p in FRAGMENTS if p in m]
    assert not generic, f"{name}: Django's wording in {generic[:5]}"
    for field_name, message in seen:
        assert "%(" not in message and "{label}" not in message, (name, field_name, message)


def test_the_check_knows_django_s_chinese_wording():
    """The fragments really hold the messages the issue quotes, or the test above proves nothing."""
    joined = "\n".join(FRAGMENTS)
    assert "确保该变量包含不超过" in joined or "确保该值不超过" in joined
    assert "输入一个有效的日期" in joined
    assert "这个字段是必填项" in joined


def test_messages_name_the_field_and_the_limit():
    with translation.override("zh-hans"):
        form = reading_forms.CommentForm({"body": "字" * 2001})
        assert form.errors["body"] == ["评论最多 2000 个字，现在是 2001 个字。"]
        form = reading_forms.CommentForm({"body": ""})
        assert form.errors["body"] == ["请填写评论。"]
        form = reading_forms.ReasonForm({"reason": ""}, label="隐藏原因（作者会看到）")
        assert form.errors["reason"] == ["请填写隐藏原因（作者会看到）。"]
        form = campaign_forms.StepForm({"on": "2024-02-30"})
        assert form.errors["on"] == ["日期请按“年-月-日”填写，例如 2024-05-16。"]


def test_numeric_fields_open_the_number_pad(kwargs):
    form = reading_forms.PurchaseForm(activity=kwargs["activity"])
    assert form.fields["quantity"].widget.attrs["inputmode"] == "numeric"
    assert form.fields["unit_price"].widget.attrs["inputmode"] == "decimal"
    html = str(form["unit_price"])
    assert 'inputmode="decimal"' in html
    isbn = str(reading_forms.RecommendationForm()["isbn"])
    assert 'inputmode="numeric"' in isbn and 'type="text"' in isbn


def test_long_texts_are_marked_for_drafts(kwargs):
    for form in (
        reading_forms.CommentForm(),
        reading_forms.ReflectionForm(activity=kwargs["activity"]),
        campaign_forms.ProgressForm(),
        campaign_forms.ReturnForm(),
    ):
        textareas = [f for f in form if isinstance(f.field.widget, forms.Textarea)]
        assert textareas and all("data-draft" in str(f) for f in textareas)
    login_like = campaign_forms.StepForm()
    assert "data-draft" not in str(login_like)


def test_decimal_places_and_digits_read_plainly(kwargs):
    activity = kwargs["activity"]
    selection = activity.selections.first()
    form = reading_forms.PurchaseForm(
        {
            "selection": selection.pk,
            "quantity": "2",
            "unit_price": "12.345",
            "supplier": "新华书店",
            "purchased_on": "2024-05-16",
        },
        activity=activity,
    )
    assert not form.is_valid()
    assert form.errors["unit_price"] == ["单价（元）最多保留 2 位小数。"], form.errors
