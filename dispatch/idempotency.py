"""Idempotency-Key for the dispatcher's API: a queued action replayed after a lost answer is
applied once.

A client (the offline worklist's queue) sends `Idempotency-Key: <uuid>` with a POST. The first
request claims the key by inserting its ActionReceipt in the same transaction as the action; a
successful answer is stored on the receipt and committed with the action's rows. A later request
with the same key (same person) gets the stored answer, marked `Idempotent-Replayed: true`, and the
action does not run again. A concurrent duplicate waits on the receipt's unique index until the
first commits, then replays its answer.

A refused or failed request rolls back its receipt with the action, so the key can be retried.
The same key on another operation is refused (422), as is a key that is not a UUID (400).
Without the header a request runs as before. Receipts are kept RECEIPT_DAYS days
(`dispatch.prune_action_receipts`, daily), longer than a phone keeps an unsent queue.
"""

import datetime as dt
import functools
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from dispatch.models import ActionReceipt

HEADER = "Idempotency-Key"
RECEIPT_DAYS = 30
REPLAYED_HEADER = "Idempotent-Replayed"


def _key(request) -> uuid.UUID | None | Response:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        return Response(
            {"detail": _("Idempotency-Key 须为 UUID。"), "code": "idempotency_key"},
            status=status.HTTP_400_BAD_REQUEST,
        )


def _replay(receipt: ActionReceipt, request) -> Response:
    if receipt.method != request.method or receipt.path != request.path:
        return Response(
            {
                "detail": _("该 Idempotency-Key 已用于另一项操作。"),
                "code": "idempotency_key_reused",
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(receipt.body, status=receipt.status, headers={REPLAYED_HEADER: "true"})


def idempotent(handler):
    """Wrap a DRF handler (post) so that it honours Idempotency-Key for logged-in people."""

    @functools.wraps(handler)
    def wrapped(view, request, *args, **kwargs):
        key = _key(request)
        if isinstance(key, Response):
            return key
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        done = ActionReceipt.objects.filter(user=request.user, key=key).first()
        if done is not None:
            return _replay(done, request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    receipt = ActionReceipt.objects.create(
                        user=request.user,
                        key=key,
                        method=request.method,
                        path=request.path[:300],
                        status=0,
                    )
            except IntegrityError:
                # A duplicate raced us and committed first: its answer is the answer.
                return _replay(ActionReceipt.objects.get(user=request.user, key=key), request)
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                receipt.status = response.status_code
                receipt.body = response.data
                receipt.save(update_fields=["status", "body"])
            else:
                # Refused (409) or rejected (400/403): nothing happened, the key stays free.
                transaction.set_rollback(True)
            return response

    wrapped.idempotent = True
    return wrapped


def prune_receipts(*, now=None) -> int:
    """Delete receipts older than RECEIPT_DAYS; a replay that late runs as a new request."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=RECEIPT_DAYS)
    deleted, _ = ActionReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted
