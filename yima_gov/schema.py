"""One place that documents the error answers every API operation can give.

Views document their success bodies and the errors particular to them (409 for a refused
transition, say). The errors that come from shared machinery — validation (400), authentication
and permissions (401/403), an object outside the caller's scope or a bad path value (404), a
throttle (429) — are added here to every operation that can produce them, so no view can forget
one and clients (and schemathesis) know every answer they may get.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: `detail` with a message, or field names with lists of messages.",
    "additionalProperties": True,
}
_DESCRIPTIONS = {
    "400": "Invalid input; the body names each field's problem in the user's language.",
    "401": "Not logged in.",
    "403": "Not allowed for this person or key.",
    "404": "Not found, or not visible to this person.",
    "429": "Too many requests; try again later.",
}


def _error_response(code: str, media_types: list[str]) -> dict:
    return {
        "description": _DESCRIPTIONS[code],
        "content": {media: {"schema": ERROR_SCHEMA} for media in media_types},
    }


def add_error_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            media_types = sorted(
                {
                    media
                    for response in responses.values()
                    for media in (response.get("content") or {})
                }
                or {"application/json"}
            )
            wanted = {"401", "403", "429"}
            params = operation.get("parameters", [])
            if operation.get("requestBody") or any(p.get("in") == "query" for p in params):
                wanted.add("400")
            if "{" in path:
                wanted.add("404")
            for code in sorted(wanted):
                responses.setdefault(code, _error_response(code, media_types))
    return result
