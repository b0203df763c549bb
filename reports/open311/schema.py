"""OpenAPI for Open311: one operation per path and format, each documenting only its own format."""

from drf_spectacular.openapi import AutoSchema

FORMAT_MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}


class Open311AutoSchema(AutoSchema):
    def _path_format(self) -> str:
        return "xml" if self.path.endswith(".xml") else "json"

    def map_renderers(self, attribute):
        fmt = self._path_format()
        return [fmt if attribute == "format" else FORMAT_MEDIA_TYPES[fmt]]

    def get_operation_id(self):
        base = super().get_operation_id()
        return f"{base}_{self._path_format()}"

    def get_tags(self):
        return ["open311"]
