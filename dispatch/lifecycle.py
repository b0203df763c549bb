"""The ticket's life in one table: every ticket and task transition, the states it may start
from, the state it leads to, the timeline event it writes and who may take it.

The actions guard through it (`refuse_unless`), the ticket page and the API ask it which actions
this user may take now (`available`). The states come from the models' named groups
(reports.models, dispatch.models), never from tuples written out here or elsewhere.

`target` is None when the ticket's state is not set by the transition itself but follows its
tasks (DESIGN §3, dispatch.actions.bookkeeping.follow_tasks) or stays as it is.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import membership
from dispatch.errors import TransitionRefused
from dispatch.events import Kind
from dispatch.models import OPEN_TASK_STATUSES, Task
from reports.models import (
    AT_WORK_STATUSES,
    DISCARDED_STATUSES,
    IN_HAND_STATUSES,
    ROUTABLE_STATUSES,
    Report,
    Status,
)

# Who may take a transition.
SYSTEM = "system"  # the routing pipeline, never a person
DISPATCHER = "dispatcher"  # 指挥中心
CHECKER = "checker"  # a worker of the ticket's grid, or a dispatcher (dispatch.actions.guards)
SUPERVISOR = "supervisor"  # a dispatcher or an official (领导)
UNIT = "unit"  # a member of the task's unit
CALL_BACK = "call_back"  # a dispatcher or a hotline operator (may_call_back)

# Hotline operators are the members of the 12345 group, who may file reports for callers.
OPERATOR_PERMISSION = "reports.add_report"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str | None
    event: str
    who: str
    refusal: Promise
    # For a task transition: the states its ticket must be in.
    ticket_sources: tuple[str, ...] = ()
    # A plainer refusal from some states: ((status, message), …).
    refusal_from: tuple = ()

    def allows(self, status: str) -> bool:
        return status in self.sources


def _t(*args, **kwargs) -> Transition:
    return Transition(*args, **kwargs)


# --- the ticket's transitions -------------------------------------------------------------------

ROUTE = _t(
    "route",
    (Status.SUBMITTED,),
    Status.DISPATCHED,
    Kind.DISPATCHED,
    SYSTEM,
    gettext_lazy("该事项当前状态不能派遣。"),
)
ROUTE_MANUALLY = _t(
    "route_manually",
    ROUTABLE_STATUSES,
    None,
    Kind.DISPATCHED,
    DISPATCHER,
    gettext_lazy("该事项当前状态不能派遣。"),
)
REROUTE = _t(
    "reroute",
    ROUTABLE_STATUSES,
    Status.DISPATCHED,
    Kind.REROUTED,
    DISPATCHER,
    gettext_lazy("该事项当前状态不能改派。"),
)
RECATEGORISE = _t(
    "recategorise",
    ROUTABLE_STATUSES,
    None,
    Kind.RECATEGORISED,
    DISPATCHER,
    gettext_lazy("该事项当前状态不能更正类别。"),
)
REJECT = _t(
    "reject",
    ROUTABLE_STATUSES,
    Status.REJECTED,
    Kind.REJECTED,
    DISPATCHER,
    gettext_lazy("该事项当前状态不能作不予受理处理。"),
)
MERGE = _t(
    "merge",
    ROUTABLE_STATUSES,
    Status.DUPLICATE,
    Kind.MERGED_AS_DUPLICATE,
    DISPATCHER,
    gettext_lazy("该事项当前状态不能合并。"),
)
SUSPEND = _t(
    "suspend",
    AT_WORK_STATUSES,
    Status.SUSPENDED,
    Kind.SUSPENDED,
    DISPATCHER,
    gettext_lazy("只有处置中的事项可以挂账。"),
)
RESUME = _t(
    "resume",
    (Status.SUSPENDED,),
    None,
    Kind.RESUMED,
    DISPATCHER,
    gettext_lazy("只有挂账的事项可以恢复办理。"),
)
CLOSE = _t(
    "close",
    (Status.HANDLED,),
    Status.CLOSED,
    Kind.CLOSED,
    CHECKER,
    gettext_lazy("所有任务处置完毕后才能核查结案。"),
    # Said plainly: a worker replaying a close queued offline learns someone was first.
    refusal_from=((Status.CLOSED, gettext_lazy("该事项已由他人核查结案。")),),
)
SEND_BACK = _t(
    "send_back",
    (Status.HANDLED,),
    Status.DISPATCHED,
    Kind.SENT_BACK,
    CHECKER,
    gettext_lazy("只有待核查的事项可以返工。"),
)
REOPEN = _t(
    "reopen",
    (Status.CLOSED,),
    Status.DISPATCHED,
    Kind.REOPENED,
    DISPATCHER,
    gettext_lazy("只有评价为不满意的已办结事项可以重新办理。"),
)
REMARK = _t(
    "remark",
    tuple(s for s in Status.values if s not in DISCARDED_STATUSES),
    None,
    Kind.SUPERVISION_REMARK,
    SUPERVISOR,
    gettext_lazy("该事项已结束，不能督办。"),
)
CALL_BACK_TRANSITION = _t(
    "call_back",
    (Status.CLOSED,),
    None,
    Kind.CALLED_BACK,
    CALL_BACK,
    gettext_lazy("只有已办结的事项可以回访。"),
)

TICKET_TRANSITIONS = (
    ROUTE,
    ROUTE_MANUALLY,
    REROUTE,
    RECATEGORISE,
    REJECT,
    MERGE,
    SUSPEND,
    RESUME,
    CLOSE,
    SEND_BACK,
    REOPEN,
    REMARK,
    CALL_BACK_TRANSITION,
)

# --- a task's transitions -----------------------------------------------------------------------

_TASK_REFUSAL = gettext_lazy("任务当前状态为“%(status)s”，不能进行此操作。")

ACCEPT = _t(
    "accept",
    (Task.Status.PENDING,),
    Task.Status.ACCEPTED,
    Kind.TASK_ACCEPTED,
    UNIT,
    _TASK_REFUSAL,
    IN_HAND_STATUSES,
)
PROGRESS = _t(
    "progress",
    (Task.Status.ACCEPTED,),
    Task.Status.ACCEPTED,
    Kind.TASK_PROGRESS,
    UNIT,
    _TASK_REFUSAL,
    IN_HAND_STATUSES,
)
FINISH = _t(
    "finish",
    (Task.Status.ACCEPTED,),
    Task.Status.DONE,
    Kind.TASK_DONE,
    UNIT,
    _TASK_REFUSAL,
    IN_HAND_STATUSES,
)
RETURN = _t(
    "return",
    OPEN_TASK_STATUSES,
    Task.Status.RETURNED,
    Kind.TASK_RETURNED,
    UNIT,
    _TASK_REFUSAL,
    IN_HAND_STATUSES,
)
ESCALATE = _t(
    "escalate",
    OPEN_TASK_STATUSES,
    Task.Status.ESCALATED,
    Kind.TASK_ESCALATED,
    UNIT,
    _TASK_REFUSAL,
    IN_HAND_STATUSES,
)
REQUEST_EXTENSION = _t(
    "extension",
    OPEN_TASK_STATUSES,
    None,
    Kind.EXTENSION_REQUESTED,
    UNIT,
    _TASK_REFUSAL,
    IN_HAND_STATUSES,
)
REQUEST_SUSPENSION = _t(
    "suspension",
    OPEN_TASK_STATUSES,
    None,
    Kind.SUSPENSION_REQUESTED,
    UNIT,
    _TASK_REFUSAL,
    AT_WORK_STATUSES,
)

TASK_TRANSITIONS = (
    ACCEPT,
    PROGRESS,
    FINISH,
    RETURN,
    ESCALATE,
    REQUEST_EXTENSION,
    REQUEST_SUSPENSION,
)

_TICKET_REFUSAL = gettext_lazy("事项当前状态为“%(status)s”，不能进行此操作。")


def refuse_unless(transition: Transition, report: Report, task: Task | None = None) -> None:
    """Raise TransitionRefused (nothing written) unless the table allows `transition` now.

    For a ticket transition the ticket's state must be one of its sources; for a task
    transition the task's state must be, and its ticket's state one of `ticket_sources`."""
    if task is None:
        if not transition.allows(report.status):
            plainer = dict(transition.refusal_from).get(report.status)
            raise TransitionRefused(plainer or transition.refusal)
        return
    if report.status not in transition.ticket_sources:
        if transition is REQUEST_SUSPENSION:
            raise TransitionRefused(SUSPEND.refusal)
        raise TransitionRefused(_TICKET_REFUSAL % {"status": report.get_status_display()})
    if not transition.allows(task.status):
        raise TransitionRefused(transition.refusal % {"status": task.get_status_display()})


def may_call_back(user: User) -> bool:
    """回访: a dispatcher or a hotline operator."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_dispatcher or user.has_perm(OPERATOR_PERMISSION))
    )


def _may(who: str, user: User, report: Report, grid_ids=frozenset()) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if who == DISPATCHER:
        return user.is_dispatcher
    if who == SUPERVISOR:
        return user.is_dispatcher or user.is_official
    if who == CHECKER:
        return user.is_dispatcher or report.grid_id in grid_ids
    if who == CALL_BACK:
        return may_call_back(user)
    return False


def available(report: Report, user: User, *, grid_ids=frozenset()) -> set[str]:
    """The names of the ticket transitions this user may take on this ticket now.

    `grid_ids`: the grids the user serves (for the on-site check); the caller has them."""
    return {
        t.name
        for t in TICKET_TRANSITIONS
        if t.who != SYSTEM and t.allows(report.status) and _may(t.who, user, report, grid_ids)
    }


def available_on_task(task: Task, report: Report, user: User, unit_ids=None) -> set[str]:
    """The names of the task transitions this user may take on this task now.

    `unit_ids`: the units the user belongs to, when the caller has them (lists of tasks)."""
    member = (
        task.unit_id in unit_ids if unit_ids is not None else membership.is_member(user, task.unit)
    )
    if report.status not in IN_HAND_STATUSES or not member:
        return set()
    return {
        t.name
        for t in TASK_TRANSITIONS
        if t.allows(task.status) and report.status in t.ticket_sources
    }
