"""Administrators keep the list of mediation organisations here (through an action, with its
event). Sessions and cases change only through the app's pages and actions: read-only here, and
parties are not shown at all."""

from django.contrib import admin

from mediation import cases
from mediation.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "community", "follow_up_days", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("community",)

    def save_model(self, request, obj, form, change):
        cases.save_organisation(actor=request.user, organisation=obj, created=not change)

    def has_delete_permission(self, request, obj=None):
        # Cases keep their organisation: retire one with "启用" instead.
        return False
