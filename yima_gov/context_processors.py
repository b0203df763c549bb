from grids.basemap import map_config


def site(request):
    """The maps' configuration (tiles, base map, gazetteer), for pages with a map to pass to
    static/js/base_map.js through json_script. Lazy: pages without a map never build it."""
    return {"MAP_CONFIG": map_config}
