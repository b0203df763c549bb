"""Limits on submissions (reports and "me too"), shared by the HTML form and the API.

Three rates from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]:
- anon_submit (ANON_SUBMIT_RATE): anonymous submissions per client address;
- anon_submit_global (ANON_SUBMIT_GLOBAL_RATE): all anonymous submissions together, a ceiling
  against one sender with many addresses;
- resident_submit (RESIDENT_SUBMIT_RATE): per logged-in resident. Staff (anyone with a role)
  are not limited here: their work is filing on others' behalf.

The client address comes from yima_gov.client_ip (REMOTE_ADDR and NUM_PROXIES), never from a
header the client writes. Counted in the shared cache, so every web process counts together; when
the cache is down the counts read as empty and the limits let requests through (fail open).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from yima_gov.client_ip import client_ip

THROTTLED_MESSAGE = _("提交过于频繁，请稍后再试。")


class _SubmitThrottle(SimpleRateThrottle):
    def get_ident(self, request):
        return client_ip(request)

    def throttle_failure(self) -> bool:
        return False


class AnonSubmitThrottle(_SubmitThrottle):
    """Anonymous submissions from one client address."""

    scope = "anon_submit"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AnonSubmitGlobalThrottle(_SubmitThrottle):
    """All anonymous submissions together."""

    scope = "anon_submit_global"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": "all"}


class ResidentSubmitThrottle(_SubmitThrottle):
    """One logged-in resident's submissions (accounts without a role)."""

    scope = "resident_submit"

    def get_cache_key(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or _is_staff(user):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


def _is_staff(user) -> bool:
    # Any role beyond resident (grid worker, unit staff, dispatcher, official, administrator).
    return len(user.roles) > 1


class SubmitThrottle(BaseThrottle):
    """The three limits in order, stopping at the first refusal: the per-client and per-resident
    limits are checked before the global ceiling, so a sender already refused does not use up
    everyone else's share. What an API view that files a report or a "me too" throttles with."""

    limits = (AnonSubmitThrottle, ResidentSubmitThrottle, AnonSubmitGlobalThrottle)

    def __init__(self):
        self._wait = None

    def allow_request(self, request, view) -> bool:
        for limit in self.limits:
            throttle = limit()
            if not throttle.allow_request(request, view):
                self._wait = throttle.wait()
                return False
        return True

    def wait(self):
        return self._wait


def check_submit(request) -> None:
    """Count one submission by this request's sender (a Django request, for the HTML pages);
    raise Throttled when over a limit."""
    throttle = SubmitThrottle()
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait(), detail=str(THROTTLED_MESSAGE))
