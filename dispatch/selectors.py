"""Reads of the worklist pages: the grid worker's list, the unit's list, the dispatcher's console,
the ticket page and the top bar's unread count. Each is scoped to who asks (DESIGN §2).

Every list here is paginated and loads its related rows with select_related / Prefetch, so a page
costs the same number of queries whether a grid holds ten tickets or ten thousand.
"""

import math
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Notification, User
from accounts.validators import mask_phone
from dispatch import membership
from dispatch.events import Kind
from dispatch.models import (
    LIVE_TASK_STATUSES,
    OPEN_TASK_STATUSES,
    DispatchQueueEntry,
    Extension,
    SuspensionRequest,
    Task,
    Unit,
    UnitMembership,
)
from grids.models import GridMembership
from grids.selectors import official_street_id
from reports.models import AT_WORK_STATUSES, OPEN_STATUSES, Event, Photo, Rating, Report, Status

PAGE_SIZE = 30
QUEUE_SIZE = 50
NEARBY_RADIUS_M = 500

# What a timeline entry is called on the staff pages (the residents' page has its own words).
EVENT_TITLES = {
    "submitted": _("已上报"),
    "supported": _("居民附议"),
    "rated": _("上报人评价"),
    "reopen_requested": _("上报人申请重办"),
    Kind.DISPATCHED: _("已派遣"),
    Kind.AWAITING_MANUAL_ROUTING: _("等待人工派遣"),
    Kind.TASK_ACCEPTED: _("单位签收"),
    Kind.TASK_PROGRESS: _("处置进展"),
    Kind.TASK_DONE: _("单位处置完毕"),
    Kind.TASK_RETURNED: _("单位退回"),
    Kind.TASK_ESCALATED: _("上报上级"),
    Kind.EXTENSION_REQUESTED: _("申请延期"),
    Kind.EXTENSION_APPROVED: _("批准延期"),
    Kind.EXTENSION_REFUSED: _("不批准延期"),
    Kind.SUSPENSION_REQUESTED: _("申请挂账"),
    Kind.SUSPENSION_REFUSED: _("不批准挂账"),
    Kind.REROUTED: _("改派"),
    Kind.MERGED_AS_DUPLICATE: _("合并为重复件"),
    Kind.DUPLICATE_MERGED_IN: _("合并重复上报"),
    Kind.REJECTED: _("不予受理"),
    Kind.SUSPENDED: _("挂账"),
    Kind.RESUMED: _("恢复办理"),
    Kind.CLOSED: _("核查结案"),
    Kind.SENT_BACK: _("核查未通过，返工"),
    Kind.REOPENED: _("不满意，重新办理"),
    Kind.TASK_REMINDED: _("催办"),
    Kind.TASK_OVERDUE: _("超期督办"),
    Kind.TASK_LISTED_FOR_OFFICIALS: _("列入领导督办"),
    "supervision_remark": _("督办意见"),
    "handled_on_spot": _("网格员现场处置办结"),
}


def lead_unit_names(report_ids: list[int]) -> dict[int, str]:
    """The lead (主办) unit of each ticket's current live task (published to Open311)."""
    names: dict[int, str] = {}
    rows = (
        Task.objects.filter(
            report_id__in=report_ids, role=Task.Role.LEAD, status__in=LIVE_TASK_STATUSES
        )
        .order_by("assigned_at", "id")
        .values_list("report_id", "unit__name")
    )
    for report_id, unit_name in rows:
        names[report_id] = unit_name  # the latest live lead task wins
    return names


def event_title(event: Event) -> str:
    return str(EVENT_TITLES.get(event.kind, event.kind))


# --- who is who ------------------------------------------------------------------------------------


def grid_ids_of(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(GridMembership.objects.filter(user=user).values_list("grid_id", flat=True))


def staff_unit_ids_of(user: User) -> list[int]:
    """Units the person staffs through UnitMembership (grid teams are the grid workers' page)."""
    if not user.is_authenticated:
        return []
    return list(UnitMembership.objects.filter(user=user).values_list("unit_id", flat=True))


@dataclass
class Roles:
    """What the top bar and the pages need to know about the person, in two queries."""

    worker: bool = False
    unit_staff: bool = False
    dispatcher: bool = False
    official: bool = False
    unread: int = 0


def roles_of(user: User) -> Roles:
    if not user.is_authenticated:
        return Roles()
    return Roles(
        worker=GridMembership.objects.filter(user=user).exists(),
        unit_staff=UnitMembership.objects.filter(user=user).exists(),
        dispatcher=user.is_dispatcher,
        official=user.is_official,
        unread=unread_count(user),
    )


def unread_count(user: User) -> int:
    # Served by the (recipient, read_at, -created_at) index on Notification.
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at=None).count()


# --- lists -----------------------------------------------------------------------------------------


def _overdue_flag(now) -> ExpressionWrapper:
    return ExpressionWrapper(
        Q(status__in=OPEN_STATUSES) & (Q(overdue_at__isnull=False) | Q(deadline__lt=now)),
        output_field=BooleanField(),
    )


def _live_tasks_prefetch(path: str = "tasks") -> Prefetch:
    return Prefetch(
        path,
        queryset=Task.objects.filter(status__in=LIVE_TASK_STATUSES)
        .select_related("unit")
        .order_by("role", "id"),
        to_attr="live_tasks",
    )


def by_deadline(queryset: QuerySet, prefix: str = "") -> QuerySet:
    return queryset.order_by(F(f"{prefix}deadline").asc(nulls_last=True), f"{prefix}id")


def worker_tickets(
    user: User, *, status: str = "", category: str = "", overdue: bool = False
) -> QuerySet[Report]:
    """Tickets of the worker's grids, with their live tasks (the grid team's among them),
    soonest deadline first. status "" = open ones; "all" = every state."""
    now = timezone.now()
    reports = Report.objects.filter(grid_id__in=grid_ids_of(user))
    if status == "all":
        pass
    elif status:
        reports = reports.filter(status=status)
    else:
        reports = reports.filter(status__in=OPEN_STATUSES)
    if category:
        reports = reports.filter(Q(category__code=category) | Q(category__parent__code=category))
    reports = reports.annotate(is_overdue=_overdue_flag(now))
    if overdue:
        reports = reports.filter(is_overdue=True)
    return by_deadline(
        reports.select_related("category", "grid").prefetch_related(_live_tasks_prefetch())
    )


def unit_tasks(user: User, *, status: str = "", category: str = "") -> QuerySet[Task]:
    """Tasks of the person's units, soonest deadline first, each with the other units of its
    ticket (joint tickets) and their progress. status "" = open (pending, accepted)."""
    now = timezone.now()
    tasks = Task.objects.filter(unit_id__in=staff_unit_ids_of(user))
    if status == "all":
        pass
    elif status:
        tasks = tasks.filter(status=status)
    else:
        tasks = tasks.filter(status__in=OPEN_TASK_STATUSES)
    if category:
        tasks = tasks.filter(
            Q(report__category__code=category) | Q(report__category__parent__code=category)
        )
    tasks = tasks.annotate(
        is_overdue=ExpressionWrapper(
            Q(status__in=OPEN_TASK_STATUSES) & Q(deadline__lt=now), output_field=BooleanField()
        )
    )
    return by_deadline(
        tasks.select_related("unit", "report__category", "report__grid").prefetch_related(
            _live_tasks_prefetch("report__tasks"),
            Prefetch(
                "extensions",
                queryset=Extension.objects.filter(status=Extension.Status.PENDING),
                to_attr="pending_extensions",
            ),
        )
    )


# --- the dispatcher's console ------------------------------------------------------------------------


def _entries(*reasons: str) -> QuerySet[DispatchQueueEntry]:
    return (
        DispatchQueueEntry.objects.filter(resolved_at=None, reason__in=reasons)
        .select_related("report__category", "report__grid")
        .order_by("created_at", "id")
    )


def _reopen_requested_since_close() -> Exists:
    return Exists(
        Event.objects.filter(
            report=OuterRef("pk"), kind="reopen_requested", created_at__gte=OuterRef("closed_at")
        )
    )


def console_queues() -> dict:
    """Each queue of the dispatcher's console, oldest first, at most QUEUE_SIZE rows each, with
    the total in `<name>_count`."""
    now = timezone.now()
    R = DispatchQueueEntry.Reason
    queues = {
        "unrouted": _entries(R.UNCOVERED, R.UNSURE, R.ESCALATED),
        "returned": _entries(R.RETURNED),
        "unsatisfied": (
            Report.objects.filter(status=Status.CLOSED)
            .annotate(reopen_requested=_reopen_requested_since_close())
            .filter(Q(rating=Rating.UNSATISFIED) | Q(reopen_requested=True))
            .select_related("category", "grid")
            .order_by("closed_at", "id")
        ),
        "unsatisfied_queued": _entries(R.UNSATISFIED),
        "extensions": Extension.objects.filter(status=Extension.Status.PENDING)
        .select_related("task__unit", "task__report__category", "task__report__grid")
        .order_by("requested_at", "id"),
        "suspensions": SuspensionRequest.objects.filter(status=SuspensionRequest.Status.PENDING)
        .select_related("task__unit", "task__report__category", "task__report__grid")
        .order_by("requested_at", "id"),
        "suspended": Report.objects.filter(status=Status.SUSPENDED)
        .select_related("category", "grid")
        .order_by("updated_at", "id"),
        "overdue": by_deadline(
            Report.objects.filter(status__in=AT_WORK_STATUSES)
            .filter(Q(overdue_at__isnull=False) | Q(deadline__lt=now))
            .select_related("category", "grid")
            .prefetch_related(_live_tasks_prefetch())
        ),
    }
    result = {}
    for name, queryset in queues.items():
        result[name] = list(queryset[:QUEUE_SIZE])
        # Always counted, so the console costs the same queries however long its queues are.
        result[f"{name}_count"] = queryset.count()
    return result


# --- one ticket ----------------------------------------------------------------------------------------


def visible_tickets(user: User) -> QuerySet[Report]:
    """Dispatchers and city officials see every ticket, a 街道 leader those of their 街道; a grid worker the tickets of their grids; unit
    staff the tickets their unit holds or held a task on. Everyone else: none."""
    if not (user.is_authenticated and user.is_active):
        return Report.objects.none()
    if user.is_dispatcher:
        return Report.objects.all()
    if user.is_official:
        led = official_street_id(user)  # a 街道 leader reads the tickets of their 街道
        return Report.objects.all() if led is None else Report.objects.filter(street_id=led)
    unit_ids = membership.unit_ids_of(user)
    held = Task.objects.filter(report=OuterRef("pk"), unit_id__in=unit_ids)
    return Report.objects.filter(Q(grid_id__in=grid_ids_of(user)) | Q(Exists(held)))


def visible_tasks(user: User) -> QuerySet[Task]:
    if not (user.is_authenticated and user.is_active):
        return Task.objects.none()
    if user.is_dispatcher:
        return Task.objects.all()
    return Task.objects.filter(unit_id__in=membership.unit_ids_of(user))


def ticket_for(user: User, number: str) -> Report | None:
    return (
        visible_tickets(user)
        .filter(number=number)
        .select_related("category", "category__parent", "grid", "community", "street", "reporter")
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("unit")
                .prefetch_related(
                    Prefetch(
                        "extensions",
                        queryset=Extension.objects.filter(status=Extension.Status.PENDING),
                        to_attr="pending_extensions",
                    ),
                    Prefetch(
                        "suspension_requests",
                        queryset=SuspensionRequest.objects.filter(
                            status=SuspensionRequest.Status.PENDING
                        ),
                        to_attr="pending_suspensions",
                    ),
                )
                .order_by("assigned_at", "id"),
                to_attr="all_tasks",
            ),
        )
        .first()
    )


def timeline(report: Report) -> list[Event]:
    """Every event, internal ones too (staff pages), oldest first, each with its `title`."""
    events = list(report.events.order_by("created_at", "id"))
    for event in events:
        event.title = event_title(event)
    return events


def holds_ticket(user: User, report: Report) -> bool:
    """A member of a unit with a live task on the ticket."""
    unit_ids = membership.unit_ids_of(user)
    return any(t.unit_id in unit_ids for t in report.all_tasks if t.status in LIVE_TASK_STATUSES)


def reporter_phone(user: User, report: Report) -> str:
    """The number to call back: in full for the dispatcher and the units holding the ticket,
    masked (138****1234) for everyone else."""
    phone = report.contact_phone or (report.reporter.phone if report.reporter_id else "")
    if not phone:
        return ""
    if user.is_dispatcher or holds_ticket(user, report):
        return phone
    return mask_phone(phone)


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    from reports.selectors import distance_m as haversine

    return haversine(lon1, lat1, lon2, lat2)


def merge_candidates(report: Report, *, radius_m: float = NEARBY_RADIUS_M) -> list[Report]:
    """Earlier open reports near this one (any category), nearest first: what it may be merged
    into. A lon/lat box first (indexed), then the exact distance."""
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(math.cos(math.radians(report.lat)), 0.01))
    candidates = (
        Report.objects.filter(
            status__in=OPEN_STATUSES,
            lon__range=(report.lon - dlon, report.lon + dlon),
            lat__range=(report.lat - dlat, report.lat + dlat),
            submitted_at__lte=report.submitted_at,
        )
        .exclude(id=report.id)
        .select_related("category")
        .order_by("-submitted_at")[:30]
    )
    found = []
    for other in candidates:
        other.distance_m = round(distance_m(report.lon, report.lat, other.lon, other.lat))
        if other.distance_m <= radius_m:
            found.append(other)
    return sorted(found, key=lambda r: r.distance_m)


def active_units() -> QuerySet[Unit]:
    """Units the dispatcher may pick (grid teams are reached through their grid's tickets)."""
    return Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.GRID).order_by("kind", "code")


def unit_choices_for(report: Report) -> QuerySet[Unit]:
    """Departments, offices, committees, and the ticket's own grid team."""
    return (
        Unit.objects.filter(is_active=True)
        .filter(~Q(kind=Unit.Kind.GRID) | Q(grid_id=report.grid_id))
        .order_by(Case(When(kind=Unit.Kind.GRID, then=Value(0)), default=Value(1)), "kind", "code")
    )
