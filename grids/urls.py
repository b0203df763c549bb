from django.urls import path

from grids import views

app_name = "grids"
urlpatterns = [
    path("map/", views.grid_map, name="map"),
]
