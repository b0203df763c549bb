from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mainland China mobile numbers: 11 digits starting with 1 and a second digit 3-9.
phone_validator = RegexValidator(
    regex=r"^1[3-9]\d{9}$",
    message=_("请输入11位中国大陆手机号码。"),
)


def mask_phone(phone: str) -> str:
    """138****1234: what people without a need to call back see."""
    if not phone or len(phone) < 7:
        return phone or ""
    return f"{phone[:3]}****{phone[-4:]}"
