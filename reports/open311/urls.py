"""/open311/v2/: every resource in both formats, chosen by extension (services.json, services.xml)."""

from django.urls import path

from reports.open311 import views

app_name = "open311"


def _both_formats(route: str, view, name: str) -> list:
    return [
        path(f"{route}.{fmt}", view.as_view(), {"format": fmt}, name=f"{name}-{fmt}")
        for fmt in ("json", "xml")
    ]


urlpatterns = [
    path("", views.DiscoveryView.as_view(), {"format": "json"}, name="root"),
    *_both_formats("discovery", views.DiscoveryView, "discovery"),
    *_both_formats("services", views.ServiceListView, "services"),
    *_both_formats("services/<str:service_code>", views.ServiceDefinitionView, "service"),
    *_both_formats("requests", views.RequestsView, "requests"),
    *_both_formats("requests/<str:service_request_id>", views.ServiceRequestView, "request"),
    *_both_formats("tokens/<str:token>", views.TokenView, "token"),
]
