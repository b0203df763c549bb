"""The dispatcher's vocabulary on a ticket's timeline (reports.models.Event), in one place."""

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from reports.models import Event, Report


class Kind:
    DISPATCHED = "dispatched"  # tasks created for one or more units (automatic or manual)
    AWAITING_MANUAL_ROUTING = "awaiting_manual_routing"  # no rule, unsure category, returned…
    TASK_ACCEPTED = "task_accepted"
    TASK_PROGRESS = "task_progress"
    TASK_DONE = "task_done"
    TASK_RETURNED = "task_returned"
    TASK_ESCALATED = "task_escalated"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REFUSED = "extension_refused"
    SUSPENSION_REQUESTED = "suspension_requested"  # a unit asks for 挂账
    SUSPENSION_REFUSED = "suspension_refused"  # approval writes SUSPENDED
    REROUTED = "rerouted"
    MERGED_AS_DUPLICATE = "merged_as_duplicate"  # on the duplicate
    DUPLICATE_MERGED_IN = "duplicate_merged_in"  # on the original
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    CLOSED = "closed"
    SENT_BACK = "sent_back"  # 返工 after a failed on-site check
    REOPENED = "reopened"  # 返工 after a 不满意 rating
    TASK_REMINDED = "task_reminded"  # 催办 at 75% of the time
    TASK_OVERDUE = "task_overdue"  # 督办 at the deadline
    CHECK_REMINDED = "check_reminded"  # 催办 of the on-site check at 75% of its limit
    CHECK_OVERDUE = "check_overdue"  # 督办 of the on-site check at its limit
    CALLED_BACK = "called_back"  # 回访 of a closed ticket's reporter
    TASK_LISTED_FOR_OFFICIALS = "task_listed_for_officials"  # twice the time
    RECATEGORISED = "recategorised"  # the dispatcher corrected the category
    SUPERVISION_REMARK = "supervision_remark"  # 督办意见 of a dispatcher or an official
    HANDLED_ON_SPOT = "handled_on_spot"  # a grid worker's patrol report handled on the spot


def label(text: str) -> str:
    """Who, as the public timeline shows it: a unit's or a role's name in the default language."""
    with translation.override("zh-hans"):
        return str(_(text)) if text else ""


def record(
    *,
    report: Report,
    kind: str,
    actor: User | None,
    actor_label: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    public: bool = True,
    data: dict | None = None,
) -> Event:
    """Write one timeline event; called inside the action's transaction."""
    return Event.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        actor_label=actor_label,
        from_status=from_status,
        to_status=to_status if to_status != from_status else "",
        note=note,
        public=public,
        data=data or {},
    )
