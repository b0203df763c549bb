import os

from django.urls import path

from reports import photo_views, views

app_name = "reports"
urlpatterns = [
    path("report/", views.report_page, name="report"),
    path("t/<str:token>/", views.track, name="track"),
    path("t/<str:token>/rate/", views.rate, name="rate"),
    path("t/<str:token>/reopen/", views.reopen, name="reopen"),
    path("my/", views.my_reports, name="mine"),
    path("public/", views.public_list, name="public"),
    path("public/<str:number>/", views.public_detail, name="public_detail"),
    path("public/<str:number>/support/", views.support, name="support"),
    path("photos/<int:photo_id>/<str:variant>/", photo_views.photo, name="photo"),
]

if os.environ.get("YIMA_BENCH_VIEWS") == "1":
    # Never on by default: a baseline for bench/submit.py (an upload stored and nothing else).
    urlpatterns.append(path("bench/store/", views.bench_store_upload, name="bench_store"))
