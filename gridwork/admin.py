from django.contrib import admin

from gridwork import actions
from gridwork.models import Item, PartyOrganisation, PatrolPlan, Visit, Volunteer


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ("user", "grid", "compound", "team", "serves_as", "party_member", "active")
    list_filter = ("serves_as", "party_member", "active")
    search_fields = ("user__name", "grid__code", "team")
    raw_id_fields = ("user", "grid", "compound", "party_organisation")
    fields = ("user", "grid", "compound", "team", "serves_as", "party_member")

    def save_model(self, request, obj, form, change):
        # Through the action, so enrolment leaves its event like every other write.
        data = form.cleaned_data
        actions.add_volunteer(
            actor=request.user,
            user=data["user"],
            grid=data["grid"],
            compound=data["compound"],
            team=data["team"],
            serves_as=data["serves_as"],
            party_member=data["party_member"],
        )


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(admin.ModelAdmin):
    """Read here; community staff manage organisations at /gridwork/party/."""

    list_display = ("name", "kind", "community", "compound")
    list_filter = ("kind",)
    search_fields = ("name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PatrolPlan)
class PatrolPlanAdmin(admin.ModelAdmin):
    """Read here; set at /gridwork/ by community staff and grid leaders."""

    list_display = ("grid", "visits_per_week", "patrols_per_week", "updated_by", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only: visits are written by gridwork.actions from the phone pages."""

    list_display = ("kind", "grid", "compound", "recorded_by", "happened_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "status", "ticket")
    list_filter = ("kind", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
