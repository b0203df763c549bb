"""/api/v1/stats/…: the dashboard's figures as JSON, with the page's filters.

Every endpoint takes period (today, 7d, 30d, year, custom + start/end), one of street / community /
grid (by code) and channel. Officials and the dispatch centre only; others get 403.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.models import Channel
from stats import selectors
from stats.filters import PERIODS, FilterError, parse_period, scope_for


class IsOfficialOrDispatcher(BasePermission):
    message = _lazy("只有领导和指挥中心可以查看统计。")

    def has_permission(self, request, view):
        return selectors.can_view_dashboard(request.user)


FILTERS = [
    OpenApiParameter("period", str, enum=list(PERIODS), description=_lazy("统计周期 (默认 30d)")),
    OpenApiParameter("start", str, description=_lazy("自定义周期开始 YYYY-MM-DD")),
    OpenApiParameter("end", str, description=_lazy("自定义周期结束 YYYY-MM-DD (含)")),
    OpenApiParameter("street", str, description=_lazy("街道代码")),
    OpenApiParameter("community", str, description=_lazy("社区代码")),
    OpenApiParameter("grid", str, description=_lazy("网格代码")),
    OpenApiParameter("channel", str, enum=list(Channel.values), description=_lazy("渠道")),
]

FIGURE_NAMES = (
    "received closed due on_time rated satisfied disputes settled tasks returned_tasks "
    "extended_tasks reopened closure_rate on_time_rate satisfaction_rate settlement_rate "
    "grid_resolution_rate community_resolution_rate mean_duration_hours "
    "median_duration_hours mean_response_hours return_rate rework_rate extension_rate "
    "check_due checked_on_time check_rate solved on_spot responded_tasks resolution_rate "
    "response_rate dispatch_accuracy overdue_rate"
).split()


def _figure_fields() -> dict:
    return {name: serializers.FloatField(allow_null=True) for name in FIGURE_NAMES}


FiguresSerializer = inline_serializer("StatsFigures", _figure_fields())
CategoryRowSerializer = inline_serializer(
    "StatsCategoryRow",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "catalogue": serializers.CharField(help_text="matter (GB/T 47678.5) or local"),
        "kind": serializers.CharField(),
        **_figure_fields(),
    },
    many=True,
)
ChannelRowSerializer = inline_serializer(
    "StatsChannelRow",
    {"channel": serializers.CharField(), "name": serializers.CharField(), **_figure_fields()},
    many=True,
)
OverdueRowSerializer = inline_serializer(
    "StatsOverdueRow",
    {
        "number": serializers.CharField(),
        "category": serializers.CharField(),
        "grid": serializers.CharField(),
        "status": serializers.CharField(),
        "deadline": serializers.DateTimeField(),
        "overdue_hours": serializers.FloatField(),
        "holders": serializers.ListField(child=serializers.CharField()),
        "held_hours": serializers.FloatField(allow_null=True),
    },
    many=True,
)
ScopeSerializer = inline_serializer(
    "StatsScope",
    {
        "level": serializers.CharField(),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "channel": serializers.CharField(),
        "start": serializers.DateField(),
        "end": serializers.DateField(),
    },
)


ProblemSerializer = inline_serializer("StatsProblem", {"detail": serializers.CharField()})


def _responses(ok) -> dict:
    """200 with the figures; 400 for bad filters; 403 for anyone but officials and dispatchers."""
    return {200: ok, 400: ProblemSerializer, 403: ProblemSerializer}


class StatsView(APIView):
    permission_classes = [IsOfficialOrDispatcher]

    def filters(self, request):
        try:
            return parse_period(request.query_params), scope_for(request.user, request.query_params)
        except FilterError as exc:
            raise ValidationError({"detail": str(exc)}) from None


def _scope_json(period, scope) -> dict:
    return {
        "level": scope.level,
        "code": scope.code,
        "name": str(scope.name),
        "channel": scope.channel,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


CHANNELS = dict(Channel.choices)


def dashboard_payload(period, scope, *, trend_by: str = "day") -> dict:
    channels = CHANNELS
    return {
        "scope": _scope_json(period, scope),
        "figures": selectors.figures(period, scope).as_dict(),
        "trend": selectors.trend(period, scope, by=trend_by),
        "by_category": [
            {
                "code": c.code,
                "name": c.name,
                "catalogue": c.catalogue,
                "kind": c.kind,
                **f.as_dict(),
            }
            for c, f in selectors.by_category(period, scope)
        ],
        "by_channel": [
            {"channel": ch, "name": str(channels.get(ch, ch)), **f.as_dict()}
            for ch, f in selectors.by_channel(period, scope)
        ],
        "ranking": selectors.ranking(period, scope),
        "map": selectors.map_areas(period, scope),
        "overdue": selectors.overdue(scope, limit=50),
    }


class FiguresView(StatsView):
    @extend_schema(
        summary=_lazy("全部统计指标"),
        parameters=FILTERS,
        responses=_responses(
            inline_serializer(
                "StatsFiguresResponse", {"scope": ScopeSerializer, "figures": FiguresSerializer}
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        return Response(
            {
                "scope": _scope_json(period, scope),
                "figures": selectors.figures(period, scope).as_dict(),
            }
        )


class TrendView(StatsView):
    @extend_schema(
        summary=_lazy("趋势 (按日或按周)"),
        parameters=[*FILTERS, OpenApiParameter("by", str, enum=["day", "week"])],
        responses=_responses(
            inline_serializer(
                "StatsTrend",
                {
                    "date": serializers.DateField(),
                    "received": serializers.IntegerField(),
                    "closed": serializers.IntegerField(),
                    "on_time_rate": serializers.FloatField(allow_null=True),
                },
                many=True,
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        by = request.query_params.get("by", "day")
        if by not in ("day", "week"):
            raise ValidationError({"detail": _("趋势粒度只能是按日或按周。")})
        return Response(selectors.trend(period, scope, by=by))


class DashboardView(StatsView):
    @extend_schema(
        summary=_lazy("驾驶舱全部数据 (指标、趋势、分类、渠道、红黑榜、地图、超期件)"),
        parameters=[*FILTERS, OpenApiParameter("by", str, enum=["day", "week"])],
        responses=_responses(
            inline_serializer(
                "StatsDashboard",
                {
                    "scope": ScopeSerializer,
                    "figures": FiguresSerializer,
                    "trend": serializers.ListField(child=serializers.DictField()),
                    "by_category": serializers.ListField(child=serializers.DictField()),
                    "by_channel": serializers.ListField(child=serializers.DictField()),
                    "ranking": serializers.DictField(),
                    "map": serializers.DictField(),
                    "overdue": serializers.ListField(child=serializers.DictField()),
                },
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        by = request.query_params.get("by", "day")
        if by not in ("day", "week"):
            raise ValidationError({"detail": _("趋势粒度只能是按日或按周。")})
        return Response(dashboard_payload(period, scope, trend_by=by))


def _list_view(name, summary, build, rows):
    class View(StatsView):
        @extend_schema(
            summary=summary,
            parameters=FILTERS,
            responses=_responses(rows),
            operation_id=f"stats_{name}",
        )
        def get(self, request):
            period, scope = self.filters(request)
            return Response(build(period, scope))

    View.__name__ = f"{name.title()}View"
    return View


CategoriesView = _list_view(
    "categories",
    _lazy("按类别统计"),
    lambda p, s: [
        {"code": c.code, "name": c.name, "catalogue": c.catalogue, "kind": c.kind, **f.as_dict()}
        for c, f in selectors.by_category(p, s)
    ],
    CategoryRowSerializer,
)
ChannelsView = _list_view(
    "channels",
    _lazy("按渠道统计"),
    lambda p, s: [
        {"channel": ch, "name": str(CHANNELS.get(ch, ch)), **f.as_dict()}
        for ch, f in selectors.by_channel(p, s)
    ],
    ChannelRowSerializer,
)
OverdueView = _list_view(
    "overdue",
    _lazy("超期件 (含当前承办单位)"),
    lambda p, s: selectors.overdue(s),
    OverdueRowSerializer,
)


class RankingView(StatsView):
    @extend_schema(
        summary=_lazy("单位按期办结红黑榜"),
        parameters=FILTERS,
        responses=_responses(
            inline_serializer(
                "StatsRanking",
                {
                    "red": serializers.ListField(child=serializers.DictField()),
                    "black": serializers.ListField(child=serializers.DictField()),
                },
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        return Response(selectors.ranking(period, scope))


class MapView(StatsView):
    @extend_schema(
        summary=_lazy("下一级区域指标 (地图着色与下钻)"),
        parameters=FILTERS,
        responses=_responses(
            inline_serializer(
                "StatsMap",
                {
                    "level": serializers.CharField(),
                    "areas": serializers.ListField(child=serializers.DictField()),
                    "grids": serializers.DictField(child=serializers.CharField()),
                },
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        return Response(selectors.map_areas(period, scope))


MediationRowSerializer = inline_serializer(
    "StatsMediationRow",
    {
        "name": serializers.CharField(),
        "accepted": serializers.IntegerField(),
        "counted": serializers.IntegerField(),
        "settled": serializers.IntegerField(),
        "unsettled": serializers.IntegerField(),
        "withdrawn": serializers.IntegerField(),
        "settlement_rate": serializers.FloatField(allow_null=True),
    },
    many=True,
)


class MediationView(StatsView):
    @extend_schema(
        summary=_lazy("议事与调解 (受理纠纷、化解成功、化解率；议事场次、议题、逾期决定)"),
        parameters=FILTERS,
        responses=_responses(
            inline_serializer(
                "StatsMediation",
                {
                    "scope": ScopeSerializer,
                    "cases": serializers.DictField(),
                    "deliberation": serializers.DictField(),
                    "by": inline_serializer(
                        "StatsMediationBreakdown",
                        {
                            "community": MediationRowSerializer,
                            "organisation": MediationRowSerializer,
                            "mediator": MediationRowSerializer,
                        },
                    ),
                },
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        return Response(
            {"scope": _scope_json(period, scope), **selectors.mediation_figures(period, scope)}
        )


class MinqingView(StatsView):
    @extend_schema(
        summary=_lazy(
            "民情 (走访、巡查、民情信息、转工单、当场解决、民生实事、覆盖率、志愿服务时长)"
        ),
        parameters=FILTERS,
        responses=_responses(
            inline_serializer(
                "StatsMinqing",
                {
                    "scope": ScopeSerializer,
                    "visits": serializers.IntegerField(),
                    "patrols": serializers.IntegerField(),
                    "items_collected": serializers.IntegerField(),
                    "items_settled": serializers.IntegerField(),
                    "items_ticketed": serializers.IntegerField(),
                    "items_open": serializers.IntegerField(),
                    "disputes": serializers.IntegerField(),
                    "disputes_settled": serializers.IntegerField(),
                    "projects_done": serializers.IntegerField(),
                    "compounds": serializers.IntegerField(),
                    "compounds_visited": serializers.IntegerField(),
                    "coverage": serializers.FloatField(allow_null=True),
                    "volunteer_hours": serializers.FloatField(),
                },
            )
        ),
    )
    def get(self, request):
        period, scope = self.filters(request)
        return Response(
            {"scope": _scope_json(period, scope), **selectors.minqing_figures(period, scope)}
        )
