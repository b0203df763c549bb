"""Extension requests (延期): a unit asks for more hours, the dispatcher decides."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle
from dispatch.actions.bookkeeping import (
    record_decision,
    save_task,
    save_ticket,
    set_due_times,
)
from dispatch.actions.guards import (
    DISPATCHER,
    MAX_EXTENSION_HOURS,
    clean_text,
    require_dispatcher,
    require_member,
)
from dispatch.actions.locking import lock_pending_request, lock_task
from dispatch.actions.notifications import notify_dispatchers, notify_unit, task_url
from dispatch.errors import SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import (
    OPEN_TASK_STATUSES,
    Extension,
    Task,
)


def request_extension(*, task: Task, actor: User, hours: int, reason: str) -> Extension:
    """延期申请: the unit asks the dispatcher for more (working) hours."""
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明延期理由。")
    )
    if not isinstance(hours, int) or not 0 < hours <= MAX_EXTENSION_HOURS:
        raise SubmissionError(
            gettext_lazy("延期时长应在 1 到 720 小时之间。"), field="hours", code="bad_hours"
        )
    with transaction.atomic():
        report, task = lock_task(task)
        require_member(actor, task.unit)
        lifecycle.refuse_unless(lifecycle.REQUEST_EXTENSION, report, task)
        if task.extensions.filter(status=Extension.Status.PENDING).exists():
            raise TransitionRefused(gettext_lazy("该任务已有待审批的延期申请。"))
        extension = Extension.objects.create(
            task=task, hours=hours, reason=reason, requested_by=actor
        )
        record(
            report=report,
            kind=Kind.EXTENSION_REQUESTED,
            actor=actor,
            actor_label=task.unit.name,
            note=reason,
            public=False,
            data={"task": task.id, "extension": extension.id, "hours": hours},
        )
        notify_dispatchers(
            kind="extension_requested",
            title=_("%(unit)s 申请延期 %(hours)s 小时：%(number)s")
            % {"unit": task.unit.name, "hours": hours, "number": report.number},
            body=reason,
        )
    return extension


def _decide_extension(*, extension: Extension, actor: User, approve: bool, note: str) -> Extension:
    require_dispatcher(actor)
    with transaction.atomic():
        report, task, extension = lock_pending_request(
            Extension, extension.id, decided_message=gettext_lazy("该延期申请已经审批过了。")
        )
        now = timezone.now()
        record_decision(extension, actor=actor, approve=approve, note=note, now=now)
        data = {"task": task.id, "extension": extension.id, "hours": extension.hours}
        if approve:
            if task.status not in OPEN_TASK_STATUSES:
                raise TransitionRefused(gettext_lazy("任务已结束，不能延期。"))
            task.extended_hours += extension.hours
            set_due_times(task)
            # The new deadline starts its own reminders; those already past stay claimed.
            for claim, due in (
                ("reminded_at", task.remind_due_at),
                ("overdue_at", task.deadline),
                ("official_listed_at", task.official_due_at),
            ):
                if getattr(task, claim) is not None and due > now:
                    setattr(task, claim, None)
            save_task(
                task,
                "extended_hours",
                "remind_due_at",
                "deadline",
                "official_due_at",
                "reminded_at",
                "overdue_at",
                "official_listed_at",
            )
            # The one thing that moves the ticket's clock: an approved extension.
            if report.deadline is None or task.deadline > report.deadline:
                report.deadline = task.deadline
                save_ticket(report, "deadline")
            if report.overdue_at is not None and report.deadline and report.deadline > now:
                if not report.tasks.filter(
                    status__in=OPEN_TASK_STATUSES, deadline__lte=now
                ).exists():
                    report.overdue_at = None
                    save_ticket(report, "overdue_at")
            data["deadline"] = task.deadline.isoformat()
        record(
            report=report,
            kind=Kind.EXTENSION_APPROVED if approve else Kind.EXTENSION_REFUSED,
            actor=actor,
            actor_label=label(DISPATCHER),
            note=note,
            public=False,
            data=data,
        )
        title = (
            _("延期申请已批准：%(number)s") if approve else _("延期申请未批准：%(number)s")
        ) % {"number": report.number}
        notify_unit(task.unit, kind="extension_decided", title=title, body=note, url=task_url(task))
    return extension


def approve_extension(*, extension: Extension, actor: User, note: str = "") -> Extension:
    note = clean_text(note, field="note", required=False, message="")
    return _decide_extension(extension=extension, actor=actor, approve=True, note=note)


def refuse_extension(*, extension: Extension, actor: User, note: str = "") -> Extension:
    note = clean_text(note, field="note", required=False, message="")
    return _decide_extension(extension=extension, actor=actor, approve=False, note=note)
