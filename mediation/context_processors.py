"""The top bar's 议事 and 调解 links, for the people those pages serve. Lazy: a page without the
top bar costs no query."""

from django.utils.functional import SimpleLazyObject

from mediation import access


def _links(user) -> dict:
    if not (user.is_authenticated and user.is_active):
        return {}
    sessions = bool(access.deliberation_community_ids(user))
    return {
        "sessions": sessions,
        "cases": sessions or user.is_dispatcher or user.mediations.exists(),
    }


def links(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"mediation_nav": SimpleLazyObject(lambda: _links(user))}
