from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's form with Chinese labels and messages."""

    error_messages = {
        "invalid_login": _("登录名或密码不正确。注意区分大小写。"),
        "inactive": _("该账号已停用，请联系支部书记。"),
    }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("登录名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget = forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        )
