"""Reads of the reports app: what each page and API endpoint shows, scoped to who may see it."""

import datetime
import math

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from reports.models import DISCARDED_STATUSES, OPEN_STATUSES, Category, Event, Photo, Report

NEARBY_RADIUS_M = 250
NEARBY_DAYS = 30
# Rejected reports may hold abuse, duplicates point at their original: neither is shown publicly.
PUBLIC_HIDDEN_STATUSES = DISCARDED_STATUSES
EARTH_RADIUS_M = 6_371_000


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine): exact enough for a city."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def leaf_categories() -> QuerySet[Category]:
    """What a report may be filed under: GB/T 47678.5's matters and our local extensions."""
    return Category.objects.reportable().select_related("parent")


def category_tree() -> list[tuple[Category, list[Category]]]:
    """Active 大类 with their active 小类, in code order: the two-level picker."""
    children: dict[int, list[Category]] = {}
    for leaf in leaf_categories().order_by("code"):
        children.setdefault(leaf.parent_id, []).append(leaf)
    parents = Category.objects.filter(parent=None, is_active=True, id__in=children).order_by("code")
    return [(parent, children[parent.id]) for parent in parents]


def common_problems() -> list[dict]:
    """The picker's short list in the current language, limited to active reportable codes."""
    from reports.category_search import common_problems as problems

    language = translation.get_language() or ""
    active = set(leaf_categories().values_list("code", flat=True))
    return [
        {"code": p.code, "label": p.label_for(language)} for p in problems() if p.code in active
    ]


def nearby_open_reports(
    *, category: Category, lon: float, lat: float, radius_m: float = NEARBY_RADIUS_M
) -> list[Report]:
    """Open reports of the same public category within radius_m of the point, from the last 30
    days, nearest first. Uses the (category, lon, lat) index through a bounding box."""
    if not category.public:
        return []
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    since = timezone.now() - datetime.timedelta(days=NEARBY_DAYS)
    candidates = (
        Report.objects.filter(
            category=category,
            lon__range=(lon - dlon, lon + dlon),
            lat__range=(lat - dlat, lat + dlat),
            status__in=OPEN_STATUSES,
            submitted_at__gte=since,
        )
        .select_related("category")
        .order_by("-submitted_at")[:50]
    )
    found = []
    for report in candidates:
        report.distance_m = distance_m(lon, lat, report.lon, report.lat)
        if report.distance_m <= radius_m:
            found.append(report)
    return sorted(found, key=lambda r: r.distance_m)


def _with_photos(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.select_related(
        "category", "category__parent", "grid", "community"
    ).prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")))


def publicly_visible() -> QuerySet[Report]:
    """The one rule for what anyone may see, on /public/ and through Open311 alike: reports of
    public categories (the category and its parent), never rejected reports or duplicates."""
    return Report.objects.filter(category__public=True, category__parent__public=True).exclude(
        status__in=PUBLIC_HIDDEN_STATUSES
    )


def public_reports() -> QuerySet[Report]:
    """What anyone may see (publicly_visible), with what the pages show of it."""
    return _with_photos(publicly_visible())


def public_report(number: str) -> Report | None:
    return public_reports().filter(number=number).first()


def report_for_token(token: str) -> Report | None:
    """The tracking page: the token is the credential, so it must match exactly."""
    if not token or len(token) != 32:
        return None
    return _with_photos(Report.objects.filter(tracking_token=token)).first()


def reports_of(user) -> QuerySet[Report]:
    """A resident's own reports and the ones they follow ("me too"), newest first."""
    if not user.is_authenticated:
        return Report.objects.none()
    own = Report.objects.filter(reporter=user)
    followed = Report.objects.filter(supporters__user=user)
    return _with_photos((own | followed).distinct()).order_by("-submitted_at")


def public_timeline(report: Report) -> list[Event]:
    return list(report.events.filter(public=True).order_by("created_at", "id"))


def is_reporter(report: Report, *, user=None, token: str = "") -> bool:
    """The reporter is whoever holds the tracking token, or the logged-in owner."""
    if token and token == report.tracking_token:
        return True
    return bool(user is not None and user.is_authenticated and report.reporter_id == user.id)
