"""The top bar's 民情台账 link, for grid workers, volunteers and community staff. Lazy: a page
without the top bar costs no query."""

from django.utils.functional import SimpleLazyObject

from gridwork import access


def links(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"gridwork_nav": SimpleLazyObject(lambda: {"ledger": access.uses_ledger(user)})}
