"""Who may fetch a report's photo: signed URLs, served by reports.photo_views.

Photos are not under a public /media/ URL. Each page or API answer that shows a photo has
already checked that its reader may see the ticket (the tracking token, the reporter, the staff
of its grid or units, the public list for public reports), and links the photo with a URL signed
for that photo and variant ("original" or "thumb") until an expiry; the photo view serves the file
only against a valid, unexpired signature. The one exception: the thumbnail of a report the public
list shows (reports.selectors.publicly_visible) is served to anyone, so that it may be cached.

The expiry is rounded up to the hour, so one page's URLs stay the same for a while and the
browser's cache works; a URL lives between PHOTO_URL_MAX_AGE and an hour more.
"""

import math
import time

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

VARIANTS = ("original", "thumb")
_SALT = "reports.photo_access"
_ROUND = 3600

# The clock, replaceable in tests.
clock = time.time


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT)


def _value(photo_id: int, variant: str, expires: int) -> str:
    return f"{photo_id}.{variant}.{expires}"


def signed_query(photo_id: int, variant: str) -> str:
    expires = math.ceil((clock() + settings.PHOTO_URL_MAX_AGE) / _ROUND) * _ROUND
    signature = _signer().signature(_value(photo_id, variant, expires))
    return f"e={expires}&s={signature}"


def signed_url(photo, variant: str = "original") -> str:
    """The URL under which whoever gets it may fetch `photo`'s `variant` until it expires."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown photo variant {variant!r}")
    path = reverse("reports:photo", args=[photo.pk, variant])
    return f"{path}?{signed_query(photo.pk, variant)}"


def signature_valid(photo_id: int, variant: str, expires: str, signature: str) -> bool:
    """Whether (expires, signature) from a URL were made by signed_url and have not expired."""
    try:
        expires_at = int(expires)
    except (TypeError, ValueError):
        return False
    if expires_at < clock():
        return False
    expected = _signer().signature(_value(photo_id, variant, expires_at))
    return constant_time_compare(expected, signature or "")
