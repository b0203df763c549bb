from django.urls import path

from reports.intake import views

app_name = "intake"
urlpatterns = [
    path("hotline/", views.hotline_report, name="hotline"),
    path("hotline/done/", views.hotline_done, name="hotline-done"),
    path("events/", views.MachineEventView.as_view(), name="events"),
]
