"""Forms of the return plan. They parse input and run the services' rules (`*_check`)
in the same round (the form pattern: thb.core.forms.FormPattern)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution
from thb.core import validators
from thb.core.forms import FormPattern, LongSelect, NormalizedChoices, country_names
from thb.core.languages import current_language
from thb.profiles import get_profile
from thb.returns import services
from thb.returns.models import ReturnPlan, ReturnStep


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PlanForm(FormPattern, forms.Form):
    from_country = forms.ChoiceField(label=_("Returning from (country)"), widget=LongSelect)
    partner = validators.text_field(
        _("Partner abroad"),
        kind="line",
        required=False,
        help_text=_("The embassy, consulate or NGO abroad working on the return (its name)."),
    )
    notes = validators.text_field(_("Notes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        home = get_profile().country.code
        cast(forms.ChoiceField, self.fields["from_country"]).choices = NormalizedChoices(
            [("", str(_("Choose…"))), *((c, n) for c, n in country_names() if c != home)]
        )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.plan_check(self.plan_input(data), errors)

    @staticmethod
    def plan_input(data: dict[str, Any]) -> services.PlanInput:
        return services.PlanInput(
            from_country=data.get("from_country"),  # type: ignore[arg-type]
            partner=data.get("partner") or "",
            notes=data.get("notes") or "",
        )


class StepForm(FormPattern, forms.Form):
    """One step of the plan, of the kind in the URL."""

    responsible_institution = forms.ModelChoiceField(
        label=_("Responsible institution"), queryset=Institution.objects.none()
    )
    planned_on = forms.DateField(label=_("Planned for"), required=False, widget=DateInput())
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    partner = validators.text_field(
        _("Partner abroad"),
        kind="line",
        required=False,
        help_text=_("Which embassy, consulate or NGO abroad (its name), where one took part."),
    )
    notes = validators.text_field(_("Notes"), required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        allowed = get_profile().returns.step_kind(kind).responsible_kinds
        cast(
            forms.ModelChoiceField, self.fields["responsible_institution"]
        ).queryset = Institution.objects.filter(active=True, kind__in=allowed).order_by(
            "kind", "name"
        )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.step_check(self.step_input(data), errors)

    def step_input(self, data: dict[str, Any]) -> services.StepInput:
        return services.StepInput(
            kind=self.kind,
            responsible_institution=data.get("responsible_institution"),
            planned_on=data.get("planned_on"),
            done_on=data.get("done_on"),
            partner=data.get("partner") or "",
            notes=data.get("notes") or "",
        )


class CostForm(FormPattern, forms.Form):
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    amount_eur = validators.amount_field(_("Amount (EUR)"), allow_zero=False)
    step = forms.ModelChoiceField(
        label=_("Step"), queryset=ReturnStep.objects.none(), required=False
    )
    description = validators.text_field(_("Description"), kind="line", required=False)

    def __init__(self, *args: Any, plan: ReturnPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        language = current_language()
        section = get_profile().returns
        field = cast(forms.ModelChoiceField, self.fields["step"])
        field.queryset = plan.steps.all()
        field.label_from_instance = lambda step: section.step_kind(step.kind).label.get(language)  # type: ignore[method-assign,assignment]

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.cost_check(self.plan, self.cost_input(data), errors)

    @staticmethod
    def cost_input(data: dict[str, Any]) -> services.CostInput:
        return services.CostInput(
            incurred_on=data.get("incurred_on"),  # type: ignore[arg-type]
            amount_eur=data.get("amount_eur"),  # type: ignore[arg-type]
            step=data.get("step"),
            description=data.get("description") or "",
        )
