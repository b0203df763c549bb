"""Idempotency keys of the report form, and who may see the ticket a replayed key returns.

A retried submission (a phone on a flaky connection sending the form twice) carries the same key
and gets the first ticket back instead of a second one. The key must come from the submitter's own
request: the report page generates it and remembers it in the browser's session, never takes it
from the URL (a link with a key in it would let its author replay the victim's submission).

A replay of an anonymous report answers with its number to anyone who presents the key, but with
its tracking token — the credential for the report's contact details, rating and reopening — only
when the key belongs to this browser session: issued to it by the report page, or first used from
it through the API.
"""

import uuid

SESSION_KEY = "report_submission_keys"
# Enough for a resident who opens the form in several tabs; the oldest are forgotten first.
MAX_KEYS = 20


def _keys(request) -> list[str]:
    session = getattr(request, "session", None)
    if session is None:
        return []
    return list(session.get(SESSION_KEY, []))


def remember(request, key) -> None:
    """Note that this browser session holds `key`."""
    session = getattr(request, "session", None)
    if session is None or not key:
        return
    key = str(key)
    keys = [k for k in _keys(request) if k != key]
    keys.append(key)
    session[SESSION_KEY] = keys[-MAX_KEYS:]


def issue(request) -> str:
    """A fresh key for a report form this session is about to show."""
    key = str(uuid.uuid4())
    remember(request, key)
    return key


def held_by(request, key) -> bool:
    """Whether this browser session was given or first used `key`."""
    return bool(key) and str(key) in _keys(request)


def may_see_token(request, report, key) -> bool:
    """Whether the answer to a submission with `key` may carry `report`'s tracking token.

    A new report: yes. A replay: to its logged-in reporter (actions refuse anyone else), or, for
    an anonymous report, only to the browser session that holds the key."""
    if not getattr(report, "replayed", False):
        return True
    if report.reporter_id is not None:
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.pk == report.reporter_id)
    return held_by(request, key)
