"""The dispatcher corrects a ticket's category (a resident chose 路灯 for a fallen cable, say) and the
ticket is routed again by the rules of the new category. Same rules as dispatch.actions: one
transaction, the ticket locked, one timeline event that records both categories."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle, routing
from dispatch.actions.bookkeeping import (
    cancel_tasks,
    create_tasks,
    enqueue,
    resolve_queue,
    save_ticket,
    tasks_data,
)
from dispatch.actions.guards import DISPATCHER, clean_text, require_dispatcher
from dispatch.actions.locking import lock_report
from dispatch.errors import SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from dispatch.models import LIVE_TASK_STATUSES, DispatchQueueEntry, Task
from reports.models import Category, Report, Status


def _describe(category: Category) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "catalogue": category.catalogue,
    }


def recategorise_report(*, report: Report, category: Category, actor: User, reason: str) -> Report:
    """Move an open ticket to another category and route it by that category's rules.

    A ticket waiting for routing is routed (or stays in the dispatcher's queue when no rule
    covers the new category). A routed ticket's unfinished tasks are cancelled and the new
    category's units get theirs; when no rule covers the new category the tasks are kept and the
    dispatcher routes by hand."""
    require_dispatcher(actor)
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明更正类别的原因。")
    )
    if (
        category is None
        or not category.is_active
        or category.parent_id is None
        or category.catalogue == Category.Catalogue.COMPONENT
    ):
        raise SubmissionError(gettext_lazy("请选择有效的问题类别（小类）。"), field="category")
    with transaction.atomic():
        report = lock_report(report)
        lifecycle.refuse_unless(lifecycle.RECATEGORISE, report)
        if report.category_id == category.id and not report.category_unsure:
            raise TransitionRefused(gettext_lazy("该事项已在此类别下。"))
        now = timezone.now()
        before = report.category
        from_status = report.status
        report.category = category
        report.category_unsure = False
        save_ticket(report, "category", "category_unsure")
        plan = routing.plan(report)
        cancelled: list[int] = []
        tasks: list[Task] = []
        if plan is not None:
            live = list(report.tasks.select_for_update().filter(status__in=LIVE_TASK_STATUSES))
            cancelled = [t.id for t in live]
            cancel_tasks(report, cancelled, now=now)
            tasks = create_tasks(
                report,
                units=plan.units,
                level=plan.level,
                hours=plan.hours,
                urgent=plan.urgent,
                rule=plan.rule,
                now=now,
                fresh=True,
            )
            resolve_queue(report, actor=actor, now=now)
            report.status = Status.DISPATCHED
            report.handled_at = None
            # The ticket's own deadline stays as first dispatched (one clock per ticket); the new
            # units get their tasks' limits (dispatch.actions.bookkeeping.create_tasks).
            save_ticket(report, "status", "handled_at")
        elif report.status == Status.SUBMITTED:
            enqueue(report, reason=DispatchQueueEntry.Reason.UNCOVERED)
        if tasks:
            note = _("类别由“%(old)s”更正为“%(new)s”，已重新派遣至：%(units)s") % {
                "old": str(before),
                "new": str(category),
                "units": "、".join(t.unit.name for t in tasks),
            }
        else:
            note = _("类别由“%(old)s”更正为“%(new)s”，新类别无派单规则，待人工派遣。") % {
                "old": str(before),
                "new": str(category),
            }
        record(
            report=report,
            kind=Kind.RECATEGORISED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=report.status,
            note=note,
            data={
                "from": _describe(before),
                "to": _describe(category),
                "reason": reason,
                "tasks": tasks_data(tasks),
                "cancelled": cancelled,
                "rule": plan.rule.id if plan and plan.rule else None,
            },
        )
    return report
