"""Writes of the accounts app. Each runs in one transaction; deliveries go out after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import ConfigChange, Notification, User
from accounts.sms import send_sms


def notify(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    sms: bool = False,
) -> Notification:
    """Put a message in the recipient's inbox; copy it by e-mail (when they gave one) and SMS."""
    with transaction.atomic():
        note = Notification.objects.create(
            recipient=recipient, kind=kind, title=title, body=body, url=url
        )
        if email and recipient.email:
            address = recipient.email
            transaction.on_commit(
                lambda: send_mail(
                    title,
                    f"{body}\n{url}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )
            )
        if sms and recipient.phone:
            phone = recipient.phone
            transaction.on_commit(lambda: send_sms(phone, f"{title} {url}".strip()))
    return note


def mark_read(*, recipient: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of a person's unread messages read; returns how many changed."""
    unread = Notification.objects.filter(recipient=recipient, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(id__in=notification_ids)
    return unread.update(read_at=timezone.now())


def record_config_change(
    *,
    actor: User | None,
    instance=None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    action: str,
    changes: dict | None = None,
):
    """Append one configuration audit row (accounts.models.ConfigChange): who, when, what,
    old → new. `instance` names the object; or `model`/`object_id`/`object_repr` when there is
    none (a whole year's calendar loaded)."""
    if instance is not None:
        model = model or instance._meta.label_lower
        object_id = object_id or str(instance.pk or "")
        object_repr = object_repr or str(instance)
    label = ""
    if actor is not None and actor.is_authenticated:
        label = f"{actor.name or ''} {actor.phone}".strip()
    return ConfigChange.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=label[:200],
        model=model,
        object_id=object_id[:64],
        object_repr=object_repr[:200],
        action=action,
        changes=changes or {},
    )
