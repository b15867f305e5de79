"""Admin for funding records (institutions' amounts). Plans, services and compensation
are a victim's personal data: they are not in the admin (the administrator sees no
victim records), only on the scoped and audited pages."""

from django.contrib import admin

from thb.support.models import FundingContract, OtherEligibleCost


@admin.register(FundingContract)
class FundingContractAdmin(admin.ModelAdmin):
    list_display = ("year", "provider", "reference", "planned_eur")
    list_filter = ("year", "provider")
    readonly_fields = ("recorded_by",)


@admin.register(OtherEligibleCost)
class OtherEligibleCostAdmin(admin.ModelAdmin):
    list_display = ("incurred_on", "provider", "category", "amount_eur")
    list_filter = ("provider", "category")
    date_hierarchy = "incurred_on"
    readonly_fields = ("recorded_by",)
