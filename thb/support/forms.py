"""Forms of the support pages. Validation of the rules is in services; the forms only
parse input and show the service's errors at the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core import validators
from thb.core.forms import FormPattern
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.support.models import RehabilitationPlan
from thb.support.services import DeliveryInput, PlanInput, delivery_check, plan_check


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _choices(section: str) -> list[tuple[str, str]]:
    return get_profile().support.choices(section, current_language())


REASON_HELP = _(
    "Needed only when the record goes beyond a limit of the regulation; the record is then flagged."
)


class PlanForm(FormPattern, forms.Form):
    starts_on = forms.DateField(label=_("Course starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Course ends on"), widget=DateInput())
    services = forms.MultipleChoiceField(
        label=_("Services planned"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The service basket is indicative: other services may still be logged."),
    )
    goals = validators.text_field(_("Goals and needs"), required=False)
    limit_reason = validators.text_field(
        _("Reason for exceeding a limit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=REASON_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = _choices("services")  # type: ignore[attr-defined]

    def plan_input(self) -> PlanInput:
        data = self.cleaned_data
        return PlanInput(
            starts_on=data.get("starts_on"),  # type: ignore[arg-type]
            ends_on=data.get("ends_on"),  # type: ignore[arg-type]
            services=data.get("services") or [],
            goals=data.get("goals") or "",
            limit_reason=data.get("limit_reason") or "",
        )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The plan's rules (plan_check, as plan_save runs them)."""
        plan_check(self.plan_input(), errors)


class DeliveryForm(FormPattern, forms.Form):
    delivered_on = forms.DateField(label=_("Date"), widget=DateInput())
    service = forms.ChoiceField(label=_("Service"))
    specialist_role = forms.ChoiceField(label=_("Specialist"))
    hours = validators.hours_field(_("Hours"), initial=1)
    cost_eur = validators.amount_field(_("Cost (EUR)"))
    limit_reason = validators.text_field(
        _("Reason for exceeding a limit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=REASON_HELP,
    )

    def __init__(self, *args: Any, plan: RehabilitationPlan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["service"].choices = _choices("services")  # type: ignore[attr-defined]
        self.fields["specialist_role"].choices = _choices(  # type: ignore[attr-defined]
            "specialist_roles"
        )

    def delivery_input(self) -> DeliveryInput:
        data = self.cleaned_data
        return DeliveryInput(
            delivered_on=data.get("delivered_on"),  # type: ignore[arg-type]
            service=data.get("service") or "",
            specialist_role=data.get("specialist_role") or "",
            hours=data.get("hours"),  # type: ignore[arg-type]
            cost_eur=data.get("cost_eur"),  # type: ignore[arg-type]
            limit_reason=data.get("limit_reason") or "",
        )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The entry's own rules (delivery_check, as service_deliver runs them)."""
        if self.plan is not None:
            delivery_check(self.plan, self.delivery_input(), errors)


class FundingContractForm(forms.Form):
    year = validators.integer_field(_("Year"), validators.year)
    provider: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Provider"), queryset=Institution.objects.none()
    )
    planned_eur = validators.amount_field(_("Planned funding (EUR)"), kind="funding")
    reference = forms.CharField(label=_("Contract number"), required=False, max_length=60)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class OtherCostForm(forms.Form):
    provider: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Provider"), queryset=Institution.objects.none()
    )
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    category = forms.ChoiceField(label=_("Category"))
    amount_eur = validators.amount_field(_("Amount (EUR)"), allow_zero=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=200)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["category"].choices = _choices(  # type: ignore[attr-defined]
            "other_cost_categories"
        )


class CompensationForm(forms.Form):
    case_code = forms.CharField(
        label=_("Case code"),
        max_length=20,
        help_text=_(
            "The victim's case code as given in the application; names are never searched."
        ),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    amount_eur = validators.amount_field(_("Amount (EUR)"), allow_zero=False)
    decision_reference = forms.CharField(label=_("Decision number"), required=False, max_length=60)
