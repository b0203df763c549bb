from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.backends import SLOWED_DOWN_ATTR


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
        "slowed_down": _("登录失败次数过多，请 %(seconds)s 秒后再试。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            # The backend refused without checking the password: say how long to wait.
            seconds = getattr(self.request, SLOWED_DOWN_ATTR, 0)
            if seconds and exc.code == "invalid_login":
                raise ValidationError(
                    self.error_messages["slowed_down"],
                    code="slowed_down",
                    params={"seconds": seconds},
                ) from None
            raise
