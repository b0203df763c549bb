"""Response headers every page gets."""

from django.utils.cache import patch_cache_control


class PrivatePageCacheMiddleware:
    """`Cache-Control: private, no-store` on every response that does not choose its own.

    Pages carry tokens (the tracking page /t/<token>/, the report form's idempotency key) or
    personal data (tickets, cases, inboxes) more often than not; a shared proxy or the browser's
    back-forward cache must not keep them. Pages meant to be cached (the public grid data, the
    transparency figures) say so with their own Cache-Control, which is left alone. Static files
    never get here (WhiteNoise answers them above this middleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
