from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from grids.selectors import map_feature_collection


@require_GET
def grid_map(request):
    tiles = None
    if settings.MAP_TILE_URL:
        tiles = {
            "url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "crs": settings.MAP_TILE_CRS,
        }
    labels = {
        "code": _("代码"),
        "community": _("社区"),
        "street": _("街道"),
        "workers": _("网格员"),
        "workerCount": _("网格员人数"),
        "none": _("暂无"),
        # {n} is filled in by the script.
        "loaded": _("共 {n} 个网格，点击网格查看详情。"),
        "failed": _("网格加载失败，请刷新重试。"),
    }
    return render(request, "grids/map.html", {"tiles": tiles, "labels": labels})


@require_GET
@vary_on_cookie
@cache_control(private=True, max_age=60)
def grid_geojson(request):
    """Every grid as GeoJSON for the map. Staff see workers' names, everyone else their number."""
    return JsonResponse(
        map_feature_collection(user=request.user), json_dumps_params={"ensure_ascii": False}
    )
