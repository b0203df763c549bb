"""The 民情 ledger's vocabulary on its own timeline (gridwork.models.Event), in one place."""

from django.utils.translation import gettext_noop

from gridwork.models import Event


class Kind:
    VISIT_RECORDED = "visit_recorded"  # with its items and photos
    ITEM_SETTLED = "item_settled"  # settled on the spot
    ITEM_TICKETED = "item_ticketed"  # turned into a ticket through reports' submission
    VOLUNTEER_ADDED = "volunteer_added"
    PLAN_SET = "plan_set"  # a grid's weekly visits and patrols
    PARTY_ORGANISATION_ADDED = "party_organisation_added"
    PARTY_MEMBER_ASSIGNED = "party_member_assigned"  # a volunteer joins an organisation


# On the ticket's own timeline (reports.models.Event), not public.
TICKET_FILED_FROM_ITEM = "filed_from_minqing"
# Who filed it, as the ticket's timeline names it (translated where it is shown).
TICKET_FILED_BY = gettext_noop("民情走访")


def record(*, kind: str, actor, visit=None, item=None, note: str = "", data=None) -> Event:
    """Write one event; called inside the action's transaction."""
    return Event.objects.create(
        kind=kind, actor=actor, visit=visit, item=item, note=note, data=data or {}
    )
