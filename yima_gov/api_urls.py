"""/api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("grids.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("dispatch.api_urls")),
    path("stats/", include("stats.api_urls")),
]
