"""GeoReport v2 documents: input of POST requests, and every response shape (for the OpenAPI schema).

Field names are the specification's, including `long` and `group`.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.open311.definitions import DATATYPES

# The specification allows up to 4,000 characters; every channel of ours keeps descriptions to
# 1,000 (what the web form and the dispatchers' screens hold), and the schema says so to clients.
MAX_DESCRIPTION = 1000


class ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    description = serializers.CharField()


class DiscoveryEndpointSerializer(serializers.Serializer):
    specification = serializers.CharField()
    url = serializers.CharField()
    changeset = serializers.CharField()
    type = serializers.ChoiceField(choices=["production", "test"])
    formats = serializers.ListField(child=serializers.CharField())


class DiscoverySerializer(serializers.Serializer):
    changeset = serializers.CharField()
    contact = serializers.CharField()
    key_service = serializers.CharField()
    endpoints = DiscoveryEndpointSerializer(many=True)


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    metadata = serializers.BooleanField()
    type = serializers.ChoiceField(choices=["realtime", "batch", "blackbox"])
    keywords = serializers.CharField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)


class AttributeValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeSerializer(serializers.Serializer):
    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = serializers.ChoiceField(choices=list(DATATYPES))
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(allow_blank=True, allow_null=True)
    order = serializers.IntegerField(min_value=1)
    description = serializers.CharField()
    values = AttributeValueSerializer(many=True)


class ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = AttributeSerializer(many=True)


class ServiceRequestInputSerializer(serializers.Serializer):
    """POST requests.{format}, form-encoded (or multipart with a `media` photo).

    `attribute[code]=value` (and `attribute[code][]=v1&attribute[code][]=v2` for a multivaluelist)
    answer the service definition; they are read from the raw form, not declared here.
    """

    api_key = serializers.CharField(help_text=_("接口密钥"))
    jurisdiction_id = serializers.CharField(required=False, allow_blank=True)
    service_code = serializers.CharField(max_length=5)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    address_string = serializers.CharField(required=False, allow_blank=True, max_length=200)
    address_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    device_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    account_id = serializers.CharField(required=False, allow_blank=True, max_length=100)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=25)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=25)
    phone = serializers.RegexField(
        r"^1[3-9]\d{9}$",
        required=False,
        allow_blank=True,
        error_messages={"invalid": _("phone 须为11位中国大陆手机号码。")},
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION, trim_whitespace=True
    )
    media_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    media = serializers.FileField(required=False, allow_null=True)


class CreatedRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField(allow_blank=True)
    account_id = serializers.CharField(allow_null=True)


class TokenSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    token = serializers.CharField()


class ServiceRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField(allow_null=True)
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField(allow_blank=True, allow_null=True)
    agency_responsible = serializers.CharField(allow_null=True)
    service_notice = serializers.CharField(allow_null=True)
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateTimeField(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    lat = serializers.FloatField()
    long = serializers.FloatField()
    media_url = serializers.URLField(allow_null=True)
