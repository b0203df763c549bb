"""回访 (call-backs): hotline operators and dispatchers call the reporters of closed tickets that
have no rating CALLBACK_AFTER_DAYS after closing, and record what the resident said. The answer
counts in 解决率 and 满意率 where the resident left no rating (stats.facts)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle
from dispatch.actions.bookkeeping import touch_ticket
from dispatch.errors import NotPermitted, SubmissionError
from dispatch.events import Kind, record
from dispatch.models import CallBack
from reports.models import Report, Status

MAX_NOTE = 500


def due_call_backs(now: dt.datetime | None = None) -> QuerySet[Report]:
    """Closed tickets with a reporter to call, no rating CALLBACK_AFTER_DAYS after closing and
    no call-back yet, oldest first."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CALLBACK_AFTER_DAYS)
    called = CallBack.objects.filter(report=OuterRef("pk"))
    return (
        Report.objects.filter(status=Status.CLOSED, rating="", closed_at__lte=cutoff)
        .exclude(contact_phone="", reporter=None)
        .exclude(Exists(called))
        .select_related("category", "grid", "reporter")
        .order_by("closed_at", "id")
    )


def record_call_back(
    *,
    report: Report,
    actor: User,
    reached: bool,
    solved: bool | None = None,
    satisfaction: str = "",
    note: str = "",
) -> CallBack:
    """Record one call to the reporter of a closed ticket (an event on its timeline, not public).
    When the resident was reached, whether it is solved and how satisfied they are are required."""
    if not lifecycle.may_call_back(actor):
        raise NotPermitted(gettext_lazy("只有12345热线坐席和指挥中心可以登记回访。"))
    note = (note or "").replace("\x00", "").strip()
    if len(note) > MAX_NOTE:
        raise SubmissionError(
            gettext_lazy("回访记录不能超过 500 个字。"), field="note", code="too_long"
        )
    if satisfaction and satisfaction not in CallBack.Answer.values:
        raise SubmissionError(
            gettext_lazy("请选择满意度。"), field="satisfaction", code="bad_satisfaction"
        )
    if reached and (solved is None or not satisfaction):
        raise SubmissionError(
            gettext_lazy("联系上群众时，请登记问题是否解决和满意度。"),
            field="satisfaction",
            code="answer_required",
        )
    if not reached:
        solved, satisfaction = None, ""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(id=report.id)
        lifecycle.refuse_unless(lifecycle.CALL_BACK_TRANSITION, report)
        call = CallBack.objects.create(
            report=report,
            caller=actor,
            reached=reached,
            solved=solved,
            satisfaction=satisfaction,
            note=note,
        )
        touch_ticket(report.id)  # the figures' refresh sees the answer
        record(
            report=report,
            kind=Kind.CALLED_BACK,
            actor=actor,
            actor_label=actor.name or actor.phone,
            note=note,
            public=False,
            data={"reached": reached, "solved": solved, "satisfaction": satisfaction},
        )
    return call
