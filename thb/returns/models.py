"""The return home of a victim identified abroad, kept as records: a return plan on
the case, its steps (what, planned and done days, which institution answers for it,
which partner abroad) and the costs charged to the provider's repatriation category.
Step kinds are profile data (profiles/<cc>/returns.yaml)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from thb.accounts.models import Institution
from thb.support.models import OtherEligibleCost
from thb.victims.models import Case


class ReturnPlan(models.Model):
    """One victim's return from a country abroad to the home country."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="return_plan")
    from_country = CountryField(_("returning from"))
    # The consulate, embassy or NGO abroad the provider works with (a name, not a person).
    partner = models.CharField(_("partner abroad"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The day the step that completes the return was done (profile: completes_return),
    # kept with the plan so that the statistics read one table.
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("return plan")
        verbose_name_plural = _("return plans")
        indexes = [
            # Figures: returns completed in a year, by country.
            models.Index(fields=["returned_on", "from_country"]),
        ]

    def __str__(self) -> str:
        return f"return plan {self.case}"


class ReturnStep(models.Model):
    """A step of the plan: one kind of the profile's step_kinds at most once a plan."""

    plan = models.ForeignKey(ReturnPlan, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=40)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    responsible_institution = models.ForeignKey(
        Institution,
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        related_name="return_steps",
    )
    partner = models.CharField(_("partner abroad"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("return step")
        verbose_name_plural = _("return steps")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="return_step_once_per_plan"),
        ]
        indexes = [
            # The responsible institution's steps (consular list, deadlines) by date.
            models.Index(fields=["responsible_institution", "done_on", "planned_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.plan.case} {self.kind}"


class ReturnCost(models.Model):
    """A cost of the return, recorded as the provider's other eligible cost in the
    repatriation category (thb.support owns the amount; this row links it to the plan)."""

    plan = models.ForeignKey(ReturnPlan, on_delete=models.PROTECT, related_name="costs")
    step = models.ForeignKey(
        ReturnStep,
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="costs",
    )
    cost = models.OneToOneField(OtherEligibleCost, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("return cost")
        verbose_name_plural = _("return costs")

    def __str__(self) -> str:
        return f"{self.plan.case} {self.cost_id}"
