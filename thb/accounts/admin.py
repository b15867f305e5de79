from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from thb.accounts.models import Institution, User
from thb.audit.models import Action
from thb.audit.services import audit_record


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "name_en"]


class TOTPDeviceInline(admin.TabularInline):
    """The user's authenticator apps. An administrator resets a lost phone by deleting
    the device here; the user then enrols a new one. The secret is never shown."""

    model = TOTPDevice
    fields = ("name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    extra = 0
    can_delete = True
    verbose_name = "authenticator app (two-factor)"
    verbose_name_plural = "authenticator apps (two-factor)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # users enrol themselves, so that only they ever see the secret


@admin.register(User)
class THBUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "institution", "role", "is_active"]
    list_filter = ["role", "institution", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("THB", {"fields": ("institution", "role")}))  # type: ignore[misc]
    inlines = [TOTPDeviceInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is TOTPDevice:
            for device in formset.deleted_objects:
                audit_record(
                    actor=request.user,  # type: ignore[arg-type]
                    action=Action.UPDATE,
                    target=form.instance,
                    details={"otp": "reset", "device": device.pk},
                    request=request,
                )
