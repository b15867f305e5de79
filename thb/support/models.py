"""Social rehabilitation of recognised victims: the plan, the services delivered and
their cost, the state funding of the providers, and state compensation paid.

Service, specialist and cost-category codes come from the country profile's `support`
section; amounts are Decimal euros."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core import fields
from thb.core.fields import EncryptedTextField
from thb.victims.models import Case


class RehabilitationPlan(models.Model):
    """The course of social rehabilitation of one recognised victim (one per case)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="support_plan")
    starts_on = models.DateField(_("course starts on"))
    ends_on = models.DateField(_("course ends on"))
    # Goals and needs can reveal the person's situation: encrypted like screening notes.
    goals = EncryptedTextField(_("goals and needs"), blank=True)
    # Rule codes the plan itself breaches (e.g. a course longer than the limit), each
    # accepted only with the reason below.
    limit_flags = models.JSONField(_("limits exceeded"), default=list, blank=True)
    limit_reason = models.TextField(_("reason for exceeding a limit"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rehabilitation plan")
        verbose_name_plural = _("rehabilitation plans")

    def __str__(self) -> str:
        return f"plan {self.case}"

    @property
    def duration_days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class PlannedService(models.Model):
    """A service of the basket the plan foresees (the basket is indicative)."""

    plan = models.ForeignKey(
        RehabilitationPlan, on_delete=models.CASCADE, related_name="planned_services"
    )
    service = models.CharField(_("service"), max_length=40)
    planned_hours = fields.DecimalField(
        _("planned hours"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "service"], name="planned_service_once"),
        ]

    def __str__(self) -> str:
        return self.service


class ServiceDelivery(models.Model):
    """One service delivered to the client, with its cost to the state budget."""

    plan = models.ForeignKey(
        RehabilitationPlan, on_delete=models.PROTECT, related_name="deliveries"
    )
    delivered_on = models.DateField(_("date"))
    service = models.CharField(_("service"), max_length=40)
    specialist_role = models.CharField(_("specialist"), max_length=40)
    hours = fields.DecimalField(_("hours"), max_digits=6, decimal_places=2, default=0)
    cost_eur = fields.DecimalField(_("cost (EUR)"), max_digits=10, decimal_places=2)
    # The contracted provider whose funding the cost is charged to.
    provider = models.ForeignKey(
        Institution, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    limit_flags = models.JSONField(_("limits exceeded"), default=list, blank=True)
    limit_reason = models.TextField(_("reason for exceeding a limit"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["delivered_on", "id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        indexes = [
            # The service log of one plan, by date.
            models.Index(fields=["plan", "delivered_on"]),
            # Funding: spent per provider and year.
            models.Index(fields=["provider", "delivered_on"]),
            # Funding of a year, every provider (funding_rows): SUM(cost_eur) ...
            # WHERE delivered_on BETWEEN year GROUP BY provider_id; and of several years
            # (support.funding, funding_totals): ... GROUP BY the year of delivered_on;
            # answered from the index alone.
            models.Index(
                fields=["delivered_on", "provider", "cost_eur"], name="delivery_year_cost_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.case} {self.delivered_on} {self.service}"


class FundingContract(models.Model):
    """The state funding planned for a provider's contract in a year."""

    year = models.PositiveSmallIntegerField(_("year"))
    provider = models.ForeignKey(
        Institution, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("contract number"), max_length=60, blank=True)
    planned_eur = fields.DecimalField(_("planned funding (EUR)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "provider__name"]
        verbose_name = _("funding contract")
        verbose_name_plural = _("funding contracts")
        constraints = [
            models.UniqueConstraint(fields=["year", "provider"], name="funding_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.provider}"


class OtherEligibleCost(models.Model):
    """A cost charged to the contract that is not a service to one client."""

    provider = models.ForeignKey(
        Institution, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    incurred_on = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=40)
    amount_eur = fields.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["incurred_on", "id"]
        verbose_name = _("other eligible cost")
        verbose_name_plural = _("other eligible costs")
        indexes = [
            # Funding: spent per provider and year.
            models.Index(fields=["provider", "incurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.incurred_on} {self.category}"


class StateCompensation(models.Model):
    """State compensation paid to a victim by the legal aid body."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="state_compensations")
    paid_on = models.DateField(_("paid on"))
    amount_eur = fields.DecimalField(_("amount (EUR)"), max_digits=10, decimal_places=2)
    decision_reference = models.CharField(_("decision number"), max_length=60, blank=True)
    payer = models.ForeignKey(
        Institution, verbose_name=_("paid by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("state compensation")
        verbose_name_plural = _("state compensations")
        indexes = [
            # Figures and the payer's list: payments in a year.
            models.Index(fields=["paid_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.paid_on} {self.amount_eur}"
