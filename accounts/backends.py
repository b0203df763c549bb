"""The password check every login path goes through (settings.AUTHENTICATION_BACKENDS).

Django's ModelBackend with the slow-down of accounts/login_throttle.py in front: an attempt that
comes too soon after the last failures of this (phone number, client) pair is refused before the
password is checked. Being a backend, not a form, it holds for the login page, the admin's login
and any future path that calls django.contrib.auth.authenticate() — the API has no password
path (no HTTP Basic). axes' backend, listed before this one, refuses a locked pair.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import login_throttle

# Set on the request when this backend refused an attempt, for the form's message and so that
# the refusal itself does not count as one more failure.
SLOWED_DOWN_ATTR = "yima_login_wait_seconds"


def phone_from(credentials: dict) -> str:
    username_field = get_user_model().USERNAME_FIELD
    phone = credentials.get("username") or credentials.get(username_field) or ""
    return str(phone).strip()


class SlowedDownModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        phone = phone_from({"username": username, **kwargs})
        if phone:
            seconds = login_throttle.wait_seconds(phone, login_throttle.client_of(request))
            if seconds:
                if request is not None:
                    setattr(request, SLOWED_DOWN_ATTR, seconds)
                # PermissionDenied stops django.contrib.auth.authenticate() at once: no later
                # backend checks the password either.
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
