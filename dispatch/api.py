"""REST API of the dispatcher: one view per operation, a small input serializer, one action call.

What you cannot see is 404 (a task of another unit, a ticket that is not yours); what you can see
but may not do is 403; a transition the ticket's or task's state refuses is 409; bad input is 400.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch import category_actions, idempotency, lifecycle, membership, selectors
from dispatch.actions.closure import check_and_close, reopen_after_unsatisfied, send_back
from dispatch.actions.extensions import approve_extension, refuse_extension, request_extension
from dispatch.actions.guards import MAX_EXTENSION_HOURS
from dispatch.actions.patrol import file_patrol_report
from dispatch.actions.routing import reroute, route_manually
from dispatch.actions.suspension import (
    approve_suspension,
    refuse_suspension,
    request_suspension,
    resume_report,
    suspend_report,
)
from dispatch.actions.triage import merge_duplicate, reject_report
from dispatch.actions.unit_work import (
    accept_task,
    add_progress_note,
    escalate_task,
    finish_task,
    return_task,
)
from dispatch.errors import NotPermitted
from dispatch.models import DispatchQueueEntry, Extension, SuspensionRequest, Task, Unit
from reports.models import Category, Report
from yima_gov.parsers import FormParser, JSONParser, MultiPartParser

# --- shapes ---------------------------------------------------------------------------------------


class ProblemResponse(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class TaskSerializer(serializers.ModelSerializer):
    report = serializers.CharField(source="report.number")
    category = serializers.CharField(source="report.category.name")
    report_status = serializers.CharField(source="report.status")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    available_actions = serializers.SerializerMethodField(
        help_text="What the caller may do to this task now (dispatch/lifecycle.py)."
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "report",
            "category",
            "report_status",
            "unit_code",
            "unit_name",
            "role",
            "level",
            "status",
            "hours",
            "urgent",
            "extended_hours",
            "assigned_at",
            "deadline",
            "accepted_at",
            "done_at",
            "overdue_at",
            "official_listed_at",
            "note",
            "available_actions",
        ]

    def get_available_actions(self, task) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        if "unit_ids" not in self.context:
            self.context["unit_ids"] = set(membership.unit_ids_of(request.user))
        unit_ids = self.context["unit_ids"]
        return sorted(lifecycle.available_on_task(task, task.report, request.user, unit_ids))


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "task", "hours", "reason", "status", "requested_at", "decided_at"]


class SuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuspensionRequest
        fields = [
            "id",
            "task",
            "reason",
            "status",
            "requested_at",
            "decided_at",
            "decision_note",
        ]


class TicketSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code")
    tasks = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField(
        help_text="What the caller may do to this ticket now (dispatch/lifecycle.py)."
    )

    class Meta:
        model = Report
        fields = [
            "number",
            "status",
            "category",
            "dispatched_at",
            "accepted_at",
            "handled_at",
            "closed_at",
            "deadline",
            "overdue_at",
            "handled_level",
            "reopened_count",
            "dispute_settled",
            "tasks",
            "available_actions",
        ]

    def get_tasks(self, report) -> list[dict]:
        tasks = report.tasks.select_related("unit", "report__category")
        return TaskSerializer(tasks, many=True, context=self.context).data

    def get_available_actions(self, report) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        user = request.user
        grid_ids = set(selectors.grid_ids_of(user))
        return sorted(lifecycle.available(report, user, grid_ids=grid_ids))


class QueueEntrySerializer(serializers.ModelSerializer):
    report = serializers.CharField(source="report.number")
    category = serializers.CharField(source="report.category.name")

    class Meta:
        model = DispatchQueueEntry
        fields = ["id", "report", "category", "reason", "note", "created_at"]


class NoteRequest(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ReasonRequest(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ProgressRequest(serializers.Serializer):
    note = serializers.CharField(max_length=1000)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=9)


class FinishRequest(serializers.Serializer):
    note = serializers.CharField(max_length=1000)
    photo = serializers.FileField()


class ExtensionRequest(serializers.Serializer):
    hours = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_HOURS)
    reason = serializers.CharField(max_length=1000)


class RouteRequest(serializers.Serializer):
    lead = serializers.CharField(help_text="lead unit code")
    cooperating = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    hours = serializers.IntegerField(min_value=1, max_value=720, required=False)
    urgent = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class RerouteRequest(RouteRequest):
    reason = serializers.CharField(max_length=1000)


class RecategoriseRequest(serializers.Serializer):
    category = serializers.CharField(
        max_length=5, help_text="the new category's code (GB/T 47678.5 matter or local)"
    )
    reason = serializers.CharField(max_length=1000)


class MergeRequest(serializers.Serializer):
    into = serializers.CharField(help_text="number of the earlier open report")
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class CloseRequest(serializers.Serializer):
    photo = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    dispute_settled = serializers.BooleanField(required=False, allow_null=True, default=None)


class PatrolRequest(serializers.Serializer):
    category = serializers.CharField(help_text="category code (a subcategory)")
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    description = serializers.CharField(max_length=1000)
    photo = serializers.FileField()
    handled_on_spot = serializers.BooleanField(required=False, default=False)
    after_photo = serializers.FileField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class PatrolResponse(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()


ERRORS = {400: ProblemResponse, 403: ProblemResponse, 404: ProblemResponse, 409: ProblemResponse}

# --- who sees what --------------------------------------------------------------------------------


def visible_tasks(user):
    """Tasks of the person's units; dispatchers see all."""
    tasks = Task.objects.select_related("unit", "report__category")
    if user.is_dispatcher:
        return tasks
    return tasks.filter(unit_id__in=membership.unit_ids_of(user))


def visible_tickets(user):
    """Tickets a dispatcher, a worker of the ticket's grid, or a unit with a task on it may see."""
    reports = Report.objects.select_related("category")
    if user.is_dispatcher:
        return reports
    grid_ids = user.grid_memberships.values("grid_id")
    return reports.filter(
        Q(grid_id__in=grid_ids) | Q(tasks__unit_id__in=membership.unit_ids_of(user))
    ).distinct()


def _task_or_404(request, task_id: int) -> Task:
    task = visible_tasks(request.user).filter(id=task_id).first()
    if task is None:
        raise Http404
    return task


def _ticket_or_404(request, number: str) -> Report:
    report = visible_tickets(request.user).filter(number=number).first()
    if report is None:
        raise Http404
    return report


def _units(lead: str, cooperating: list[str]) -> tuple[Unit, list[Unit]]:
    codes = [lead, *cooperating]
    found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({"lead": [f"未知的单位代码：{'、'.join(missing)}"]})
    return found[lead], [found[c] for c in cooperating]


class DispatchView(APIView):
    """Runs one action; its refusals become 400 / 409 / 403 in the API's one exception handler
    (yima_gov/api_errors.py).

    Every subclass's POST honours Idempotency-Key (dispatch/idempotency.py): the offline
    worklist replays queued actions with their keys, and a replay is answered, not applied."""

    permission_classes = [IsAuthenticated]
    input_class: type[serializers.Serializer] = NoteRequest

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        post = cls.__dict__.get("post")
        if post is not None and not getattr(post, "idempotent", False):
            cls.post = idempotency.idempotent(post)

    def read(self, request) -> dict:
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data


def _task_response(request, result: Task) -> Response:
    task = Task.objects.select_related("unit", "report__category").get(id=result.id)
    return Response(TaskSerializer(task, context={"request": request}).data)


def _ticket_response(request, result: Report) -> Response:
    report = Report.objects.get(id=result.id)
    return Response(TicketSerializer(report, context={"request": request}).data)


# --- tasks ----------------------------------------------------------------------------------------


class MyTasksView(ListAPIView):
    """The tasks of my units (grid teams included), newest first; ?status=pending to filter."""

    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer
    filterset_fields = ["status", "role", "level"]

    def get_queryset(self):
        units = membership.unit_ids_of(self.request.user)
        return (
            Task.objects.filter(unit_id__in=units)
            .select_related("unit", "report__category")
            .order_by("-assigned_at", "-id")
        )


class TaskDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TaskSerializer, 404: ProblemResponse})
    def get(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        return Response(TaskSerializer(task, context={"request": request}).data)


class AcceptTaskView(DispatchView):
    @extend_schema(request=NoteRequest, responses={200: TaskSerializer, **ERRORS})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = self.read(request)
        return _task_response(
            request, accept_task(task=task, actor=request.user, note=data["note"])
        )


class ProgressTaskView(DispatchView):
    input_class = ProgressRequest
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ProgressRequest, responses={200: TaskSerializer, **ERRORS})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = self.read(request)
        return _task_response(
            request,
            add_progress_note(
                task=task, actor=request.user, note=data["note"], photos=data.get("photos", [])
            ),
        )


class FinishTaskView(DispatchView):
    input_class = FinishRequest
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=FinishRequest, responses={200: TaskSerializer, **ERRORS})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = self.read(request)
        return _task_response(
            request,
            finish_task(task=task, actor=request.user, note=data["note"], photo=data["photo"]),
        )


class ReturnTaskView(DispatchView):
    input_class = ReasonRequest

    @extend_schema(request=ReasonRequest, responses={200: TaskSerializer, **ERRORS})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = self.read(request)
        return _task_response(
            request, return_task(task=task, actor=request.user, reason=data["reason"])
        )


class RequestExtensionView(DispatchView):
    input_class = ExtensionRequest

    @extend_schema(request=ExtensionRequest, responses={201: ExtensionSerializer, **ERRORS})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = self.read(request)
        result = request_extension(
            task=task, actor=request.user, hours=data["hours"], reason=data["reason"]
        )
        return Response(ExtensionSerializer(result).data, status=status.HTTP_201_CREATED)


class RequestSuspensionView(DispatchView):
    input_class = ReasonRequest

    @extend_schema(request=ReasonRequest, responses={201: SuspensionSerializer, **ERRORS})
    def post(self, request, task_id: int):
        """挂账申请: the unit asks the dispatcher to suspend the ticket (long-term work)."""
        task = _task_or_404(request, task_id)
        data = self.read(request)
        result = request_suspension(task=task, actor=request.user, reason=data["reason"])
        return Response(SuspensionSerializer(result).data, status=status.HTTP_201_CREATED)


class EscalateTaskView(DispatchView):
    input_class = ReasonRequest

    @extend_schema(request=ReasonRequest, responses={200: TaskSerializer(many=True), **ERRORS})
    def post(self, request, task_id: int):
        task = _task_or_404(request, task_id)
        data = self.read(request)
        result = escalate_task(task=task, actor=request.user, reason=data["reason"])
        return Response(TaskSerializer(result, many=True, context={"request": request}).data)


class DecideExtensionView(DispatchView):
    approve = True

    @extend_schema(request=NoteRequest, responses={200: ExtensionSerializer, **ERRORS})
    def post(self, request, extension_id: int):
        extension = Extension.objects.filter(id=extension_id).first()
        if extension is None or not (
            request.user.is_dispatcher
            or visible_tasks(request.user).filter(id=extension.task_id).exists()
        ):
            raise Http404
        data = self.read(request)
        decide = approve_extension if self.approve else refuse_extension
        result = decide(extension=extension, actor=request.user, note=data["note"])
        return Response(ExtensionSerializer(result).data)


class ApproveExtensionView(DecideExtensionView):
    approve = True


class RefuseExtensionView(DecideExtensionView):
    approve = False


class DecideSuspensionView(DispatchView):
    approve = True

    @extend_schema(request=NoteRequest, responses={200: SuspensionSerializer, **ERRORS})
    def post(self, request, suspension_id: int):
        """The dispatcher approves (the ticket is suspended) or refuses a 挂账 request."""
        suspension = SuspensionRequest.objects.filter(id=suspension_id).first()
        if suspension is None or not (
            request.user.is_dispatcher
            or visible_tasks(request.user).filter(id=suspension.task_id).exists()
        ):
            raise Http404
        data = self.read(request)
        decide = approve_suspension if self.approve else refuse_suspension
        result = decide(suspension=suspension, actor=request.user, note=data["note"])
        return Response(SuspensionSerializer(result).data)


class ApproveSuspensionView(DecideSuspensionView):
    approve = True


class RefuseSuspensionView(DecideSuspensionView):
    approve = False


class PatrolView(DispatchView):
    """巡查上报: a grid worker files what they found; fixed on the spot (with an after-photo), it
    closes at once. The offline worklist replays queued patrol reports here."""

    input_class = PatrolRequest
    parser_classes = [MultiPartParser, FormParser]

    # 400 (field messages) is documented for every operation by yima_gov.schema.
    @extend_schema(
        request=PatrolRequest,
        responses={201: PatrolResponse, 403: ProblemResponse, 409: ProblemResponse},
    )
    def post(self, request):
        if not selectors.grid_ids_of(request.user):
            # Who may comes before what was sent: a resident learns nothing about the form.
            raise NotPermitted(_("只有网格员可以提交巡查上报。"))
        data = self.read(request)
        result = file_patrol_report(
            actor=request.user,
            category=data["category"],
            lon=data["lon"],
            lat=data["lat"],
            address=data["address"],
            description=data["description"],
            photos=[data["photo"]],
            handled_on_spot=data["handled_on_spot"],
            after_photo=data["after_photo"],
            note=data["note"],
        )
        return Response(
            {"number": result.number, "status": result.status}, status=status.HTTP_201_CREATED
        )


# --- tickets --------------------------------------------------------------------------------------


class DispatchQueueView(ListAPIView):
    """Tickets waiting for the dispatcher (dispatchers only)."""

    permission_classes = [IsAuthenticated]
    serializer_class = QueueEntrySerializer
    queryset = DispatchQueueEntry.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if not self.request.user.is_dispatcher:
            raise NotPermitted("只有指挥中心调度员可以查看待派遣队列。")
        return DispatchQueueEntry.objects.filter(resolved_at=None).select_related(
            "report__category"
        )


class TicketDispatchView(APIView):
    """A ticket's dispatch state and tasks."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TicketSerializer, 404: ProblemResponse})
    def get(self, request, number: str):
        return _ticket_response(request, _ticket_or_404(request, number))


class RouteView(DispatchView):
    input_class = RouteRequest

    @extend_schema(request=RouteRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        lead, cooperating = _units(data["lead"], data["cooperating"])
        route_manually(
            report=report,
            actor=request.user,
            lead_unit=lead,
            cooperating_units=cooperating,
            hours=data.get("hours"),
            urgent=data["urgent"],
            note=data["note"],
        )
        return _ticket_response(request, report)


class RerouteView(DispatchView):
    input_class = RerouteRequest

    @extend_schema(request=RerouteRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        lead, cooperating = _units(data["lead"], data["cooperating"])
        reroute(
            report=report,
            actor=request.user,
            lead_unit=lead,
            cooperating_units=cooperating,
            reason=data["reason"],
            hours=data.get("hours"),
            urgent=data["urgent"],
        )
        return _ticket_response(request, report)


class RecategoriseView(DispatchView):
    """The dispatcher corrects the ticket's category; it is routed again by the new one's rules."""

    input_class = RecategoriseRequest

    @extend_schema(request=RecategoriseRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        category = Category.objects.by_code(data["category"])
        if category is None:
            raise ValidationError({"category": [_("请选择有效的问题类别（小类）。")]})
        category_actions.recategorise_report(
            report=report, category=category, actor=request.user, reason=data["reason"]
        )
        return _ticket_response(request, report)


class MergeView(DispatchView):
    input_class = MergeRequest

    @extend_schema(request=MergeRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        into = Report.objects.filter(number=data["into"]).first()
        if into is None:
            raise ValidationError({"into": ["找不到该编号的事项。"]})
        return _ticket_response(
            request,
            merge_duplicate(report=report, into=into, actor=request.user, note=data["note"]),
        )


class RejectView(DispatchView):
    input_class = ReasonRequest

    @extend_schema(request=ReasonRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        return _ticket_response(
            request, reject_report(report=report, actor=request.user, reason=data["reason"])
        )


class SuspendView(DispatchView):
    input_class = ReasonRequest

    @extend_schema(request=ReasonRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        return _ticket_response(
            request, suspend_report(report=report, actor=request.user, reason=data["reason"])
        )


class ResumeView(DispatchView):
    @extend_schema(request=NoteRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        return _ticket_response(
            request, resume_report(report=report, actor=request.user, note=data["note"])
        )


class CloseView(DispatchView):
    input_class = CloseRequest
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=CloseRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        return _ticket_response(
            request,
            check_and_close(
                report=report,
                actor=request.user,
                photo=data["photo"],
                note=data["note"],
                dispute_settled=data["dispute_settled"],
            ),
        )


class SendBackView(DispatchView):
    input_class = ReasonRequest

    @extend_schema(request=ReasonRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        return _ticket_response(
            request, send_back(report=report, actor=request.user, reason=data["reason"])
        )


class ReworkView(DispatchView):
    """The dispatcher reopens a closed ticket rated 不满意 (返工)."""

    @extend_schema(request=NoteRequest, responses={200: TicketSerializer, **ERRORS})
    def post(self, request, number: str):
        report = _ticket_or_404(request, number)
        data = self.read(request)
        return _ticket_response(
            request, reopen_after_unsatisfied(report=report, actor=request.user, note=data["note"])
        )
