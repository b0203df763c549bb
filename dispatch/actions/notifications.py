"""Telling people about a ticket: the units' staff, the dispatchers and the reporter (inside the
transaction; e-mail/SMS copies leave after commit).
"""

from django.urls import NoReverseMatch, reverse

from accounts import actions as account_actions
from accounts.models import User
from dispatch import membership
from dispatch.models import (
    Task,
    Unit,
)
from reports.models import Report


def task_url(task: Task) -> str:
    try:
        return reverse("dispatch:task", args=[task.id])
    except NoReverseMatch:
        return ""


def notify_unit(
    unit: Unit, *, kind: str, title: str, body: str = "", url: str = "", heads_only: bool = False
) -> int:
    sent = 0
    for person in membership.members(unit, heads_only=heads_only):
        account_actions.notify(recipient=person, kind=kind, title=title, body=body, url=url)
        sent += 1
    return sent


def notify_dispatchers(*, kind: str, title: str, body: str = "") -> None:
    for person in User.objects.filter(is_dispatcher=True, is_active=True):
        account_actions.notify(recipient=person, kind=kind, title=title, body=body)


def tell_reporter(report: Report, title: str, body: str = "") -> None:
    try:
        from reports.actions import notify_reporter
    except ImportError:  # the reports app without resident notifications
        return
    notify_reporter(report=report, title=title, body=body)


def ticket_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("dispatch:ticket", args=[report.number])
