"""The dispatcher's triage of a ticket that needs no work: merging a duplicate, rejecting."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from dispatch import lifecycle
from dispatch.actions.bookkeeping import (
    cancel_live_tasks,
    resolve_queue,
    save_ticket,
)
from dispatch.actions.guards import DISPATCHER, clean_text, require_dispatcher
from dispatch.actions.locking import lock_report
from dispatch.actions.notifications import tell_reporter
from dispatch.errors import SubmissionError, TransitionRefused
from dispatch.events import Kind, label, record
from reports.models import Report, Status, Supporter


def merge_duplicate(*, report: Report, into: Report, actor: User, note: str = "") -> Report:
    """重复件: merge a report into an earlier open one; its reporter and followers follow that one."""
    require_dispatcher(actor)
    note = clean_text(note, field="note", required=False, message="")
    if report.id == into.id:
        raise SubmissionError(gettext_lazy("不能合并到事项本身。"), field="into", code="same")
    with transaction.atomic():
        # Lock both in id order: two merges of the same pair cannot deadlock.
        first, second = sorted([report.id, into.id])
        locked = {first: lock_report(first), second: lock_report(second)}
        report, into = locked[report.id], locked[into.id]
        lifecycle.refuse_unless(lifecycle.MERGE, report)
        if not into.is_open:
            raise TransitionRefused(gettext_lazy("只能合并到尚未办结的事项。"))
        if (into.submitted_at, into.id) >= (report.submitted_at, report.id):
            raise TransitionRefused(gettext_lazy("只能合并到更早上报的事项。"))
        now = timezone.now()
        from_status = report.status
        cancelled = cancel_live_tasks(report, now=now)
        resolve_queue(report, actor=actor, now=now)
        report.status = Status.DUPLICATE
        report.merged_into = into
        save_ticket(report, "status", "merged_into")
        followers = []
        if report.reporter_id:
            followers.append((report.reporter_id, report.contact_phone))
        followers += list(
            report.supporters.filter(user__isnull=False).values_list("user_id", "contact_phone")
        )
        added = 0
        for user_id, phone in followers:
            if user_id == into.reporter_id:
                continue
            _supporter, made = Supporter.objects.get_or_create(
                report=into, user_id=user_id, defaults={"contact_phone": phone}
            )
            added += made
        if added:
            Report.objects.filter(id=into.id).update(supporter_count=F("supporter_count") + added)
        record(
            report=report,
            kind=Kind.MERGED_AS_DUPLICATE,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=Status.DUPLICATE,
            note=note or _("与 %(number)s 为同一问题，已合并。") % {"number": into.number},
            data={"into": into.number, "cancelled": cancelled},
        )
        record(
            report=into,
            kind=Kind.DUPLICATE_MERGED_IN,
            actor=actor,
            actor_label=label(DISPATCHER),
            note=_("合并了重复上报 %(number)s。") % {"number": report.number},
            data={"duplicate": report.number, "followers_added": added},
        )
        tell_reporter(
            report,
            _("您反映的问题已合并到 %(number)s 一并处理") % {"number": into.number},
            into.number,
        )
    return report


def reject_report(*, report: Report, actor: User, reason: str) -> Report:
    """不予受理: out of jurisdiction, not a governance matter, abusive. Reason required."""
    require_dispatcher(actor)
    reason = clean_text(
        reason, field="reason", required=True, message=gettext_lazy("请说明不予受理的理由。")
    )
    with transaction.atomic():
        report = lock_report(report)
        lifecycle.refuse_unless(lifecycle.REJECT, report)
        now = timezone.now()
        from_status = report.status
        cancelled = cancel_live_tasks(report, now=now)
        resolve_queue(report, actor=actor, now=now)
        report.status = Status.REJECTED
        save_ticket(report, "status")
        record(
            report=report,
            kind=Kind.REJECTED,
            actor=actor,
            actor_label=label(DISPATCHER),
            from_status=from_status,
            to_status=Status.REJECTED,
            note=reason,
            data={"cancelled": cancelled},
        )
        tell_reporter(report, _("您反映的问题不予受理"), reason)
    return report
