"""One constructor per timeline event kind: the vocabulary of a ticket's history in one file.

Each writes one `Event` row and must be called inside the transaction that makes the change.
`actor_label` is what the public timeline shows: a role or a unit, never a person's name.
"""

from django.utils.translation import gettext as _

from reports.models import Event, Report, Status


def submitted_event(*, report: Report, actor, channel_label: str) -> Event:
    return Event.objects.create(
        report=report,
        kind="submitted",
        actor=actor,
        actor_label=channel_label,
        to_status=Status.SUBMITTED,
        data={"channel": report.channel},
    )


def supported_event(*, report: Report, actor) -> Event:
    return Event.objects.create(
        report=report,
        kind="supported",
        actor=actor,
        actor_label=_("居民"),
        note=_("又有一位居民反映了同一问题。"),
        data={"supporter_count": report.supporter_count},
    )


def rated_event(*, report: Report, actor) -> Event:
    return Event.objects.create(
        report=report,
        kind="rated",
        actor=actor,
        actor_label=_("上报人"),
        note=report.get_rating_display(),
        data={"rating": report.rating},
    )


def reopen_requested_event(*, report: Report, actor, reason: str) -> Event:
    return Event.objects.create(
        report=report,
        kind="reopen_requested",
        actor=actor,
        actor_label=_("上报人"),
        note=reason,
        data={},
    )
