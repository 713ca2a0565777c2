"""Validators of people's data: one definition each, used by the model, the forms and the import."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A mainland mobile number: 11 digits starting 13–19.
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
# Codes of our own: a form's "invalid" message must not replace these (config/forms.py).
phone_validator = RegexValidator(
    PHONE_RE.pattern, gettext_lazy("请输入11位手机号码，如 13912345678。"), code="invalid_phone"
)


# Django's UnicodeUsernameValidator, with a message a secretary understands.
username_validator = RegexValidator(
    r"^[\w.@+-]+\Z",
    gettext_lazy("登录名只能包含字母、数字和 @ . + - _，不能有空格或其他符号。"),
    code="invalid_username",
)


def is_phone(text: str) -> bool:
    return PHONE_RE.match(text) is not None


class MinimumLengthValidator(DjangoMinimumLength):
    """Django's rule with a Chinese message (its zh-hans catalogue lacks this plural form)."""

    def validate(self, password: str, user: object = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短，至少需要 %(min_length)d 个字符。"),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}
