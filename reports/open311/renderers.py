"""JSON and XML exactly as GeoReport v2 spells them.

The XML is schemaless, without a namespace, with the spec's element names: <services><service>,
<service_definition>, <service_requests><request>, <errors><error>, <discovery>. The JSON is the
Spark-convention mapping of the same documents (a list at the top for lists).
"""

import re
import xml.etree.ElementTree as ET

from rest_framework.renderers import BaseRenderer, JSONRenderer

# The element name of one item inside a list-valued element.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all; dropped rather than producing a document no parser reads.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _INVALID_XML_CHARS.sub("", str(value))


def _append(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


class Open311JSONRenderer(JSONRenderer):
    media_type = "application/json"
    format = "json"
    charset = "utf-8"  # the spec asks for "application/json; charset=utf-8"


class Open311XMLRenderer(BaseRenderer):
    """Renders the view's document under its root element (`view.xml_root`), errors as <errors>."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        if response is not None and response.status_code >= 400:
            root_name = "errors"
        else:
            root_name = getattr(view, "xml_root", "response")
        root = ET.Element(root_name)
        _fill(root, root_name, data)
        body = ET.tostring(root, encoding="unicode")
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")
