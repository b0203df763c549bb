from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from grids import compounds, gazetteer
from grids.basemap import basemap_layers
from grids.selectors import map_feature_collection


@require_GET
def grid_map(request):
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
    return render(request, "grids/map.html", {"labels": labels})


@require_GET
@vary_on_cookie
@cache_control(private=True, max_age=60)
def grid_geojson(request):
    """Every grid as GeoJSON for the map. Staff see workers' names, everyone else their number."""
    return JsonResponse(
        map_feature_collection(user=request.user), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(public=True, max_age=300)
def compound_geojson(request):
    """Every compound's outline (or point), code, name and grid: public geography, no person."""
    return JsonResponse(
        compounds.map_feature_collection(), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(public=True, max_age=300)
def basemap(request):
    """The offline base map's layers (outline, neighbours, 街道, 社区, grids): public geography."""
    return JsonResponse(basemap_layers(), json_dumps_params={"ensure_ascii": False})


@require_GET
@vary_on_cookie
@cache_control(private=True, max_age=60)
def gazetteer_search(request):
    """Places matching ?q= (社区, grids, reported addresses, whatever other apps add)."""
    query = request.GET.get("q", "")
    if len(query) > gazetteer.MAX_QUERY:
        return JsonResponse(
            {"detail": _("查询内容过长（最多 %(n)d 个字）。") % {"n": gazetteer.MAX_QUERY}},
            status=400,
        )
    return JsonResponse(
        {"results": gazetteer.search(query, user=request.user)},
        json_dumps_params={"ensure_ascii": False},
    )
