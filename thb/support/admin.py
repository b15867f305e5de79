"""Admin for support records: correction by an administrator; amounts and codes only."""

from django.contrib import admin

from thb.support.models import (
    FundingContract,
    OtherEligibleCost,
    PlannedService,
    RehabilitationPlan,
    ServiceDelivery,
    StateCompensation,
)


class PlannedServiceInline(admin.TabularInline):
    model = PlannedService
    extra = 0


@admin.register(RehabilitationPlan)
class RehabilitationPlanAdmin(admin.ModelAdmin):
    list_display = ("case", "starts_on", "ends_on", "limit_flags")
    search_fields = ("case__person__code",)
    raw_id_fields = ("case",)
    exclude = ("goals",)  # encrypted free text stays out of the admin
    readonly_fields = ("created_by",)
    inlines = [PlannedServiceInline]


@admin.register(ServiceDelivery)
class ServiceDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "plan",
        "delivered_on",
        "service",
        "hours",
        "cost_eur",
        "provider",
        "limit_flags",
    )
    list_filter = ("provider", "service")
    date_hierarchy = "delivered_on"
    search_fields = ("plan__case__person__code",)
    raw_id_fields = ("plan",)
    readonly_fields = ("recorded_by",)


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


@admin.register(StateCompensation)
class StateCompensationAdmin(admin.ModelAdmin):
    list_display = ("case", "paid_on", "amount_eur", "payer")
    date_hierarchy = "paid_on"
    search_fields = ("case__person__code",)
    raw_id_fields = ("case",)
    readonly_fields = ("recorded_by",)
