"""Counts login failures and successes for the slow-down (accounts/login_throttle.py).

Connected to django.contrib.auth's signals, which authenticate() and login() send for every
password path, so the count cannot be skipped by logging in somewhere other than the form.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts import login_throttle
from accounts.backends import SLOWED_DOWN_ATTR, phone_from


@receiver(user_login_failed, dispatch_uid="accounts.login_failed_slowdown")
def count_failure(sender, credentials, request=None, **kwargs):
    phone = phone_from(credentials)
    if not phone or getattr(request, SLOWED_DOWN_ATTR, 0):
        # Refused for coming too soon: the password was not even checked.
        return
    login_throttle.record_failure(phone, login_throttle.client_of(request))


@receiver(user_logged_in, dispatch_uid="accounts.logged_in_slowdown")
def clear_failures(sender, request, user, **kwargs):
    if request is not None:
        login_throttle.reset(user.get_username(), login_throttle.client_of(request))
