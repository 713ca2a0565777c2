"""Form machinery every app shares: error messages a person would write, and date bounds.

Django's own messages ("确保该值不超过 13 个字符", "输入一个有效的日期。", "选择一个有效的选项…")
read like a machine talking. `PlainFormMixin` replaces every Django default message of every
field of a form with one written from the field's label ("推荐理由最多 1000 个字，现在是 1200 个
字。"), right before the form validates, so labels set after `__init__` are used too. Messages a
form sets itself (`error_messages=…`, or a field class of ours with its own defaults) are kept.

A select's empty choice reads 请选择 instead of "---------".

Every date field is bounded to config.dates (2000-01-01 … ten years from today), with the bounds
as the input's min/max. Numeric fields get `inputmode` so that phones open the number pad. Every
textarea is marked `data-draft`: static/js/drafts.js keeps what is typed there in the browser until
the form is saved, so a long text survives an expired session or a lost connection.

Use it as the first base of a form: `class PledgeForm(PlainFormMixin, forms.ModelForm)`, or
`PlainForm` as a FilterSet's `Meta.form`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import Jinja2
from django.forms.utils import pretty_name
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .dates import DATE_MIN, date_max, date_range_message, in_range

# code -> message per kind of field; "{label}" is the field's label, %(…)s the validator's params.
_TEXT = {
    "required": "请填写{label}。",
    "max_length": "{label}最多 %(limit_value)d 个字，现在是 %(show_value)d 个字。",
    "min_length": "{label}至少 %(limit_value)d 个字，现在是 %(show_value)d 个字。",
    "invalid": "{label}的格式不对，请检查后重新填写。",
    "unique": "已有相同的{label}，请换一个。",
    "null": "请填写{label}。",
    "blank": "请填写{label}。",
}
_NUMBER = {
    "required": "请填写{label}。",
    "invalid": "{label}请填写数字，例如 28.50。",
    "min_value": "{label}不能小于 %(limit_value)s。",
    "max_value": "{label}不能大于 %(limit_value)s。",
    "step_size": "{label}须是 %(limit_value)s 的整数倍。",
    "max_digits": "{label}最多 %(max)s 位数字。",
    "max_decimal_places": "{label}最多保留 %(max)s 位小数。",
    "max_whole_digits": "{label}的整数部分最多 %(max)s 位。",
    "null": "请填写{label}。",
}
_INTEGER = {**_NUMBER, "invalid": "{label}请填写整数，例如 3。"}
_DATE = {
    "required": "请填写{label}。",
    "invalid": "{label}请按“年-月-日”填写，例如 2024-05-16。",
    "null": "请填写{label}。",
}
_CHOICE = {
    "required": "请选择{label}。",
    "invalid_choice": "所选{label}不在可选范围内，请重新选择。",
    "null": "请选择{label}。",
    "blank": "请选择{label}。",
}
_MULTIPLE = {
    **_CHOICE,
    "invalid_list": "请从列表中勾选{label}。",
    "invalid_pk_value": "所选{label}不在可选范围内，请重新选择。",
}
_CHECK = {"required": "请勾选{label}。"}
_FILE = {
    "required": "请选择要上传的{label}。",
    "invalid": "没有收到文件，请重新选择{label}。",
    "missing": "没有收到文件，请重新选择{label}。",
    "empty": "所选的{label}是空文件，请重新选择。",
    "max_length": "文件名太长（最多 %(max)d 个字），请改短后再上传。",
    "contradiction": "请要么上传新的{label}，要么勾选清除，不要同时进行。",
    "invalid_image": "{label}不是图片或已损坏，请上传 JPG、PNG 或 WebP 照片。",
}


def _table(field: forms.Field) -> dict[str, str]:
    if isinstance(field, forms.FileField):
        return _FILE
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return _MULTIPLE
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _CHOICE
    if isinstance(field, forms.BooleanField):
        return _CHECK
    if isinstance(field, forms.DateField):
        return _DATE
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return _NUMBER
    if isinstance(field, forms.IntegerField):
        return _INTEGER
    return _TEXT


def _django_defaults(field: forms.Field) -> dict[str, Any]:
    """The default messages Django's own field classes give this field (ours are kept)."""
    defaults: dict[str, Any] = {}
    for klass in reversed(type(field).__mro__):
        if klass.__module__.startswith("django."):
            defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def field_label(name: str, field: forms.Field) -> str:
    """The label as a message names it: "照片（可选）" -> "照片", "日期：" -> "日期"."""
    label = str(field.label or pretty_name(name)).strip().rstrip(":：")
    for tail in ("（可选）", "（选填）", "(可选)", "(选填)"):
        label = label.removesuffix(tail)
    # A "%" would be read as a placeholder when the message is filled in: the full-width one reads
    # the same.
    return label.replace("%", "％")


@deconstructible
class DateRangeValidator:
    """A date between config.dates.DATE_MIN and ten years from today."""

    code = "date_out_of_range"

    def __init__(self, label: str = "") -> None:
        self.label = label

    def __call__(self, value: dt.date | None) -> None:
        if isinstance(value, dt.date) and not in_range(value):
            raise ValidationError(date_range_message(self.label), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateRangeValidator) and other.label == self.label

    def __hash__(self) -> int:
        return hash((DateRangeValidator, self.label))


BLANK = "---------"


def _plain_empty_choice(field: forms.Field) -> None:
    """A select's empty choice reads 请选择, not Django's "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == BLANK:
            field.empty_label = _("请选择")
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == BLANK for value, label in choices):
            field.choices = [
                (value, _("请选择") if value == "" and label == BLANK else label)
                for value, label in choices
            ]


def plain_messages(name: str, field: forms.Field) -> None:
    """Replace Django's default messages of one field with ones written from its label."""
    label = field_label(name, field)
    defaults = _django_defaults(field)
    ours: set[str] = getattr(field, "_plain_codes", set())
    for code, template in _table(field).items():
        current = field.error_messages.get(code)
        if code == "invalid" and "invalid" not in defaults:
            # A CharField has no "invalid" of its own: the code is its validators' (a
            # RegexValidator's default), and a field message would hide their precise text.
            continue
        if code in ours or current is None or current is defaults.get(code):
            field.error_messages[code] = _(template).replace("{label}", label)
            ours.add(code)
    field._plain_codes = ours  # remembered, so that a later label change applies
    _plain_empty_choice(field)
    if isinstance(field, forms.DateField):
        field.validators = [v for v in field.validators if not isinstance(v, DateRangeValidator)]
        field.validators.append(DateRangeValidator(label))
        field.widget.attrs.setdefault("min", DATE_MIN.isoformat())
        field.widget.attrs.setdefault("max", date_max().isoformat())
    elif isinstance(field.widget, forms.Textarea):
        field.widget.attrs.setdefault("data-draft", "")
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        field.widget.attrs.setdefault("inputmode", "decimal")
    elif isinstance(field, forms.IntegerField):
        field.widget.attrs.setdefault("inputmode", "numeric")


# Widgets are drawn by Django's Jinja2 templates of them (the same HTML as its own): a select of
# 20 departments took 2.8 ms in the Django template language and 1.5 ms in Jinja2, on the filter
# form of every list page (issue 11). One renderer for the process: it holds the Jinja2
# environment and its compiled templates. The admin keeps Django's renderer (its widgets have
# no Jinja2 templates); the pages themselves stay Django templates.
WIDGETS = Jinja2()


class PlainFormMixin:
    """Plain messages, date bounds, inputmode and drafts for every field (see the module)."""

    fields: dict[str, forms.Field]
    default_renderer = WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plain_messages()

    def plain_messages(self) -> None:
        for name, field in self.fields.items():
            plain_messages(name, field)

    def full_clean(self) -> None:
        self.plain_messages()  # again: a form may have relabelled a field after __init__
        super().full_clean()


class PlainForm(PlainFormMixin, forms.Form):
    """A plain form, e.g. the base of a FilterSet's form (`class Meta: form = PlainForm`)."""
