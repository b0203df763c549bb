from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dispatch import offline as dispatch_offline
from stats import views as stats_views
from yima_gov import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("readyz/pipeline", health.pipeline, name="readyz-pipeline"),
    # The offline worklist's manifest and service worker live at the root: a service worker
    # controls only the pages under its own path.
    path("manifest.webmanifest", dispatch_offline.manifest, name="manifest"),
    path("sw.js", dispatch_offline.service_worker, name="service-worker"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("yima_gov.api_urls")),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("reports.open311.urls")),
    path("intake/", include("reports.intake.urls")),
    path("accounts/", include("accounts.urls")),
    path("grids/", include("grids.urls")),
    path("dashboard/", include("stats.urls")),
    path("transparency/", stats_views.transparency, name="transparency"),
    path("", include("reports.urls")),
    path("", include("dispatch.urls")),
    path("", include("mediation.urls")),
    path("", include("gridwork.urls")),
    path("", views.home, name="home"),
]
