from django.conf import settings


def site(request):
    """Map settings every page with a map needs."""
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "MAP_TILE_CRS": settings.MAP_TILE_CRS,
    }
