from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格")

    def ready(self):
        from grids.basemap import register_layer
        from grids.compounds import compounds_source
        from grids.gazetteer import register_source

        # Compounds on every map from street level, and findable by name.
        register_layer(name="compounds", url_name="compounds-geojson", label=_("小区"), min_zoom=15)
        register_source(compounds_source)
