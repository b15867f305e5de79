"""Forms of the justice pages. Field names match the services' error keys, so a
service's ValidationError lands on the field it names. Code lists come from the
country profile, labelled in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from thb.accounts.models import Institution, InstitutionKind
from thb.core import validators
from thb.core.forms import FormPattern
from thb.core.languages import current_language
from thb.justice.models import CourtLevel, NonPunishmentOutcome, Outcome, StageKind, Suspect
from thb.justice.services import ProceedingData, proceeding_check
from thb.profiles import get_profile
from thb.victims.models import Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def section_choices(groups: tuple[str, ...] = ("trafficking", "related")) -> list[tuple[str, str]]:
    language = current_language()
    return [
        (s.code, s.label.get(language)) for s in get_profile().legal_sections if s.group in groups
    ]


def country_choices() -> list[tuple[str, str]]:
    return _blank([(code, str(name)) for code, name in countries])


class ProceedingForm(FormPattern, forms.Form):
    number = forms.CharField(label=_("Proceeding number"), max_length=40)
    sections = forms.MultipleChoiceField(
        label=_("Criminal Law sections"), widget=forms.CheckboxSelectMultiple
    )
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    exploitation_form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    sector = forms.ChoiceField(label=_("Sector (labour exploitation)"), required=False)
    notes = validators.text_field(
        _("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, existing: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing
        profile = get_profile()
        language = current_language()
        self.fields["sections"].choices = section_choices()  # type: ignore[attr-defined]
        self.fields["exploitation_form"].choices = _blank(  # type: ignore[attr-defined]
            profile.choices("exploitation_forms", language)
        )
        self.fields["sector"].choices = _blank(  # type: ignore[attr-defined]
            profile.choices("labour_sectors", language)
        )

    def service_check(self, data: dict[str, Any], errors: validators.Collect) -> None:
        """The proceeding's rules (as proceeding_create and proceeding_update run them)."""
        values = ProceedingData(
            number=data.get("number") or "",
            sections=data.get("sections") or [],
            started_on=data.get("started_on"),  # type: ignore[arg-type]
            exploitation_form=data.get("exploitation_form") or "",
            sector=data.get("sector") or "",
        )
        proceeding_check(values, existing=self.existing, errors=errors)


class InjuredPartyForm(forms.Form):
    recognised_on = forms.DateField(label=_("Recognised as injured party on"), widget=DATE)
    case_code = forms.CharField(
        label=_("Victim case code"),
        required=False,
        max_length=20,
        help_text=_("If the victim has a case in THB. Otherwise fill in the fields below."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    minor = forms.BooleanField(label=_("Minor"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["citizenship"].choices = country_choices()  # type: ignore[attr-defined]


class SuspectForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=40, help_text=_("A short reference, e.g. “A”, not a name.")
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    minor = forms.BooleanField(label=_("Minor"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    suspected_on = forms.DateField(label=_("Recognised as suspect on"), widget=DATE)
    accused_on = forms.DateField(label=_("Accused on"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["citizenship"].choices = country_choices()  # type: ignore[attr-defined]


class PropertyArrestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of property"))
    arrested_on = forms.DateField(label=_("Arrested on"), widget=DATE)
    value_eur = validators.amount_field(_("Value (EUR)"), kind="property")
    description = forms.CharField(label=_("Description"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = current_language()
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k.code, k.label.get(language)) for k in get_profile().justice.property_kinds
        ]


def _institutions(*kinds: str) -> Any:
    return Institution.objects.filter(kind__in=kinds, active=True).order_by("name")


class StageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Stage"), choices=StageKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    institution = forms.ModelChoiceField(
        label=_("Institution handling the stage"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("The prosecutor's office or the court; empty: your institution."),
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("Persons (when sent to court)"),
        queryset=Suspect.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, suspects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = _institutions(  # type: ignore[attr-defined]
            InstitutionKind.PROSECUTOR, InstitutionKind.COURT
        )
        self.fields["persons"].queryset = suspects  # type: ignore[attr-defined]


class JudgmentForm(forms.Form):
    level = forms.ChoiceField(label=_("Court level"), choices=CourtLevel.choices)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)
    court = forms.ModelChoiceField(
        label=_("Court"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Empty: your institution."),
    )
    suspect = forms.ModelChoiceField(label=_("Person"), queryset=Suspect.objects.none())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    section = forms.ChoiceField(label=_("Convicted under section"), required=False)
    deprivation_months = validators.integer_field(
        _("Deprivation of liberty (months)"),
        validators.months,
        kind="deprivation_of_liberty",
        required=False,
    )
    deprivation_conditional = forms.BooleanField(label=_("Conditional"), required=False)
    probation_months = validators.integer_field(
        _("Probation supervision (months)"), validators.months, kind="probation", required=False
    )
    fine_eur = validators.amount_field(_("Fine (EUR)"), allow_zero=False, required=False)

    def __init__(self, *args: Any, suspects: Any, sections: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = _institutions(InstitutionKind.COURT)  # type: ignore[attr-defined]
        self.fields["suspect"].queryset = suspects  # type: ignore[attr-defined]
        self.fields["section"].choices = _blank(  # type: ignore[attr-defined]
            [(code, label) for code, label in section_choices() if code in sections]
        )


class NonPunishmentForm(forms.Form):
    legal_basis = forms.ChoiceField(label=_("Legal basis"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=NonPunishmentOutcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    offence = forms.CharField(label=_("Offence"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_basis"].choices = section_choices(  # type: ignore[attr-defined]
            ("non_punishment",)
        )
