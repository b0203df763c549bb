"""议事 (/yishi/), 调解 (/tiaojie/) and a community's public page (/community/<code>/)."""

from django.urls import path

from mediation.views import cases, deliberation

app_name = "mediation"
urlpatterns = [
    path("yishi/", deliberation.sessions, name="sessions"),
    path("yishi/new/", deliberation.session_new, name="session_new"),
    path("yishi/<int:session_id>/", deliberation.session, name="session"),
    path("yishi/<int:session_id>/topics/", deliberation.topic_add, name="topic_add"),
    path("yishi/decisions/", deliberation.decisions, name="decisions"),
    path("yishi/decisions/<int:topic_id>/done/", deliberation.decision_done, name="decision_done"),
    path("yishi/photos/<int:photo_id>/", deliberation.session_photo, name="session_photo"),
    path("community/<str:code>/", deliberation.community_public, name="community_public"),
    path("tiaojie/", cases.case_list, name="cases"),
    path("tiaojie/open/<str:number>/", cases.case_open, name="case_open"),
    path("tiaojie/<int:case_id>/", cases.case, name="case"),
    path("tiaojie/<int:case_id>/files/agreement", cases.agreement_file, name="agreement_file"),
    path("tiaojie/<int:case_id>/<slug:action>/", cases.case_action, name="case_action"),
]
