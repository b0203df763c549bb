"""API keys for machine clients: who is calling (authentication) and how often (a per-key rate).

A key is `<prefix>.<secret>`; only its SHA-256 is stored, so a database leak reveals no usable key.
Clients send it as the `api_key` parameter (the GeoReport v2 convention) or an `X-Api-Key` header.
Unknown or revoked keys answer 403, as the specification asks; a key over its rate answers 429.
"""

import hashlib
import re

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from reports.models import ApiKey

# DRF's rate syntax: a count, a slash and a period (s, m, h, d or a word starting with one).
RATE_RE = re.compile(r"^[1-9]\d{0,6}/(s|sec|second|m|min|minute|h|hour|d|day)$")
DEFAULT_RATE = "120/m"


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def _raw_key_from(request) -> str:
    header = request.headers.get("X-Api-Key", "")
    if header:
        return header.strip()
    if request.query_params.get("api_key"):
        return request.query_params["api_key"].strip()
    if request.method in ("POST", "PUT", "PATCH"):
        data = request.data
        if hasattr(data, "get"):
            value = data.get("api_key")
            if isinstance(value, str):
                return value.strip()
    return ""


class ApiKeyAuthentication(BaseAuthentication):
    """Sets request.auth to the ApiKey when a valid one is presented; no key → anonymous."""

    def authenticate(self, request):
        raw = _raw_key_from(request)
        if not raw:
            return None
        key = ApiKey.objects.filter(key_hash=hash_api_key(raw)).first()
        if key is None:
            raise exceptions.AuthenticationFailed(_("api_key 无效，无法继续处理请求。"))
        if not key.is_active:
            raise exceptions.AuthenticationFailed(_("api_key 已被吊销，无法继续处理请求。"))
        return AnonymousUser(), key

    # No challenge header: DRF then answers 403, which is what GeoReport v2 prescribes.
    def authenticate_header(self, request):
        return None


class ApiKeyRequired(BasePermission):
    """The request carries a valid, unrevoked key (optionally of one of `view.api_key_channels`)."""

    def has_permission(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            raise exceptions.PermissionDenied(_("缺少 api_key：此操作需要接口密钥。"))
        channels = getattr(view, "api_key_channels", None)
        if channels and key.channel not in channels:
            raise exceptions.PermissionDenied(_("此接口密钥所属渠道无权使用本接口。"))
        return True


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Each key's own rate (ApiKey.rate, e.g. "120/m"), counted in the shared cache so that every
    web node sees the same count. Requests without a key are not counted here."""

    scope = "api_key"

    def __init__(self):  # the rate comes from the key, not from settings
        self.rate = None
        self.num_requests = self.duration = None

    def get_cache_key(self, request, view):
        # The hash, not the id: ids repeat across databases sharing one cache (test runs, restores).
        return self.cache_format % {"scope": self.scope, "ident": request.auth.key_hash[:24]}

    def allow_request(self, request, view):
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        # A rate mistyped in the admin must not switch the limit off: fall back to the default.
        self.rate = key.rate if RATE_RE.match(key.rate or "") else DEFAULT_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
