"""Slows down repeated failed logins for one phone number from one client, before axes locks it.

After LOGIN_SLOWDOWN_AFTER failures in a row, each further attempt must come at least a growing
delay after the previous failure (LOGIN_SLOWDOWN_SECONDS, then twice that, … at most a minute);
an attempt that comes sooner is refused without checking the password, so guessing gets slow long
before axes locks the pair at AXES_FAILURE_LIMIT failures. A success clears the count.

Counted per (phone number, client address) — the same pair axes locks — so that a stranger's wrong
passwords slow down the stranger, not the account's owner at their own desk. The client address
is yima_gov.client_ip's (REMOTE_ADDR and NUM_PROXIES), never a header the client writes.

Enforced by accounts.backends.SlowedDownModelBackend, which every password path (the login form,
the admin's login) goes through; failures and successes are counted by accounts.receivers.
Counted in the shared cache (Redis in production), so every web process sees the same count. The
read-then-write is not atomic: two simultaneous failures may count as one, which only matters to
an attacker already limited by axes' exact count in the database.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from yima_gov.client_ip import client_ip

MAX_DELAY_SECONDS = 60

# The clock, replaceable in tests.
clock = time.time


def _key(phone: str, client: str) -> str:
    # Hashed: a phone number typed with spaces or symbols must not break the cache key.
    digest = hashlib.sha256(f"{phone}\0{client}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def client_of(request) -> str:
    return client_ip(request) if request is not None else ""


def _delay(failures: int) -> float:
    if failures < settings.LOGIN_SLOWDOWN_AFTER:
        return 0.0
    steps = failures - settings.LOGIN_SLOWDOWN_AFTER
    return min(settings.LOGIN_SLOWDOWN_SECONDS * 2**steps, MAX_DELAY_SECONDS)


def wait_seconds(phone: str, client: str) -> int:
    """How many seconds this pair must still wait before its next attempt (0: none)."""
    state = cache.get(_key(phone, client))
    if not state:
        return 0
    remaining = state["last"] + _delay(state["failures"]) - clock()
    return max(0, math.ceil(remaining))


def record_failure(phone: str, client: str) -> None:
    state = cache.get(_key(phone, client)) or {"failures": 0}
    state = {"failures": state["failures"] + 1, "last": clock()}
    # Forgotten with axes' lock: after the cool-off a person starts afresh.
    cache.set(_key(phone, client), state, timeout=int(settings.AXES_COOLOFF_TIME * 3600))


def reset(phone: str, client: str) -> None:
    cache.delete(_key(phone, client))
