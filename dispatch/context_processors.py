"""The top bar of every page: which worklists the person may open and their unread messages."""

from django.utils.functional import SimpleLazyObject

from dispatch import selectors


def worklists(request) -> dict:
    """`nav_roles`: worker / unit_staff / dispatcher / official flags and `unread` (in-app inbox).
    Lazy: a page that never shows the top bar (an API response) costs no query."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"nav_roles": SimpleLazyObject(lambda: selectors.roles_of(user))}
