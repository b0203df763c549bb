"""The client's address, for every limit (submission throttles, the login lock).

Taken from REMOTE_ADDR and the number of proxies the deployment declares (settings.NUM_PROXIES,
from the environment): with N trusted proxies in front of the app, the client is the N-th address
from the right of X-Forwarded-For, the one our own outermost proxy appended. Anything further left
was written by the client and is never believed. With NUM_PROXIES=0 (the default) the header is
ignored altogether, so a client cannot pick a fresh identity per request by forging it.
"""

from django.conf import settings


def client_ip(request) -> str:
    """The address of whoever sent `request` (a Django or DRF request)."""
    meta = getattr(request, "META", None) or {}
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = settings.NUM_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # As DRF's throttles count with the same NUM_PROXIES (fewer hops: the leftmost).
    return forwarded[-min(proxies, len(forwarded))]
