"""民情 pages for grid workers and volunteers on a phone (/gridwork/)."""

from django.urls import path

from gridwork import views

app_name = "gridwork"
urlpatterns = [
    path("gridwork/", views.home, name="home"),
    path("gridwork/new/", views.visit_new, name="visit_new"),
    path("gridwork/people/", views.people, name="people"),
    path("gridwork/plans/<int:grid_id>/", views.plan_set, name="plan_set"),
    path("gridwork/party/", views.party, name="party"),
    path("gridwork/party/organisations/", views.party_organisation_add, name="party_org_add"),
    path("gridwork/party/members/", views.party_member_assign, name="party_member"),
    path("gridwork/visits/<int:visit_id>/", views.visit, name="visit"),
    path(
        "gridwork/visits/<int:visit_id>/photos/<int:photo_id>/",
        views.visit_photo,
        name="visit_photo",
    ),
    path("gridwork/items/<int:item_id>/settle/", views.item_settle, name="item_settle"),
    path("gridwork/items/<int:item_id>/ticket/", views.item_ticket, name="item_ticket"),
]
