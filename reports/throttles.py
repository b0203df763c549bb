"""The limit on anonymous submissions per client address, shared by the HTML form and the API.

The rate is settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon_submit"] (ANON_SUBMIT_RATE),
counted in the cache, so every web node counts together. Logged-in residents are not limited here.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle

THROTTLED_MESSAGE = _("提交过于频繁，请稍后再试。")


class AnonSubmitThrottle(AnonRateThrottle):
    scope = "anon_submit"

    def throttle_failure(self) -> bool:
        return False


def check_anon_submit(request) -> None:
    """Count one anonymous submission from this address; raise Throttled when over the limit."""
    throttle = AnonSubmitThrottle()
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait(), detail=str(THROTTLED_MESSAGE))
