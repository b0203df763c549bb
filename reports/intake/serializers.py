from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class MachineEventSerializer(serializers.Serializer):
    """One event from a machine source. `event_id` is the source's own id: the same id again
    updates the ticket it filed instead of filing another."""

    event_id = serializers.RegexField(
        r"^[A-Za-z0-9._:\-]{1,80}$",
        error_messages={"invalid": _("event_id 只能包含字母、数字和 . _ : -，最长 80 个字符。")},
    )
    service_code = serializers.CharField(max_length=5)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    long = serializers.FloatField(min_value=-180, max_value=180)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MachineEventResultSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    created = serializers.BooleanField()
    count = serializers.IntegerField(min_value=1)
    status = serializers.CharField()


class IntakeErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
