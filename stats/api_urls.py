from django.urls import path

from stats import api

urlpatterns = [
    path("dashboard", api.DashboardView.as_view(), name="stats-dashboard"),
    path("figures", api.FiguresView.as_view(), name="stats-figures"),
    path("trend", api.TrendView.as_view(), name="stats-trend"),
    path("categories", api.CategoriesView.as_view(), name="stats-categories"),
    path("channels", api.ChannelsView.as_view(), name="stats-channels"),
    path("ranking", api.RankingView.as_view(), name="stats-ranking"),
    path("map", api.MapView.as_view(), name="stats-map"),
    path("overdue", api.OverdueView.as_view(), name="stats-overdue"),
    path("mediation", api.MediationView.as_view(), name="stats-mediation"),
    path("minqing", api.MinqingView.as_view(), name="stats-minqing"),
]
