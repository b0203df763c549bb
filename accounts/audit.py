"""The configuration audit in the admin: AuditedAdmin writes one ConfigChange row (who, when,
what, old → new) for every add, change and delete of the object and of its inlines (a unit's
memberships), through accounts.actions.record_config_change. ConfigChangeAdmin shows the rows
and allows nothing else."""

import datetime as dt

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.actions import record_config_change
from accounts.models import ConfigChange

# Never recorded, not even as "changed from … to …".
SECRET_FIELDS = {"password", "key_hash"}


def _value(instance, field) -> object:
    if isinstance(field, models.ManyToManyField):
        if instance.pk is None:
            return []
        return sorted(str(o) for o in getattr(instance, field.name).all())
    if field.is_relation:
        related = getattr(instance, field.name, None)
        return str(related) if related is not None else None
    value = getattr(instance, field.attname)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _fields(instance):
    meta = instance._meta
    return [
        f
        for f in [*meta.concrete_fields, *meta.many_to_many]
        if f.name not in SECRET_FIELDS and not f.primary_key
    ]


def snapshot(instance) -> dict:
    """The object's fields as the audit records them (relations by their names)."""
    return {f.name: _value(instance, f) for f in _fields(instance)}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that differ (a missing side is None)."""
    names = [*before, *(n for n in after if n not in before)]
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
    }


def _audit_formsets(request, formsets) -> None:
    for formset in formsets:
        for obj in getattr(formset, "new_objects", []):
            record_config_change(
                actor=request.user,
                instance=obj,
                action=ConfigChange.Action.ADDED,
                changes=diff({}, snapshot(obj)),
            )
        for obj, changed in getattr(formset, "changed_objects", []):
            form = next((f for f in formset.forms if f.instance.pk == obj.pk), None)
            before = getattr(form, "_audit_before", {}) if form is not None else {}
            record_config_change(
                actor=request.user,
                instance=obj,
                action=ConfigChange.Action.CHANGED,
                changes=diff(before, snapshot(obj)) or {name: [None, None] for name in changed},
            )
        for obj in getattr(formset, "deleted_objects", []):
            record_config_change(
                actor=request.user,
                instance=obj,
                action=ConfigChange.Action.DELETED,
                changes=diff(snapshot(obj), {}),
            )


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every add, change (list_editable too) and delete leaves an audit row."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # The state before the form changes it, for old → new.
            obj._audit_before = snapshot(obj)
        return obj

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None:
                fresh = (
                    type(inline_form.instance).objects.filter(pk=inline_form.instance.pk).first()
                )
                inline_form._audit_before = snapshot(fresh) if fresh is not None else {}
        super().save_formset(request, form, formset, change)

    def save_model(self, request, obj, form, change):
        if change and not hasattr(obj, "_audit_before"):
            # The change list's list_editable forms bring their own instance.
            fresh = type(obj).objects.filter(pk=obj.pk).first()
            obj._audit_before = snapshot(fresh) if fresh is not None else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if change:
            changes = diff(getattr(obj, "_audit_before", {}), snapshot(obj))
            if changes:
                record_config_change(
                    actor=request.user,
                    instance=obj,
                    action=ConfigChange.Action.CHANGED,
                    changes=changes,
                )
        else:
            record_config_change(
                actor=request.user,
                instance=obj,
                action=ConfigChange.Action.ADDED,
                changes=diff({}, snapshot(obj)),
            )
        _audit_formsets(request, formsets)

    def delete_model(self, request, obj):
        before, pk, text = snapshot(obj), obj.pk, str(obj)
        super().delete_model(request, obj)
        record_config_change(
            actor=request.user,
            model=obj._meta.label_lower,
            object_id=str(pk),
            object_repr=text,
            action=ConfigChange.Action.DELETED,
            changes=diff(before, {}),
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@admin.register(ConfigChange)
class ConfigChangeAdmin(admin.ModelAdmin):
    """Readable, never editable: no add, no change, no delete (for superusers too)."""

    list_display = ("created_at", "actor_label", "model", "object_repr", "action", "what")
    list_filter = ("model", "action")
    search_fields = ("object_repr", "actor_label", "model")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [*(f.name for f in self.model._meta.fields if f.name != "changes"), "what"]

    @admin.display(description=_("变更内容"))
    def what(self, row: ConfigChange) -> str:
        return "; ".join(
            f"{name}: “{_shown(old)}” → “{_shown(new)}”" for name, (old, new) in row.changes.items()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
