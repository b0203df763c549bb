"""The deadline watch: reminders, supervision and officials' lists for tasks and on-site checks
that run late (run by Celery beat).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import actions as account_actions
from accounts.models import User
from dispatch import membership
from dispatch.actions.bookkeeping import touch_ticket
from dispatch.actions.guards import (
    SYSTEM,
)
from dispatch.actions.notifications import (
    notify_dispatchers,
    notify_unit,
    task_url,
)
from dispatch.events import Kind, label, record
from dispatch.models import (
    OPEN_TASK_STATUSES,
    Task,
    Unit,
)
from reports.models import AT_WORK_STATUSES, Report, Status

WATCHED_REPORT_STATUSES = AT_WORK_STATUSES


def _due(claim: str, due: str, now: dt.datetime) -> list[int]:
    return list(
        Task.objects.filter(
            status__in=OPEN_TASK_STATUSES,
            report__status__in=WATCHED_REPORT_STATUSES,
            **{claim: None, f"{due}__lte": now},
        )
        .order_by(due)
        .values_list("id", flat=True)[:500]
    )


def _claim(task_id: int, claim: str, now: dt.datetime) -> Task | None:
    """Claim one reminder: the conditional update succeeds for exactly one watcher, and its row
    lock holds the others until this transaction commits (then they see the claim taken).

    The ticket is locked first, as every action does (ticket, then task): a watcher and a unit
    accepting the same task at that moment wait for each other instead of deadlocking."""
    report_id = Task.objects.filter(id=task_id).values_list("report_id", flat=True).first()
    if report_id is None:
        return None
    Report.objects.select_for_update().filter(id=report_id).values_list("id", flat=True).first()
    claimed = Task.objects.filter(
        id=task_id,
        status__in=OPEN_TASK_STATUSES,
        report__status__in=WATCHED_REPORT_STATUSES,
        **{claim: None},
    ).update(**{claim: now})
    if claimed != 1:
        return None
    touch_ticket(report_id, now=now)
    return Task.objects.select_related("unit", "report").get(id=task_id)


def remind_task(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """催办 at 75% of the time: the unit's people are reminded. Exactly once per time limit."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _claim(task_id, "reminded_at", now)
        if task is None:
            return False
        report = task.report
        notify_unit(
            task.unit,
            kind="task_reminder",
            title=_("催办：%(number)s 将于 %(deadline)s 到期")
            % {
                "number": report.number,
                "deadline": timezone.localtime(task.deadline).strftime("%m-%d %H:%M"),
            },
            url=task_url(task),
        )
        record(
            report=report,
            kind=Kind.TASK_REMINDED,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"task": task.id, "unit": task.unit.code},
        )
    return True


def supervise_overdue_task(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """督办 at the deadline: the unit's head and the dispatchers are told; the ticket is overdue."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _claim(task_id, "overdue_at", now)
        if task is None:
            return False
        report = task.report
        Report.objects.filter(id=report.id, overdue_at=None).update(overdue_at=now)
        title = _("督办：%(number)s（%(unit)s）已超期") % {
            "number": report.number,
            "unit": task.unit.name,
        }
        notify_unit(
            task.unit, kind="task_overdue", title=title, url=task_url(task), heads_only=True
        )
        notify_dispatchers(kind="task_overdue", title=title)
        record(
            report=report,
            kind=Kind.TASK_OVERDUE,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"task": task.id, "unit": task.unit.code},
        )
    return True


def _officials_in_scope(report: Report) -> list[User]:
    """City officials, and the leaders of the ticket's 街道."""
    return list(
        User.objects.filter(is_official=True, is_active=True).filter(
            Q(street_leadership__isnull=True) | Q(street_leadership__street_id=report.street_id)
        )
    )


def list_task_for_officials(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """At twice the time the task joins the officials' overdue list (Task.official_listed_at) and
    the officials in scope (the city's, the ticket's 街道 leaders) are told."""
    now = now or timezone.now()
    with transaction.atomic():
        task = _claim(task_id, "official_listed_at", now)
        if task is None:
            return False
        report = task.report
        title = _("领导督办：%(number)s（%(unit)s）超过时限一倍") % {
            "number": report.number,
            "unit": task.unit.name,
        }
        url = reverse("dispatch:ticket", args=[report.number])
        for person in _officials_in_scope(report):
            account_actions.notify(
                recipient=person, kind="task_listed_for_officials", title=title, url=url
            )
        record(
            report=task.report,
            kind=Kind.TASK_LISTED_FOR_OFFICIALS,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"task": task.id, "unit": task.unit.code},
        )
    return True


def _claim_check(report_id: int, claim: str, due: str, now: dt.datetime) -> Report | None:
    """Claim one check reminder on a handled ticket, exactly once (as _claim does for tasks)."""
    claimed = Report.objects.filter(
        id=report_id, status=Status.HANDLED, **{claim: None, f"{due}__lte": now}
    ).update(**{claim: now, "updated_at": now})
    if claimed != 1:
        return None
    return Report.objects.select_related("grid").get(id=report_id)


def _grid_workers(report: Report) -> list[User]:
    team = Unit.objects.filter(grid_id=report.grid_id).first()
    return list(membership.members(team)) if team else []


def remind_check(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """催办 of the on-site check at 75% of its limit: the grid's workers are reminded. Once."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _claim_check(report_id, "check_reminded_at", "check_remind_due_at", now)
        if report is None:
            return False
        title = _("待核查：%(number)s 请于 %(due)s 前现场核查") % {
            "number": report.number,
            "due": timezone.localtime(report.check_due_at).strftime("%m-%d %H:%M"),
        }
        url = reverse("dispatch:ticket", args=[report.number])
        for person in _grid_workers(report):
            account_actions.notify(recipient=person, kind="check_reminder", title=title, url=url)
        record(
            report=report,
            kind=Kind.CHECK_REMINDED,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"check_due_at": report.check_due_at.isoformat()},
        )
    return True


def supervise_overdue_check(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """督办 of the on-site check at its limit: the grid's workers and the dispatchers are told."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _claim_check(report_id, "check_overdue_at", "check_due_at", now)
        if report is None:
            return False
        title = _("督办：%(number)s 超过核查时限未核查") % {"number": report.number}
        url = reverse("dispatch:ticket", args=[report.number])
        for person in _grid_workers(report):
            account_actions.notify(recipient=person, kind="check_overdue", title=title, url=url)
        notify_dispatchers(kind="check_overdue", title=title)
        record(
            report=report,
            kind=Kind.CHECK_OVERDUE,
            actor=None,
            actor_label=label(SYSTEM),
            public=False,
            data={"check_due_at": report.check_due_at.isoformat()},
        )
    return True


def watch_checks(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the check watch over handled tickets; how many of each step it performed."""
    now = now or timezone.now()
    done = {"check_reminded": 0, "check_overdue": 0}
    handled = Report.objects.filter(status=Status.HANDLED)
    for report_id in handled.filter(
        check_reminded_at=None, check_remind_due_at__lte=now
    ).values_list("id", flat=True)[:500]:
        done["check_reminded"] += remind_check(report_id=report_id, now=now)
    for report_id in handled.filter(check_overdue_at=None, check_due_at__lte=now).values_list(
        "id", flat=True
    )[:500]:
        done["check_overdue"] += supervise_overdue_check(report_id=report_id, now=now)
    return done


def watch_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass of the deadline watch; returns how many of each step this pass performed."""
    now = now or timezone.now()
    done = {"reminded": 0, "overdue": 0, "official": 0}
    for task_id in _due("reminded_at", "remind_due_at", now):
        done["reminded"] += remind_task(task_id=task_id, now=now)
    for task_id in _due("overdue_at", "deadline", now):
        done["overdue"] += supervise_overdue_task(task_id=task_id, now=now)
    for task_id in _due("official_listed_at", "official_due_at", now):
        done["official"] += list_task_for_officials(task_id=task_id, now=now)
    return done
