from django.urls import path

from grids import views

urlpatterns = [
    path("grids/geojson", views.grid_geojson, name="grids-geojson"),
    path("grids/basemap", views.basemap, name="grids-basemap"),
    path("compounds/geojson", views.compound_geojson, name="compounds-geojson"),
    path("gazetteer", views.gazetteer_search, name="gazetteer"),
]
