from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class PhoneLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("手机号"),
        max_length=11,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "username"}
        ),
    )
    error_messages = {
        "invalid_login": _("手机号或密码不正确。"),
        "inactive": _("该账户已停用。"),
    }
