"""REST API for the resident clients (mini-program, the report page's script): one view per
operation, a small serializer for its shape, one action call. Errors: 400 with field messages in
Chinese, 404 for what is not yours, 409 for a state conflict, 429 when over the anonymous limit."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from grids.lookup import grid_for_point
from reports import actions, category_search, photo_access, selectors, submission_keys
from reports.models import Category, Rating, Report
from reports.throttles import THROTTLED_MESSAGE, SubmitThrottle

TRUE_VALUES = ("1", "true", "on", "yes", "True")


class StateConflictResponse(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


# --- Categories ----------------------------------------------------------------------------------


class LeafCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "catalogue", "kind", "urgent"]


class CategoryGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    catalogue = serializers.CharField()
    children = LeafCategorySerializer(many=True)


class CategoryListView(APIView):
    """The two-level catalogue of reportable problems (active categories only)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=CategoryGroupSerializer(many=True))
    def get(self, request):
        data = [
            {
                "code": parent.code,
                "name": parent.name,
                "catalogue": parent.catalogue,
                "children": leaves,
            }
            for parent, leaves in selectors.category_tree()
        ]
        return Response(CategoryGroupSerializer(data, many=True).data)


class CategorySearchQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=50)


class CategorySearchResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="The standard's name (or ours for local extensions)")
    label = serializers.CharField(help_text="What the picker shows: plain words when it has them")
    group = serializers.CharField(help_text="The 大类's name")
    catalogue = serializers.CharField(help_text="matter (GB/T 47678.5 管理事项) or local")
    local = serializers.BooleanField()


class CategorySearchView(APIView):
    """Categories matching everyday words, codes, names, pinyin or English (`?q=`), best first;
    without `q`, the short list of common problems the report page starts with."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[CategorySearchQuery], responses=CategorySearchResultSerializer(many=True)
    )
    def get(self, request):
        query = CategorySearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = category_search.search(query.validated_data.get("q", ""))
        return Response(CategorySearchResultSerializer(found, many=True).data)


# --- Where is this point? Are there open reports nearby? ------------------------------------------


class PointQuery(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)


class LocateResponse(serializers.Serializer):
    inside = serializers.BooleanField()
    grid = serializers.CharField(allow_null=True)
    grid_code = serializers.CharField(allow_null=True)
    community = serializers.CharField(allow_null=True)
    street = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class LocateView(APIView):
    """Which grid a point is in, shown to the resident before sending."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[PointQuery], responses=LocateResponse)
    def get(self, request):
        query = PointQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        grid = grid_for_point(query.validated_data["lon"], query.validated_data["lat"])
        if grid is None:
            body = {
                "inside": False,
                "grid": None,
                "grid_code": None,
                "community": None,
                "street": None,
                "message": _("该位置不在义马市网格服务范围内。"),
            }
        else:
            body = {
                "inside": True,
                "grid": grid.name,
                "grid_code": grid.code,
                "community": grid.community.name,
                "street": grid.community.street.name,
                "message": _("%(street)s %(community)s · %(grid)s")
                % {
                    "street": grid.community.street.name,
                    "community": grid.community.name,
                    "grid": grid.name,
                },
            }
        return Response(LocateResponse(body).data)


class NearbyQuery(PointQuery):
    category = serializers.CharField()


class NearbyReportSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    status_display = serializers.CharField(source="get_status_display")
    distance_m = serializers.FloatField()

    class Meta:
        model = Report
        fields = [
            "number",
            "category",
            "status",
            "status_display",
            "address",
            "submitted_at",
            "supporter_count",
            "distance_m",
        ]


class NearbyView(APIView):
    """Open reports of the same category within 250 m from the last 30 days ("me too" candidates)."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[NearbyQuery], responses=NearbyReportSerializer(many=True))
    def get(self, request):
        query = NearbyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        category = Category.objects.by_code(query.validated_data["category"])
        if category is None:
            raise ValidationError({"category": [_("请选择有效的问题类别（小类）。")]})
        found = selectors.nearby_open_reports(
            category=category,
            lon=query.validated_data["lon"],
            lat=query.validated_data["lat"],
        )
        return Response(NearbyReportSerializer(found, many=True).data)


# --- Submitting ----------------------------------------------------------------------------------


class SubmitRequest(serializers.Serializer):
    """Multipart form. The idempotency key may also come as the Idempotency-Key header."""

    category = serializers.CharField(help_text="小类代码 (5 位)")
    lon = serializers.FloatField(required=False, help_text="WGS-84; omitted: the photo's GPS")
    lat = serializers.FloatField(required=False)
    address = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, max_length=1000)
    photos = serializers.ListField(child=serializers.ImageField(), min_length=1, max_length=9)
    contact_name = serializers.CharField(required=False)
    contact_phone = serializers.CharField(required=False)
    contact_email = serializers.EmailField(required=False)
    hide_identity = serializers.BooleanField(required=False)
    category_unsure = serializers.BooleanField(required=False)
    idempotency_key = serializers.UUIDField(required=False)


class SubmittedResponse(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    # null on a replay of an anonymous report from another browser session (reports/submission_keys.py)
    tracking_token = serializers.CharField(allow_null=True)
    tracking_url = serializers.CharField(allow_null=True)


class SubmitView(APIView):
    """File a report. 201 with the ticket; 200 with the same ticket when the idempotency key was
    already used; 400 with field messages; 429 over the anonymous limit."""

    permission_classes = [AllowAny]

    def get_throttles(self):
        return [SubmitThrottle()]

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=str(THROTTLED_MESSAGE))

    @extend_schema(
        request={"multipart/form-data": SubmitRequest},
        parameters=[
            OpenApiParameter("Idempotency-Key", OpenApiTypes.UUID, OpenApiParameter.HEADER)
        ],
        responses={201: SubmittedResponse, 200: SubmittedResponse},
    )
    def post(self, request):
        data = request.data
        # From the request only (the header, or the form's field): never from the URL.
        key = request.headers.get("Idempotency-Key") or data.get("idempotency_key")
        report = actions.submit_report(
            category=data.get("category", ""),
            lon=data.get("lon"),
            lat=data.get("lat"),
            address=data.get("address", ""),
            description=data.get("description", ""),
            photos=request.FILES.getlist("photos"),
            reporter=request.user if request.user.is_authenticated else None,
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""),
            hide_identity=data.get("hide_identity") in TRUE_VALUES,
            category_unsure=data.get("category_unsure") in TRUE_VALUES,
            # Residents file through the web page or the mini-program, nothing else.
            channel="mini_program" if data.get("channel") == "mini_program" else "web",
            idempotency_key=key,
        )
        body = {
            "number": report.number,
            "status": report.status,
            "tracking_token": None,
            "tracking_url": None,
        }
        if submission_keys.may_see_token(request, report, key):
            body["tracking_token"] = report.tracking_token
            body["tracking_url"] = request.build_absolute_uri(
                reverse("reports:track", args=[report.tracking_token])
            )
            if key and not report.replayed:
                # The key is this session's now: a retry from it gets the token back.
                submission_keys.remember(request, key)
        code = status.HTTP_200_OK if report.replayed else status.HTTP_201_CREATED
        return Response(SubmittedResponse(body).data, status=code)


# --- Reading a report ----------------------------------------------------------------------------


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    actor_label = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class PhotoSerializer(serializers.Serializer):
    kind = serializers.CharField()
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    # Signed URLs: whoever reads this answer may see the report (reports/photo_access.py).
    def get_url(self, photo) -> str:
        return photo_access.signed_url(photo, "original")

    def get_thumbnail_url(self, photo) -> str:
        return photo_access.signed_url(photo, "thumb") if photo.thumbnail else ""


class PublicReportSerializer(serializers.ModelSerializer):
    """What anyone may read: no reporter, no contact details."""

    category = serializers.CharField(source="category.name")
    category_code = serializers.CharField(source="category.code")
    status_display = serializers.CharField(source="get_status_display")
    community = serializers.CharField(source="community.name")
    grid = serializers.CharField(source="grid.name")
    photos = PhotoSerializer(many=True)
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "number",
            "category",
            "category_code",
            "status",
            "status_display",
            "lon",
            "lat",
            "address",
            "description",
            "community",
            "grid",
            "submitted_at",
            "deadline",
            "closed_at",
            "supporter_count",
            "photos",
            "timeline",
        ]

    def get_timeline(self, report) -> list[dict]:
        return EventSerializer(selectors.public_timeline(report), many=True).data


class PrivateReportSerializer(PublicReportSerializer):
    """The reporter's own view (token holder or owner): adds what they entered and their rating."""

    class Meta(PublicReportSerializer.Meta):
        fields = [
            *PublicReportSerializer.Meta.fields,
            "contact_name",
            "contact_phone",
            "contact_email",
            "hide_identity",
            "rating",
            "rating_comment",
            "rated_at",
        ]


def _token(request) -> str:
    return (
        request.headers.get("X-Tracking-Token")
        or request.query_params.get("token")
        or (request.data.get("token", "") if hasattr(request.data, "get") else "")
        or ""
    )


def _own_report_or_404(request, number: str) -> Report:
    report = Report.objects.filter(number=number).first()
    if report is None or not selectors.is_reporter(
        report, user=request.user, token=_token(request)
    ):
        raise Http404
    return report


class ReportDetailView(APIView):
    """A report by number: the reporter's view with the token (or as its owner), otherwise the
    public view, and 404 for a report in a private category."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.QUERY)],
        responses=PrivateReportSerializer,
    )
    def get(self, request, number: str):
        report = Report.objects.filter(number=number).first()
        if report is not None and selectors.is_reporter(
            report, user=request.user, token=_token(request)
        ):
            return Response(PrivateReportSerializer(report).data)
        report = selectors.public_report(number)
        if report is None:
            raise Http404
        return Response(PublicReportSerializer(report).data)


class MyReportsView(ListAPIView):
    """The logged-in resident's own reports, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = PrivateReportSerializer
    queryset = Report.objects.none()  # for the schema; the real one depends on the user

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.reports_of(self.request.user).filter(reporter=self.request.user)


class RateRequest(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True)
    token = serializers.CharField(required=False)


class ReopenRequest(serializers.Serializer):
    reason = serializers.CharField()
    token = serializers.CharField(required=False)


class SupportRequest(serializers.Serializer):
    contact_phone = serializers.CharField(required=False, allow_blank=True)


class RateView(APIView):
    """The reporter rates a closed ticket (409 when it is not closed or already rated)."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=RateRequest, responses={200: PrivateReportSerializer, 409: StateConflictResponse}
    )
    def post(self, request, number: str):
        report = _own_report_or_404(request, number)
        actor = request.user if request.user.is_authenticated else None
        report = actions.rate_report(
            report=report,
            actor=actor,
            rating=request.data.get("rating", ""),
            comment=request.data.get("comment", ""),
        )
        return Response(PrivateReportSerializer(report).data)


class ReopenView(APIView):
    """The reporter asks to reopen a closed ticket; the dispatcher decides."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=ReopenRequest, responses={200: PrivateReportSerializer, 409: StateConflictResponse}
    )
    def post(self, request, number: str):
        report = _own_report_or_404(request, number)
        actor = request.user if request.user.is_authenticated else None
        report = actions.request_reopen(
            report=report, actor=actor, reason=request.data.get("reason", "")
        )
        return Response(PrivateReportSerializer(report).data)


class SupportView(APIView):
    """ "Me too" on an open public report."""

    permission_classes = [AllowAny]

    def get_throttles(self):
        return [SubmitThrottle()]

    def throttled(self, request, wait):
        raise Throttled(wait=wait, detail=str(THROTTLED_MESSAGE))

    @extend_schema(
        request=SupportRequest, responses={200: PublicReportSerializer, 409: StateConflictResponse}
    )
    def post(self, request, number: str):
        report = selectors.public_report(number)
        if report is None:
            raise Http404
        user = request.user if request.user.is_authenticated else None
        actions.support_report(
            report=report, user=user, contact_phone=request.data.get("contact_phone", "")
        )
        return Response(PublicReportSerializer(selectors.public_report(number)).data)
