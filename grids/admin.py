"""Administrators appoint 街道 leaders here; the appointment goes through grids.actions and leaves
a GridEvent."""

from django.contrib import admin

from grids import actions
from grids.models import StreetLeader


@admin.register(StreetLeader)
class StreetLeaderAdmin(admin.ModelAdmin):
    list_display = ("user", "street")
    list_filter = ("street",)
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        leader = actions.appoint_street_leader(user=obj.user, street=obj.street, actor=request.user)
        obj.pk = leader.pk

    def delete_model(self, request, obj):
        actions.remove_street_leader(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for leader in queryset.select_related("user"):
            actions.remove_street_leader(user=leader.user, actor=request.user)
