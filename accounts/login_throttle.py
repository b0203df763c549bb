"""Slows down repeated failed logins for one phone number, before django-axes locks it.

After LOGIN_SLOWDOWN_AFTER failures in a row, each further attempt must come at least a growing
delay after the previous failure (LOGIN_SLOWDOWN_SECONDS, then twice that, … at most a minute);
an attempt that comes sooner is refused without checking the password, so guessing gets slow long
before axes locks the number at AXES_FAILURE_LIMIT failures. A success clears the count.

Counted in the shared cache (Redis in production), so every web process sees the same count. The
read-then-write is not atomic: two simultaneous failures may count as one, which only matters to
an attacker already limited by axes' exact count in the database.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

MAX_DELAY_SECONDS = 60

# The clock, replaceable in tests.
clock = time.time


def _key(phone: str) -> str:
    return f"login-failures:{phone}"


def _delay(failures: int) -> float:
    if failures < settings.LOGIN_SLOWDOWN_AFTER:
        return 0.0
    steps = failures - settings.LOGIN_SLOWDOWN_AFTER
    return min(settings.LOGIN_SLOWDOWN_SECONDS * 2**steps, MAX_DELAY_SECONDS)


def wait_seconds(phone: str) -> int:
    """How many seconds this phone number must still wait before its next attempt (0: none)."""
    state = cache.get(_key(phone))
    if not state:
        return 0
    remaining = state["last"] + _delay(state["failures"]) - clock()
    return max(0, math.ceil(remaining))


def record_failure(phone: str) -> None:
    state = cache.get(_key(phone)) or {"failures": 0}
    state = {"failures": state["failures"] + 1, "last": clock()}
    # Forgotten with axes' lock: after the cool-off a person starts afresh.
    cache.set(_key(phone), state, timeout=int(settings.AXES_COOLOFF_TIME * 3600))


def reset(phone: str) -> None:
    cache.delete(_key(phone))
