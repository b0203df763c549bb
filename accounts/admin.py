from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.audit import AuditedAdmin
from accounts.models import User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    ordering = ("phone",)
    list_display = ("phone", "name", "is_dispatcher", "is_official", "is_staff", "is_active")
    list_filter = ("is_dispatcher", "is_official", "is_staff", "is_active")
    search_fields = ("phone", "name", "email")
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("个人信息"), {"fields": ("name", "email")}),
        (_("角色"), {"fields": ("is_dispatcher", "is_official")}),
        (
            _("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "password1", "password2")}),)


admin.site.site_header = _("义马 全域网格 管理后台")
admin.site.site_title = _("义马 全域网格")
admin.site.index_title = _("系统管理")
