"""The retry policy every Celery task of the project shares.

Retry only what may pass by itself: the database restarting or failing over. Anything else is a
bug, and retrying it would only repeat it. Backoff 2, 4, 8… seconds (jittered), at most 5 tries.
"""

from django.db import InterfaceError, OperationalError

TRANSIENT_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}
