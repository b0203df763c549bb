"""Addresses already reported, as a gazetteer source (see grids.gazetteer).

Residents and the public find only addresses of the reports anyone may see (public categories,
neither rejected nor duplicate: `selectors.public_reports`); dispatchers, officials, grid workers
and administrators find the address of every report but the rejected ones, whose address may be
nonsense.
"""

from django.utils.translation import gettext as _

from grids.gazetteer import place
from reports import selectors
from reports.models import Report, Status

# Distinct addresses come from the newest matching reports; a few hundred rows are plenty.
SCAN_ROWS = 300


def sees_every_address(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_dispatcher
        or user.is_official
        or user.is_staff
        or user.is_superuser
        or user.grid_memberships.exists()
    )


def reported_addresses(query: str, *, user, limit: int) -> list[dict]:
    if sees_every_address(user):
        reports = Report.objects.exclude(status=Status.REJECTED)
    else:
        reports = selectors.public_reports().prefetch_related(None)  # no photos needed
    reports = (
        reports.filter(address__icontains=query)
        .exclude(address="")
        .select_related("community")
        .order_by("-submitted_at")
    )
    found: dict[str, dict] = {}
    for report in reports[:SCAN_ROWS]:
        if report.address not in found:
            found[report.address] = place(
                kind="address",
                name=report.address,
                detail=_("已上报地址 · %(community)s") % {"community": report.community.name},
                lon=report.lon,
                lat=report.lat,
                zoom=17,
            )
        if len(found) >= limit:
            break
    return list(found.values())
