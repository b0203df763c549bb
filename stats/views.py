"""The officials' dashboard, its exports, and the public transparency page."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from grids.models import Community, Grid, Street
from grids.selectors import official_street_id
from reports.models import Channel
from stats import exports, selectors
from stats.figures import Figures
from stats.filters import FilterError, parse_period, scope_for, today
from stats.models import Rollup


def _require_dashboard(user):
    if not selectors.can_view_dashboard(user):
        raise PermissionDenied(_("只有领导和指挥中心可以查看统计。"))


def _filters_or_error(request):
    """Period and scope from the query; bad values fall back to the defaults with a message. An
    area outside a 街道 leader's 街道 is refused (scope_for raises PermissionDenied)."""
    try:
        return parse_period(request.GET), scope_for(request.user, request.GET), None
    except FilterError as exc:
        return parse_period({}), scope_for(request.user, {}), str(exc)


@require_GET
@login_required
def dashboard(request):
    _require_dashboard(request.user)
    period, scope, error = _filters_or_error(request)
    streets, communities = Street.objects.all(), Community.objects.all()
    led = official_street_id(request.user)
    if led is not None:  # a 街道 leader chooses among their own areas only
        streets, communities = streets.filter(id=led), communities.filter(street_id=led)
    scope_options = {
        "streets": list(streets.values("code", "name")),
        "communities": list(communities.values("code", "name", "street__code")),
    }
    grids = []
    if scope.level in ("community", "grid"):
        community = (
            scope.area_id
            if scope.level == "community"
            else Grid.objects.get(id=scope.area_id).community_id
        )
        grids = list(Grid.objects.filter(community_id=community).values("code", "name"))
    context = {
        "period": period,
        "scope": scope,
        "error": error,
        "figures": selectors.figures(period, scope),
        "mediation": selectors.mediation_figures(period, scope),
        "minqing": selectors.minqing_figures(period, scope),
        "channels": Channel.choices,
        "scope_options": scope_options,
        "grids": grids,
        "params": request.GET.urlencode() if not error else "",
        "labels": {
            "received": _("受理量"),
            "closed": _("办结"),
            "onTime": _("按期办结率"),
            "closure": _("办结率"),
            "volume": _("受理量"),
            "noData": _("暂无数据"),
            "failed": _("数据加载失败，请刷新重试。"),
            "unit": _("单位"),
            "due": _("到期任务"),
            "holders": _("承办单位"),
            "overdueHours": _("超期(小时)"),
            "heldHours": _("持有(小时)"),
        },
    }
    return render(request, "stats/dashboard.html", context, status=400 if error else 200)


@require_GET
@login_required
def export(request, what: str, fmt: str):
    _require_dashboard(request.user)
    if what not in ("figures", "tickets") or fmt not in ("csv", "xlsx"):
        raise Http404
    period, scope, error = _filters_or_error(request)
    if error:
        return render(
            request,
            "stats/dashboard_error.html",
            {"error": error},
            status=400,
        )
    if fmt == "csv":
        return exports.csv_response(what, period, scope)
    return exports.xlsx_response(what, period, scope)


def _last_months(n: int) -> list[dt.date]:
    month = today().replace(day=1)
    months = []
    for _i in range(n):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


@require_GET
@cache_page(300)
def transparency(request):
    """Public: monthly totals and rates for the city and each 街道. Counts only, nothing personal."""
    months = _last_months(12)
    streets = list(Street.objects.all())
    rows = Rollup.objects.filter(
        granularity=Rollup.Granularity.MONTH,
        start__in=months,
        level__in=[Rollup.Level.CITY, Rollup.Level.STREET],
        channel="",
        category_id=0,
    ).values(
        "start", "level", "area_id", "received", "closed", "due", "on_time", "rated", "satisfied"
    )
    table = {}
    for row in rows:
        table[(row["start"], row["level"], row["area_id"])] = row
    areas = [("city", 0, _("义马市"))] + [("street", s.id, s.name) for s in streets]

    def cell(month, level, area_id):
        row = table.get((month, level, area_id))
        figures = Figures()
        if row:
            figures.add(row)
        return figures

    sections = [
        {
            "name": name,
            "months": [{"month": m, "figures": cell(m, level, area_id)} for m in months],
        }
        for level, area_id, name in areas
    ]
    return render(request, "stats/transparency.html", {"sections": sections})
