from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from config.forms import PlainFormMixin

PASSWORD_HELP = _("至少 8 个字符；不能全是数字，不能是常见密码，也不能与您的姓名或登录名太相似。")


class LoginForm(PlainFormMixin, AuthenticationForm):
    """Django's form with Chinese labels and messages. Sign-in names are case-insensitive
    (members.models.PeopleManager); passwords are not."""

    error_messages = {
        "invalid_login": _("登录名或密码不正确。密码区分大小写，登录名不区分。"),
        "inactive": _("该账号已停用，请联系支部书记。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("登录名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget = forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        )


class PasswordChangeForm(PlainFormMixin, auth_forms.PasswordChangeForm):
    """Django's form, refusing a new password equal to the old one (the one-time password, too)."""

    error_messages = {
        "password_mismatch": _("两次输入的新密码不一致，请重新输入。"),
        "password_incorrect": _("原密码不正确，请重新输入。"),
        "password_unchanged": _("新密码不能与原密码相同，请另设一个。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = ""

    @sensitive_variables("old_password", "new_password")
    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        old_password = cleaned_data.get("old_password")
        new_password = cleaned_data.get("new_password1")
        # old_password is only in cleaned_data when it was right, so comparing strings suffices.
        if old_password and new_password and constant_time_compare(old_password, new_password):
            self.add_error(
                "new_password1",
                ValidationError(
                    self.error_messages["password_unchanged"], code="password_unchanged"
                ),
            )
        return cleaned_data
