from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from thb.accounts.models import Institution, User


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(User)
class THBUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "institution", "role", "is_active"]
    list_filter = ["role", "institution", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("THB", {"fields": ("institution", "role")}))  # type: ignore[misc]
