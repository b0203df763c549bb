"""OpenAPI for Open311: one operation per path and format, each documenting only its own format."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type

FORMAT_MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}


class Open311AutoSchema(AutoSchema):
    def _path_format(self) -> str:
        return "xml" if self.path.endswith(".xml") else "json"

    def map_renderers(self, attribute):
        fmt = self._path_format()
        return [fmt if attribute == "format" else FORMAT_MEDIA_TYPES[fmt]]

    def get_operation_id(self):
        # open311_v2_requests.xml_create → open311_v2_requests_create_xml
        base = super().get_operation_id().replace(".json", "").replace(".xml", "")
        return f"{base}_{self._path_format()}"

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        # GeoReport v2 errors are a list of {code, description}; spectacular only wraps 2xx lists.
        if str(status_code) >= "400":
            for content in response.get("content", {}).values():
                content["schema"] = build_array_type(content["schema"])
        return response

    def get_tags(self):
        return ["open311"]


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the API key: the X-Api-Key header (GeoReport v2 clients may also send the
    `api_key` form field instead, which the POST bodies list)."""

    target_class = "reports.open311.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
