"""Admin for funding records (institutions' amounts), read only: they are written on
the funding pages through thb.support.services, which check the profile's limits and
write the audit log. Plans, services and compensation are a victim's personal data:
they are not in the admin (the administrator sees no victim records), only on the
scoped and audited pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thb.support.models import FundingContract, OtherEligibleCost


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FundingContract)
class FundingContractAdmin(ReadOnlyAdmin):
    list_display = ("year", "provider", "reference", "planned_eur")
    list_filter = ("year", "provider")


@admin.register(OtherEligibleCost)
class OtherEligibleCostAdmin(ReadOnlyAdmin):
    list_display = ("incurred_on", "provider", "category", "amount_eur")
    list_filter = ("provider", "category")
    date_hierarchy = "incurred_on"
