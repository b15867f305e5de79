"""Forms of the residence steps. They only parse input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thb.accounts.models import Institution, InstitutionKind
from thb.core import validators
from thb.residence.models import PermitHolder, RequestKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class InformationForm(forms.Form):
    given_on = forms.DateField(label=_("Written information given on"), widget=DateInput())
    language = forms.CharField(
        label=_("Language of the information"), max_length=40, required=False
    )


class ApplicationForm(forms.Form):
    submitted_on = forms.DateField(label=_("Application submitted on"), widget=DateInput())
    late_reason = validators.text_field(
        _("Reason for a late application"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if the application is later than the law allows."),
    )


class ReflectionDecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Decision date"), widget=DateInput())
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("reflection period granted")), ("no", _("refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class EvaluationForm(forms.Form):
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


class PermitRequestForm(forms.Form):
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


class PermitForm(forms.Form):
    holder = forms.ChoiceField(label=_("Issued to"), choices=PermitHolder.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid until"), widget=DateInput())
