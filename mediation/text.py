"""Free-text input of this app's actions: trimmed, required or not, bounded."""

from django.utils.translation import gettext_lazy

from reports.errors import SubmissionError


def clean_text(value, *, field: str, limit: int, required: bool, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise SubmissionError(message or gettext_lazy("此项必填。"), field=field, code="required")
    if len(value) > limit:
        raise SubmissionError(
            gettext_lazy("内容不能超过 %(n)s 个字。") % {"n": limit}, field=field, code="too_long"
        )
    return value
