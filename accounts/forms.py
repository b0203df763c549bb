from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import login_throttle


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
        phone = (self.cleaned_data.get("username") or "").strip()
        if phone and (seconds := login_throttle.wait_seconds(phone)):
            # Refused before the password is checked: too soon after the last failure.
            raise ValidationError(
                self.error_messages["slowed_down"], code="slowed_down", params={"seconds": seconds}
            )
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if phone and exc.code == "invalid_login":
                login_throttle.record_failure(phone)
            raise
        if phone:
            login_throttle.reset(phone)
        return cleaned
