"""This app's vocabulary on its own timeline (mediation.models.Event), in one place."""

from django.utils.translation import gettext_lazy as _

from mediation.models import Event


class Kind:
    SESSION_RECORDED = "session_recorded"
    SESSION_PHOTOS_ADDED = "session_photos_added"
    TOPIC_ADDED = "topic_added"  # settled on the spot, a decision, or a ticket filed
    DECISION_DONE = "decision_done"
    CASE_OPENED = "case_opened"
    MEDIATOR_ADDED = "mediator_added"
    PARTY_ADDED = "party_added"
    CASE_SESSION_RECORDED = "case_session_recorded"
    AGREEMENT_RECORDED = "agreement_recorded"
    FOLLOWED_UP = "followed_up"  # the follow-up visit; settles or fails the case
    CASE_CONCLUDED = "case_concluded"  # unsettled without agreement, or withdrawn
    TICKET_CLOSED_FROM_CASE = "ticket_closed_from_case"
    PARTIES_ERASED = "parties_erased"
    ORGANISATION_SAVED = "organisation_saved"


KIND_LABELS = {
    Kind.CASE_OPENED: _("受理调解"),
    Kind.MEDIATOR_ADDED: _("添加调解员"),
    Kind.PARTY_ADDED: _("添加当事人"),
    Kind.CASE_SESSION_RECORDED: _("调解"),
    Kind.AGREEMENT_RECORDED: _("签订调解协议"),
    Kind.FOLLOWED_UP: _("回访"),
    Kind.CASE_CONCLUDED: _("结案"),
    Kind.TICKET_CLOSED_FROM_CASE: _("工单按调解结果办结"),
    Kind.PARTIES_ERASED: _("删除当事人信息"),
}

# On the ticket's own timeline (reports.models.Event), not public: the ticket's holders see that
# a case or a session took it up; its reporter's public timeline does not.
TICKET_FILED_FROM_TOPIC = "filed_from_deliberation"
TICKET_CASE_OPENED = "mediation_case_opened"
TICKET_CASE_OUTCOME = "mediation_case_outcome"


def record(*, kind: str, actor, session=None, case=None, note: str = "", data=None) -> Event:
    """Write one event; called inside the action's transaction."""
    return Event.objects.create(
        kind=kind, actor=actor, session=session, case=case, note=note, data=data or {}
    )
