"""GeoReport v2 endpoints: discovery, services, service definitions, requests, tokens.

One API view per resource; input is checked here (every 400 comes from a view), the write goes
through `reports.actions.submit_open311_request`. Errors are the specification's list of
{code, description}: 400 bad input, 403 missing/invalid/revoked api_key, 404 unknown resource,
429 over the key's rate.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from reports import actions
from reports.errors import SubmissionError
from reports.open311 import selectors
from reports.open311.auth import ApiKeyAuthentication, ApiKeyRateThrottle, ApiKeyRequired
from reports.open311.definitions import attributes_for
from reports.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from reports.open311.schema import Open311AutoSchema
from reports.open311.serializers import (
    CreatedRequestSerializer,
    DiscoverySerializer,
    ErrorSerializer,
    ServiceDefinitionSerializer,
    ServiceRequestInputSerializer,
    ServiceRequestSerializer,
    ServiceSerializer,
    TokenSerializer,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this implementation's behaviour last changed (discovery's `changeset`).
CHANGESET = "2026-11-29T00:00:00+08:00"
# GeoReport v2 "Response Volume": 90 days or 1000 requests, whichever is smaller.
DEFAULT_WINDOW = timedelta(days=90)
MAX_REQUESTS = 1000

ERRORS = ErrorSerializer(many=True)


def _error_responses(*codes: int) -> dict:
    described = {
        400: gettext_lazy("请求参数有误"),
        403: gettext_lazy("缺少、无效或已吊销的 api_key"),
        404: gettext_lazy("资源不存在"),
        429: gettext_lazy("超过接口密钥的频率限制"),
    }
    return {code: OpenApiResponse(ERRORS, description=described[code]) for code in codes}


def _descriptions(detail) -> list[str]:
    """Flatten DRF error details into readable lines ("lat: 请填写…")."""
    if isinstance(detail, dict):
        lines = []
        for field, value in detail.items():
            for line in _descriptions(value):
                lines.append(line if field == "non_field_errors" else f"{field}: {line}")
        return lines
    if isinstance(detail, list | tuple):
        return [line for item in detail for line in _descriptions(item)]
    return [str(detail)]


def open311_exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        exc = exceptions.Throttled(
            wait=exc.wait,
            detail=_("请求过于频繁，已超过此接口密钥的频率限制，请在 %(wait)s 秒后重试。")
            % {"wait": wait},
        )
    elif isinstance(exc, exceptions.NotFound) and not isinstance(exc.detail, str | list):
        exc = exceptions.NotFound(_("资源不存在。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        detail = detail["detail"]
    response.data = [
        {"code": response.status_code, "description": line} for line in _descriptions(detail)
    ]
    return response


class Open311View(APIView):
    """Shared set-up: format by extension, api_key authentication and rate, spec-shaped errors."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser]
    schema = Open311AutoSchema()
    xml_root = "response"

    def get_exception_handler(self):
        return open311_exception_handler


def _not_found(what: str, value: str) -> exceptions.NotFound:
    return exceptions.NotFound(_("%(what)s 不存在：%(value)s") % {"what": what, "value": value})


class DiscoveryView(Open311View):
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""

    xml_root = "discovery"

    @extend_schema(
        summary="Service discovery",
        responses={200: DiscoverySerializer, **_error_responses(400)},
    )
    def get(self, request, format=None):
        endpoint = request.build_absolute_uri(reverse("open311:root"))
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("义马市城市运行管理指挥中心（12345 热线）"),
                "key_service": _("接口密钥由指挥中心签发，请联系义马市城市运行管理指挥中心申请。"),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": endpoint,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


class ServiceListView(Open311View):
    """GET Service List: our active public leaf categories, grouped by their parent."""

    xml_root = "services"

    @extend_schema(
        summary="GET Service List",
        parameters=[OpenApiParameter("jurisdiction_id", str, required=False)],
        responses={200: ServiceSerializer(many=True), **_error_responses(400)},
    )
    def get(self, request, format=None):
        return Response([selectors.service_document(c) for c in selectors.public_services()])


class ServiceDefinitionView(Open311View):
    """GET Service Definition: the extra questions (attributes) a service asks."""

    xml_root = "service_definition"

    @extend_schema(
        summary="GET Service Definition",
        parameters=[OpenApiParameter("jurisdiction_id", str, required=False)],
        responses={200: ServiceDefinitionSerializer, **_error_responses(400, 404)},
    )
    def get(self, request, service_code, format=None):
        category = selectors.public_services().filter(code=service_code).first()
        if category is None:
            raise _not_found("service_code", service_code)
        return Response(selectors.service_definition_document(category))


def _parse_w3(name: str, value: str) -> datetime:
    parsed = None
    try:
        parsed = parse_datetime(value)
        if parsed is None and (day := parse_date(value)) is not None:
            parsed = datetime(day.year, day.month, day.day)
    except ValueError:
        parsed = None
    if parsed is None:
        raise exceptions.ValidationError(
            {name: _("日期时间格式无效，须为 W3C 格式，例如 2010-01-01T00:00:00Z。")}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _read_attributes(data, service_code: str) -> tuple[dict, list[str]]:
    """`attribute[code]` answers, checked against the service definition. Returns (answers, lines
    for the description). Raises ValidationError naming every wrong answer at once."""
    definitions = {a.code: a for a in attributes_for(service_code)}
    errors: dict[str, str] = {}
    answers: dict[str, str | list[str]] = {}
    for key in data:
        if not key.startswith("attribute["):
            continue
        code = key[len("attribute[") :].split("]", 1)[0]
        values = [v for v in data.getlist(key) if isinstance(v, str) and v.strip()]
        if code not in definitions:
            errors[f"attribute[{code}]"] = _("此服务没有这个附加项。")
            continue
        if values:
            answers[code] = values if definitions[code].datatype == "multivaluelist" else values[0]
    lines = []
    for code, attribute in definitions.items():
        field = f"attribute[{code}]"
        value = answers.get(code)
        if value is None:
            if attribute.required:
                errors[field] = _("此项为必填：%(description)s") % {
                    "description": attribute.description
                }
            continue
        keys = dict(attribute.values)
        chosen = value if isinstance(value, list) else [value]
        if attribute.datatype in ("singlevaluelist", "multivaluelist"):
            unknown = [v for v in chosen if v not in keys]
            if unknown:
                errors[field] = _("不是可选的值：%(values)s") % {"values": ", ".join(unknown)}
                continue
            shown = "、".join(str(keys[v]) for v in chosen)
        elif attribute.datatype == "number":
            try:
                float(chosen[0])
            except ValueError:
                errors[field] = _("须为数字。")
                continue
            shown = chosen[0]
        elif attribute.datatype == "datetime":
            try:
                _parse_w3(field, chosen[0])
            except exceptions.ValidationError:
                errors[field] = _("日期时间格式无效。")
                continue
            shown = chosen[0]
        else:
            shown = chosen[0][:200]
        lines.append(f"{attribute.description}：{shown}")
    if errors:
        raise exceptions.ValidationError(errors)
    return answers, lines


class RequestsView(Open311View):
    """GET Service Requests (public categories, last 90 days, at most 1000) and POST Service
    Request (needs an api_key; the ticket's number is returned at once)."""

    xml_root = "service_requests"

    def get_permissions(self):
        if self.request.method == "POST":
            return [ApiKeyRequired()]
        return [AllowAny()]

    @extend_schema(
        summary="GET Service Requests",
        parameters=[
            OpenApiParameter("jurisdiction_id", str, required=False),
            OpenApiParameter(
                "service_request_id", str, description="comma delimited; overrides all others"
            ),
            OpenApiParameter("service_code", str, description="comma delimited"),
            OpenApiParameter("start_date", str, description="W3C date-time"),
            OpenApiParameter("end_date", str, description="W3C date-time"),
            OpenApiParameter("status", str, description="open, closed; comma delimited"),
        ],
        responses={200: ServiceRequestSerializer(many=True), **_error_responses(400)},
    )
    def get(self, request, format=None):
        params = request.query_params
        reports = selectors.public_requests()
        ids = _comma_list(params.get("service_request_id", ""))
        if ids:
            # "This overrides all other arguments."
            reports = reports.filter(number__in=ids[:MAX_REQUESTS])
        else:
            reports = self._filter(reports, params)
        reports = list(reports.order_by("-submitted_at", "-id")[:MAX_REQUESTS])
        return Response(selectors.request_documents(reports, request=request))

    def _filter(self, reports, params):
        codes = _comma_list(params.get("service_code", ""))
        if codes:
            reports = reports.filter(category__code__in=codes)
        statuses = _comma_list(params.get("status", ""))
        unknown = [s for s in statuses if s not in ("open", "closed")]
        if unknown:
            raise exceptions.ValidationError(
                {"status": _("只能是 open 或 closed：%(values)s") % {"values": ", ".join(unknown)}}
            )
        if set(statuses) == {"open"}:
            reports = reports.exclude(status__in=selectors.CLOSED_STATUSES)
        elif set(statuses) == {"closed"}:
            reports = reports.filter(status__in=selectors.CLOSED_STATUSES)
        start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
        start = _parse_w3("start_date", start_raw) if start_raw else None
        end = _parse_w3("end_date", end_raw) if end_raw else None
        if start and end:
            if start > end:
                raise exceptions.ValidationError(
                    {"start_date": _("start_date 不能晚于 end_date。")}
                )
            if end - start > DEFAULT_WINDOW:
                raise exceptions.ValidationError({"end_date": _("查询范围不能超过 90 天。")})
        elif start:
            end = start + DEFAULT_WINDOW
        elif end:
            start = end - DEFAULT_WINDOW
        else:
            end = timezone.now()
            start = end - DEFAULT_WINDOW
        return reports.filter(submitted_at__gte=start, submitted_at__lte=end)

    @extend_schema(
        summary="POST Service Request",
        request={
            "application/x-www-form-urlencoded": ServiceRequestInputSerializer,
            "multipart/form-data": ServiceRequestInputSerializer,
        },
        responses={
            200: CreatedRequestSerializer(many=True),
            **_error_responses(400, 403, 404, 429),
        },
    )
    def post(self, request, format=None):
        form = ServiceRequestInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        code = data["service_code"]
        category = selectors.public_services().filter(code=code).first()
        if category is None:
            raise _not_found("service_code", code)
        lat, lon = data.get("lat"), data.get("long")
        if lat is None or lon is None:
            if lat is not None or lon is not None:
                raise exceptions.ValidationError({"lat": _("lat 与 long 必须同时提供。")})
            if data.get("address_string") or data.get("address_id"):
                raise exceptions.ValidationError(
                    {
                        "address_string": _(
                            "无法仅凭地址定位：本平台离线部署，不提供地址解析（地理编码）。"
                            "请同时提供 lat 与 long（WGS-84）。"
                        )
                    }
                )
            raise exceptions.ValidationError({"lat": _("缺少位置：请提供 lat 与 long（WGS-84）。")})
        answers, lines = _read_attributes(request.data, code)
        description = data.get("description", "")
        if lines:
            description = "\n".join([description, *lines]).strip()
        photos = request.FILES.getlist("media") if request.FILES else []
        try:
            report = actions.submit_open311_request(
                api_key=request.auth,
                category=category,
                lon=lon,
                lat=lat,
                description=description,
                address=data.get("address_string", ""),
                contact_name=(data.get("last_name", "") + data.get("first_name", "")).strip(),
                contact_phone=data.get("phone", ""),
                contact_email=data.get("email", ""),
                photos=photos,
                extra={
                    "attributes": answers,
                    "device_id": data.get("device_id", ""),
                    "account_id": data.get("account_id", ""),
                    "address_id": data.get("address_id", ""),
                    "media_url": data.get("media_url", ""),
                },
            )
        except SubmissionError as exc:
            field = exc.field or "non_field_errors"
            raise exceptions.ValidationError({field: str(exc.message)}) from None
        return Response(
            [
                {
                    "service_request_id": report.number,
                    "service_notice": selectors.service_notice_for(category),
                    "account_id": data.get("account_id") or None,
                }
            ],
            status=status.HTTP_200_OK,
        )


class ServiceRequestView(Open311View):
    """GET Service Request: one request, as a list of one."""

    xml_root = "service_requests"

    @extend_schema(
        summary="GET Service Request",
        parameters=[OpenApiParameter("jurisdiction_id", str, required=False)],
        responses={200: ServiceRequestSerializer(many=True), **_error_responses(400, 404)},
    )
    def get(self, request, service_request_id, format=None):
        report = selectors.public_requests().filter(number=service_request_id).first()
        if report is None:
            raise _not_found("service_request_id", service_request_id)
        return Response(selectors.request_documents([report], request=request))


class TokenView(Open311View):
    """We answer POST with the service_request_id at once (type realtime) and never hand out
    tokens; this resolves the tracking token a resident got from the web form, for completeness."""

    xml_root = "service_requests"

    @extend_schema(
        summary="GET service_request_id from a token",
        parameters=[OpenApiParameter("jurisdiction_id", str, required=False)],
        responses={200: TokenSerializer(many=True), **_error_responses(400, 404)},
    )
    def get(self, request, token, format=None):
        report = selectors.public_requests().filter(tracking_token=token).first()
        if report is None:
            raise _not_found("token", token)
        return Response([{"service_request_id": report.number, "token": token}])
