"""Pluggable SMS delivery. settings.SMS_BACKEND names a class with send(phone, text)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("yima.sms")


class ConsoleSmsBackend:
    """Writes messages to the log; the default, like Django's console e-mail backend."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend:
    """Keeps messages in memory for tests: LocmemSmsBackend.outbox."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)
