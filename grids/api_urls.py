from django.urls import path

from grids import views

urlpatterns = [
    path("grids/geojson", views.grid_geojson, name="grids-geojson"),
]
