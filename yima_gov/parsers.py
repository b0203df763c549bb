"""Request parsers for the API: DRF's, with JSON nesting bounded.

A body nested thousands of levels deep made json's decoder raise RecursionError, which DRF does
not catch (a 500); one nested a few hundred levels deep parses but makes any code that walks it
recursively fragile. Nobody sends us more than a few levels, so deeper than MAX_DEPTH is refused
with 400 and a message. Form and multipart bodies are flat (a QueryDict), nothing to bound.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 20


def depth_of(value) -> int:
    """How deeply lists and objects nest in `value` (a scalar is 0, [] is 1), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def _too_deep() -> ParseError:
    return ParseError(_("请求数据嵌套过深（最多 %(depth)s 层）。") % {"depth": MAX_DEPTH})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if depth_of(data) > MAX_DEPTH:
            raise _too_deep()
        return data


# The same classes under this module's name, so that settings list one place.
FormParser = parsers.FormParser
MultiPartParser = parsers.MultiPartParser
