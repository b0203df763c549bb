"""The hotline operator's form and the machine-events endpoint.

Input is checked here; the writes are `submit_hotline_report` and `record_machine_event` in
reports/actions.py.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import actions
from reports.errors import SubmissionError
from reports.intake.forms import HotlineReportForm
from reports.intake.serializers import (
    IntakeErrorSerializer,
    MachineEventResultSerializer,
    MachineEventSerializer,
)
from reports.models import Report
from reports.open311.auth import ApiKeyAuthentication, ApiKeyRateThrottle, ApiKeyRequired
from yima_gov.parsers import JSONParser

SESSION_LAST_NUMBER = "hotline_last_number"


def can_take_hotline_calls(user) -> bool:
    """Dispatchers, and whoever holds reports.add_report (the "12345热线坐席" group)."""
    return user.is_active and (user.is_dispatcher or user.has_perm("reports.add_report"))


def _operator_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_take_hotline_calls(request.user):
            raise PermissionDenied(_("只有 12345 热线坐席和指挥中心可以代为登记来电。"))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_operator_required
def hotline_report(request):
    """Enter a caller's report; on success the operator reads the ticket number to the caller."""
    form = HotlineReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = actions.submit_hotline_report(
                operator=request.user,
                category=data["category"],
                lon=data["lon"],
                lat=data["lat"],
                address=data["address"],
                description=data["description"],
                caller_phone=data["caller_phone"],
                caller_name=data["caller_name"],
                photos=data["photos"],
            )
        except SubmissionError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "location":
                field = "grid"
            form.add_error(field, str(exc.message))
        else:
            # The number goes through the session, not the URL: an operator sees only their own.
            request.session[SESSION_LAST_NUMBER] = report.number
            return redirect("intake:hotline-done")
    status_code = 400 if request.method == "POST" else 200
    return render(request, "reports/intake/hotline_form.html", {"form": form}, status=status_code)


@_operator_required
def hotline_done(request):
    number = request.session.get(SESSION_LAST_NUMBER)
    report = Report.objects.select_related("category").filter(number=number).first()
    if report is None:
        return redirect("intake:hotline")
    return render(request, "reports/intake/hotline_done.html", {"report": report})


class MachineEventView(APIView):
    """POST /intake/events/: an event from the city-management system or emergency sensing.

    Authenticated by an API key of one of those channels (X-Api-Key header). The first event with
    an `event_id` files a ticket (201); the same id again updates that ticket (200) and adds a
    "repeated" event to its timeline. Once that ticket was closed, a repeat files a new one.
    """

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [ApiKeyRequired]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = [JSONParser]
    api_key_channels = actions.EVENT_CHANNELS

    @extend_schema(
        summary="Machine event upsert",
        tags=["intake"],
        request=MachineEventSerializer,
        responses={
            200: MachineEventResultSerializer,
            201: MachineEventResultSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="invalid input"),
            403: IntakeErrorSerializer,
            429: IntakeErrorSerializer,
        },
    )
    def post(self, request):
        form = MachineEventSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            report, created, count = actions.record_machine_event(
                api_key=request.auth,
                event_id=data["event_id"],
                category=data["service_code"],
                lon=data["long"],
                lat=data["lat"],
                description=data.get("description", ""),
                address=data.get("address", ""),
            )
        except SubmissionError as exc:
            field = {"category": "service_code", "location": "lat"}.get(exc.field, exc.field)
            raise exceptions.ValidationError(
                {field or "non_field_errors": [str(exc.message)]}
            ) from None
        return Response(
            {
                "service_request_id": report.number,
                "created": created,
                "count": count,
                "status": report.status,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
