from django.urls import path

from reports import api

urlpatterns = [
    path("categories/", api.CategoryListView.as_view(), name="api-categories"),
    path("categories/search/", api.CategorySearchView.as_view(), name="api-categories-search"),
    path("reports/locate/", api.LocateView.as_view(), name="api-report-locate"),
    path("reports/nearby/", api.NearbyView.as_view(), name="api-report-nearby"),
    path("reports/mine/", api.MyReportsView.as_view(), name="api-my-reports"),
    path("reports/", api.SubmitView.as_view(), name="api-report-submit"),
    path("reports/<str:number>/", api.ReportDetailView.as_view(), name="api-report-detail"),
    path("reports/<str:number>/rate/", api.RateView.as_view(), name="api-report-rate"),
    path("reports/<str:number>/reopen/", api.ReopenView.as_view(), name="api-report-reopen"),
    path("reports/<str:number>/support/", api.SupportView.as_view(), name="api-report-support"),
]
