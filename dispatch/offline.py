"""The installable, offline-first worklist of grid workers and unit staff.

- `/manifest.webmanifest` and `/sw.js` are served from the root so the service worker's scope is
  the whole site; both carry no personal data and are never cached by HTTP caches (no-cache), so
  a new deployment's worker is picked up on the next visit.
- `/work/offline/` is a shell page: it holds no tickets itself. static/js/offline_worklist.js draws
  the person's worklist from the bundle that static/js/offline_queue.js saved in IndexedDB the
  last time a staff page was opened online (`GET /api/v1/work/bundle/`).
- Queued actions are replayed against the ordinary API (tasks' accept / progress / finish, a
  ticket's close, `POST /api/v1/patrol/`), each with its Idempotency-Key (dispatch/idempotency.py).

The service worker only serves static files and, when the network fails, the cached shell and
thumbnails; everything a person's data is in is cleared at logout (static/js/offline_logout.js)
and when another person signs in on the same phone (offline_queue.js compares the owner).
"""

import hashlib
import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dispatch import membership, selectors
from dispatch.models import OPEN_TASK_STATUSES, Task
from grids.models import Grid
from reports import photo_access
from reports.models import OPEN_STATUSES, Category, Photo, Report, Status

# What the service worker keeps for offline use: shell assets only, no personal data.
SHELL_ASSETS = (
    "css/site.css",
    "css/worklist.css",
    "js/photo_downscale.js",
    "js/offline_queue.js",
    "js/offline_worklist.js",
    "js/offline_logout.js",
    "vendor/idb-keyval/umd.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
# The most tickets a bundle carries; a worker's open tickets are far fewer.
BUNDLE_TICKETS = 300
MANIFEST_ICON_SIZES = (192, 512)


def may_work_offline(user) -> bool:
    """Grid workers and unit staff: the people with a worklist."""
    return bool(selectors.grid_ids_of(user) or selectors.staff_unit_ids_of(user))


# --- installable -------------------------------------------------------------------------------


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: opens on the worklist, standalone, in the interface's language."""
    data = {
        "name": _("义马 全域网格 · 网格工作台"),
        "short_name": _("网格工作台"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("dispatch:work"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#c0392b",
        "icons": [
            {
                "src": static(f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in MANIFEST_ICON_SIZES
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


def _stamps() -> list[str]:
    """Size and time of each shell file: unhashed names (the demo, DEBUG) still get a new cache
    when a file changes, since the cache is read before the network."""
    stamps = []
    for path in SHELL_ASSETS:
        found = finders.find(path)
        if found:
            stat = os.stat(found)
            stamps.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return stamps


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, rendered so that it names the deployed (hashed) static files; its
    cache's version is a digest of that list and the files' stamps, so a deployment (or an edited
    file in the demo) replaces the old cache."""
    assets = [static(path) for path in SHELL_ASSETS]
    version = hashlib.sha256("\n".join(assets + _stamps()).encode()).hexdigest()[:12]
    body = render_to_string(
        "dispatch/sw.js",
        {
            "assets": assets,
            "version": version,
            "offline_url": reverse("dispatch:offline"),
            "static_url": settings.STATIC_URL,
            "media_url": settings.MEDIA_URL,
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


# --- the offline page ------------------------------------------------------------------------------


@login_required
@require_GET
@never_cache
def offline_page(request: HttpRequest) -> HttpResponse:
    """The shell the service worker serves when a staff page cannot load; it draws the worklist
    from the bundle in IndexedDB (nothing personal is rendered here)."""
    if not may_work_offline(request.user):
        raise PermissionDenied(_("只有网格员和单位人员可以使用离线工作台。"))
    return render(request, "dispatch/offline.html")


# --- the bundle ------------------------------------------------------------------------------------


def photo_url(photo: Photo) -> str:
    """The one place the offline bundle takes a photo's address from (the thumbnail when made):
    a signed URL (reports/photo_access.py), since the bundle's reader may see the ticket."""
    return photo_access.signed_url(photo, "thumb" if photo.thumbnail else "original")


def _ticket(report: Report, *, unit_ids: set[int], grid_ids: list[int], now) -> dict:
    tasks = []
    for task in report.tasks.all():
        if task.status not in (*OPEN_TASK_STATUSES, Task.Status.DONE):
            continue
        mine = task.unit_id in unit_ids and task.status in OPEN_TASK_STATUSES
        tasks.append(
            {
                "id": task.id,
                "unit": task.unit.name,
                "status": task.status,
                "status_label": str(task.get_status_display()),
                "mine": mine,
                "deadline": task.deadline,
                "accept_url": reverse("api-task-accept", args=[task.id]),
                "progress_url": reverse("api-task-progress", args=[task.id]),
                "finish_url": reverse("api-task-finish", args=[task.id]),
            }
        )
    return {
        "number": report.number,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "category": report.category.name,
        "grid": report.grid.name,
        "community": report.community.name,
        "address": report.address,
        "description": report.description,
        "lon": report.lon,
        "lat": report.lat,
        "deadline": report.deadline,
        "overdue": report.status in OPEN_STATUSES
        and bool(report.overdue_at or (report.deadline and report.deadline < now)),
        "photos": [
            {"kind": str(p.get_kind_display()), "url": photo_url(p)} for p in report.photos.all()
        ],
        "tasks": tasks,
        "can_close": report.status == Status.HANDLED and report.grid_id in grid_ids,
        "close_url": reverse("api-ticket-close", args=[report.number]),
    }


def bundle_for(user) -> dict:
    """Everything the offline worklist shows: the open tickets of the person's grids and of their
    units' open tasks, with photos, tasks and what the person may do; their grids' outlines; the
    categories a patrol report may use."""
    now = timezone.now()
    grid_ids = selectors.grid_ids_of(user)
    unit_ids = membership.unit_ids_of(user)
    reports = (
        Report.objects.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(grid_id__in=grid_ids)
            | Q(
                id__in=Task.objects.filter(
                    unit_id__in=unit_ids, status__in=OPEN_TASK_STATUSES
                ).values("report_id")
            )
        )
        .select_related("category", "grid", "community")
        .prefetch_related("photos", "tasks__unit")
    )
    tickets = [
        _ticket(r, unit_ids=unit_ids, grid_ids=grid_ids, now=now)
        for r in selectors.by_deadline(reports)[:BUNDLE_TICKETS]
    ]
    categories = [
        {"code": c.code, "name": f"{c.code} {c.parent.name} · {c.name}"}
        for c in Category.objects.reportable().select_related("parent").order_by("code")
    ]
    grids = [
        {"code": g.code, "name": g.name, "boundary": g.boundary}
        for g in Grid.objects.filter(id__in=grid_ids).order_by("code")
    ]
    return {
        "user": {"id": user.id, "name": str(user)},
        "synced_at": now,
        "is_grid_worker": bool(grid_ids),
        "patrol_url": reverse("api-patrol"),
        "tickets": tickets,
        "grids": grids,
        "categories": categories,
    }


class WorkBundleView(APIView):
    """The offline worklist's bundle (grid workers and unit staff)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not may_work_offline(request.user):
            raise PermissionDenied(_("只有网格员和单位人员可以使用离线工作台。"))
        response = Response(bundle_for(request.user))
        response["Cache-Control"] = "no-store"
        return response
