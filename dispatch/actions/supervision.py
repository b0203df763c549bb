"""督办意见: a dispatcher's or official's supervision remark on a ticket."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import actions as account_actions
from accounts.models import User
from dispatch import lifecycle, membership
from dispatch.actions.guards import DISPATCHER, OFFICIAL, clean_text
from dispatch.actions.locking import lock_report
from dispatch.actions.notifications import ticket_url
from dispatch.errors import NotPermitted
from dispatch.events import Kind, label, record
from dispatch.models import (
    LIVE_TASK_STATUSES,
    Unit,
)
from reports.models import Event, Report


def add_supervision_remark(*, report: Report, actor: User, note: str) -> Event:
    """督办意见: a dispatcher or an official tells the ticket's holders what they expect. The
    units with a live task and the grid's workers are notified; the event is internal."""
    if not (
        actor.is_authenticated and actor.is_active and (actor.is_dispatcher or actor.is_official)
    ):
        raise NotPermitted(gettext_lazy("只有指挥中心或领导可以提出督办意见。"))
    note = clean_text(note, field="note", required=True, message=gettext_lazy("请填写督办意见。"))
    with transaction.atomic():
        report = lock_report(report)
        lifecycle.refuse_unless(lifecycle.REMARK, report)
        tasks = list(report.tasks.filter(status__in=LIVE_TASK_STATUSES).select_related("unit"))
        event = record(
            report=report,
            kind=Kind.SUPERVISION_REMARK,
            actor=actor,
            actor_label=label(DISPATCHER) if actor.is_dispatcher else label(OFFICIAL),
            note=note,
            public=False,
            data={"units": [t.unit.code for t in tasks]},
        )
        recipients: dict[int, User] = {}
        for task in tasks:
            for person in membership.members(task.unit):
                recipients[person.id] = person
        grid_team = Unit.objects.filter(grid_id=report.grid_id).first()
        if grid_team is not None:
            for person in membership.members(grid_team):
                recipients[person.id] = person
        recipients.pop(actor.id, None)
        title = _("督办意见：%(number)s") % {"number": report.number}
        url = ticket_url(report)
        for person in recipients.values():
            account_actions.notify(
                recipient=person, kind=Kind.SUPERVISION_REMARK, title=title, body=note, url=url
            )
    return event
