"""Forms of the residence steps. They parse input and run the step's rules from the
services (`*_check`) in the same round (the form pattern: thb.core.forms.FormPattern)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution, InstitutionKind
from thb.core import validators
from thb.core.forms import FormPattern
from thb.residence import services
from thb.residence.models import PermitHolder, PermitRequest, RequestKind
from thb.victims.models import Case


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class StepForm(FormPattern, forms.Form):
    """A step of a case's residence track: its rules need the case."""

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case


class InformationForm(StepForm):
    given_on = forms.DateField(label=_("Written information given on"), widget=DateInput())
    language = forms.CharField(
        label=_("Language of the information"), max_length=40, required=False
    )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.information_check(self.case, given_on=data.get("given_on"), errors=errors)


class ApplicationForm(StepForm):
    submitted_on = forms.DateField(label=_("Application submitted on"), widget=DateInput())
    late_reason = validators.text_field(
        _("Reason for a late application"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if the application is later than the law allows."),
    )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.application_check(
            self.case,
            submitted_on=data.get("submitted_on"),
            late_reason=data.get("late_reason") or "",
            errors=errors,
        )


class ReflectionDecisionForm(StepForm):
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("reflection period granted")), ("no", _("refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.reflection_decision_check(
            self.case, decided_on=data.get("decided_on"), errors=errors
        )


class EvaluationForm(StepForm):
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DateInput())
    further_stay_useful = forms.TypedChoiceField(
        label=_("Does further stay help the investigation or trial?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    keeps_contact_with_suspects = forms.TypedChoiceField(
        label=_("Does the victim keep contact with suspects, accused or convicted persons?"),
        choices=[("no", _("no")), ("yes", _("yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.evaluation_check(self.case, evaluated_on=data.get("evaluated_on"), errors=errors)


class PermitRequestForm(StepForm):
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput())
    months = validators.integer_field(
        _("Period requested (months)"), validators.months, kind="residence_permit"
    )
    accompanying_minor_children = validators.integer_field(
        _("Accompanying minor children"), validators.children, initial=0
    )
    migration_office = forms.ModelChoiceField(
        label=_("Migration office"),
        queryset=Institution.objects.filter(kind=InstitutionKind.MIGRATION_OFFICE, active=True),
        empty_label=None,
    )
    reasons = validators.text_field(
        _("Reasons (expected length of the proceedings, threat to the victim)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.permit_request_check(
            self.case,
            requested_on=data.get("requested_on"),
            months=data.get("months"),
            migration_office=data.get("migration_office"),
            kind=data.get("kind") or "",
            accompanying_minor_children=data.get("accompanying_minor_children"),
            reasons=data.get("reasons") or "",
            errors=errors,
        )


class PermitForm(FormPattern, forms.Form):
    holder = forms.ChoiceField(label=_("Issued to"), choices=PermitHolder.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid until"), widget=DateInput())

    def __init__(self, *args: Any, permit_request: PermitRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permit_request = permit_request

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        services.permit_check(
            self.permit_request,
            holder=data.get("holder") or "",
            issued_on=data.get("issued_on"),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
            errors=errors,
        )
