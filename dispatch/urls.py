"""Worklist pages: /work/ (grid workers), /unit/ (unit staff), /console/ (dispatchers), the
ticket page and its actions, and patrol reports."""

from django.urls import path

from dispatch import offline, views

app_name = "dispatch"
urlpatterns = [
    path("work/", views.work_list, name="work"),
    path("work/offline/", offline.offline_page, name="offline"),
    path("unit/", views.unit_list, name="unit"),
    path("console/", views.console, name="console"),
    path("patrol/", views.patrol, name="patrol"),
    path("callbacks/", views.call_backs, name="call_backs"),
    path("callbacks/<str:number>/", views.call_back, name="call_back"),
    path("tickets/<str:number>/", views.ticket, name="ticket"),
    path("tickets/<str:number>/<slug:action>/", views.ticket_action, name="ticket_action"),
    path("tasks/<int:task_id>/", views.task, name="task"),
    path("tasks/<int:task_id>/<slug:action>/", views.task_action, name="task_action"),
    path(
        "extensions/<int:extension_id>/<slug:decision>/",
        views.extension_action,
        name="extension_action",
    ),
    path(
        "suspensions/<int:suspension_id>/<slug:decision>/",
        views.suspension_action,
        name="suspension_action",
    ),
]
