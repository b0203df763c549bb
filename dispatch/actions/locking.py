"""Row locks for dispatch actions: always the ticket first, then the task or request, so two
actions on one ticket cannot deadlock.
"""

from dispatch.errors import TransitionRefused
from dispatch.models import (
    Task,
    UnitRequest,
)
from reports.models import Report


def lock_report(report: Report | int) -> Report:
    report_id = report if isinstance(report, int) else report.id
    return Report.objects.select_for_update().select_related("category").get(id=report_id)


def lock_task(task: Task | int) -> tuple[Report, Task]:
    task_id = task if isinstance(task, int) else task.id
    report_id = Task.objects.values_list("report_id", flat=True).get(id=task_id)
    report = lock_report(report_id)
    task = Task.objects.select_for_update().select_related("unit").get(id=task_id)
    return report, task


def lock_pending_request(model, request_id: int, *, decided_message):
    """Lock a unit's request with its ticket and task (ticket, then task, then request: the
    order every action takes); refuse one that was already decided."""
    task_id = model.objects.values_list("task_id", flat=True).get(id=request_id)
    report, task = lock_task(task_id)
    request = model.objects.select_for_update().get(id=request_id)
    if request.status != UnitRequest.Status.PENDING:
        raise TransitionRefused(decided_message)
    return report, task, request
