"""Reads for Open311: what third parties may see, and the documents they get.

Only categories marked public appear, as services and as the requests filed under them. Nothing
about the person who reported (name, phone, e-mail, account) is ever part of a document.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import photo_access
from reports.models import FINAL_STATUSES, Category, Event, Photo, Report
from reports.open311.definitions import attributes_for
from reports.selectors import publicly_visible

# GeoReport v2 has two states. Suspended (挂账) work is still owed, so it is open.
CLOSED_STATUSES = FINAL_STATUSES


def public_services() -> QuerySet[Category]:
    """Reportable categories (GB/T 47678.5 matters and local extensions) marked public, under an
    active parent: service_code is the standard's code."""
    return (
        Category.objects.reportable()
        .filter(public=True, parent__is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def service_document(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": bool(attributes_for(category.code)),
        "type": "realtime",
        "keywords": ", ".join([category.parent.name, str(category.get_kind_display())]),
        "group": category.parent.name,
    }


def service_definition_document(category: Category) -> dict:
    attributes = []
    for order, attribute in enumerate(attributes_for(category.code), start=1):
        attributes.append(
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": str(attribute.datatype_description) or None,
                "order": order,
                "description": str(attribute.description),
                "values": [{"key": key, "name": str(name)} for key, name in attribute.values],
            }
        )
    return {"service_code": category.code, "attributes": attributes}


def public_requests() -> QuerySet[Report]:
    """Reports third parties may see: exactly what /public/ shows (selectors.publicly_visible)."""
    return (
        publicly_visible()
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=Photo.objects.filter(kind=Photo.Kind.BEFORE).order_by("created_at", "id"),
                to_attr="before_photos",
            )
        )
    )


# The apps above reports publish what Open311 may show of their data here (reports never imports
# them): dispatch registers its selector of the lead unit of each ticket in DispatchConfig.ready.
_lead_unit_selector: Callable[[list[int]], dict[int, str]] | None = None


def publish_lead_unit_selector(selector: Callable[[list[int]], dict[int, str]]) -> None:
    global _lead_unit_selector
    _lead_unit_selector = selector


def lead_unit_names(report_ids: Iterable[int]) -> dict[int, str]:
    """The lead (主办) unit of each report's current task, when an app published a selector."""
    if _lead_unit_selector is None:
        return {}
    return _lead_unit_selector(list(report_ids))


def status_notes(report_ids: Iterable[int]) -> dict[int, str]:
    """The public note of each report's latest status change, for `status_notes`."""
    notes: dict[int, str] = {}
    rows = (
        Event.objects.filter(report_id__in=list(report_ids), public=True)
        .exclude(to_status="")
        .order_by("created_at", "id")
        .values_list("report_id", "note")
    )
    for report_id, note in rows:
        notes[report_id] = note
    return notes


def w3_datetime(value: datetime | None) -> str | None:
    """W3C date-time with the offset, in Asia/Shanghai: 2026-11-29T12:52:20+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def request_documents(reports: list[Report], *, request) -> list[dict]:
    ids = [r.id for r in reports]
    agencies = lead_unit_names(ids)
    notes = status_notes(ids)
    documents = []
    for report in reports:
        closed = report.status in CLOSED_STATUSES
        photos = getattr(report, "before_photos", None)
        if photos is None:
            photos = list(report.photos.filter(kind=Photo.Kind.BEFORE).order_by("created_at"))
        # Signed: the report is public, so its reader may fetch the photo (photo_access).
        media_url = (
            request.build_absolute_uri(photo_access.signed_url(photos[0], "original"))
            if photos
            else None
        )
        updated = (report.closed_at if closed else None) or report.updated_at
        documents.append(
            {
                "service_request_id": report.number,
                "status": "closed" if closed else "open",
                "status_notes": notes.get(report.id) or None,
                "service_name": report.category.name,
                "service_code": report.category.code,
                "description": report.description,
                "agency_responsible": agencies.get(report.id) or None,
                "service_notice": _status_notice(report),
                "requested_datetime": w3_datetime(report.submitted_at),
                "updated_datetime": w3_datetime(updated),
                "expected_datetime": w3_datetime(report.deadline),
                "address": report.address,
                "lat": report.lat,
                "long": report.lon,
                "media_url": media_url,
            }
        )
    return documents


def _status_notice(report: Report) -> str:
    return _("%(status)s（义马全域网格 工单 %(number)s）") % {
        "status": report.get_status_display(),
        "number": report.number,
    }


def service_notice_for(category: Category) -> str:
    """What happens next, returned when a request is filed."""
    if category.sla_working_hours:
        return _("已受理，将按「%(name)s」类事项在 %(hours)s 个工作小时内办理。") % {
            "name": category.name,
            "hours": category.sla_working_hours,
        }
    return _("已受理，将由指挥中心分派办理。")
